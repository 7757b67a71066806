//! Companies: their details and billing, contact persons, branches, administrators, employees
//! and the certification body's notes. Every change is an event on the company.

use super::model::{
    Admin, BILLING, BILLING_METHODS, BRANCH, COMPANY, CONTACT, CompaniesPage, CompanyDetails,
    CompanyRow, CompanyView, EMPLOYEE, Note, PartRow,
};
use crate::clock::{Clock, to_db};
use crate::db::Db;
use crate::db::{search_clause, search_patterns, search_text};
use crate::error::{AppError, AppResult, Constraint, FieldError};
use crate::events::service::{self as events, Actor, Subject};
use crate::i18n::{Locale, Text};
use crate::people::model::{EmploymentStatus, PAGE_SIZE, PersonDetails};
use crate::people::service as people;
use crate::state::AppState;
use crate::types::{Orgnr, Paged, Pnr};
use crate::validate::check_all;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// Checks the company form. Billing by email needs a billing email address.
pub fn check_details(
    locale: Locale,
    raw: &CompanyDetails,
) -> Result<CompanyDetails, Vec<FieldError>> {
    let specs: Vec<_> = COMPANY.iter().chain(BILLING.iter()).copied().collect();
    let mut errors = Vec::new();
    let values = check_all(locale, &specs, |n| raw.get(n).to_owned())
        .map_err(|e| errors.extend(e))
        .unwrap_or_default();
    let method = raw.billing_method.trim();
    if !BILLING_METHODS.iter().any(|(m, _)| *m == method) {
        errors.push(FieldError::new(
            "billing_method",
            locale.text(Text::FieldBillingMethodInvalid),
        ));
    } else if method == "email"
        && raw.billing_email.trim().is_empty()
        && !errors.iter().any(|e| e.field == "billing_email")
    {
        errors.push(FieldError::new(
            "billing_email",
            locale.text(Text::FieldBillingEmailRequired),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let v = |i: usize| values[i].clone();
    Ok(CompanyDetails {
        name: v(0),
        address: v(1),
        postal_code: v(2),
        city: v(3),
        website: v(4),
        phone: v(5),
        email: v(6),
        invoice_reference: v(7),
        billing_method: method.to_owned(),
        billing_name: v(8),
        billing_address: v(9),
        billing_postal_code: v(10),
        billing_city: v(11),
        billing_email: v(12),
    })
}

pub fn kept(raw: &CompanyDetails) -> Vec<(&'static str, String)> {
    CompanyDetails::names()
        .map(|n| (n, raw.get(n).to_owned()))
        .collect()
}

fn orgnr_taken(locale: Locale) -> Constraint<'static> {
    Constraint {
        name: "companies_orgnr_key",
        columns: "companies.orgnr",
        field: "orgnr",
        message: locale.text(Text::FieldOrgnrTaken),
    }
}

/// Writes a company's row: a new one, or new details for an existing one.
async fn write(
    conn: &mut AnyConnection,
    now: &str,
    id: &str,
    orgnr: &str,
    d: &CompanyDetails,
    insert: bool,
) -> sqlx::Result<()> {
    let row = crate::db::Row {
        table: "companies",
        id,
        number: ("orgnr", orgnr),
        search_text: &search_text(&[&d.name, orgnr]),
        now,
        fields: &CompanyDetails::names()
            .map(|n| (n, d.get(n)))
            .collect::<Vec<_>>(),
    };
    row.write(conn, insert).await
}

/// Inserts a company inside the caller's transaction and logs it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn insert(
    conn: &mut AnyConnection,
    clock: &Clock,
    actor: &Actor,
    orgnr: &Orgnr,
    d: &CompanyDetails,
) -> sqlx::Result<String> {
    let id = uuid::Uuid::now_v7().to_string();
    write(conn, &to_db(clock.now()), &id, orgnr.as_str(), d, true).await?;
    events::append(
        conn,
        clock,
        Subject::company(&id),
        actor,
        "company.created",
        serde_json::json!({ "name": d.name }),
    )
    .await?;
    Ok(id)
}

/// Staff register a company.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    orgnr: &str,
    raw: &CompanyDetails,
) -> AppResult<String> {
    let mut errors = Vec::new();
    let parsed = Orgnr::parse(orgnr)
        .map_err(|t| errors.push(FieldError::new("orgnr", locale.text(t))))
        .ok();
    let details = check_details(locale, raw)
        .map_err(|e| errors.extend(e))
        .ok();
    let (Some(orgnr), Some(details)) = (parsed, details) else {
        return Err(AppError::Validation(errors));
    };
    let mut tx = state.db.begin().await?;
    let id = insert(&mut tx, &state.clock, actor, &orgnr, &details)
        .await
        .map_err(|e| AppError::from_db(e, &[orgnr_taken(locale)]))?;
    tx.commit().await?;
    Ok(id)
}

