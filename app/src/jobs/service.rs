//! The job queue: [`enqueue`] inside the caller's transaction, [`run_next`] in the worker.

use super::store::{self, NewJob};
use crate::clock::{Clock, to_db};
use crate::db::Db;
use chrono::Duration;
use sqlx::AnyConnection;

/// How long a claimed job is its worker's before another may take it over.
pub const LEASE: Duration = Duration::minutes(10);

/// How many times a job is tried before it is given up (and logged as an error).
pub const MAX_ATTEMPTS: i64 = 8;

/// Writes a job of `kind` with its payload as JSON, due now, inside the caller's transaction:
/// it exists only if the caller's changes commit.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn enqueue(
    conn: &mut AnyConnection,
    clock: &Clock,
    kind: &str,
    payload: &impl serde::Serialize,
) -> sqlx::Result<()> {
    let id = uuid::Uuid::now_v7().to_string();
    schedule(conn, clock, &id, kind, payload, clock.now())
        .await
        .map(|_| ())
}

/// Writes a job of `kind` due at `run_at`, under `id`, inside the caller's transaction; false
/// when a job of that id exists already. A job that recurs (daily) takes an id that names its
/// day, so that every server may write it and it is written, and run, once.
pub async fn schedule(
    conn: &mut AnyConnection,
    clock: &Clock,
    id: &str,
    kind: &str,
    payload: &impl serde::Serialize,
    run_at: chrono::DateTime<chrono::Utc>,
) -> sqlx::Result<bool> {
    let job = NewJob {
        id: id.to_owned(),
        kind,
        payload: serde_json::to_string(payload).map_err(|e| sqlx::Error::Encode(Box::new(e)))?,
    };
    store::insert(conn, &to_db(clock.now()), &to_db(run_at), &job).await
}

/// What became of the job [`run_next`] took.
#[derive(Debug, PartialEq, Eq)]
pub enum Ran {
    /// Nothing was due.
    Idle,
    /// Done: its effects and its mark committed together.
    Done { kind: String },
    /// Its lease passed to another worker before it finished: its effects were rolled back.
    Lost,
    /// It failed and is due again later (or, after [`MAX_ATTEMPTS`], given up).
    Failed { kind: String, given_up: bool },
}

/// Claims the oldest due job for `owner` and runs `handle(tx, kind, payload)` in a
/// transaction that also marks the job done, so its effects happen once however many workers
/// run. A failure rolls the effects back and retries later (30 s, 1 min, 2 min, ...).
pub async fn run_next(
    db: &Db,
    clock: &Clock,
    owner: &str,
    handle: impl AsyncFnOnce(&mut AnyConnection, &str, &str) -> anyhow::Result<()>,
) -> anyhow::Result<Ran> {
    let now = clock.now();
    let Some(job) = store::claim(&db.pool, owner, &to_db(now), &to_db(now + LEASE)).await? else {
        return Ok(Ran::Idle);
    };
    let mut tx = db.begin().await?;
    let result = match handle(&mut tx, &job.kind, &job.payload).await {
        Ok(()) => store::mark_done(&mut tx, &job.id, owner, &to_db(clock.now()))
            .await
            .map_err(anyhow::Error::from),
        Err(err) => Err(err),
    };
    match result {
        Ok(true) => {
            tx.commit().await?;
            Ok(Ran::Done { kind: job.kind })
        }
        Ok(false) => {
            tx.rollback().await?;
            Ok(Ran::Lost)
        }
        Err(err) => {
            tx.rollback().await?;
            let given_up = job.attempts >= MAX_ATTEMPTS;
            let retry = clock.now() + crate::clock::backoff(job.attempts);
            let now = to_db(clock.now());
            // Its id, kind and error (a parse error can quote a value: kept in the row only).
            if given_up {
                tracing::error!(job = %job.id, kind = %job.kind, "a job failed too often: given up");
            } else {
                tracing::warn!(job = %job.id, kind = %job.kind, "a job failed: it will be retried");
            }
            store::mark_failed(
                &db.pool,
                &job.id,
                owner,
                &format!("{err:#}"),
                &to_db(retry),
                given_up.then_some(now.as_str()),
            )
            .await?;
            Ok(Ran::Failed {
                kind: job.kind,
                given_up,
            })
        }
    }
}

/// Deletes jobs done more than a week ago (their payloads were emptied when they were done),
/// and jobs given up more than a week ago, with what they carried: a week to look into one
/// (its id and error are logged) before the personal data in it goes.
pub async fn purge(db: &Db, clock: &Clock) -> sqlx::Result<u64> {
    store::purge(&db.pool, &to_db(clock.now() - Duration::days(7))).await
}

/// How many jobs are still to run.
pub async fn pending(db: &Db) -> sqlx::Result<i64> {
    store::pending(&db.pool).await
}
