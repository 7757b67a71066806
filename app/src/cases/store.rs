//! The cases' SQL, and only the SQL: schemes' levels and required documents, cases, and the
//! reasons that stand in for documents.

use super::model::{CaseKind, CaseStatus};
use crate::db::{Day, PersonName};
use serde::Serialize;
use sqlx::{AnyConnection, AnyPool, FromRow};

/// A certificate that still counts for its holder: they renew it rather than apply anew.
const HELD: &str = "status IN ('active', 'inactive', 'suspended')";

/// A scheme one may apply for.
#[derive(Debug, FromRow)]
pub struct SchemeRow {
    pub id: String,
    pub technical_area: String,
    pub technical_area_en: String,
    pub name: String,
    pub name_en: String,
}

pub async fn schemes(pool: &AnyPool) -> sqlx::Result<Vec<SchemeRow>> {
    sqlx::query_as(
        "SELECT id, technical_area, technical_area_en, name, name_en FROM schemes
         ORDER BY technical_area, name",
    )
    .fetch_all(pool)
    .await
}

#[derive(Debug, FromRow)]
pub struct LevelRow {
    pub id: String,
    pub scheme_id: String,
    pub name: String,
    pub name_en: String,
}

pub async fn levels(pool: &AnyPool) -> sqlx::Result<Vec<LevelRow>> {
    sqlx::query_as(
        "SELECT id, scheme_id, name, name_en FROM scheme_levels ORDER BY scheme_id, position",
    )
    .fetch_all(pool)
    .await
}

/// Whether the level belongs to the scheme.
pub async fn level_of(
    conn: &mut AnyConnection,
    scheme_id: &str,
    level_id: &str,
) -> sqlx::Result<bool> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM scheme_levels WHERE id = $1 AND scheme_id = $2")
            .bind(level_id)
            .bind(scheme_id)
            .fetch_one(conn)
            .await?;
    Ok(n > 0)
}

/// The scheme's Swedish name, if it exists.
pub async fn scheme_name(
    conn: &mut AnyConnection,
    scheme_id: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT name FROM schemes WHERE id = $1")
        .bind(scheme_id)
        .fetch_optional(conn)
        .await
}

/// Whether the person holds a certificate of the scheme that still counts (not expired or
/// revoked): such a person renews rather than applies anew.
pub async fn holds_scheme(
    conn: &mut AnyConnection,
    person_id: &str,
    scheme_id: &str,
) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM certificates WHERE person_id = $1 AND scheme_id = $2 AND {HELD}"
    ))
    .bind(person_id)
    .bind(scheme_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// The schemes of which the person holds a certificate that still counts.
pub async fn held_schemes(pool: &AnyPool, person_id: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(&format!(
        "SELECT DISTINCT scheme_id FROM certificates WHERE person_id = $1 AND {HELD}"
    ))
    .bind(person_id)
    .fetch_all(pool)
    .await
}

/// Whether the scheme grants levels (an application then names one).
pub async fn has_levels(conn: &mut AnyConnection, scheme_id: &str) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM scheme_levels WHERE scheme_id = $1")
        .bind(scheme_id)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// The applicant's details.
#[derive(Debug, FromRow)]
pub struct ApplicantRow {
    #[sqlx(flatten)]
    pub name: PersonName,
    pub pnr: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub email: String,
    pub communication: String,
}

pub async fn applicant(pool: &AnyPool, person_id: &str) -> sqlx::Result<ApplicantRow> {
    sqlx::query_as(
        "SELECT first_name, middle_name, last_name, pnr, address, postal_code, city, email,
                communication
         FROM people WHERE id = $1",
    )
    .bind(person_id)
    .fetch_one(pool)
    .await
}

/// The open case of a kind for the person and scheme, if one is open.
pub async fn open_case(
    conn: &mut AnyConnection,
    person_id: &str,
    scheme_id: &str,
    kind: CaseKind,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT id FROM cases WHERE person_id = $1 AND scheme_id = $2 AND kind = $3
           AND status <> 'decided'",
    )
    .bind(person_id)
    .bind(scheme_id)
    .bind(kind.code())
    .fetch_optional(conn)
    .await
}

/// A case as it is opened.
pub struct NewCase<'a> {
    pub id: &'a str,
    pub order_no: &'a str,
    pub person_id: &'a str,
    pub scheme_id: &'a str,
    pub kind: CaseKind,
    pub level_id: Option<&'a str>,
    pub now: &'a str,
    /// The certificate a yearly report or renewal is about.
    pub about: Option<&'a str>,
    /// The "Förläng senast" a yearly report answers.
    pub report_due: Option<&'a str>,
    /// Copied from the case before (a renewal's prefill).
    pub plastic_card: bool,
    pub published: bool,
}

/// Opens the case; false when an open case of its kind for the person and scheme (or the
/// report for that certificate and date) exists: nothing is written.
pub async fn insert_case(conn: &mut AnyConnection, c: &NewCase<'_>) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO cases (id, order_no, person_id, scheme_id, kind, status, level_id,
                            created_at, updated_at, queued_at, applicant_account,
                            about_certificate, report_due, plastic_card, published)
         VALUES ($1, $2, $3, $4, $5, 'waiting', $6, $7, $7, $7,
                 (SELECT account_id FROM people WHERE id = $3), $8, $9, $10, $11)
         ON CONFLICT DO NOTHING",
    )
    .bind(c.id)
    .bind(c.order_no)
    .bind(c.person_id)
    .bind(c.scheme_id)
    .bind(c.kind.code())
    .bind(c.level_id)
    .bind(c.now)
    .bind(c.about)
    .bind(c.report_due)
    .bind(i64::from(c.plastic_card))
    .bind(i64::from(c.published))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Which of `candidates` some case has as its order number.
pub async fn order_nos_taken(
    conn: &mut AnyConnection,
    candidates: &[&str],
) -> sqlx::Result<Vec<String>> {
    let sql = format!(
        "SELECT order_no FROM cases WHERE order_no IN (SELECT v.value FROM {})",
        crate::db::json_texts(conn, 1)
    );
    sqlx::query_scalar(&sql)
        .persistent(false)
        .bind(crate::db::json_array(candidates))
        .fetch_all(conn)
        .await
}

/// A yearly report's case as the day's job opens it.
#[derive(Debug, Serialize)]
pub struct NewReport {
    pub id: String,
    pub order_no: String,
    pub person_id: String,
    pub scheme_id: String,
    pub about: String,
    pub due: String,
}

/// Opens the report cases (at most [`crate::db::JSON_CHUNK`]); the ids of those written (one
/// already open for the certificate and date, or for the person and scheme, is left out).
pub async fn open_reports(
    conn: &mut AnyConnection,
    reports: &[NewReport],
    now: &str,
) -> sqlx::Result<Vec<String>> {
    let sql = format!(
        "INSERT INTO cases (id, order_no, person_id, scheme_id, kind, status, created_at,
                            updated_at, queued_at, applicant_account, about_certificate,
                            report_due)
         SELECT v.value ->> 'id', v.value ->> 'order_no', v.value ->> 'person_id',
                v.value ->> 'scheme_id', 'yearly_report', 'waiting', $1, $1, $1,
                (SELECT p.account_id FROM people p WHERE p.id = v.value ->> 'person_id'),
                v.value ->> 'about', v.value ->> 'due'
         FROM {} WHERE true
         ON CONFLICT DO NOTHING RETURNING id",
        crate::db::json_rows(conn, 2)
    );
    sqlx::query_scalar(&sql)
        .persistent(false)
        .bind(now)
        .bind(crate::db::json_array(reports))
        .fetch_all(conn)
        .await
}

/// A certificate whose yearly report is due and has no case yet.
#[derive(Debug, FromRow)]
pub struct ReportDue {
    pub certificate_id: String,
    pub person_id: String,
    pub scheme_id: String,
    pub scheme: String,
    pub number: String,
    pub extend_by: String,
}

