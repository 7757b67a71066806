//! Sign-in's SQL, and only the SQL: accounts as sign-in reads them, passwords and their history,
//! emailed links, sessions, the throttle's attempts and hits, and the security log. Rows are
//! read once into typed structs.

use sqlx::{AnyConnection, AnyPool};

/// An account as sign-in finds it: its language, and its password hash (none until
/// activated).
#[derive(Debug, sqlx::FromRow)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub email: String,
    pub locale: String,
    pub password_hash: Option<String>,
}

/// The account whose username or email lower-cases to `key`; a username beats another
/// account's email.
pub async fn account_by_key(pool: &AnyPool, key: &str) -> sqlx::Result<Option<Account>> {
    sqlx::query_as(
        "SELECT id, username, email, locale, password_hash FROM accounts
         WHERE username_key = $1 OR email_key = $1 ORDER BY username_key = $1 DESC LIMIT 1",
    )
    .bind(key)
    .fetch_optional(pool)
    .await
}

/// An account's password hash: `None` until it is activated. A missing account is
/// `RowNotFound`.
pub async fn password_hash(pool: &AnyPool, account_id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT password_hash FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_one(pool)
        .await
}

/// What an account and its person give away, which a password must not be built from: each
/// column empty when the account has no person.
#[derive(Debug, sqlx::FromRow)]
pub struct Known {
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub pnr: String,
    pub first_name: String,
    pub last_name: String,
    pub address: String,
    pub city: String,
    pub person_email: String,
}

/// What the account `account_id` and its person give away.
pub async fn known(pool: &AnyPool, account_id: &str) -> sqlx::Result<Known> {
    sqlx::query_as(
        "SELECT a.username, a.email, a.display_name, COALESCE(p.pnr, '') AS pnr,
             COALESCE(p.first_name, '') AS first_name, COALESCE(p.last_name, '') AS last_name,
             COALESCE(p.address, '') AS address, COALESCE(p.city, '') AS city,
             COALESCE(p.email, '') AS person_email
         FROM accounts a LEFT JOIN people p ON p.account_id = a.id WHERE a.id = $1",
    )
    .bind(account_id)
    .fetch_one(pool)
    .await
}

