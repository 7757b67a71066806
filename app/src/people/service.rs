//! People: their details, the changes they ask for and a handler decides, and the messages the
//! certification body sends them. Their employments are decided in `employments.rs`, their
//! change requests in `changes.rs`; both are re-exported here, where the other domains find
//! them.

pub use super::changes::{
    CHANGE_ANSWERED_JOB, ChangeAnswered, decide, draft_change, pending, submit_change,
};
pub use super::employments::{
    Decider, EMPLOYMENT_LINK_DAYS, decide_by_link, decide_employment, employment_link, employments,
    pending_employments, person_of_employment,
};
use super::model::{
    AddressView, ChangeStatus, DETAILS, PAGE_SIZE, PeoplePage, PersonDetails, PersonRow, PersonView,
};
use super::store;
use crate::auth::model::CurrentUser;
use crate::clock::{Clock, to_db};
use crate::db::{Db, search_patterns};
use crate::error::{AppError, AppResult, Constraint, FieldError};
use crate::events::service::{self as events, Actor, Subject};
use crate::i18n::Text;
use crate::state::AppState;
use crate::types::Pnr;
use sqlx::AnyConnection;

/// Checks a person's details as sent by a form; `communication` must be one of the two.
pub fn check_details(raw: &PersonDetails) -> Result<PersonDetails, Vec<FieldError>> {
    let checked = crate::validate::check_all(&DETAILS, |n| raw.get(n).to_owned());
    let communication = raw.communication.trim();
    let comm_ok = super::model::COMMUNICATION
        .iter()
        .any(|(c, _)| *c == communication);
    match checked {
        Ok(values) if comm_ok => Ok(PersonDetails::from_values(&values, communication)),
        Ok(_) => Err(vec![FieldError::new(
            "communication",
            Text::FieldCommunicationInvalid,
        )]),
        Err(mut errors) => {
            if !comm_ok {
                errors.push(FieldError::new(
                    "communication",
                    Text::FieldCommunicationInvalid,
                ));
            }
            Err(errors)
        }
    }
}

/// What a refused person form sends back, so it is shown again as typed.
pub fn kept(raw: &PersonDetails) -> Vec<(&'static str, String)> {
    DETAILS
        .iter()
        .map(|s| s.name)
        .chain(["communication"])
        .map(|n| (n, raw.get(n).to_owned()))
        .collect()
}

pub fn keep(error: AppError, kept: &[(&str, String)]) -> AppError {
    let pairs: Vec<(&str, &str)> = kept.iter().map(|(k, v)| (*k, v.as_str())).collect();
    error.keep(&pairs)
}

pub fn pnr_taken() -> Constraint<'static> {
    Constraint {
        name: "people_pnr_key",
        columns: "people.pnr",
        field: "pnr",
        message: Text::FieldPnrTaken,
    }
}

/// Inserts a person inside the caller's transaction and logs it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn insert(
    conn: &mut AnyConnection,
    clock: &Clock,
    actor: &Actor,
    pnr: &Pnr,
    d: &PersonDetails,
    account_id: Option<&str>,
) -> sqlx::Result<String> {
    let id = uuid::Uuid::now_v7().to_string();
    store::write(conn, &to_db(clock.now()), &id, pnr.as_str(), d, true).await?;
    if let Some(account_id) = account_id {
        store::set_account(conn, &id, account_id).await?;
    }
    events::append(
        conn,
        clock,
        Subject::person(&id),
        actor,
        "person.created",
        serde_json::json!({ "name": d.full_name() }),
    )
    .await?;
    Ok(id)
}

/// Staff register a person. A malformed or taken personnummer and bad details are refused at
/// their fields.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create(
    state: &AppState,
    actor: &Actor,
    pnr: &str,
    raw: &PersonDetails,
) -> AppResult<String> {
    let mut errors = Vec::new();
    let parsed = Pnr::parse(pnr, state.clock.today())
        .map_err(|t| errors.push(FieldError::new("pnr", t)))
        .ok();
    let details = check_details(raw).map_err(|e| errors.extend(e)).ok();
    let (Some(pnr), Some(details)) = (parsed, details) else {
        return Err(AppError::Validation(errors));
    };
    let mut tx = state.db.begin().await?;
    let id = insert(&mut tx, &state.clock, actor, &pnr, &details, None)
        .await
        .map_err(|e| AppError::from_db(e, &[pnr_taken()]))?;
    tx.commit().await?;
    Ok(id)
}

