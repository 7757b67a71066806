//! Configuration from the environment. Every variable has a default that makes `make run` work
//! with no configuration; the README lists them all.

use clap::Args;
use std::net::SocketAddr;

#[derive(Args, Clone, Debug)]
pub struct Settings {
    /// `sqlite://path/to/file.db` or `postgres://user:password@host/db`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/certportal.db"
    )]
    pub database_url: String,

    /// Connections in the pool of each server.
    #[arg(long, env = "CERTPORTAL_DB_MAX_CONNECTIONS", default_value_t = 10)]
    pub db_max_connections: u32,

    /// The address the server listens on.
    #[arg(long, env = "CERTPORTAL_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// The address users reach the portal at; links in emails use it. `https://` turns on HSTS
    /// and Secure cookies.
    #[arg(
        long,
        env = "CERTPORTAL_BASE_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    pub base_url: String,

    /// The built site (`target/site` from cargo-leptos): the WASM, JS, CSS and public files.
    #[arg(long, env = "CERTPORTAL_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,

    /// An SMTP relay, e.g. `smtp://127.0.0.1:2525` or `smtps://user:password@smtp.example.com`.
    /// Unset, emails go to the built-in mailbox at /outbox.
    #[arg(long, env = "CERTPORTAL_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// The sender of every email.
    #[arg(
        long,
        env = "CERTPORTAL_MAIL_FROM",
        default_value = "Certportal <noreply@certportal.localhost>"
    )]
    pub mail_from: String,

    /// Whether this server runs the email worker. Any number of servers may; leases keep each
    /// email to one of them.
    #[arg(long, env = "CERTPORTAL_WORKERS", default_value_t = true, action = clap::ArgAction::Set)]
    pub workers: bool,

    /// Seconds the email worker waits when the outbox has nothing due.
    #[arg(long, env = "CERTPORTAL_WORKER_POLL_SECS", default_value_t = 2)]
    pub worker_poll_secs: u64,

    /// The largest request body accepted, in bytes.
    #[arg(long, env = "CERTPORTAL_BODY_LIMIT", default_value_t = 25 * 1024 * 1024)]
    pub body_limit: usize,

    /// Whether `serve` applies pending migrations at start.
    #[arg(long, env = "CERTPORTAL_MIGRATE_ON_START", default_value_t = true, action = clap::ArgAction::Set)]
    pub migrate_on_start: bool,

    /// `simulator` (the default): a BankID simulator runs inside the server, its API over mutual
    /// TLS on a free port and its tester page at `CERTPORTAL_BANKID_SIMULATOR_ADDR`. Otherwise
    /// BankID's address: `https://appapi2.bankid.com` (production) or
    /// `https://appapi2.test.bankid.com` (BankID's test service).
    #[arg(long, env = "CERTPORTAL_BANKID", default_value = "simulator")]
    pub bankid: String,

    /// The relying party's certificate and private key, PEM, for BankID's mutual TLS.
    #[arg(long, env = "CERTPORTAL_BANKID_CERT")]
    pub bankid_cert: Option<std::path::PathBuf>,

    /// The CA that issued BankID's server certificate, PEM.
    #[arg(long, env = "CERTPORTAL_BANKID_CA")]
    pub bankid_ca: Option<std::path::PathBuf>,

    /// Where the "open BankID on this device" link goes.
    #[arg(
        long,
        env = "CERTPORTAL_BANKID_APP_URL",
        default_value = "https://app.bankid.com/"
    )]
    pub bankid_app_url: String,

    /// The simulator's tester page ("the BankID app").
    #[arg(
        long,
        env = "CERTPORTAL_BANKID_SIMULATOR_ADDR",
        default_value = "127.0.0.1:3002"
    )]
    pub bankid_simulator_addr: SocketAddr,

    /// Run the BankID simulator (which signs for anyone) although users reach the portal at a
    /// public address: only ever for a demonstration. The value must be
    /// `accept-fake-signatures`.
    #[arg(long, env = "CERTPORTAL_BANKID_SIMULATOR_ON_PUBLIC_ADDRESS")]
    pub bankid_simulator_on_public_address: Option<String>,

    /// `move-time-for-tests`: `POST /test/clock` (form `days`) moves the portal's time forward
    /// and runs the day's job, for browser tests of reminders and deadlines. Only on a loopback
    /// address: a server at any other address refuses to start with it.
    #[arg(long, env = "CERTPORTAL_TEST_CLOCK")]
    pub test_clock: Option<String>,

    /// The load balancers and proxies in front of the servers (addresses or CIDRs, separated by
    /// commas): only their `X-Forwarded-For` is believed.
    #[arg(long, env = "CERTPORTAL_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: String,

    /// The server's key in hex (64 digits): seals secrets at rest and signs the event log's
    /// checkpoints. Every server of a deployment needs the same. Unset: read from
    /// `CERTPORTAL_KEY_FILE`, made there on first start.
    #[arg(long, env = "CERTPORTAL_KEY", hide_env_values = true)]
    pub key: Option<String>,

    /// Where the server's key is kept when `CERTPORTAL_KEY` is unset.
    #[arg(
        long,
        env = "CERTPORTAL_KEY_FILE",
        default_value = "data/certportal.key"
    )]
    pub key_file: std::path::PathBuf,

    /// The certification body's name, as emails and the attester's page sign.
    #[arg(long, env = "CERTPORTAL_BODY_NAME", default_value = "Certportal")]
    pub body_name: String,

    /// How to reach the body with questions (an email address, a phone number).
    #[arg(
        long,
        env = "CERTPORTAL_BODY_CONTACT",
        default_value = "kundtjanst@certportal.localhost"
    )]
    pub body_contact: String,

    /// Where documents' files are kept: a folder (the default), `file:///folder`, or an
    /// S3-compatible bucket `s3://bucket` (endpoint, region and keys from `AWS_ENDPOINT`,
    /// `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`; `AWS_ALLOW_HTTP=true` without
    /// TLS). Every server of a deployment needs the same.
    #[arg(long, env = "CERTPORTAL_STORAGE_URL", default_value = "data/documents")]
    pub storage_url: String,

    /// The largest file one may send, in megabytes.
    #[arg(long, env = "CERTPORTAL_UPLOAD_MAX_MB", default_value_t = 25)]
    pub upload_max_mb: u64,

    /// Where a file waits while it arrives and is checked (a local folder of each server).
    #[arg(long, env = "CERTPORTAL_UPLOAD_DIR", default_value = "data/incoming")]
    pub upload_dir: std::path::PathBuf,

    /// Days after a supplement request without an answer before its one reminder goes out.
    #[arg(
        long,
        env = "CERTPORTAL_SUPPLEMENT_REMINDER_DAYS",
        default_value_t = 14
    )]
    pub supplement_reminder_days: u32,

    /// Views of the public verification pages and API per client address and minute, on each
    /// server (0: no limit). PDF checks are limited to 10 a minute.
    #[arg(long, env = "CERTPORTAL_PUBLIC_PER_MINUTE", default_value_t = 120)]
    pub public_per_minute: u32,

    /// Seconds the start page, a certificate's public page and API answer are kept for anyone
    /// without a session, on each server (0: not at all). A suspension or revocation shows to the public
    /// within this time, to staff at once.
    #[arg(long, env = "CERTPORTAL_PUBLIC_CACHE_SECONDS", default_value_t = 5)]
    pub public_cache_seconds: u32,

    /// The body's LinkedIn organization id: "Lägg till på LinkedIn" names it as the issuer
    /// (without it, by name).
    #[arg(long, env = "CERTPORTAL_LINKEDIN_ORGANIZATION_ID")]
    pub linkedin_organization_id: Option<String>,

    /// The folder of the key that signs the certificates' PDFs: `key.pem` (ECDSA P-256, PKCS#8)
    /// and `chain.pem` (its certificate first, then the issuers'). Made there, with a CA of its
    /// own, on first start when empty. Every server of a deployment needs the same.
    #[arg(long, env = "CERTPORTAL_SIGNING_DIR", default_value = "data/signing")]
    pub signing_dir: std::path::PathBuf,

    /// A time-stamp authority (RFC 3161 over HTTP, e.g. `https://tsa.example/tsr`): each
    /// signed PDF then carries its timestamp (PAdES B-T). Without it, B-B.
    #[arg(long, env = "CERTPORTAL_TSA_URL")]
    pub tsa_url: Option<String>,

    /// `pretty` for people, `json` for log collectors.
    #[arg(long, env = "CERTPORTAL_LOG_FORMAT", default_value = "pretty")]
    pub log_format: String,
}

