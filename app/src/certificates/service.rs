//! Certificates: the employees' certificates a company admin sees, attesting them in bulk, and
//! the daily job that makes certificates inactive or expired.

use super::model::{
    Blocked, CertificateView, EmployeeCertificate, EmployeeCertificatesPage, HolderCertificate,
    Listing, PAGE_SIZE, Status,
};
use crate::clock::{Clock, to_db};
use crate::db::{Db, placeholders, tuples};
use crate::error::{AppError, AppResult};
use crate::events::service::{self as events, Actor, Entry, Subject};
use crate::i18n::{Locale, Text};
use crate::state::AppState;
use chrono::{Months, NaiveDate};
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

pub fn cert_subject(id: &str) -> Subject<'_> {
    Subject {
        kind: "certificate",
        id,
    }
}

pub(crate) fn today(clock: &Clock) -> String {
    clock.now().format("%Y-%m-%d").to_string()
}

/// Certificates of the company's current employees: joined to schemes and people.
const EMPLOYEE_CERTS: &str = "FROM certificates c JOIN schemes s ON s.id = c.scheme_id
     JOIN people p ON p.id = c.person_id
     LEFT JOIN accounts a ON a.id = p.account_id
     WHERE EXISTS (SELECT 1 FROM employments e WHERE e.person_id = c.person_id AND e.company_id = $1
                   AND e.start_date <= $2 AND (e.end_date IS NULL OR e.end_date >= $2))";

const COLUMNS: &str = "c.id, c.number, s.technical_area, s.name AS scheme, c.person_id, p.first_name, \
     p.middle_name, p.last_name, c.status, c.extend_by, c.valid_until, \
     COALESCE(a.email, p.email) AS holder_email";

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

/// Why the caller may not attest a certificate, if they may not.
pub(crate) fn blocked(status: Status, extend_by: Option<&str>, own: bool) -> Option<Blocked> {
    if own {
        Some(Blocked::Own)
    } else if !matches!(status, Status::Active | Status::Inactive) {
        Some(Blocked::NotValid)
    } else if extend_by.is_none() {
        Some(Blocked::NoYearly)
    } else {
        None
    }
}

struct Row_ {
    cert: EmployeeCertificate,
    person_id: String,
    email: String,
}

fn from_row(r: &sqlx::any::AnyRow, caller_person: Option<&str>) -> AppResult<Row_> {
    let person_id: String = r.try_get("person_id")?;
    let status_code: String = r.try_get("status")?;
    let status = Status::parse(&status_code)
        .ok_or_else(|| AppError::internal(format!("status {status_code}")))?;
    let extend_by: Option<String> = r.try_get("extend_by")?;
    let name = crate::db::person_name(r)?;
    let own = caller_person == Some(person_id.as_str());
    Ok(Row_ {
        cert: EmployeeCertificate {
            id: r.try_get("id")?,
            number: r.try_get("number")?,
            technical_area: r.try_get("technical_area")?,
            scheme: r.try_get("scheme")?,
            employee: name,
            status,
            blocked: blocked(status, extend_by.as_deref(), own),
            extend_by,
            valid_until: r.try_get("valid_until")?,
        },
        person_id,
        email: r.try_get("holder_email")?,
    })
}

