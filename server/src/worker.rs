//! The email worker: delivers what the outbox has due until the server shuts down.

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
    loop {
        if *shutdown.borrow() {
            break;
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
