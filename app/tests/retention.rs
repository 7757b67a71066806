#![cfg(feature = "ssr")]
//! Retention ("5+5 år"): a person's documents go ten years after their last certificate ends
//! (or after the upload, if later), not a day before, once, with an event each and their stored
//! files; decision letters and the documents of a person with an open case stay; the report
//! says beforehand what goes and when. On SQLite and PostgreSQL (and its S3 store).

use app::certificates::model::Status;
use app::certificates::service::{self as certs, Issue};
use app::events::service::Actor;
use app::people::model::PersonDetails;
use app::state::AppState;
use app::storage::Storage;
use app::testing::{count, databases};
use app::types::Pnr;
use chrono::{Duration, Months, NaiveDate};

async fn person(state: &AppState, pnr: &str, first: &str) -> String {
    let d = PersonDetails {
        first_name: first.into(),
        last_name: "Test".into(),
        communication: "digital".into(),
        ..Default::default()
    };
    let pnr = Pnr::parse(pnr, state.clock.today()).expect("pnr");
    let mut tx = state.db.begin().await.expect("begin");
    let id = app::people::service::insert(
        &mut tx,
        &state.clock,
        &Actor::system("test"),
        &pnr,
        &d,
        None,
    )
    .await
    .expect("person");
    tx.commit().await.expect("commit");
    id
}

/// A stored file and a document of the person pointing at it; its SHA-256.
async fn document(state: &AppState, person: &str, content: &str) -> String {
    use sha2::Digest;
    let sha256 = hex::encode(sha2::Sha256::digest(content.as_bytes()));
    state
        .storage
        .put_bytes(&Storage::key(&sha256), content.as_bytes().to_vec())
        .await
        .expect("stored");
    app::testing::stored_document(state, person, &sha256).await;
    sha256
}

struct World {
    /// A certificate valid ten days more: their documents count from its end.
    anna: String,
    /// No certificate: their documents count from the upload.
    bo: String,
    /// No certificate, but a case still open: their documents stay.
    cecilia: String,
    bo_file: String,
}

async fn world(s: &AppState) -> World {
    let anna = person(s, "199004129814", "Anna").await;
    let bo = person(s, "197802239827", "Bo").await;
    let cecilia = person(s, "199208159831", "Cecilia").await;
    let mut tx = s.db.begin().await.expect("begin");
    let scheme = certs::ensure_scheme(&mut tx, "fgas-1", "F-Gaser", "Kat I", 5)
        .await
        .expect("scheme");
    let valid = (s.clock.today() + Duration::days(10)).to_string();
    certs::issue(
        &mut tx,
        &s.clock,
        &Actor::system("test"),
        &Issue {
            number: "1",
            scheme_id: &scheme,
            person_id: &anna,
            status: Status::Active,
            issued_on: "2021-01-01",
            valid_until: &valid,
            extend_by: None,
        },
    )
    .await
    .expect("certificate");
    tx.commit().await.expect("commit");
    sqlx::query(
        "INSERT INTO cases (id, order_no, person_id, scheme_id, kind, status, created_at, updated_at)
         VALUES ('case-c', 'FX100002', $1, $2, 'new', 'waiting', '2026-01-01', '2026-01-01')",
    )
    .bind(&cecilia)
    .bind(&scheme)
    .execute(&s.db.pool)
    .await
    .expect("open case");
    document(s, &anna, "Annas intyg").await;
    let bo_file = document(s, &bo, "Bos intyg").await;
    document(s, &cecilia, "Cecilias intyg").await;
    // Bo's decision letter is the body's record: it stays.
    let letter = document(s, &bo, "Bos beslut").await;
    sqlx::query("UPDATE documents SET doc_type = 'decision' WHERE sha256 = $1")
        .bind(&letter)
        .execute(&s.db.pool)
        .await
        .expect("decision");
    World {
        anna,
        bo,
        cecilia,
        bo_file,
    }
}

async fn run_the_day(s: &AppState) -> usize {
    let mut tx = s.db.begin().await.expect("begin");
    let d = app::chores::daily(&mut tx, s).await.expect("daily");
    tx.commit().await.expect("commit");
    d.deleted
}

async fn documents_of(s: &AppState, person: &str) -> i64 {
    count(
        &s.db,
        &format!("SELECT COUNT(*) FROM documents WHERE person_id = '{person}'"),
    )
    .await
}