/// "Anställdas certifikat": filtered by status and technical area, sorted and paged.
/// `caller_person` is the signed-in admin's own person, whose certificates they cannot attest.
pub async fn employee_certificates(
    db: &Db,
    clock: &Clock,
    company_id: &str,
    caller_person: Option<&str>,
    listing: &Listing,
) -> AppResult<EmployeeCertificatesPage> {
    let page = listing.page.max(1);
    let mut filter = String::new();
    let mut binds = vec![company_id.to_owned(), today(clock)];
    if Status::parse(&listing.status).is_some() {
        binds.push(listing.status.clone());
        filter.push_str(&format!(" AND c.status = ${}", binds.len()));
    }
    if !listing.area.is_empty() {
        binds.push(listing.area.clone());
        filter.push_str(&format!(" AND s.technical_area = ${}", binds.len()));
    }
    let sql = format!(
        "SELECT {COLUMNS} {EMPLOYEE_CERTS}{filter} ORDER BY {} LIMIT {} OFFSET {}",
        order_by(&listing.sort, listing.desc),
        PAGE_SIZE + 1,
        (page - 1) * PAGE_SIZE
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(&db.pool).await?;
    let count_sql = format!("SELECT COUNT(*) {EMPLOYEE_CERTS}{filter}");
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for b in &binds {
        count = count.bind(b);
    }
    let total = count.fetch_one(&db.pool).await?;
    let areas: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT technical_area FROM schemes ORDER BY technical_area")
            .fetch_all(&db.pool)
            .await?;
    let has_next = rows.len() > PAGE_SIZE as usize;
    let items = rows
        .iter()
        .take(PAGE_SIZE as usize)
        .map(|r| from_row(r, caller_person).map(|row| row.cert))
        .collect::<AppResult<_>>()?;
    Ok(EmployeeCertificatesPage {
        items,
        page,
        has_next,
        total,
        areas,
    })
}

/// The named certificates among the company's current employees', in the order asked.
async fn eligible(
    conn: &mut AnyConnection,
    clock: &Clock,
    company_id: &str,
    caller_person: Option<&str>,
    ids: &[String],
) -> AppResult<Vec<Row_>> {
    let mut found = BTreeMap::new();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT {COLUMNS} {EMPLOYEE_CERTS} AND c.id IN ({})",
            placeholders(3, chunk.len())
        );
        let mut q = sqlx::query(&sql).bind(company_id).bind(today(clock));
        for id in chunk {
            q = q.bind(id);
        }
        for r in q.fetch_all(&mut *conn).await? {
            let row = from_row(&r, caller_person)?;
            found.insert(row.cert.id.clone(), row);
        }
    }
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// The certificates a confirmation lists, refusing any the caller may not attest.
pub async fn preview(
    state: &AppState,
    locale: Locale,
    company_id: &str,
    caller_person: Option<&str>,
    ids: &[String],
) -> AppResult<Vec<EmployeeCertificate>> {
    let ids = clean(locale, ids)?;
    let mut conn = state.db.pool.acquire().await?;
    let rows = eligible(&mut conn, &state.clock, company_id, caller_person, &ids).await?;
    refuse(locale, &ids, &rows)?;
    Ok(rows.into_iter().map(|r| r.cert).collect())
}

fn clean(locale: Locale, ids: &[String]) -> AppResult<Vec<String>> {
    let mut ids: Vec<String> = ids
        .iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(AppError::field("ids", locale.text(Text::CertNoneChosen)));
    }
    if ids.len() > 5000 {
        return Err(AppError::field(
            "ids",
            locale.format(Text::CertTooMany, &[("max", "5000")]),
        ));
    }
    Ok(ids)
}

/// Refuses the whole request when any certificate is not the company's current employees' or
/// may not be attested by the caller; the message names them.
fn refuse(locale: Locale, ids: &[String], rows: &[Row_]) -> AppResult<()> {
    let mut messages = Vec::new();
    if rows.len() != ids.len() {
        messages.push(locale.text(Text::CertNotEmployees).to_owned());
    }
    for r in rows {
        if let Some(reason) = r.cert.blocked {
            messages.push(format!("{}: {}", r.cert.number, locale.text(reason.text())));
        }
    }
    if messages.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(
            messages
                .into_iter()
                .map(|m| crate::error::FieldError::new("ids", m))
                .collect(),
        ))
    }
}

