//! Sign-in's server functions.

use super::model::CurrentUser;
#[cfg(feature = "ssr")]
use super::request::serve;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "auth/me")]
pub async fn whoami() -> Result<Option<CurrentUser>, AppError> {
    serve(|cx| async move { cx.user().await }).await
}

/// Signs in, and goes on to `next` (a page of this portal the user was sent from) or home.
#[server(endpoint = "auth/login")]
pub async fn login(
    username: String,
    password: String,
    #[server(default)] next: Option<String>,
) -> Result<(), AppError> {
    serve(|cx| async move {
        let (user, token) = super::service::login(
            &cx.state.db,
            &cx.state.clock,
            cx.locale,
            &username,
            &password,
            &cx.origin,
        )
        .await
        .map_err(|e| e.keep(&[("username", &username)]))?;
        super::request::set_session_cookie(&cx.state, &token);
        let next = next.and_then(|n| cx.state.config.local_path(&n));
        leptos_axum::redirect(next.as_deref().unwrap_or(user.home()));
        Ok(())
    })
    .await
}

#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    serve(|cx| async move {
        if let Some(token) = cx.session_token() {
            super::session::delete(&cx.state.db, token).await?;
        }
        super::request::clear_session_cookie(&cx.state);
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

#[server(endpoint = "auth/logout_everywhere")]
pub async fn logout_everywhere() -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        super::service::sign_out_everywhere(&cx.state.db, &cx.state.clock, &user, &cx.origin)
            .await?;
        super::request::clear_session_cookie(&cx.state);
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
    serve(|cx| async move {
        let user = cx.require_user().await?;
        let token = cx.session_token().ok_or(AppError::Unauthorized)?;
        super::service::change_password(
            &cx.state.db,
            &cx.state.clock,
            &user,
            token,
            super::service::PasswordChange {
                current: &current,
                new: &new,
                confirm: &confirm,
            },
            &cx.origin,
        )
        .await?;
        leptos_axum::redirect("/account?changed=1");
        Ok(())
    })
    .await
}

#[server(endpoint = "auth/forgot")]
pub async fn forgot_password(username: String) -> Result<(), AppError> {
    serve(|cx| async move {
        super::service::request_reset(
            &cx.state.db,
            &cx.state.clock,
            &cx.state.config,
            cx.locale,
            &username,
            &cx.origin,
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
    serve(|cx| async move {
        super::service::reset_password(
            &cx.state.db,
            &cx.state.clock,
            &token,
            &new,
            &confirm,
            &cx.origin,
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
    serve(|cx| async move {
        cx.require_staff().await?;
        let kind = kind.as_deref().and_then(super::audit::Kind::parse);
        let page = page.unwrap_or(1).max(1);
        let (items, has_next) = super::audit::list(&cx.state.db, kind, page, 50).await?;
        Ok(crate::types::Paged {
            items,
            page,
            has_next,
        })
    })
    .await
}
