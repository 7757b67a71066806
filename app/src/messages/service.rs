//! Telling people things: a message in the portal when they have an account, and an email to
//! their contact address ("Din adress", else their account's) in their language, unless they
//! asked for letters (analog).

use super::model::{Message, Notice};
use crate::clock::to_db;
use crate::db::Db;
use crate::i18n::Locale;
use crate::state::AppState;
use sqlx::{AnyConnection, Row};

/// Whom a notice reaches, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub account_id: Option<String>,
    /// Their contact address: the person's own, else their account's; empty when neither.
    pub email: String,
    pub locale: Locale,
    /// They asked for letters, not email.
    pub analog: bool,
}

/// The SQL columns [`recipient_of`] reads, for a query joining `people p` and `accounts a`.
pub const RECIPIENT_COLUMNS: &str = "p.account_id AS r_account, \
     COALESCE(NULLIF(p.email, ''), a.email, '') AS r_email, COALESCE(a.locale, 'sv') AS r_locale, \
     p.communication AS r_communication";

pub fn recipient_of(r: &sqlx::any::AnyRow) -> sqlx::Result<Recipient> {
    Ok(Recipient {
        account_id: r.try_get("r_account")?,
        email: r.try_get("r_email")?,
        locale: Locale::from_code(&r.try_get::<String, _>("r_locale")?).unwrap_or_default(),
        analog: r.try_get::<String, _>("r_communication")? == "analog",
    })
}

/// A person as notices reach them.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn recipient(conn: &mut AnyConnection, person_id: &str) -> sqlx::Result<Recipient> {
    let r = sqlx::query(&format!(
        "SELECT {RECIPIENT_COLUMNS} FROM people p LEFT JOIN accounts a ON a.id = p.account_id
         WHERE p.id = $1"
    ))
    .bind(person_id)
    .fetch_one(&mut *conn)
    .await?;
    recipient_of(&r)
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

/// Tells many people, inside the caller's transaction, in a few statements.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn tell_many(
    conn: &mut AnyConnection,
    state: &AppState,
    items: &[(Recipient, Notice)],
) -> sqlx::Result<()> {
    let now = to_db(state.clock.now());
    let rows: Vec<(&str, &Notice)> = items
        .iter()
        .filter_map(|(r, n)| r.account_id.as_deref().map(|a| (a, n)))
        .collect();
    for chunk in rows.chunks(crate::db::JSON_CHUNK) {
        let json: Vec<_> = chunk
            .iter()
            .map(|(account_id, notice)| {
                serde_json::json!({
                    "id": uuid::Uuid::now_v7().to_string(),
                    "account": account_id,
                    "subject": notice.subject(Locale::Sv),
                    "body": notice.body(Locale::Sv),
                    "kind": notice.kind(),
                    "args": serde_json::to_string(notice).unwrap_or_default(),
                })
            })
            .collect();
        let sql = format!(
            "INSERT INTO messages (id, account_id, subject, body, kind, args, created_at)
             SELECT v.value ->> 'id', v.value ->> 'account', v.value ->> 'subject',
                 v.value ->> 'body', v.value ->> 'kind', v.value ->> 'args', $1
             FROM {}",
            crate::db::json_rows(conn, 2)
        );
        sqlx::query(&sql)
            .bind(&now)
            .bind(crate::db::json_array(&json))
            .execute(&mut *conn)
            .await?;
    }
    let emails: Vec<_> = items
        .iter()
        .filter(|(r, _)| !r.analog && !r.email.is_empty())
        .map(|(r, n)| {
            let link = r
                .account_id
                .is_some()
                .then(|| format!("{}{}", state.config.base_url, n.path()));
            crate::mail::templates::notice(
                &state.config,
                &r.email,
                r.locale,
                &n.subject(r.locale),
                &n.body(r.locale),
                link.as_deref(),
            )
        })
        .collect();
    crate::mail::service::enqueue_many(conn, &state.clock, &state.config.keys, &emails).await
}

/// The account's messages, newest first, in `locale`: one page, and whether more follow.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(
    db: &Db,
    account_id: &str,
    locale: Locale,
    page: u32,
    size: u32,
) -> sqlx::Result<(Vec<Message>, bool)> {
    let page = page.max(1);
    let rows = sqlx::query(
        "SELECT id, subject, body, kind, args, created_at FROM messages WHERE account_id = $1
         ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(account_id)
    .bind(i64::from(size) + 1)
    .bind(crate::types::offset(page, size))
    .fetch_all(&db.pool)
    .await?;
    let has_next = rows.len() > size as usize;
    let items = rows
        .iter()
        .take(size as usize)
        .map(|r| {
            let notice = serde_json::from_str::<Notice>(&r.try_get::<String, _>("args")?).ok();
            let (subject, body) = match notice {
                Some(n) => (n.subject(locale), n.body(locale)),
                None => (r.try_get("subject")?, r.try_get("body")?),
            };
            Ok(Message {
                id: r.try_get("id")?,
                subject,
                body,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect::<sqlx::Result<_>>()?;
    Ok((items, has_next))
}
