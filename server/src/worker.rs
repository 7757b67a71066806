//! The background worker: delivers what the outbox has due until the server shuts down, and
//! runs the certificates' daily job once an hour (it changes only what is due, so running it
//! often, or on several servers, changes nothing twice).

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
            match app::certificates::service::run_daily(&state.db, &state.clock).await {
                Ok((inactive, expired)) if inactive + expired > 0 => {
                    tracing::info!(inactive, expired, "certificates' daily job")
                }
                Ok(_) => {}
                Err(err) => tracing::error!(error = %err, "certificates' daily job"),
            }
        }
        let idle = match deliver_due(&state.db, &state.clock, &transport, &worker, 20).await {
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
