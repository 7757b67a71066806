//! The handlers' server functions: the queue, a case as its handler sees it, "Ta ärendet",
//! giving a case to a handler, the verdict on a document, and attaching an archived one. Staff
//! only; each write answers by the address it sends the page to, so a form works without
//! JavaScript and says what really happened.

use super::model::{HandlerCase, Queue};
#[cfg(feature = "ssr")]
use crate::auth::request::serve;
use crate::error::AppError;
use leptos::prelude::*;

/// "Ärenden": `filter` (waiting, mine, answered, with_applicant, open, decided), a scheme's id
/// or all, a minimum age in days or any, a page.
#[server(endpoint = "cases/queue")]
pub async fn case_queue(
    filter: String,
    scheme_id: String,
    min_age: String,
    page: u32,
) -> Result<Queue, AppError> {
    use super::model::{QUEUE_AGES, QueueFilter, QueueQuery};
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        let q = QueueQuery {
            filter: QueueFilter::parse(&filter).unwrap_or(QueueFilter::Waiting),
            scheme_id: (!scheme_id.is_empty()).then_some(scheme_id),
            min_age: min_age.parse().ok().filter(|d| QUEUE_AGES.contains(d)),
            page: page.max(1),
        };
        super::handling::queue(&cx.state, &user, &q).await
    })
    .await
}

/// A case as its handler sees it, with a page of its log.
#[server(endpoint = "cases/handle")]
pub async fn case_for_handler(id: String, events_page: u32) -> Result<HandlerCase, AppError> {
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        super::handling::case(&cx.state, &user, &id, events_page.max(1)).await
    })
    .await
}

/// "Ta ärendet": the page says whether this took it, it was already the caller's, or another
/// handler was first.
#[server(endpoint = "cases/take")]
pub async fn take_case(case_id: String) -> Result<(), AppError> {
    use super::model::Taken;
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        let done = match super::handling::take(&cx.state, &cx.actor(&user), &user, &case_id).await?
        {
            Taken::Taken => "taken",
            Taken::AlreadyYours => "already_yours",
            Taken::TakenBy { .. } => "taken_by_other",
        };
        leptos_axum::redirect(&format!("/staff/cases/{case_id}?done={done}"));
        Ok(())
    })
    .await
}

/// "Tilldela": a body administrator gives the case to a handler.
#[server(endpoint = "cases/assign")]
pub async fn assign_case(case_id: String, handler_id: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        let changed =
            super::handling::assign(&cx.state, &cx.actor(&user), &user, &case_id, &handler_id)
                .await?;
        let done = if changed {
            "assigned"
        } else {
            "already_assigned"
        };
        leptos_axum::redirect(&format!("/staff/cases/{case_id}?done={done}"));
        Ok(())
    })
    .await
}

/// "Spara" on a document's verdict ("Godkänd", "Behöver komplettering") and comment.
#[server(endpoint = "cases/review")]
pub async fn review_document(
    case_id: String,
    requirement_id: String,
    #[server(default)] verdict: String,
    comment: String,
) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        let changed = super::handling::review(
            &cx.state,
            &cx.actor(&user),
            &user,
            &case_id,
            &requirement_id,
            &verdict,
            &comment,
        )
        .await
        .map_err(|e| {
            e.keep(&[
                ("comment", &comment),
                ("requirement_id", &requirement_id),
                ("verdict", &verdict),
            ])
        })?;
        let done = if changed {
            "reviewed"
        } else {
            "review_unchanged"
        };
        leptos_axum::redirect(&format!(
            "/staff/cases/{case_id}?done={done}#review-{requirement_id}"
        ));
        Ok(())
    })
    .await
}

/// "Lägg till i ärendet": a document from the person's archive answers a required document.
#[server(endpoint = "cases/attach")]
pub async fn attach_document(
    case_id: String,
    #[server(default)] requirement_id: String,
    document_id: String,
) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        let changed = super::handling::attach(
            &cx.state,
            &cx.actor(&user),
            &user,
            &case_id,
            &requirement_id,
            &document_id,
        )
        .await
        .map_err(|e| e.keep(&[("document_id", &document_id)]))?;
        let done = if changed {
            "attached"
        } else {
            "already_attached"
        };
        leptos_axum::redirect(&format!("/staff/cases/{case_id}?done={done}"));
        Ok(())
    })
    .await
}
