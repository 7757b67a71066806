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
        let actor = crate::auth::request::actor(&by);
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
            crate::ui::format::encode_component(username.trim())
        );
        leptos_axum::redirect(&next);
        Ok(())
    })
    .await
}

#[server(endpoint = "accounts/search")]
pub async fn search_accounts(q: String, page: u32) -> Result<super::model::AccountsPage, AppError> {
    crate::error::reply(async move {
        let state = crate::state::AppState::get()?;
        crate::auth::request::require_staff(&state).await?;
        super::roles::search(&state.db, &q, page).await
    })
    .await
}

#[server(endpoint = "accounts/get")]
pub async fn get_account(id: String) -> Result<super::model::AccountView, AppError> {
    crate::error::reply(async move {
        let state = crate::state::AppState::get()?;
        crate::auth::request::require_staff(&state).await?;
        super::roles::view(&state.db, &id).await
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
    crate::error::reply(async move {
        let state = crate::state::AppState::get()?;
        let by = crate::auth::request::require_staff(&state).await?;
        let locale = crate::i18n::current_locale();
        let (orgnr, pnr) = (orgnr.unwrap_or_default(), pnr.unwrap_or_default());
        let request = super::roles::GrantRequest {
            account_id: &account_id,
            role: &role,
            orgnr: &orgnr,
            pnr: &pnr,
        };
        super::roles::grant(
            &state,
            &by,
            &crate::auth::request::actor(&by),
            locale,
            &request,
        )
        .await
        .map_err(|e| e.keep(&[("role", &role), ("orgnr", &orgnr), ("pnr", &pnr)]))?;
        leptos_axum::redirect(&format!("/staff/accounts/{account_id}?granted=1"));
        Ok(())
    })
    .await
}

#[server(endpoint = "accounts/revoke")]
pub async fn revoke_role(account_id: String, role: String, scope: String) -> Result<(), AppError> {
    crate::error::reply(async move {
        let state = crate::state::AppState::get()?;
        let by = crate::auth::request::require_staff(&state).await?;
        let actor = crate::auth::request::actor(&by);
        super::roles::revoke(&state, &by, &actor, &account_id, &role, &scope).await?;
        leptos_axum::redirect(&format!("/staff/accounts/{account_id}?revoked=1"));
        Ok(())
    })
    .await
}
