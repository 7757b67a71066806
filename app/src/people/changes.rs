//! The changes a person asks for on "Din adress": a draft they preview, sent to the handlers,
//! approved or rejected by one of them. Re-exported from `service.rs`.

use super::model::{ChangeRequest, ChangeStatus, PersonDetails};
use super::service::{check_details, of_account, pnr_display};
use super::store;
use crate::auth::model::CurrentUser;
use crate::clock::to_db;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::events::service::{self as events, Actor, Subject};
use crate::i18n::{Msg, Text};
use crate::messages::model::Notice;
use crate::state::AppState;
use sqlx::AnyConnection;

/// A change request from its row, its details read from their JSON.
fn change_request(r: store::Change) -> AppResult<ChangeRequest> {
    let previous: PersonDetails = serde_json::from_str(&r.previous).map_err(AppError::internal)?;
    let proposed: PersonDetails = serde_json::from_str(&r.proposed).map_err(AppError::internal)?;
    Ok(ChangeRequest {
        person_name: r.person_name(),
        pnr: pnr_display(&r.pnr),
        id: r.id,
        person_id: r.person_id,
        status: r.status,
        previous,
        proposed,
        submitted_at: r.submitted_at,
        decided_at: r.decided_at,
        decided_by: r.decided_label,
        reason: r.reason,
    })
}

fn change_requests(rows: Vec<store::Change>) -> AppResult<Vec<ChangeRequest>> {
    rows.into_iter().map(change_request).collect()
}

/// All of a person's change requests, drafts too, newest first.
pub(super) async fn all_of(db: &Db, person_id: &str) -> AppResult<Vec<ChangeRequest>> {
    change_requests(store::changes_of(&db.pool, person_id).await?)
}

/// A person's change requests that were sent, newest first.
pub(super) async fn sent_of(db: &Db, person_id: &str) -> AppResult<Vec<ChangeRequest>> {
    change_requests(store::sent_changes_of(&db.pool, person_id).await?)
}

async fn details_of(conn: &mut AnyConnection, id: &str) -> AppResult<PersonDetails> {
    Ok(store::person(conn, id).await?.details)
}

/// "Fortsätt": checks the changed details and keeps them as a draft to preview. Nothing
/// changes for the person yet.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn draft_change(
    state: &AppState,
    user: &CurrentUser,
    raw: &PersonDetails,
) -> AppResult<String> {
    let proposed = check_details(raw).map_err(AppError::Validation)?;
    let mut tx = state.db.begin().await?;
    let (person_id, _, current) = of_account(&mut tx, &user.account_id)
        .await?
        .ok_or(AppError::Forbidden)?;
    if proposed.changed_from(&current).is_empty() {
        return Err(AppError::field("first_name", Text::ChangeNothingChanged));
    }
    // One draft at a time: a new "Fortsätt" replaces the one before.
    store::delete_drafts(&mut tx, &person_id).await?;
    let id = uuid::Uuid::now_v7().to_string();
    let previous = serde_json::to_string(&current).map_err(AppError::internal)?;
    let proposed = serde_json::to_string(&proposed).map_err(AppError::internal)?;
    let draft = store::Draft {
        id: &id,
        person_id: &person_id,
        previous: &previous,
        proposed: &proposed,
        requested_by: &user.account_id,
        now: &to_db(state.clock.now()),
    };
    store::insert_draft(&mut tx, &draft).await?;
    tx.commit().await?;
    Ok(id)
}

