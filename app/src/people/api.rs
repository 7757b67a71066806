//! People's server functions: "Din adress" and its change requests, messages, and the staff's
//! search, register and decisions.
// A form's fields are its server function's arguments, one each.
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
use super::model::PersonDetails;
use super::model::{AddressView, ChangeRequest, Message, PeoplePage, PersonView};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{auth::request as req, state::AppState};

/// "Din adress" of the signed-in person; `None` when their account has no person. `draft`
/// names a change being previewed.
#[server(endpoint = "people/address")]
pub async fn my_address(draft: Option<String>) -> Result<Option<AddressView>, AppError> {
    crate::error::reply(async move {
        let state = AppState::get()?;
        let user = req::require_user(&state).await?;
        let locale = crate::i18n::current_locale();
        super::service::address(&state, &user, draft.as_deref(), locale).await
    })
    .await
}

/// "Fortsätt": checks the changed details and shows them for review.
#[server(endpoint = "people/draft_change")]
pub async fn draft_change(
    first_name: String,
    middle_name: String,
    last_name: String,
    address: String,
    postal_code: String,
    city: String,
    phone: String,
    mobile: String,
    email: String,
    communication: Option<String>,
) -> Result<(), AppError> {
    crate::error::reply(async move {
        let state = AppState::get()?;
        let user = req::require_user(&state).await?;
        let locale = crate::i18n::current_locale();
        let raw = PersonDetails {
            first_name,
            middle_name,
            last_name,
            address,
            postal_code,
            city,
            phone,
            mobile,
            email,
            communication: communication.unwrap_or_default(),
        };
        let id = super::service::draft_change(&state, &user, locale, &raw)
            .await
            .map_err(|e| super::service::keep(e, &super::service::kept(&raw)))?;
        leptos_axum::redirect(&format!("/my/address?draft={id}"));
        Ok(())
    })
    .await
}

/// "Spara": sends the previewed change to a handler.
#[server(endpoint = "people/submit_change")]
pub async fn submit_change(id: String) -> Result<(), AppError> {
    crate::error::reply(async move {
        let state = AppState::get()?;
        let user = req::require_user(&state).await?;
        super::service::submit_change(&state, &user, &req::actor(&user), &id).await?;
        leptos_axum::redirect("/my/address?sent=1");
        Ok(())
    })
    .await
}

#[server(endpoint = "people/messages")]
pub async fn my_messages() -> Result<Vec<Message>, AppError> {
    crate::error::reply(async move {
        let state = AppState::get()?;
        let user = req::require_user(&state).await?;
        super::service::messages(&state.db, &user.account_id).await
    })
    .await
}

#[server(endpoint = "people/search")]
pub async fn search_people(q: String, page: u32) -> Result<PeoplePage, AppError> {
    crate::error::reply(async move {
        let state = AppState::get()?;
        req::require_staff(&state).await?;
        super::service::search(&state.db, &q, page).await
    })
    .await
}

#[server(endpoint = "people/create")]
pub async fn create_person(
    pnr: String,
    first_name: String,
    middle_name: String,
    last_name: String,
    address: String,
    postal_code: String,
    city: String,
    phone: String,
    mobile: String,
    email: String,
    communication: Option<String>,
) -> Result<(), AppError> {
    crate::error::reply(async move {
        let state = AppState::get()?;
        let user = req::require_staff(&state).await?;
        let locale = crate::i18n::current_locale();
        let raw = PersonDetails {
            first_name,
            middle_name,
            last_name,
            address,
            postal_code,
            city,
            phone,
            mobile,
            email,
            communication: communication.unwrap_or_default(),
        };
        let id = super::service::create(&state, &req::actor(&user), locale, &pnr, &raw)
            .await
            .map_err(|e| {
                let mut kept = super::service::kept(&raw);
                kept.push(("pnr", pnr.clone()));
                super::service::keep(e, &kept)
            })?;
        leptos_axum::redirect(&format!("/staff/people/{id}?created=1"));
        Ok(())
    })
    .await
}

/// A person's page for staff; the reading is logged on the person.
#[server(endpoint = "people/get")]
pub async fn get_person(id: String) -> Result<PersonView, AppError> {
    crate::error::reply(async move {
        let state = AppState::get()?;
        let user = req::require_staff(&state).await?;
        let locale = crate::i18n::current_locale();
        super::service::view(&state, &req::actor(&user), &id, locale).await
    })
    .await
}

#[server(endpoint = "people/pending_changes")]
pub async fn pending_changes() -> Result<Vec<ChangeRequest>, AppError> {
    crate::error::reply(async move {
        let state = AppState::get()?;
        req::require_staff(&state).await?;
        super::service::pending(&state.db).await
    })
    .await
}

/// A handler approves (`decision=approve`) or rejects (`decision=reject`, with a reason).
#[server(endpoint = "people/decide_change")]
pub async fn decide_change(
    id: String,
    decision: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    crate::error::reply(async move {
        let state = AppState::get()?;
        let user = req::require_staff(&state).await?;
        let locale = crate::i18n::current_locale();
        let approve = match decision.as_str() {
            "approve" => true,
            "reject" => false,
            _ => return Err(AppError::field("decision", "approve | reject")),
        };
        let reason = reason.unwrap_or_default();
        super::service::decide(&state, &req::actor(&user), locale, &id, approve, &reason)
            .await
            .map_err(|e| e.keep(&[("reason", &reason), ("id", &id)]))?;
        leptos_axum::redirect(&format!("/staff/changes?decided={decision}"));
        Ok(())
    })
    .await
}

/// The signed-in person's employments ("Anställningar").
#[server(endpoint = "people/employments")]
pub async fn my_employments() -> Result<Vec<super::model::Employment>, AppError> {
    crate::error::reply(async move {
        let state = AppState::get()?;
        let user = req::require_user(&state).await?;
        let mut conn = state.db.pool.acquire().await?;
        let person = super::service::of_account(&mut conn, &user.account_id).await?;
        drop(conn);
        match person {
            Some((id, _, _)) => super::service::employments(&state.db, &id).await,
            None => Ok(Vec::new()),
        }
    })
    .await
}
