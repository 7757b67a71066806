//! The daily jobs over 1,000,000 certificates (250,000 people with four each: three schemes
//! extended by attestation, one by a yearly report), on SQLite and (when
//! `CERTPORTAL_TEST_POSTGRES_URL` is set) PostgreSQL: the day's job as the scheduler writes and
//! runs it (inactivation, expiry, every reminder, and the messages and emails they give), then
//! the same day's work again (it sends nothing), then the next day. Prints each time and count.
//! Run by `bench/daily-jobs.sh`.

use app::state::AppState;
use std::time::Instant;

const PEOPLE: i64 = 250_000;
const SCHEMES: [(&str, i64); 4] = [("fgas-1", 0), ("fgas-2", 0), ("fgas-3", 0), ("brand-1", 1)];

/// Rows `0..n` as `n` from a recursive query, which both databases run.
fn series(n: i64) -> String {
    format!("WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n + 1 < {n})")
}

/// The people and their certificates: "Förläng senast" spread over the year from yesterday,
/// "Giltigt till" over the five years from yesterday; one person in ten asked for letters.
async fn world(state: &AppState) -> anyhow::Result<()> {
    let mut tx = state.db.begin().await?;
    let mut schemes = Vec::new();
    for (code, report) in SCHEMES {
        let id = app::certificates::service::ensure_scheme(&mut tx, code, "Bänk", code, 5).await?;
        sqlx::query("UPDATE schemes SET yearly_report = $1 WHERE id = $2")
            .bind(report)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
        schemes.push(id);
    }
    tx.commit().await?;
    let yesterday = state.clock.today() - chrono::Duration::days(1);
    let mut tx = state.db.begin().await?;
    sqlx::query(&format!(
        "{} INSERT INTO people (id, pnr, first_name, last_name, email, communication, search_text,
             created_at, updated_at)
         SELECT 'p' || n, 'pnr' || n, 'Bänk', 'Nr ' || n, 'p' || n || '@exempel.se',
             CASE WHEN n % 10 = 0 THEN 'analog' ELSE 'digital' END, '', '2026-01-01', '2026-01-01'
         FROM s",
        series(PEOPLE)
    ))
    .execute(&mut *tx)
    .await?;
    for (i, scheme) in schemes.iter().enumerate() {
        // Dates as text, day numbers added to yesterday's in Rust: both databases read them.
        let dates: Vec<(String, String)> = (0..PEOPLE)
            .map(|n| {
                let extend = yesterday + chrono::Duration::days((n * 7 + i as i64) % 365);
                let valid = yesterday + chrono::Duration::days((n * 13 + i as i64) % 1826);
                (extend.to_string(), valid.to_string())
            })
            .collect();
        for (chunk_no, chunk) in dates.chunks(app::db::JSON_CHUNK * 10).enumerate() {
            let first = (chunk_no * app::db::JSON_CHUNK * 10) as i64;
            let json: Vec<serde_json::Value> = chunk
                .iter()
                .enumerate()
                .map(|(k, (e, v))| {
                    let n = first + k as i64;
                    serde_json::json!({ "n": n.to_string(), "e": e, "v": v })
                })
                .collect();
            let sql = format!(
                "INSERT INTO certificates (id, number, scheme_id, person_id, status, issued_on,
                     valid_until, extend_by, latest_decision, created_at, updated_at)
                 SELECT 'c{i}-' || (v.value ->> 'n'), '{i}-' || (v.value ->> 'n'), $1,
                     'p' || (v.value ->> 'n'), 'active', '2024-01-01', v.value ->> 'v',
                     v.value ->> 'e', '2024-01-01', '2026-01-01', '2026-01-01'
                 FROM {}",
                app::db::json_rows(&tx, 2)
            );
            sqlx::query(&sql)
                .bind(scheme)
                .bind(app::db::json_array(&json))
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    if state.db.backend == app::db::Backend::Postgres {
        sqlx::query("ANALYZE").execute(&state.db.pool).await?;
    }
    Ok(())
}

async fn counts(state: &AppState) -> anyhow::Result<(i64, i64, i64)> {
    let one = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(&state.db.pool)
            .await
    };
    Ok((
        one("SELECT COUNT(*) FROM reminders_sent").await?,
        one("SELECT COUNT(*) FROM outbox").await?,
        one("SELECT COUNT(*) FROM events WHERE action IN ('certificate.inactive', 'certificate.expired')")
            .await?,
    ))
}

/// The day's job, as the scheduler writes and runs it (with the notices' job it leaves).
async fn the_day(name: &str, state: &AppState, what: &str) -> anyhow::Result<()> {
    let before = counts(state).await?;
    let started = Instant::now();
    app::chores::schedule_daily(state).await?;
    let jobs = app::chores::run_jobs(state, "bench").await?;
    let s = started.elapsed().as_secs_f64();
    let after = counts(state).await?;
    println!(
        "{name:<10} {what}: {s:6.1} s, {jobs} jobs; {} reminders, {} emails, {} certificates inactive or expired (goal: under 60 s)",
        after.0 - before.0,
        after.1 - before.1,
        after.2 - before.2,
    );
    Ok(())
}

async fn bench(name: &str, state: AppState) -> anyhow::Result<()> {
    let started = Instant::now();
    world(&state).await?;
    println!(
        "{name:<10} 1,000,000 certificates written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    the_day(name, &state, "first day (a week of reminders caught up)").await?;
    // The same day's work again, as if the job ran twice: nothing is sent twice.
    let before = counts(&state).await?;
    let started = Instant::now();
    let mut tx = state.db.begin().await?;
    let again = app::chores::daily(&mut tx, &state).await?.reminded;
    tx.commit().await?;
    app::chores::run_jobs(&state, "bench").await?;
    let after = counts(&state).await?;
    println!(
        "{name:<10} the same day again: {:6.1} s, {again} reminders sent, {} emails",
        started.elapsed().as_secs_f64(),
        after.1 - before.1
    );
    anyhow::ensure!(
        again == 0 && after == before,
        "{name}: a second run sent something"
    );
    state.clock.advance(chrono::Duration::days(1));
    the_day(name, &state, "next day").await?;
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