/// The hashes of the account's last `limit` passwords, newest first.
pub async fn recent_passwords(
    pool: &AnyPool,
    account_id: &str,
    limit: i64,
) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT password_hash FROM password_history WHERE account_id = $1 ORDER BY created_at DESC LIMIT $2",
    )
    .bind(account_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Replaces an account's password hash.
pub async fn set_password_hash(
    conn: &mut AnyConnection,
    account_id: &str,
    hash: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE accounts SET password_hash = $2 WHERE id = $1")
        .bind(account_id)
        .bind(hash)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Remembers a password hash in the account's history, so that it is not used again soon.
pub async fn remember_password(
    conn: &mut AnyConnection,
    account_id: &str,
    hash: &str,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO password_history (account_id, password_hash, created_at) VALUES ($1, $2, $3)",
    )
    .bind(account_id)
    .bind(hash)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Stores an emailed link's token (its hash only) for `purpose` (`reset` or `activate`).
pub async fn insert_link(
    conn: &mut AnyConnection,
    token_hash: &str,
    account_id: &str,
    purpose: &str,
    created_at: &str,
    expires_at: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO account_tokens (token_hash, account_id, purpose, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(purpose)
    .bind(created_at)
    .bind(expires_at)
    .execute(conn)
    .await
    .map(|_| ())
}

/// An emailed link that sets a password, and whether it was used.
#[derive(Debug, sqlx::FromRow)]
pub struct Link {
    pub account_id: String,
    pub expires_at: String,
    pub used_at: Option<String>,
}

/// The reset or activation link whose token hashes to `token_hash`.
pub async fn link(pool: &AnyPool, token_hash: &str) -> sqlx::Result<Option<Link>> {
    sqlx::query_as(
        "SELECT account_id, expires_at, used_at FROM account_tokens
         WHERE token_hash = $1 AND purpose IN ('reset', 'activate')",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await
}

/// Marks a link used at `now`, if it was not yet; answers whether this call spent it (of two
/// racing, only one does).
pub async fn spend_link(pool: &AnyPool, token_hash: &str, now: &str) -> sqlx::Result<bool> {
    let spent = sqlx::query(
        "UPDATE account_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(spent.rows_affected() == 1)
}

/// A new session, keyed by its token's hash, idle from `now` until `expires_at`.
pub async fn insert_session(
    pool: &AnyPool,
    id_hash: &str,
    account_id: &str,
    now: &str,
    expires_at: &str,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, account_id, created_at, last_seen_at, expires_at, ip, user_agent)
         VALUES ($1, $2, $3, $3, $4, $5, $6)",
    )
    .bind(id_hash)
    .bind(account_id)
    .bind(now)
    .bind(expires_at)
    .bind(ip)
    .bind(user_agent)
    .execute(pool)
    .await
    .map(|_| ())
}

/// A live session's account with one of its roles: a row per role, or one row with neither
/// role nor scope for an account that holds none. The role stays text here: a code no role
/// has grants nothing, rather than failing every request of the account.
#[derive(Debug, sqlx::FromRow)]
pub struct SessionRole {
    #[sqlx(rename = "id")]
    pub account_id: String,
    pub username: String,
    pub display_name: String,
    pub last_seen_at: String,
    pub role: Option<String>,
    pub scope: Option<String>,
    pub person_id: Option<String>,
}

/// The session keyed by `id_hash` if it has not expired at `now` and began after
/// `created_after`: its account and roles, ordered by role and scope. No rows when it ended.
pub async fn session_roles(
    db: &crate::db::Db,
    id_hash: &str,
    now: &str,
    created_after: &str,
) -> sqlx::Result<Vec<SessionRole>> {
    db.read_all(
        "SELECT a.id, a.username, a.display_name, s.last_seen_at, r.role, r.scope,
             p.id AS person_id FROM sessions s
         JOIN accounts a ON a.id = s.account_id
         LEFT JOIN people p ON p.account_id = a.id
         LEFT JOIN account_roles r ON r.account_id = a.id
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND s.created_at > $3
         ORDER BY r.role, r.scope",
        &[id_hash, now, created_after],
    )
    .await
}

/// Pushes a session's expiry on: seen at `now`, idle until `expires_at`.
pub async fn touch_session(
    pool: &AnyPool,
    id_hash: &str,
    now: &str,
    expires_at: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1")
        .bind(id_hash)
        .bind(now)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Ends one session.
pub async fn delete_session(pool: &AnyPool, id_hash: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Ends every session of an account (in a transaction, or on a pooled connection); answers how
/// many there were.
pub async fn delete_sessions(conn: &mut AnyConnection, account_id: &str) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
}

/// Ends every session of an account but the one keyed by `keep_hash`.
pub async fn delete_other_sessions(
    pool: &AnyPool,
    account_id: &str,
    keep_hash: &str,
) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2")
        .bind(account_id)
        .bind(keep_hash)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
}

/// Deletes the sessions idle until `now` or begun by `created_before`; answers how many.
pub async fn purge_sessions(pool: &AnyPool, now: &str, created_before: &str) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR created_at <= $2")
        .bind(now)
        .bind(created_before)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
}

/// Records a sign-in attempt under `key`; an attempt counted under several keys has a row
/// under each, all with its `id`.
pub async fn insert_attempt(pool: &AnyPool, id: &str, key: &str, at: &str) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO login_failures (id, key, at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(key)
        .bind(at)
        .execute(pool)
        .await
        .map(|_| ())
}

/// The attempts under a key since a moment, and the last of them.
#[derive(Debug, sqlx::FromRow)]
pub struct Failures {
    pub failures: i64,
    pub last_at: Option<String>,
}

/// The attempts under `key` after `since`, not counting the attempt `except_id` itself.
pub async fn failures(
    pool: &AnyPool,
    key: &str,
    since: &str,
    except_id: &str,
) -> sqlx::Result<Failures> {
    sqlx::query_as(
        "SELECT COUNT(*) AS failures, MAX(at) AS last_at FROM login_failures
         WHERE key = $1 AND at > $2 AND id <> $3",
    )
    .bind(key)
    .bind(since)
    .bind(except_id)
    .fetch_one(pool)
    .await
}

/// Removes one attempt's rows, under every key.
pub async fn delete_attempt(pool: &AnyPool, id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Forgets the attempts made before `before`.
pub async fn delete_attempts_before(pool: &AnyPool, before: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE at < $1")
        .bind(before)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Forgets every attempt under `key`.
pub async fn delete_attempts_of(pool: &AnyPool, key: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(key)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Records a hit on a rate-limited action under `key`.
pub async fn insert_hit(pool: &AnyPool, id: &str, key: &str, at: &str) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO rate_hits (id, key, at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(key)
        .bind(at)
        .execute(pool)
        .await
        .map(|_| ())
}

/// The hits under a key since a moment, and the oldest of them (from which the wait for the
/// next allowed one is counted).
#[derive(Debug, sqlx::FromRow)]
pub struct Hits {
    pub hits: i64,
    pub oldest: Option<String>,
}

/// The hits under `key` after `since`.
pub async fn hits(pool: &AnyPool, key: &str, since: &str) -> sqlx::Result<Hits> {
    sqlx::query_as(
        "SELECT COUNT(*) AS hits, MIN(at) AS oldest FROM rate_hits WHERE key = $1 AND at > $2",
    )
    .bind(key)
    .bind(since)
    .fetch_one(pool)
    .await
}

/// Removes one hit (a refused one, which does not count).
pub async fn delete_hit(pool: &AnyPool, id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rate_hits WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Forgets the hits made before `before`.
pub async fn delete_hits_before(pool: &AnyPool, before: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rate_hits WHERE at < $1")
        .bind(before)
        .execute(pool)
        .await
        .map(|_| ())
}

/// A security event as it is written: its label and detail already cleaned of control
/// characters and cut to length.
pub struct NewEvent<'a> {
    pub id: &'a str,
    pub at: &'a str,
    pub kind: &'a str,
    pub account_id: Option<&'a str>,
    pub label: &'a str,
    pub ip: Option<&'a str>,
    pub detail: &'a str,
}

/// Writes a security event, on the caller's connection (inside its transaction when it has
/// one).
pub async fn insert_event(conn: &mut AnyConnection, e: &NewEvent<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO security_events (id, at, kind, account_id, label, ip, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(e.id)
    .bind(e.at)
    .bind(e.kind)
    .bind(e.account_id)
    .bind(e.label)
    .bind(e.ip)
    .bind(e.detail)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Deletes the security events from before `before`; answers how many.
pub async fn purge_events(pool: &AnyPool, before: &str) -> sqlx::Result<u64> {
    sqlx::query("DELETE FROM security_events WHERE at < $1")
        .bind(before)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
}

/// A security event as staff read it: labelled by the account's username when the event
/// carries no label of its own. The kind stays text, so that events of a kind this version
/// does not know are still shown.
#[derive(Debug, sqlx::FromRow)]
pub struct Event {
    pub at: String,
    pub kind: String,
    pub account_id: Option<String>,
    pub label: String,
    pub ip: Option<String>,
    pub detail: String,
}

/// Up to `limit` security events from `offset` on, newest first, of the kind coded `kind`
/// (every kind when empty).
pub async fn events(
    pool: &AnyPool,
    kind: &str,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Event>> {
    sqlx::query_as(
        "SELECT s.at, s.kind, s.account_id, COALESCE(NULLIF(s.label, ''), a.username, '') AS label,
             s.ip, s.detail
         FROM security_events s LEFT JOIN accounts a ON a.id = s.account_id
         WHERE ($1 = '' OR s.kind = $1) ORDER BY s.at DESC, s.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(kind)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}

/// Remembers the language an account reads the portal in (its `Locale` code).
pub async fn set_locale(
    conn: &mut AnyConnection,
    account_id: &str,
    locale: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE accounts SET locale = $1 WHERE id = $2")
        .bind(locale)
        .bind(account_id)
        .execute(conn)
        .await
        .map(|_| ())
}