/// The yearly extension one year on from its due date (from today, if that is still past),
/// and the status that follows: active while the certificate is valid.
pub(crate) fn extended(
    extend_by: &str,
    valid_until: &str,
    today: &str,
) -> Option<(String, Status)> {
    let due = NaiveDate::parse_from_str(extend_by, "%Y-%m-%d").ok()?;
    let now = NaiveDate::parse_from_str(today, "%Y-%m-%d").ok()?;
    let mut next = due.checked_add_months(Months::new(12))?;
    if next < now {
        next = now.checked_add_months(Months::new(12))?;
    }
    let status = if valid_until >= today {
        Status::Active
    } else {
        Status::Expired
    };
    Some((next.format("%Y-%m-%d").to_string(), status))
}

/// "Intyga yrkesaktivitet": moves each certificate's yearly extension one year on, in one
/// transaction; an inactive certificate still within its validity becomes active. Each
/// certificate gets an event, each holder one email. Any certificate the caller may not attest
/// refuses the whole request and changes nothing. Returns how many were attested.
pub async fn attest_bulk(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    company_id: &str,
    caller_person: Option<&str>,
    ids: &[String],
) -> AppResult<usize> {
    let ids = clean(locale, ids)?;
    let clock = &state.clock;
    let today = today(clock);
    let mut tx = state.db.pool.begin().await?;
    let rows = eligible(&mut tx, clock, company_id, caller_person, &ids).await?;
    refuse(locale, &ids, &rows)?;
    let company: String = sqlx::query_scalar("SELECT name FROM companies WHERE id = $1")
        .bind(company_id)
        .fetch_one(&mut *tx)
        .await?;

    let mut changes = Vec::with_capacity(rows.len());
    for r in &rows {
        let due = r.cert.extend_by.as_deref().unwrap_or_default();
        let (next, status) = extended(due, &r.cert.valid_until, &today)
            .ok_or_else(|| AppError::internal(format!("date {due}")))?;
        changes.push((r, next, status));
    }
    let now = to_db(clock.now());
    for chunk in changes.chunks(300) {
        let values = tuples(2, chunk.len(), 3);
        // VALUES columns are called column1, column2, ... on both databases.
        let sql = format!(
            "UPDATE certificates SET extend_by = v.column2, status = v.column3, updated_at = $1
             FROM (VALUES {values}) AS v WHERE certificates.id = v.column1"
        );
        let mut q = sqlx::query(&sql).bind(&now);
        for (r, next, status) in chunk {
            q = q.bind(&r.cert.id).bind(next).bind(status.code());
        }
        q.execute(&mut *tx).await?;
    }
    let entries: Vec<Entry> = changes
        .iter()
        .map(|(r, next, status)| Entry {
            subject_id: &r.cert.id,
            action: "certificate.attested",
            details: serde_json::json!({
                "company": company,
                "from": r.cert.extend_by,
                "to": next,
                "status": status.code(),
            }),
        })
        .collect();
    events::append_many(&mut tx, clock, "certificate", actor, &entries).await?;

    // One email per holder, listing their certificates.
    let mut by_holder: BTreeMap<&str, (&str, Vec<String>)> = BTreeMap::new();
    for (r, next, _) in &changes {
        let line = Locale::Sv.format(
            Text::EmailAttestedLine,
            &[
                ("scheme", &r.cert.scheme),
                ("number", &r.cert.number),
                ("date", next),
            ],
        );
        by_holder
            .entry(&r.person_id)
            .or_insert((&r.email, Vec::new()))
            .1
            .push(line);
    }
    let emails: Vec<_> = by_holder
        .values()
        .filter(|(email, _)| !email.is_empty())
        .map(|(email, lines)| {
            crate::mail::templates::certificates_attested(email, Locale::Sv, &company, lines)
        })
        .collect();
    crate::mail::service::enqueue_many(&mut tx, clock, &emails).await?;
    tx.commit().await?;
    Ok(changes.len())
}

