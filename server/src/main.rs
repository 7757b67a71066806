/// mimalloc: page rendering allocates and frees many small strings, which glibc's allocator
/// serves slowly across threads (a third of a page's time in `bench/throughput.sh`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use server::config::Settings;

#[derive(Parser)]
#[command(name = "certportal", version, about = "The certportal server")]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (the default).
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Load the demo data (again: it changes nothing the second time) and print the demo logins.
    SeedDemo,
    /// Create a body administrator. The password is read from CERTPORTAL_ADMIN_PASSWORD or,
    /// when that is unset, from the first line of standard input.
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Check every event log's hash chain; exits non-zero at the first broken one.
    VerifyEvents,
    /// Run the daily job now: overdue certificates become inactive, old ones expired, and the
    /// reminders whose day has come are sent.
    Daily,
    /// Put a test email in the outbox.
    SendTestEmail {
        #[arg(long)]
        to: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = cli.settings;
    server::init_tracing(&settings.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::serve(settings).await,
        Command::Migrate => {
            server::state(&settings).await?.db.migrate().await?;
            println!("migrations applied");
            Ok(())
        }
        Command::SeedDemo => {
            let state = server::state(&settings).await?;
            state.db.migrate().await?;
            server::demo::seed(&state).await?;
            server::demo::print_accounts();
            Ok(())
        }
        Command::CreateAdmin {
            username,
            email,
            name,
        } => {
            let password = match std::env::var("CERTPORTAL_ADMIN_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let state = server::state(&settings).await?;
            state.db.migrate().await?;
            let new = app::accounts::service::NewAccount {
                username: &username,
                email: &email,
                display_name: &name,
                password: &password,
                roles: &["body_admin"],
            };
            if app::accounts::service::create_if_missing(&state.db, &state.clock, new).await? {
                println!("created body administrator {username}");
                Ok(())
            } else {
                anyhow::bail!("the username {username} is taken")
            }
        }
        Command::Daily => {
            let state = server::state(&settings).await?;
            let mut tx = state.db.begin().await?;
            let d = app::chores::daily(&mut tx, &state).await?;
            tx.commit().await?;
            // Notices to many people are written by a job: run it now too.
            app::chores::run_jobs(&state, "command").await?;
            println!(
                "{} certificates became inactive, {} expired; {} reminders sent; {} documents deleted under the retention rule",
                d.inactive, d.expired, d.reminded, d.deleted
            );
            Ok(())
        }
        Command::VerifyEvents => {
            let state = server::state(&settings).await?;
            let keys = &state.config.keys;
            match app::events::service::verify_all(&state.db, &state.clock, keys).await? {
                Ok((subjects, entries)) => {
                    let (gseq, link) =
                        app::events::service::checkpoint(&state.db, &state.clock, keys).await?;
                    println!("event log intact: {entries} entries for {subjects} subjects");
                    println!("checkpoint signed: entry {gseq}, link {link}");
                    Ok(())
                }
                Err(broken) => {
                    for b in &broken {
                        println!("broken: {b}");
                    }
                    anyhow::bail!("the event log is broken in {} places", broken.len())
                }
            }
        }
        Command::SendTestEmail { to } => {
            let state = server::state(&settings).await?;
            state.db.migrate().await?;
            let to = app::types::EmailAddr::parse(&to)
                .map_err(|_| anyhow::anyhow!("not a valid email address: {to}"))?;
            let mail =
                app::mail::templates::test_email(&state.config, to.as_str(), app::i18n::Locale::Sv);
            let id = app::mail::service::enqueue_alone(
                &state.db,
                &state.clock,
                &state.config.keys,
                &mail,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("queued {id}");
            Ok(())
        }
    }
}
