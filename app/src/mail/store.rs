//! The outbox's SQL, and only the SQL.

use super::model::{MailStatus, OutboxItem, OutboxMessage};
use super::templates::Email;
use sqlx::{AnyConnection, AnyPool, Row, any::AnyRow};

/// An email as the outbox stores it: its bodies sealed when it carries a secret.
pub struct Stored<'a> {
    pub id: String,
    pub email: &'a Email,
    pub text: String,
    pub html: String,
}

/// Inserts emails in a few statements, all created `now`.
pub async fn insert(conn: &mut AnyConnection, now: &str, rows: &[Stored<'_>]) -> sqlx::Result<()> {
    for chunk in rows.chunks(crate::db::JSON_CHUNK) {
        let json: Vec<_> = chunk
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id,
                    "to": r.email.to,
                    "locale": r.email.locale.code(),
                    "template": r.email.template,
                    "subject": r.email.subject,
                    "text": r.text,
                    "html": r.html,
                    "secret": i64::from(r.email.secret),
                    "attachment_name": r.email.calendar.as_ref().map(|a| &a.name),
                    "attachment_body": r.email.calendar.as_ref().map(|a| &a.body),
                })
            })
            .collect();
        let sql = format!(
            "INSERT INTO outbox (id, created_at, to_address, locale, template, subject, body_text,
                 body_html, next_attempt_at, carries_secret, attachment_name, attachment_body)
             SELECT v.value ->> 'id', $1, v.value ->> 'to', v.value ->> 'locale',
                 v.value ->> 'template', v.value ->> 'subject', v.value ->> 'text',
                 v.value ->> 'html', $1, CAST(v.value ->> 'secret' AS BIGINT),
                 v.value ->> 'attachment_name', v.value ->> 'attachment_body'
             FROM {}",
            crate::db::json_rows(conn, 2)
        );
        sqlx::query(&sql)
            .persistent(false)
            .bind(now)
            .bind(crate::db::json_array(&json))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A claimed email, leased to one worker.
#[derive(Debug)]
pub struct Claimed {
    pub id: String,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub attempts: i64,
    pub carries_secret: bool,
    pub attachment_name: Option<String>,
    pub attachment_body: Option<String>,
}

/// Leases up to `limit` due emails to `owner` until `lease_until`. The lease is taken by one
/// conditional UPDATE, so of two servers claiming at once only one gets a row.
pub async fn claim(
    pool: &AnyPool,
    owner: &str,
    now: &str,
    lease_until: &str,
    limit: i64,
) -> sqlx::Result<Vec<Claimed>> {
    let rows = sqlx::query(
        "UPDATE outbox SET lease_owner = $1, lease_until = $2, attempts = attempts + 1
         WHERE id IN (
             SELECT id FROM outbox
             WHERE status = 'pending' AND next_attempt_at <= $3 AND (lease_until IS NULL OR lease_until <= $3)
             ORDER BY created_at LIMIT $4)
           AND status = 'pending' AND (lease_until IS NULL OR lease_until <= $3)
         RETURNING id, to_address, subject, body_text, body_html, attempts, carries_secret,
             attachment_name, attachment_body",
    )
    .bind(owner)
    .bind(lease_until)
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Claimed {
                id: r.try_get("id")?,
                to_address: r.try_get("to_address")?,
                subject: r.try_get("subject")?,
                body_text: r.try_get("body_text")?,
                body_html: r.try_get("body_html")?,
                attempts: r.try_get("attempts")?,
                carries_secret: r.try_get::<i64, _>("carries_secret")? != 0,
                attachment_name: r.try_get("attachment_name")?,
                attachment_body: r.try_get("attachment_body")?,
            })
        })
        .collect()
}

/// Marks a leased email delivered; a no-op when the lease has passed to another worker.
/// `wipe` empties its bodies (an email that carried a secret, once it left for its recipient).
pub async fn mark_sent(
    pool: &AnyPool,
    id: &str,
    owner: &str,
    now: &str,
    via: &str,
    wipe: bool,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'sent', sent_at = $3, delivered_via = $4, lease_owner = NULL,
                lease_until = NULL, last_error = NULL,
                body_text = CASE WHEN $5 = 1 THEN '' ELSE body_text END,
                body_html = CASE WHEN $5 = 1 THEN '' ELSE body_html END
         WHERE id = $1 AND lease_owner = $2 AND status = 'pending'",
    )
    .bind(id)
    .bind(owner)
    .bind(now)
    .bind(via)
    .bind(i64::from(wipe))
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a failed attempt: the email is tried again at `retry_at`, or given up as failed
/// (and then, when `wipe`, its bodies are emptied: a secret no one will receive).
pub async fn mark_failed(
    pool: &AnyPool,
    id: &str,
    owner: &str,
    error: &str,
    retry_at: Option<&str>,
    wipe: bool,
) -> sqlx::Result<()> {
    let wipe = i64::from(wipe && retry_at.is_none());
    sqlx::query(
        "UPDATE outbox SET last_error = $3, lease_owner = NULL, lease_until = NULL,
                status = CASE WHEN $4 IS NULL THEN 'failed' ELSE 'pending' END,
                next_attempt_at = COALESCE($4, next_attempt_at),
                body_text = CASE WHEN $5 = 1 THEN '' ELSE body_text END,
                body_html = CASE WHEN $5 = 1 THEN '' ELSE body_html END
         WHERE id = $1 AND lease_owner = $2 AND status = 'pending'",
    )
    .bind(id)
    .bind(owner)
    .bind(error)
    .bind(retry_at)
    .bind(wipe)
    .execute(pool)
    .await
    .map(|_| ())
}

fn item(r: &AnyRow) -> sqlx::Result<OutboxItem> {
    Ok(OutboxItem {
        id: r.try_get("id")?,
        created_at: r.try_get("created_at")?,
        to_address: r.try_get("to_address")?,
        subject: r.try_get("subject")?,
        status: MailStatus::parse(&r.try_get::<String, _>("status")?),
    })
}

/// Newest first; one row more than asked for tells whether there is a next page.
pub async fn list(pool: &AnyPool, limit: i64, offset: i64) -> sqlx::Result<Vec<OutboxItem>> {
    sqlx::query(
        "SELECT id, created_at, to_address, subject, status FROM outbox
         ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2",
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?
    .iter()
    .map(item)
    .collect()
}

pub async fn get(pool: &AnyPool, id: &str) -> sqlx::Result<Option<OutboxMessage>> {
    let Some(r) = sqlx::query(
        "SELECT id, created_at, to_address, subject, status, body_text, body_html, attempts,
                sent_at, delivered_via, last_error, carries_secret, attachment_name, attachment_body
         FROM outbox WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(OutboxMessage {
        item: item(&r)?,
        body_text: r.try_get("body_text")?,
        body_html: r.try_get("body_html")?,
        attempts: r.try_get("attempts")?,
        sent_at: r.try_get("sent_at")?,
        delivered_via: r.try_get("delivered_via")?,
        last_error: r.try_get("last_error")?,
        carries_secret: r.try_get::<i64, _>("carries_secret")? != 0,
        attachment: r
            .try_get::<Option<String>, _>("attachment_name")?
            .zip(r.try_get::<Option<String>, _>("attachment_body")?),
        withheld: false,
        dev_mailbox: false,
    }))
}
