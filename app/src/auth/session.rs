//! Sessions live in the database, so several servers share them. The cookie holds a random
//! 256-bit token; the table holds only its SHA-256, so a copy of the database signs no one in.
//! A new token is made at every sign-in (the session id rotates), and "sign out everywhere"
//! deletes every session of the account. A session ends after 30 minutes without a request and
//! 12 hours after sign-in whatever happens (ASVS level 2); ended rows are deleted hourly.

use super::model::{CurrentUser, Grant, Role};
use crate::clock::{Clock, to_db};
use crate::db::Db;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// The cookie's name; over TLS it carries the `__Host-` prefix (see [`Config::cookie_name`]).
///
/// [`Config::cookie_name`]: crate::config::Config::cookie_name
pub const COOKIE: &str = "certportal_session";
/// A session ends after this long without a request.
pub const IDLE: Duration = Duration::minutes(30);
/// ... and this long after sign-in, however busy.
pub const ABSOLUTE: Duration = Duration::hours(12);
/// How often a session's expiry is pushed on (not on every request).
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// A new random token, as it goes into a cookie or an emailed link.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database stores of a token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub async fn create(
    db: &Db,
    clock: &Clock,
    account_id: &str,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> sqlx::Result<String> {
    let token = new_token();
    let now = clock.now();
    sqlx::query(
        "INSERT INTO sessions (id_hash, account_id, created_at, last_seen_at, expires_at, ip, user_agent)
         VALUES ($1, $2, $3, $3, $4, $5, $6)",
    )
    .bind(token_hash(&token))
    .bind(account_id)
    .bind(to_db(now))
    .bind(to_db(now + IDLE))
    .bind(ip)
    .bind(user_agent.map(|ua| ua.chars().take(300).collect::<String>()))
    .execute(&db.pool)
    .await?;
    Ok(token)
}

/// The account behind a session token, if the session is alive; pushes its expiry on. One
/// query finds the account and its roles (a row per role), since every signed-in page asks.
pub async fn lookup(db: &Db, clock: &Clock, token: &str) -> sqlx::Result<Option<CurrentUser>> {
    let now = clock.now();
    let hash = token_hash(token);
    let rows = sqlx::query(
        "SELECT a.id, a.username, a.display_name, s.last_seen_at, r.role, r.scope FROM sessions s
         JOIN accounts a ON a.id = s.account_id
         LEFT JOIN account_roles r ON r.account_id = a.id
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND s.created_at > $3
         ORDER BY r.role, r.scope",
    )
    .bind(&hash)
    .bind(to_db(now))
    .bind(to_db(now - ABSOLUTE))
    .fetch_all(&db.pool)
    .await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let last_seen: String = row.try_get("last_seen_at")?;
    if last_seen < to_db(now - TOUCH_EVERY) {
        sqlx::query("UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1")
            .bind(&hash)
            .bind(to_db(now))
            .bind(to_db(now + IDLE))
            .execute(&db.pool)
            .await?;
    }
    let mut grants = Vec::new();
    for r in &rows {
        let role: Option<String> = r.try_get("role")?;
        if let Some(role) = role.as_deref().and_then(Role::parse) {
            grants.push(Grant {
                role,
                scope: r.try_get("scope")?,
            });
        }
    }
    Ok(Some(CurrentUser {
        account_id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        grants,
    }))
}

pub async fn delete(db: &Db, token: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(token_hash(token))
        .execute(&db.pool)
        .await
        .map(|_| ())
}

/// Signs an account out everywhere; returns how many sessions ended.
pub async fn delete_all(db: &Db, account_id: &str) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .execute(&db.pool)
        .await
        .map(|r| r.rows_affected())
}

/// Deletes the sessions that have ended, idle or too old; returns how many.
pub async fn purge(db: &Db, clock: &Clock) -> sqlx::Result<u64> {
    let now = clock.now();
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR created_at <= $2")
        .bind(to_db(now))
        .bind(to_db(now - ABSOLUTE))
        .execute(&db.pool)
        .await
        .map(|r| r.rows_affected())
}

/// The session token in a request's `Cookie` headers, under this deployment's cookie name.
pub fn token_from_headers(
    config: &crate::config::Config,
    headers: &http::HeaderMap,
) -> Option<String> {
    crate::cookie::value(headers, &config.cookie_name(COOKIE))
}
