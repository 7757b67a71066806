//! Telling people things: a message in the portal when they have an account, and an email to
//! their contact address ("Din adress", else their account's) in their language, unless they
//! asked for letters (analog).

use super::model::{Content, Message, Notice};
use super::store;
use crate::clock::to_db;
use crate::db::Db;
use crate::i18n::Locale;
use crate::state::AppState;
use sqlx::AnyConnection;

/// Whom a notice reaches, and how. Other domains read it in their own queries: they select
/// [`store::RECIPIENT_COLUMNS`] and flatten a [`store::RecipientRow`] into their row.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Recipient {
    pub account_id: Option<String>,
    /// Their contact address: the person's own, else their account's; empty when neither.
    pub email: String,
    pub locale: Locale,
    /// They asked for letters, not email.
    pub analog: bool,
}

/// A person as notices reach them.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn recipient(conn: &mut AnyConnection, person_id: &str) -> sqlx::Result<Recipient> {
    Ok(store::recipient(conn, person_id).await?.into())
}

/// Tells one person, inside the caller's transaction.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn tell(
    conn: &mut AnyConnection,
    state: &AppState,
    person_id: &str,
    notice: &Notice,
) -> sqlx::Result<()> {
    let to = recipient(conn, person_id).await?;
    tell_many(conn, state, &[(to, notice.clone())]).await
}

/// The job that tells many people after the request that gave the notices.
pub const TELL_JOB: &str = "messages.tell";

/// At most this many notices are written in the request that gives them; more are written by
/// a job (one row in the request, [`TELL_JOB`]), so that a bulk action of thousands answers fast.
pub const TELL_NOW_MAX: usize = 100;

/// Tells many people, inside the caller's transaction: now, in a few statements, or (more than
/// [`TELL_NOW_MAX`]) by a job written in the same transaction, run once by the worker.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn tell_many(
    conn: &mut AnyConnection,
    state: &AppState,
    items: &[(Recipient, Notice)],
) -> sqlx::Result<()> {
    if items.len() > TELL_NOW_MAX {
        crate::jobs::service::enqueue(conn, &state.clock, TELL_JOB, &items).await
    } else {
        write(conn, state, items).await
    }
}

/// Runs a [`TELL_JOB`] inside the job's transaction.
pub async fn run_tell_job(
    conn: &mut AnyConnection,
    state: &AppState,
    payload: &str,
) -> anyhow::Result<()> {
    let items: Vec<(Recipient, Notice)> = serde_json::from_str(payload)?;
    Ok(write(conn, state, &items).await?)
}

/// Writes the notices: messages and emails, in a few statements.
async fn write(
    conn: &mut AnyConnection,
    state: &AppState,
    items: &[(Recipient, Notice)],
) -> sqlx::Result<()> {
    let now = to_db(state.clock.now());
    // In the portal for those with an account: stored in Swedish, and as the notice itself, so
    // that it is put into words in whichever language it is read.
    let messages: Vec<store::NewMessage> = items
        .iter()
        .filter_map(|(r, n)| r.account_id.as_deref().map(|a| (a, n)))
        .map(|(account_id, notice)| store::NewMessage {
            id: uuid::Uuid::now_v7().to_string(),
            account_id,
            subject: notice.subject(Locale::Sv),
            body: notice.body(Locale::Sv),
            kind: notice.kind(),
            args: serde_json::to_string(notice).unwrap_or_default(),
        })
        .collect();
    store::insert(conn, &now, &messages).await?;
    let emails: Vec<_> = items
        .iter()
        .filter(|(r, _)| !r.analog && !r.email.is_empty())
        .map(|(r, n)| {
            let link = r
                .account_id
                .is_some()
                .then(|| format!("{}{}", state.config.base_url, n.path()));
            let (subject, body) = (n.subject(r.locale), n.body(r.locale));
            let email = crate::mail::templates::notice(
                &state.config,
                &r.email,
                r.locale,
                &subject,
                &body,
                link.as_deref(),
            );
            // A reminder brings its deadline as a calendar file.
            let due = n.due().and_then(|(d, ..)| {
                let date = chrono::NaiveDate::parse_from_str(&d.date, "%Y-%m-%d").ok()?;
                Some((d, date))
            });
            match due {
                Some((d, date)) => email.with_deadline(
                    &state.config,
                    &crate::mail::templates::Deadline {
                        key: &d.occasion,
                        sequence: (state.clock.today() - chrono::NaiveDate::default()).num_days(),
                        date,
                        summary: &subject,
                        description: &body,
                    },
                ),
                None => email,
            }
        })
        .collect();
    crate::mail::service::enqueue_many(conn, &state.clock, &state.config.keys, &emails).await
}

/// The account's messages, newest first: one page, and whether more follow.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(
    db: &Db,
    account_id: &str,
    page: u32,
    size: u32,
) -> sqlx::Result<(Vec<Message>, bool)> {
    let page = page.max(1);
    let rows = store::list(
        &db.pool,
        account_id,
        i64::from(size) + 1,
        crate::types::offset(page, size),
    )
    .await?;
    let has_next = rows.len() > size as usize;
    let items = rows
        .into_iter()
        .take(size as usize)
        .map(|r| {
            // An older message, stored before notices were, keeps its Swedish words.
            let content = match serde_json::from_str::<Notice>(&r.args) {
                Ok(n) => Content::Notice(n),
                Err(_) => Content::Written {
                    subject: r.subject,
                    body: r.body,
                },
            };
            Message {
                id: r.id,
                content,
                created_at: r.created_at,
            }
        })
        .collect();
    Ok((items, has_next))
}
