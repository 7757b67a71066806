//! The companies' SQL, and only the SQL: their rows, contact persons and branches, admins,
//! employments and notes, read once into typed structs.

use super::model::{Admin, CompanyDetails, CompanyRow, Note, PartRow};
use crate::db::search_clause;
use crate::people::model::{Employment, EmploymentStatus};
use crate::people::store::{EMPLOYMENT_COLUMNS, EmploymentRow};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, FromRow, Row};

/// A company's form fields, each its column of the same name.
impl<'r> FromRow<'r, AnyRow> for CompanyDetails {
    fn from_row(r: &'r AnyRow) -> sqlx::Result<CompanyDetails> {
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
}

/// A company's organisationsnummer (ten digits) and its details.
#[derive(Debug, FromRow)]
pub struct Company {
    pub orgnr: String,
    #[sqlx(flatten)]
    pub details: CompanyDetails,
}

pub async fn company(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Company> {
    sqlx::query_as("SELECT * FROM companies WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// Fails with `RowNotFound` unless the company exists.
pub async fn exists(conn: &mut AnyConnection, id: &str) -> sqlx::Result<()> {
    sqlx::query("SELECT id FROM companies WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
        .map(|_| ())
}

pub async fn name(conn: &mut AnyConnection, id: &str) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT name FROM companies WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// Companies whose search text matches every pattern, limited to `only` when given (never
/// empty), by name: `limit` rows from `offset`. The organisationsnummer comes undivided.
pub async fn search(
    pool: &AnyPool,
    patterns: &[String],
    only: Option<&[&str]>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<CompanyRow>> {
    let mut binds: Vec<String> = patterns.to_vec();
    let mut sql = format!(
        "SELECT id, orgnr, name, city FROM companies WHERE 1 = 1{}",
        search_clause(patterns, 1)
    );
    if let Some(ids) = only {
        let list = crate::db::placeholders(binds.len() + 1, ids.len());
        sql.push_str(&format!(" AND id IN ({list})"));
        binds.extend(ids.iter().map(|s| (*s).to_owned()));
    }
    sql.push_str(&format!(
        " ORDER BY name, orgnr LIMIT {limit} OFFSET {offset}"
    ));
    let mut q = sqlx::query_as(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    q.fetch_all(pool).await
}

/// The company's administrators, by name.
pub async fn admins(pool: &AnyPool, company_id: &str) -> sqlx::Result<Vec<Admin>> {
    sqlx::query_as(
        "SELECT a.id AS account_id, a.username, a.display_name, a.email FROM account_roles r
         JOIN accounts a ON a.id = r.account_id
         WHERE r.role = 'company_admin' AND r.scope = $1 ORDER BY a.display_name",
    )
    .bind(company_id)
    .fetch_all(pool)
    .await
}

/// The company's employments, current and waiting first, then by name: `limit` rows from
/// `offset`.
pub async fn employments(
    pool: &AnyPool,
    company_id: &str,
    today: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Employment>> {
    let rows: Vec<EmploymentRow> = sqlx::query_as(&format!(
        "SELECT {EMPLOYMENT_COLUMNS} FROM employments e JOIN companies c ON c.id = e.company_id
         JOIN people p ON p.id = e.person_id
         WHERE e.company_id = $1
         ORDER BY (e.end_date IS NOT NULL AND e.end_date < $2), e.status = 'declined',
                  p.last_name, p.first_name, e.id
         LIMIT $3 OFFSET $4"
    ))
    .bind(company_id)
    .bind(today)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Employment::from).collect())
}

/// The body's notes on the company, newest first: `limit` rows from `offset`.
pub async fn notes(
    pool: &AnyPool,
    company_id: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Note>> {
    sqlx::query_as(
        "SELECT id, author_label AS author, body, created_at FROM company_notes
         WHERE company_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(company_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}

pub struct NewNote<'a> {
    pub company_id: &'a str,
    pub author_id: Option<&'a str>,
    pub author_label: &'a str,
    pub body: &'a str,
    pub now: &'a str,
}

pub async fn insert_note(conn: &mut AnyConnection, n: &NewNote<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO company_notes (id, company_id, author_id, author_label, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(n.company_id)
    .bind(n.author_id)
    .bind(n.author_label)
    .bind(n.body)
    .bind(n.now)
    .execute(conn)
    .await
    .map(|_| ())
}

/// A list of four-field parts of a company (its contact persons or branches) in `table`, with
/// the fields `columns`, by name.
pub async fn parts(
    pool: &AnyPool,
    table: &str,
    columns: [&str; 4],
    company_id: &str,
) -> sqlx::Result<Vec<PartRow>> {
    let rows = sqlx::query(&format!(
        "SELECT id, {} FROM {table} WHERE company_id = $1 ORDER BY name",
        columns.join(", "),
    ))
    .bind(company_id)
    .fetch_all(pool)
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

pub async fn insert_part(
    conn: &mut AnyConnection,
    table: &str,
    columns: [&str; 4],
    company_id: &str,
    values: &[String],
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "INSERT INTO {table} (id, company_id, {}, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        columns.join(", ")
    ))
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(company_id)
    .bind(&values[0])
    .bind(&values[1])
    .bind(&values[2])
    .bind(&values[3])
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Deletes the company's part `id` from `table`; returns its name (`RowNotFound` when it is
/// not the company's).
pub async fn delete_part(
    conn: &mut AnyConnection,
    table: &str,
    company_id: &str,
    id: &str,
) -> sqlx::Result<String> {
    let name: String = sqlx::query_scalar(&format!(
        "SELECT name FROM {table} WHERE id = $1 AND company_id = $2"
    ))
    .bind(id)
    .bind(company_id)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(&format!("DELETE FROM {table} WHERE id = $1"))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(name)
}

pub async fn person_by_pnr(conn: &mut AnyConnection, pnr: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT id FROM people WHERE pnr = $1")
        .bind(pnr)
        .fetch_optional(conn)
        .await
}

/// Whether the person works at the company, or is asked to, on `today` (a declined request
/// does not count).
pub async fn employed_or_asked(
    conn: &mut AnyConnection,
    company_id: &str,
    person_id: &str,
    today: &str,
) -> sqlx::Result<bool> {
    let id: Option<String> = sqlx::query_scalar(
        "SELECT id FROM employments WHERE company_id = $1 AND person_id = $2
         AND status <> 'declined' AND (end_date IS NULL OR end_date >= $3)",
    )
    .bind(company_id)
    .bind(person_id)
    .bind(today)
    .fetch_optional(conn)
    .await?;
    Ok(id.is_some())
}

pub struct NewEmployment<'a> {
    pub id: &'a str,
    pub company_id: &'a str,
    pub person_id: &'a str,
    pub position: &'a str,
    pub start_date: &'a str,
    pub status: EmploymentStatus,
    pub claimed_name: &'a str,
    pub requested_by: Option<&'a str>,
    pub now: &'a str,
}

pub async fn insert_employment(
    conn: &mut AnyConnection,
    e: &NewEmployment<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO employments (id, company_id, person_id, position, start_date, created_at,
             status, claimed_name, requested_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(e.id)
    .bind(e.company_id)
    .bind(e.person_id)
    .bind(e.position)
    .bind(e.start_date)
    .bind(e.now)
    .bind(e.status.code())
    .bind(e.claimed_name)
    .bind(e.requested_by)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Whether the person declined a request of the company after `since`.
pub async fn declined_since(
    conn: &mut AnyConnection,
    company_id: &str,
    person_id: &str,
    since: &str,
) -> sqlx::Result<bool> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM employments WHERE company_id = $1 AND person_id = $2
         AND status = 'declined' AND decided_at > $3",
    )
    .bind(company_id)
    .bind(person_id)
    .bind(since)
    .fetch_one(conn)
    .await?;
    Ok(count > 0)
}

/// Stores the hash of a link that lets the person decide on an employment until `expires_at`.
pub async fn insert_employment_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    employment_id: &str,
    expires_at: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO employment_tokens (token_hash, employment_id, expires_at) VALUES ($1, $2, $3)",
    )
    .bind(token_hash)
    .bind(employment_id)
    .bind(expires_at)
    .execute(conn)
    .await
    .map(|_| ())
}

/// The company's employment `id`, with its person (`RowNotFound` when it is not the company's).
pub async fn employment(
    conn: &mut AnyConnection,
    company_id: &str,
    id: &str,
) -> sqlx::Result<EmploymentRow> {
    sqlx::query_as(&format!(
        "SELECT {EMPLOYMENT_COLUMNS} FROM employments e JOIN companies c ON c.id = e.company_id
         JOIN people p ON p.id = e.person_id WHERE e.id = $1 AND e.company_id = $2"
    ))
    .bind(id)
    .bind(company_id)
    .fetch_one(conn)
    .await
}

pub async fn end_employment(conn: &mut AnyConnection, id: &str, end: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE employments SET end_date = $1 WHERE id = $2")
        .bind(end)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}
