//! Certificates: the employees' certificates a company admin sees, attesting them in bulk, and
//! the daily job that makes certificates inactive or expired.

use super::model::{
    AttestOutcome, Attested, CertificateView, EmployeeCertificate, EmployeeCertificatesPage,
    Extension, HolderCertificate, Listing, PAGE_SIZE, Status,
};
use super::rules::Yearly;
use crate::clock::{Clock, to_db};
use crate::db::{Db, JSON_CHUNK, json_array, json_rows, json_texts};
use crate::error::{AppError, AppResult};
use crate::events::service::{self as events, Actor, Entry, Subject};
use crate::i18n::{Locale, Text};
use crate::messages::model::{Line, Named, Notice};
use crate::messages::service::{RECIPIENT_COLUMNS, Recipient, recipient_of};
use crate::state::AppState;
use chrono::NaiveDate;
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, HashSet};

/// Today's date in Sweden, as dates are stored (`2026-11-25`).
pub(crate) fn today(clock: &Clock) -> String {
    clock.today().format("%Y-%m-%d").to_string()
}

/// Certificates of the company's current employees, who confirmed that they work there:
/// joined to schemes and people.
const EMPLOYEE_CERTS: &str = "FROM certificates c JOIN schemes s ON s.id = c.scheme_id
     JOIN people p ON p.id = c.person_id
     LEFT JOIN accounts a ON a.id = p.account_id
     WHERE EXISTS (SELECT 1 FROM employments e WHERE e.person_id = c.person_id AND e.company_id = $1
                   AND e.status = 'confirmed'
                   AND e.start_date <= $2 AND (e.end_date IS NULL OR e.end_date >= $2))";

/// A scheme's names, in both languages.
const SCHEME_COLUMNS: &str =
    "s.technical_area, s.technical_area_en, s.name AS scheme, s.name_en AS scheme_en";

/// A scheme's technical area and name, in both languages.
pub(crate) fn scheme_names(r: &sqlx::any::AnyRow) -> sqlx::Result<(Named, Named)> {
    let area = Named::new(
        r.try_get::<String, _>("technical_area")?,
        r.try_get::<String, _>("technical_area_en")?,
    );
    let name = Named::new(
        r.try_get::<String, _>("scheme")?,
        r.try_get::<String, _>("scheme_en")?,
    );
    Ok((area, name))
}

/// What the yearly rules need, from a row with the certificate's dates and its scheme's window.
pub(crate) fn yearly_of(r: &sqlx::any::AnyRow) -> AppResult<Yearly> {
    let date = |v: Option<String>| -> AppResult<Option<NaiveDate>> {
        v.map(|s| {
            NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .map_err(|e| AppError::internal(format!("date {s}: {e}")))
        })
        .transpose()
    };
    let code: String = r.try_get("status")?;
    Ok(Yearly {
        status: Status::parse(&code).ok_or_else(|| AppError::internal(format!("status {code}")))?,
        extend_by: date(r.try_get("extend_by")?)?,
        valid_until: date(Some(r.try_get("valid_until")?))?.unwrap_or(NaiveDate::MIN),
        last_attested: date(r.try_get("last_attested_on")?)?,
        window_days: r.try_get("attest_window_days")?,
    })
}