/// The daily job: an active certificate whose yearly extension date has passed becomes
/// inactive; one whose validity has ended becomes expired. Each with an event. Returns how many
/// became inactive and expired.
pub async fn run_daily(db: &Db, clock: &Clock) -> AppResult<(usize, usize)> {
    let today = today(clock);
    let actor = Actor::system("daily");
    let mut tx = db.pool.begin().await?;
    let expired: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM certificates WHERE status IN ('active', 'inactive') AND valid_until < $1",
    )
    .bind(&today)
    .fetch_all(&mut *tx)
    .await?;
    let inactive: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM certificates WHERE status = 'active' AND extend_by < $1 AND valid_until >= $1",
    )
    .bind(&today)
    .fetch_all(&mut *tx)
    .await?;
    let now = to_db(clock.now());
    for (ids, status) in [(&expired, "expired"), (&inactive, "inactive")] {
        for chunk in ids.chunks(500) {
            let sql = format!(
                "UPDATE certificates SET status = $1, updated_at = $2 WHERE id IN ({})",
                placeholders(3, chunk.len())
            );
            let mut q = sqlx::query(&sql).bind(status).bind(&now);
            for id in chunk {
                q = q.bind(id);
            }
            q.execute(&mut *tx).await?;
        }
        let action = format!("certificate.{status}");
        let entries: Vec<Entry> = ids
            .iter()
            .map(|id| Entry {
                subject_id: id,
                action: &action,
                details: serde_json::json!({ "date": today }),
            })
            .collect();
        events::append_many(&mut tx, clock, "certificate", &actor, &entries).await?;
    }
    tx.commit().await?;
    Ok((inactive.len(), expired.len()))
}

/// The signed-in account's own person, if any.
pub async fn person_of(db: &Db, account_id: &str) -> AppResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM people WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// Adds a scheme unless its code exists; returns its id.
pub async fn ensure_scheme(
    conn: &mut AnyConnection,
    code: &str,
    technical_area: &str,
    name: &str,
    recert_years: i64,
) -> sqlx::Result<String> {
    let id: Option<String> = sqlx::query_scalar("SELECT id FROM schemes WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(id) = id {
        return Ok(id);
    }
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO schemes (id, code, technical_area, name, recert_years, yearly_attestation)
         VALUES ($1, $2, $3, $4, $5, 1)",
    )
    .bind(&id)
    .bind(code)
    .bind(technical_area)
    .bind(name)
    .bind(recert_years)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// A certificate as it is issued (or loaded from an earlier system).
pub struct Issue<'a> {
    pub number: &'a str,
    pub scheme_id: &'a str,
    pub person_id: &'a str,
    pub status: Status,
    pub issued_on: &'a str,
    pub valid_until: &'a str,
    pub extend_by: Option<&'a str>,
}

/// Records a certificate and its "issued" event inside the caller's transaction.
pub async fn issue(
    conn: &mut AnyConnection,
    clock: &Clock,
    actor: &Actor,
    c: &Issue<'_>,
) -> sqlx::Result<String> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = to_db(clock.now());
    sqlx::query(
        "INSERT INTO certificates (id, number, scheme_id, person_id, status, issued_on, valid_until,
             extend_by, latest_decision, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $6, $9, $9)",
    )
    .bind(&id)
    .bind(c.number)
    .bind(c.scheme_id)
    .bind(c.person_id)
    .bind(c.status.code())
    .bind(c.issued_on)
    .bind(c.valid_until)
    .bind(c.extend_by)
    .bind(&now)
    .execute(&mut *conn)
    .await?;
    events::append(
        conn,
        clock,
        cert_subject(&id),
        actor,
        "certificate.issued",
        serde_json::json!({ "number": c.number, "valid_until": c.valid_until }),
    )
    .await?;
    Ok(id)
}

const HOLDER_COLUMNS: &str = "c.id, c.number, s.technical_area, s.name AS scheme, c.status, c.extend_by, \
     c.valid_until, c.issued_on, c.latest_decision, c.person_id, p.first_name, p.middle_name, p.last_name";

