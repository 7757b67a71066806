//! Bulk attestation: one company admin attests 1,000 and then 10,000 employees' certificates in
//! one request, through the router as a browser's form post, on SQLite and (when
//! `CERTPORTAL_TEST_POSTGRES_URL` is set) PostgreSQL. A certificate is attested once per
//! period, so every run attests certificates of its own, due and never attested. Prints the time
//! of each run and the best. Run by `bench/attest-bulk.sh`.

/// The allocator the server runs with (`server/src/main.rs`): the figures are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use app::state::AppState;
use axum::body::Body;
use std::time::Instant;
use tower::ServiceExt;

/// How many certificates one request attests, and how many runs of each.
const SIZES: [(usize, usize); 2] = [(1_000, 5), (10_000, 3)];

/// The company, its admin (a person, as every company admin is) and the admin's session.
async fn company(state: &AppState) -> anyhow::Result<(String, String)> {
    let actor = app::events::service::Actor::system("bench");
    let mut tx = state.db.begin().await?;
    let orgnr = app::types::Orgnr::parse("5560160680").map_err(|_| anyhow::anyhow!("orgnr"))?;
    let details = app::companies::model::CompanyDetails {
        name: "Bänk AB".into(),
        billing_method: "post".into(),
        ..Default::default()
    };
    let company =
        app::companies::service::insert(&mut tx, &state.clock, &actor, &orgnr, &details).await?;
    app::certificates::service::ensure_scheme(
        &mut tx,
        "fgas-1",
        "F-Gaser",
        "Personcertifikat f-gas kat I",
        5,
    )
    .await?;
    sqlx::query(
        "INSERT INTO accounts (id, username, email, display_name, created_at, username_key, email_key)
         VALUES ('bench-admin', 'bench', 'bench@exempel.se', 'Bänk Admin', '2026-01-01', 'bench', 'bench@exempel.se')",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO people (id, pnr, first_name, last_name, search_text, account_id, created_at, updated_at)
         VALUES ('bench-person', '197802239827', 'Bänk', 'Admin', '', 'bench-admin', '2026-01-01', '2026-01-01')",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO account_roles (account_id, role, scope, granted_at)
         VALUES ('bench-admin', 'company_admin', $1, '2026-01-01')",
    )
    .bind(&company)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let token =
        app::auth::session::create(&state.db, &state.clock, "bench-admin", None, None).await?;
    Ok((company, format!("{}={token}", app::auth::session::COOKIE)))
}

