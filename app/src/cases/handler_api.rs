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

/// "Begär komplettering": the ticked documents (`requirement_ids[i]`) and the handler's text.
#[server(endpoint = "cases/request_supplement")]
pub async fn request_supplement(
    case_id: String,
    #[server(default)] requirement_ids: Vec<String>,
    supplement_text: String,
) -> Result<(), AppError> {
    use super::model::Requested;
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        let ids: Vec<String> = requirement_ids
            .into_iter()
            .filter(|i| !i.is_empty())
            .collect();
        let ticked = ids.join(",");
        let done = match super::deciding::request_supplement(
            &cx.state,
            &cx.actor(&user),
            &user,
            &case_id,
            &ids,
            &supplement_text,
        )
        .await
        .map_err(|e| e.keep(&[("supplement_text", &supplement_text), ("ticked", &ticked)]))?
        {
            Requested::Requested { .. } => "supplement_requested",
            Requested::AlreadyRequested { .. } => "supplement_already",
        };
        leptos_axum::redirect(&format!("/staff/cases/{case_id}?done={done}"));
        Ok(())
    })
    .await
}

/// "Registrera provresultat": an exam's day, name, result (`passed` or `failed`) and score.
#[server(endpoint = "cases/record_exam")]
pub async fn record_exam(
    case_id: String,
    taken_on: String,
    exam: String,
    #[server(default)] result: String,
    #[server(default)] score: String,
) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        let changed = super::deciding::record_exam(
            &cx.state,
            &cx.actor(&user),
            &user,
            &case_id,
            &taken_on,
            &exam,
            &result,
            &score,
        )
        .await
        .map_err(|e| {
            e.keep(&[
                ("taken_on", &taken_on),
                ("exam", &exam),
                ("result", &result),
                ("score", &score),
            ])
        })?;
        let done = if changed {
            "exam_recorded"
        } else {
            "exam_unchanged"
        };
        leptos_axum::redirect(&format!("/staff/cases/{case_id}?done={done}"));
        Ok(())
    })
    .await
}

/// "Fatta beslut": `decision` approve (with `level_id`, and `plastic_card` and `published`
/// ticked or not) or reject (with its `reason`).
#[server(endpoint = "cases/decide")]
pub async fn decide_case(
    case_id: String,
    #[server(default)] decision: String,
    #[server(default)] level_id: String,
    #[server(default)] plastic_card: String,
    #[server(default)] published: String,
    #[server(default)] reason: String,
    #[server(default)] confirm: String,
) -> Result<(), AppError> {
    use super::deciding::Choice;
    use super::model::Decided;
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        let kept = |e: AppError| {
            e.keep(&[
                ("decision", &decision),
                ("level_id", &level_id),
                ("reason", &reason),
                ("plastic_card", &plastic_card),
                ("published", &published),
            ])
        };
        if confirm.is_empty() {
            return Err(kept(AppError::field(
                "confirm",
                crate::i18n::Text::DecisionConfirmRequired,
            )));
        }
        let choice = match decision.as_str() {
            "approve" => Choice::Approve {
                level_id: &level_id,
                plastic_card: !plastic_card.is_empty(),
                published: !published.is_empty(),
            },
            "reject" => Choice::Reject { reason: &reason },
            _ => {
                return Err(kept(AppError::field(
                    "decision",
                    crate::i18n::Text::DecisionChoose,
                )));
            }
        };
        let decided = super::deciding::decide(&cx.state, &cx.actor(&user), &user, &case_id, choice)
            .await
            .map_err(kept)?;
        let done = match decided {
            Decided::Approved { .. } => "approved",
            Decided::Reported { .. } => "report_approved",
            Decided::Rejected => "rejected",
            Decided::AlreadyDecided { .. } => "already_decided",
        };
        leptos_axum::redirect(&format!("/staff/cases/{case_id}?done={done}"));
        Ok(())
    })
    .await
}
