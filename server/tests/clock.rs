//! The test clock: `POST /test/clock` exists only on a server started with it (and such a
//! server refuses any address but a loopback one: `config.rs`), moves the time and runs the
//! day's job.

mod common;

use app::testing::databases;
use common::{router, send};
use http::{Request, StatusCode};

fn move_by(days: &str) -> Request<axum::body::Body> {
    Request::post("/test/clock")
        .header(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(http::header::ORIGIN, "http://127.0.0.1:3000")
        .body(axum::body::Body::from(format!("days={days}")))
        .expect("request")
}

#[tokio::test]
async fn the_clock_moves_only_on_a_server_started_with_it() {
    for t in databases().await {
        let before = t.state.clock.today();
        let (res, _) = send(&router(t.state.clone()), move_by("45")).await;
        // No such route: a POST there finds nothing to answer it.
        assert!(
            [StatusCode::NOT_FOUND, StatusCode::METHOD_NOT_ALLOWED].contains(&res.status()),
            "{:?}: {}",
            t.backend(),
            res.status()
        );
        assert_eq!(t.state.clock.today(), before);

        let mut config = (*t.state.config).clone();
        config.test_clock = true;
        let state = app::state::AppState {
            config: std::sync::Arc::new(config),
            ..t.state.clone()
        };
        let app = router(state.clone());
        for bad in ["-1", "3651", "soon"] {
            let (res, _) = send(&app, move_by(bad)).await;
            assert!(res.status().is_client_error(), "{bad}: {}", res.status());
        }
        assert_eq!(t.state.clock.today(), before);
        let (res, body) = send(&app, move_by("45")).await;
        assert_eq!(res.status(), StatusCode::OK, "{body}");
        let today = before + chrono::Duration::days(45);
        assert_eq!(t.state.clock.today(), today);
        assert!(body.contains(&today.to_string()), "{body}");
        // The day's job ran, as the scheduler would run it that day.
        let day_job: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE id = $1 AND done_at IS NOT NULL")
                .bind(format!("{}:{today}", app::chores::DAILY_JOB))
                .fetch_one(&t.state.db.pool)
                .await
                .expect("job");
        assert_eq!(day_job, 1);
    }
}
