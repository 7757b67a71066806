//! Bulk attestation: one company admin attests 1,000 employees' certificates in one request,
//! through the router as a browser's form post, on SQLite and (when
//! `CERTPORTAL_TEST_POSTGRES_URL` is set) PostgreSQL. Prints the time of each run and the best.
//! Run by `bench/attest-bulk.sh`.

use app::certificates::model::Status;
use app::certificates::service::{Issue, ensure_scheme, issue};
use app::events::service::Actor;
use app::state::AppState;
use axum::body::Body;
use std::time::Instant;
use tower::ServiceExt;

const CERTIFICATES: usize = 1000;
const RUNS: usize = 5;

/// A company with `CERTIFICATES` employees, each with one certificate; an admin's session cookie.
async fn world(state: &AppState) -> anyhow::Result<(String, Vec<String>, String)> {
    let actor = Actor::system("bench");
    let mut tx = state.db.begin().await?;
    let orgnr = app::types::Orgnr::parse("5560160680").map_err(|_| anyhow::anyhow!("orgnr"))?;
    let details = app::companies::model::CompanyDetails {
        name: "Bänk AB".into(),
        billing_method: "post".into(),
        ..Default::default()
    };
    let company =
        app::companies::service::insert(&mut tx, &state.clock, &actor, &orgnr, &details).await?;
    let scheme = ensure_scheme(
        &mut tx,
        "fgas-1",
        "F-Gaser",
        "Personcertifikat f-gas kat I",
        5,
    )
    .await?;
    let mut ids = Vec::with_capacity(CERTIFICATES);
    for n in 0..CERTIFICATES {
        let person = uuid::Uuid::now_v7().to_string();
        sqlx::query(
            "INSERT INTO people (id, pnr, first_name, last_name, email, search_text, created_at, updated_at)
             VALUES ($1, $2, 'Anställd', $3, $4, '', '2026-01-01', '2026-01-01')",
        )
        .bind(&person)
        .bind(format!("1990{n:08}"))
        .bind(format!("Nr {n}"))
        .bind(format!("anstalld{n}@exempel.se"))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO employments (id, company_id, person_id, position, start_date, created_at)
             VALUES ($1, $2, $3, 'Kyltekniker', '2020-01-01', '2026-01-01')",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(&company)
        .bind(&person)
        .execute(&mut *tx)
        .await?;
        let number = format!("{}", 100_000 + n);
        let status = if n % 3 == 0 {
            Status::Inactive
        } else {
            Status::Active
        };
        let c = Issue {
            number: &number,
            scheme_id: &scheme,
            person_id: &person,
            status,
            issued_on: "2024-01-01",
            valid_until: "2099-01-01",
            extend_by: Some("2026-12-01"),
        };
        ids.push(issue(&mut tx, &state.clock, &actor, &c).await?);
    }
    sqlx::query(
        "INSERT INTO accounts (id, username, email, display_name, created_at) VALUES ('bench-admin', 'bench', 'bench@exempel.se', 'Bänk Admin', '2026-01-01')",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO account_roles (account_id, role, scope, granted_at) VALUES ('bench-admin', 'company_admin', $1, '2026-01-01')")
        .bind(&company)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let token =
        app::auth::session::create(&state.db, &state.clock, "bench-admin", None, None).await?;
    Ok((
        company,
        ids,
        format!("{}={token}", app::auth::session::COOKIE),
    ))
}

async fn bench(name: &str, state: AppState) -> anyhow::Result<()> {
    let (company, ids, cookie) = world(&state).await?;
    let leptos = server::router::leptos_options("target/site", "127.0.0.1:3000".parse()?);
    let router = server::router::router(state.clone(), leptos, 4 * 1024 * 1024);
    let mut form = format!("company_id={company}");
    for (i, id) in ids.iter().enumerate() {
        form.push_str(&format!("&ids[{i}]={id}"));
    }
    let mut times = Vec::new();
    for run in 1..=RUNS {
        let request = http::Request::post("/api/certificates/attest")
            .header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(http::header::ACCEPT, "application/json")
            .header(http::header::COOKIE, &cookie)
            .body(Body::from(form.clone()))?;
        let started = Instant::now();
        let response = router.clone().oneshot(request).await?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let status = response.status();
        anyhow::ensure!(
            status.is_success() || status.is_redirection(),
            "{name}: {status}"
        );
        println!("{name:<10} run {run}: {CERTIFICATES} certificates attested in {ms:7.1} ms");
        times.push(ms);
    }
    let events: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE action = 'certificate.attested'")
            .fetch_one(&state.db.pool)
            .await?;
    anyhow::ensure!(
        events == (CERTIFICATES * RUNS) as i64,
        "{name}: {events} events"
    );
    times.sort_by(f64::total_cmp);
    println!(
        "{name:<10} best {:.1} ms, median {:.1} ms (goal: under 300 ms)",
        times[0],
        times[RUNS / 2]
    );
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
