//! People's server functions: "Din adress" and its change requests, messages, and the staff's
//! search, register and decisions.
// A form's fields are its server function's arguments, one each.
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
use super::model::PersonDetails;
use super::model::{
    AddressView, ChangeRequest, Employment, EmploymentDecision, EmploymentInvite, PeoplePage,
    PersonView,
};
#[cfg(feature = "ssr")]
use crate::auth::request::serve;
use crate::error::AppError;
use crate::messages::model::Message;
use crate::types::Paged;
use leptos::prelude::*;

/// "Din adress" of the signed-in person; `None` when their account has no person. `draft`
/// names a change being previewed.
#[server(endpoint = "people/address")]
pub async fn my_address(
    draft: Option<String>,
    events_page: Option<u32>,
) -> Result<Option<AddressView>, AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        let page = events_page.unwrap_or(1);
        super::service::address(&cx.state, &user, draft.as_deref(), page).await
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
    serve(|cx| async move {
        let user = cx.require_user().await?;
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
        let id = super::service::draft_change(&cx.state, &user, &raw)
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
    serve(|cx| async move {
        let user = cx.require_user().await?;
        super::service::submit_change(&cx.state, &user, &cx.actor(&user), &id).await?;
        leptos_axum::redirect("/my/address?sent=1");
        Ok(())
    })
    .await
}

/// The signed-in account's messages, newest first, in the language it reads.
#[server(endpoint = "people/messages")]
pub async fn my_messages(page: Option<u32>) -> Result<Paged<Message>, AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        let page = page.unwrap_or(1).max(1);
        let (items, has_next) =
            crate::messages::service::list(&cx.state.db, &user.account_id, page, 25).await?;
        Ok(Paged {
            items,
            page,
            has_next,
        })
    })
    .await
}

#[server(endpoint = "people/search")]
pub async fn search_people(q: String, page: u32) -> Result<PeoplePage, AppError> {
    serve(|cx| async move {
        cx.require_staff().await?;
        super::service::search(&cx.state.db, &q, page).await
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
    serve(|cx| async move {
        let user = cx.require_staff().await?;
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
        let id = super::service::create(&cx.state, &cx.actor(&user), &pnr, &raw)
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
pub async fn get_person(id: String, events_page: Option<u32>) -> Result<PersonView, AppError> {
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        let page = events_page.unwrap_or(1);
        super::service::view(&cx.state, &cx.actor(&user), &id, page).await
    })
    .await
}

#[server(endpoint = "people/pending_changes")]
pub async fn pending_changes() -> Result<Vec<ChangeRequest>, AppError> {
    serve(|cx| async move {
        cx.require_staff().await?;
        super::service::pending(&cx.state.db).await
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
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        let approve = match decision.as_str() {
            "approve" => true,
            "reject" => false,
            _ => {
                return Err(AppError::field(
                    "decision",
                    crate::i18n::Text::FieldChoiceInvalid,
                ));
            }
        };
        let reason = reason.unwrap_or_default();
        super::service::decide(&cx.state, &cx.actor(&user), &id, approve, &reason)
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
    serve(|cx| async move {
        let user = cx.require_user().await?;
        let mut conn = cx.state.db.pool.acquire().await?;
        let person = super::service::of_account(&mut conn, &user.account_id).await?;
        drop(conn);
        match person {
            Some((id, _, _)) => super::service::employments(&cx.state.db, &id).await,
            None => Ok(Vec::new()),
        }
    })
    .await
}

/// The person confirms (`decision=confirm`) or declines (`decision=decline`) an employment a
/// company added; a handler may too, for anyone but themselves.
#[server(endpoint = "people/decide_employment")]
pub async fn decide_employment(id: String, decision: String) -> Result<(), AppError> {
    serve(|cx| async move {
        use super::service::Decider;
        let user = cx.require_user().await?;
        let confirm = parse_decision(&decision)?;
        let mut conn = cx.state.db.pool.acquire().await?;
        let own = super::service::of_account(&mut conn, &user.account_id).await?;
        drop(conn);
        let person = super::service::person_of_employment(&cx.state.db, &id).await?;
        let mine = own.is_some_and(|(p, _, _)| Some(p) == person);
        let by = if mine {
            Decider::Person(&user)
        } else if user.is_staff() {
            Decider::Staff(&user)
        } else {
            return Err(AppError::NotFound);
        };
        let outcome =
            super::service::decide_employment(&cx.state, &cx.actor(&user), &id, confirm, by)
                .await?;
        let back = if mine {
            "/my/employments"
        } else {
            "/staff/changes"
        };
        leptos_axum::redirect(&format!("{back}?employment={}", decision_code(outcome)));
        Ok(())
    })
    .await
}

#[cfg(feature = "ssr")]
fn parse_decision(decision: &str) -> Result<bool, AppError> {
    match decision {
        "confirm" => Ok(true),
        "decline" => Ok(false),
        _ => Err(AppError::field(
            "decision",
            crate::i18n::Text::FieldChoiceInvalid,
        )),
    }
}

/// How a decision's outcome travels in the address of the page that says it.
pub fn decision_code(d: EmploymentDecision) -> &'static str {
    match d {
        EmploymentDecision::Confirmed => "confirmed",
        EmploymentDecision::Declined => "declined",
        EmploymentDecision::AlreadyDecided(_) => "already",
        EmploymentDecision::Withdrawn => "withdrawn",
    }
}

/// Employments waiting for a handler's confirmation, a page at a time.
#[server(endpoint = "people/pending_employments")]
pub async fn pending_employments(page: Option<u32>) -> Result<Paged<Employment>, AppError> {
    serve(|cx| async move {
        cx.require_staff().await?;
        super::service::pending_employments(&cx.state.db, page.unwrap_or(1)).await
    })
    .await
}

/// The emailed link to confirm an employment: what it is about, or that it no longer works.
#[server(endpoint = "people/employment_link")]
pub async fn employment_link(token: String) -> Result<EmploymentInvite, AppError> {
    serve(|cx| async move { super::service::employment_link(&cx.state, &token).await }).await
}

/// Confirms or declines through the emailed link.
#[server(endpoint = "people/decide_employment_link")]
pub async fn decide_employment_link(token: String, decision: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let confirm = parse_decision(&decision)?;
        let outcome =
            super::service::decide_by_link(&cx.state, &cx.origin, &token, confirm).await?;
        leptos_axum::redirect(&format!(
            "/employment/{}?done={}",
            token.trim(),
            decision_code(outcome)
        ));
        Ok(())
    })
    .await
}