/// Moves the clock to `day` (Swedish date), give or take the hours of the day.
fn travel_to(s: &AppState, day: NaiveDate) {
    let days = (day - s.clock.today()).num_days();
    s.clock.advance(Duration::days(days));
    assert_eq!(s.clock.today(), day);
}

/// Moves the clock to the next 23:30 UTC: half past midnight in Sweden (half past one in summer) while
/// the UTC date is still the day before.
fn half_past_swedish_midnight(s: &AppState) {
    let now = s.clock.now();
    let mut at = now
        .date_naive()
        .and_hms_opt(23, 30, 0)
        .expect("time")
        .and_utc();
    if at < now {
        at += Duration::days(1);
    }
    s.clock.advance(at - now);
}

#[tokio::test]
async fn documents_go_ten_years_after_the_last_certificate_once() {
    for t in databases().await {
        let s = &t.state;
        // Uploaded after midnight in Sweden, they count from the Swedish day, not the UTC date a
        // day earlier.
        half_past_swedish_midnight(s);
        let w = world(s).await;
        let start = s.clock.today();
        let ten_years = Months::new(120);
        let bo_day = start.checked_add_months(ten_years).expect("day");
        let anna_day = (start + Duration::days(10))
            .checked_add_months(ten_years)
            .expect("day");
        assert!(
            app::cases::retention::report(&s.db, start, 1)
                .await
                .expect("report")
                .items
                .is_empty()
        );

        // A month before: the report says what goes, and when; nothing has gone.
        travel_to(s, bo_day - Duration::days(30));
        let report = app::cases::retention::report(&s.db, s.clock.today(), 1)
            .await
            .expect("report");
        let lines: Vec<(String, String)> = report
            .items
            .iter()
            .map(|e| (e.person_id.clone(), e.deletes_on.clone()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (w.bo.clone(), bo_day.to_string()),
                (w.anna.clone(), anna_day.to_string())
            ]
        );

        // The day before, the day, the day after.
        travel_to(s, bo_day - Duration::days(1));
        assert_eq!(run_the_day(s).await, 0);
        travel_to(s, bo_day);
        assert_eq!(run_the_day(s).await, 1);
        assert_eq!(run_the_day(s).await, 0, "the same day again");
        travel_to(s, bo_day + Duration::days(1));
        assert_eq!(run_the_day(s).await, 0);
        assert_eq!(documents_of(s, &w.bo).await, 1, "the decision letter stays");
        assert_eq!(documents_of(s, &w.anna).await, 1);
        assert_eq!(documents_of(s, &w.cecilia).await, 1);
        // Its file goes with the sweep of files no document points at.
        app::cases::service::sweep_stored(s, Duration::zero())
            .await
            .expect("sweep");
        assert!(
            !s.storage
                .exists(&Storage::key(&w.bo_file))
                .await
                .expect("exists")
        );
        let event = format!(
            "SELECT COUNT(*) FROM events WHERE subject_id = '{}' AND action = 'document.deleted'",
            w.bo
        );
        assert_eq!(count(&s.db, &event).await, 1);
        assert_eq!(
            app::cases::retention::last_deletion(&s.db, &w.bo)
                .await
                .expect("note"),
            Some(bo_day.to_string())
        );
        assert_eq!(
            app::cases::retention::last_deletion(&s.db, &w.anna)
                .await
                .expect("note"),
            None
        );

        // Anna's ten years count from her certificate's end.
        travel_to(s, anna_day - Duration::days(1));
        assert_eq!(run_the_day(s).await, 0);
        travel_to(s, anna_day);
        assert_eq!(run_the_day(s).await, 1);
        assert_eq!(documents_of(s, &w.anna).await, 0);
        // Cecilia's case is still open: hers stay, whatever the years.
        travel_to(s, anna_day + Duration::days(400));
        assert_eq!(run_the_day(s).await, 0);
        assert_eq!(documents_of(s, &w.cecilia).await, 1);
        // The events are the body's record: Bo's chain still holds, with its deletion.
        let chain =
            app::events::service::verify(&s.db, app::events::service::Subject::person(&w.bo))
                .await
                .expect("verify");
        assert!(chain.is_ok(), "{chain:?}");
    }
}
