//! The outbox's server functions: thin adapters over the service.

#[cfg(feature = "ssr")]
use crate::auth::request::serve;
use crate::error::AppError;
use crate::mail::model::{OutboxMessage, OutboxPage};
use leptos::prelude::*;

// The outbox holds everyone's email: staff only.

#[server(endpoint = "outbox/list")]
pub async fn list_outbox(page: u32) -> Result<OutboxPage, AppError> {
    serve(|cx| async move {
        cx.require_staff().await?;
        crate::mail::service::list(&cx.state.db, &cx.state.config, page).await
    })
    .await
}

#[server(endpoint = "outbox/get")]
pub async fn get_outbox_message(id: String) -> Result<OutboxMessage, AppError> {
    serve(|cx| async move {
        cx.require_staff().await?;
        crate::mail::service::get(&cx.state.db, &cx.state.config, &id).await
    })
    .await
}

#[server(endpoint = "outbox/send_test")]
pub async fn send_test_email(email: String) -> Result<(), AppError> {
    use crate::types::{EMAIL_MAX, EmailAddr};

    serve(|cx| async move {
        cx.require_staff().await?;
        let to = EmailAddr::parse(&email).map_err(|text| {
            AppError::field(
                "email",
                crate::i18n::Msg::with(text, &[("max", &EMAIL_MAX.to_string())]),
            )
            .keep(&[("email", &email)])
        })?;
        let mail = crate::mail::templates::test_email(&cx.state.config, to.as_str(), cx.locale);
        crate::mail::service::enqueue_alone(
            &cx.state.db,
            &cx.state.clock,
            &cx.state.config.keys,
            &mail,
        )
        .await?;
        leptos_axum::redirect("/outbox?queued=1");
        Ok(())
    })
    .await
}
