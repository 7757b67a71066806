//! The certportal server: configuration, wiring, the router, background workers and the CLI's
//! subcommands. `main.rs` only parses the command line.

pub mod config;
pub mod demo;
pub mod router;
pub mod uploads;
pub mod verify;
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
        config: std::sync::Arc::new(settings.app_config()?),
        bankid: None,
        words: &app::state::WORDS,
        storage: app::storage::Storage::from_url(&settings.storage_url)
            .map_err(|e| anyhow::anyhow!("CERTPORTAL_STORAGE_URL: {e:#}"))?,
    })
}

/// BankID as configured: the real service with the body's client certificate, or the built-in
/// simulator (kept running as long as the returned handle lives).
pub async fn bankid(
    settings: &Settings,
) -> anyhow::Result<(
    app::attestations::BankId,
    Option<bankid::simulator::Running>,
)> {
    use anyhow::Context;
    if settings.bankid == "simulator" {
        let sim = bankid::simulator::start(
            bankid::simulator::Settings::default(),
            "127.0.0.1:0".parse()?,
            settings.bankid_simulator_addr,
        )
        .await
        .context("starting the BankID simulator")?;
        tracing::info!(api = %sim.api_url, app = %sim.app_url, "BankID simulator (sign as any personnummer at the app page)");
        tracing::warn!("BankID is the simulator: its signatures are marked as test signatures");
        let client = bankid::client::Client::new(&sim.client_config())?;
        let app_url = sim.app_url.clone();
        let bankid = app::attestations::BankId {
            client,
            app_url,
            simulated: true,
        };
        return Ok((bankid, Some(sim)));
    }
    let read = |path: &Option<std::path::PathBuf>, what: &str| -> anyhow::Result<Vec<u8>> {
        let path = path
            .as_ref()
            .with_context(|| format!("CERTPORTAL_BANKID is set: {what} is needed too"))?;
        std::fs::read(path).with_context(|| format!("reading {}", path.display()))
    };
    let client = bankid::client::Client::new(&bankid::client::ClientConfig {
        base_url: settings.bankid.clone(),
        identity_pem: read(&settings.bankid_cert, "CERTPORTAL_BANKID_CERT")?,
        ca_pem: read(&settings.bankid_ca, "CERTPORTAL_BANKID_CA")?,
    })?;
    Ok((
        app::attestations::BankId {
            client,
            app_url: settings.bankid_app_url.clone(),
            simulated: false,
        },
        None,
    ))
}

/// Serves until SIGINT or SIGTERM, then lets requests in flight finish and the worker stop.
pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let mut state = state(&settings).await?;
    settings.check_deployment(&state.config)?;
    if state.config.dev_mailbox() {
        tracing::warn!(
            "no SMTP relay: every email goes to the built-in mailbox at /outbox, where staff read it whole (development only)"
        );
    }
    let (bankid, _simulator) = bankid(&settings).await?;
    state.bankid = Some(std::sync::Arc::new(bankid));
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