fn columns() -> String {
    format!(
        "c.id, c.number, {SCHEME_COLUMNS}, c.person_id, p.first_name, p.middle_name, p.last_name, \
         c.status, c.extend_by, c.valid_until, c.last_attested_on, s.attest_window_days, \
         {RECIPIENT_COLUMNS}"
    )
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

struct Row_ {
    cert: EmployeeCertificate,
    scheme: Named,
    person_id: String,
    holder: Recipient,
}

fn from_row(
    r: &sqlx::any::AnyRow,
    caller_person: Option<&str>,
    today: NaiveDate,
    locale: Locale,
) -> AppResult<Row_> {
    let person_id: String = r.try_get("person_id")?;
    let yearly = yearly_of(r)?;
    let name = crate::db::person_name(r)?;
    let own = caller_person == Some(person_id.as_str());
    let (area, scheme) = scheme_names(r)?;
    Ok(Row_ {
        cert: EmployeeCertificate {
            id: r.try_get("id")?,
            number: r.try_get("number")?,
            technical_area: area.get(locale).to_owned(),
            scheme: scheme.get(locale).to_owned(),
            employee: name,
            status: yearly.status,
            attest: yearly.extension(today, own),
            extend_by: r.try_get("extend_by")?,
            valid_until: r.try_get("valid_until")?,
        },
        scheme,
        person_id,
        holder: recipient_of(r)?,
    })
}

/// "Anställdas certifikat": filtered by status and technical area, sorted and paged.
/// `caller_person` is the signed-in admin's own person, whose certificates they cannot attest.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn employee_certificates(
    db: &Db,
    clock: &Clock,
    locale: Locale,
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
        "SELECT {} {EMPLOYEE_CERTS}{filter} ORDER BY {} LIMIT {} OFFSET {}",
        columns(),
        order_by(&listing.sort, listing.desc),
        PAGE_SIZE + 1,
        crate::types::offset(page, PAGE_SIZE)
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
        .map(|r| from_row(r, caller_person, clock.today(), locale).map(|row| row.cert))
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
    locale: Locale,
    company_id: &str,
    caller_person: Option<&str>,
    ids: &[String],
) -> AppResult<Vec<Row_>> {
    let mut found = BTreeMap::new();
    for chunk in ids.chunks(JSON_CHUNK) {
        let sql = format!(
            "SELECT {} {EMPLOYEE_CERTS} AND c.id IN (SELECT v.value FROM {})",
            columns(),
            json_texts(conn, 3)
        );
        let rows = sqlx::query(&sql)
            .bind(company_id)
            .bind(today(clock))
            .bind(json_array(chunk))
            .fetch_all(&mut *conn)
            .await?;
        for r in rows {
            let row = from_row(&r, caller_person, clock.today(), locale)?;
            found.insert(row.cert.id.clone(), row);
        }
    }
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// The certificates a confirmation lists, refusing any the caller may not attest.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn preview(
    state: &AppState,
    locale: Locale,
    company_id: &str,
    caller_person: Option<&str>,
    ids: &[String],
) -> AppResult<Vec<EmployeeCertificate>> {
    let ids = clean(locale, ids)?;
    let mut conn = state.db.pool.acquire().await?;
    let rows = eligible(
        &mut conn,
        &state.clock,
        locale,
        company_id,
        caller_person,
        &ids,
    )
    .await?;
    refuse(locale, &ids, &rows)?;
    Ok(rows.into_iter().map(|r| r.cert).collect())
}