/// The certificates of `schemes` whose "Förläng senast" lies in `from..=to` (or, gone inactive,
/// has passed: their report comes late), still before the end of validity, not renewed, with
/// no report case for that date yet.
pub async fn reports_due(
    conn: &mut AnyConnection,
    schemes: &[&str],
    from: &str,
    to: &str,
) -> sqlx::Result<Vec<ReportDue>> {
    let sql = format!(
        "SELECT c.id AS certificate_id, c.person_id, c.scheme_id, s.name AS scheme, c.number,
                c.extend_by
         FROM certificates c JOIN schemes s ON s.id = c.scheme_id
         WHERE (c.status = 'active' AND c.extend_by >= $1 AND c.extend_by <= $2
                OR c.status = 'inactive' AND c.extend_by <= $2)
           AND c.extend_by < c.valid_until AND c.renewed_by IS NULL
           AND c.scheme_id IN (SELECT v.value FROM {})
           AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.kind = 'yearly_report'
                             AND k.about_certificate = c.id AND k.report_due = c.extend_by)
         ORDER BY c.extend_by, c.id",
        crate::db::json_texts(conn, 3)
    );
    sqlx::query_as(&sql)
        .persistent(false)
        .bind(from)
        .bind(to)
        .bind(crate::db::json_array(schemes))
        .fetch_all(conn)
        .await
}

/// A certificate as its renewal needs it: whose, which scheme, its state, and what the
/// person's last application for the scheme chose (the renewal's prefill).
#[derive(Debug, FromRow)]
pub struct Renewable {
    pub id: String,
    pub number: String,
    pub person_id: String,
    pub scheme_id: String,
    pub status: String,
    pub valid_until: Day,
    pub renewed_by: Option<String>,
    #[sqlx(flatten)]
    pub names: Names,
    pub level_id: Option<String>,
    pub plastic_card: Option<i64>,
    /// "Publicerad" as the holder set it on the certificate now.
    pub published: i64,
    /// An open renewal of the scheme, if the person has one.
    pub open_case: Option<String>,
}

