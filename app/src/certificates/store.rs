//! The certificates' and schemes' SQL, and only the SQL: rows are read once into typed structs
//! (statuses as [`Status`], dates as [`Day`]) where they are read.

use super::model::Status;
use super::rules::Yearly;
use crate::db::{Backend, Day, Db, JSON_CHUNK, PersonName, json_array, json_rows, json_texts};
use crate::messages::model::Named;
use crate::messages::store::{RECIPIENT_COLUMNS, RecipientRow};
use sqlx::{AnyConnection, AnyPool, FromRow};

/// Certificates of the company's current employees (`$1`, on the day `$2`), who confirmed that
/// they work there: joined to schemes and people.
const EMPLOYEE_CERTS: &str = "FROM certificates c JOIN schemes s ON s.id = c.scheme_id
     JOIN people p ON p.id = c.person_id
     LEFT JOIN accounts a ON a.id = p.account_id
     WHERE EXISTS (SELECT 1 FROM employments e WHERE e.person_id = c.person_id AND e.company_id = $1
                   AND e.status = 'confirmed'
                   AND e.start_date <= $2 AND (e.end_date IS NULL OR e.end_date >= $2))";

/// [`EMPLOYEE_CERTS`]' condition for the certificates table by its name, the company `$4` and the
/// day `$2`: what a bulk attestation's update checks again as it writes.
const STILL_EMPLOYED: &str = "EXISTS (SELECT 1 FROM employments e
         WHERE e.person_id = certificates.person_id AND e.company_id = $4
           AND e.status = 'confirmed'
           AND e.start_date <= $2 AND (e.end_date IS NULL OR e.end_date >= $2))";

/// A scheme's names, in both languages.
const SCHEME_COLUMNS: &str =
    "s.technical_area, s.technical_area_en, s.name AS scheme, s.name_en AS scheme_en";

/// A certificate's columns with its scheme and holder's name: what [`Cert`] reads.
pub(crate) fn cert_columns() -> String {
    format!(
        "c.id, c.number, {SCHEME_COLUMNS}, c.status, c.extend_by, c.valid_until, c.issued_on, \
         c.latest_decision, c.person_id, c.last_attested_on, c.last_attested_test, \
         s.attest_window_days, s.yearly_report, p.first_name, p.middle_name, p.last_name, \
         c.published, c.status_reason, c.renewed_by"
    )
}

/// A scheme's technical area and name, in both languages.
#[derive(Debug, FromRow)]
pub struct SchemeNames {
    technical_area: String,
    technical_area_en: String,
    scheme: String,
    scheme_en: String,
}

impl SchemeNames {
    pub fn area(&self) -> Named {
        Named::new(&self.technical_area, &self.technical_area_en)
    }

    pub fn name(&self) -> Named {
        Named::new(&self.scheme, &self.scheme_en)
    }
}

/// What the yearly rules need: the certificate's status and dates, its scheme's window.
#[derive(Debug, FromRow)]
pub struct Facts {
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub extend_by: Option<Day>,
    pub valid_until: Day,
    pub last_attested_on: Option<Day>,
    pub attest_window_days: i64,
    /// The scheme extends by a yearly report, not by an attestation.
    pub yearly_report: i64,
    /// The next period's certificate, once renewed.
    pub renewed_by: Option<String>,
}

impl Facts {
    pub fn yearly(&self) -> Yearly {
        Yearly {
            status: self.status,
            extend_by: self.extend_by.map(|d| d.0),
            valid_until: self.valid_until.0,
            last_attested: self.last_attested_on.map(|d| d.0),
            window_days: self.attest_window_days,
            by_report: self.yearly_report != 0,
            renewed: self.renewed_by.is_some(),
        }
    }
}

/// A certificate with its scheme, its holder's name and the facts the yearly rules need, as
/// [`cert_columns`] selects it.
#[derive(Debug, FromRow)]
pub struct Cert {
    pub id: String,
    pub number: String,
    pub person_id: String,
    pub issued_on: Day,
    pub latest_decision: Day,
    pub last_attested_test: i64,
    #[sqlx(flatten)]
    pub names: SchemeNames,
    #[sqlx(flatten)]
    pub facts: Facts,
    #[sqlx(flatten)]
    pub holder_name: PersonName,
    /// "Publicerad": the holder agreed that the public pages name them.
    pub published: i64,
    /// Why staff suspended or revoked it.
    pub status_reason: String,
}