fn details_from_row(r: &AnyRow) -> sqlx::Result<CompanyDetails> {
    let mut d = CompanyDetails::default();
    for name in CompanyDetails::names() {
        let value: String = r.try_get(name)?;
        match name {
            "name" => d.name = value,
            "address" => d.address = value,
            "postal_code" => d.postal_code = value,
            "city" => d.city = value,
            "website" => d.website = value,
            "phone" => d.phone = value,
            "email" => d.email = value,
            "invoice_reference" => d.invoice_reference = value,
            "billing_method" => d.billing_method = value,
            "billing_name" => d.billing_name = value,
            "billing_address" => d.billing_address = value,
            "billing_postal_code" => d.billing_postal_code = value,
            "billing_city" => d.billing_city = value,
            _ => d.billing_email = value,
        }
    }
    Ok(d)
}

/// Changes a company's details and billing, and logs which fields changed.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn update(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    id: &str,
    raw: &CompanyDetails,
) -> AppResult<()> {
    let d = check_details(locale, raw).map_err(AppError::Validation)?;
    let mut tx = state.db.begin().await?;
    let row = sqlx::query("SELECT * FROM companies WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let before = details_from_row(&row)?;
    let orgnr: String = row.try_get("orgnr")?;
    let changed: Vec<&str> = CompanyDetails::names()
        .filter(|n| before.get(n) != d.get(n))
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    write(&mut tx, &to_db(state.clock.now()), id, &orgnr, &d, false).await?;
    events::append(
        &mut tx,
        &state.clock,
        Subject::company(id),
        actor,
        "company.updated",
        serde_json::json!({ "fields": changed }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Companies by name or organisationsnummer; `only` limits them to a company admin's own.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn search(
    db: &Db,
    query: &str,
    page: u32,
    only: Option<&[&str]>,
) -> AppResult<CompaniesPage> {
    let page = page.max(1);
    let patterns = search_patterns(query);
    let mut binds: Vec<String> = patterns.clone();
    let mut sql = format!(
        "SELECT id, orgnr, name, city FROM companies WHERE 1 = 1{}",
        search_clause(&patterns, 1)
    );
    if let Some(ids) = only {
        if ids.is_empty() {
            return Ok(CompaniesPage {
                items: Vec::new(),
                page,
                has_next: false,
            });
        }
        let list = crate::db::placeholders(binds.len() + 1, ids.len());
        sql.push_str(&format!(" AND id IN ({list})"));
        binds.extend(ids.iter().map(|s| (*s).to_owned()));
    }
    sql.push_str(&format!(
        " ORDER BY name, orgnr LIMIT {} OFFSET {}",
        PAGE_SIZE + 1,
        crate::types::offset(page, PAGE_SIZE)
    ));
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(&db.pool).await?;
    let has_next = rows.len() > PAGE_SIZE as usize;
    let items = rows
        .iter()
        .take(PAGE_SIZE as usize)
        .map(|r| {
            Ok(CompanyRow {
                id: r.try_get("id")?,
                orgnr: orgnr_display(&r.try_get::<String, _>("orgnr")?),
                name: r.try_get("name")?,
                city: r.try_get("city")?,
            })
        })
        .collect::<sqlx::Result<_>>()?;
    Ok(CompaniesPage {
        items,
        page,
        has_next,
    })
}

pub fn orgnr_display(orgnr: &str) -> String {
    match (orgnr.get(..6), orgnr.get(6..)) {
        (Some(a), Some(b)) => format!("{a}-{b}"),
        _ => orgnr.to_owned(),
    }
}

/// Which page of each list the company page shows.
#[derive(Clone, Copy, Debug, Default)]
pub struct Pages {
    pub employees: u32,
    pub events: u32,
    pub notes: u32,
}

/// Rows per page of the employees and notes.
pub const LIST_SIZE: u32 = 50;

/// Everything the company page shows. Notes only when `staff`; a former employee's
/// personnummer masked unless `staff`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn view(
    state: &AppState,
    id: &str,
    staff: bool,
    locale: Locale,
    pages: Pages,
) -> AppResult<CompanyView> {
    let db = &state.db;
    let row = sqlx::query("SELECT * FROM companies WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
    let contacts = parts(db, id, Part::Contact).await?;
    let branches = parts(db, id, Part::Branch).await?;
    let admins = sqlx::query(
        "SELECT a.id, a.username, a.display_name, a.email FROM account_roles r
         JOIN accounts a ON a.id = r.account_id
         WHERE r.role = 'company_admin' AND r.scope = $1 ORDER BY a.display_name",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        Ok(Admin {
            account_id: r.try_get("id")?,
            username: r.try_get("username")?,
            display_name: r.try_get("display_name")?,
            email: r.try_get("email")?,
        })
    })
    .collect::<sqlx::Result<_>>()?;
    let today = state.clock.today().format("%Y-%m-%d").to_string();
    let page = pages.employees.max(1);
    let employees = sqlx::query(&format!(
        "SELECT {} FROM employments e JOIN companies c ON c.id = e.company_id
         JOIN people p ON p.id = e.person_id
         WHERE e.company_id = $1
         ORDER BY (e.end_date IS NOT NULL AND e.end_date < $2), e.status = 'declined',
                  p.last_name, p.first_name, e.id
         LIMIT $3 OFFSET $4",
        people::EMPLOYMENT_COLUMNS
    ))
    .bind(id)
    .bind(&today)
    .bind(i64::from(LIST_SIZE) + 1)
    .bind(crate::types::offset(page, LIST_SIZE))
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        let mut e = people::employment_from_row(r)?;
        if !staff {
            // The register's id would tell the company whether, and since when, the person
            // was known: it sees only what it typed.
            e.person_id.clear();
            if e.end_date
                .as_deref()
                .is_some_and(|end| end < today.as_str())
            {
                e.pnr = crate::events::words::masked_pnr(&e.pnr);
            }
        }
        Ok(e)
    })
    .collect::<sqlx::Result<Vec<_>>>()?;
    let notes = if staff {
        let page = pages.notes.max(1);
        let rows = sqlx::query(
            "SELECT id, author_label, body, created_at FROM company_notes WHERE company_id = $1
             ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
        )
        .bind(id)
        .bind(i64::from(LIST_SIZE) + 1)
        .bind(crate::types::offset(page, LIST_SIZE))
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Note {
                id: r.try_get("id")?,
                author: r.try_get("author_label")?,
                body: r.try_get("body")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
        Some(Paged::of(rows, page, LIST_SIZE))
    } else {
        None
    };
    // Notes are the body's own: a company's reader does not learn one was written.
    let hide: &[&str] = if staff { &[] } else { &["company.note_added"] };
    let events = events::views(
        db,
        Subject::company(id),
        locale,
        events::Reader {
            staff,
            owner: false,
        },
        pages.events,
        hide,
    )
    .await?;
    Ok(CompanyView {
        id: id.to_owned(),
        orgnr: orgnr_display(&row.try_get::<String, _>("orgnr")?),
        details: details_from_row(&row)?,
        contacts,
        admins,
        employees: Paged::of(employees, page, LIST_SIZE),
        branches,
        events,
        notes,
        today,
        attester: false,
    })
}

