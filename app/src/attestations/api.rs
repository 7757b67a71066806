//! The invitation's and the attester's server functions. The attester has no account: their
//! link's token is what lets them in.

use super::model::{Closed, Link, SignView};
#[cfg(feature = "ssr")]
use crate::auth::request::serve;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signing page: closed with the reason, or where the signature stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignPage {
    Closed(Closed),
    Open(Box<SignView>),
}

/// "Utför årlig förlängning" → "Spara": the holder emails an attester a link.
#[server(endpoint = "attestations/invite")]
pub async fn invite_attester(certificate_id: String, email: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        super::service::invite(
            &cx.state,
            &user,
            &cx.actor(&user),
            cx.locale,
            &cx.origin,
            &certificate_id,
            &email,
        )
        .await
        .map_err(|e| e.keep(&[("email", &email)]))?;
        leptos_axum::redirect(&format!("/certificates/{certificate_id}?done=invited"));
        Ok(())
    })
    .await
}

/// The holder's request waiting for its attester, if one waits: only for their own certificate.
#[server(endpoint = "attestations/pending")]
pub async fn pending_attestation(
    certificate_id: String,
) -> Result<Option<super::model::PendingRequest>, AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        super::service::pending_of_own(&cx.state, &user, &certificate_id).await
    })
    .await
}

/// "Skicka igen": a new link to the same attester.
#[server(endpoint = "attestations/resend")]
pub async fn resend_attestation(certificate_id: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        super::service::resend(
            &cx.state,
            &user,
            &cx.actor(&user),
            cx.locale,
            &cx.origin,
            &certificate_id,
        )
        .await?;
        leptos_axum::redirect(&format!("/certificates/{certificate_id}?done=resent"));
        Ok(())
    })
    .await
}

/// "Avbryt förfrågan", after its confirmation.
#[server(endpoint = "attestations/cancel")]
pub async fn cancel_attestation(certificate_id: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        super::service::cancel(&cx.state, &user, &cx.actor(&user), &certificate_id).await?;
        leptos_axum::redirect(&format!("/certificates/{certificate_id}?done=cancelled"));
        Ok(())
    })
    .await
}

/// The attester's link: what it attests, or why it cannot be used.
#[server(endpoint = "attestations/link")]
pub async fn attestation_link(token: String) -> Result<Link, AppError> {
    serve(|cx| async move { super::service::link(&cx.state, &token).await }).await
}

/// The attester's personnummer, name and position → "Spara": starts the BankID signature.
#[server(endpoint = "attestations/start")]
pub async fn start_attestation(
    token: String,
    pnr: String,
    name: String,
    position: String,
) -> Result<(), AppError> {
    serve(|cx| async move {
        let ip = cx
            .origin
            .clone()
            .ip
            .map_or_else(|| "127.0.0.1".to_owned(), |ip| ip.to_string());
        super::service::start(&cx.state, cx.locale, &token, &pnr, &name, &position, &ip)
            .await
            .map_err(|e| e.keep(&[("pnr", &pnr), ("name", &name), ("position", &position)]))?;
        leptos_axum::redirect(&format!("/attest/{}/sign", token.trim()));
        Ok(())
    })
    .await
}

/// Where the signature stands; the page asks every second.
#[server(endpoint = "attestations/status")]
pub async fn attestation_status(token: String) -> Result<SignPage, AppError> {
    serve(|cx| async move {
        Ok(
            match super::service::status(&cx.state, cx.locale, &token).await? {
                Ok(view) => SignPage::Open(Box::new(view)),
                Err(closed) => SignPage::Closed(closed),
            },
        )
    })
    .await
}

/// "Avbryt" while signing.
#[server(endpoint = "attestations/cancel_signing")]
pub async fn cancel_signing(token: String) -> Result<(), AppError> {
    serve(|cx| async move {
        super::service::cancel_signing(&cx.state, &token).await?;
        leptos_axum::redirect(&format!("/attest/{}", token.trim()));
        Ok(())
    })
    .await
}

/// The certification body's name and how to reach it, for the attester's pages.
#[server(endpoint = "attestations/body_contact")]
pub async fn body_contact() -> Result<(String, String), AppError> {
    serve(|cx| async move {
        Ok((
            cx.state.config.body_name.clone(),
            cx.state.config.body_contact.clone(),
        ))
    })
    .await
}
