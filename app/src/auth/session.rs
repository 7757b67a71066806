//! Sessions live in the database, so several servers share them. The cookie holds a random
//! 256-bit token; the table holds only its SHA-256, so a copy of the database signs no one in.
//! A new token is made at every sign-in (the session id rotates), and "sign out everywhere"
//! deletes every session of the account. A session ends after 30 minutes without a request and
//! 12 hours after sign-in whatever happens (ASVS level 2); ended rows are deleted hourly.

use super::model::{CurrentUser, Grant, Role};
use super::store;
use crate::clock::{Clock, to_db};
use crate::db::Db;
use chrono::Duration;

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

pub use crate::secret::{new_token, token_hash};

pub async fn create(
    db: &Db,
    clock: &Clock,
    account_id: &str,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> sqlx::Result<String> {
    let token = new_token();
    let now = clock.now();
    let user_agent = user_agent.map(|ua| ua.chars().take(300).collect::<String>());
    store::insert_session(
        &db.pool,
        &token_hash(&token),
        account_id,
        &to_db(now),
        &to_db(now + IDLE),
        ip,
        user_agent.as_deref(),
    )
    .await?;
    Ok(token)
}

/// The account behind a session token, if the session is alive; pushes its expiry on. One
/// query finds the account and its roles (a row per role), since every signed-in page asks.
pub async fn lookup(db: &Db, clock: &Clock, token: &str) -> sqlx::Result<Option<CurrentUser>> {
    let now = clock.now();
    let hash = token_hash(token);
    let rows = store::session_roles(db, &hash, &to_db(now), &to_db(now - ABSOLUTE)).await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    if row.last_seen_at < to_db(now - TOUCH_EVERY) {
        store::touch_session(&db.pool, &hash, &to_db(now), &to_db(now + IDLE)).await?;
    }
    let grants = rows
        .iter()
        .filter_map(|r| {
            let role = r.role.as_deref().and_then(Role::parse)?;
            Some(Grant {
                role,
                scope: r.scope.clone().unwrap_or_default(),
            })
        })
        .collect();
    Ok(Some(CurrentUser {
        account_id: row.account_id.clone(),
        username: row.username.clone(),
        display_name: row.display_name.clone(),
        grants,
        person_id: row.person_id.clone(),
    }))
}

pub async fn delete(db: &Db, token: &str) -> sqlx::Result<()> {
    store::delete_session(&db.pool, &token_hash(token)).await
}

/// Signs an account out everywhere; returns how many sessions ended.
pub async fn delete_all(db: &Db, account_id: &str) -> sqlx::Result<u64> {
    let mut conn = db.pool.acquire().await?;
    store::delete_sessions(&mut conn, account_id).await
}

/// Deletes the sessions that have ended, idle or too old; returns how many.
pub async fn purge(db: &Db, clock: &Clock) -> sqlx::Result<u64> {
    let now = clock.now();
    store::purge_sessions(&db.pool, &to_db(now), &to_db(now - ABSOLUTE)).await
}

/// The session token in a request's `Cookie` headers, under this deployment's cookie name.
pub fn token_from_headers(
    config: &crate::config::Config,
    headers: &http::HeaderMap,
) -> Option<String> {
    crate::cookie::value(headers, &config.cookie_name(COOKIE))
}
