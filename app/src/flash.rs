//! What a refused form post without JavaScript typed, kept on the server for an hour instead
//! of in the address it is sent back to (where a personnummer would reach the browser's history
//! and every log on the way). The redirect carries a random id, and the browser a key of its
//! own in a cookie ([`COOKIE`]); only the hash of the two together is stored, so the address
//! alone, copied or logged, shows nothing.

use crate::clock::{Clock, to_db};
use crate::db::Db;

/// How long kept values wait for the page that shows them again.
pub const KEPT: chrono::Duration = chrono::Duration::hours(1);

/// The cookie that holds the browser's key (HttpOnly, for the session's lifetime).
pub const COOKIE: &str = "certportal_form";

fn lookup_hash(id: &str, browser_key: &str) -> String {
    crate::auth::session::token_hash(&format!("{id}.{browser_key}"))
}

/// A new browser key, for a browser that has none yet.
pub fn new_browser_key() -> String {
    crate::auth::session::new_token()
}

/// Stores `payload` for whoever holds `browser_key` (the browser's cookie key, or for a signed-in
/// page the account's id); returns the id that, with that key, fetches it back.
pub async fn keep(
    db: &Db,
    clock: &Clock,
    payload: &str,
    browser_key: &str,
) -> sqlx::Result<String> {
    let id = crate::auth::session::new_token();
    let now = clock.now();
    sqlx::query("INSERT INTO form_flash (id_hash, payload, expires_at) VALUES ($1, $2, $3)")
        .bind(lookup_hash(&id, browser_key))
        .bind(payload)
        .bind(to_db(now + KEPT))
        .execute(&db.pool)
        .await?;
    sqlx::query("DELETE FROM form_flash WHERE expires_at < $1")
        .bind(to_db(now))
        .execute(&db.pool)
        .await?;
    Ok(id)
}

/// What `id` keeps for the browser holding `browser_key`, while it is kept (a reload shows the
/// form as it was again).
pub async fn get(
    db: &Db,
    clock: &Clock,
    id: &str,
    browser_key: &str,
) -> sqlx::Result<Option<String>> {
    if id.len() > 100 || browser_key.len() > 100 {
        return Ok(None);
    }
    sqlx::query_scalar("SELECT payload FROM form_flash WHERE id_hash = $1 AND expires_at > $2")
        .bind(lookup_hash(id, browser_key))
        .bind(to_db(clock.now()))
        .fetch_optional(&db.pool)
        .await
}
