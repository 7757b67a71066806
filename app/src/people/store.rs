//! People's SQL, and only the SQL: their rows, their employments as the person and the handlers
//! see them, the emailed links that confirm an employment, and their change requests. Rows are
//! read once into typed structs, statuses and dates converted where they are read.

use super::model::{ChangeStatus, DETAILS, EmploymentStatus, PersonDetails};
use crate::db::{Day, PersonName, search_clause, search_text};
use sqlx::{AnyConnection, AnyPool};

/// A person's columns, in the order [`Person`] reads them.
const PERSON_COLUMNS: &str = "id, pnr, first_name, middle_name, last_name, address, postal_code, \
                              city, phone, mobile, email, communication, account_id";

/// A person's row: the personnummer in its 12-digit form, and the account linked to it.
#[derive(Debug, sqlx::FromRow)]
pub struct Person {
    pub id: String,
    pub pnr: String,
    #[sqlx(flatten)]
    pub details: PersonDetails,
    pub account_id: Option<String>,
}

/// Writes a person's row: a new one (`insert`), or new details for an existing one. The search
/// text is made from the name, the personnummer and the email.
pub async fn write(
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
    row.write(&mut *conn, insert).await?;
    // What the public register searches, lower-cased here (SQLite's lower() knows only ASCII).
    sqlx::query("UPDATE people SET register_name = $1, register_town = $2 WHERE id = $3")
        .bind(d.full_name().to_lowercase())
        .bind(d.get("city").to_lowercase())
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Links a person to an account.
pub async fn set_account(conn: &mut AnyConnection, id: &str, account_id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE people SET account_id = $1 WHERE id = $2")
        .bind(account_id)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// The people whose search text matches every pattern (everyone for none), by name and then
/// personnummer: `limit` rows after the first `offset`.
pub async fn search(
    pool: &AnyPool,
    patterns: &[String],
    limit: u32,
    offset: i64,
) -> sqlx::Result<Vec<Person>> {
    let sql = format!(
        "SELECT {PERSON_COLUMNS} FROM people WHERE 1 = 1{} ORDER BY last_name, first_name, pnr
         LIMIT {limit} OFFSET {offset}",
        search_clause(patterns, 1),
    );
    let mut q = sqlx::query_as(&sql);
    for p in patterns {
        q = q.bind(p);
    }
    q.fetch_all(pool).await
}

/// The person linked to an account, if any.
pub async fn of_account(
    conn: &mut AnyConnection,
    account_id: &str,
) -> sqlx::Result<Option<Person>> {
    sqlx::query_as(&format!(
        "SELECT {PERSON_COLUMNS} FROM people WHERE account_id = $1"
    ))
    .bind(account_id)
    .fetch_optional(conn)
    .await
}

/// A person by id; `RowNotFound` when there is none.
pub async fn person(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Person> {
    sqlx::query_as(&format!(
        "SELECT {PERSON_COLUMNS} FROM people WHERE id = $1"
    ))
    .bind(id)
    .fetch_one(conn)
    .await
}

/// A person's 12-digit personnummer, which an update of their row must match.
pub async fn pnr(conn: &mut AnyConnection, id: &str) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT pnr FROM people WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// A person with the username of their account, for the staff's page.
#[derive(Debug, sqlx::FromRow)]
pub struct PersonWithAccount {
    #[sqlx(flatten)]
    pub person: Person,
    pub username: Option<String>,
}

/// A person by id with their account's username; `RowNotFound` when there is none.
pub async fn with_account(pool: &AnyPool, id: &str) -> sqlx::Result<PersonWithAccount> {
    sqlx::query_as(&format!(
        "SELECT p.{}, a.username FROM people p LEFT JOIN accounts a ON a.id = p.account_id WHERE p.id = $1",
        PERSON_COLUMNS.replace(", ", ", p.")
    ))
    .bind(id)
    .fetch_one(pool)
    .await
}

/// An employment with its company and person, as [`EmploymentRow`] reads it. The companies'
/// list of employees selects it too, with its own conditions and order.
pub const EMPLOYMENT_COLUMNS: &str = "e.id, e.company_id, c.name AS company_name, e.person_id, \
     e.position, e.start_date, e.end_date, e.status, e.claimed_name, p.first_name, p.middle_name, \
     p.last_name, p.pnr";

/// An employment with its company's name, and both names of the person: the one the company
/// typed (`claimed_name`) and the register's.
#[derive(Debug, sqlx::FromRow)]
pub struct EmploymentRow {
    pub id: String,
    pub company_id: String,
    pub company_name: String,
    pub person_id: String,
    pub position: String,
    pub start_date: Day,
    pub end_date: Option<Day>,
    #[sqlx(try_from = "String")]
    pub status: EmploymentStatus,
    pub claimed_name: String,
    #[sqlx(flatten)]
    pub name: PersonName,
    pub pnr: String,
}

impl EmploymentRow {
    /// The person's name as the register has it.
    pub fn real_name(&self) -> String {
        self.name.full()
    }
}

/// A person's employments, pending ones first, then current ones, the latest begun first.
pub async fn employments_of(pool: &AnyPool, person_id: &str) -> sqlx::Result<Vec<EmploymentRow>> {
    sqlx::query_as(&format!(
        "SELECT {EMPLOYMENT_COLUMNS}
         FROM employments e JOIN companies c ON c.id = e.company_id JOIN people p ON p.id = e.person_id
         WHERE e.person_id = $1
         ORDER BY e.status <> 'pending', e.end_date IS NOT NULL, e.start_date DESC"
    ))
    .bind(person_id)
    .fetch_all(pool)
    .await
}

/// An employment with the account of its person, who may decide it.
#[derive(Debug, sqlx::FromRow)]
pub struct OwnedEmployment {
    #[sqlx(flatten)]
    pub employment: EmploymentRow,
    pub account_id: Option<String>,
}

/// An employment by id, inside the transaction that decides it; `RowNotFound` when there is
/// none.
pub async fn owned_employment(conn: &mut AnyConnection, id: &str) -> sqlx::Result<OwnedEmployment> {
    sqlx::query_as(&format!(
        "SELECT {EMPLOYMENT_COLUMNS}, p.account_id
         FROM employments e JOIN companies c ON c.id = e.company_id JOIN people p ON p.id = e.person_id
         WHERE e.id = $1"
    ))
    .bind(id)
    .fetch_one(conn)
    .await
}

/// The person an employment is of, if the employment exists.
pub async fn employment_person(pool: &AnyPool, id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT person_id FROM employments WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// Decides a pending employment the company has not ended: `status` at `now` by `label`. False
/// when it was no longer pending (decided before, or by someone at the same moment) or was
/// withdrawn meanwhile: the conditions in the WHERE let only one decision win.
pub async fn decide_employment(
    conn: &mut AnyConnection,
    id: &str,
    status: EmploymentStatus,
    now: &str,
    label: &str,
) -> sqlx::Result<bool> {
    let changed = sqlx::query(
        "UPDATE employments SET status = $1, decided_at = $2, decided_label = $3
         WHERE id = $4 AND status = 'pending' AND end_date IS NULL",
    )
    .bind(status.code())
    .bind(now)
    .bind(label)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(changed.rows_affected() != 0)
}

/// The employments waiting for a handler: those of people who have neither account nor email
/// first, then the oldest; `limit` rows after the first `offset`.
pub async fn pending_employments(
    pool: &AnyPool,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<EmploymentRow>> {
    sqlx::query_as(&format!(
        "SELECT {EMPLOYMENT_COLUMNS}
         FROM employments e JOIN companies c ON c.id = e.company_id JOIN people p ON p.id = e.person_id
         WHERE e.status = 'pending' AND e.end_date IS NULL
         ORDER BY (p.account_id IS NULL AND p.email = '') DESC, e.created_at, e.id LIMIT $1 OFFSET $2"
    ))
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}

/// The employment an emailed link is about, when the link (found by its token's hash) is
/// neither used nor expired at `now`.
pub async fn employment_of_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT employment_id FROM employment_tokens
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// Marks an emailed link used at `now`, so it works only once.
pub async fn spend_token(pool: &AnyPool, token_hash: &str, now: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE employment_tokens SET used_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(token_hash)
        .execute(pool)
        .await
        .map(|_| ())
}

/// What the emailed link asks the person to confirm.
#[derive(Debug, sqlx::FromRow)]
pub struct Invite {
    #[sqlx(rename = "name")]
    pub company: String,
    pub position: String,
    pub start_date: Day,
    #[sqlx(try_from = "String")]
    pub status: EmploymentStatus,
    /// Set when the company ended it (before it was confirmed: withdrawn).
    pub end_date: Option<Day>,
}

/// An employment as its emailed link shows it; `RowNotFound` when there is none.
pub async fn invite(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Invite> {
    sqlx::query_as(
        "SELECT c.name, e.position, e.start_date, e.status, e.end_date FROM employments e
         JOIN companies c ON c.id = e.company_id WHERE e.id = $1",
    )
    .bind(id)
    .fetch_one(conn)
    .await
}

/// The company of the person's confirmed employment current on `today` (the latest begun, if
/// there are several).
pub async fn employer(
    pool: &AnyPool,
    person_id: &str,
    today: chrono::NaiveDate,
) -> sqlx::Result<Option<super::model::Employer>> {
    sqlx::query_as(
        "SELECT c.name, c.address, c.postal_code, c.city, c.website, c.phone, c.email, c.billing_name,
                c.billing_address, c.billing_postal_code, c.billing_city, c.invoice_reference
         FROM employments e JOIN companies c ON c.id = e.company_id
         WHERE e.person_id = $1 AND e.status = 'confirmed' AND (e.end_date IS NULL OR e.end_date >= $2)
         ORDER BY e.start_date DESC LIMIT 1",
    )
    .bind(person_id)
    .bind(Day::text(today))
    .fetch_optional(pool)
    .await
}

/// A change request with its person's name and personnummer. `previous` and `proposed` are the
/// details as JSON, which the service reads.
#[derive(Debug, sqlx::FromRow)]
pub struct Change {
    pub id: String,
    pub person_id: String,
    #[sqlx(try_from = "String")]
    pub status: ChangeStatus,
    pub previous: String,
    pub proposed: String,
    pub submitted_at: Option<String>,
    pub decided_at: Option<String>,
    pub decided_label: Option<String>,
    pub reason: Option<String>,
    #[sqlx(flatten)]
    pub name: PersonName,
    pub pnr: String,
}

impl Change {
    /// The person's name as the register has it now.
    pub fn person_name(&self) -> String {
        self.name.full()
    }
}

/// The change requests matching `condition` (on `c`, the request, and `p`, its person; `$1` is
/// `bind`), newest first.
async fn changes_where(pool: &AnyPool, condition: &str, bind: &str) -> sqlx::Result<Vec<Change>> {
    sqlx::query_as(&format!(
        "SELECT c.id, c.person_id, c.status, c.previous, c.proposed, c.submitted_at,
                c.decided_at, c.decided_label, c.reason, p.first_name, p.middle_name, p.last_name,
                p.pnr
         FROM change_requests c JOIN people p ON p.id = c.person_id
         WHERE {condition} ORDER BY c.created_at DESC"
    ))
    .bind(bind)
    .fetch_all(pool)
    .await
}

/// All of a person's change requests, drafts too, newest first.
pub async fn changes_of(pool: &AnyPool, person_id: &str) -> sqlx::Result<Vec<Change>> {
    changes_where(pool, "c.person_id = $1", person_id).await
}

/// A person's change requests that were sent (not drafts), newest first.
pub async fn sent_changes_of(pool: &AnyPool, person_id: &str) -> sqlx::Result<Vec<Change>> {
    changes_where(pool, "c.person_id = $1 AND c.status <> 'draft'", person_id).await
}

/// Everyone's change requests in `status`, newest first.
pub async fn changes_in(pool: &AnyPool, status: ChangeStatus) -> sqlx::Result<Vec<Change>> {
    changes_where(pool, "c.status = $1", status.code()).await
}

/// Deletes the person's draft, if they have one.
pub async fn delete_drafts(conn: &mut AnyConnection, person_id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM change_requests WHERE person_id = $1 AND status = 'draft'")
        .bind(person_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// A draft change request: `previous` and `proposed` are the details as JSON.
pub struct Draft<'a> {
    pub id: &'a str,
    pub person_id: &'a str,
    pub previous: &'a str,
    pub proposed: &'a str,
    pub requested_by: &'a str,
    pub now: &'a str,
}

/// Inserts a draft change request.
pub async fn insert_draft(conn: &mut AnyConnection, d: &Draft<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO change_requests (id, person_id, status, previous, proposed, requested_by, created_at)
         VALUES ($1, $2, 'draft', $3, $4, $5, $6)",
    )
    .bind(d.id)
    .bind(d.person_id)
    .bind(d.previous)
    .bind(d.proposed)
    .bind(d.requested_by)
    .bind(d.now)
    .execute(conn)
    .await
    .map(|_| ())
}

/// The proposed details (JSON) of the person's draft `id`; `None` when they have no such draft.
pub async fn draft_proposed(
    conn: &mut AnyConnection,
    id: &str,
    person_id: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT proposed FROM change_requests WHERE id = $1 AND person_id = $2 AND status = 'draft'",
    )
    .bind(id)
    .bind(person_id)
    .fetch_optional(conn)
    .await
}

/// Withdraws the person's change still waiting for a handler, at `now`.
pub async fn withdraw_pending(
    conn: &mut AnyConnection,
    person_id: &str,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE change_requests SET status = 'withdrawn', decided_at = $1
         WHERE person_id = $2 AND status = 'pending'",
    )
    .bind(now)
    .bind(person_id)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Sends a draft to the handlers at `now`, with the details it changes as they are now
/// (`previous`, JSON).
pub async fn submit(
    conn: &mut AnyConnection,
    id: &str,
    now: &str,
    previous: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE change_requests SET status = 'pending', submitted_at = $1, previous = $2 WHERE id = $3",
    )
    .bind(now)
    .bind(previous)
    .bind(id)
    .execute(conn)
    .await
    .map(|_| ())
}

/// A change request as a handler's decision needs it: who asked, whose it is, and what.
#[derive(Debug, sqlx::FromRow)]
pub struct ToDecide {
    pub person_id: String,
    /// The proposed details, JSON.
    pub proposed: String,
    #[sqlx(try_from = "String")]
    pub status: ChangeStatus,
    pub requested_by: Option<String>,
    /// The account of the person the request is about.
    pub account_id: Option<String>,
}

/// A change request by id, inside the transaction that decides it; `RowNotFound` when there is
/// none.
pub async fn to_decide(conn: &mut AnyConnection, id: &str) -> sqlx::Result<ToDecide> {
    sqlx::query_as(
        "SELECT c.person_id, c.proposed, c.status, c.requested_by, p.account_id
         FROM change_requests c JOIN people p ON p.id = c.person_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_one(conn)
    .await
}

/// A handler's decision on a change request.
pub struct Decision<'a> {
    pub status: ChangeStatus,
    pub by: Option<&'a str>,
    pub label: &'a str,
    pub at: &'a str,
    pub reason: Option<&'a str>,
}

/// Decides a pending change request. False when it was no longer pending: the status check in
/// the WHERE makes two handlers deciding at once safe, one wins.
pub async fn decide_change(
    conn: &mut AnyConnection,
    id: &str,
    d: &Decision<'_>,
) -> sqlx::Result<bool> {
    let updated = sqlx::query(
        "UPDATE change_requests SET status = $1, decided_by = $2, decided_label = $3, decided_at = $4,
             reason = $5
         WHERE id = $6 AND status = 'pending'",
    )
    .bind(d.status.code())
    .bind(d.by)
    .bind(d.label)
    .bind(d.at)
    .bind(d.reason)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(updated.rows_affected() == 1)
}
