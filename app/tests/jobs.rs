#![cfg(feature = "ssr")]
//! The job queue: a job exists only if its writer commits, runs once however many workers ask,
//! is taken over when its worker's lease ends, and is retried after a failure; and a bulk
//! notice of thousands goes through it. On SQLite and PostgreSQL.

use app::i18n::Locale;
use app::jobs::service::{self as jobs, LEASE, Ran};
use app::messages::model::{Line, Named, Notice};
use app::messages::service::{Recipient, TELL_NOW_MAX, tell_many};
use app::state::AppState;
use app::testing::{count, databases};

/// A table a test job writes to, so its effects can be counted.
async fn scratch(state: &AppState) {
    sqlx::query("CREATE TABLE scratch (job TEXT NOT NULL, worker TEXT NOT NULL)")
        .execute(&state.db.pool)
        .await
        .expect("scratch table");
}

/// Enqueues a job of kind `test` in a transaction of its own.
async fn enqueue(state: &AppState, payload: &str) {
    let mut tx = state.db.begin().await.expect("begin");
    jobs::enqueue(&mut tx, &state.clock, "test", &payload)
        .await
        .expect("enqueue");
    tx.commit().await.expect("commit");
}

/// Runs the next job as `worker`: it writes its payload and worker into `scratch`.
async fn run(state: &AppState, worker: &str) -> Ran {
    jobs::run_next(
        &state.db,
        &state.clock,
        worker,
        async |conn, kind, payload| {
            assert_eq!(kind, "test");
            let payload: String = serde_json::from_str(payload)?;
            sqlx::query("INSERT INTO scratch (job, worker) VALUES ($1, $2)")
                .bind(payload)
                .bind(worker)
                .execute(conn)
                .await?;
            Ok(())
        },
    )
    .await
    .expect("run")
}

#[tokio::test]
async fn a_job_exists_only_if_its_writer_commits_and_runs_once() {
    for t in databases().await {
        let s = &t.state;
        scratch(s).await;
        let mut tx = s.db.begin().await.expect("begin");
        jobs::enqueue(&mut tx, &s.clock, "test", &"rolled back")
            .await
            .expect("enqueue");
        tx.rollback().await.expect("rollback");
        assert_eq!(run(s, "a").await, Ran::Idle, "{:?}", t.backend());

        enqueue(s, "one").await;
        assert_eq!(jobs::pending(&s.db).await.expect("pending"), 1);
        assert_eq!(
            run(s, "a").await,
            Ran::Done {
                kind: "test".into()
            }
        );
        assert_eq!(run(s, "b").await, Ran::Idle);
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM scratch").await, 1);
        // Done, it keeps nothing of what it carried.
        assert_eq!(
            count(
                &s.db,
                "SELECT COUNT(*) FROM jobs WHERE payload = '' AND done_at IS NOT NULL"
            )
            .await,
            1
        );
        assert_eq!(jobs::pending(&s.db).await.expect("pending"), 0);
        // A week later it is deleted.
        s.clock.advance(chrono::Duration::days(8));
        assert_eq!(jobs::purge(&s.db, &s.clock).await.expect("purge"), 1);
    }
}

#[tokio::test]
async fn a_crashed_worker_s_job_is_taken_over_when_its_lease_ends() {
    for t in databases().await {
        let s = &t.state;
        scratch(s).await;
        enqueue(s, "crash").await;
        // Worker A claims the job and dies before it finishes.
        let now = s.clock.now();
        let claimed = app::jobs::store::claim(
            &s.db.pool,
            "a",
            &app::clock::to_db(now),
            &app::clock::to_db(now + LEASE),
        )
        .await
        .expect("claim");
        assert!(claimed.is_some());
        // Within A's lease nobody else takes it; after, B does, once.
        assert_eq!(run(s, "b").await, Ran::Idle, "{:?}", t.backend());
        s.clock.advance(LEASE + chrono::Duration::seconds(1));
        assert_eq!(
            run(s, "b").await,
            Ran::Done {
                kind: "test".into()
            }
        );
        assert_eq!(run(s, "c").await, Ran::Idle);
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM scratch WHERE worker = 'b'").await,
            1
        );
    }
}