pub fn pnr_display(pnr: &str) -> String {
    match (pnr.get(..8), pnr.get(8..)) {
        (Some(a), Some(b)) => format!("{a}-{b}"),
        _ => pnr.to_owned(),
    }
}

/// Searches people by name, personnummer or email; everyone when the query is empty.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn search(db: &Db, query: &str, page: u32) -> AppResult<PeoplePage> {
    let page = page.max(1);
    let patterns = search_patterns(query);
    let offset = crate::types::offset(page, PAGE_SIZE);
    let rows = store::search(&db.pool, &patterns, PAGE_SIZE + 1, offset).await?;
    let has_next = rows.len() > PAGE_SIZE as usize;
    let items = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|r| {
            let d = r.details;
            PersonRow {
                id: r.id,
                pnr: pnr_display(&r.pnr),
                name: d.full_name(),
                email: d.email,
                city: d.city,
            }
        })
        .collect();
    Ok(PeoplePage {
        items,
        page,
        has_next,
    })
}

/// The person linked to an account: id, personnummer and details.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn of_account(
    conn: &mut AnyConnection,
    account_id: &str,
) -> sqlx::Result<Option<(String, String, PersonDetails)>> {
    let person = store::of_account(conn, account_id).await?;
    Ok(person.map(|p| (p.id, p.pnr, p.details)))
}

/// The person's page for staff. Reading someone's personal data is logged.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn view(
    state: &AppState,
    actor: &Actor,
    id: &str,
    events_page: u32,
) -> AppResult<PersonView> {
    let db = &state.db;
    let store::PersonWithAccount { person, username } = store::with_account(&db.pool, id).await?;
    // An account always has a username: the join finds one whenever the person has an account.
    let account = person.account_id.zip(username);
    let mut tx = db.begin().await?;
    events::append(
        &mut tx,
        &state.clock,
        Subject::person(id),
        actor,
        "person.viewed",
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(PersonView {
        id: id.to_owned(),
        pnr: pnr_display(&person.pnr),
        details: person.details,
        account,
        employments: employments(db, id).await?,
        changes: super::changes::sent_of(db, id).await?,
        events: events::views(
            state,
            Subject::person(id),
            events::Reader {
                staff: true,
                owner: false,
            },
            events_page,
            &[],
        )
        .await?,
    })
}

/// "Din adress" for the signed-in account; `None` when no person is linked to it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn address(
    state: &AppState,
    user: &CurrentUser,
    draft: Option<&str>,
    events_page: u32,
) -> AppResult<Option<AddressView>> {
    let db = &state.db;
    let mut conn = db.pool.acquire().await?;
    let Some((id, pnr, details)) = of_account(&mut conn, &user.account_id).await? else {
        return Ok(None);
    };
    drop(conn);
    let changes = super::changes::all_of(db, &id).await?;
    let draft = match draft {
        Some(d) => Some(
            changes
                .iter()
                .find(|c| c.id == d && c.status == ChangeStatus::Draft)
                .cloned()
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let employer = store::employer(&db.pool, &id, state.clock.today()).await?;
    Ok(Some(AddressView {
        pnr: pnr_display(&pnr),
        details,
        employer,
        draft,
        pending: changes
            .iter()
            .find(|c| c.status == ChangeStatus::Pending)
            .cloned(),
        decided: changes
            .iter()
            .filter(|c| c.decided_at.is_some())
            .max_by(|a, b| a.decided_at.cmp(&b.decided_at))
            .cloned(),
        events: events::views(
            state,
            Subject::person(&id),
            events::Reader {
                staff: user.is_staff(),
                owner: true,
            },
            events_page,
            &[],
        )
        .await?,
    }))
}
