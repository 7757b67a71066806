//! The reminders' SQL, and only the SQL.

use super::model::ReminderKind;
use crate::db::{PersonName, json_rows, json_texts};
use crate::messages::store::{RECIPIENT_COLUMNS, RecipientRow};
use sqlx::{AnyConnection, AnyPool};

/// A scheme with its reminder rules (JSON, empty for the defaults).
#[derive(Debug, sqlx::FromRow)]
pub struct SchemeRow {
    pub id: String,
    pub technical_area: String,
    pub technical_area_en: String,
    pub name: String,
    pub name_en: String,
    pub yearly_attestation: i64,
    pub yearly_report: i64,
    pub reminder_rules: String,
}

const SCHEME_COLUMNS: &str = "id, technical_area, technical_area_en, name, name_en, \
     yearly_attestation, yearly_report, reminder_rules";

pub async fn schemes(conn: &mut AnyConnection) -> sqlx::Result<Vec<SchemeRow>> {
    sqlx::query_as(&format!(
        "SELECT {SCHEME_COLUMNS} FROM schemes ORDER BY technical_area, name"
    ))
    .fetch_all(conn)
    .await
}

pub async fn scheme(pool: &AnyPool, id: &str) -> sqlx::Result<Option<SchemeRow>> {
    sqlx::query_as(&format!(
        "SELECT {SCHEME_COLUMNS} FROM schemes WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// Writes a scheme's rules unless they are those already; false when nothing changed (of two
/// requests at once with the same rules, one changes them).
pub async fn set_rules(conn: &mut AnyConnection, id: &str, json: &str) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE schemes SET reminder_rules = $1 WHERE id = $2 AND reminder_rules <> $1",
    )
    .bind(json)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Makes the scheme's yearly extension come by a report (`by_report`) or by an attestation;
/// false when it already did, or the scheme has no yearly extension.
pub async fn set_extension(
    conn: &mut AnyConnection,
    id: &str,
    by_report: bool,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE schemes SET yearly_report = $2, yearly_attestation = $3
         WHERE id = $1 AND (yearly_attestation <> 0 OR yearly_report <> 0) AND yearly_report <> $2",
    )
    .bind(id)
    .bind(i64::from(by_report))
    .bind(i64::from(!by_report))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// A certificate, or an attester's link, whose reminder may be due, with its holder as notices
/// reach them.
#[derive(Debug, sqlx::FromRow)]
pub struct Candidate {
    pub subject_id: String,
    pub certificate_id: String,
    pub scheme_id: String,
    pub number: String,
    pub person_id: String,
    /// A date (`YYYY-MM-DD`), or for a link the time it ends.
    pub deadline: String,
    pub scheme: String,
    pub scheme_en: String,
    /// For a link: whom it was sent to.
    pub attester: String,
    #[sqlx(flatten)]
    pub to: RecipientRow,
}

const CANDIDATE_JOINS: &str = "JOIN schemes s ON s.id = c.scheme_id
     JOIN people p ON p.id = c.person_id
     LEFT JOIN accounts a ON a.id = p.account_id";

/// The certificates of `schemes` whose deadline for `kind` lies in `from..=to`: active ones
/// before "Förläng senast" (not those whose yearly report is sent already), active or inactive
/// ones before "Giltigt till" (not those renewed, or whose renewal is applied for).
pub async fn certificates_due(
    conn: &mut AnyConnection,
    kind: ReminderKind,
    schemes: &[&str],
    from: &str,
    to: &str,
) -> sqlx::Result<Vec<Candidate>> {
    let (column, statuses, open_case) = match kind {
        ReminderKind::Renewal => ("valid_until", "'active', 'inactive'", Some("renewal")),
        ReminderKind::ReportDue => ("extend_by", "'active'", Some("yearly_report")),
        _ => ("extend_by", "'active'", None),
    };
    let mut sql = format!(
        "SELECT c.id AS subject_id, c.id AS certificate_id, c.scheme_id, c.number, c.person_id,
             c.{column} AS deadline, s.name AS scheme, s.name_en AS scheme_en, '' AS attester,
             {RECIPIENT_COLUMNS}
         FROM certificates c {CANDIDATE_JOINS}
         WHERE c.status IN ({statuses}) AND c.{column} >= $1 AND c.{column} <= $2
           AND c.scheme_id IN (SELECT v.value FROM {})",
        json_texts(conn, 3)
    );
    match open_case {
        // A yearly report's case opens with its first reminder: what stops the next ones is
        // that certificate's report for that date sent.
        Some("yearly_report") => sql.push_str(
            " AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.kind = 'yearly_report'
                 AND k.about_certificate = c.id AND k.report_due = c.extend_by
                 AND k.ready_at IS NOT NULL)",
        ),
        Some(case_kind) => sql.push_str(&format!(
            " AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.person_id = c.person_id
                 AND k.scheme_id = c.scheme_id AND k.kind = '{case_kind}' AND k.status <> 'decided')"
        )),
        None => {}
    }
    if kind == ReminderKind::Renewal {
        // The person's few certificates, by the person's index: COALESCE keeps SQLite (without
        // statistics) from walking the validity index instead, a scan per candidate.
        sql.push_str(
            " AND NOT EXISTS (SELECT 1 FROM certificates n WHERE n.person_id = c.person_id
                 AND n.scheme_id = c.scheme_id AND COALESCE(n.valid_until, '') > c.valid_until
                 AND COALESCE(n.status, '') IN ('active', 'inactive'))",
        );
    }
    sqlx::query_as(&sql)
        .persistent(false)
        .bind(from)
        .bind(to)
        .bind(crate::db::json_array(schemes))
        .fetch_all(conn)
        .await
}

