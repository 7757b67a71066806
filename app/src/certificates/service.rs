//! Certificates: the employees' certificates a company admin sees, attesting them in bulk, and
//! the daily job that makes certificates inactive or expired.

use super::model::{
    AttestOutcome, Attested, CertificateView, EmployeeCertificate, EmployeeCertificatesPage,
    Extension, HolderCertificate, Listing, PAGE_SIZE, Status,
};
use super::store::{self, EmployeeCert, EmployeeFilter, Move};
use crate::clock::{Clock, to_db};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::events::service::{self as events, Actor, Entry, Subject};
use crate::i18n::{Msg, Text};
use crate::messages::model::{Line, Named, Notice};
use crate::messages::service::Recipient;
use crate::state::AppState;
use chrono::NaiveDate;
use sqlx::AnyConnection;
use std::collections::{BTreeMap, HashSet};

/// Today's date in Sweden, as dates are stored (`2026-11-25`).
pub(crate) fn today(clock: &Clock) -> String {
    clock.today().to_string()
}

/// A certificate of a company's employee as a list shows it to `caller_person` (who may not
/// attest their own), with its scheme and whom a notice about it reaches.
struct Row_ {
    cert: EmployeeCertificate,
    scheme: Named,
    person_id: String,
    holder: Recipient,
}

impl Row_ {
    fn of(r: EmployeeCert, caller_person: Option<&str>, today: NaiveDate) -> Row_ {
        let c = r.cert;
        let yearly = c.facts.yearly();
        let own = caller_person == Some(c.person_id.as_str());
        let scheme = c.names.name();
        Row_ {
            cert: EmployeeCertificate {
                technical_area: c.names.area(),
                scheme: scheme.clone(),
                employee: c.holder_name.full(),
                status: yearly.status,
                attest: yearly.extension(today, own),
                extend_by: c.facts.extend_by.map(|d| d.to_string()),
                valid_until: c.facts.valid_until.to_string(),
                id: c.id,
                number: c.number,
            },
            scheme,
            person_id: c.person_id,
            holder: r.holder.into(),
        }
    }
}

/// "Anställdas certifikat": filtered by status and technical area, sorted and paged.
/// `caller_person` is the signed-in admin's own person, whose certificates they cannot attest.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn employee_certificates(
    db: &Db,
    clock: &Clock,
    company_id: &str,
    caller_person: Option<&str>,
    listing: &Listing,
) -> AppResult<EmployeeCertificatesPage> {
    let page = listing.page.max(1);
    let day = clock.today();
    let today = day.to_string();
    let filter = EmployeeFilter {
        company_id,
        today: &today,
        status: Status::parse(&listing.status),
        area: &listing.area,
        sort: &listing.sort,
        desc: listing.desc,
    };
    let rows = store::employee_certs(
        &db.pool,
        &filter,
        i64::from(PAGE_SIZE) + 1,
        crate::types::offset(page, PAGE_SIZE),
    )
    .await?;
    let total = store::count_employee_certs(&db.pool, &filter).await?;
    let areas = store::technical_areas(&db.pool).await?;
    let has_next = rows.len() > PAGE_SIZE as usize;
    let items = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|r| Row_::of(r, caller_person, day).cert)
        .collect();
    Ok(EmployeeCertificatesPage {
        items,
        page,
        has_next,
        total,
        areas,
    })
}

/// The named certificates among the company's current employees', in the order asked. Read
/// before a bulk action's transaction begins: an attestation's update checks again what may
/// have changed in between (the date it read, the status, the employment).
#[tracing::instrument(level = "debug", skip_all)]
async fn eligible(
    db: &Db,
    clock: &Clock,
    company_id: &str,
    caller_person: Option<&str>,
    ids: &[String],
) -> AppResult<Vec<Row_>> {
    let day = clock.today();
    let mut found: BTreeMap<String, Row_> =
        store::employee_certs_among(&db.pool, company_id, &day.to_string(), ids)
            .await?
            .into_iter()
            .map(|r| {
                let row = Row_::of(r, caller_person, day);
                (row.cert.id.clone(), row)
            })
            .collect();
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// The certificates a confirmation lists, refusing any the caller may not attest.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn preview(
    state: &AppState,
    company_id: &str,
    caller_person: Option<&str>,
    ids: &[String],
) -> AppResult<Vec<EmployeeCertificate>> {
    let ids = clean(ids)?;
    let rows = eligible(&state.db, &state.clock, company_id, caller_person, &ids).await?;
    refuse(&ids, &rows)?;
    Ok(rows.into_iter().map(|r| r.cert).collect())
}