async fn exists(conn: &mut AnyConnection, company_id: &str) -> AppResult<()> {
    sqlx::query("SELECT id FROM companies WHERE id = $1")
        .bind(company_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(())
}

async fn log(
    conn: &mut AnyConnection,
    clock: &Clock,
    company_id: &str,
    actor: &Actor,
    action: &str,
    details: serde_json::Value,
) -> AppResult<()> {
    events::append(
        conn,
        clock,
        Subject::company(company_id),
        actor,
        action,
        details,
    )
    .await?;
    Ok(())
}

/// A company's list of simple parts: its contact persons ("Kontaktpersoner") or branches
/// ("Filial"), each four fields described by a [`Spec`](crate::validate::Spec) table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Contact,
    Branch,
}

impl Part {
    pub fn parse(kind: &str) -> Option<Part> {
        match kind {
            "contact" => Some(Part::Contact),
            "branch" => Some(Part::Branch),
            _ => None,
        }
    }

    pub fn specs(self) -> &'static [crate::validate::Spec; 4] {
        match self {
            Part::Contact => &CONTACT,
            Part::Branch => &BRANCH,
        }
    }

    fn table(self) -> &'static str {
        match self {
            Part::Contact => "company_contacts",
            Part::Branch => "company_branches",
        }
    }

    fn actions(self) -> (&'static str, &'static str) {
        match self {
            Part::Contact => ("company.contact_added", "company.contact_removed"),
            Part::Branch => ("company.branch_added", "company.branch_removed"),
        }
    }
}

