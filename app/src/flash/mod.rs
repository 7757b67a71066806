//! What a refused form post without JavaScript typed, kept on the server for an hour instead
//! of in the address it is sent back to (where a personnummer would reach the browser's history
//! and every log on the way). The redirect carries a random id, and the browser a key of its
//! own in a cookie ([`COOKIE`]); only the hash of the two together is stored, so the address
//! alone, copied or logged, shows nothing.

use crate::clock::{Clock, to_db};
use crate::db::Db;

mod store;

/// How long kept values wait for the page that shows them again.
pub const KEPT: chrono::Duration = chrono::Duration::hours(1);

/// The cookie that holds the browser's key (HttpOnly, for the session's lifetime).
pub const COOKIE: &str = "certportal_form";

fn lookup_hash(id: &str, browser_key: &str) -> String {
    crate::secret::token_hash(&format!("{id}.{browser_key}"))
}

/// A new browser key, for a browser that has none yet.
pub fn new_browser_key() -> String {
    crate::secret::new_token()
}

/// Stores `payload` for whoever holds `browser_key` (the browser's cookie key, or for a signed-in
/// page the account's id); returns the id that, with that key, fetches it back.
pub async fn keep(
    db: &Db,
    clock: &Clock,
    payload: &str,
    browser_key: &str,
) -> sqlx::Result<String> {
    let id = crate::secret::new_token();
    let now = clock.now();
    let hash = lookup_hash(&id, browser_key);
    store::insert(&db.pool, &hash, payload, &to_db(now + KEPT)).await?;
    store::delete_expired(&db.pool, &to_db(now)).await?;
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
    store::payload(&db.pool, &lookup_hash(id, browser_key), &to_db(clock.now())).await
}
