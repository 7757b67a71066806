//! Account administration's server functions.

#[cfg(feature = "ssr")]
use crate::auth::request::serve;
use crate::error::AppError;
use leptos::prelude::*;

/// Creates an account and emails it an activation link. Staff only; staff roles only by a body
/// administrator.
#[server(endpoint = "accounts/create")]
pub async fn create_account(
    username: String,
    display_name: String,
    email: String,
    role: String,
) -> Result<(), AppError> {
    serve(|cx| async move {
        let by = cx.require_staff().await?;
        let actor = cx.actor(&by);
        let invite = super::service::Invite {
            username: &username,
            email: &email,
            display_name: &display_name,
            role: &role,
        };
        super::service::invite(&cx.state, &by, &actor, cx.locale, invite)
            .await
            .map_err(|e| {
                e.keep(&[
                    ("username", &username),
                    ("display_name", &display_name),
                    ("email", &email),
                    ("role", &role),
                ])
            })?;
        let next = format!(
            "/staff/accounts/new?created={}",
            crate::ui::format::encode_component(username.trim())
        );
        leptos_axum::redirect(&next);
        Ok(())
    })
    .await
}

#[server(endpoint = "accounts/search")]
pub async fn search_accounts(q: String, page: u32) -> Result<super::model::AccountsPage, AppError> {
    serve(|cx| async move {
        cx.require_staff().await?;
        super::roles::search(&cx.state.db, &q, page).await
    })
    .await
}

#[server(endpoint = "accounts/get")]
pub async fn get_account(id: String) -> Result<super::model::AccountView, AppError> {
    serve(|cx| async move {
        cx.require_staff().await?;
        super::roles::view(&cx.state.db, &id).await
    })
    .await
}

/// Grants a role: a company admin's names the company by organisationsnummer, a holder's the
/// person by personnummer.
#[server(endpoint = "accounts/grant")]
pub async fn grant_role(
    account_id: String,
    role: String,
    orgnr: Option<String>,
    pnr: Option<String>,
) -> Result<(), AppError> {
    serve(|cx| async move {
        let by = cx.require_staff().await?;
        let (orgnr, pnr) = (orgnr.unwrap_or_default(), pnr.unwrap_or_default());
        let request = super::roles::GrantRequest {
            account_id: &account_id,
            role: &role,
            orgnr: &orgnr,
            pnr: &pnr,
        };
        super::roles::grant(&cx.state, &by, &cx.actor(&by), &request)
            .await
            .map_err(|e| e.keep(&[("role", &role), ("orgnr", &orgnr), ("pnr", &pnr)]))?;
        leptos_axum::redirect(&format!("/staff/accounts/{account_id}?granted=1"));
        Ok(())
    })
    .await
}

#[server(endpoint = "accounts/revoke")]
pub async fn revoke_role(account_id: String, role: String, scope: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let by = cx.require_staff().await?;
        let actor = cx.actor(&by);
        super::roles::revoke(&cx.state, &by, &actor, &account_id, &role, &scope).await?;
        leptos_axum::redirect(&format!("/staff/accounts/{account_id}?revoked=1"));
        Ok(())
    })
    .await
}
