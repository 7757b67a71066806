//! Companies: their details and billing, contact persons, branches, administrators, employees
//! and the certification body's notes. Every change is an event on the company.

use super::model::{
    BILLING, BILLING_METHODS, BRANCH, COMPANY, CONTACT, CompaniesPage, CompanyDetails, CompanyView,
    PartRow,
};
use super::store;
use crate::clock::{Clock, to_db};
use crate::db::Db;
use crate::db::{search_patterns, search_text};
use crate::error::{AppError, AppResult, Constraint, FieldError};
use crate::events::service::{self as events, Actor, Subject};
use crate::i18n::Text;
use crate::people::model::PAGE_SIZE;
use crate::state::AppState;
use crate::types::{Orgnr, Paged};
use crate::validate::check_all;
use sqlx::AnyConnection;

pub use super::employees::{
    EMPLOYEES_PER_HOUR, NewEmployee, QUIET_DAYS, add_employee, end_employment,
};

/// Checks the company form. Billing by email needs a billing email address.
pub fn check_details(raw: &CompanyDetails) -> Result<CompanyDetails, Vec<FieldError>> {
    let specs: Vec<_> = COMPANY.iter().chain(BILLING.iter()).copied().collect();
    let mut errors = Vec::new();
    let values = check_all(&specs, |n| raw.get(n).to_owned())
        .map_err(|e| errors.extend(e))
        .unwrap_or_default();
    let method = raw.billing_method.trim();
    if !BILLING_METHODS.iter().any(|(m, _)| *m == method) {
        errors.push(FieldError::new(
            "billing_method",
            Text::FieldBillingMethodInvalid,
        ));
    } else if method == "email"
        && raw.billing_email.trim().is_empty()
        && !errors.iter().any(|e| e.field == "billing_email")
    {
        errors.push(FieldError::new(
            "billing_email",
            Text::FieldBillingEmailRequired,
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

fn orgnr_taken() -> Constraint<'static> {
    Constraint {
        name: "companies_orgnr_key",
        columns: "companies.orgnr",
        field: "orgnr",
        message: Text::FieldOrgnrTaken,
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
    orgnr: &str,
    raw: &CompanyDetails,
) -> AppResult<String> {
    let mut errors = Vec::new();
    let parsed = Orgnr::parse(orgnr)
        .map_err(|t| errors.push(FieldError::new("orgnr", t)))
        .ok();
    let details = check_details(raw).map_err(|e| errors.extend(e)).ok();
    let (Some(orgnr), Some(details)) = (parsed, details) else {
        return Err(AppError::Validation(errors));
    };
    let mut tx = state.db.begin().await?;
    let id = insert(&mut tx, &state.clock, actor, &orgnr, &details)
        .await
        .map_err(|e| AppError::from_db(e, &[orgnr_taken()]))?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a company's details and billing, and logs which fields changed.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: &str,
    raw: &CompanyDetails,
) -> AppResult<()> {
    let d = check_details(raw).map_err(AppError::Validation)?;
    let mut tx = state.db.begin().await?;
    let store::Company {
        orgnr,
        details: before,
    } = store::company(&mut tx, id).await?;
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
    if only.is_some_and(|ids| ids.is_empty()) {
        return Ok(Paged::of(Vec::new(), page, PAGE_SIZE));
    }
    let rows = store::search(
        &db.pool,
        &patterns,
        only,
        i64::from(PAGE_SIZE) + 1,
        crate::types::offset(page, PAGE_SIZE),
    )
    .await?;
    let mut found = Paged::of(rows, page, PAGE_SIZE);
    for c in &mut found.items {
        c.orgnr = orgnr_display(&c.orgnr);
    }
    Ok(found)
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
pub const LIST_SIZE: u32 = crate::types::LIST_PAGE;

/// Everything the company page shows. Notes only when `staff`; a former employee's
/// personnummer masked unless `staff`.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn view(state: &AppState, id: &str, staff: bool, pages: Pages) -> AppResult<CompanyView> {
    let db = &state.db;
    let company = store::company(&mut *db.pool.acquire().await?, id).await?;
    let contacts = parts(db, id, Part::Contact).await?;
    let branches = parts(db, id, Part::Branch).await?;
    let admins = store::admins(&db.pool, id).await?;
    let today = state.clock.today().format("%Y-%m-%d").to_string();
    let page = pages.employees.max(1);
    let employees = store::employments(
        &db.pool,
        id,
        &today,
        i64::from(LIST_SIZE) + 1,
        crate::types::offset(page, LIST_SIZE),
    )
    .await?
    .into_iter()
    .map(|mut e| {
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
        e
    })
    .collect::<Vec<_>>();
    let notes = if staff {
        let page = pages.notes.max(1);
        let rows = store::notes(
            &db.pool,
            id,
            i64::from(LIST_SIZE) + 1,
            crate::types::offset(page, LIST_SIZE),
        )
        .await?;
        Some(Paged::of(rows, page, LIST_SIZE))
    } else {
        None
    };
    // Notes are the body's own: a company's reader does not learn one was written.
    let hide: &[&str] = if staff { &[] } else { &["company.note_added"] };
    let events = events::views(
        state,
        Subject::company(id),
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
        orgnr: orgnr_display(&company.orgnr),
        details: company.details,
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

pub(super) async fn exists(conn: &mut AnyConnection, company_id: &str) -> AppResult<()> {
    Ok(store::exists(conn, company_id).await?)
}

pub(super) async fn log(
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

    fn columns(self) -> [&'static str; 4] {
        self.specs().map(|s| s.name)
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
    Ok(store::parts(&db.pool, part.table(), part.columns(), company_id).await?)
}

/// Adds a contact person or a branch; `values` follow the part's specs.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add_part(
    state: &AppState,
    actor: &Actor,
    company_id: &str,
    part: Part,
    values: &[String; 4],
) -> AppResult<()> {
    let specs = part.specs();
    let v = check_all(specs, |n| {
        specs
            .iter()
            .position(|s| s.name == n)
            .map(|i| values[i].clone())
            .unwrap_or_default()
    })
    .map_err(AppError::Validation)?;
    let mut tx = state.db.begin().await?;
    exists(&mut tx, company_id).await?;
    let now = to_db(state.clock.now());
    store::insert_part(&mut tx, part.table(), part.columns(), company_id, &v, &now).await?;
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
    let mut tx = state.db.begin().await?;
    let name = store::delete_part(&mut tx, part.table(), company_id, id).await?;
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

/// "Ny anteckning": a note only the certification body reads.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add_note(
    state: &AppState,
    actor: &Actor,
    company_id: &str,
    body: &str,
) -> AppResult<()> {
    let spec = crate::validate::Spec::text("body", Text::NoteBody, 4000).required();
    let body = crate::validate::check(&spec, body).map_err(|m| AppError::field("body", m))?;
    let mut tx = state.db.begin().await?;
    exists(&mut tx, company_id).await?;
    let now = to_db(state.clock.now());
    let note = store::NewNote {
        company_id,
        author_id: actor.account_id.as_deref(),
        author_label: &actor.label,
        body: &body,
        now: &now,
    };
    store::insert_note(&mut tx, &note).await?;
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
