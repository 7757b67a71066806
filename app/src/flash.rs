//! What a refused form post without JavaScript typed, kept on the server for an hour instead
//! of in the address it is sent back to (where a personnummer would reach the browser's history
//! and every log on the way). The redirect carries a random id; only its hash is stored.

use crate::clock::{Clock, to_db};
use crate::db::Db;

/// How long kept values wait for the page that shows them again.
pub const KEPT: chrono::Duration = chrono::Duration::hours(1);

/// Stores `payload`; returns the id that fetches it back.
pub async fn keep(db: &Db, clock: &Clock, payload: &str) -> sqlx::Result<String> {
    let id = crate::auth::session::new_token();
    let now = clock.now();
    sqlx::query("INSERT INTO form_flash (id_hash, payload, expires_at) VALUES ($1, $2, $3)")
        .bind(crate::auth::session::token_hash(&id))
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

/// What `id` keeps, while it is kept (a reload shows the form as it was again).
pub async fn get(db: &Db, clock: &Clock, id: &str) -> sqlx::Result<Option<String>> {
    if id.len() > 100 {
        return Ok(None);
    }
    sqlx::query_scalar("SELECT payload FROM form_flash WHERE id_hash = $1 AND expires_at > $2")
        .bind(crate::auth::session::token_hash(id))
        .bind(to_db(clock.now()))
        .fetch_optional(&db.pool)
        .await
}