/// The attester links still unused of certificates of `schemes` that end in `from..to` (times).
pub async fn links_ending(
    conn: &mut AnyConnection,
    schemes: &[&str],
    from: &str,
    to: &str,
) -> sqlx::Result<Vec<Candidate>> {
    let sql = format!(
        "SELECT r.id AS subject_id, c.id AS certificate_id, c.scheme_id, c.number, c.person_id,
             r.expires_at AS deadline, s.name AS scheme, s.name_en AS scheme_en,
             r.attester_email AS attester, {RECIPIENT_COLUMNS}
         FROM attestation_requests r JOIN certificates c ON c.id = r.certificate_id
             {CANDIDATE_JOINS}
         WHERE r.status = 'pending' AND r.expires_at >= $1 AND r.expires_at < $2
           AND c.status IN ('active', 'inactive')
           AND c.scheme_id IN (SELECT v.value FROM {})",
        json_texts(conn, 3)
    );
    sqlx::query_as(&sql)
        .persistent(false)
        .bind(from)
        .bind(to)
        .bind(crate::db::json_array(schemes))
        .fetch_all(conn)
        .await
}

/// How many reminders of each kind were sent for each deadline of `subjects`.
#[derive(Debug, sqlx::FromRow)]
pub struct SentCount {
    pub subject_id: String,
    pub kind: String,
    pub deadline: String,
    pub sent: i64,
}