#[tokio::test]
async fn a_worker_whose_lease_was_taken_over_undoes_its_work() {
    // Two servers at once: only PostgreSQL lets a second writer in while the first one's
    // transaction is open (SQLite serialises them, so there it cannot happen).
    let Some(t) = app::testing::postgres().await else {
        return;
    };
    let s = &t.state;
    scratch(s).await;
    enqueue(s, "slow").await;
    let ran = jobs::run_next(&s.db, &s.clock, "a", async |conn, _, _| {
        // A is slow: its lease ends and B takes the job over and finishes it meanwhile.
        s.clock.advance(LEASE + chrono::Duration::seconds(1));
        assert_eq!(
            run(s, "b").await,
            Ran::Done {
                kind: "test".into()
            }
        );
        sqlx::query("INSERT INTO scratch (job, worker) VALUES ('slow', 'a')")
            .execute(conn)
            .await?;
        Ok(())
    })
    .await
    .expect("run");
    assert_eq!(ran, Ran::Lost);
    assert_eq!(
        count(&s.db, "SELECT COUNT(*) FROM scratch WHERE worker = 'a'").await,
        0
    );
    assert_eq!(count(&s.db, "SELECT COUNT(*) FROM scratch").await, 1);
}

#[tokio::test]
async fn a_failed_job_is_retried_later_and_its_effects_are_undone() {
    for t in databases().await {
        let s = &t.state;
        scratch(s).await;
        enqueue(s, "flaky").await;
        let ran = jobs::run_next(&s.db, &s.clock, "a", async |conn, _, _| {
            sqlx::query("INSERT INTO scratch (job, worker) VALUES ('flaky', 'a')")
                .execute(conn)
                .await?;
            anyhow::bail!("the relay is down")
        })
        .await
        .expect("run");
        assert_eq!(
            ran,
            Ran::Failed {
                kind: "test".into(),
                given_up: false
            },
            "{:?}",
            t.backend()
        );
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM scratch").await, 0);
        assert_eq!(
            count(
                &s.db,
                "SELECT COUNT(*) FROM jobs WHERE last_error LIKE '%relay is down%'"
            )
            .await,
            1
        );
        // Not again at once; after the backoff, yes.
        assert_eq!(run(s, "a").await, Ran::Idle);
        s.clock.advance(chrono::Duration::seconds(31));
        assert_eq!(
            run(s, "a").await,
            Ran::Done {
                kind: "test".into()
            }
        );
        // Done, it keeps no error (which can quote what it carried).
        assert_eq!(
            count(
                &s.db,
                "SELECT COUNT(*) FROM jobs WHERE last_error IS NOT NULL"
            )
            .await,
            0
        );
    }
}

#[tokio::test]
async fn a_job_that_always_fails_is_given_up_and_deleted_with_what_it_carried() {
    for t in databases().await {
        let s = &t.state;
        enqueue(s, "personal data").await;
        let mut last = Ran::Idle;
        for _ in 0..jobs::MAX_ATTEMPTS {
            last = jobs::run_next(&s.db, &s.clock, "a", async |_, _, _| {
                anyhow::bail!("never works")
            })
            .await
            .expect("run");
            s.clock.advance(chrono::Duration::hours(3));
        }
        assert_eq!(
            last,
            Ran::Failed {
                kind: "test".into(),
                given_up: true
            },
            "{:?}",
            t.backend()
        );
        // Given up: never run again, not counted as waiting, deleted a week later.
        assert_eq!(run(s, "b").await, Ran::Idle);
        assert_eq!(jobs::pending(&s.db).await.expect("pending"), 0);
        s.clock.advance(chrono::Duration::days(8));
        assert_eq!(jobs::purge(&s.db, &s.clock).await.expect("purge"), 1);
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM jobs").await, 0);
    }
}

#[tokio::test]
async fn a_notice_to_many_is_written_by_a_job_once() {
    for t in databases().await {
        let s = &t.state;
        let people = TELL_NOW_MAX + 1;
        let items: Vec<(Recipient, Notice)> = (0..people)
            .map(|n| {
                let to = Recipient {
                    account_id: None,
                    email: format!("anstalld{n}@exempel.se"),
                    locale: if n % 2 == 0 { Locale::Sv } else { Locale::En },
                    analog: false,
                };
                let notice = Notice::CertificatesAttested {
                    company: "Kyl AB".into(),
                    lines: vec![Line {
                        number: format!("{n}"),
                        scheme: Named {
                            sv: "F-gas".into(),
                            en: "F-gas".into(),
                        },
                        date: Some("2027-12-01".into()),
                    }],
                };
                (to, notice)
            })
            .collect();
        let mut tx = s.db.begin().await.expect("begin");
        tell_many(&mut tx, s, &items).await.expect("tell");
        tx.commit().await.expect("commit");
        // The request wrote one job, no email yet.
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM outbox").await, 0);
        assert_eq!(jobs::pending(&s.db).await.expect("pending"), 1);
        assert_eq!(app::chores::run_jobs(s, "w").await.expect("jobs"), 1);
        assert_eq!(app::chores::run_jobs(s, "w").await.expect("jobs"), 0);
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM outbox").await,
            people as i64,
            "{:?}",
            t.backend()
        );
        // Each in their own language.
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM outbox WHERE locale = 'en'").await,
            (people / 2) as i64
        );
    }
}