/// `count` new employees of the company, each with a certificate due in a month (a third of
/// them inactive); returns the certificates' ids. Written in bulk: only the attestation is
/// measured.
async fn due_certificates(
    state: &AppState,
    company: &str,
    run: &str,
    count: usize,
) -> anyhow::Result<Vec<String>> {
    let scheme: String = sqlx::query_scalar("SELECT id FROM schemes WHERE code = 'fgas-1'")
        .fetch_one(&state.db.pool)
        .await?;
    let extend_by = (state.clock.today() + chrono::Duration::days(30))
        .format("%Y-%m-%d")
        .to_string();
    let mut tx = state.db.begin().await?;
    let mut ids = Vec::with_capacity(count);
    for chunk in (0..count).collect::<Vec<_>>().chunks(500) {
        let people = app::db::tuples(1, chunk.len(), 4);
        let sql = format!(
            "INSERT INTO people (id, pnr, last_name, email, first_name, search_text, created_at, updated_at)
             SELECT v.column1, v.column2, v.column3, v.column4, 'Anställd', '', '2026-01-01', '2026-01-01'
             FROM (VALUES {people}) AS v"
        );
        let mut q = sqlx::query(&sql);
        for n in chunk {
            q = q
                .bind(format!("{run}-p{n}"))
                .bind(format!("{run}-{n:08}"))
                .bind(format!("Nr {n}"))
                .bind(format!("anstalld{n}@exempel.se"));
        }
        q.execute(&mut *tx).await?;
        let employments = app::db::tuples(2, chunk.len(), 2);
        let sql = format!(
            "INSERT INTO employments (id, company_id, person_id, position, start_date, created_at)
             SELECT v.column1, $1, v.column2, 'Kyltekniker', '2020-01-01', '2026-01-01'
             FROM (VALUES {employments}) AS v"
        );
        let mut q = sqlx::query(&sql).bind(company);
        for n in chunk {
            q = q.bind(format!("{run}-e{n}")).bind(format!("{run}-p{n}"));
        }
        q.execute(&mut *tx).await?;
        let certificates = app::db::tuples(3, chunk.len(), 4);
        let sql = format!(
            "INSERT INTO certificates (id, number, person_id, status, scheme_id, extend_by, issued_on,
                 valid_until, latest_decision, created_at, updated_at)
             SELECT v.column1, v.column2, v.column3, v.column4, $1, $2, '2024-01-01', '2099-01-01',
                 '2024-01-01', '2026-01-01', '2026-01-01'
             FROM (VALUES {certificates}) AS v"
        );
        let mut q = sqlx::query(&sql).bind(&scheme).bind(&extend_by);
        for n in chunk {
            let id = format!("{run}-c{n}");
            q = q
                .bind(id.clone())
                .bind(format!("{run}-{n}"))
                .bind(format!("{run}-p{n}"))
                .bind(if n % 3 == 0 { "inactive" } else { "active" });
            ids.push(id);
        }
        q.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(ids)
}

async fn bench(name: &str, state: AppState) -> anyhow::Result<()> {
    let (company, cookie) = company(&state).await?;
    let leptos = server::router::leptos_options("target/site", "127.0.0.1:3000".parse()?);
    let router = server::router::router(state.clone(), leptos, 4 * 1024 * 1024);
    for (size, runs) in SIZES {
        let mut times = Vec::new();
        for run in 1..=runs {
            let ids = due_certificates(&state, &company, &format!("s{size}r{run}"), size).await?;
            let mut form = format!("company_id={company}");
            for (i, id) in ids.iter().enumerate() {
                form.push_str(&format!("&ids[{i}]={id}"));
            }
            let request = http::Request::post("/api/certificates/attest")
                .header(
                    http::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .header(http::header::ACCEPT, "application/json")
                .header(http::header::COOKIE, &cookie)
                .body(Body::from(form))?;
            // Statistics, as a database in service has them (autovacuum would, a while later).
            if state.db.backend == app::db::Backend::Postgres {
                sqlx::query("ANALYZE").execute(&state.db.pool).await?;
            }
            let started = Instant::now();
            let response = router.clone().oneshot(request).await?;
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            let status = response.status();
            anyhow::ensure!(
                status.is_success() || status.is_redirection(),
                "{name}: {status}"
            );
            println!("{name:<10} {size:>6} certificates, run {run}: attested in {ms:7.1} ms");
            times.push(ms);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{name:<10} {size:>6} certificates: best {:.1} ms, median {:.1} ms (goal for 10,000: under 300 ms)",
            times[0],
            times[times.len() / 2]
        );
    }
    let expected: usize = SIZES.iter().map(|(size, runs)| size * runs).sum();
    let events: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE action = 'certificate.attested'")
            .fetch_one(&state.db.pool)
            .await?;
    anyhow::ensure!(events == expected as i64, "{name}: {events} events");
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if std::env::var("BENCH_TRACE").is_ok() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_env("BENCH_TRACE"))
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .init();
    }
    let sqlite = app::testing::sqlite().await;
    bench("SQLite", sqlite.state.clone()).await?;
    match app::testing::postgres().await {
        Some(pg) => bench("PostgreSQL", pg.state.clone()).await?,
        None => println!("PostgreSQL skipped: CERTPORTAL_TEST_POSTGRES_URL is not set"),
    }
    Ok(())
}
