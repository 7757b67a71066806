//! Sign-in's server functions.

use super::model::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "auth/me")]
pub async fn whoami() -> Result<Option<CurrentUser>, AppError> {
    crate::error::reply(async move {
        let state = crate::state::AppState::get()?;
        super::request::current_user(&state).await
    })
    .await
}

/// Signs in, and goes on to `next` (a page of this portal the user was sent from) or home.
#[server(endpoint = "auth/login")]
pub async fn login(
    username: String,
    password: String,
    #[server(default)] next: Option<String>,
) -> Result<(), AppError> {
    crate::error::reply(async move {
        let state = crate::state::AppState::get()?;
        let locale = crate::i18n::current_locale();
        let origin = super::request::origin();
        let (user, token) = super::service::login(
            &state.db,
            &state.clock,
            locale,
            &username,
            &password,
            &origin,
        )
        .await
        .map_err(|e| e.keep(&[("username", &username)]))?;
        super::request::set_session_cookie(&state, &token);
        let next = next.and_then(|n| state.config.local_path(&n));
        leptos_axum::redirect(next.as_deref().unwrap_or(user.home()));
        Ok(())
    })
    .await
}

#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::error::reply(async move {
        let state = crate::state::AppState::get()?;
        if let Some(token) = super::request::session_token(&state) {
            super::session::delete(&state.db, &token).await?;
        }
        super::request::clear_session_cookie(&state);
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

#[server(endpoint = "auth/logout_everywhere")]
pub async fn logout_everywhere() -> Result<(), AppError> {
    crate::error::reply(async move {
        let state = crate::state::AppState::get()?;
        let user = super::request::require_user(&state).await?;
        let origin = super::request::origin();
        super::service::sign_out_everywhere(&state.db, &state.clock, &user, &origin).await?;
        super::request::clear_session_cookie(&state);
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

#[server(endpoint = "auth/change_password")]
pub async fn change_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    crate::error::reply(async move {
        let state = crate::state::AppState::get()?;
        let user = super::request::require_user(&state).await?;
        let token = super::request::session_token(&state).ok_or(AppError::Unauthorized)?;
        let locale = crate::i18n::current_locale();
        super::service::change_password(
            &state.db,
            &state.clock,
            locale,
            &user,
            &token,
            super::service::PasswordChange {
                current: &current,
                new: &new,
                confirm: &confirm,
            },
            &super::request::origin(),
        )
        .await
    })
    .await
}

#[server(endpoint = "auth/forgot")]
pub async fn forgot_password(username: String) -> Result<(), AppError> {
    crate::error::reply(async move {
        let state = crate::state::AppState::get()?;
        let locale = crate::i18n::current_locale();
        let origin = super::request::origin();
        super::service::request_reset(
            &state.db,
            &state.clock,
            &state.config,
            locale,
            &username,
            &origin,
        )
        .await
        .map_err(|e| e.keep(&[("username", &username)]))?;
        // A page of its own, so the notice shows with and without JavaScript.
        leptos_axum::redirect("/forgot-password?sent=1");
        Ok(())
    })
    .await
}

#[server(endpoint = "auth/reset")]
pub async fn reset_password(token: String, new: String, confirm: String) -> Result<(), AppError> {
    crate::error::reply(async move {
        let state = crate::state::AppState::get()?;
        let locale = crate::i18n::current_locale();
        let origin = super::request::origin();
        super::service::reset_password(
            &state.db,
            &state.clock,
            locale,
            &token,
            &new,
            &confirm,
            &origin,
        )
        .await?;
        leptos_axum::redirect("/login?reset=1");
        Ok(())
    })
    .await
}

/// The security log, newest first, for staff; `kind` narrows it to one kind of event.
#[server(endpoint = "auth/security_events")]
pub async fn security_events(
    kind: Option<String>,
    page: Option<u32>,
) -> Result<crate::types::Paged<super::model::SecurityEvent>, AppError> {
    crate::error::reply(async move {
        let state = crate::state::AppState::get()?;
        super::request::require_staff(&state).await?;
        let kind = kind.as_deref().and_then(super::audit::Kind::parse);
        let page = page.unwrap_or(1).max(1);
        let (items, has_next) = super::audit::list(&state.db, kind, page, 50).await?;
        Ok(crate::types::Paged {
            items,
            page,
            has_next,
        })
    })
    .await
}