/// A certificate of a company's employee, with whom a notice about it reaches.
#[derive(Debug, FromRow, serde::Deserialize)]
#[serde(from = "EmployeeCertJson")]
pub struct EmployeeCert {
    #[sqlx(flatten)]
    pub cert: Cert,
    #[sqlx(flatten)]
    pub holder: RecipientRow,
}

/// [`EmployeeCert`] as an object of SQLite's JSON rows ([`crate::db::many_rows`]): its columns
/// side by side, as serde's `flatten` reads nested structs from them three times slower
/// (measured: 30 ms against 12.5 ms for 10,000 rows).
#[derive(serde::Deserialize)]
struct EmployeeCertJson {
    id: String,
    number: String,
    person_id: String,
    issued_on: Day,
    latest_decision: Day,
    last_attested_test: i64,
    technical_area: String,
    technical_area_en: String,
    scheme: String,
    scheme_en: String,
    #[serde(deserialize_with = "crate::db::by_code")]
    status: Status,
    extend_by: Option<Day>,
    valid_until: Day,
    last_attested_on: Option<Day>,
    attest_window_days: i64,
    yearly_report: i64,
    renewed_by: Option<String>,
    first_name: String,
    middle_name: String,
    last_name: String,
    published: i64,
    status_reason: String,
    r_account: Option<String>,
    r_email: String,
    r_locale: String,
    r_communication: String,
}

impl From<EmployeeCertJson> for EmployeeCert {
    fn from(j: EmployeeCertJson) -> EmployeeCert {
        EmployeeCert {
            cert: Cert {
                id: j.id,
                number: j.number,
                person_id: j.person_id,
                issued_on: j.issued_on,
                latest_decision: j.latest_decision,
                last_attested_test: j.last_attested_test,
                names: SchemeNames {
                    technical_area: j.technical_area,
                    technical_area_en: j.technical_area_en,
                    scheme: j.scheme,
                    scheme_en: j.scheme_en,
                },
                facts: Facts {
                    status: j.status,
                    extend_by: j.extend_by,
                    valid_until: j.valid_until,
                    last_attested_on: j.last_attested_on,
                    attest_window_days: j.attest_window_days,
                    yearly_report: j.yearly_report,
                    renewed_by: j.renewed_by,
                },
                holder_name: PersonName {
                    first_name: j.first_name,
                    middle_name: j.middle_name,
                    last_name: j.last_name,
                },
                published: j.published,
                status_reason: j.status_reason,
            },
            holder: RecipientRow {
                account_id: j.r_account,
                email: j.r_email,
                locale: j.r_locale,
                communication: j.r_communication,
            },
        }
    }
}

fn employee_columns() -> String {
    format!("{}, {RECIPIENT_COLUMNS}", cert_columns())
}

fn order_by(sort: &str, desc: bool) -> String {
    let dir = if desc { "DESC" } else { "ASC" };
    let column = match sort {
        "area" => "s.technical_area",
        "scheme" => "s.name",
        "employee" => "p.last_name {dir}, p.first_name",
        "status" => "c.status",
        // NULLs sort differently on the two databases; a date far away sorts the same on both.
        "extend_by" => "COALESCE(c.extend_by, '9999-12-31')",
        "valid_until" => "c.valid_until",
        _ => "c.number",
    };
    format!("{} {dir}, c.number {dir}", column.replace("{dir}", dir))
}

/// Which of a company's employees' certificates a list shows, on which day, in which order.
pub struct EmployeeFilter<'a> {
    pub company_id: &'a str,
    pub today: &'a str,
    pub status: Option<Status>,
    /// A technical area's Swedish name; empty for all.
    pub area: &'a str,
    pub sort: &'a str,
    pub desc: bool,
}

impl EmployeeFilter<'_> {
    /// The `WHERE` additions and their values after `$1` (company) and `$2` (day).
    fn condition(&self) -> (String, Vec<String>) {
        let mut filter = String::new();
        let mut binds = vec![self.company_id.to_owned(), self.today.to_owned()];
        if let Some(status) = self.status {
            binds.push(status.code().to_owned());
            filter.push_str(&format!(" AND c.status = ${}", binds.len()));
        }
        if !self.area.is_empty() {
            binds.push(self.area.to_owned());
            filter.push_str(&format!(" AND s.technical_area = ${}", binds.len()));
        }
        (filter, binds)
    }
}

