//! The outbox's rules: enqueue in the caller's transaction; claim, deliver and record, with
//! retries and backoff.

use super::model::{OutboxMessage, OutboxPage, PAGE_SIZE};
use super::store;
use super::templates::Email;
use super::transport::{Outgoing, Transport};
use crate::clock::{Clock, to_db};
use crate::config::Config;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::keys::Keys;
use chrono::Duration;
use sqlx::AnyConnection;

/// How long a claimed email stays leased to its worker before another may take it.
pub const LEASE: Duration = Duration::seconds(120);
/// After this many attempts an email is given up as failed.
pub const MAX_ATTEMPTS: i64 = 8;

/// Puts an email in the outbox, inside the caller's transaction: it is sent if and only if the
/// change that caused it commits.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn enqueue(
    conn: &mut AnyConnection,
    clock: &Clock,
    keys: &Keys,
    email: &Email,
) -> sqlx::Result<String> {
    let row = stored(keys, email);
    let id = row.id.clone();
    store::insert(conn, &to_db(clock.now()), &[row]).await?;
    Ok(id)
}

/// An email as it rests in the outbox: one that carries a secret is sealed with the server's
/// key until it is delivered, so the database alone shows no working link.
fn stored<'a>(keys: &Keys, email: &'a Email) -> store::Stored<'a> {
    let (text, html) = if email.secret {
        (keys.seal(&email.text), keys.seal(&email.html))
    } else {
        (email.text.clone(), email.html.clone())
    };
    store::Stored {
        id: uuid::Uuid::now_v7().to_string(),
        email,
        text,
        html,
    }
}

/// Puts many emails in the outbox inside the caller's transaction, in a few statements.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn enqueue_many(
    conn: &mut AnyConnection,
    clock: &Clock,
    keys: &Keys,
    emails: &[Email],
) -> sqlx::Result<()> {
    let rows: Vec<store::Stored> = emails.iter().map(|e| stored(keys, e)).collect();
    store::insert(conn, &to_db(clock.now()), &rows).await
}

/// Enqueues one email in a transaction of its own.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn enqueue_alone(
    db: &Db,
    clock: &Clock,
    keys: &Keys,
    email: &Email,
) -> AppResult<String> {
    let mut tx = db.begin().await?;
    let id = enqueue(&mut tx, clock, keys, email).await?;
    tx.commit().await?;
    Ok(id)
}

/// Claims and delivers what is due; returns how many emails were sent. An email that carries a
/// secret is opened just before it leaves, and once a relay has it (a real deployment), its
/// bodies are emptied: only its recipient ever reads the link.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn deliver_due(
    db: &Db,
    clock: &Clock,
    keys: &Keys,
    transport: &Transport,
    worker: &str,
    batch: i64,
) -> anyhow::Result<usize> {
    let now = clock.now();
    let claimed = store::claim(&db.pool, worker, &to_db(now), &to_db(now + LEASE), batch).await?;
    let mut sent = 0;
    for mail in claimed {
        let wipe = mail.carries_secret && transport.is_relay();
        let (Some(text), Some(html)) = (keys.open(&mail.body_text), keys.open(&mail.body_html))
        else {
            tracing::error!(id = %mail.id, "an outbox email sealed with another key: given up");
            store::mark_failed(
                &db.pool,
                &mail.id,
                worker,
                "sealed with another server key",
                None,
                true,
            )
            .await?;
            continue;
        };
        let outgoing = Outgoing {
            id: &mail.id,
            to: &mail.to_address,
            subject: &mail.subject,
            text: &text,
            html: &html,
            attachment: mail
                .attachment_name
                .as_deref()
                .zip(mail.attachment_body.as_deref()),
        };
        match transport.send(&outgoing).await {
            Ok(()) => {
                if store::mark_sent(
                    &db.pool,
                    &mail.id,
                    worker,
                    &to_db(clock.now()),
                    transport.via(),
                    wipe,
                )
                .await?
                {
                    sent += 1;
                }
            }
            Err(err) => {
                let retry = (mail.attempts < MAX_ATTEMPTS)
                    .then(|| to_db(clock.now() + crate::clock::backoff(mail.attempts)));
                tracing::warn!(id = %mail.id, attempts = mail.attempts, error = %err, "email delivery failed");
                store::mark_failed(
                    &db.pool,
                    &mail.id,
                    worker,
                    &format!("{err:#}"),
                    retry.as_deref(),
                    mail.carries_secret,
                )
                .await?;
            }
        }
    }
    Ok(sent)
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(db: &Db, config: &Config, page: u32) -> AppResult<OutboxPage> {
    let page = page.max(1);
    let size = i64::from(PAGE_SIZE);
    let items = store::list(&db.pool, size + 1, crate::types::offset(page, PAGE_SIZE)).await?;
    Ok(OutboxPage {
        list: crate::types::Paged::of(items, page, PAGE_SIZE),
        dev_mailbox: config.dev_mailbox(),
    })
}

/// One email as staff may see it: whole in the development mailbox; in a real deployment an
/// email that carries a secret shows who it went to, what it was about and when, never its
/// bodies.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn get(db: &Db, config: &Config, id: &str) -> AppResult<OutboxMessage> {
    let mut m = store::get(&db.pool, id).await?.ok_or(AppError::NotFound)?;
    m.dev_mailbox = config.dev_mailbox();
    if m.carries_secret && !m.dev_mailbox {
        m.body_text.clear();
        m.body_html.clear();
        m.attachment = None;
        m.withheld = true;
    } else {
        m.body_text = config.keys.open(&m.body_text).unwrap_or_default();
        m.body_html = config.keys.open(&m.body_html).unwrap_or_default();
    }
    Ok(m)
}