pub(crate) fn holder_row(r: &sqlx::any::AnyRow) -> AppResult<HolderCertificate> {
    let code: String = r.try_get("status")?;
    Ok(HolderCertificate {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        technical_area: r.try_get("technical_area")?,
        scheme: r.try_get("scheme")?,
        status: Status::parse(&code).ok_or_else(|| AppError::internal(format!("status {code}")))?,
        extend_by: r.try_get("extend_by")?,
        valid_until: r.try_get("valid_until")?,
    })
}

/// The holder's "Certifikat" tab; `query` narrows it by number or certificate name.
pub async fn of_person(db: &Db, person_id: &str, query: &str) -> AppResult<Vec<HolderCertificate>> {
    let pattern = format!(
        "%{}%",
        query.trim().to_lowercase().replace(['%', '_', '\\'], "")
    );
    let rows = sqlx::query(&format!(
        "SELECT {HOLDER_COLUMNS} FROM certificates c JOIN schemes s ON s.id = c.scheme_id
         JOIN people p ON p.id = c.person_id
         WHERE c.person_id = $1 AND (LOWER(c.number) LIKE $2 OR LOWER(s.name) LIKE $2 OR LOWER(s.technical_area) LIKE $2)
         ORDER BY c.number"
    ))
    .bind(person_id)
    .bind(&pattern)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(holder_row).collect()
}

/// Who may read a certificate: its holder, staff, and the admins of a company that employs
/// the holder now.
pub async fn view(
    state: &AppState,
    user: &crate::auth::model::CurrentUser,
    id: &str,
    locale: Locale,
) -> AppResult<CertificateView> {
    let db = &state.db;
    let r = sqlx::query(&format!(
        "SELECT {HOLDER_COLUMNS}, p.account_id FROM certificates c JOIN schemes s ON s.id = c.scheme_id
         JOIN people p ON p.id = c.person_id WHERE c.id = $1"
    ))
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    let person_id: String = r.try_get("person_id")?;
    let own =
        r.try_get::<Option<String>, _>("account_id")?.as_deref() == Some(user.account_id.as_str());
    let admin_of: Vec<&str> = user.admin_companies();
    let employer = if admin_of.is_empty() {
        false
    } else {
        let companies: Vec<String> = sqlx::query_scalar(
            "SELECT company_id FROM employments WHERE person_id = $1
             AND start_date <= $2 AND (end_date IS NULL OR end_date >= $2)",
        )
        .bind(&person_id)
        .bind(today(&state.clock))
        .fetch_all(&db.pool)
        .await?;
        companies.iter().any(|c| admin_of.contains(&c.as_str()))
    };
    if !(own || employer || user.is_staff()) {
        return Err(AppError::Forbidden);
    }
    let holder = crate::db::person_name(&r)?;
    let certificate = holder_row(&r)?;
    let pending = if own {
        crate::attestations::service::pending(state, id).await?
    } else {
        None
    };
    Ok(CertificateView {
        can_extend: own
            && crate::attestations::service::can_extend(
                certificate.status,
                certificate.extend_by.as_deref(),
            ),
        pending,
        certificate,
        holder,
        person_id,
        issued_on: r.try_get("issued_on")?,
        latest_decision: r.try_get("latest_decision")?,
        own,
        events: events::views(db, cert_subject(id), locale).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_extension_moves_one_year_on() {
        assert_eq!(
            extended("2026-04-05", "2029-04-05", "2026-03-01"),
            Some(("2027-04-05".into(), Status::Active))
        );
        // Long overdue: a year from today, and active again while valid.
        assert_eq!(
            extended("2021-04-30", "2029-04-30", "2026-11-25"),
            Some(("2027-11-25".into(), Status::Active))
        );
        assert_eq!(
            extended("2024-02-29", "2029-01-01", "2024-03-01"),
            Some(("2025-02-28".into(), Status::Active)),
            "29 February moves to the 28th"
        );
    }
}
