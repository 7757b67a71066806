//! The handler's side of cases: the queue, taking a case and giving it to another handler, the
//! verdict on each required document, and documents put into a case from the person's archive.
//! Staff only (the server functions check it); nobody handles their own case. Every write is
//! one transaction with its event in the case's log.

use super::model::{
    Attachable, COMMENT_MAX, HandlerCase, HandlerChoice, Queue, QueueQuery, QueueRow, Review,
    Taken, Verdict,
};
use super::store;
use crate::auth::model::{CurrentUser, Role};
use crate::clock::to_db;
use crate::db::PersonName;
use crate::error::{AppError, AppResult};
use crate::events::service::{Actor, Reader, Subject, append};
use crate::i18n::{Msg, Named, Text};
use crate::state::AppState;
use serde_json::json;

/// Cases per page of the queue.
pub const QUEUE_PAGE: u32 = crate::types::SEARCH_PAGE;

/// A page of the queue, with how many cases each filter holds for the same scheme and age.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn queue(state: &AppState, user: &CurrentUser, q: &QueueQuery) -> AppResult<Queue> {
    let now = state.clock.now();
    let before = match q.min_age {
        Some(days) => to_db(now - chrono::Duration::days(i64::from(days))),
        None => "9999".to_owned(),
    };
    let pool = &state.db.pool;
    let lines = store::queue(
        pool,
        &user.account_id,
        q,
        &before,
        i64::from(QUEUE_PAGE) + 1,
        crate::types::offset(q.page, QUEUE_PAGE),
    )
    .await?;
    let rows = lines
        .into_iter()
        .map(|l| QueueRow {
            age_days: crate::clock::from_db(&l.queued_at)
                .map_or(0, |at| (now - at).num_days().max(0)),
            name: PersonName::full(&l.person),
            scheme: super::service::names(&l.names).1,
            id: l.id,
            order_no: l.order_no,
            kind: l.kind,
            status: l.status,
            handler: l.handler,
            sent: l.ready_at.is_some(),
            queued_at: l.queued_at,
            unread: l.unread,
        })
        .collect();
    let scheme = q.scheme_id.as_deref().unwrap_or("");
    let counts = store::queue_counts(pool, &user.account_id, scheme, &before).await?;
    let schemes = store::schemes(pool)
        .await?
        .into_iter()
        .map(|s| {
            let en = |en: &str, sv: &str| {
                if en.is_empty() {
                    sv.to_owned()
                } else {
                    en.to_owned()
                }
            };
            let name = Named::new(
                format!("{} - {}", s.technical_area, s.name),
                format!(
                    "{} - {}",
                    en(&s.technical_area_en, &s.technical_area),
                    en(&s.name_en, &s.name)
                ),
            );
            (s.id, name)
        })
        .collect();
    Ok(Queue {
        rows: crate::types::Paged::of(rows, q.page, QUEUE_PAGE),
        counts,
        schemes,
    })
}

