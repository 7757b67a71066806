//! The outbox's rules: enqueue in the caller's transaction; claim, deliver and record, with
//! retries and backoff.

use super::model::{OutboxMessage, OutboxPage, PAGE_SIZE};
use super::store;
use super::templates::Email;
use super::transport::{Outgoing, Transport};
use crate::clock::{Clock, to_db};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use chrono::Duration;
use sqlx::AnyConnection;

/// How long a claimed email stays leased to its worker before another may take it.
pub const LEASE: Duration = Duration::seconds(120);
/// After this many attempts an email is given up as failed.
pub const MAX_ATTEMPTS: i64 = 8;

/// Puts an email in the outbox, inside the caller's transaction: it is sent if and only if the
/// change that caused it commits.
pub async fn enqueue(
    conn: &mut AnyConnection,
    clock: &Clock,
    email: &Email,
) -> sqlx::Result<String> {
    let id = uuid::Uuid::now_v7().to_string();
    store::insert(conn, &id, &to_db(clock.now()), email).await?;
    Ok(id)
}

/// Puts many emails in the outbox inside the caller's transaction, in a few statements.
pub async fn enqueue_many(
    conn: &mut AnyConnection,
    clock: &Clock,
    emails: &[Email],
) -> sqlx::Result<()> {
    let rows: Vec<(String, &Email)> = emails
        .iter()
        .map(|e| (uuid::Uuid::now_v7().to_string(), e))
        .collect();
    store::insert_many(conn, &to_db(clock.now()), &rows).await
}

/// Enqueues one email in a transaction of its own.
pub async fn enqueue_alone(db: &Db, clock: &Clock, email: &Email) -> AppResult<String> {
    let mut tx = db.pool.begin().await?;
    let id = enqueue(&mut tx, clock, email).await?;
    tx.commit().await?;
    Ok(id)
}

/// The wait before attempt `attempts + 1`: 30 s, 1 min, 2 min, ... at most 2 hours.
pub fn backoff(attempts: i64) -> Duration {
    let exp = attempts.clamp(1, 16) - 1;
    std::cmp::min(Duration::seconds(30 << exp), Duration::hours(2))
}

/// Claims and delivers what is due; returns how many emails were sent.
pub async fn deliver_due(
    db: &Db,
    clock: &Clock,
    transport: &Transport,
    worker: &str,
    batch: i64,
) -> anyhow::Result<usize> {
    let now = clock.now();
    let claimed = store::claim(&db.pool, worker, &to_db(now), &to_db(now + LEASE), batch).await?;
    let mut sent = 0;
    for mail in claimed {
        let outgoing = Outgoing {
            id: &mail.id,
            to: &mail.to_address,
            subject: &mail.subject,
            text: &mail.body_text,
            html: &mail.body_html,
        };
        match transport.send(&outgoing).await {
            Ok(()) => {
                if store::mark_sent(
                    &db.pool,
                    &mail.id,
                    worker,
                    &to_db(clock.now()),
                    transport.via(),
                )
                .await?
                {
                    sent += 1;
                }
            }
            Err(err) => {
                let retry = (mail.attempts < MAX_ATTEMPTS)
                    .then(|| to_db(clock.now() + backoff(mail.attempts)));
                tracing::warn!(id = %mail.id, attempts = mail.attempts, error = %err, "email delivery failed");
                store::mark_failed(
                    &db.pool,
                    &mail.id,
                    worker,
                    &format!("{err:#}"),
                    retry.as_deref(),
                )
                .await?;
            }
        }
    }
    Ok(sent)
}

pub async fn list(db: &Db, page: u32) -> AppResult<OutboxPage> {
    let page = page.max(1);
    let size = i64::from(PAGE_SIZE);
    let mut items = store::list(&db.pool, size + 1, (i64::from(page) - 1) * size).await?;
    let has_next = items.len() as i64 > size;
    items.truncate(PAGE_SIZE as usize);
    Ok(OutboxPage {
        items,
        page,
        has_next,
    })
}

pub async fn get(db: &Db, id: &str) -> AppResult<OutboxMessage> {
    store::get(&db.pool, id).await?.ok_or(AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(4), Duration::seconds(240));
        assert_eq!(backoff(40), Duration::hours(2));
    }
}
