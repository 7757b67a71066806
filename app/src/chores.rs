//! What the background worker runs: the jobs the requests left, each by its kind. Here, above
//! the domains, because a job's kind belongs to the domain that writes it and the queue
//! (`jobs`) knows none of them.

use crate::jobs::service::{self as jobs, Ran};
use crate::state::AppState;

/// The certificates' daily job: an extension date or a validity passed.
pub const DAILY_JOB: &str = "certificates.daily";

/// Writes today's run of the daily jobs unless a server did already: each server calls this
/// (hourly), and the day's job is written, and run, once.
pub async fn schedule_daily(state: &AppState) -> anyhow::Result<bool> {
    let clock = &state.clock;
    // Today in Sweden; due as soon as it is written (midnight UTC would be an hour or two
    // after Swedish midnight, and the day's run would wait for it).
    let today = clock.today();
    let at = clock.now();
    let mut tx = state.db.begin().await?;
    let id = format!("{DAILY_JOB}:{today}");
    let written = jobs::schedule(&mut tx, clock, &id, DAILY_JOB, &(), at).await?;
    tx.commit().await?;
    Ok(written)
}

/// What a day's run did.
#[derive(Debug, PartialEq, Eq)]
pub struct Daily {
    pub inactive: usize,
    pub expired: usize,
    pub reminded: usize,
    /// Documents deleted under the retention rule.
    pub deleted: usize,
}

/// The day's work inside the caller's transaction: certificates overdue become inactive, old
/// ones expired, the reminders whose day has come are sent, and the documents the retention rule
/// lets go are deleted. Run twice, it does nothing twice.
pub async fn daily(conn: &mut sqlx::AnyConnection, state: &AppState) -> anyhow::Result<Daily> {
    let (inactive, expired) = crate::certificates::service::run_daily_in(conn, state).await?;
    let reminded = crate::reminders::service::run_in(conn, state).await?
        + crate::training::service::remind_reviews(conn, state).await?;
    let deleted = crate::cases::retention::run_in(conn, state).await?;
    Ok(Daily {
        inactive,
        expired,
        reminded,
        deleted,
    })
}

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
            crate::cases::deciding::REMINDER_JOB => {
                crate::cases::deciding::run_reminder_job(conn, state, payload).await
            }
            crate::people::service::CHANGE_ANSWERED_JOB => {
                let answer: crate::people::service::ChangeAnswered = serde_json::from_str(payload)?;
                let (person, notice) = (&answer.person_id, &answer.notice);
                // An "Uppgiftsändring" of their latest case; without a case, on their own pages.
                if !crate::cases::messaging::change_answered(conn, state, person, notice).await? {
                    crate::messages::service::tell(conn, state, person, notice).await?;
                }
                Ok(())
            }
            DAILY_JOB => {
                let d = daily(conn, state).await?;
                if d.inactive + d.expired + d.reminded + d.deleted > 0 {
                    tracing::info!(
                        d.inactive,
                        d.expired,
                        d.reminded,
                        d.deleted,
                        "the daily job"
                    );
                }
                Ok(())
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
