//! A person's employments: the ones a company admin added wait for the person (signed in, or
//! through an emailed link) or a handler to confirm them. Re-exported from `service.rs`.

use super::model::{Employment, EmploymentDecision, EmploymentInvite, EmploymentStatus, PAGE_SIZE};
use super::service::pnr_display;
use super::store::{self, EmploymentRow};
use crate::auth::model::CurrentUser;
use crate::clock::to_db;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::events::service::{self as events, Actor, Subject};
use crate::state::AppState;
use crate::types::Paged;
use sqlx::AnyConnection;

/// An employment as a row shows it. Until the person confirms it, the name is the one the
/// company typed, never the register's.
impl From<EmploymentRow> for Employment {
    fn from(r: EmploymentRow) -> Employment {
        let person_name = match r.status {
            EmploymentStatus::Confirmed => r.real_name(),
            _ => r.claimed_name,
        };
        Employment {
            id: r.id,
            company_id: r.company_id,
            company_name: r.company_name,
            person_id: r.person_id,
            person_name,
            pnr: pnr_display(&r.pnr),
            position: r.position,
            start_date: r.start_date.to_string(),
            end_date: r.end_date.map(|d| d.to_string()),
            status: r.status,
        }
    }
}

/// A person's employments, pending ones first, then current ones.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn employments(db: &Db, person_id: &str) -> AppResult<Vec<Employment>> {
    let rows = store::employments_of(&db.pool, person_id).await?;
    Ok(rows.into_iter().map(Employment::from).collect())
}

/// The person an employment is of; `None` when there is no such employment.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn person_of_employment(db: &Db, id: &str) -> AppResult<Option<String>> {
    Ok(store::employment_person(&db.pool, id).await?)
}

/// Who decides an employment.
pub enum Decider<'a> {
    /// The person themselves, signed in.
    Person(&'a CurrentUser),
    /// Through the emailed link.
    Link,
    /// A handler (never for their own employment).
    Staff(&'a CurrentUser),
}

/// The person (or a handler) confirms or declines an employment a company admin added. Only a
/// pending one changes; asking again answers what was decided before.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn decide_employment(
    state: &AppState,
    actor: &Actor,
    id: &str,
    confirm: bool,
    by: Decider<'_>,
) -> AppResult<EmploymentDecision> {
    let mut tx = state.db.begin().await?;
    let store::OwnedEmployment {
        employment: r,
        account_id: owner,
    } = store::owned_employment(&mut tx, id).await?;
    match by {
        Decider::Person(user) if owner.as_deref() != Some(user.account_id.as_str()) => {
            return Err(AppError::NotFound);
        }
        Decider::Staff(user)
            if !user.is_staff() || owner.as_deref() == Some(user.account_id.as_str()) =>
        {
            return Err(AppError::Forbidden);
        }
        _ => {}
    }
    let real_name = r.real_name();
    let e = Employment::from(r);
    let status = if confirm {
        EmploymentStatus::Confirmed
    } else {
        EmploymentStatus::Declined
    };
    if e.status == EmploymentStatus::Pending && e.end_date.is_some() {
        return Ok(EmploymentDecision::Withdrawn);
    }
    let now = to_db(state.clock.now());
    if !store::decide_employment(&mut tx, id, status, &now, &actor.label).await? {
        return Ok(EmploymentDecision::AlreadyDecided(e.status));
    }
    let (company_action, person_action) = if confirm {
        (
            "company.employment_confirmed",
            "person.employment_confirmed",
        )
    } else {
        ("company.employment_declined", "person.employment_declined")
    };
    // The company learns the name only when the person confirms.
    let name = if confirm {
        real_name
    } else {
        e.person_name.clone()
    };
    events::append(
        &mut tx,
        &state.clock,
        crate::events::service::Subject::company(&e.company_id),
        actor,
        company_action,
        serde_json::json!({ "name": name }),
    )
    .await?;
    events::append(
        &mut tx,
        &state.clock,
        Subject::person(&e.person_id),
        actor,
        person_action,
        serde_json::json!({ "company": e.company_name }),
    )
    .await?;
    tx.commit().await?;
    Ok(if confirm {
        EmploymentDecision::Confirmed
    } else {
        EmploymentDecision::Declined
    })
}

/// How long the emailed link to confirm an employment is valid.
pub const EMPLOYMENT_LINK_DAYS: i64 = 30;

/// The employment an emailed link is about, if the link still works.
async fn employment_of_link(
    conn: &mut AnyConnection,
    state: &AppState,
    token: &str,
) -> AppResult<Option<String>> {
    // A link copied from an email may come with a space or a line break at either end.
    let token = token.trim();
    if token.len() > 100 {
        return Ok(None);
    }
    let hash = crate::auth::session::token_hash(token);
    Ok(store::employment_of_token(conn, &hash, &to_db(state.clock.now())).await?)
}

/// What an emailed link asks the person to confirm.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn employment_link(state: &AppState, token: &str) -> AppResult<EmploymentInvite> {
    let mut conn = state.db.pool.acquire().await?;
    let Some(id) = employment_of_link(&mut conn, state, token).await? else {
        return Ok(EmploymentInvite::Closed);
    };
    let invite = store::invite(&mut conn, &id).await?;
    if invite.status != EmploymentStatus::Pending || invite.end_date.is_some() {
        return Ok(EmploymentInvite::Closed);
    }
    Ok(EmploymentInvite::Open {
        company: invite.company,
        position: invite.position,
        start_date: invite.start_date.to_string(),
    })
}

/// The person decides through the emailed link; the link is then spent.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn decide_by_link(
    state: &AppState,
    origin: &crate::auth::service::Origin,
    token: &str,
    confirm: bool,
) -> AppResult<EmploymentDecision> {
    let mut conn = state.db.pool.acquire().await?;
    let id = employment_of_link(&mut conn, state, token)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let actor = Actor {
        account_id: None,
        label: "e-postlänk".to_owned(),
        ip: origin.ip_text(),
    };
    let outcome = decide_employment(state, &actor, &id, confirm, Decider::Link).await?;
    let hash = crate::auth::session::token_hash(token.trim());
    store::spend_token(&state.db.pool, &hash, &to_db(state.clock.now())).await?;
    Ok(outcome)
}

/// Employments waiting for a handler: the people who have neither account nor email to
/// confirm them themselves come first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn pending_employments(db: &Db, page: u32) -> AppResult<Paged<Employment>> {
    let limit = i64::from(PAGE_SIZE) + 1;
    let rows =
        store::pending_employments(&db.pool, limit, crate::types::offset(page, PAGE_SIZE)).await?;
    let list = rows
        .into_iter()
        .map(|r| {
            let real = r.real_name();
            let mut e = Employment::from(r);
            // Staff see the register's name beside the one the company typed.
            if real != e.person_name {
                e.person_name = format!("{} ({real})", e.person_name);
            }
            e
        })
        .collect();
    Ok(Paged::of(list, page, PAGE_SIZE))
}