impl Settings {
    pub fn app_config(&self) -> anyhow::Result<app::config::Config> {
        use anyhow::Context;
        Ok(app::config::Config {
            base_url: self.base_url.trim_end_matches('/').to_owned(),
            smtp_url: self.smtp_url.clone().filter(|u| !u.trim().is_empty()),
            mail_from: self.mail_from.clone(),
            keys: app::keys::Keys::load(self.key.as_deref(), &self.key_file)
                .context("the server key")?,
            trusted_proxies: app::config::parse_proxies(&self.trusted_proxies)
                .map_err(|e| anyhow::anyhow!("CERTPORTAL_TRUSTED_PROXIES: {e}"))?,
            body_name: self.body_name.clone(),
            body_contact: self.body_contact.clone(),
            upload_max: self.upload_max_mb.max(1) << 20,
            upload_dir: {
                std::fs::create_dir_all(&self.upload_dir).with_context(|| {
                    format!("CERTPORTAL_UPLOAD_DIR {}", self.upload_dir.display())
                })?;
                self.upload_dir.clone()
            },
            supplement_reminder_days: self.supplement_reminder_days.max(1),
            public_per_minute: self.public_per_minute,
            public_cache_seconds: self.public_cache_seconds,
            linkedin_organization_id: self
                .linkedin_organization_id
                .clone()
                .filter(|id| !id.trim().is_empty()),
            seal: std::sync::Arc::new({
                let seal = app::signing::Seal::load_or_create(&self.signing_dir, &self.body_name)
                    .with_context(|| {
                    format!("CERTPORTAL_SIGNING_DIR {}", self.signing_dir.display())
                })?;
                match self.tsa_url.as_deref().map(str::trim) {
                    None | Some("") => seal,
                    Some(url) => {
                        anyhow::ensure!(
                            url.starts_with("https://") || url.starts_with("http://"),
                            "CERTPORTAL_TSA_URL {url:?}: an http(s) address"
                        );
                        seal.with_tsa(url).context("CERTPORTAL_TSA_URL")?
                    }
                }
            }),
            test_clock: match self.test_clock.as_deref() {
                None | Some("") => false,
                Some("move-time-for-tests") => true,
                Some(other) => anyhow::bail!(
                    "CERTPORTAL_TEST_CLOCK is {other:?}: unset it, or set move-time-for-tests"
                ),
            },
        })
    }

