//! The kept form values' SQL, and only the SQL.

use sqlx::AnyPool;

pub async fn insert(
    pool: &AnyPool,
    id_hash: &str,
    payload: &str,
    expires_at: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO form_flash (id_hash, payload, expires_at) VALUES ($1, $2, $3)")
        .bind(id_hash)
        .bind(payload)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Deletes what expired before `now`.
pub async fn delete_expired(pool: &AnyPool, now: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM form_flash WHERE expires_at < $1")
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ())
}

/// The payload kept under `id_hash`, unless it expired by `now`.
pub async fn payload(pool: &AnyPool, id_hash: &str, now: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT payload FROM form_flash WHERE id_hash = $1 AND expires_at > $2")
        .bind(id_hash)
        .bind(now)
        .fetch_optional(pool)
        .await
}
