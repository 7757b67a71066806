//! Account administration's server functions.

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
    crate::error::reply(async move {
        let state = crate::state::AppState::get()?;
        let by = crate::auth::request::require_staff(&state).await?;
        let origin = crate::auth::request::origin();
        let actor = crate::events::service::Actor {
            account_id: Some(by.account_id.clone()),
            label: by.display_name.clone(),
            ip: origin.ip,
        };
        let locale = crate::i18n::current_locale();
        let invite = super::service::Invite {
            username: &username,
            email: &email,
            display_name: &display_name,
            role: &role,
        };
        super::service::invite(&state, &by, &actor, locale, invite)
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
            crate::ui::layout::encode_component(username.trim())
        );
        leptos_axum::redirect(&next);
        Ok(())
    })
    .await
}