/// The most certificates one request may name.
pub const MAX_IDS: usize = 10_000;

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
    if ids.len() > MAX_IDS {
        return Err(AppError::field(
            "ids",
            locale.format(Text::CertTooMany, &[("max", &MAX_IDS.to_string())]),
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
        if let Some(reason) = r.cert.blocked() {
            messages.push(format!("{}: {}", r.cert.number, reason.message(locale)));
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

/// "Intyga yrkesaktivitet": moves each certificate's "Förläng senast" one year on (never past
/// "Giltigt till"), in one transaction; an inactive certificate still valid becomes active.
/// Any certificate the caller may not attest now (their own, not valid, attested already this
/// period) refuses the whole request with its reason, and changes nothing. Each update changes
/// only the date it read, so of two requests at once only one moves a certificate, and only a
/// change that happened gets its event, its message and its email. The company's log gets one
/// event for the batch.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn attest_bulk(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    company_id: &str,
    caller_person: Option<&str>,
    ids: &[String],
) -> AppResult<AttestOutcome> {
    let ids = clean(locale, ids)?;
    let clock = &state.clock;
    let mut tx = state.db.begin().await?;
    let rows = eligible(&mut tx, clock, locale, company_id, caller_person, &ids).await?;
    refuse(locale, &ids, &rows)?;
    let company: String = sqlx::query_scalar("SELECT name FROM companies WHERE id = $1")
        .bind(company_id)
        .fetch_one(&mut *tx)
        .await?;
    let changes: Vec<(&Row_, Extension)> = rows
        .iter()
        .filter_map(|r| r.cert.attest.ok().map(|e| (r, e)))
        .collect();
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let now = to_db(clock.now());
    let today = today(clock);
    let mut moved: HashSet<String> = HashSet::new();
    for chunk in changes.chunks(JSON_CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(r, e)| serde_json::json!({ "id": r.cert.id, "from": day(e.from), "to": day(e.to) }))
            .collect();
        // `status || ''` keeps SQLite from walking the status index and reading the list once
        // per certificate; it looks each listed certificate up by id instead.
        let sql = format!(
            "UPDATE certificates SET extend_by = v.value ->> 'to', status = 'active', updated_at = $1,
                 last_attested_on = $2, last_attested_test = 0
             FROM {}
             WHERE certificates.id = v.value ->> 'id' AND certificates.extend_by = v.value ->> 'from'
               AND (certificates.status || '') IN ('active', 'inactive')
             RETURNING certificates.id",
            json_rows(&tx, 3)
        );
        moved.extend(
            sqlx::query_scalar::<_, String>(&sql)
                .bind(&now)
                .bind(&today)
                .bind(json_array(&rows))
                .fetch_all(&mut *tx)
                .await?,
        );
    }
    let (done, raced): (Vec<_>, Vec<_>) = changes
        .into_iter()
        .partition(|(r, _)| moved.contains(&r.cert.id));
    let entries: Vec<Entry> = done
        .iter()
        .map(|(r, e)| Entry {
            subject_id: &r.cert.id,
            action: "certificate.attested",
            details: serde_json::json!({
                "company": company,
                "from": day(e.from),
                "to": day(e.to),
            }),
        })
        .collect();
    events::append_many(&mut tx, clock, "certificate", actor, &entries).await?;
    let moved: Vec<&Row_> = done.iter().map(|(r, _)| *r).collect();
    log_on_company(
        &mut tx,
        clock,
        company_id,
        actor,
        "company.certificates_attested",
        &moved,
    )
    .await?;
    // Each holder is told once, of all their certificates.
    let lines = done.iter().map(|(r, e)| (*r, Some(day(e.to))));
    tell_holders(&mut tx, state, lines, |lines| {
        Notice::CertificatesAttested {
            company: company.clone(),
            lines,
        }
    })
    .await?;
    tx.commit().await?;
    Ok(AttestOutcome {
        attested: done
            .iter()
            .map(|(r, e)| Attested {
                number: r.cert.number.clone(),
                employee: r.cert.employee.clone(),
                from: day(e.from),
                to: day(e.to),
            })
            .collect(),
        unchanged: raced.iter().map(|(r, _)| r.cert.number.clone()).collect(),
    })
}

/// The company's one event for a bulk action on `rows` (their count and up to 50 numbers).
async fn log_on_company(
    conn: &mut AnyConnection,
    clock: &Clock,
    company_id: &str,
    actor: &Actor,
    action: &str,
    rows: &[&Row_],
) -> AppResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let numbers: Vec<&str> = rows
        .iter()
        .take(50)
        .map(|r| r.cert.number.as_str())
        .collect();
    events::append(
        conn,
        clock,
        crate::events::service::Subject::company(company_id),
        actor,
        action,
        serde_json::json!({ "count": rows.len(), "numbers": numbers }),
    )
    .await?;
    Ok(())
}

/// Tells each holder once, of all their certificates among `lines` (each with its new date,
/// where it moved), in the notice `notice` makes of them.
async fn tell_holders<'a>(
    conn: &mut AnyConnection,
    state: &AppState,
    lines: impl Iterator<Item = (&'a Row_, Option<String>)>,
    notice: impl Fn(Vec<Line>) -> Notice,
) -> AppResult<()> {
    let mut by_holder: BTreeMap<&str, (&Recipient, Vec<Line>)> = BTreeMap::new();
    for (r, date) in lines {
        by_holder
            .entry(&r.person_id)
            .or_insert((&r.holder, Vec::new()))
            .1
            .push(Line {
                number: r.cert.number.clone(),
                scheme: r.scheme.clone(),
                date,
            });
    }
    let notices: Vec<(Recipient, Notice)> = by_holder
        .into_values()
        .map(|(to, lines)| (to.clone(), notice(lines)))
        .collect();
    crate::messages::service::tell_many(conn, state, &notices).await?;
    Ok(())
}

/// "Förfråg valda certifikat": asks each chosen employee, once, to have their professional
/// activity attested by someone else (a message, and an email to digital persons). Only
/// certificates due for attestation may be chosen; one asked about in the last week is left out
/// (a resubmitted form asks nobody twice).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn ask_bulk(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    company_id: &str,
    ids: &[String],
) -> AppResult<AttestOutcome> {
    let ids = clean(locale, ids)?;
    let clock = &state.clock;
    let mut tx = state.db.begin().await?;
    let rows = eligible(&mut tx, clock, locale, company_id, None, &ids).await?;
    refuse(locale, &ids, &rows)?;
    let company: String = sqlx::query_scalar("SELECT name FROM companies WHERE id = $1")
        .bind(company_id)
        .fetch_one(&mut *tx)
        .await?;
    let mut recent: HashSet<String> = HashSet::new();
    for chunk in ids.chunks(JSON_CHUNK) {
        let sql = format!(
            "SELECT subject_id FROM events WHERE subject_type = 'certificate'
             AND action = 'certificate.attestation_asked' AND at > $1
             AND subject_id IN (SELECT v.value FROM {})",
            json_texts(&tx, 2)
        );
        recent.extend(
            sqlx::query_scalar::<_, String>(&sql)
                .bind(to_db(clock.now() - chrono::Duration::days(7)))
                .bind(json_array(chunk))
                .fetch_all(&mut *tx)
                .await?,
        );
    }
    let (skip, ask): (Vec<&Row_>, Vec<&Row_>) =
        rows.iter().partition(|r| recent.contains(&r.cert.id));
    let entries: Vec<Entry> = ask
        .iter()
        .map(|r| Entry {
            subject_id: &r.cert.id,
            action: "certificate.attestation_asked",
            details: serde_json::json!({ "company": company }),
        })
        .collect();
    events::append_many(&mut tx, clock, "certificate", actor, &entries).await?;
    log_on_company(
        &mut tx,
        clock,
        company_id,
        actor,
        "company.attestation_asked",
        &ask,
    )
    .await?;
    let lines = ask.iter().map(|r| (*r, None));
    tell_holders(&mut tx, state, lines, |lines| Notice::AttestationAsked {
        company: company.clone(),
        lines,
    })
    .await?;
    tx.commit().await?;
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    Ok(AttestOutcome {
        attested: ask
            .iter()
            .filter_map(|r| {
                let e = r.cert.attest.ok()?;
                Some(Attested {
                    number: r.cert.number.clone(),
                    employee: r.cert.employee.clone(),
                    from: day(e.from),
                    to: day(e.to),
                })
            })
            .collect(),
        unchanged: skip.iter().map(|r| r.cert.number.clone()).collect(),
    })
}