/// "Spara": sends the previewed draft to the handlers. A change still waiting is replaced by
/// the new one, so a handler only ever decides the latest.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn submit_change(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    id: &str,
) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    let (person_id, _, _) = of_account(&mut tx, &user.account_id)
        .await?
        .ok_or(AppError::Forbidden)?;
    let proposed = store::draft_proposed(&mut tx, id, &person_id).await?;
    let proposed: PersonDetails =
        serde_json::from_str(&proposed.ok_or(AppError::NotFound)?).map_err(AppError::internal)?;
    let current = details_of(&mut tx, &person_id).await?;
    let now = to_db(state.clock.now());
    store::withdraw_pending(&mut tx, &person_id, &now).await?;
    let previous = serde_json::to_string(&current).map_err(AppError::internal)?;
    store::submit(&mut tx, id, &now, &previous).await?;
    events::append(
        &mut tx,
        &state.clock,
        Subject::person(&person_id),
        actor,
        "person.change_requested",
        serde_json::json!({ "fields": proposed.changed_from(&current) }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Changes waiting for a handler, oldest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn pending(db: &Db) -> AppResult<Vec<ChangeRequest>> {
    let mut all = change_requests(store::changes_in(&db.pool, ChangeStatus::Pending).await?)?;
    all.reverse();
    Ok(all)
}

/// A handler approves (the person's details become the proposed ones) or rejects (a reason is
/// required) a pending change. Either way the person is told, in the portal and by email.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    id: &str,
    approve: bool,
    reason: &str,
) -> AppResult<()> {
    let reason = reason.trim();
    if !approve && reason.is_empty() {
        return Err(AppError::field("reason", Text::FieldReasonRequired));
    }
    if reason.chars().count() > 1000 {
        return Err(AppError::field(
            "reason",
            Msg::with(Text::FieldTooLong, &[("max", "1000")]),
        ));
    }
    let (db, clock) = (&state.db, &state.clock);
    let mut tx = db.begin().await?;
    let row = store::to_decide(&mut tx, id).await?;
    let person_id = row.person_id;
    // Nobody decides their own request: a handler's own details wait for another handler.
    let own = |account: &Option<String>| account.is_some() && *account == actor.account_id;
    if own(&row.requested_by) || own(&row.account_id) {
        return Err(AppError::Forbidden);
    }
    match row.status {
        ChangeStatus::Pending => {}
        ChangeStatus::Draft => return Err(AppError::NotFound),
        _ => return Err(AppError::Conflict),
    }
    let proposed: PersonDetails =
        serde_json::from_str(&row.proposed).map_err(AppError::internal)?;
    let current = details_of(&mut tx, &person_id).await?;
    let now = to_db(clock.now());
    let decision = store::Decision {
        status: if approve {
            ChangeStatus::Approved
        } else {
            ChangeStatus::Rejected
        },
        by: actor.account_id.as_deref(),
        label: &actor.label,
        at: &now,
        reason: (!reason.is_empty()).then_some(reason),
    };
    if !store::decide_change(&mut tx, id, &decision).await? {
        return Err(AppError::Conflict);
    }
    let fields = proposed.changed_from(&current);
    if approve {
        let pnr = store::pnr(&mut tx, &person_id).await?;
        store::write(&mut tx, &now, &person_id, &pnr, &proposed, false).await?;
    }
    let (action, details) = if approve {
        (
            "person.change_approved",
            serde_json::json!({ "fields": fields }),
        )
    } else {
        (
            "person.change_rejected",
            serde_json::json!({ "fields": fields, "reason": reason }),
        )
    };
    events::append(
        &mut tx,
        clock,
        Subject::person(&person_id),
        actor,
        action,
        details,
    )
    .await?;
    // The person hears it in their own language.
    let notice = if approve {
        Notice::ChangeApproved
    } else {
        Notice::ChangeRejected {
            reason: reason.to_owned(),
        }
    };
    // Put into words by the job, where the person's cases are known: an "Uppgiftsändring"
    // message of their latest case, or (without a case) a message on their own pages.
    let answer = ChangeAnswered { person_id, notice };
    crate::jobs::service::enqueue(&mut tx, clock, CHANGE_ANSWERED_JOB, &answer).await?;
    tx.commit().await?;
    Ok(())
}

/// The job that tells a person the answer to their change of details.
pub const CHANGE_ANSWERED_JOB: &str = "people.change_answered";

/// What [`CHANGE_ANSWERED_JOB`] carries.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct ChangeAnswered {
    pub person_id: String,
    pub notice: Notice,
}