/// One page of the company's employees' certificates (`limit` rows from `offset`).
pub async fn employee_certs(
    pool: &AnyPool,
    f: &EmployeeFilter<'_>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<EmployeeCert>> {
    let (filter, binds) = f.condition();
    let sql = format!(
        "SELECT {} {EMPLOYEE_CERTS}{filter} ORDER BY {} LIMIT {limit} OFFSET {offset}",
        employee_columns(),
        order_by(f.sort, f.desc),
    );
    let mut q = sqlx::query_as(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    q.fetch_all(pool).await
}

/// How many of the company's employees' certificates the filter finds.
pub async fn count_employee_certs(pool: &AnyPool, f: &EmployeeFilter<'_>) -> sqlx::Result<i64> {
    let (filter, binds) = f.condition();
    let sql = format!("SELECT COUNT(*) {EMPLOYEE_CERTS}{filter}");
    let mut q = sqlx::query_scalar(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    q.fetch_one(pool).await
}

/// Every scheme's technical area (Swedish), once each, sorted.
pub async fn technical_areas(pool: &AnyPool) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT DISTINCT technical_area FROM schemes ORDER BY technical_area")
        .fetch_all(pool)
        .await
}

/// The certificates among `ids` that belong to the company's current employees on `today`, read
/// on the pool (a bulk attestation reads up to 10,000 of these rows, before its transaction
/// begins), [`READERS`] chunks at a time: while the server decodes one chunk's rows, the
/// database reads the next.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn employee_certs_among(
    pool: &AnyPool,
    company_id: &str,
    today: &str,
    ids: &[String],
) -> sqlx::Result<Vec<EmployeeCert>> {
    use futures_util::{StreamExt, TryStreamExt};
    // The futures are made first: a stream holding the closure that makes them would not be
    // `Send` for every lifetime its argument could have.
    let reads: Vec<_> = ids
        .chunks(JSON_CHUNK)
        .map(|chunk| employee_certs_in(pool, company_id, today, chunk))
        .collect();
    let chunks: Vec<Vec<EmployeeCert>> = futures_util::stream::iter(reads)
        .buffered(READERS)
        .try_collect()
        .await?;
    Ok(chunks.into_iter().flatten().collect())
}

/// [`employee_certs_among`] for one chunk of ids, on a connection of its own.
async fn employee_certs_in(
    pool: &AnyPool,
    company_id: &str,
    today: &str,
    ids: &[String],
) -> sqlx::Result<Vec<EmployeeCert>> {
    let mut conn = pool.acquire().await?;
    let sql = format!(
        "SELECT {} {EMPLOYEE_CERTS} AND c.id IN (SELECT v.value FROM {})",
        crate::db::many_rows(&conn, &employee_columns()),
        json_texts(&conn, 3)
    );
    let query = sqlx::query(&sql)
        .persistent(false)
        .bind(company_id)
        .bind(today)
        .bind(json_array(ids));
    crate::db::fetch_many::<EmployeeCert>(&mut conn, query).await
}

/// How many connections [`employee_certs_among`] reads on at once.
const READERS: usize = 2;

/// A company's name.
pub async fn company_name(conn: &mut AnyConnection, company_id: &str) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT name FROM companies WHERE id = $1")
        .bind(company_id)
        .fetch_one(conn)
        .await
}

