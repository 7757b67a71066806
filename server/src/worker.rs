//! The background worker: until the server shuts down, runs the due jobs (those requests left,
//! and scheduled ones) and delivers what the outbox has due; once an hour it writes the day's
//! run of the certificates' daily job (once, whichever server comes first), deletes ended
//! sessions and old security records, and signs an event-log checkpoint when the log grew.

use app::mail::service::deliver_due;
use app::mail::transport::Transport;
use app::state::AppState;
use std::time::Duration;
use tokio::sync::watch;

pub async fn run(
    state: AppState,
    transport: Transport,
    poll: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let worker = format!("worker-{}", uuid::Uuid::now_v7());
    tracing::info!(%worker, via = transport.via(), "email worker started");
    let mut daily_at: Option<std::time::Instant> = None;
    loop {
        if *shutdown.borrow() {
            break;
        }
        if daily_at.is_none_or(|at| at.elapsed() >= Duration::from_secs(3600)) {
            daily_at = Some(std::time::Instant::now());
            hourly(&state).await;
        }
        match app::chores::run_jobs(&state, &worker).await {
            Ok(0) => {}
            Ok(done) => tracing::info!(done, "jobs done"),
            Err(err) => tracing::error!(error = %err, "running jobs"),
        }
        let keys = &state.config.keys;
        let idle = match deliver_due(&state.db, &state.clock, keys, &transport, &worker, 20).await {
            Ok(sent) => {
                if sent > 0 {
                    tracing::info!(sent, "emails delivered");
                }
                sent == 0
            }
            Err(err) => {
                tracing::error!(error = %err, "email worker");
                true
            }
        };
        if idle {
            tokio::select! {
                _ = tokio::time::sleep(poll) => {}
                _ = shutdown.changed() => {}
            }
        }
    }
    tracing::info!(%worker, "email worker stopped");
}

/// The hourly chores. Each is safe to run on every server at once.
pub async fn hourly(state: &AppState) {
    let (db, clock) = (&state.db, &state.clock);
    // Written once a day whichever server comes first; run by the jobs loop, once.
    if let Err(err) = app::chores::schedule_daily(state).await {
        tracing::error!(error = %format_args!("{err:#}"), "scheduling the daily job");
    }
    if let Err(err) = app::jobs::service::purge(db, clock).await {
        tracing::error!(error = %err, "deleting done jobs");
    }
    if let Err(err) = app::auth::session::purge(db, clock).await {
        tracing::error!(error = %err, "deleting ended sessions");
    }
    if let Err(err) = app::auth::audit::purge(db, clock).await {
        tracing::error!(error = %err, "deleting old security events");
    }
    if let Err(err) = app::auth::throttle::purge(db, clock.now()).await {
        tracing::error!(error = %err, "deleting old rate-limit hits");
    }
    match app::cases::service::sweep_stored(state, chrono::Duration::hours(1)).await {
        Ok(0) => {}
        Ok(gone) => tracing::warn!(gone, "deleted stored files no document points at"),
        Err(err) => tracing::error!(error = %format_args!("{err:#}"), "sweeping stored files"),
    }
    let day = std::time::Duration::from_secs(24 * 3600);
    if let Err(err) = app::cases::service::sweep_incoming(&state.config.upload_dir, day) {
        tracing::error!(error = %err, "sweeping the upload folder");
    }
    if let Err(err) = app::events::service::checkpoint_if_due(db, clock, &state.config.keys).await {
        tracing::error!(error = %err, "signing the event log's checkpoint");
    }
}