pub async fn renewable(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<Renewable>> {
    let last = "FROM cases l WHERE l.person_id = c.person_id AND l.scheme_id = c.scheme_id
                  AND l.kind <> 'yearly_report' ORDER BY l.created_at DESC, l.id DESC LIMIT 1";
    sqlx::query_as(&format!(
        "SELECT c.id, c.number, c.person_id, c.scheme_id, c.status, c.valid_until, c.renewed_by,
                s.technical_area, s.technical_area_en, s.name AS scheme, s.name_en AS scheme_en,
                (SELECT l.level_id {last}) AS level_id,
                (SELECT l.plastic_card {last}) AS plastic_card,
                c.published,
                (SELECT o.id FROM cases o WHERE o.person_id = c.person_id
                   AND o.scheme_id = c.scheme_id AND o.kind = 'renewal'
                   AND o.status <> 'decided') AS open_case
         FROM certificates c JOIN schemes s ON s.id = c.scheme_id WHERE c.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The documents of the person's archive that a renewal of the scheme would count, by the
/// required document they answer: sent for it with an earlier application of the scheme, or
/// shared.
#[derive(Debug, FromRow)]
pub struct Reusable {
    pub name: String,
    pub name_en: String,
    pub stored_name: String,
    pub uploaded_at: String,
}

pub async fn reusable(
    pool: &AnyPool,
    person_id: &str,
    scheme_id: &str,
) -> sqlx::Result<Vec<Reusable>> {
    sqlx::query_as(
        "SELECT r.name, r.name_en, d.stored_name, d.uploaded_at
         FROM required_documents r
         JOIN documents d ON d.id = (
             SELECT d.id FROM documents d
             WHERE d.person_id = $1
               AND ((d.requirement_id = r.id AND d.case_id IN (
                        SELECT o.id FROM cases o WHERE o.person_id = $1 AND o.scheme_id = $2
                          AND o.kind <> 'yearly_report' AND o.decision = 'approved'))
                    OR (r.shared <> 0 AND d.shared <> 0 AND d.title = r.name))
             ORDER BY d.uploaded_at DESC, d.id DESC LIMIT 1)
         WHERE r.scheme_id = $2 AND r.retired = 0 AND r.case_kind = 'application'
         ORDER BY r.position",
    )
    .bind(person_id)
    .bind(scheme_id)
    .fetch_all(pool)
    .await
}

/// The scheme's first report row, if it has one in use.
pub async fn report_requirement(
    conn: &mut AnyConnection,
    scheme_id: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT id FROM required_documents
         WHERE scheme_id = $1 AND case_kind = 'yearly_report' AND retired = 0
         ORDER BY position LIMIT 1",
    )
    .bind(scheme_id)
    .fetch_optional(conn)
    .await
}

/// Takes a removed report row of the scheme back into use; false when it has none.
pub async fn revive_report_requirement(
    conn: &mut AnyConnection,
    scheme_id: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE required_documents SET retired = 0
         WHERE id = (SELECT id FROM required_documents
                     WHERE scheme_id = $1 AND case_kind = 'yearly_report'
                     ORDER BY position DESC LIMIT 1)",
    )
    .bind(scheme_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Adds a report row; false when the scheme has a document of that name already.
pub async fn add_report_requirement(
    conn: &mut AnyConnection,
    r: &NewRequirement<'_>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO required_documents (id, scheme_id, name, name_en, help, help_en, shared,
                                         position, case_kind)
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7, 'yearly_report')
         ON CONFLICT DO NOTHING",
    )
    .bind(r.id)
    .bind(r.scheme_id)
    .bind(r.name)
    .bind(r.name_en)
    .bind(r.help)
    .bind(r.help_en)
    .bind(r.position)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Whether the required document is a report row of a scheme extended by reports (the row
/// the yearly report needs).
pub async fn is_needed_report_row(
    conn: &mut AnyConnection,
    scheme_id: &str,
    id: &str,
) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM required_documents r JOIN schemes s ON s.id = r.scheme_id
         WHERE r.id = $1 AND r.scheme_id = $2 AND r.case_kind = 'yearly_report'
           AND r.retired = 0 AND s.yearly_report <> 0",
    )
    .bind(id)
    .bind(scheme_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// The scheme's names, read with a case or a certificate.
#[derive(Debug, FromRow)]
pub struct Names {
    pub technical_area: String,
    pub technical_area_en: String,
    pub scheme: String,
    pub scheme_en: String,
}

#[derive(Debug, FromRow)]
pub struct CaseLine {
    pub id: String,
    pub order_no: String,
    #[sqlx(try_from = "String")]
    pub status: CaseStatus,
    #[sqlx(try_from = "String")]
    pub kind: CaseKind,
    #[sqlx(flatten)]
    pub names: Names,
}

/// The person's cases, newest first.
pub async fn cases_of(pool: &AnyPool, person_id: &str) -> sqlx::Result<Vec<CaseLine>> {
    sqlx::query_as(
        "SELECT c.id, c.order_no, c.status, c.kind, s.technical_area, s.technical_area_en,
                s.name AS scheme, s.name_en AS scheme_en
         FROM cases c JOIN schemes s ON s.id = c.scheme_id
         WHERE c.person_id = $1 ORDER BY c.created_at DESC, c.order_no",
    )
    .bind(person_id)
    .fetch_all(pool)
    .await
}

#[derive(Debug, FromRow)]
pub struct CertificateLine {
    pub id: String,
    pub number: String,
    #[sqlx(flatten)]
    pub names: Names,
}

/// The person's certificates that no case issued, by number.
pub async fn certificates_without_case(
    pool: &AnyPool,
    person_id: &str,
) -> sqlx::Result<Vec<CertificateLine>> {
    sqlx::query_as(
        "SELECT c.id, c.number, s.technical_area, s.technical_area_en, s.name AS scheme,
                s.name_en AS scheme_en
         FROM certificates c JOIN schemes s ON s.id = c.scheme_id
         WHERE c.person_id = $1
           AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.certificate_id = c.id)
         ORDER BY c.number",
    )
    .bind(person_id)
    .fetch_all(pool)
    .await
}

/// A case with what its information panel shows.
#[derive(Debug, FromRow)]
pub struct CaseRow {
    pub id: String,
    pub order_no: String,
    pub person_id: String,
    pub scheme_id: String,
    #[sqlx(try_from = "String")]
    pub kind: CaseKind,
    #[sqlx(try_from = "String")]
    pub status: CaseStatus,
    #[sqlx(flatten)]
    pub names: Names,
    #[sqlx(flatten)]
    pub person: PersonName,
    pub pnr: String,
    pub communication: String,
    pub handler: Option<String>,
    pub certificate_number: Option<String>,
    pub valid_until: Option<Day>,
    pub level_id: Option<String>,
    pub level: Option<String>,
    pub level_en: Option<String>,
    pub granted_level: Option<String>,
    pub plastic_card: i64,
    pub published: i64,
    pub ready_at: Option<String>,
    /// The certificate a yearly report or a renewal is about.
    pub about_certificate: Option<String>,
    /// The certificate the panel shows (the one the case issued, else the one it is about):
    /// its id, status and renewal.
    pub shown_certificate: Option<String>,
    pub shown_status: Option<String>,
    pub shown_renewed: Option<String>,
    /// 1 when the person has an account (and so sends their own cases).
    pub has_account: i64,
    /// The "Förläng senast" a yearly report answers.
    pub report_due: Option<Day>,
    /// The shown certificate's "Förläng senast".
    pub extend_by: Option<Day>,
}

pub async fn case(pool: &AnyPool, id: &str) -> sqlx::Result<Option<CaseRow>> {
    sqlx::query_as(
        "SELECT k.id, k.order_no, k.person_id, k.scheme_id, k.kind, k.status,
                s.technical_area, s.technical_area_en, s.name AS scheme, s.name_en AS scheme_en,
                p.first_name, p.middle_name, p.last_name, p.pnr, p.communication,
                a.display_name AS handler, c.number AS certificate_number, c.valid_until,
                k.level_id, l.name AS level, l.name_en AS level_en, k.granted_level,
                k.plastic_card, k.published, k.ready_at, k.about_certificate,
                c.id AS shown_certificate, c.status AS shown_status,
                c.renewed_by AS shown_renewed, k.report_due, c.extend_by,
                CASE WHEN p.account_id IS NULL THEN 0 ELSE 1 END AS has_account
         FROM cases k JOIN schemes s ON s.id = k.scheme_id
         JOIN people p ON p.id = k.person_id
         LEFT JOIN accounts a ON a.id = k.handler_id
         LEFT JOIN certificates c ON c.id = COALESCE(k.certificate_id, k.about_certificate)
         LEFT JOIN scheme_levels l ON l.id = k.level_id
         WHERE k.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// A required document, with the reason given for it in a case, if one was.
#[derive(Debug, FromRow)]
pub struct RequirementRow {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub help: String,
    pub help_en: String,
    pub shared: i64,
    pub template: Option<String>,
    pub reason: Option<String>,
    pub explained_at: Option<String>,
}

pub async fn requirements(
    pool: &AnyPool,
    case_id: &str,
    scheme_id: &str,
) -> sqlx::Result<Vec<RequirementRow>> {
    sqlx::query_as(&format!(
        "SELECT r.id, r.name, r.name_en, r.help, r.help_en, r.shared, r.template,
                e.reason, e.created_at AS explained_at
         FROM required_documents r
         JOIN cases k ON k.id = $1
         LEFT JOIN case_explanations e ON e.requirement_id = r.id AND e.case_id = $1
         WHERE r.scheme_id = $2 AND r.retired = 0 AND {ASKED_BY_CASE} ORDER BY r.position",
    ))
    .bind(case_id)
    .bind(scheme_id)
    .fetch_all(pool)
    .await
}

/// What a write to a case needs to know of it.
#[derive(Debug, FromRow)]
pub struct CaseFacts {
    pub person_id: String,
    pub scheme_id: String,
    pub order_no: String,
    #[sqlx(try_from = "String")]
    pub status: CaseStatus,
    pub ready_at: Option<String>,
}

pub async fn facts(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<CaseFacts>> {
    sqlx::query_as(
        "SELECT person_id, scheme_id, order_no, status, ready_at FROM cases WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// A required document of the scheme: its names.
#[derive(Debug, FromRow)]
pub struct RequirementName {
    pub name: String,
    pub name_en: String,
}

pub async fn requirement_of(
    conn: &mut AnyConnection,
    scheme_id: &str,
    requirement_id: &str,
) -> sqlx::Result<Option<RequirementName>> {
    sqlx::query_as(
        "SELECT name, name_en FROM required_documents
         WHERE id = $1 AND scheme_id = $2 AND retired = 0",
    )
    .bind(requirement_id)
    .bind(scheme_id)
    .fetch_optional(conn)
    .await
}

/// A required document that the case asks for (of its scheme, for its kind), with what a file
/// sent for it needs.
pub async fn case_requirement(
    conn: &mut AnyConnection,
    case_id: &str,
    id: &str,
) -> sqlx::Result<Option<RequirementFacts>> {
    sqlx::query_as(&format!(
        "SELECT r.name, r.name_en, r.shared FROM required_documents r
         JOIN cases k ON k.id = $2 AND k.scheme_id = r.scheme_id
         WHERE r.id = $1 AND r.retired = 0 AND {ASKED_BY_CASE}"
    ))
    .bind(id)
    .bind(case_id)
    .fetch_optional(conn)
    .await
}

/// Writes (or replaces) the reason for a document; false when it already said this (a form sent
/// twice, even at once, writes once).
pub async fn explain(
    conn: &mut AnyConnection,
    case_id: &str,
    requirement_id: &str,
    reason: &str,
    account_id: Option<&str>,
    now: &str,
) -> sqlx::Result<bool> {
    let written = sqlx::query(
        "INSERT INTO case_explanations (case_id, requirement_id, reason, account_id, created_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (case_id, requirement_id)
         DO UPDATE SET reason = excluded.reason, account_id = excluded.account_id,
                       created_at = excluded.created_at
         WHERE case_explanations.reason <> excluded.reason",
    )
    .bind(case_id)
    .bind(requirement_id)
    .bind(reason)
    .bind(account_id)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if written {
        touch(conn, case_id, now).await?;
    }
    Ok(written)
}

async fn touch(conn: &mut AnyConnection, case_id: &str, now: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(case_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// "MEDDELA OSS": marks the open case ready unless it already was, or its status is no longer
/// the one `seen` when what is missing was worked out (an asked-for supplement is then
/// answered, and the case back in the queue); true when this call did.
pub async fn mark_ready(
    conn: &mut AnyConnection,
    case_id: &str,
    seen: CaseStatus,
    now: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE cases SET ready_at = $1, updated_at = $1, queued_at = $1,
                status = CASE WHEN status = 'supplement_requested' THEN 'supplement_answered'
                              ELSE status END
         WHERE id = $2 AND ready_at IS NULL AND status <> 'decided' AND status = $3",
    )
    .bind(now)
    .bind(case_id)
    .bind(seen.code())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A level as it is added to a scheme.
pub struct NewLevel<'a> {
    pub id: &'a str,
    pub scheme_id: &'a str,
    pub name: &'a str,
    pub name_en: &'a str,
    pub position: i64,
}

/// Adds a level unless the scheme has one of that name.
pub async fn ensure_level(conn: &mut AnyConnection, l: &NewLevel<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO scheme_levels (id, scheme_id, name, name_en, position)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (scheme_id, name) DO NOTHING",
    )
    .bind(l.id)
    .bind(l.scheme_id)
    .bind(l.name)
    .bind(l.name_en)
    .bind(l.position)
    .execute(conn)
    .await
    .map(|_| ())
}

/// A required document as it is added to a scheme.
pub struct NewRequirement<'a> {
    pub id: &'a str,
    pub scheme_id: &'a str,
    pub name: &'a str,
    pub name_en: &'a str,
    pub help: &'a str,
    pub help_en: &'a str,
    pub shared: bool,
    pub position: i64,
}

/// Adds a required document unless the scheme has one of that name.
pub async fn ensure_requirement(
    conn: &mut AnyConnection,
    r: &NewRequirement<'_>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO required_documents (id, scheme_id, name, name_en, help, help_en, shared,
                                         position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (scheme_id, name) DO NOTHING",
    )
    .bind(r.id)
    .bind(r.scheme_id)
    .bind(r.name)
    .bind(r.name_en)
    .bind(r.help)
    .bind(r.help_en)
    .bind(i64::from(r.shared))
    .bind(r.position)
    .execute(conn)
    .await
    .map(|_| ())
}

/// The id of a scheme's required document, by name.
pub async fn requirement_id(
    conn: &mut AnyConnection,
    scheme_id: &str,
    name: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT id FROM required_documents WHERE scheme_id = $1 AND name = $2 AND retired = 0",
    )
    .bind(scheme_id)
    .bind(name)
    .fetch_optional(conn)
    .await
}

/// Whether case `k` asks for required document `r`: a yearly report for the report's rows, an
/// application (new or renewal) for the others.
const ASKED_BY_CASE: &str =
    "r.case_kind = CASE WHEN k.kind = 'yearly_report' THEN 'yearly_report' ELSE 'application' END";

/// Whether document `d` answers required document `r` in case `k`: sent with the case for it,
/// a shared one of the person of the same name, sent with any case, one a handler attached
/// from the person's archive, or, in a renewal, one still in the archive that an earlier case of
/// the scheme was sent for the same document.
const ANSWERS: &str = "d.person_id = k.person_id
       AND ((d.case_id = k.id AND d.requirement_id = r.id)
            OR (r.shared <> 0 AND d.shared <> 0 AND d.title = r.name)
            OR (k.kind = 'renewal' AND d.requirement_id = r.id
                AND d.case_id IN (SELECT o.id FROM cases o
                                  WHERE o.person_id = k.person_id AND o.scheme_id = k.scheme_id
                                    AND o.kind <> 'yearly_report' AND o.decision = 'approved'))
            OR EXISTS (SELECT 1 FROM case_documents c
                       WHERE c.case_id = k.id AND c.requirement_id = r.id
                         AND c.document_id = d.id))";

/// A required document and what answers it in a case: the newest file, else the reason.
#[derive(Debug, FromRow)]
pub struct AnsweredRow {
    pub requirement_id: String,
    pub document_id: String,
    pub stored_name: String,
    pub uploaded_at: String,
}

/// For each required document of the case that a file answers, the newest such file.
pub async fn answered(pool: &AnyPool, case_id: &str) -> sqlx::Result<Vec<AnsweredRow>> {
    sqlx::query_as(&format!(
        "SELECT r.id AS requirement_id, d.id AS document_id, d.stored_name, d.uploaded_at
         FROM cases k
         JOIN required_documents r ON r.scheme_id = k.scheme_id AND r.retired = 0
                                      AND {ASKED_BY_CASE}
         JOIN documents d ON d.id = (SELECT d.id FROM documents d WHERE {ANSWERS}
                                     ORDER BY d.uploaded_at DESC, d.id DESC LIMIT 1)
         WHERE k.id = $1"
    ))
    .bind(case_id)
    .fetch_all(pool)
    .await
}

/// The required document of the scheme, with what a file sent for it needs.
#[derive(Debug, FromRow)]
pub struct RequirementFacts {
    pub name: String,
    pub name_en: String,
    pub shared: i64,
}

pub async fn requirement_facts(
    conn: &mut AnyConnection,
    scheme_id: &str,
    id: &str,
) -> sqlx::Result<Option<RequirementFacts>> {
    sqlx::query_as(
        "SELECT name, name_en, shared FROM required_documents
         WHERE id = $1 AND scheme_id = $2 AND retired = 0",
    )
    .bind(id)
    .bind(scheme_id)
    .fetch_optional(conn)
    .await
}

pub struct NewDocument<'a> {
    pub id: &'a str,
    pub person_id: &'a str,
    pub case_id: Option<&'a str>,
    pub requirement_id: Option<&'a str>,
    pub doc_type: super::model::DocType,
    pub title: &'a str,
    pub title_en: &'a str,
    pub shared: bool,
    pub stored_name: &'a str,
    pub original_name: &'a str,
    pub format: super::model::Format,
    pub size: i64,
    pub sha256: &'a str,
    pub note: &'a str,
    pub uploaded_by: Option<&'a str>,
    pub uploaded_at: &'a str,
    pub delete_after: &'a str,
}

pub async fn insert_document(conn: &mut AnyConnection, d: &NewDocument<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO documents (id, person_id, case_id, requirement_id, doc_type, title, title_en,
                                shared, stored_name, original_name, format, size, sha256, note,
                                uploaded_by, uploaded_at, delete_after)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )
    .bind(d.id)
    .bind(d.person_id)
    .bind(d.case_id)
    .bind(d.requirement_id)
    .bind(d.doc_type.code())
    .bind(d.title)
    .bind(d.title_en)
    .bind(i64::from(d.shared))
    .bind(d.stored_name)
    .bind(d.original_name)
    .bind(d.format.code())
    .bind(d.size)
    .bind(d.sha256)
    .bind(d.note)
    .bind(d.uploaded_by)
    .bind(d.uploaded_at)
    .bind(d.delete_after)
    .execute(conn)
    .await?;
    Ok(())
}

/// The last day of the person's newest certificate, if they have one.
pub async fn last_valid_day(
    conn: &mut AnyConnection,
    person_id: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT MAX(valid_until) FROM certificates WHERE person_id = $1")
        .bind(person_id)
        .fetch_one(conn)
        .await
}

/// How many documents (and certificates, templates, logos) point at a stored file.
pub async fn stored_uses(pool: &AnyPool, sha256: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM documents WHERE sha256 = $1)
              + (SELECT COUNT(*) FROM required_documents WHERE template_sha256 = $1)
              + (SELECT COUNT(*) FROM bookings WHERE cert_sha256 = $1)
              + (SELECT COUNT(*) FROM providers WHERE logo_sha256 = $1)",
    )
    .bind(sha256)
    .fetch_one(pool)
    .await
}

