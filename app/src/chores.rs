//! What the background worker runs: the jobs the requests left, each by its kind. Here, above
//! the domains, because a job's kind belongs to the domain that writes it and the queue
//! (`jobs`) knows none of them.

use crate::jobs::service::{self as jobs, Ran};
use crate::state::AppState;

/// Runs the oldest due job, if any, as `owner`; its effects commit with its mark, once.
pub async fn run_job(state: &AppState, owner: &str) -> anyhow::Result<Ran> {
    jobs::run_next(
        &state.db,
        &state.clock,
        owner,
        async |conn, kind, payload| match kind {
            crate::messages::service::TELL_JOB => {
                crate::messages::service::run_tell_job(conn, state, payload).await
            }
            other => anyhow::bail!("no such job kind: {other}"),
        },
    )
    .await
}

/// Runs due jobs until none is left; returns how many were done.
pub async fn run_jobs(state: &AppState, owner: &str) -> anyhow::Result<usize> {
    let mut done = 0;
    loop {
        match run_job(state, owner).await? {
            Ran::Idle => return Ok(done),
            Ran::Done { .. } => done += 1,
            Ran::Lost => {}
            // Logged by the queue, with the job's id; the rest waits for the next round.
            Ran::Failed { .. } => return Ok(done),
        }
    }
}