/// Locks a certificate's row until the transaction ends (an update that changes nothing).
pub async fn lock(conn: &mut AnyConnection, id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE certificates SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// One certificate's yearly extension: from the date read to the new one.
#[derive(serde::Serialize)]
pub struct Move {
    pub id: String,
    pub from: String,
    pub to: String,
}

/// Moves each certificate's "Förläng senast" `from` → `to`, making an inactive one active,
/// unless since it was read its date changed, it became neither active nor inactive, was renewed,
/// or its holder is no longer the company's confirmed employee; returns the ids that moved. No
/// index holds the columns it sets, so PostgreSQL updates each row on its page where the page has
/// room (the table's fill factor leaves it), and SQLite writes no index.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn extend_many(
    conn: &mut AnyConnection,
    now: &str,
    today: &str,
    company_id: &str,
    moves: &[Move],
) -> sqlx::Result<Vec<String>> {
    let mut moved = Vec::with_capacity(moves.len());
    for chunk in moves.chunks(JSON_CHUNK) {
        let sql = format!(
            "UPDATE certificates SET extend_by = v.value ->> 'to', updated_at = $1,
                 last_attested_on = $2, last_attested_test = 0, status = 'active'
             FROM {}
             WHERE certificates.id = v.value ->> 'id' AND certificates.extend_by = v.value ->> 'from'
               AND certificates.status IN ('active', 'inactive')
               AND certificates.renewed_by IS NULL AND {STILL_EMPLOYED}
             RETURNING certificates.id",
            json_rows(conn, 3)
        );
        moved.extend(
            sqlx::query_scalar::<_, String>(&sql)
                .persistent(false)
                .bind(now)
                .bind(today)
                .bind(json_array(chunk))
                .bind(company_id)
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    Ok(moved)
}

/// Which of the certificates `ids` had their holder asked to have them attested after `since`.
pub async fn asked_since(
    conn: &mut AnyConnection,
    since: &str,
    ids: &[String],
) -> sqlx::Result<Vec<String>> {
    let mut asked = Vec::new();
    for chunk in ids.chunks(JSON_CHUNK) {
        let sql = format!(
            "SELECT subject_id FROM events WHERE subject_type = 'certificate'
             AND action = 'certificate.attestation_asked' AND at > $1
             AND subject_id IN (SELECT v.value FROM {})",
            json_texts(conn, 2)
        );
        asked.extend(
            sqlx::query_scalar::<_, String>(&sql)
                .persistent(false)
                .bind(since)
                .bind(json_array(chunk))
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    Ok(asked)
}

/// Active or inactive certificates whose validity ended before `today`.
pub async fn ended(conn: &mut AnyConnection, today: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT id FROM certificates WHERE status IN ('active', 'inactive') AND valid_until < $1",
    )
    .bind(today)
    .fetch_all(conn)
    .await
}

/// Active certificates still valid whose "Förläng senast" passed before `today`.
pub async fn lapsed(conn: &mut AnyConnection, today: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT id FROM certificates WHERE status = 'active' AND extend_by < $1 AND valid_until >= $1",
    )
    .bind(today)
    .fetch_all(conn)
    .await
}

/// Sets the status of the certificates `ids` that are still active or inactive (a suspension or
/// revocation made in between stays); returns those it changed.
pub async fn set_status(
    conn: &mut AnyConnection,
    ids: &[String],
    status: Status,
    now: &str,
) -> sqlx::Result<Vec<String>> {
    let mut changed = Vec::new();
    for chunk in ids.chunks(JSON_CHUNK) {
        let sql = format!(
            "UPDATE certificates SET status = $1, updated_at = $2
             WHERE id IN (SELECT v.value FROM {}) AND status IN ('active', 'inactive')
             RETURNING id",
            json_texts(conn, 3)
        );
        changed.extend(
            sqlx::query_scalar::<_, String>(&sql)
                .persistent(false)
                .bind(status.code())
                .bind(now)
                .bind(json_array(chunk))
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    Ok(changed)
}

/// A scheme's id by its code.
pub async fn scheme_id(conn: &mut AnyConnection, code: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT id FROM schemes WHERE code = $1")
        .bind(code)
        .fetch_optional(conn)
        .await
}

/// A new scheme with yearly attestation.
pub struct NewScheme<'a> {
    pub id: &'a str,
    pub code: &'a str,
    pub technical_area: &'a str,
    pub name: &'a str,
    pub recert_years: i64,
}

pub async fn insert_scheme(conn: &mut AnyConnection, s: &NewScheme<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO schemes (id, code, technical_area, name, recert_years, yearly_attestation)
         VALUES ($1, $2, $3, $4, $5, 1)",
    )
    .bind(s.id)
    .bind(s.code)
    .bind(s.technical_area)
    .bind(s.name)
    .bind(s.recert_years)
    .execute(conn)
    .await
    .map(|_| ())
}

/// A scheme's technical area and name in English.
pub async fn name_scheme_in_english(
    conn: &mut AnyConnection,
    scheme_id: &str,
    technical_area: &str,
    name: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE schemes SET technical_area_en = $1, name_en = $2 WHERE id = $3")
        .bind(technical_area)
        .bind(name)
        .bind(scheme_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// A certificate as it is written when issued.
pub struct NewCert<'a> {
    pub id: &'a str,
    pub number: &'a str,
    pub scheme_id: &'a str,
    pub person_id: &'a str,
    pub status: Status,
    pub issued_on: &'a str,
    pub valid_until: &'a str,
    pub extend_by: Option<&'a str>,
    pub now: &'a str,
}

/// Moves "Förläng senast" from `from` to `to` for an approved yearly report (an inactive
/// certificate is active again); false when it was moved already, or is no longer valid.
pub async fn extend_by_report(
    conn: &mut AnyConnection,
    id: &str,
    (from, to): (&str, &str),
    today: &str,
    now: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE certificates SET extend_by = $3, status = 'active', latest_decision = $4,
                updated_at = $5
         WHERE id = $1 AND extend_by = $2 AND status IN ('active', 'inactive')
           AND renewed_by IS NULL",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(today)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a certificate renewed by the next period's; false when it was already.
pub async fn mark_renewed(
    conn: &mut AnyConnection,
    id: &str,
    next_id: &str,
    now: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE certificates SET renewed_by = $2, updated_at = $3
         WHERE id = $1 AND renewed_by IS NULL",
    )
    .bind(id)
    .bind(next_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Writes a new certificate; its latest decision is its issue date.
pub async fn insert_cert(conn: &mut AnyConnection, c: &NewCert<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO certificates (id, number, scheme_id, person_id, status, issued_on, valid_until,
             extend_by, latest_decision, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $6, $9, $9)",
    )
    .bind(c.id)
    .bind(c.number)
    .bind(c.scheme_id)
    .bind(c.person_id)
    .bind(c.status.code())
    .bind(c.issued_on)
    .bind(c.valid_until)
    .bind(c.extend_by)
    .bind(c.now)
    .execute(conn)
    .await
    .map(|_| ())
}

/// The certificates of the account's person whose number, scheme or technical area contains
/// `text` (lower case; empty for all), by number. A substring test, not `LIKE`: SQLite
/// prepares a statement again on every run when a bound value is a `LIKE` pattern, which cost
/// the holder's most visited page a third of its time.
pub async fn of_account(db: &Db, account_id: &str, text: &str) -> sqlx::Result<Vec<Cert>> {
    let contains = |haystack: &str| match db.backend {
        Backend::Sqlite => format!("INSTR({haystack}, $2) > 0"),
        Backend::Postgres => format!("STRPOS({haystack}, $2) > 0"),
    };
    let sql = format!(
        "SELECT {} FROM certificates c JOIN schemes s ON s.id = c.scheme_id
         JOIN people p ON p.id = c.person_id
         WHERE p.account_id = $1 AND ($2 = '' OR {} OR {} OR {} OR {})
         ORDER BY c.number",
        cert_columns(),
        contains("LOWER(c.number)"),
        contains("LOWER(s.name)"),
        contains("LOWER(s.name_en)"),
        contains("LOWER(s.technical_area)"),
    );
    db.read_all(&sql, &[account_id, text]).await
}

/// A certificate and the account of its holder, if they have one.
#[derive(Debug, FromRow)]
pub struct Owned {
    #[sqlx(flatten)]
    pub cert: Cert,
    pub account_id: Option<String>,
}

fn owned_sql() -> String {
    format!(
        "SELECT {}, p.account_id FROM certificates c JOIN schemes s ON s.id = c.scheme_id
         JOIN people p ON p.id = c.person_id WHERE c.id = $1",
        cert_columns()
    )
}

pub async fn cert(pool: &AnyPool, id: &str) -> sqlx::Result<Owned> {
    sqlx::query_as(&owned_sql()).bind(id).fetch_one(pool).await
}

/// [`cert`], inside the caller's transaction.
pub async fn cert_in(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Owned> {
    sqlx::query_as(&owned_sql()).bind(id).fetch_one(conn).await
}

/// The companies that employ the person on `today`, by a confirmed employment.
pub async fn employers(pool: &AnyPool, person_id: &str, today: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT company_id FROM employments WHERE person_id = $1 AND status = 'confirmed'
         AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2)",
    )
    .bind(person_id)
    .bind(today)
    .fetch_all(pool)
    .await
}

impl Cert {
    /// The certificate as its holder's list shows it.
    pub fn holder_view(&self) -> super::model::HolderCertificate {
        super::model::HolderCertificate {
            id: self.id.clone(),
            number: self.number.clone(),
            technical_area: self.names.area(),
            scheme: self.names.name(),
            status: self.facts.status,
            extend_by: self.facts.extend_by.map(|d| d.to_string()),
            valid_until: self.facts.valid_until.to_string(),
        }
    }
}

/// A certificate by its number (the verification page's and the API's address).
pub async fn by_number(pool: &AnyPool, number: &str) -> sqlx::Result<Option<Cert>> {
    sqlx::query_as(&format!(
        "SELECT {} FROM certificates c JOIN schemes s ON s.id = c.scheme_id
         JOIN people p ON p.id = c.person_id WHERE c.number = $1",
        cert_columns()
    ))
    .bind(number)
    .fetch_optional(pool)
    .await
}

/// Records a signed PDF by the digest its signature covers; the same PDF again changes nothing.
pub async fn insert_print(
    pool: &AnyPool,
    digest: &str,
    certificate_id: &str,
    status: Status,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO certificate_prints (digest, certificate_id, status, printed_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT (digest) DO NOTHING",
    )
    .bind(digest)
    .bind(certificate_id)
    .bind(status.code())
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// A signed PDF the portal handed out: its certificate's number, the status it showed, when.
#[derive(Debug, FromRow)]
pub struct Print {
    pub number: String,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub printed_at: String,
    #[sqlx(try_from = "String")]
    pub status_now: Status,
}

pub async fn print(pool: &AnyPool, digest: &str) -> sqlx::Result<Option<Print>> {
    sqlx::query_as(
        "SELECT c.number, pr.status, pr.printed_at, c.status AS status_now FROM certificate_prints pr
         JOIN certificates c ON c.id = pr.certificate_id WHERE pr.digest = $1",
    )
    .bind(digest)
    .fetch_optional(pool)
    .await
}

/// Moves a certificate from the status `from` (as it was read) to `to`, with the reason and
/// the status a suspension returns to; answers whether it moved (another request may have
/// moved it first).
pub async fn change_status(
    conn: &mut AnyConnection,
    id: &str,
    from: Status,
    to: Status,
    reason: &str,
    suspended_from: Option<Status>,
    now: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE certificates SET status = $1, status_reason = $2, suspended_from = $3,
         updated_at = $4 WHERE id = $5 AND status = $6",
    )
    .bind(to.code())
    .bind(reason)
    .bind(suspended_from.map(Status::code))
    .bind(now)
    .bind(id)
    .bind(from.code())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The status a suspended certificate returns to.
pub async fn suspended_from(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT suspended_from FROM certificates WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// Sets "Publicerad" on the certificate; answers whether it changed.
pub async fn set_published(
    conn: &mut AnyConnection,
    id: &str,
    published: bool,
    now: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE certificates SET published = $1, updated_at = $2 WHERE id = $3 AND published <> $1",
    )
    .bind(i64::from(published))
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A newly issued certificate is published.
pub async fn mark_published(conn: &mut AnyConnection, id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE certificates SET published = 1 WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The certificate's place in the credentials' status lists, given now when it has none. Two
/// requests at once give it one place: the second finds the first's.
pub async fn status_index(db: &Db, id: &str) -> sqlx::Result<i64> {
    if let Some(index) = read_status_index(&mut *db.pool.acquire().await?, id).await? {
        return Ok(index);
    }
    let mut tx = db.begin().await?;
    if read_status_index(&mut tx, id).await?.is_none() {
        let next: i64 = sqlx::query_scalar(
            "UPDATE credential_status_counter SET last_index = last_index + 1 WHERE id = 1
             RETURNING last_index",
        )
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE certificates SET status_index = $1 WHERE id = $2 AND status_index IS NULL",
        )
        .bind(next)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    let index = read_status_index(&mut tx, id).await?;
    tx.commit().await?;
    index.ok_or(sqlx::Error::RowNotFound)
}

async fn read_status_index(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT status_index FROM certificates WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// What a certificate's credential says.
#[derive(Debug, FromRow)]
pub struct CredentialFacts {
    pub number: String,
    pub scheme_code: String,
    pub technical_area: String,
    pub scheme: String,
    pub issued_on: String,
    pub valid_until: String,
    pub person_id: String,
}

pub async fn credential_facts(pool: &AnyPool, id: &str) -> sqlx::Result<CredentialFacts> {
    sqlx::query_as(
        "SELECT c.number, s.code AS scheme_code, s.technical_area, s.name AS scheme, c.issued_on,
         c.valid_until, c.person_id
         FROM certificates c JOIN schemes s ON s.id = c.scheme_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_one(pool)
    .await
}

/// The status-list places of the certificates in `status`.
pub async fn status_indexes(pool: &AnyPool, status: Status) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT status_index FROM certificates WHERE status = $1 AND status_index IS NOT NULL",
    )
    .bind(status.code())
    .fetch_all(pool)
    .await
}

/// A row of the public register.
#[derive(Debug, FromRow)]
pub struct RegisterRow {
    pub number: String,
    #[sqlx(flatten)]
    pub names: SchemeNames,
    pub valid_until: String,
    #[sqlx(flatten)]
    pub holder: PersonName,
}

/// The register's filter: LIKE patterns each word of the query must match (in the name or the
/// number), a scheme's code, a town's pattern.
pub struct RegisterFilter<'a> {
    pub words: &'a [String],
    pub scheme: &'a str,
    pub town: Option<&'a str>,
}

/// Active certificates of holders who agreed to publication, by name: `limit` rows after the
/// first `offset`.
pub async fn register(
    pool: &AnyPool,
    f: &RegisterFilter<'_>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<RegisterRow>> {
    let mut sql = format!(
        "SELECT c.number, {SCHEME_COLUMNS}, c.valid_until, p.first_name, p.middle_name, p.last_name
         FROM certificates c JOIN schemes s ON s.id = c.scheme_id JOIN people p ON p.id = c.person_id
         WHERE c.published = 1 AND c.status = 'active' AND ($1 = '' OR s.code = $1)"
    );
    let mut n = 2;
    if f.town.is_some() {
        sql.push_str(&format!(" AND p.register_town LIKE ${n} ESCAPE '\\'"));
        n += 1;
    }
    for _ in f.words {
        sql.push_str(&format!(
            " AND (p.register_name LIKE ${n} ESCAPE '\\' OR LOWER(c.number) LIKE ${n} ESCAPE '\\')"
        ));
        n += 1;
    }
    sql.push_str(&format!(
        " ORDER BY p.last_name, p.first_name, c.number LIMIT ${n} OFFSET ${}",
        n + 1
    ));
    let mut q = sqlx::query_as(&sql).bind(f.scheme);
    if let Some(town) = f.town {
        q = q.bind(town);
    }
    for w in f.words {
        q = q.bind(w);
    }
    q.bind(limit).bind(offset).fetch_all(pool).await
}

/// The schemes someone in the register holds, for its filter: code and names.
pub async fn register_schemes(pool: &AnyPool) -> sqlx::Result<Vec<(String, String, String)>> {
    sqlx::query_as(
        "SELECT DISTINCT s.code, s.name, s.name_en FROM schemes s JOIN certificates c ON c.scheme_id = s.id
         WHERE c.published = 1 AND c.status = 'active' ORDER BY s.name",
    )
    .fetch_all(pool)
    .await
}

/// A person's certificates, the newest first.
pub async fn of_person(pool: &AnyPool, person_id: &str) -> sqlx::Result<Vec<Cert>> {
    sqlx::query_as(&format!(
        "SELECT {} FROM certificates c JOIN schemes s ON s.id = c.scheme_id
         JOIN people p ON p.id = c.person_id WHERE c.person_id = $1
         ORDER BY c.issued_on DESC, c.number",
        cert_columns()
    ))
    .bind(person_id)
    .fetch_all(pool)
    .await
}

/// A certificate's holder as notices reach them, with what a notice names.
#[derive(Debug, FromRow)]
pub struct HolderRow {
    pub number: String,
    pub scheme: String,
    pub scheme_en: String,
    pub person_id: String,
    #[sqlx(flatten)]
    pub holder: RecipientRow,
}

/// The holders of the certificates `ids`.
pub async fn holders(conn: &mut AnyConnection, ids: &[String]) -> sqlx::Result<Vec<HolderRow>> {
    let mut all = Vec::new();
    for chunk in ids.chunks(JSON_CHUNK) {
        let sql = format!(
            "SELECT c.number, s.name AS scheme, s.name_en AS scheme_en, c.person_id,
                 {RECIPIENT_COLUMNS}
             FROM certificates c JOIN schemes s ON s.id = c.scheme_id
                 JOIN people p ON p.id = c.person_id LEFT JOIN accounts a ON a.id = p.account_id
             WHERE c.id IN (SELECT v.value FROM {})
             ORDER BY c.number",
            json_texts(conn, 1)
        );
        all.extend(
            sqlx::query_as::<_, HolderRow>(&sql)
                .persistent(false)
                .bind(json_array(chunk))
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    Ok(all)
}
