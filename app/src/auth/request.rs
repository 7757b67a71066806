//! The request side of sign-in, for server functions: the session cookie, who is calling, and
//! the guards every server function starts with.

use super::model::CurrentUser;
use super::service::Origin;
use super::session::{self, COOKIE};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use leptos::prelude::use_context;

/// The client's address, as the router worked it out (the peer, or what our own proxies say in
/// `X-Forwarded-For`); a request extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub std::net::IpAddr);

fn parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// The session token in the request's cookie, if any.
pub fn session_token(state: &AppState) -> Option<String> {
    session::token_from_headers(&state.config, &parts()?.headers)
}

/// Where a request came from, from its parts.
pub fn origin_of(parts: &http::request::Parts) -> Origin {
    let ip = parts.extensions.get::<ClientIp>().map(|c| c.0);
    let user_agent = parts
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(300).collect());
    Origin { ip, user_agent }
}

pub fn origin() -> Origin {
    parts().map(|p| origin_of(&p)).unwrap_or_default()
}

fn set_cookie(value: String) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&value),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// The session cookie: HttpOnly, SameSite=Lax, and over TLS Secure with the `__Host-` prefix.
pub fn set_session_cookie(state: &AppState, token: &str) {
    let (name, attributes) = (
        state.config.cookie_name(COOKIE),
        state.config.cookie_attributes(),
    );
    set_cookie(format!("{name}={token}; HttpOnly; {attributes}"));
}

pub fn clear_session_cookie(state: &AppState) {
    let (name, attributes) = (
        state.config.cookie_name(COOKIE),
        state.config.cookie_attributes(),
    );
    set_cookie(format!("{name}=; HttpOnly; Max-Age=0; {attributes}"));
}

/// What one request found out about its caller, so the session is looked up once however many
/// server functions a page calls while it renders. The router provides a fresh one per request.
#[derive(Clone, Debug, Default)]
pub struct RequestCache(std::sync::Arc<tokio::sync::Mutex<Option<Seen>>>);

/// A session token, and whom it belonged to when first looked up.
type Seen = (String, Option<CurrentUser>);

/// The signed-in user, if the request carries a live session.
pub async fn current_user(state: &AppState) -> AppResult<Option<CurrentUser>> {
    let Some(token) = session_token(state) else {
        return Ok(None);
    };
    let Some(cache) = use_context::<RequestCache>() else {
        return Ok(session::lookup(&state.db, &state.clock, &token).await?);
    };
    // Held while looking up, so calls at the same moment wait for the first one's answer.
    let mut known = cache.0.lock().await;
    if let Some((seen, user)) = known.as_ref()
        && *seen == token
    {
        return Ok(user.clone());
    }
    let user = session::lookup(&state.db, &state.clock, &token).await?;
    *known = Some((token, user.clone()));
    Ok(user)
}

/// The signed-in user, or `Unauthorized`.
pub async fn require_user(state: &AppState) -> AppResult<CurrentUser> {
    current_user(state).await?.ok_or(AppError::Unauthorized)
}

/// The signed-in user if they are the certification body's staff.
pub async fn require_staff(state: &AppState) -> AppResult<CurrentUser> {
    let user = require_user(state).await?;
    if user.is_staff() {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The signed-in user as the event log records them, with the request's address.
pub fn actor(user: &CurrentUser) -> crate::events::service::Actor {
    crate::events::service::Actor {
        account_id: Some(user.account_id.clone()),
        label: user.display_name.clone(),
        ip: origin().ip.map(|ip| ip.to_string()),
    }
}
