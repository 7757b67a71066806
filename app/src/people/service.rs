//! People: their details, the changes they ask for and a handler decides, and the messages the
//! certification body sends them.

use super::model::{
    AddressView, ChangeRequest, ChangeStatus, DETAILS, Employer, Employment, EmploymentDecision,
    EmploymentInvite, EmploymentStatus, PAGE_SIZE, PeoplePage, PersonDetails, PersonRow,
    PersonView,
};
use crate::auth::model::CurrentUser;
use crate::clock::{Clock, to_db};
use crate::db::{Db, search_clause, search_patterns, search_text};
use crate::error::{AppError, AppResult, Constraint, FieldError};
use crate::events::service::{self as events, Actor, Subject};
use crate::i18n::{Locale, Text};
use crate::messages::model::Notice;
use crate::state::AppState;
use crate::types::{Paged, Pnr};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// Checks a person's details as sent by a form; `communication` must be one of the two.
pub fn check_details(
    locale: Locale,
    raw: &PersonDetails,
) -> Result<PersonDetails, Vec<FieldError>> {
    let checked = crate::validate::check_all(locale, &DETAILS, |n| raw.get(n).to_owned());
    let communication = raw.communication.trim();
    let comm_ok = super::model::COMMUNICATION
        .iter()
        .any(|(c, _)| *c == communication);
    match checked {
        Ok(values) if comm_ok => Ok(PersonDetails::from_values(&values, communication)),
        Ok(_) => Err(vec![FieldError::new(
            "communication",
            locale.text(Text::FieldCommunicationInvalid),
        )]),
        Err(mut errors) => {
            if !comm_ok {
                errors.push(FieldError::new(
                    "communication",
                    locale.text(Text::FieldCommunicationInvalid),
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

pub fn pnr_taken(locale: Locale) -> Constraint<'static> {
    Constraint {
        name: "people_pnr_key",
        columns: "people.pnr",
        field: "pnr",
        message: locale.text(Text::FieldPnrTaken),
    }
}

/// Writes a person's row: a new one, or new details for an existing one.
async fn write(
    conn: &mut AnyConnection,
    now: &str,
    id: &str,
    pnr: &str,
    d: &PersonDetails,
    insert: bool,
) -> sqlx::Result<()> {
    let names = DETAILS.iter().map(|s| s.name).chain(["communication"]);
    let row = crate::db::Row {
        table: "people",
        id,
        number: ("pnr", pnr),
        search_text: &search_text(&[&d.full_name(), pnr, &d.email]),
        now,
        fields: &names.map(|n| (n, d.get(n))).collect::<Vec<_>>(),
    };
    row.write(conn, insert).await
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
    write(conn, &to_db(clock.now()), &id, pnr.as_str(), d, true).await?;
    if let Some(account_id) = account_id {
        sqlx::query("UPDATE people SET account_id = $1 WHERE id = $2")
            .bind(account_id)
            .bind(&id)
            .execute(&mut *conn)
            .await?;
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
    locale: Locale,
    pnr: &str,
    raw: &PersonDetails,
) -> AppResult<String> {
    let mut errors = Vec::new();
    let parsed = Pnr::parse(pnr, state.clock.today())
        .map_err(|t| errors.push(FieldError::new("pnr", locale.text(t))))
        .ok();
    let details = check_details(locale, raw)
        .map_err(|e| errors.extend(e))
        .ok();
    let (Some(pnr), Some(details)) = (parsed, details) else {
        return Err(AppError::Validation(errors));
    };
    let mut tx = state.db.begin().await?;
    let id = insert(&mut tx, &state.clock, actor, &pnr, &details, None)
        .await
        .map_err(|e| AppError::from_db(e, &[pnr_taken(locale)]))?;
    tx.commit().await?;
    Ok(id)
}

pub fn details_from_row(r: &AnyRow) -> sqlx::Result<PersonDetails> {
    Ok(PersonDetails {
        first_name: r.try_get("first_name")?,
        middle_name: r.try_get("middle_name")?,
        last_name: r.try_get("last_name")?,
        address: r.try_get("address")?,
        postal_code: r.try_get("postal_code")?,
        city: r.try_get("city")?,
        phone: r.try_get("phone")?,
        mobile: r.try_get("mobile")?,
        email: r.try_get("email")?,
        communication: r.try_get("communication")?,
    })
}

const PERSON_COLUMNS: &str = "id, pnr, first_name, middle_name, last_name, address, postal_code, \
                              city, phone, mobile, email, communication, account_id";

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
    let sql = format!(
        "SELECT {PERSON_COLUMNS} FROM people WHERE 1 = 1{} ORDER BY last_name, first_name, pnr
         LIMIT {} OFFSET {}",
        search_clause(&patterns, 1),
        PAGE_SIZE + 1,
        crate::types::offset(page, PAGE_SIZE)
    );
    let mut q = sqlx::query(&sql);
    for p in &patterns {
        q = q.bind(p);
    }
    let rows = q.fetch_all(&db.pool).await?;
    let has_next = rows.len() > PAGE_SIZE as usize;
    let items = rows
        .iter()
        .take(PAGE_SIZE as usize)
        .map(|r| {
            let d = details_from_row(r)?;
            Ok(PersonRow {
                id: r.try_get("id")?,
                pnr: pnr_display(&r.try_get::<String, _>("pnr")?),
                name: d.full_name(),
                email: d.email,
                city: d.city,
            })
        })
        .collect::<sqlx::Result<_>>()?;
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
    let row = sqlx::query(&format!(
        "SELECT {PERSON_COLUMNS} FROM people WHERE account_id = $1"
    ))
    .bind(account_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| Ok((r.try_get("id")?, r.try_get("pnr")?, details_from_row(&r)?)))
        .transpose()
}

async fn details_of(conn: &mut AnyConnection, id: &str) -> AppResult<PersonDetails> {
    let r = sqlx::query(&format!(
        "SELECT {PERSON_COLUMNS} FROM people WHERE id = $1"
    ))
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(details_from_row(&r)?)
}

/// An employment with its company and person, for [`employment_from_row`].
pub const EMPLOYMENT_COLUMNS: &str = "e.id, e.company_id, c.name AS company_name, e.person_id, \
     e.position, e.start_date, e.end_date, e.status, e.claimed_name, p.first_name, p.middle_name, \
     p.last_name, p.pnr";

/// A person's employments, pending ones first, then current ones.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn employments(db: &Db, person_id: &str) -> AppResult<Vec<Employment>> {
    let rows = sqlx::query(&format!(
        "SELECT {EMPLOYMENT_COLUMNS}
         FROM employments e JOIN companies c ON c.id = e.company_id JOIN people p ON p.id = e.person_id
         WHERE e.person_id = $1
         ORDER BY e.status <> 'pending', e.end_date IS NOT NULL, e.start_date DESC"
    ))
    .bind(person_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .iter()
        .map(employment_from_row)
        .collect::<sqlx::Result<_>>()?)
}

/// An employment as a row shows it. Until the person confirms it, the name is the one the
/// company typed, never the register's.
pub fn employment_from_row(r: &AnyRow) -> sqlx::Result<Employment> {
    let status = EmploymentStatus::parse(&r.try_get::<String, _>("status")?)
        .unwrap_or(EmploymentStatus::Pending);
    let person_name = match status {
        EmploymentStatus::Confirmed => crate::db::person_name(r)?,
        _ => r.try_get("claimed_name")?,
    };
    Ok(Employment {
        id: r.try_get("id")?,
        company_id: r.try_get("company_id")?,
        company_name: r.try_get("company_name")?,
        person_id: r.try_get("person_id")?,
        person_name,
        pnr: pnr_display(&r.try_get::<String, _>("pnr")?),
        position: r.try_get("position")?,
        start_date: r.try_get("start_date")?,
        end_date: r.try_get("end_date")?,
        status,
    })
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
    let r = sqlx::query(&format!(
        "SELECT {EMPLOYMENT_COLUMNS}, p.account_id
         FROM employments e JOIN companies c ON c.id = e.company_id JOIN people p ON p.id = e.person_id
         WHERE e.id = $1"
    ))
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let owner: Option<String> = r.try_get("account_id")?;
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
    let e = employment_from_row(&r)?;
    let real_name = crate::db::person_name(&r)?;
    let status = if confirm {
        EmploymentStatus::Confirmed
    } else {
        EmploymentStatus::Declined
    };
    let changed = sqlx::query(
        "UPDATE employments SET status = $1, decided_at = $2, decided_label = $3
         WHERE id = $4 AND status = 'pending'",
    )
    .bind(status.code())
    .bind(to_db(state.clock.now()))
    .bind(&actor.label)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() == 0 {
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
    Ok(sqlx::query_scalar(
        "SELECT employment_id FROM employment_tokens
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(crate::auth::session::token_hash(token))
    .bind(to_db(state.clock.now()))
    .fetch_optional(&mut *conn)
    .await?)
}

/// What an emailed link asks the person to confirm.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn employment_link(state: &AppState, token: &str) -> AppResult<EmploymentInvite> {
    let mut conn = state.db.pool.acquire().await?;
    let Some(id) = employment_of_link(&mut conn, state, token).await? else {
        return Ok(EmploymentInvite::Closed);
    };
    let r = sqlx::query(
        "SELECT c.name, e.position, e.start_date, e.status FROM employments e
         JOIN companies c ON c.id = e.company_id WHERE e.id = $1",
    )
    .bind(&id)
    .fetch_one(&mut *conn)
    .await?;
    if EmploymentStatus::parse(&r.try_get::<String, _>("status")?)
        != Some(EmploymentStatus::Pending)
    {
        return Ok(EmploymentInvite::Closed);
    }
    Ok(EmploymentInvite::Open {
        company: r.try_get("name")?,
        position: r.try_get("position")?,
        start_date: r.try_get("start_date")?,
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
    sqlx::query("UPDATE employment_tokens SET used_at = $1 WHERE token_hash = $2")
        .bind(to_db(state.clock.now()))
        .bind(crate::auth::session::token_hash(token))
        .execute(&state.db.pool)
        .await?;
    Ok(outcome)
}

/// Employments waiting for a handler: the people who have neither account nor email to
/// confirm them themselves come first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn pending_employments(db: &Db, page: u32) -> AppResult<Paged<Employment>> {
    let rows = sqlx::query(&format!(
        "SELECT {EMPLOYMENT_COLUMNS}
         FROM employments e JOIN companies c ON c.id = e.company_id JOIN people p ON p.id = e.person_id
         WHERE e.status = 'pending'
         ORDER BY (p.account_id IS NULL AND p.email = '') DESC, e.created_at, e.id LIMIT $1 OFFSET $2"
    ))
    .bind(i64::from(PAGE_SIZE) + 1)
    .bind(crate::types::offset(page, PAGE_SIZE))
    .fetch_all(&db.pool)
    .await?;
    let mut list: Vec<Employment> = rows
        .iter()
        .map(employment_from_row)
        .collect::<sqlx::Result<_>>()?;
    // Staff see the register's name beside the one the company typed.
    for (e, r) in list.iter_mut().zip(&rows) {
        let real = crate::db::person_name(r)?;
        if real != e.person_name {
            e.person_name = format!("{} ({real})", e.person_name);
        }
    }
    Ok(Paged::of(list, page, PAGE_SIZE))
}

const CHANGE_COLUMNS: &str = "c.id, c.person_id, c.status, c.previous, c.proposed, c.submitted_at, \
     c.decided_at, c.decided_label, c.reason, p.first_name, p.middle_name, p.last_name, p.pnr";

fn change_from_row(r: &AnyRow) -> AppResult<ChangeRequest> {
    let previous: PersonDetails =
        serde_json::from_str(&r.try_get::<String, _>("previous")?).map_err(AppError::internal)?;
    let proposed: PersonDetails =
        serde_json::from_str(&r.try_get::<String, _>("proposed")?).map_err(AppError::internal)?;
    let current = PersonDetails {
        first_name: r.try_get("first_name")?,
        middle_name: r.try_get("middle_name")?,
        last_name: r.try_get("last_name")?,
        ..PersonDetails::default()
    };
    Ok(ChangeRequest {
        id: r.try_get("id")?,
        person_id: r.try_get("person_id")?,
        person_name: current.full_name(),
        pnr: pnr_display(&r.try_get::<String, _>("pnr")?),
        status: ChangeStatus::try_from(r.try_get::<String, _>("status")?)
            .map_err(AppError::internal)?,
        previous,
        proposed,
        submitted_at: r.try_get("submitted_at")?,
        decided_at: r.try_get("decided_at")?,
        decided_by: r.try_get("decided_label")?,
        reason: r.try_get("reason")?,
    })
}

async fn changes_where(db: &Db, condition: &str, bind: &str) -> AppResult<Vec<ChangeRequest>> {
    let rows = sqlx::query(&format!(
        "SELECT {CHANGE_COLUMNS} FROM change_requests c JOIN people p ON p.id = c.person_id
         WHERE {condition} ORDER BY c.created_at DESC"
    ))
    .bind(bind)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(change_from_row).collect()
}

/// The person's page for staff. Reading someone's personal data is logged.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn view(
    state: &AppState,
    actor: &Actor,
    id: &str,
    locale: Locale,
    events_page: u32,
) -> AppResult<PersonView> {
    let db = &state.db;
    let r = sqlx::query(&format!(
        "SELECT p.{}, a.username FROM people p LEFT JOIN accounts a ON a.id = p.account_id WHERE p.id = $1",
        PERSON_COLUMNS.replace(", ", ", p.")
    ))
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    let account = match r.try_get::<Option<String>, _>("account_id")? {
        Some(account_id) => Some((account_id, r.try_get::<String, _>("username")?)),
        None => None,
    };
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
        pnr: pnr_display(&r.try_get::<String, _>("pnr")?),
        details: details_from_row(&r)?,
        account,
        employments: employments(db, id).await?,
        changes: changes_where(db, "c.person_id = $1 AND c.status <> 'draft'", id).await?,
        events: events::views(
            db,
            Subject::person(id),
            locale,
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
    locale: Locale,
    events_page: u32,
) -> AppResult<Option<AddressView>> {
    let db = &state.db;
    let mut conn = db.pool.acquire().await?;
    let Some((id, pnr, details)) = of_account(&mut conn, &user.account_id).await? else {
        return Ok(None);
    };
    drop(conn);
    let changes = changes_where(db, "c.person_id = $1", &id).await?;
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
    let employer = sqlx::query(
        "SELECT c.name, c.address, c.postal_code, c.city, c.website, c.phone, c.email, c.billing_name,
                c.billing_address, c.billing_postal_code, c.billing_city, c.invoice_reference
         FROM employments e JOIN companies c ON c.id = e.company_id
         WHERE e.person_id = $1 AND e.status = 'confirmed' AND (e.end_date IS NULL OR e.end_date >= $2)
         ORDER BY e.start_date DESC LIMIT 1",
    )
    .bind(&id)
    .bind(state.clock.today().format("%Y-%m-%d").to_string())
    .fetch_optional(&db.pool)
    .await?
    .map(|r| -> sqlx::Result<Employer> {
        Ok(Employer {
            name: r.try_get("name")?,
            address: r.try_get("address")?,
            postal_code: r.try_get("postal_code")?,
            city: r.try_get("city")?,
            website: r.try_get("website")?,
            phone: r.try_get("phone")?,
            email: r.try_get("email")?,
            billing_name: r.try_get("billing_name")?,
            billing_address: r.try_get("billing_address")?,
            billing_postal_code: r.try_get("billing_postal_code")?,
            billing_city: r.try_get("billing_city")?,
            invoice_reference: r.try_get("invoice_reference")?,
        })
    })
    .transpose()?;
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
            db,
            Subject::person(&id),
            locale,
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

/// "Fortsätt": checks the changed details and keeps them as a draft to preview. Nothing
/// changes for the person yet.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn draft_change(
    state: &AppState,
    user: &CurrentUser,
    locale: Locale,
    raw: &PersonDetails,
) -> AppResult<String> {
    let proposed = check_details(locale, raw).map_err(AppError::Validation)?;
    let mut tx = state.db.begin().await?;
    let (person_id, _, current) = of_account(&mut tx, &user.account_id)
        .await?
        .ok_or(AppError::Forbidden)?;
    if proposed.changed_from(&current).is_empty() {
        return Err(AppError::field(
            "first_name",
            locale.text(Text::ChangeNothingChanged),
        ));
    }
    // One draft at a time: a new "Fortsätt" replaces the one before.
    sqlx::query("DELETE FROM change_requests WHERE person_id = $1 AND status = 'draft'")
        .bind(&person_id)
        .execute(&mut *tx)
        .await?;
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO change_requests (id, person_id, status, previous, proposed, requested_by, created_at)
         VALUES ($1, $2, 'draft', $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(&person_id)
    .bind(serde_json::to_string(&current).map_err(AppError::internal)?)
    .bind(serde_json::to_string(&proposed).map_err(AppError::internal)?)
    .bind(&user.account_id)
    .bind(to_db(state.clock.now()))
    .execute(&mut *tx)
    .await?;
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
    let proposed: Option<String> = sqlx::query_scalar(
        "SELECT proposed FROM change_requests WHERE id = $1 AND person_id = $2 AND status = 'draft'",
    )
    .bind(id)
    .bind(&person_id)
    .fetch_optional(&mut *tx)
    .await?;
    let proposed: PersonDetails =
        serde_json::from_str(&proposed.ok_or(AppError::NotFound)?).map_err(AppError::internal)?;
    let current = details_of(&mut tx, &person_id).await?;
    let now = to_db(state.clock.now());
    sqlx::query(
        "UPDATE change_requests SET status = 'withdrawn', decided_at = $1
         WHERE person_id = $2 AND status = 'pending'",
    )
    .bind(&now)
    .bind(&person_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE change_requests SET status = 'pending', submitted_at = $1, previous = $2 WHERE id = $3",
    )
    .bind(&now)
    .bind(serde_json::to_string(&current).map_err(AppError::internal)?)
    .bind(id)
    .execute(&mut *tx)
    .await?;
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
    let mut all = changes_where(db, "c.status = $1", ChangeStatus::Pending.code()).await?;
    all.reverse();
    Ok(all)
}

/// A handler approves (the person's details become the proposed ones) or rejects (a reason is
/// required) a pending change. Either way the person is told, in the portal and by email.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    id: &str,
    approve: bool,
    reason: &str,
) -> AppResult<()> {
    let reason = reason.trim();
    if !approve && reason.is_empty() {
        return Err(AppError::field(
            "reason",
            locale.text(Text::FieldReasonRequired),
        ));
    }
    if reason.chars().count() > 1000 {
        return Err(AppError::field(
            "reason",
            locale.format(Text::FieldTooLong, &[("max", "1000")]),
        ));
    }
    let (db, clock) = (&state.db, &state.clock);
    let mut tx = db.begin().await?;
    let row = sqlx::query(
        "SELECT c.person_id, c.proposed, c.status, c.requested_by, p.account_id
         FROM change_requests c JOIN people p ON p.id = c.person_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let person_id: String = row.try_get("person_id")?;
    // Nobody decides their own request: a handler's own details wait for another handler.
    let own = |column: &str| -> sqlx::Result<bool> {
        Ok(row.try_get::<Option<String>, _>(column)?.is_some()
            && row.try_get::<Option<String>, _>(column)? == actor.account_id)
    };
    if own("requested_by")? || own("account_id")? {
        return Err(AppError::Forbidden);
    }
    match ChangeStatus::try_from(row.try_get::<String, _>("status")?).map_err(AppError::internal)? {
        ChangeStatus::Pending => {}
        ChangeStatus::Draft => return Err(AppError::NotFound),
        _ => return Err(AppError::Conflict),
    }
    let proposed: PersonDetails =
        serde_json::from_str(&row.try_get::<String, _>("proposed")?).map_err(AppError::internal)?;
    let current = details_of(&mut tx, &person_id).await?;
    let now = to_db(clock.now());
    // The status check in the WHERE makes two handlers deciding at once safe: one wins.
    let updated = sqlx::query(
        "UPDATE change_requests SET status = $1, decided_by = $2, decided_label = $3, decided_at = $4,
             reason = $5
         WHERE id = $6 AND status = 'pending'",
    )
    .bind(if approve { ChangeStatus::Approved } else { ChangeStatus::Rejected }.code())
    .bind(&actor.account_id)
    .bind(&actor.label)
    .bind(&now)
    .bind((!reason.is_empty()).then_some(reason))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(AppError::Conflict);
    }
    let fields = proposed.changed_from(&current);
    if approve {
        let pnr: String = sqlx::query_scalar("SELECT pnr FROM people WHERE id = $1")
            .bind(&person_id)
            .fetch_one(&mut *tx)
            .await?;
        write(&mut tx, &now, &person_id, &pnr, &proposed, false).await?;
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
    crate::messages::service::tell(&mut tx, state, &person_id, &notice).await?;
    tx.commit().await?;
    Ok(())
}
