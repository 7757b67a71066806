//! The request side of sign-in, for server functions: the session cookie, who is calling, and
//! the guards every server function starts with.

use super::model::CurrentUser;
use super::service::Origin;
use super::session::{self, COOKIE};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use leptos::prelude::use_context;

fn parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// The session token in the request's cookie, if any.
pub fn session_token() -> Option<String> {
    session::token_from_headers(&parts()?.headers)
}

pub fn origin() -> Origin {
    let Some(parts) = parts() else {
        return Origin::default();
    };
    let ip = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string());
    let user_agent = parts
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    Origin { ip, user_agent }
}

fn set_cookie(value: String) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&value),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// The session cookie: HttpOnly, SameSite=Lax, and Secure when the portal is served over TLS.
pub fn set_session_cookie(state: &AppState, token: &str) {
    let attributes = state.config.cookie_attributes();
    set_cookie(format!("{COOKIE}={token}; HttpOnly; {attributes}"));
}

pub fn clear_session_cookie(state: &AppState) {
    let attributes = state.config.cookie_attributes();
    set_cookie(format!("{COOKIE}=; HttpOnly; Max-Age=0; {attributes}"));
}

/// The signed-in user, if the request carries a live session.
pub async fn current_user(state: &AppState) -> AppResult<Option<CurrentUser>> {
    match session_token() {
        Some(token) => Ok(session::lookup(&state.db, &state.clock, &token).await?),
        None => Ok(None),
    }
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
        ip: origin().ip,
    }
}