/// A case as its handler sees it; `events_page` is the page of its log.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn case(
    state: &AppState,
    user: &CurrentUser,
    case_id: &str,
    events_page: u32,
) -> AppResult<HandlerCase> {
    let db = &state.db;
    let row = store::case(&db.pool, case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let person_id = row.person_id.clone();
    let applied_level = row.level_id.clone();
    let levels = store::levels(&db.pool)
        .await?
        .into_iter()
        .filter(|l| l.scheme_id == row.scheme_id)
        .map(|l| (l.id, Named::new(l.name, l.name_en)))
        .collect();
    let mut conn = db.pool.acquire().await?;
    let handling = store::handling(&mut conn, case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    // One's own application is read on one's own pages, without the staff's comments and log.
    if handling.is_applicant(&user.account_id) {
        return Err(AppError::Forbidden);
    }
    let mut panel = super::service::panel_of(db, row, state.clock.today()).await?;
    panel.upload_max_mb = state.config.upload_max >> 20;
    let handlers = if user.has(Role::BodyAdmin) {
        Some(
            store::handlers(&db.pool)
                .await?
                .into_iter()
                .map(|(id, name)| HandlerChoice { id, name })
                .collect(),
        )
    } else {
        None
    };
    let reviews = store::reviews(&db.pool, case_id)
        .await?
        .into_iter()
        .map(|r| {
            (
                r.requirement_id,
                Review {
                    verdict: r.verdict,
                    comment: r.comment,
                    by: r.by_name,
                    at: r.created_at,
                },
            )
        })
        .collect();
    let attachable = if panel.open() {
        store::attachable(&db.pool, &person_id, case_id)
            .await?
            .into_iter()
            .map(|d| Attachable {
                id: d.id,
                date: crate::ui::format::short_date(&d.uploaded_at),
                name: d.stored_name,
                title: Named::new(d.title, d.title_en),
                order_no: d.order_no,
            })
            .collect()
    } else {
        Vec::new()
    };
    let reader = Reader {
        staff: true,
        owner: false,
    };
    let events =
        crate::events::service::views(state, Subject::case(case_id), reader, events_page, &[])
            .await?;
    Ok(HandlerCase {
        panel,
        person_id,
        mine: handling.handler_id.as_deref() == Some(user.account_id.as_str()),
        handler_id: handling.handler_id,
        handlers,
        reviews,
        attachable,
        events,
        letters: store::letters(&db.pool, case_id)
            .await?
            .into_iter()
            .map(|l| (l.id, l.stored_name, l.doc_type))
            .collect(),
        levels,
        applied_level,
    })
}

/// The case, open, and not the caller's own application.
pub(super) async fn open_for(
    conn: &mut sqlx::AnyConnection,
    user: &CurrentUser,
    case_id: &str,
) -> AppResult<store::Handling> {
    let h = store::handling(conn, case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if h.is_applicant(&user.account_id) {
        return Err(AppError::field("case", Text::CaseOwnNotHandled));
    }
    if h.status == super::model::CaseStatus::Decided {
        return Err(AppError::field("case", Text::CaseDecidedNoChanges));
    }
    Ok(h)
}

/// The case, open, and the caller's to handle: theirs, or (a body administrator) anyone's.
pub(super) async fn handled_by(
    conn: &mut sqlx::AnyConnection,
    user: &CurrentUser,
    case_id: &str,
) -> AppResult<store::Handling> {
    let h = open_for(conn, user, case_id).await?;
    match h.handler_id.as_deref() {
        Some(id) if id == user.account_id || user.has(Role::BodyAdmin) => Ok(h),
        Some(_) => Err(AppError::field(
            "case",
            Msg::with(
                Text::CaseHandledByOther,
                &[("name", h.handler.as_deref().unwrap_or(""))],
            ),
        )),
        None => Err(AppError::field("case", Text::CaseTakeFirst)),
    }
}

/// "Ta ärendet": the case becomes the caller's, unless another handler has it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn take(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    case_id: &str,
) -> AppResult<Taken> {
    let mut tx = state.db.begin().await?;
    let h = open_for(&mut tx, user, case_id).await?;
    match h.handler_id.as_deref() {
        Some(id) if id == user.account_id => return Ok(Taken::AlreadyYours),
        Some(_) => {
            return Ok(Taken::TakenBy {
                name: h.handler.unwrap_or_default(),
            });
        }
        None => {}
    }
    let now = to_db(state.clock.now());
    if !store::set_handler(&mut tx, case_id, &user.account_id, None, &now).await? {
        // Another handler's take committed in between.
        drop(tx);
        let mut conn = state.db.pool.acquire().await?;
        let h = store::handling(&mut conn, case_id)
            .await?
            .ok_or(AppError::NotFound)?;
        return Ok(match h.handler_id {
            Some(id) if id == user.account_id => Taken::AlreadyYours,
            _ => Taken::TakenBy {
                name: h.handler.unwrap_or_default(),
            },
        });
    }
    append(
        &mut tx,
        &state.clock,
        Subject::case(case_id),
        actor,
        "case.taken",
        json!({ "order_no": h.order_no }),
    )
    .await?;
    tx.commit().await?;
    Ok(Taken::Taken)
}

/// A body administrator gives the case to a handler (or takes it from one). False when the
/// handler already had it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn assign(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    case_id: &str,
    handler_id: &str,
) -> AppResult<bool> {
    if !user.has(Role::BodyAdmin) {
        return Err(AppError::Forbidden);
    }
    let handler = store::handlers(&state.db.pool)
        .await?
        .into_iter()
        .find(|(id, _)| id == handler_id)
        .ok_or_else(|| AppError::field("handler_id", Text::CaseChooseHandler))?;
    let mut tx = state.db.begin().await?;
    let h = open_for(&mut tx, user, case_id).await?;
    if h.is_applicant(handler_id) {
        return Err(AppError::field("handler_id", Text::CaseOwnNotHandled));
    }
    if h.handler_id.as_deref() == Some(handler_id) {
        return Ok(false);
    }
    let now = to_db(state.clock.now());
    let from = h.handler_id.as_deref();
    if !store::set_handler(&mut tx, case_id, handler_id, Some(from.unwrap_or("")), &now).await? {
        return Err(AppError::field("case", Text::CaseChangedMeanwhile));
    }
    append(
        &mut tx,
        &state.clock,
        Subject::case(case_id),
        actor,
        "case.assigned",
        json!({ "order_no": h.order_no, "name": handler.1 }),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The handler's verdict on a required document: approved, or a supplement is needed (with
/// what is missing in the comment). The same verdict sent again changes nothing.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn review(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    case_id: &str,
    requirement_id: &str,
    verdict: &str,
    comment: &str,
) -> AppResult<bool> {
    let verdict = Verdict::parse(verdict)
        .ok_or_else(|| AppError::field("verdict", Text::CaseChooseVerdict))?;
    let comment = comment.trim();
    if comment.chars().count() > COMMENT_MAX {
        return Err(AppError::field(
            "comment",
            Msg::with(Text::FieldTooLong, &[("max", &COMMENT_MAX.to_string())]),
        ));
    }
    if verdict == Verdict::Supplement && comment.is_empty() {
        return Err(AppError::field("comment", Text::CaseCommentRequired));
    }
    if !comment.is_empty() && !super::service::readable(comment) {
        return Err(AppError::field("comment", Text::CaseReasonUnreadable));
    }
    let mut tx = state.db.begin().await?;
    let h = handled_by(&mut tx, user, case_id).await?;
    let document = store::case_requirement(&mut tx, case_id, requirement_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = to_db(state.clock.now());
    let written = store::review(
        &mut tx,
        case_id,
        requirement_id,
        verdict,
        comment,
        &user.account_id,
        &now,
    )
    .await?;
    if !written {
        return Ok(false);
    }
    append(
        &mut tx,
        &state.clock,
        Subject::case(case_id),
        actor,
        match verdict {
            Verdict::Approved => "case.document_approved",
            Verdict::Supplement => "case.document_needs_supplement",
        },
        json!({ "order_no": h.order_no, "document": document.name }),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Puts a document from the person's archive into the case for one of its required documents,
/// so the person need not send it again. False when it was there already.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn attach(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    case_id: &str,
    requirement_id: &str,
    document_id: &str,
) -> AppResult<bool> {
    let mut tx = state.db.begin().await?;
    let h = handled_by(&mut tx, user, case_id).await?;
    let requirement = store::case_requirement(&mut tx, case_id, requirement_id)
        .await?
        .ok_or_else(|| AppError::field("requirement_id", Text::CaseChooseRequirement))?;
    // Only what "Från arkivet" offers: the person's own file from another case (a shared one
    // already counts everywhere); another person's document is not found, whatever its id.
    let doc = store::document_facts(&mut tx, document_id)
        .await?
        .filter(|d| {
            d.person_id == h.person_id
                && d.doc_type == "grade"
                && d.shared == 0
                && d.case_id.as_deref() != Some(case_id)
        })
        .ok_or(AppError::NotFound)?;
    let now = to_db(state.clock.now());
    if !store::attach(
        &mut tx,
        case_id,
        requirement_id,
        document_id,
        &user.account_id,
        &now,
    )
    .await?
    {
        return Ok(false);
    }
    append(
        &mut tx,
        &state.clock,
        Subject::case(case_id),
        actor,
        "case.document_attached",
        json!({ "order_no": h.order_no, "document": requirement.name, "file": doc.stored_name }),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Staff may send a file for anyone's open case but their own application.
pub async fn may_upload_for(state: &AppState, user: &CurrentUser, case_id: &str) -> AppResult<()> {
    let mut conn = state.db.pool.acquire().await?;
    let h = store::handling(&mut conn, case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if h.is_applicant(&user.account_id) {
        return Err(AppError::field("file", Text::CaseOwnNotHandled));
    }
    Ok(())
}