pub async fn sent_counts(
    conn: &mut AnyConnection,
    subjects: &[&str],
) -> sqlx::Result<Vec<SentCount>> {
    let mut all = Vec::new();
    for chunk in subjects.chunks(crate::db::JSON_CHUNK) {
        let sql = format!(
            "SELECT subject_id, kind, deadline, COUNT(*) AS sent FROM reminders_sent
             WHERE subject_id IN (SELECT v.value FROM {})
             GROUP BY subject_id, kind, deadline",
            json_texts(conn, 1)
        );
        all.extend(
            sqlx::query_as::<_, SentCount>(&sql)
                .persistent(false)
                .bind(crate::db::json_array(chunk))
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    Ok(all)
}

/// One reminder to record.
#[derive(serde::Serialize)]
pub struct Sent {
    pub id: String,
    pub kind: &'static str,
    pub subject_id: String,
    pub certificate_id: String,
    pub person_id: String,
    pub deadline: String,
    pub letter: i64,
}

/// Records reminders sent on `today`; returns the ids of those not recorded before (the
/// others were sent by an earlier run, or by another server).
pub async fn record(
    conn: &mut AnyConnection,
    today: &str,
    rows: &[&Sent],
) -> sqlx::Result<Vec<String>> {
    let mut new = Vec::new();
    for chunk in rows.chunks(crate::db::JSON_CHUNK) {
        // `WHERE true`: SQLite reads an `ON` after a bare `FROM` as a join's.
        let sql = format!(
            "INSERT INTO reminders_sent (id, kind, subject_id, certificate_id, person_id,
                 deadline, sent_on, letter)
             SELECT v.value ->> 'id', v.value ->> 'kind', v.value ->> 'subject_id',
                 v.value ->> 'certificate_id', v.value ->> 'person_id', v.value ->> 'deadline',
                 $1, CAST(v.value ->> 'letter' AS BIGINT)
             FROM {} WHERE true
             ON CONFLICT (id) DO NOTHING
             RETURNING id",
            json_rows(conn, 2)
        );
        let ids: Vec<String> = sqlx::query_scalar(&sql)
            .persistent(false)
            .bind(today)
            .bind(crate::db::json_array(chunk))
            .fetch_all(&mut *conn)
            .await?;
        new.extend(ids);
    }
    Ok(new)
}

/// A letter to post, with whom and where.
#[derive(Debug, sqlx::FromRow)]
pub struct LetterRow {
    pub id: String,
    pub kind: String,
    pub person_id: String,
    #[sqlx(flatten)]
    pub name: PersonName,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub number: String,
    pub scheme: String,
    pub scheme_en: String,
    pub deadline: String,
    pub sent_on: String,
    pub posted_at: Option<String>,
    /// The language the letter is written in: the person's account's, else Swedish.
    pub locale: String,
    /// For an attester's link: whom it was sent to.
    pub attester: String,
}

/// The letters to post (or, `posted`, those posted), newest first: `limit` from `offset`. A
/// letter not yet posted whose deadline passed (`today`), or whose certificate no longer holds
/// (suspended, revoked, expired), has nothing left to say and is not listed.
pub async fn letters(
    pool: &AnyPool,
    posted: bool,
    today: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<LetterRow>> {
    let which = if posted {
        "r.posted_at IS NOT NULL AND $3 <> ''"
    } else {
        "r.posted_at IS NULL AND r.deadline >= $3 AND c.status IN ('active', 'inactive')"
    };
    sqlx::query_as(&format!(
        "SELECT r.id, r.kind, r.person_id, p.first_name, p.middle_name, p.last_name, p.address,
             p.postal_code, p.city, c.number, s.name AS scheme, s.name_en AS scheme_en,
             r.deadline, r.sent_on, r.posted_at, COALESCE(a.locale, 'sv') AS locale,
             COALESCE(q.attester_email, '') AS attester
         FROM reminders_sent r JOIN people p ON p.id = r.person_id
             JOIN certificates c ON c.id = r.certificate_id JOIN schemes s ON s.id = c.scheme_id
             LEFT JOIN accounts a ON a.id = p.account_id
             LEFT JOIN attestation_requests q ON q.id = r.subject_id
         WHERE r.letter = 1 AND {which}
         ORDER BY r.sent_on DESC, r.id
         LIMIT $1 OFFSET $2"
    ))
    .bind(limit)
    .bind(offset)
    .bind(today)
    .fetch_all(pool)
    .await
}

/// Marks a letter posted; false when it was already (or is no letter).
pub async fn mark_posted(
    conn: &mut AnyConnection,
    id: &str,
    now: &str,
    account_id: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE reminders_sent SET posted_at = $1, posted_by = $2
         WHERE id = $3 AND letter = 1 AND posted_at IS NULL",
    )
    .bind(now)
    .bind(account_id)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The person a letter goes to, if it is one.
pub async fn letter_person(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT person_id FROM reminders_sent WHERE id = $1 AND letter = 1")
        .bind(id)
        .fetch_optional(conn)
        .await
}
