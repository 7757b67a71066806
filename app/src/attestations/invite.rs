//! The invitation: the holder emails an attester a link (a random 256-bit token, only its
//! SHA-256 stored, valid 30 days, used once), sends it again or cancels it; the link is looked
//! up when the attester opens it.

use super::model::{Closed, LINK_DAYS, Link, LinkStatus, PendingRequest};
use super::service::{Cert, cert};
use super::signing::cancel_pending_orders;
use super::store;
use crate::auth::model::CurrentUser;
use crate::auth::service::{Origin, rate_limited};
use crate::auth::session::{new_token, token_hash};
use crate::clock::to_db;
use crate::error::{AppError, AppResult};
use crate::events::service::{self as events, Actor, Subject};
use crate::i18n::{Locale, Text};
use crate::state::AppState;
use crate::validate::{Kind, Spec, check};

const EMAIL: Spec = Spec::text("email", Text::ExtendEmail, 254)
    .of(Kind::Email)
    .required();

/// The holder's own certificate, or Forbidden.
async fn own_cert(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<Cert> {
    let mut conn = state.db.pool.acquire().await?;
    let c = cert(&mut conn, id).await?;
    if c.account_id.as_deref() != Some(user.account_id.as_str()) {
        return Err(AppError::Forbidden);
    }
    Ok(c)
}

/// Invitations are limited: 10 an hour per account and 30 per address, so a link cannot be
/// used to send a stranger a flood of email.
async fn invitation_allowed(
    state: &AppState,
    user: &CurrentUser,
    origin: &Origin,
) -> AppResult<()> {
    let now = state.clock.now();
    let hour = chrono::Duration::hours(1);
    let mut limits = vec![(format!("invite:account:{}", user.account_id), 10)];
    if let Some(ip) = origin.ip {
        limits.push((format!("invite:ip:{}", crate::config::throttle_key(ip)), 30));
    }
    for (key, max) in limits {
        if let Some(wait) = crate::auth::throttle::hit(&state.db, &key, max, hour, now).await? {
            let r = crate::auth::audit::Record {
                kind: crate::auth::audit::Kind::RateLimited,
                account_id: Some(&user.account_id),
                label: &user.username,
                ip: origin.ip,
                detail: "attester invitations",
            };
            crate::auth::audit::record(&state.db, &state.clock, r).await;
            return Err(rate_limited("email", wait));
        }
    }
    Ok(())
}

/// "Utför årlig förlängning" → "Spara": emails the attester a new link. A request still
/// waiting is replaced (its link stops working).
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn invite(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    locale: Locale,
    origin: &Origin,
    certificate_id: &str,
    email: &str,
) -> AppResult<()> {
    let c = own_cert(state, user, certificate_id).await?;
    if let Err(reason) = c.yearly.extension(state.clock.today(), false) {
        return Err(AppError::field("email", reason.msg()));
    }
    let email = check(&EMAIL, email).map_err(|m| AppError::field("email", m))?;
    if c.emails.iter().any(|e| e.eq_ignore_ascii_case(&email)) {
        return Err(AppError::field("email", Text::ExtendOwnEmail));
    }
    invitation_allowed(state, user, origin).await?;
    send(
        state,
        actor,
        locale,
        &c,
        &email,
        "certificate.attestation_requested",
    )
    .await
}

/// Writes a new link (the waiting one stops working), its email and the certificate's
/// `action` event, in one transaction.
async fn send(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    c: &Cert,
    email: &str,
    action: &str,
) -> AppResult<()> {
    let now = state.clock.now();
    let token = new_token();
    let account = actor
        .account_id
        .clone()
        .ok_or_else(|| AppError::internal("an invitation needs an account"))?;
    let mut tx = state.db.begin().await?;
    store::close_pending(&mut tx, &c.cert.id, LinkStatus::Replaced, &to_db(now)).await?;
    let new = store::NewLink {
        certificate_id: &c.cert.id,
        attester_email: email,
        token_hash: &token_hash(&token),
        created_by: &account,
        created_at: &to_db(now),
        expires_at: &to_db(now + chrono::Duration::days(LINK_DAYS)),
    };
    store::insert_link(&mut tx, &new).await?;
    let link = format!("{}/attest/{token}", state.config.base_url);
    // The attester reads it in the language the holder wrote the invitation in.
    let request = crate::mail::templates::AttestationRequest {
        person: &c.person,
        scheme: &c.title(locale),
        number: &c.cert.number,
        link: &link,
    };
    let mail = crate::mail::templates::attestation_request(&state.config, email, locale, &request);
    crate::mail::service::enqueue(&mut tx, &state.clock, &state.config.keys, &mail).await?;
    events::append(
        &mut tx,
        &state.clock,
        Subject::certificate(&c.cert.id),
        actor,
        action,
        serde_json::json!({ "email": email }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// "Skicka igen": a new link to the same address; the old one stops working.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn resend(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    locale: Locale,
    origin: &Origin,
    certificate_id: &str,
) -> AppResult<()> {
    let c = own_cert(state, user, certificate_id).await?;
    let mut conn = state.db.pool.acquire().await?;
    let email = pending_email(&mut conn, &c.cert.id).await?;
    drop(conn);
    if let Err(reason) = c.yearly.extension(state.clock.today(), false) {
        return Err(AppError::field("email", reason.msg()));
    }
    invitation_allowed(state, user, origin).await?;
    send(
        state,
        actor,
        locale,
        &c,
        &email,
        "certificate.attestation_resent",
    )
    .await
}

/// Whom the certificate's waiting request went to; a field message when none waits.
async fn pending_email(conn: &mut sqlx::AnyConnection, certificate_id: &str) -> AppResult<String> {
    let email = store::pending_email(conn, certificate_id).await?;
    email.ok_or_else(|| AppError::field("email", Text::ExtendNonePending))
}

/// "Avbryt förfrågan": the link stops working.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn cancel(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    certificate_id: &str,
) -> AppResult<()> {
    let c = own_cert(state, user, certificate_id).await?;
    // Orders the attester has open stop at BankID too.
    let open = store::pending_links(&state.db.pool, &c.cert.id).await?;
    if let Some(bankid) = state.bankid.as_ref() {
        for request_id in &open {
            cancel_pending_orders(state, bankid, request_id).await?;
        }
    }
    let mut tx = state.db.begin().await?;
    let email = pending_email(&mut tx, &c.cert.id).await?;
    let now = to_db(state.clock.now());
    store::close_pending(&mut tx, &c.cert.id, LinkStatus::Cancelled, &now).await?;
    events::append(
        &mut tx,
        &state.clock,
        Subject::certificate(&c.cert.id),
        actor,
        "certificate.attestation_cancelled",
        serde_json::json!({ "email": email }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The request waiting for the attester of the caller's own certificate, if one waits.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn pending_of_own(
    state: &AppState,
    user: &CurrentUser,
    certificate_id: &str,
) -> AppResult<Option<PendingRequest>> {
    own_cert(state, user, certificate_id).await?;
    pending(state, certificate_id).await
}

/// The request waiting for its attester, if any and not expired.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn pending(state: &AppState, certificate_id: &str) -> AppResult<Option<PendingRequest>> {
    let now = to_db(state.clock.now());
    let waiting = store::waiting(&state.db.pool, certificate_id, &now).await?;
    Ok(waiting.map(|w| PendingRequest {
        email: w.attester_email,
        sent_at: crate::ui::format::short_time(&w.created_at),
        expires_at: crate::ui::format::short_time(&w.expires_at),
    }))
}

/// A link that can be used: its request and the certificate it is for.
pub(super) struct Request {
    pub(super) id: String,
    pub(super) certificate_id: String,
}

/// The link's request, or why it cannot be used.
pub(super) async fn request(state: &AppState, token: &str) -> AppResult<Result<Request, Closed>> {
    if token.len() > 100 {
        return Ok(Err(Closed::Unknown));
    }
    let Some(r) = store::link(&state.db.pool, &token_hash(token.trim())).await? else {
        return Ok(Err(Closed::Unknown));
    };
    let closed = match r.status {
        LinkStatus::Used => Some(Closed::Used),
        LinkStatus::Cancelled => Some(Closed::Cancelled),
        LinkStatus::Replaced => Some(Closed::Replaced),
        LinkStatus::Pending if r.expires_at <= to_db(state.clock.now()) => Some(Closed::Expired),
        LinkStatus::Pending => None,
    };
    Ok(match closed {
        Some(c) => Err(c),
        None => Ok(Request {
            id: r.id,
            certificate_id: r.certificate_id,
        }),
    })
}

/// The attester's page: what the link attests (and whether it can be attested now), or why
/// the link is closed.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn link(state: &AppState, token: &str) -> AppResult<Link> {
    Ok(match request(state, token).await? {
        Ok(r) => {
            let mut conn = state.db.pool.acquire().await?;
            let c = cert(&mut conn, &r.certificate_id).await?;
            Link::Open(c.target(state.clock.today()))
        }
        Err(closed) => Link::Closed(closed),
    })
}