/// The daily job: an active certificate whose yearly extension date has passed becomes
/// inactive; one whose validity has ended becomes expired. Each with an event. Returns how many
/// became inactive and expired.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn run_daily(db: &Db, clock: &Clock) -> AppResult<(usize, usize)> {
    let today = today(clock);
    let actor = Actor::system("daily");
    let mut tx = db.begin().await?;
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
    for (ids, status) in [
        (&expired, Status::Expired.code()),
        (&inactive, Status::Inactive.code()),
    ] {
        for chunk in ids.chunks(JSON_CHUNK) {
            let sql = format!(
                "UPDATE certificates SET status = $1, updated_at = $2
                 WHERE id IN (SELECT v.value FROM {})",
                json_texts(&tx, 3)
            );
            sqlx::query(&sql)
                .bind(status)
                .bind(&now)
                .bind(json_array(chunk))
                .execute(&mut *tx)
                .await?;
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn person_of(db: &Db, account_id: &str) -> AppResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM people WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(&db.pool)
            .await?,
    )
}

/// Adds a scheme unless its code exists; returns its id.
#[tracing::instrument(level = "debug", skip_all)]
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

/// A scheme's technical area and name in English, for the English interface.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn name_in_english(
    conn: &mut AnyConnection,
    scheme_id: &str,
    technical_area: &str,
    name: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE schemes SET technical_area_en = $1, name_en = $2 WHERE id = $3")
        .bind(technical_area)
        .bind(name)
        .bind(scheme_id)
        .execute(&mut *conn)
        .await
        .map(|_| ())
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
#[tracing::instrument(level = "debug", skip_all)]
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
        Subject::certificate(&id),
        actor,
        "certificate.issued",
        serde_json::json!({ "number": c.number, "valid_until": c.valid_until }),
    )
    .await?;
    Ok(id)
}