/// A document as a download needs it.
#[derive(Debug, FromRow)]
pub struct DocumentRow {
    pub id: String,
    pub person_id: String,
    pub stored_name: String,
    #[sqlx(try_from = "String")]
    pub format: super::model::Format,
    pub sha256: String,
}

pub async fn document(pool: &AnyPool, id: &str) -> sqlx::Result<Option<DocumentRow>> {
    sqlx::query_as("SELECT id, person_id, stored_name, format, sha256 FROM documents WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

#[derive(Debug, FromRow)]
pub struct ArchiveLine {
    pub id: String,
    pub uploaded_at: String,
    pub stored_name: String,
    #[sqlx(try_from = "String")]
    pub doc_type: super::model::DocType,
    pub note: String,
}

/// A case's archive: the person's documents sent with it, their shared ones, and those a
/// handler attached to it.
const IN_ARCHIVE: &str = "d.person_id = $1
     AND (d.case_id = $2 OR d.shared <> 0
          OR EXISTS (SELECT 1 FROM case_documents c WHERE c.case_id = $2 AND c.document_id = d.id))";

/// A page of a case's archive, sorted and filtered; `limit` rows from `offset`.
pub async fn archive(
    pool: &AnyPool,
    person_id: &str,
    case_id: &str,
    q: &super::model::ArchiveQuery,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<ArchiveLine>> {
    use super::model::ArchiveSort;
    let column = match q.sort {
        ArchiveSort::Date => "d.uploaded_at",
        ArchiveSort::Name => "LOWER(d.stored_name)",
        ArchiveSort::Type => "d.doc_type",
        ArchiveSort::Note => "LOWER(d.note)",
    };
    let dir = if q.descending { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT d.id, d.uploaded_at, d.stored_name, d.doc_type, d.note FROM documents d
         WHERE {IN_ARCHIVE} AND ($3 = '' OR d.doc_type = $3)
         ORDER BY {column} {dir}, d.uploaded_at {dir}, d.id {dir} LIMIT $4 OFFSET $5"
    );
    sqlx::query_as(&sql)
        .bind(person_id)
        .bind(case_id)
        .bind(q.doc_type.map(|t| t.code()).unwrap_or(""))
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await
}

/// The document types a case's archive holds.
pub async fn archive_types(
    pool: &AnyPool,
    person_id: &str,
    case_id: &str,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(&format!(
        "SELECT DISTINCT d.doc_type FROM documents d WHERE {IN_ARCHIVE} ORDER BY d.doc_type"
    ))
    .bind(person_id)
    .bind(case_id)
    .fetch_all(pool)
    .await
}

/// A scheme as the administrators' list shows it: its names and how many documents it requires.
#[derive(Debug, FromRow)]
pub struct SchemeLine {
    pub id: String,
    pub technical_area: String,
    pub technical_area_en: String,
    pub name: String,
    pub name_en: String,
    pub documents: i64,
}

pub async fn scheme_lines(pool: &AnyPool) -> sqlx::Result<Vec<SchemeLine>> {
    sqlx::query_as(
        "SELECT s.id, s.technical_area, s.technical_area_en, s.name, s.name_en,
                (SELECT COUNT(*) FROM required_documents r
                 WHERE r.scheme_id = s.id AND r.retired = 0) AS documents
         FROM schemes s ORDER BY s.technical_area, s.name",
    )
    .fetch_all(pool)
    .await
}

pub async fn scheme_line(pool: &AnyPool, id: &str) -> sqlx::Result<Option<SchemeLine>> {
    sqlx::query_as(
        "SELECT s.id, s.technical_area, s.technical_area_en, s.name, s.name_en, 0 AS documents
         FROM schemes s WHERE s.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// A required document as its administrators keep it; `in_use` when a file or a reason was
/// sent for it.
#[derive(Debug, FromRow)]
pub struct RequirementAdminRow {
    pub id: String,
    pub name: String,
    pub name_en: String,
    pub help: String,
    pub help_en: String,
    pub shared: i64,
    pub template: Option<String>,
    pub in_use: i64,
    pub case_kind: String,
}

/// Whether a file or a reason was sent for required document `r`.
const IN_USE: &str = "(SELECT COUNT(*) FROM documents d WHERE d.requirement_id = r.id)
     + (SELECT COUNT(*) FROM case_explanations e WHERE e.requirement_id = r.id)";

pub async fn requirements_admin(
    pool: &AnyPool,
    scheme_id: &str,
) -> sqlx::Result<Vec<RequirementAdminRow>> {
    sqlx::query_as(&format!(
        "SELECT r.id, r.name, r.name_en, r.help, r.help_en, r.shared, r.template,
                {IN_USE} AS in_use, r.case_kind
         FROM required_documents r WHERE r.scheme_id = $1 AND r.retired = 0
         ORDER BY r.position"
    ))
    .bind(scheme_id)
    .fetch_all(pool)
    .await
}

/// What an administrator writes of a required document.
pub struct RequirementText<'a> {
    pub name: &'a str,
    pub name_en: &'a str,
    pub help: &'a str,
    pub help_en: &'a str,
    pub shared: bool,
}

/// Adds a required document at the end of the scheme's list; a removed one of the same name
/// comes back instead, with these words. False when the scheme has a document of that name.
pub async fn add_requirement(
    conn: &mut AnyConnection,
    id: &str,
    scheme_id: &str,
    r: &RequirementText<'_>,
) -> sqlx::Result<bool> {
    let position: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM required_documents WHERE scheme_id = $1",
    )
    .bind(scheme_id)
    .fetch_one(&mut *conn)
    .await?;
    let done = sqlx::query(
        "INSERT INTO required_documents (id, scheme_id, name, name_en, help, help_en, shared,
                                         position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (scheme_id, name) DO UPDATE
           SET name_en = excluded.name_en, help = excluded.help, help_en = excluded.help_en,
               shared = excluded.shared, position = excluded.position, retired = 0
           WHERE required_documents.retired <> 0",
    )
    .bind(id)
    .bind(scheme_id)
    .bind(r.name)
    .bind(r.name_en)
    .bind(r.help)
    .bind(r.help_en)
    .bind(i64::from(r.shared))
    .bind(position)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Rewrites a required document of the scheme; false when it has none of that id.
pub async fn update_requirement(
    conn: &mut AnyConnection,
    id: &str,
    scheme_id: &str,
    r: &RequirementText<'_>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE required_documents
         SET name = $1, name_en = $2, help = $3, help_en = $4, shared = $5
         WHERE id = $6 AND scheme_id = $7 AND retired = 0",
    )
    .bind(r.name)
    .bind(r.name_en)
    .bind(r.help)
    .bind(r.help_en)
    .bind(i64::from(r.shared))
    .bind(id)
    .bind(scheme_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes a required document of the scheme: deleted when nothing points at it, else retired.
/// Its name, or `None` when the scheme has no such document (or it went already).
pub async fn remove_requirement(
    conn: &mut AnyConnection,
    id: &str,
    scheme_id: &str,
) -> sqlx::Result<Option<String>> {
    let found: Option<(String, i64)> = sqlx::query_as(&format!(
        "SELECT r.name, {IN_USE} AS in_use FROM required_documents r
         WHERE r.id = $1 AND r.scheme_id = $2 AND r.retired = 0"
    ))
    .bind(id)
    .bind(scheme_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((name, in_use)) = found else {
        return Ok(None);
    };
    let sql = if in_use > 0 {
        "UPDATE required_documents SET retired = 1 WHERE id = $1 AND retired = 0"
    } else {
        "DELETE FROM required_documents WHERE id = $1"
    };
    let done = sqlx::query(sql).bind(id).execute(conn).await?;
    Ok((done.rows_affected() == 1).then_some(name))
}

/// The scheme's required documents' ids in their order.
pub async fn requirement_order(
    conn: &mut AnyConnection,
    scheme_id: &str,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT id FROM required_documents WHERE scheme_id = $1 AND retired = 0
         ORDER BY position, id",
    )
    .bind(scheme_id)
    .fetch_all(conn)
    .await
}

pub async fn set_requirement_position(
    conn: &mut AnyConnection,
    id: &str,
    position: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE required_documents SET position = $1 WHERE id = $2")
        .bind(position)
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// A document of the case for the requirement with this content, if one was sent: its id and
/// name.
pub async fn same_file(
    conn: &mut AnyConnection,
    case_id: &str,
    requirement_id: &str,
    sha256: &str,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as(
        "SELECT id, stored_name FROM documents
         WHERE case_id = $1 AND requirement_id = $2 AND sha256 = $3
         ORDER BY uploaded_at LIMIT 1",
    )
    .bind(case_id)
    .bind(requirement_id)
    .bind(sha256)
    .fetch_optional(conn)
    .await
}

/// Whether the person has a document of this name.
pub async fn stored_name_taken(
    conn: &mut AnyConnection,
    person_id: &str,
    name: &str,
) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM documents WHERE person_id = $1 AND stored_name = $2",
    )
    .bind(person_id)
    .bind(name)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// The cases of a filter of the handlers' queue, as SQL on `k` (cases); `$1` is the handler.
/// Each is written exactly as the condition of its index (see the migration), so that SQLite,
/// which matches a partial index's condition by its terms, reads the index alone.
fn queue_clause(filter: super::model::QueueFilter) -> &'static str {
    use super::model::QueueFilter as F;
    match filter {
        F::Waiting => "k.status <> 'decided' AND k.handler_id IS NULL AND k.ready_at IS NOT NULL",
        F::Mine => "k.handler_id = $1 AND k.status <> 'decided'",
        F::Answered => "k.status = 'supplement_answered'",
        F::WithApplicant => "k.status <> 'decided' AND k.ready_at IS NULL",
        F::Open => "k.status <> 'decided'",
        F::Decided => "k.status = 'decided'",
    }
}

/// A filter's cases of a scheme (or all), that came before a time (the age filter).
fn queue_where(filter: super::model::QueueFilter) -> String {
    format!(
        "{} AND ($2 = '' OR k.scheme_id = $2) AND k.queued_at < $3",
        queue_clause(filter)
    )
}

#[derive(Debug, FromRow)]
pub struct QueueLine {
    pub id: String,
    pub order_no: String,
    #[sqlx(try_from = "String")]
    pub kind: CaseKind,
    #[sqlx(try_from = "String")]
    pub status: CaseStatus,
    pub queued_at: String,
    pub ready_at: Option<String>,
    #[sqlx(flatten)]
    pub names: Names,
    #[sqlx(flatten)]
    pub person: PersonName,
    pub handler: Option<String>,
    pub unread: i64,
}

/// A page of the queue: oldest first (decided cases newest first), `limit` rows from `offset`.
/// `before` keeps cases that came before it (the age filter). The page's ids are found in the
/// filter's index first; only they are joined.
pub async fn queue(
    pool: &AnyPool,
    handler_id: &str,
    q: &super::model::QueueQuery,
    before: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<QueueLine>> {
    let dir = if q.filter == super::model::QueueFilter::Decided {
        "DESC"
    } else {
        "ASC"
    };
    let sql = format!(
        "SELECT k.id, k.order_no, k.kind, k.status, k.queued_at, k.ready_at,
                s.technical_area, s.technical_area_en, s.name AS scheme, s.name_en AS scheme_en,
                p.first_name, p.middle_name, p.last_name, a.display_name AS handler,
                (SELECT COUNT(*) FROM case_messages m
                 WHERE m.case_id = k.id AND m.from_staff = 0 AND m.sent_at IS NOT NULL
                   AND m.read_at IS NULL) AS unread
         FROM (SELECT k.id FROM cases k WHERE {}
               ORDER BY k.queued_at {dir}, k.id {dir} LIMIT $4 OFFSET $5) page
         JOIN cases k ON k.id = page.id
         JOIN schemes s ON s.id = k.scheme_id JOIN people p ON p.id = k.person_id
         LEFT JOIN accounts a ON a.id = k.handler_id
         ORDER BY k.queued_at {dir}, k.id {dir}",
        queue_where(q.filter)
    );
    sqlx::query_as(&sql)
        .bind(handler_id)
        .bind(q.scheme_id.as_deref().unwrap_or(""))
        .bind(before)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await
}

/// How many cases each filter of open cases holds, with the same scheme and age: one count per
/// filter, each read from its index. (Decided cases, most of the table, are not counted.)
pub async fn queue_counts(
    pool: &AnyPool,
    handler_id: &str,
    scheme_id: &str,
    before: &str,
) -> sqlx::Result<Vec<(super::model::QueueFilter, i64)>> {
    use super::model::QueueFilter;
    let counted: Vec<QueueFilter> = QueueFilter::ALL
        .iter()
        .copied()
        .filter(|f| *f != QueueFilter::Decided)
        .collect();
    let counts: Vec<String> = counted
        .iter()
        .map(|f| format!("(SELECT COUNT(*) FROM cases k WHERE {})", queue_where(*f)))
        .collect();
    let sql = format!("SELECT {}", counts.join(", "));
    let row = sqlx::query(&sql)
        .bind(handler_id)
        .bind(scheme_id)
        .bind(before)
        .fetch_one(pool)
        .await?;
    use sqlx::Row;
    counted
        .into_iter()
        .enumerate()
        .map(|(i, f)| Ok((f, row.try_get::<i64, _>(i)?)))
        .collect()
}

/// Who handles a case, and where it stands.
#[derive(Debug, FromRow)]
pub struct Handling {
    pub person_id: String,
    pub order_no: String,
    pub scheme_id: String,
    #[sqlx(try_from = "String")]
    pub status: CaseStatus,
    pub handler_id: Option<String>,
    pub handler: Option<String>,
    pub applicant_account: Option<String>,
    /// The account that applied, whatever became of its link to the person.
    pub applied_by: Option<String>,
}

impl Handling {
    /// Whether the account is the applicant's: linked to the case's person now, or when it
    /// applied.
    pub fn is_applicant(&self, account_id: &str) -> bool {
        [&self.applicant_account, &self.applied_by]
            .iter()
            .any(|a| a.as_deref() == Some(account_id))
    }
}

pub async fn handling(conn: &mut AnyConnection, case_id: &str) -> sqlx::Result<Option<Handling>> {
    sqlx::query_as(
        "SELECT k.person_id, k.order_no, k.scheme_id, k.status, k.handler_id,
                a.display_name AS handler, p.account_id AS applicant_account,
                k.applicant_account AS applied_by
         FROM cases k JOIN people p ON p.id = k.person_id
         LEFT JOIN accounts a ON a.id = k.handler_id WHERE k.id = $1",
    )
    .bind(case_id)
    .fetch_optional(conn)
    .await
}

/// Gives the open case to `handler_id` if it has no handler, or (`from` given) if `from` has
/// it; a waiting case is then in progress. True when this call changed it.
pub async fn set_handler(
    conn: &mut AnyConnection,
    case_id: &str,
    handler_id: &str,
    from: Option<&str>,
    now: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE cases SET handler_id = $1, updated_at = $2,
                status = CASE WHEN status = 'waiting' THEN 'in_progress' ELSE status END
         WHERE id = $3 AND status <> 'decided'
           AND (handler_id IS NULL OR handler_id = $4) AND COALESCE(handler_id, '') <> $1",
    )
    .bind(handler_id)
    .bind(now)
    .bind(case_id)
    .bind(from.unwrap_or(""))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The staff accounts (handlers and body administrators), by name: who may handle a case.
pub async fn handlers(pool: &AnyPool) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT a.id, a.display_name FROM accounts a
         WHERE EXISTS (SELECT 1 FROM account_roles r
                       WHERE r.account_id = a.id AND r.role IN ('handler', 'body_admin'))
         ORDER BY a.display_name, a.id",
    )
    .fetch_all(pool)
    .await
}

#[derive(Debug, FromRow)]
pub struct ReviewRow {
    pub requirement_id: String,
    #[sqlx(try_from = "String")]
    pub verdict: super::model::Verdict,
    pub comment: String,
    pub by_name: Option<String>,
    pub created_at: String,
}

pub async fn reviews(pool: &AnyPool, case_id: &str) -> sqlx::Result<Vec<ReviewRow>> {
    sqlx::query_as(
        "SELECT v.requirement_id, v.verdict, v.comment, a.display_name AS by_name, v.created_at
         FROM case_reviews v LEFT JOIN accounts a ON a.id = v.account_id WHERE v.case_id = $1",
    )
    .bind(case_id)
    .fetch_all(pool)
    .await
}

/// Writes the verdict on a document; false when it already said this.
pub async fn review(
    conn: &mut AnyConnection,
    case_id: &str,
    requirement_id: &str,
    verdict: super::model::Verdict,
    comment: &str,
    account_id: &str,
    now: &str,
) -> sqlx::Result<bool> {
    let written = sqlx::query(
        "INSERT INTO case_reviews (case_id, requirement_id, verdict, comment, account_id,
                                   created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (case_id, requirement_id)
         DO UPDATE SET verdict = excluded.verdict, comment = excluded.comment,
                       account_id = excluded.account_id, created_at = excluded.created_at
         WHERE case_reviews.verdict <> excluded.verdict
            OR case_reviews.comment <> excluded.comment",
    )
    .bind(case_id)
    .bind(requirement_id)
    .bind(verdict.code())
    .bind(comment)
    .bind(account_id)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if written {
        touch(conn, case_id, now).await?;
    }
    Ok(written)
}

#[derive(Debug, FromRow)]
pub struct AttachableLine {
    pub id: String,
    pub uploaded_at: String,
    pub stored_name: String,
    pub title: String,
    pub title_en: String,
    pub order_no: Option<String>,
}

/// The person's documents from their other cases (and those staff received outside a case)
/// that are not yet in this one: what a handler may attach. Shared ones already count.
pub async fn attachable(
    pool: &AnyPool,
    person_id: &str,
    case_id: &str,
) -> sqlx::Result<Vec<AttachableLine>> {
    sqlx::query_as(
        "SELECT d.id, d.uploaded_at, d.stored_name, d.title, d.title_en, o.order_no
         FROM documents d LEFT JOIN cases o ON o.id = d.case_id
         WHERE d.person_id = $1 AND d.shared = 0 AND d.doc_type = 'grade'
           AND COALESCE(d.case_id, '') <> $2
           AND NOT EXISTS (SELECT 1 FROM case_documents c
                           WHERE c.case_id = $2 AND c.document_id = d.id)
         ORDER BY d.uploaded_at DESC, d.id DESC LIMIT 200",
    )
    .bind(person_id)
    .bind(case_id)
    .fetch_all(pool)
    .await
}

/// Puts a document of the person's archive into the case for a required document; false when
/// it was there already.
pub async fn attach(
    conn: &mut AnyConnection,
    case_id: &str,
    requirement_id: &str,
    document_id: &str,
    account_id: &str,
    now: &str,
) -> sqlx::Result<bool> {
    let written = sqlx::query(
        "INSERT INTO case_documents (case_id, requirement_id, document_id, account_id, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(case_id)
    .bind(requirement_id)
    .bind(document_id)
    .bind(account_id)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if written {
        touch(conn, case_id, now).await?;
    }
    Ok(written)
}

/// A document of the person, as an attachment needs it.
#[derive(Debug, FromRow)]
pub struct DocumentFacts {
    pub person_id: String,
    pub case_id: Option<String>,
    pub stored_name: String,
    pub doc_type: String,
    pub shared: i64,
}

pub async fn document_facts(
    conn: &mut AnyConnection,
    id: &str,
) -> sqlx::Result<Option<DocumentFacts>> {
    sqlx::query_as(
        "SELECT person_id, case_id, stored_name, doc_type, shared FROM documents WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Sets a required document's template (its name, SHA-256 and format) or, with `None`, takes
/// it away; false when it already was so.
pub async fn set_template(
    conn: &mut AnyConnection,
    scheme_id: &str,
    id: &str,
    template: Option<(&str, &str, &str)>,
) -> sqlx::Result<bool> {
    let (name, sha256, format) = match template {
        Some((name, sha256, format)) => (Some(name), Some(sha256), Some(format)),
        None => (None, None, None),
    };
    let done = sqlx::query(
        "UPDATE required_documents SET template = $1, template_sha256 = $2, template_format = $3
         WHERE id = $4 AND scheme_id = $5 AND retired = 0
           AND (COALESCE(template, '') <> COALESCE($1, '')
                OR COALESCE(template_sha256, '') <> COALESCE($2, ''))",
    )
    .bind(name)
    .bind(sha256)
    .bind(format)
    .bind(id)
    .bind(scheme_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A template as its download needs it.
#[derive(Debug, FromRow)]
pub struct TemplateRow {
    pub template: String,
    pub template_sha256: String,
    #[sqlx(try_from = "String")]
    pub template_format: super::model::Format,
}

pub async fn template(pool: &AnyPool, id: &str) -> sqlx::Result<Option<TemplateRow>> {
    sqlx::query_as(
        "SELECT template, template_sha256, template_format FROM required_documents
         WHERE id = $1 AND retired = 0 AND template_sha256 IS NOT NULL",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

#[derive(Debug, FromRow)]
pub struct MessageRow {
    pub id: String,
    pub thread_id: Option<String>,
    #[sqlx(try_from = "String")]
    pub kind: super::model::MessageKind,
    pub body: String,
    pub account_id: Option<String>,
    pub author: String,
    pub from_staff: i64,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub read_at: Option<String>,
    pub letter_due: i64,
}

/// A case's messages as `account_id` sees them: every one sent, and their own drafts; newest
/// first.
pub async fn messages(
    pool: &AnyPool,
    case_id: &str,
    account_id: &str,
) -> sqlx::Result<Vec<MessageRow>> {
    sqlx::query_as(
        "SELECT id, thread_id, kind, body, account_id, author, from_staff, created_at, sent_at,
                read_at, letter_due
         FROM case_messages
         WHERE case_id = $1 AND (sent_at IS NOT NULL OR account_id = $2)
         ORDER BY COALESCE(sent_at, created_at) DESC, id DESC",
    )
    .bind(case_id)
    .bind(account_id)
    .fetch_all(pool)
    .await
}

/// Marks read the messages of a thread that the other side sent (`from_staff` is the side
/// that sent them).
pub async fn mark_read(
    pool: &AnyPool,
    case_id: &str,
    thread_id: &str,
    from_staff: bool,
    now: &str,
) -> sqlx::Result<u64> {
    Ok(sqlx::query(
        "UPDATE case_messages SET read_at = $1
         WHERE case_id = $2 AND (id = $3 OR thread_id = $3) AND from_staff = $4
           AND sent_at IS NOT NULL AND read_at IS NULL",
    )
    .bind(now)
    .bind(case_id)
    .bind(thread_id)
    .bind(i64::from(from_staff))
    .execute(pool)
    .await?
    .rows_affected())
}

/// A sent first message of the case: its type.
pub async fn thread_kind(
    conn: &mut AnyConnection,
    case_id: &str,
    id: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT kind FROM case_messages
         WHERE id = $1 AND case_id = $2 AND thread_id IS NULL AND sent_at IS NOT NULL",
    )
    .bind(id)
    .bind(case_id)
    .fetch_optional(conn)
    .await
}

/// The newest message `account_id` sent in the thread (or as a new message), if any: its
/// thread, text and time.
pub async fn last_sent(
    conn: &mut AnyConnection,
    case_id: &str,
    account_id: &str,
) -> sqlx::Result<Option<(String, Option<String>, String, String)>> {
    sqlx::query_as(
        "SELECT id, thread_id, body, sent_at FROM case_messages
         WHERE case_id = $1 AND account_id = $2 AND sent_at IS NOT NULL
         ORDER BY sent_at DESC, id DESC LIMIT 1",
    )
    .bind(case_id)
    .bind(account_id)
    .fetch_optional(conn)
    .await
}

/// A message as it is written.
pub struct NewMessage<'a> {
    pub id: &'a str,
    pub case_id: &'a str,
    pub thread_id: Option<&'a str>,
    pub kind: super::model::MessageKind,
    pub body: &'a str,
    pub account_id: Option<&'a str>,
    pub author: &'a str,
    pub from_staff: bool,
    pub now: &'a str,
    /// `None` keeps it a draft.
    pub sent_at: Option<&'a str>,
    pub letter_due: bool,
}

/// Writes a message, or (same id: a draft) rewrites it.
pub async fn put_message(conn: &mut AnyConnection, m: &NewMessage<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO case_messages (id, case_id, thread_id, kind, body, account_id, author,
                                    from_staff, created_at, sent_at, letter_due)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, body = excluded.body,
                                        created_at = excluded.created_at
         WHERE case_messages.sent_at IS NULL",
    )
    .bind(m.id)
    .bind(m.case_id)
    .bind(m.thread_id)
    .bind(m.kind.code())
    .bind(m.body)
    .bind(m.account_id)
    .bind(m.author)
    .bind(i64::from(m.from_staff))
    .bind(m.now)
    .bind(m.sent_at)
    .bind(i64::from(m.letter_due))
    .execute(conn)
    .await
    .map(|_| ())
}

/// Deletes a draft (once its message is sent).
pub async fn delete_draft(conn: &mut AnyConnection, id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM case_messages WHERE id = $1 AND sent_at IS NULL")
        .bind(id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// A supplement request as it is written.
pub struct NewSupplement<'a> {
    pub id: &'a str,
    pub case_id: &'a str,
    /// The required documents asked for again, as a JSON array of their ids.
    pub requirements: &'a str,
    pub body: &'a str,
    pub requested_by: &'a str,
    pub requested_at: &'a str,
    pub letter_id: &'a str,
}

/// Asks for a supplement: the open case's status becomes "supplement requested" and it is no
/// longer sent (the person presses "MEDDELA OSS" again). False when the case was not in a
/// state to ask (asked already, or decided) and nothing was written.
pub async fn request_supplement(
    conn: &mut AnyConnection,
    s: &NewSupplement<'_>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE cases SET status = 'supplement_requested', ready_at = NULL, updated_at = $1
         WHERE id = $2 AND status IN ('waiting', 'in_progress', 'supplement_answered')",
    )
    .bind(s.requested_at)
    .bind(s.case_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO case_supplements (id, case_id, requirements, body, requested_by,
                                       requested_at, letter_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(s.id)
    .bind(s.case_id)
    .bind(s.requirements)
    .bind(s.body)
    .bind(s.requested_by)
    .bind(s.requested_at)
    .bind(s.letter_id)
    .execute(conn)
    .await?;
    Ok(true)
}

/// A supplement request.
#[derive(Debug, FromRow)]
pub struct SupplementRow {
    pub id: String,
    pub case_id: String,
    pub requirements: String,
    pub requested_at: String,
    pub reminded_at: Option<String>,
    pub answered_at: Option<String>,
}

const SUPPLEMENT_COLUMNS: &str =
    "id, case_id, requirements, requested_at, reminded_at, answered_at";

/// The case's supplement request still waiting for the person's answer, if any.
pub async fn open_supplement(
    conn: &mut AnyConnection,
    case_id: &str,
) -> sqlx::Result<Option<SupplementRow>> {
    sqlx::query_as(&format!(
        "SELECT {SUPPLEMENT_COLUMNS} FROM case_supplements
         WHERE case_id = $1 AND answered_at IS NULL"
    ))
    .bind(case_id)
    .fetch_optional(conn)
    .await
}

pub async fn supplement(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<SupplementRow>> {
    sqlx::query_as(&format!(
        "SELECT {SUPPLEMENT_COLUMNS} FROM case_supplements WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The case's open supplement request is answered ("MEDDELA OSS").
pub async fn answer_supplement(
    conn: &mut AnyConnection,
    case_id: &str,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE case_supplements SET answered_at = $1 WHERE case_id = $2 AND answered_at IS NULL",
    )
    .bind(now)
    .bind(case_id)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Marks the request's one reminder sent; false when it was already, or it was answered.
pub async fn mark_reminded(conn: &mut AnyConnection, id: &str, now: &str) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE case_supplements SET reminded_at = $1
         WHERE id = $2 AND reminded_at IS NULL AND answered_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An exam result as it is recorded.
pub struct NewExam<'a> {
    pub id: &'a str,
    pub case_id: &'a str,
    pub taken_on: &'a str,
    pub exam: &'a str,
    pub passed: bool,
    pub score: &'a str,
    pub recorded_by: &'a str,
    pub now: &'a str,
}

/// Records an exam unless the same one (day, exam, result, score) is there; true when written.
pub async fn insert_exam(conn: &mut AnyConnection, e: &NewExam<'_>) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO case_exams (id, case_id, taken_on, exam, passed, score, recorded_by,
                                 created_at)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8
         WHERE NOT EXISTS (SELECT 1 FROM case_exams WHERE case_id = $2 AND taken_on = $3
                             AND exam = $4 AND passed = $5 AND score = $6)",
    )
    .bind(e.id)
    .bind(e.case_id)
    .bind(e.taken_on)
    .bind(e.exam)
    .bind(i64::from(e.passed))
    .bind(e.score)
    .bind(e.recorded_by)
    .bind(e.now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// An exam result of a case.
#[derive(Debug, FromRow)]
pub struct ExamRow {
    pub taken_on: String,
    pub exam: String,
    pub passed: i64,
    pub score: String,
}

/// The case's exams, latest first.
pub async fn exams(pool: &AnyPool, case_id: &str) -> sqlx::Result<Vec<ExamRow>> {
    sqlx::query_as(
        "SELECT taken_on, exam, passed, score FROM case_exams WHERE case_id = $1
         ORDER BY taken_on DESC, created_at DESC",
    )
    .bind(case_id)
    .fetch_all(pool)
    .await
}

/// What a decision needs of the case's scheme.
#[derive(Debug, FromRow)]
pub struct SchemeRules {
    pub code: String,
    pub recert_years: i64,
    pub yearly_attestation: i64,
    pub yearly_report: i64,
}

pub async fn scheme_rules(
    conn: &mut AnyConnection,
    scheme_id: &str,
) -> sqlx::Result<Option<SchemeRules>> {
    sqlx::query_as(
        "SELECT code, recert_years, yearly_attestation, yearly_report FROM schemes WHERE id = $1",
    )
    .bind(scheme_id)
    .fetch_optional(conn)
    .await
}

/// The next number of the scheme's series (the row stays locked until the transaction ends,
/// so two decisions never take the same).
pub async fn next_number(conn: &mut AnyConnection, scheme_id: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "UPDATE schemes SET last_number = last_number + 1 WHERE id = $1 RETURNING last_number",
    )
    .bind(scheme_id)
    .fetch_one(conn)
    .await
}

/// Whether a certificate has the number.
pub async fn number_taken(conn: &mut AnyConnection, number: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT COUNT(*) FROM certificates WHERE number = $1")
        .bind(number)
        .fetch_one(conn)
        .await
        .map(|n: i64| n > 0)
}

/// A decision as it is written.
pub struct Decision<'a> {
    pub case_id: &'a str,
    pub approved: bool,
    pub reason: Option<&'a str>,
    pub granted_level: Option<&'a str>,
    pub plastic_card: bool,
    pub published: bool,
    pub certificate_id: Option<&'a str>,
    pub decided_by: &'a str,
    pub now: &'a str,
}

/// Decides the open case; false when it was decided already (nothing is written).
pub async fn decide(conn: &mut AnyConnection, d: &Decision<'_>) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE cases SET status = 'decided', decision = $1, decision_reason = $2,
                granted_level = $3, plastic_card = $4, published = $5, certificate_id = $6,
                decided_by = $7, decided_at = $8, updated_at = $8
         WHERE id = $9 AND status <> 'decided'",
    )
    .bind(if d.approved { "approved" } else { "rejected" })
    .bind(d.reason)
    .bind(d.granted_level)
    .bind(i64::from(d.plastic_card))
    .bind(i64::from(d.published))
    .bind(d.certificate_id)
    .bind(d.decided_by)
    .bind(d.now)
    .bind(d.case_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The decision on a case, once it is decided.
#[derive(Debug, FromRow)]
pub struct DecisionRow {
    pub decision: Option<String>,
    pub decision_reason: Option<String>,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
}

pub async fn decision(pool: &AnyPool, case_id: &str) -> sqlx::Result<Option<DecisionRow>> {
    sqlx::query_as(
        "SELECT k.decision, k.decision_reason, k.decided_at, a.display_name AS decided_by
         FROM cases k LEFT JOIN accounts a ON a.id = k.decided_by WHERE k.id = $1",
    )
    .bind(case_id)
    .fetch_optional(pool)
    .await
}

/// The person's latest case (its id and order number), if they have one.
pub async fn latest_case(
    conn: &mut AnyConnection,
    person_id: &str,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as(
        "SELECT id, order_no FROM cases WHERE person_id = $1
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(person_id)
    .fetch_optional(conn)
    .await
}

/// A letter the case wrote.
#[derive(Debug, FromRow)]
pub struct LetterRow {
    pub id: String,
    pub stored_name: String,
    #[sqlx(try_from = "String")]
    pub doc_type: super::model::DocType,
}

/// The case's letters (supplement requests, the decision), oldest first.
pub async fn letters(pool: &AnyPool, case_id: &str) -> sqlx::Result<Vec<LetterRow>> {
    sqlx::query_as(
        "SELECT id, stored_name, doc_type FROM documents
         WHERE case_id = $1 AND doc_type IN ('supplement_letter', 'decision')
         ORDER BY uploaded_at, id",
    )
    .bind(case_id)
    .fetch_all(pool)
    .await
}

/// A document the retention rule lets go: whose, what, when it was uploaded and the last day of
/// the person's last certificate (empty without one).
#[derive(Debug, FromRow)]
pub struct Expiring {
    pub id: String,
    pub person_id: String,
    #[sqlx(flatten)]
    pub name: PersonName,
    pub title: String,
    pub title_en: String,
    pub stored_name: String,
    pub doc_type: String,
    pub uploaded_at: String,
    pub last_valid: String,
}

impl Expiring {
    /// The Swedish day it was uploaded.
    pub fn uploaded_on(&self) -> String {
        crate::ui::format::short_date(&self.uploaded_at)
    }

    /// The day its ten years count from: the end of the person's last certificate, or the
    /// upload where that is later.
    pub fn base(&self) -> String {
        self.last_valid.clone().max(self.uploaded_on())
    }
}

/// The documents whose ten years count from `last_base` or earlier (certificates ending then at
/// the latest, uploaded before `uploaded_before`, the stored time that Swedish day ends), the
/// soonest first: not a decision letter (the body's record), and not of a person with a case
/// still open. `limit` rows from `offset`.
pub async fn expiring(
    conn: &mut AnyConnection,
    last_base: &str,
    uploaded_before: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Expiring>> {
    // A date sorts before every time of its day and after every time of the day before, so
    // this orders by the day the ten years count from, as `Expiring::base` sees it.
    let base = "CASE WHEN x.last_valid > x.uploaded_at THEN x.last_valid ELSE x.uploaded_at END";
    sqlx::query_as(&format!(
        "SELECT x.* FROM (
             SELECT d.id, d.person_id, p.first_name, p.middle_name, p.last_name, d.title,
                 d.title_en, d.stored_name, d.doc_type, d.uploaded_at,
                 COALESCE((SELECT MAX(c.valid_until) FROM certificates c
                           WHERE c.person_id = d.person_id), '') AS last_valid
             FROM documents d JOIN people p ON p.id = d.person_id
             WHERE d.uploaded_at < $2 AND d.doc_type <> 'decision'
               AND NOT EXISTS (SELECT 1 FROM cases k
                               WHERE k.person_id = d.person_id AND k.status <> 'decided')
         ) x
         WHERE x.last_valid <= $1
         ORDER BY {base}, x.id LIMIT $3 OFFSET $4"
    ))
    .bind(last_base)
    .bind(uploaded_before)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await
}

/// Deletes the documents `ids` and their links to cases (a supplement request keeps its
/// words, not its letter); returns those it deleted.
pub async fn delete_documents(conn: &mut AnyConnection, ids: &[&str]) -> sqlx::Result<Vec<String>> {
    let mut gone = Vec::new();
    for chunk in ids.chunks(crate::db::JSON_CHUNK) {
        let list = crate::db::json_array(chunk);
        let from = crate::db::json_texts(conn, 1);
        sqlx::query(&format!(
            "DELETE FROM case_documents WHERE document_id IN (SELECT v.value FROM {from})"
        ))
        .bind(&list)
        .execute(&mut *conn)
        .await?;
        sqlx::query(&format!(
            "UPDATE case_supplements SET letter_id = NULL
             WHERE letter_id IN (SELECT v.value FROM {from})"
        ))
        .bind(&list)
        .execute(&mut *conn)
        .await?;
        gone.extend(
            sqlx::query_scalar::<_, String>(&format!(
                "DELETE FROM documents WHERE id IN (SELECT v.value FROM {from}) RETURNING id"
            ))
            .bind(&list)
            .fetch_all(&mut *conn)
            .await?,
        );
    }
    Ok(gone)
}

/// The day of the latest deletion under the retention rule among the person's documents.
pub async fn last_retention_deletion(
    pool: &AnyPool,
    person_id: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT MAX(at) FROM events
         WHERE subject_type = 'person' AND subject_id = $1 AND action = 'document.deleted'",
    )
    .bind(person_id)
    .fetch_one(pool)
    .await
}
