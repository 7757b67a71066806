//! The certportal server: configuration, wiring, the router, background workers and the CLI's
//! subcommands. `main.rs` only parses the command line.

pub mod config;
pub mod demo;
pub mod router;
pub mod worker;

use app::clock::Clock;
use app::db::Db;
use app::mail::transport::Transport;
use app::state::AppState;
use config::Settings;
use std::time::Duration;
use tokio::sync::watch;

pub fn init_tracing(format: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = if format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

pub async fn state(settings: &Settings) -> anyhow::Result<AppState> {
    let db = Db::connect(&settings.database_url, settings.db_max_connections).await?;
    Ok(AppState {
        db,
        clock: Clock::system(),
        config: settings.app_config(),
    })
}

/// Serves until SIGINT or SIGTERM, then lets requests in flight finish and the worker stop.
pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let state = state(&settings).await?;
    if settings.migrate_on_start {
        state.db.migrate().await?;
    }
    let (stop, stopped) = watch::channel(false);
    let worker = if settings.workers {
        let transport = Transport::new(state.config.smtp_url.as_deref(), &state.config.mail_from)?;
        let poll = Duration::from_secs(settings.worker_poll_secs.max(1));
        Some(tokio::spawn(worker::run(
            state.clone(),
            transport,
            poll,
            stopped,
        )))
    } else {
        None
    };

    let leptos = router::leptos_options(&settings.site_root, settings.addr);
    let app = router::router(state, leptos, settings.body_limit);
    let listener = tokio::net::TcpListener::bind(settings.addr).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;

    let _ = stop.send(true);
    if let Some(worker) = worker {
        let _ = worker.await;
    }
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