    /// What a deployment must not do: show every email (links included) to staff on a public
    /// address, or let the BankID simulator sign for anyone there.
    pub fn check_deployment(&self, config: &app::config::Config) -> anyhow::Result<()> {
        // Only this machine reaches the server: its users' address and the one it listens on.
        let local = config.base_is_loopback() && self.addr.ip().is_loopback();
        if config.smtp_url.is_none() && !local {
            anyhow::bail!(
                "CERTPORTAL_SMTP_URL is not set, but CERTPORTAL_BASE_URL ({}) or CERTPORTAL_ADDR \
                 ({}) is not a loopback address: the built-in mailbox, which shows staff every \
                 email with its links, is for development on this machine only. Configure an \
                 SMTP relay.",
                config.base_url,
                self.addr
            );
        }
        if config.test_clock && !local {
            anyhow::bail!(
                "CERTPORTAL_TEST_CLOCK lets anyone move the portal's time, for browser tests on \
                 this machine only, but CERTPORTAL_BASE_URL ({}) or CERTPORTAL_ADDR ({}) is not \
                 a loopback address. Unset it.",
                config.base_url,
                self.addr
            );
        }
        let simulator_local = local && self.bankid_simulator_addr.ip().is_loopback();
        if self.bankid == "simulator"
            && !simulator_local
            && self.bankid_simulator_on_public_address.as_deref() != Some("accept-fake-signatures")
        {
            anyhow::bail!(
                "CERTPORTAL_BANKID is the simulator, which signs for anyone, but \
                 CERTPORTAL_BASE_URL ({}), CERTPORTAL_ADDR ({}) or \
                 CERTPORTAL_BANKID_SIMULATOR_ADDR ({}) is not a loopback address. Configure \
                 BankID (CERTPORTAL_BANKID, _CERT, _CA), or for a demonstration set \
                 CERTPORTAL_BANKID_SIMULATOR_ON_PUBLIC_ADDRESS=accept-fake-signatures.",
                config.base_url,
                self.addr,
                self.bankid_simulator_addr
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Settings;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        settings: Settings,
    }

    fn settings(args: &[&str]) -> Settings {
        let mut all = vec![
            "certportal",
            "--key",
            "0101010101010101010101010101010101010101010101010101010101010101",
        ];
        all.extend_from_slice(args);
        Cli::parse_from(all).settings
    }

    fn check(args: &[&str]) -> Result<(), String> {
        let s = settings(args);
        let config = s.app_config().map_err(|e| e.to_string())?;
        s.check_deployment(&config).map_err(|e| e.to_string())
    }

    #[test]
    fn the_simulator_and_the_open_mailbox_stay_on_this_machine() {
        // `make run`: no relay, the simulator, a loopback address.
        assert_eq!(check(&[]), Ok(()));
        let public = "--base-url=https://portal.example.se";
        let relay = "--smtp-url=smtp://relay.example.se:25";
        let bankid = "--bankid=https://appapi2.bankid.com";
        let e = check(&[public, bankid]).expect_err("no relay on a public address");
        assert!(e.contains("CERTPORTAL_SMTP_URL"), "{e}");
        let e = check(&[public, relay]).expect_err("the simulator on a public address");
        assert!(e.contains("simulator"), "{e}");
        assert_eq!(
            check(&[
                public,
                relay,
                "--bankid-simulator-on-public-address=accept-fake-signatures"
            ]),
            Ok(())
        );
        assert!(check(&[public, relay, "--bankid-simulator-on-public-address=yes"]).is_err());
        assert_eq!(check(&[public, relay, bankid]), Ok(()));
        assert!(check(&["--trusted-proxies=10.0.0.0/8,not-an-address"]).is_err());
        // Listening on every interface is as public as a public base URL.
        let open = "--addr=0.0.0.0:3000";
        let e = check(&[open, bankid]).expect_err("the mailbox on every interface");
        assert!(e.contains("CERTPORTAL_ADDR"), "{e}");
        let e = check(&[open, relay]).expect_err("the simulator on every interface");
        assert!(e.contains("simulator"), "{e}");
        let e = check(&[relay, "--bankid-simulator-addr=0.0.0.0:3001"]).expect_err("simulator");
        assert!(e.contains("CERTPORTAL_BANKID_SIMULATOR_ADDR"), "{e}");
        // The test clock: on this machine only, and only by its exact value.
        let clock = "--test-clock=move-time-for-tests";
        assert_eq!(check(&[clock]), Ok(()));
        let e = check(&[public, relay, bankid, clock]).expect_err("the test clock in production");
        assert!(e.contains("CERTPORTAL_TEST_CLOCK"), "{e}");
        assert!(check(&["--test-clock=yes"]).is_err());
    }
}
