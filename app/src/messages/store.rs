//! Messages' SQL, and only the SQL: who a notice reaches, the messages written, and the
//! messages read back.

use super::service::Recipient;
use crate::i18n::Locale;
use sqlx::{AnyConnection, AnyPool};

/// The SQL columns [`RecipientRow`] reads, for a query joining `people p` and `accounts a`:
/// the person's own address, else their account's; the account's language, Swedish without one.
pub const RECIPIENT_COLUMNS: &str = "p.account_id AS r_account, \
     COALESCE(NULLIF(p.email, ''), a.email, '') AS r_email, COALESCE(a.locale, 'sv') AS r_locale, \
     p.communication AS r_communication";

/// A person as notices reach them, as [`RECIPIENT_COLUMNS`] read it. Another domain's row
/// struct takes it with `#[sqlx(flatten)]`, and makes a [`Recipient`] of it with `into()`.
#[derive(Debug, sqlx::FromRow)]
pub struct RecipientRow {
    #[sqlx(rename = "r_account")]
    pub account_id: Option<String>,
    #[sqlx(rename = "r_email")]
    pub email: String,
    #[sqlx(rename = "r_locale")]
    pub locale: String,
    #[sqlx(rename = "r_communication")]
    pub communication: String,
}

impl From<RecipientRow> for Recipient {
    /// A language the portal does not speak reads as the default; only `analog` asks for
    /// letters.
    fn from(r: RecipientRow) -> Recipient {
        Recipient {
            account_id: r.account_id,
            email: r.email,
            locale: Locale::from_code(&r.locale).unwrap_or_default(),
            analog: r.communication == "analog",
        }
    }
}

/// A person, by id, as notices reach them; a missing person is `RowNotFound`.
pub async fn recipient(conn: &mut AnyConnection, person_id: &str) -> sqlx::Result<RecipientRow> {
    sqlx::query_as(&format!(
        "SELECT {RECIPIENT_COLUMNS} FROM people p LEFT JOIN accounts a ON a.id = p.account_id
         WHERE p.id = $1"
    ))
    .bind(person_id)
    .fetch_one(conn)
    .await
}

/// A message as it is written: for an account, in Swedish (what older readers show), with the
/// notice it puts into words (`args`, JSON) so that it can be read in any language.
pub struct NewMessage<'a> {
    pub id: String,
    pub account_id: &'a str,
    pub subject: String,
    pub body: String,
    pub kind: &'a str,
    pub args: String,
}

/// Writes messages, all created `now`, in a few statements.
pub async fn insert(
    conn: &mut AnyConnection,
    now: &str,
    messages: &[NewMessage<'_>],
) -> sqlx::Result<()> {
    for chunk in messages.chunks(crate::db::JSON_CHUNK) {
        let json: Vec<_> = chunk
            .iter()
            .map(|m| {
                serde_json::json!({
                    "id": m.id,
                    "account": m.account_id,
                    "subject": m.subject,
                    "body": m.body,
                    "kind": m.kind,
                    "args": m.args,
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
            .persistent(false)
            .bind(now)
            .bind(crate::db::json_array(&json))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A message as stored: its notice (`args`, JSON) to put into the reader's words, or for an
/// older message the Swedish subject and body it was written with.
#[derive(Debug, sqlx::FromRow)]
pub struct Stored {
    pub id: String,
    pub subject: String,
    pub body: String,
    pub args: String,
    pub created_at: String,
}

/// Up to `limit` of the account's messages from `offset` on, newest first.
pub async fn list(
    pool: &AnyPool,
    account_id: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Stored>> {
    sqlx::query_as(
        "SELECT id, subject, body, kind, args, created_at FROM messages WHERE account_id = $1
         ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(account_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}