/// The most certificates one request may name.
pub const MAX_IDS: usize = 10_000;

fn clean(ids: &[String]) -> AppResult<Vec<String>> {
    let mut ids: Vec<String> = ids
        .iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(AppError::field("ids", Text::CertNoneChosen));
    }
    if ids.len() > MAX_IDS {
        return Err(AppError::field(
            "ids",
            Msg::with(Text::CertTooMany, &[("max", &MAX_IDS.to_string())]),
        ));
    }
    Ok(ids)
}

/// Refuses the whole request when any certificate is not the company's current employees' or
/// may not be attested by the caller; the message names them.
fn refuse(ids: &[String], rows: &[Row_]) -> AppResult<()> {
    let mut messages = Vec::new();
    if rows.len() != ids.len() {
        messages.push(Msg::from(Text::CertNotEmployees));
    }
    for r in rows {
        if let Some(reason) = r.cert.blocked() {
            messages.push(
                Msg::with(Text::CertRefusedLine, &[("number", &r.cert.number)])
                    .nest("reason", reason.msg()),
            );
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
    company_id: &str,
    caller_person: Option<&str>,
    ids: &[String],
) -> AppResult<AttestOutcome> {
    let ids = clean(ids)?;
    let clock = &state.clock;
    let named: Vec<&str> = ids.iter().map(String::as_str).collect();
    // The certificates and the ends of their events' chains are read at once, before the
    // transaction (the chains are checked again under their head: `Chains::hold`).
    let (rows, chains) = tokio::try_join!(
        eligible(&state.db, clock, company_id, caller_person, &ids),
        peek_chains(state, actor, &named),
    )?;
    refuse(&ids, &rows)?;
    let mut tx = state.db.begin().await?;
    let company = store::company_name(&mut tx, company_id).await?;
    let changes: std::sync::Arc<Vec<(Row_, Extension)>> = std::sync::Arc::new(
        rows.into_iter()
            .filter_map(|r| r.cert.attest.ok().map(|e| (r, e)))
            .collect(),
    );
    let now = to_db(clock.now());
    let today = today(clock);
    let moves: Vec<Move> = changes
        .iter()
        .map(|(r, e)| Move {
            id: r.cert.id.clone(),
            from: e.from.to_string(),
            to: e.to.to_string(),
        })
        .collect();
    // The events (linked after the chains' ends as they were read) and the holders' notices are
    // made for every change on a thread of the blocking pool while the update runs. Once the
    // update holds the certificates the chains' head is taken; should an entry have been
    // written meanwhile, or a certificate have changed, they are made again for what moved.
    let making = {
        let (changes, company) = (changes.clone(), company.clone());
        tokio::task::spawn_blocking(move || {
            let made = attested_writes(&chains, &company, &changes, |_| true);
            (chains, made)
        })
    };
    let moved: std::sync::Arc<HashSet<String>> = std::sync::Arc::new(
        store::extend_many(&mut tx, &now, &today, company_id, &moves)
            .await?
            .into_iter()
            .collect(),
    );
    let (mut chains, (mut linked, mut notices)) = making.await.map_err(AppError::internal)?;
    let held = chains.hold(&mut tx, clock, &named).await?;
    if !held || moved.len() != changes.len() {
        let (changes, company, moved) = (changes.clone(), company.clone(), moved.clone());
        (chains, (linked, notices)) = tokio::task::spawn_blocking(move || {
            let made = attested_writes(&chains, &company, &changes, |r| moved.contains(&r.cert.id));
            (chains, made)
        })
        .await
        .map_err(AppError::internal)?;
    }
    chains.write(&mut tx, &linked).await?;
    let (done, raced): (Vec<_>, Vec<_>) = changes
        .iter()
        .partition(|(r, _)| moved.contains(&r.cert.id));
    let moved: Vec<&Row_> = done.iter().map(|(r, _)| r).collect();
    log_on_company(
        &mut tx,
        clock,
        company_id,
        actor,
        "company.certificates_attested",
        &moved,
    )
    .await?;
    crate::messages::service::tell_many(&mut tx, state, &notices).await?;
    tx.commit().await?;
    Ok(AttestOutcome {
        attested: done
            .iter()
            .map(|(r, e)| Attested {
                number: r.cert.number.clone(),
                employee: r.cert.employee.clone(),
                from: e.from.to_string(),
                to: e.to.to_string(),
            })
            .collect(),
        unchanged: raced.iter().map(|(r, _)| r.cert.number.clone()).collect(),
    })
}

/// The ends of the certificates' chains, read on a connection of the pool.
async fn peek_chains(state: &AppState, actor: &Actor, ids: &[&str]) -> AppResult<events::Chains> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(events::Chains::peek(&mut conn, &state.clock, "certificate", actor, ids).await?)
}

/// What a bulk attestation writes for the changes `keep` keeps, besides the update: each
/// certificate's "attested" entry, linked after `chains`, and the notices that tell each holder
/// once, of all their certificates, with the new dates.
fn attested_writes(
    chains: &events::Chains,
    company: &str,
    changes: &[(Row_, Extension)],
    keep: impl Fn(&Row_) -> bool,
) -> (events::Linked, Vec<(Recipient, Notice)>) {
    let kept: Vec<&(Row_, Extension)> = changes.iter().filter(|(r, _)| keep(r)).collect();
    let entries: Vec<Entry> = kept
        .iter()
        .map(|(r, e)| Entry {
            subject_id: &r.cert.id,
            action: "certificate.attested",
            details: serde_json::json!({
                "company": company,
                "from": e.from.to_string(),
                "to": e.to.to_string(),
            }),
        })
        .collect();
    let lines = kept.iter().map(|(r, e)| (r, Some(e.to.to_string())));
    let notices = holders_told(lines, |lines| Notice::CertificatesAttested {
        company: company.to_owned(),
        lines,
    });
    (chains.link(&entries), notices)
}

/// The company's one event for a bulk action on `rows` (their count and up to 50 numbers).
#[tracing::instrument(level = "debug", skip_all)]
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
#[tracing::instrument(level = "debug", skip_all)]
async fn tell_holders<'a>(
    conn: &mut AnyConnection,
    state: &AppState,
    lines: impl Iterator<Item = (&'a Row_, Option<String>)>,
    notice: impl Fn(Vec<Line>) -> Notice,
) -> AppResult<()> {
    let notices = holders_told(lines, notice);
    crate::messages::service::tell_many(conn, state, &notices).await?;
    Ok(())
}

/// The notices that tell each holder once, of all their certificates among `lines`.
fn holders_told<'a>(
    lines: impl Iterator<Item = (&'a Row_, Option<String>)>,
    notice: impl Fn(Vec<Line>) -> Notice,
) -> Vec<(Recipient, Notice)> {
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
    by_holder
        .into_values()
        .map(|(to, lines)| (to.clone(), notice(lines)))
        .collect()
}

/// "Förfråg valda certifikat": asks each chosen employee, once, to have their professional
/// activity attested by someone else (a message, and an email to digital persons). Only
/// certificates due for attestation may be chosen; one asked about in the last week is left out
/// (a resubmitted form asks nobody twice).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn ask_bulk(
    state: &AppState,
    actor: &Actor,
    company_id: &str,
    ids: &[String],
) -> AppResult<AttestOutcome> {
    let ids = clean(ids)?;
    let clock = &state.clock;
    let rows = eligible(&state.db, clock, company_id, None, &ids).await?;
    refuse(&ids, &rows)?;
    let mut tx = state.db.begin().await?;
    let company = store::company_name(&mut tx, company_id).await?;
    let since = to_db(clock.now() - chrono::Duration::days(7));
    let recent: HashSet<String> = store::asked_since(&mut tx, &since, &ids)
        .await?
        .into_iter()
        .collect();
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
    let day = |d: NaiveDate| d.to_string();
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
pub async fn run_daily(state: &AppState) -> AppResult<(usize, usize)> {
    let mut tx = state.db.begin().await?;
    let done = run_daily_in(&mut tx, state).await?;
    tx.commit().await?;
    Ok(done)
}

/// The daily job inside the caller's transaction (the scheduler's, which marks it done with
/// its effects).
pub async fn run_daily_in(conn: &mut AnyConnection, state: &AppState) -> AppResult<(usize, usize)> {
    let clock = &state.clock;
    let today = today(clock);
    let actor = Actor::system("daily");
    let expired = store::ended(&mut *conn, &today).await?;
    let inactive = store::lapsed(&mut *conn, &today).await?;
    let now = to_db(clock.now());
    // Every row is changed before the first event takes the event log's head, as every writer
    // does, so that none waits on another's rows while holding the head.
    let expired = store::set_status(&mut *conn, &expired, Status::Expired, &now).await?;
    let inactive = store::set_status(&mut *conn, &inactive, Status::Inactive, &now).await?;
    let counts = [expired.len(), inactive.len()];
    for (ids, status) in [(expired, Status::Expired), (inactive, Status::Inactive)] {
        // Only what really changed gets its event (and, gone inactive, its holder's notice).
        if status == Status::Inactive {
            tell_inactive(&mut *conn, state, &ids, &today).await?;
        }
        let status = status.code();
        let action = format!("certificate.{status}");
        let entries: Vec<Entry> = ids
            .iter()
            .map(|id| Entry {
                subject_id: id,
                action: &action,
                details: serde_json::json!({ "date": today }),
            })
            .collect();
        events::append_many(&mut *conn, clock, "certificate", &actor, &entries).await?;
    }
    Ok((counts[1], counts[0]))
}

/// Tells each holder once of their certificates that went inactive on `date`: the yearly
/// extension (an attestation or a yearly report) did not come by "Förläng senast".
async fn tell_inactive(
    conn: &mut AnyConnection,
    state: &AppState,
    ids: &[String],
    date: &str,
) -> AppResult<()> {
    let mut by_holder: BTreeMap<String, (Recipient, Vec<Line>)> = BTreeMap::new();
    for h in store::holders(&mut *conn, ids).await? {
        by_holder
            .entry(h.person_id)
            .or_insert_with(|| (h.holder.into(), Vec::new()))
            .1
            .push(Line {
                number: h.number,
                scheme: Named::new(h.scheme, h.scheme_en),
                date: None,
            });
    }
    let notices: Vec<(Recipient, Notice)> = by_holder
        .into_values()
        .map(|(to, lines)| {
            let notice = Notice::CertificatesInactive {
                lines,
                date: date.to_owned(),
            };
            (to, notice)
        })
        .collect();
    crate::messages::service::tell_many(conn, state, &notices).await?;
    Ok(())
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
    if let Some(id) = store::scheme_id(conn, code).await? {
        return Ok(id);
    }
    let id = uuid::Uuid::now_v7().to_string();
    store::insert_scheme(
        conn,
        &store::NewScheme {
            id: &id,
            code,
            technical_area,
            name,
            recert_years,
        },
    )
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
    store::name_scheme_in_english(conn, scheme_id, technical_area, name).await
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

/// An approved yearly report moves "Förläng senast" a year on from the date it answered (from
/// today when that is past too; never past "Giltigt till"; an inactive certificate is active
/// again), with its event, inside the
/// caller's transaction. The new date, or `None` when it had moved already.
pub async fn extend_by_report(
    conn: &mut AnyConnection,
    clock: &Clock,
    actor: &Actor,
    id: &str,
    due: NaiveDate,
    valid_until: NaiveDate,
) -> sqlx::Result<Option<NaiveDate>> {
    // As an attestation: a year on from the date answered, from today when that is past too.
    let a_year = chrono::Months::new(12);
    let mut to = due.checked_add_months(a_year).unwrap_or(due);
    if to < clock.today() {
        to = clock.today().checked_add_months(a_year).unwrap_or(to);
    }
    let to = to.min(valid_until);
    let (from, to_text) = (due.to_string(), to.to_string());
    let today = today(clock);
    let now = to_db(clock.now());
    if !store::extend_by_report(conn, id, (&from, &to_text), &today, &now).await? {
        return Ok(None);
    }
    events::append(
        conn,
        clock,
        Subject::certificate(id),
        actor,
        "certificate.report_approved",
        serde_json::json!({ "from": from, "to": to_text }),
    )
    .await?;
    Ok(Some(to))
}

/// Marks the certificate renewed by the next period's (`next_number`), with its event, inside
/// the caller's transaction; false when it was already.
pub async fn mark_renewed(
    conn: &mut AnyConnection,
    clock: &Clock,
    actor: &Actor,
    id: &str,
    (next_id, next_number): (&str, &str),
) -> sqlx::Result<bool> {
    let now = to_db(clock.now());
    if !store::mark_renewed(conn, id, next_id, &now).await? {
        return Ok(false);
    }
    events::append(
        conn,
        clock,
        Subject::certificate(id),
        actor,
        "certificate.renewed",
        serde_json::json!({ "number": next_number }),
    )
    .await?;
    Ok(true)
}

/// Locks a certificate's row inside the caller's transaction, before it writes an event: every
/// writer changes its rows before it takes the event log's head, so none waits on another's
/// rows while holding the head (a renewal decision writes the new certificate's events before
/// it marks the old one renewed).
pub async fn lock(conn: &mut AnyConnection, id: &str) -> sqlx::Result<()> {
    store::lock(conn, id).await
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
    store::insert_cert(
        conn,
        &store::NewCert {
            id: &id,
            number: c.number,
            scheme_id: c.scheme_id,
            person_id: c.person_id,
            status: c.status,
            issued_on: c.issued_on,
            valid_until: c.valid_until,
            extend_by: c.extend_by,
            now: &now,
        },
    )
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

/// The signed-in holder's "Certifikat" tab (none without a person); `query` narrows it by
/// number or certificate name.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn of_account(
    db: &Db,
    account_id: &str,
    query: &str,
) -> AppResult<Vec<HolderCertificate>> {
    let query: String = query.trim().chars().take(100).collect();
    Ok(store::of_account(db, account_id, &query.to_lowercase())
        .await?
        .iter()
        .map(|c| c.holder_view())
        .collect())
}

/// A person's certificates, newest first (staff read them on the person's page).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn of_person(db: &Db, person_id: &str) -> AppResult<Vec<HolderCertificate>> {
    Ok(store::of_person(&db.pool, person_id)
        .await?
        .iter()
        .map(|c| c.holder_view())
        .collect())
}

/// Who may read a certificate: its holder, staff, and the admins of a company that employs
/// the holder now.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn view(
    state: &AppState,
    user: &crate::auth::model::CurrentUser,
    id: &str,
    events_page: u32,
) -> AppResult<CertificateView> {
    let db = &state.db;
    let store::Owned {
        cert: c,
        account_id,
    } = store::cert(&db.pool, id).await?;
    let own = account_id.as_deref() == Some(user.account_id.as_str());
    let admin_of: Vec<&str> = user.admin_companies();
    let employer = !admin_of.is_empty()
        && store::employers(&db.pool, &c.person_id, &today(&state.clock))
            .await?
            .iter()
            .any(|company| admin_of.contains(&company.as_str()));
    if !(own || employer || user.is_staff()) {
        return Err(AppError::Forbidden);
    }
    let holder = c.holder_name.full();
    let certificate = c.holder_view();
    let yearly = c.facts.yearly().extension(state.clock.today(), false);
    let today = state.clock.today();
    let can_renew = own
        && super::rules::renewal_blocked(
            c.facts.status,
            c.facts.renewed_by.is_some(),
            c.facts.valid_until.0,
            today,
        )
        .is_none();
    let mut view = CertificateView {
        can_renew,
        can_extend: own && yearly.is_ok(),
        not_now: yearly.err().map(super::model::Blocked::msg),
        certificate,
        holder,
        person_id: c.person_id.clone(),
        issued_on: c.issued_on.to_string(),
        latest_decision: c.latest_decision.to_string(),
        last_attested_on: c.facts.last_attested_on.map(|d| d.to_string()),
        test_signature: c.last_attested_test != 0,
        published: c.published != 0,
        staff: user.is_staff(),
        linkedin: None,
        reason: matches!(c.facts.status, Status::Suspended | Status::Revoked)
            .then(|| c.status_reason.clone()),
        own,
        events: events::views(
            state,
            Subject::certificate(id),
            events::Reader {
                staff: user.is_staff(),
                owner: own,
            },
            events_page,
            &[],
        )
        .await?,
    };
    if view.shareable() {
        view.linkedin = Some(super::linkedin::LinkedIn::new(
            &view.certificate.title(crate::i18n::Locale::Sv),
            &state.config.body_name,
            state.config.linkedin_organization_id.as_deref(),
            &view.issued_on,
            &view.certificate.valid_until,
            &super::verification::verify_url(state, &view.certificate.number),
            &view.certificate.number,
            view.last_attested_on.is_some(),
        ));
    }
    Ok(view)
}