async fn parts(db: &Db, company_id: &str, part: Part) -> AppResult<Vec<PartRow>> {
    let columns: Vec<&str> = part.specs().iter().map(|s| s.name).collect();
    let rows = sqlx::query(&format!(
        "SELECT id, {} FROM {} WHERE company_id = $1 ORDER BY name",
        columns.join(", "),
        part.table()
    ))
    .bind(company_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PartRow {
                id: r.try_get("id")?,
                values: [
                    r.try_get(columns[0])?,
                    r.try_get(columns[1])?,
                    r.try_get(columns[2])?,
                    r.try_get(columns[3])?,
                ],
            })
        })
        .collect()
}

/// Adds a contact person or a branch; `values` follow the part's specs.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add_part(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    company_id: &str,
    part: Part,
    values: &[String; 4],
) -> AppResult<()> {
    let specs = part.specs();
    let v = check_all(locale, specs, |n| {
        specs
            .iter()
            .position(|s| s.name == n)
            .map(|i| values[i].clone())
            .unwrap_or_default()
    })
    .map_err(AppError::Validation)?;
    let columns: Vec<&str> = specs.iter().map(|s| s.name).collect();
    let mut tx = state.db.begin().await?;
    exists(&mut tx, company_id).await?;
    sqlx::query(&format!(
        "INSERT INTO {} (id, company_id, {}, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        part.table(),
        columns.join(", ")
    ))
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(company_id)
    .bind(&v[0])
    .bind(&v[1])
    .bind(&v[2])
    .bind(&v[3])
    .bind(to_db(state.clock.now()))
    .execute(&mut *tx)
    .await?;
    let details = serde_json::json!({ "name": v[0] });
    log(
        &mut tx,
        &state.clock,
        company_id,
        actor,
        part.actions().0,
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a contact person or a branch of the company.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn remove_part(
    state: &AppState,
    actor: &Actor,
    company_id: &str,
    part: Part,
    id: &str,
) -> AppResult<()> {
    let table = part.table();
    let mut tx = state.db.begin().await?;
    let name: String = sqlx::query_scalar(&format!(
        "SELECT name FROM {table} WHERE id = $1 AND company_id = $2"
    ))
    .bind(id)
    .bind(company_id)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(&format!("DELETE FROM {table} WHERE id = $1"))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let details = serde_json::json!({ "name": name });
    log(
        &mut tx,
        &state.clock,
        company_id,
        actor,
        part.actions().1,
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

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
    locale: Locale,
    company_id: &str,
    new: &NewEmployee<'_>,
    by_staff: bool,
) -> AppResult<()> {
    let mut errors = Vec::new();
    let pnr = Pnr::parse(new.pnr, state.clock.today())
        .map_err(|t| errors.push(FieldError::new("pnr", locale.text(t))))
        .ok();
    let values = check_all(locale, &EMPLOYEE, |n| {
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
            return Err(crate::auth::service::rate_limited("pnr", locale, wait));
        }
    }
    let mut tx = state.db.begin().await?;
    exists(&mut tx, company_id).await?;
    let person: Option<String> = sqlx::query_scalar("SELECT id FROM people WHERE pnr = $1")
        .bind(pnr.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    let person_id = match person {
        Some(id) => {
            // A current or waiting employment here: the company knows of it already.
            let current: Option<String> = sqlx::query_scalar(
                "SELECT id FROM employments WHERE company_id = $1 AND person_id = $2
                 AND status <> 'declined' AND (end_date IS NULL OR end_date >= $3)",
            )
            .bind(company_id)
            .bind(&id)
            .bind(state.clock.today().format("%Y-%m-%d").to_string())
            .fetch_optional(&mut *tx)
            .await?;
            if current.is_some() {
                return Err(AppError::field(
                    "pnr",
                    locale.text(Text::FieldAlreadyEmployed),
                ));
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
                .map_err(|e| AppError::from_db(e, &[people::pnr_taken(locale)]))?
        }
    };
    let employment_id = uuid::Uuid::now_v7().to_string();
    let status = match by_staff {
        true => EmploymentStatus::Confirmed,
        false => EmploymentStatus::Pending,
    }
    .code();
    sqlx::query(
        "INSERT INTO employments (id, company_id, person_id, position, start_date, created_at,
             status, claimed_name, requested_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&employment_id)
    .bind(company_id)
    .bind(&person_id)
    .bind(position)
    .bind(start)
    .bind(to_db(state.clock.now()))
    .bind(status)
    .bind(&claimed)
    .bind(&actor.account_id)
    .execute(&mut *tx)
    .await?;
    let company: String = sqlx::query_scalar("SELECT name FROM companies WHERE id = $1")
        .bind(company_id)
        .fetch_one(&mut *tx)
        .await?;
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
    let declined: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM employments WHERE company_id = $1 AND person_id = $2
         AND status = 'declined' AND decided_at > $3",
    )
    .bind(company_id)
    .bind(person_id)
    .bind(&since)
    .fetch_one(&mut *conn)
    .await?;
    if declined > 0 {
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
    sqlx::query(
        "INSERT INTO employment_tokens (token_hash, employment_id, expires_at) VALUES ($1, $2, $3)",
    )
    .bind(crate::auth::session::token_hash(&token))
    .bind(employment_id)
    .bind(to_db(
        now + chrono::Duration::days(people::EMPLOYMENT_LINK_DAYS),
    ))
    .execute(&mut *conn)
    .await?;
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
    locale: Locale,
    company_id: &str,
    id: &str,
    end_date: &str,
) -> AppResult<()> {
    let spec = crate::validate::Spec::text("end_date", Text::EmploymentEnd, 10)
        .of(crate::validate::Kind::Date)
        .required();
    let end = crate::validate::check(locale, &spec, end_date)
        .map_err(|m| AppError::field("end_date", m))?;
    let mut tx = state.db.begin().await?;
    let row = sqlx::query(
        "SELECT person_id, start_date, end_date FROM employments WHERE id = $1 AND company_id = $2",
    )
    .bind(id)
    .bind(company_id)
    .fetch_one(&mut *tx)
    .await?;
    let start: String = row.try_get("start_date")?;
    if end < start {
        return Err(AppError::field(
            "end_date",
            locale.format(Text::FieldEndBeforeStart, &[("start", &start)]),
        ));
    }
    let person_id: String = row.try_get("person_id")?;
    sqlx::query("UPDATE employments SET end_date = $1 WHERE id = $2")
        .bind(&end)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let details = serde_json::json!({ "end": end });
    log(
        &mut tx,
        &state.clock,
        company_id,
        actor,
        "company.employment_ended",
        details.clone(),
    )
    .await?;
    events::append(
        &mut tx,
        &state.clock,
        Subject::person(&person_id),
        actor,
        "person.employment_ended",
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// "Ny anteckning": a note only the certification body reads.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add_note(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    company_id: &str,
    body: &str,
) -> AppResult<()> {
    let spec = crate::validate::Spec::text("body", Text::NoteBody, 4000).required();
    let body =
        crate::validate::check(locale, &spec, body).map_err(|m| AppError::field("body", m))?;
    let mut tx = state.db.begin().await?;
    exists(&mut tx, company_id).await?;
    sqlx::query(
        "INSERT INTO company_notes (id, company_id, author_id, author_label, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(company_id)
    .bind(&actor.account_id)
    .bind(&actor.label)
    .bind(&body)
    .bind(to_db(state.clock.now()))
    .execute(&mut *tx)
    .await?;
    // The log says a note was written, not what it says: the log is shown to the company.
    log(
        &mut tx,
        &state.clock,
        company_id,
        actor,
        "company.note_added",
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
