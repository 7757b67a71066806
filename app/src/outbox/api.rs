//! The outbox's server functions: thin adapters over the service.

use crate::error::AppError;
use crate::mail::model::{OutboxMessage, OutboxPage};
use leptos::prelude::*;

/// The outbox holds everyone's email: staff only.
#[cfg(feature = "ssr")]
async fn outbox_state() -> Result<crate::state::AppState, AppError> {
    let state = crate::state::AppState::get()?;
    crate::auth::request::require_staff(&state).await?;
    Ok(state)
}

#[server(endpoint = "outbox/list")]
pub async fn list_outbox(page: u32) -> Result<OutboxPage, AppError> {
    crate::error::reply(async move {
        let state = outbox_state().await?;
        crate::mail::service::list(&state.db, &state.config, page).await
    })
    .await
}

#[server(endpoint = "outbox/get")]
pub async fn get_outbox_message(id: String) -> Result<OutboxMessage, AppError> {
    crate::error::reply(async move {
        let state = outbox_state().await?;
        crate::mail::service::get(&state.db, &state.config, &id).await
    })
    .await
}

#[server(endpoint = "outbox/send_test")]
pub async fn send_test_email(email: String) -> Result<(), AppError> {
    use crate::i18n::current_locale;
    use crate::types::{EMAIL_MAX, EmailAddr};

    crate::error::reply(async move {
        let state = outbox_state().await?;
        let locale = current_locale();
        let to = EmailAddr::parse(&email).map_err(|text| {
            AppError::field(
                "email",
                locale.format(text, &[("max", &EMAIL_MAX.to_string())]),
            )
            .keep(&[("email", &email)])
        })?;
        let mail = crate::mail::templates::test_email(&state.config, to.as_str(), locale);
        crate::mail::service::enqueue_alone(&state.db, &state.clock, &state.config.keys, &mail)
            .await?;
        Ok(())
    })
    .await
}
