//! The handlers' queue with 100,000 cases: the page's server function through the router, as a
//! browser asks for it, with each filter, a scheme, an age and a deep page, on SQLite and (when
//! `CERTPORTAL_TEST_POSTGRES_URL` is set) PostgreSQL. Prints p50 and p99 of each. Run by
//! `bench/case-queue.sh`.

use app::state::AppState;
use axum::body::Body;
use std::time::Instant;
use tower::ServiceExt;

const CASES: usize = 100_000;
const SCHEMES: usize = 5;
/// Requests per query measured, after `WARMUP` not measured.
const RUNS: usize = 200;
const WARMUP: usize = 20;

/// The schemes, a handler and the handler's session.
async fn setup(state: &AppState) -> anyhow::Result<(Vec<String>, String)> {
    let mut tx = state.db.begin().await?;
    let mut schemes = Vec::new();
    for i in 0..SCHEMES {
        let id = app::certificates::service::ensure_scheme(
            &mut tx,
            &format!("bench-{i}"),
            "Bänk",
            &format!("Schema {i}"),
            5,
        )
        .await?;
        schemes.push(id);
    }
    sqlx::query(
        "INSERT INTO accounts (id, username, email, display_name, created_at, username_key, email_key)
         VALUES ('bench-handler', 'bench', 'bench@exempel.se', 'Bänk Handläggare', '2026-01-01', 'bench', 'bench@exempel.se')",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO account_roles (account_id, role, scope, granted_at)
         VALUES ('bench-handler', 'handler', '', '2026-01-01')",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let token =
        app::auth::session::create(&state.db, &state.clock, "bench-handler", None, None).await?;
    Ok((schemes, format!("{}={token}", app::auth::session::COOKIE)))
}

/// 100,000 people with a case each, over two years: 70 % decided, the rest spread over
/// waiting, in progress (a third of them the bench handler's), supplement requested and
/// answered, and not yet sent.
async fn fill(state: &AppState, schemes: &[String]) -> anyhow::Result<()> {
    let start = state.clock.now() - chrono::Duration::days(730);
    let mut tx = state.db.begin().await?;
    for chunk in (0..CASES).collect::<Vec<_>>().chunks(500) {
        let people = app::db::tuples(1, chunk.len(), 3);
        let sql = format!(
            "INSERT INTO people (id, pnr, last_name, first_name, search_text, created_at, updated_at)
             SELECT v.column1, v.column2, v.column3, 'Sökande', '', '2026-01-01', '2026-01-01'
             FROM (VALUES {people}) AS v"
        );
        let mut q = sqlx::query(&sql);
        for n in chunk {
            q = q
                .bind(format!("p{n}"))
                .bind(format!("bench-{n:08}"))
                .bind(format!("Nr {n}"));
        }
        q.execute(&mut *tx).await?;
        let cases = app::db::tuples(1, chunk.len(), 8);
        let sql = format!(
            "INSERT INTO cases (id, order_no, person_id, scheme_id, kind, status, handler_id,
                                ready_at, queued_at, created_at, updated_at)
             SELECT v.column1, v.column2, v.column3, v.column4, 'new', v.column5, v.column6,
                    v.column7, v.column8, v.column8, v.column8
             FROM (VALUES {cases}) AS v"
        );
        let mut q = sqlx::query(&sql);
        for &n in chunk {
            let at = app::clock::to_db(start + chrono::Duration::minutes((n * 10) as i64));
            let (status, handler, ready) = match n % 20 {
                0..=13 => ("decided", Some("bench-handler"), true),
                14 | 15 => ("waiting", None, true),
                16 => ("in_progress", (n % 3 == 0).then_some("bench-handler"), true),
                17 => ("supplement_requested", Some("bench-handler"), false),
                18 => ("supplement_answered", Some("bench-handler"), true),
                _ => ("waiting", None, false),
            };
            q = q
                .bind(format!("k{n}"))
                .bind(format!("FX{n:06}"))
                .bind(format!("p{n}"))
                .bind(schemes[n % schemes.len()].clone())
                .bind(status)
                .bind(handler)
                .bind(ready.then(|| at.clone()))
                .bind(at);
        }
        q.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    // Statistics and (PostgreSQL) the visibility map, as a database in service has them from
    // autovacuum: a count reads the index alone only where the map says the rows are visible.
    let analyze = match state.db.backend {
        app::db::Backend::Postgres => "VACUUM ANALYZE",
        app::db::Backend::Sqlite => "ANALYZE",
    };
    sqlx::query(analyze).execute(&state.db.pool).await?;
    Ok(())
}

async fn bench(name: &str, state: AppState) -> anyhow::Result<()> {
    let (schemes, cookie) = setup(&state).await?;
    let filled = Instant::now();
    fill(&state, &schemes).await?;
    println!(
        "{name:<10} {CASES} cases written in {:.1} s",
        filled.elapsed().as_secs_f64()
    );
    let leptos = server::router::leptos_options("target/site", "127.0.0.1:3000".parse()?);
    let router = server::router::router(state.clone(), leptos, 4 * 1024 * 1024);
    let scheme = &schemes[2];
    let queries = [
        (
            "waiting",
            "filter=waiting&scheme_id=&min_age=&page=1".to_owned(),
        ),
        ("mine", "filter=mine&scheme_id=&min_age=&page=1".to_owned()),
        (
            "answered",
            "filter=answered&scheme_id=&min_age=&page=1".to_owned(),
        ),
        (
            "with applicant",
            "filter=with_applicant&scheme_id=&min_age=&page=1".to_owned(),
        ),
        (
            "all open",
            "filter=open&scheme_id=&min_age=&page=1".to_owned(),
        ),
        (
            "decided",
            "filter=decided&scheme_id=&min_age=&page=1".to_owned(),
        ),
        (
            "open, scheme",
            format!("filter=open&scheme_id={scheme}&min_age=&page=1"),
        ),
        (
            "open, 90 days",
            "filter=open&scheme_id=&min_age=90&page=1".to_owned(),
        ),
        (
            "waiting, scheme, 30 days",
            format!("filter=waiting&scheme_id={scheme}&min_age=30&page=1"),
        ),
        (
            "open, page 40",
            "filter=open&scheme_id=&min_age=&page=40".to_owned(),
        ),
    ];
    let mut worst: f64 = 0.0;
    for (label, form) in queries {
        let mut times = Vec::with_capacity(RUNS);
        for i in 0..RUNS + WARMUP {
            let request = http::Request::post("/api/cases/queue")
                .header(
                    http::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .header(http::header::ACCEPT, "application/json")
                .header(http::header::COOKIE, &cookie)
                .body(Body::from(form.clone()))?;
            let started = Instant::now();
            let response = router.clone().oneshot(request).await?;
            let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            anyhow::ensure!(body.starts_with(b"{"), "{name} {label}: {body:?}");
            if i >= WARMUP {
                times.push(ms);
            }
        }
        times.sort_by(f64::total_cmp);
        let (p50, p99) = (times[RUNS / 2], times[RUNS * 99 / 100]);
        worst = worst.max(p99);
        println!("{name:<10} queue {label:<26} p50 {p50:6.1} ms  p99 {p99:6.1} ms");
    }
    println!("{name:<10} queue, worst p99 {worst:.1} ms (goal: under 50 ms)");
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let sqlite = app::testing::sqlite().await;
    bench("SQLite", sqlite.state.clone()).await?;
    match app::testing::postgres().await {
        Some(pg) => bench("PostgreSQL", pg.state.clone()).await?,
        None => println!("PostgreSQL skipped: CERTPORTAL_TEST_POSTGRES_URL is not set"),
    }
    Ok(())
}