/// A certificate with its scheme, holder and the facts the yearly rules need.
pub(crate) fn holder_columns() -> String {
    format!(
        "c.id, c.number, {SCHEME_COLUMNS}, c.status, c.extend_by, c.valid_until, c.issued_on, \
         c.latest_decision, c.person_id, c.last_attested_on, c.last_attested_test, \
         s.attest_window_days, p.first_name, p.middle_name, p.last_name"
    )
}

pub(crate) fn holder_row(r: &sqlx::any::AnyRow, locale: Locale) -> AppResult<HolderCertificate> {
    let code: String = r.try_get("status")?;
    let (area, scheme) = scheme_names(r)?;
    Ok(HolderCertificate {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        technical_area: area.get(locale).to_owned(),
        scheme: scheme.get(locale).to_owned(),
        status: Status::parse(&code).ok_or_else(|| AppError::internal(format!("status {code}")))?,
        extend_by: r.try_get("extend_by")?,
        valid_until: r.try_get("valid_until")?,
    })
}

/// The holder's "Certifikat" tab; `query` narrows it by number or certificate name.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn of_person(
    db: &Db,
    locale: Locale,
    person_id: &str,
    query: &str,
) -> AppResult<Vec<HolderCertificate>> {
    let query: String = query.trim().chars().take(100).collect();
    let pattern = format!("%{}%", query.to_lowercase().replace(['%', '_', '\\'], ""));
    let rows = sqlx::query(&format!(
        "SELECT {} FROM certificates c JOIN schemes s ON s.id = c.scheme_id
         JOIN people p ON p.id = c.person_id
         WHERE c.person_id = $1 AND (LOWER(c.number) LIKE $2 OR LOWER(s.name) LIKE $2
               OR LOWER(s.name_en) LIKE $2 OR LOWER(s.technical_area) LIKE $2)
         ORDER BY c.number",
        holder_columns()
    ))
    .bind(person_id)
    .bind(&pattern)
    .fetch_all(&db.pool)
    .await?;
    rows.iter().map(|r| holder_row(r, locale)).collect()
}

/// Who may read a certificate: its holder, staff, and the admins of a company that employs
/// the holder now.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn view(
    state: &AppState,
    user: &crate::auth::model::CurrentUser,
    id: &str,
    locale: Locale,
    events_page: u32,
) -> AppResult<CertificateView> {
    let db = &state.db;
    let r = sqlx::query(&format!(
        "SELECT {}, p.account_id FROM certificates c JOIN schemes s ON s.id = c.scheme_id
         JOIN people p ON p.id = c.person_id WHERE c.id = $1",
        holder_columns()
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
            "SELECT company_id FROM employments WHERE person_id = $1 AND status = 'confirmed'
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
    let certificate = holder_row(&r, locale)?;
    let pending = if own {
        crate::attestations::service::pending(state, id).await?
    } else {
        None
    };
    let yearly = yearly_of(&r)?.extension(state.clock.today(), false);
    Ok(CertificateView {
        can_extend: own && yearly.is_ok(),
        not_now: yearly.err().map(|b| b.message(locale)),
        pending,
        certificate,
        holder,
        person_id,
        issued_on: r.try_get("issued_on")?,
        latest_decision: r.try_get("latest_decision")?,
        last_attested_on: r.try_get("last_attested_on")?,
        test_signature: r.try_get::<i64, _>("last_attested_test")? != 0,
        own,
        events: events::views(
            db,
            Subject::certificate(id),
            locale,
            events::Reader {
                staff: user.is_staff(),
                owner: own,
            },
            events_page,
            &[],
        )
        .await?,
    })
}
