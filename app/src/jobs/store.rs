//! The job queue's SQL, and only the SQL.

use sqlx::{AnyConnection, AnyPool};

/// A job as it is written.
pub struct NewJob<'a> {
    pub id: String,
    pub kind: &'a str,
    pub payload: String,
}

/// Writes a job due at `run_at`; false when a job of that id exists (a scheduled job written
/// by several servers is written once).
pub async fn insert(
    conn: &mut AnyConnection,
    now: &str,
    run_at: &str,
    job: &NewJob<'_>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO jobs (id, kind, payload, created_at, run_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&job.id)
    .bind(job.kind)
    .bind(&job.payload)
    .bind(now)
    .bind(run_at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A job leased to one worker.
#[derive(Debug, sqlx::FromRow)]
pub struct Claimed {
    pub id: String,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
}

/// Leases the oldest due job to `owner` until `lease_until`. One conditional UPDATE: of two
/// workers claiming at once only one gets it; a job whose lease ended is due again.
pub async fn claim(
    pool: &AnyPool,
    owner: &str,
    now: &str,
    lease_until: &str,
) -> sqlx::Result<Option<Claimed>> {
    sqlx::query_as(
        "UPDATE jobs SET lease_owner = $1, lease_until = $2, attempts = attempts + 1
         WHERE id = (
             SELECT id FROM jobs
             WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= $3
               AND (lease_until IS NULL OR lease_until <= $3)
             ORDER BY run_at LIMIT 1)
           AND done_at IS NULL AND failed_at IS NULL AND (lease_until IS NULL OR lease_until <= $3)
         RETURNING id, kind, payload, attempts",
    )
    .bind(owner)
    .bind(lease_until)
    .bind(now)
    .fetch_optional(pool)
    .await
}

/// Marks a job done and empties its payload, inside the transaction of its effects; false when
/// its lease passed to another worker (the caller then rolls its effects back).
pub async fn mark_done(
    conn: &mut AnyConnection,
    id: &str,
    owner: &str,
    now: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET done_at = $1, payload = '', last_error = NULL, lease_owner = NULL,
             lease_until = NULL
         WHERE id = $2 AND lease_owner = $3 AND done_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .bind(owner)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives a job back after a failure: due again at `retry_at`, or given up (`failed`).
pub async fn mark_failed(
    pool: &AnyPool,
    id: &str,
    owner: &str,
    error: &str,
    retry_at: &str,
    failed: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE jobs SET last_error = $1, run_at = $2, failed_at = $3, lease_owner = NULL,
             lease_until = NULL
         WHERE id = $4 AND lease_owner = $5",
    )
    .bind(error)
    .bind(retry_at)
    .bind(failed)
    .bind(id)
    .bind(owner)
    .execute(pool)
    .await
    .map(|_| ())
}

/// Deletes jobs done, or given up, before `before` (a given-up job's payload with it).
pub async fn purge(pool: &AnyPool, before: &str) -> sqlx::Result<u64> {
    Ok(
        sqlx::query("DELETE FROM jobs WHERE done_at < $1 OR failed_at < $1")
            .bind(before)
            .execute(pool)
            .await?
            .rows_affected(),
    )
}

/// How many jobs are still to run (done or given up ones not counted).
pub async fn pending(pool: &AnyPool) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE done_at IS NULL AND failed_at IS NULL")
        .fetch_one(pool)
        .await
}
