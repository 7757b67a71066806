//! A company's employees: adding one (a request the person confirms, unless staff add them),
//! asking them to confirm, and ending an employment.

use super::model::EMPLOYEE;
use super::service::exists;
use super::service::log;
use super::store;
use crate::clock::to_db;
use crate::db::Day;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::service::{self as events, Actor, Subject};
use crate::i18n::{Msg, Text};
use crate::people::model::{EmploymentStatus, PersonDetails};
use crate::people::service as people;
use crate::state::AppState;
use crate::types::Pnr;
use crate::validate::check_all;
use sqlx::AnyConnection;

/// The new-employee form as sent.
pub struct NewEmployee<'a> {
    pub pnr: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub position: &'a str,
    pub start_date: &'a str,
}

/// How many employees a company admin may add an hour: enough to register a workforce, too few
/// to mail the country.
pub const EMPLOYEES_PER_HOUR: i64 = 30;

/// How long someone who declined a company's request is not asked by it again.
pub const QUIET_DAYS: i64 = 30;

/// Adds an employee by personnummer and name. Someone the register does not know yet is added
/// with the names given. Added by a company admin, the employment waits for the person to
/// confirm it (on their pages, by an emailed link, or a handler does): until then the company
/// sees none of their certificates, only the name it typed, and the answer is the same whether
/// the personnummer was known or not. Added by staff, it holds at once.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add_employee(
    state: &AppState,
    actor: &Actor,
    company_id: &str,
    new: &NewEmployee<'_>,
    by_staff: bool,
) -> AppResult<()> {
    let mut errors = Vec::new();
    let pnr = Pnr::parse(new.pnr, state.clock.today())
        .map_err(|t| errors.push(FieldError::new("pnr", t)))
        .ok();
    let values = check_all(&EMPLOYEE, |n| {
        match n {
            "first_name" => new.first_name,
            "last_name" => new.last_name,
            "position" => new.position,
            _ => new.start_date,
        }
        .to_owned()
    })
    .map_err(|e| errors.extend(e))
    .ok();
    let (Some(pnr), Some(v)) = (pnr, values) else {
        return Err(AppError::Validation(errors));
    };
    let (first, last, position, start) = (&v[0], &v[1], &v[2], &v[3]);
    let claimed = format!("{first} {last}");
    if !by_staff {
        let key = format!("employee:company:{company_id}");
        let (hour, now) = (chrono::Duration::hours(1), state.clock.now());
        let limited = crate::auth::throttle::hit(&state.db, &key, EMPLOYEES_PER_HOUR, hour, now);
        if let Some(wait) = limited.await? {
            return Err(crate::auth::service::rate_limited("pnr", wait));
        }
    }
    let mut tx = state.db.begin().await?;
    exists(&mut tx, company_id).await?;
    let today = Day::text(state.clock.today());
    let person = store::person_by_pnr(&mut tx, pnr.as_str()).await?;
    let person_id = match person {
        Some(id) => {
            // A current or waiting employment here: the company knows of it already.
            if store::employed_or_asked(&mut tx, company_id, &id, &today).await? {
                return Err(AppError::field("pnr", Text::FieldAlreadyEmployed));
            }
            id
        }
        None => {
            let details = PersonDetails {
                first_name: first.clone(),
                last_name: last.clone(),
                communication: "digital".to_owned(),
                ..PersonDetails::default()
            };
            people::insert(&mut tx, &state.clock, actor, &pnr, &details, None)
                .await
                .map_err(|e| AppError::from_db(e, &[people::pnr_taken()]))?
        }
    };
    let employment_id = uuid::Uuid::now_v7().to_string();
    let status = match by_staff {
        true => EmploymentStatus::Confirmed,
        false => EmploymentStatus::Pending,
    };
    let now = to_db(state.clock.now());
    let employment = store::NewEmployment {
        id: &employment_id,
        company_id,
        person_id: &person_id,
        position,
        start_date: start,
        status,
        claimed_name: &claimed,
        requested_by: actor.account_id.as_deref(),
        now: &now,
    };
    store::insert_employment(&mut tx, &employment).await?;
    let company = store::name(&mut tx, company_id).await?;
    log(
        &mut tx,
        &state.clock,
        company_id,
        actor,
        "company.employee_added",
        serde_json::json!({ "name": claimed, "pnr": pnr.display(), "position": position, "start": start }),
    )
    .await?;
    let facts = serde_json::json!({ "company": company, "position": position, "start": start });
    let action = if by_staff {
        "person.employed"
    } else {
        "person.employment_requested"
    };
    events::append(
        &mut tx,
        &state.clock,
        Subject::person(&person_id),
        actor,
        action,
        facts,
    )
    .await?;
    if !by_staff {
        ask_to_confirm(
            state,
            &mut tx,
            company_id,
            &person_id,
            &employment_id,
            &company,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Asks the person to confirm: with an account, by a message (and an email) that leads to
/// their pages; with only an email address, by a link that works without signing in (30 days,
/// once); with neither, a handler confirms. Someone who declined this company's request in the
/// last [`QUIET_DAYS`] is not asked again (the request waits for a handler), so asking over and
/// over cannot become a flood of email.
async fn ask_to_confirm(
    state: &AppState,
    conn: &mut AnyConnection,
    company_id: &str,
    person_id: &str,
    employment_id: &str,
    company: &str,
) -> AppResult<()> {
    let since = to_db(state.clock.now() - chrono::Duration::days(QUIET_DAYS));
    if store::declined_since(conn, company_id, person_id, &since).await? {
        return Ok(());
    }
    let to = crate::messages::service::recipient(conn, person_id).await?;
    if to.account_id.is_some() {
        let notice = crate::messages::model::Notice::EmploymentRequested {
            company: company.to_owned(),
        };
        crate::messages::service::tell_many(conn, state, &[(to, notice)]).await?;
        return Ok(());
    }
    if to.email.is_empty() || to.analog {
        return Ok(());
    }
    let token = crate::auth::session::new_token();
    let now = state.clock.now();
    let expires = now + chrono::Duration::days(people::EMPLOYMENT_LINK_DAYS);
    let hash = crate::auth::session::token_hash(&token);
    store::insert_employment_token(conn, &hash, employment_id, &to_db(expires)).await?;
    let link = format!("{}/employment/{token}", state.config.base_url);
    let mail = crate::mail::templates::employment_request(
        &state.config,
        &to.email,
        to.locale,
        company,
        &link,
    );
    crate::mail::service::enqueue(conn, &state.clock, &state.config.keys, &mail).await?;
    Ok(())
}

/// Ends an employment on `end_date` (not before it began).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn end_employment(
    state: &AppState,
    actor: &Actor,
    company_id: &str,
    id: &str,
    end_date: &str,
) -> AppResult<()> {
    let spec = crate::validate::Spec::text("end_date", Text::EmploymentEnd, 10)
        .of(crate::validate::Kind::Date)
        .required();
    let end =
        crate::validate::check(&spec, end_date).map_err(|m| AppError::field("end_date", m))?;
    let mut tx = state.db.begin().await?;
    let employment =
        crate::people::model::Employment::from(store::employment(&mut tx, company_id, id).await?);
    let start = employment.start_date;
    if end < start {
        return Err(AppError::field(
            "end_date",
            Msg::with(Text::FieldEndBeforeStart, &[("start", &start)]),
        ));
    }
    store::end_employment(&mut tx, id, &end).await?;
    // The company's log names whom, as the company knows them (the name it typed until the
    // person confirmed); the person's own log names the company already.
    log(
        &mut tx,
        &state.clock,
        company_id,
        actor,
        "company.employment_ended",
        serde_json::json!({ "end": end, "name": employment.person_name }),
    )
    .await?;
    events::append(
        &mut tx,
        &state.clock,
        Subject::person(&employment.person_id),
        actor,
        "person.employment_ended",
        serde_json::json!({ "end": end }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
