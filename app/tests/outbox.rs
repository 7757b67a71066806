//! The outbox against real databases: transactional enqueue, leased claims, retries.
#![cfg(feature = "ssr")]

use app::i18n::Locale;
use app::mail::model::MailStatus;
use app::mail::service::{self, MAX_ATTEMPTS};
use app::mail::store;
use app::mail::templates::test_email;
use app::mail::transport::Transport;
use app::testing::databases;
use chrono::Duration;
use std::collections::HashSet;

async fn count(db: &app::db::Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(&db.pool)
        .await
        .expect("count")
}

#[tokio::test]
async fn an_email_is_queued_only_if_its_transaction_commits() {
    for t in databases().await {
        let (db, clock) = (t.db(), &t.state.clock);
        let mail = test_email("anna@exempel.se", Locale::Sv);

        let mut tx = db.pool.begin().await.expect("begin");
        service::enqueue(&mut tx, clock, &mail)
            .await
            .expect("enqueue");
        tx.rollback().await.expect("rollback");
        assert_eq!(count(db).await, 0, "{:?}: rolled back", t.backend());

        let mut tx = db.pool.begin().await.expect("begin");
        let id = service::enqueue(&mut tx, clock, &mail)
            .await
            .expect("enqueue");
        tx.commit().await.expect("commit");
        let stored = service::get(db, &id).await.expect("stored");
        assert_eq!(stored.item.status, MailStatus::Pending);
        assert_eq!(stored.item.subject, mail.subject);
        assert_eq!(stored.body_html, mail.html);
    }
}

#[tokio::test]
async fn two_workers_never_claim_the_same_email() {
    for t in databases().await {
        let db = t.db();
        for i in 0..60 {
            service::enqueue_alone(
                db,
                &t.state.clock,
                &test_email(&format!("p{i}@exempel.se"), Locale::Sv),
            )
            .await
            .expect("enqueue");
        }
        let now = app::clock::to_db(t.state.clock.now() + Duration::seconds(1));
        let until = app::clock::to_db(t.state.clock.now() + Duration::minutes(2));
        let claim = |owner: &'static str| {
            let (pool, now, until) = (db.pool.clone(), now.clone(), until.clone());
            tokio::spawn(async move {
                let mut got = Vec::new();
                loop {
                    let batch = store::claim(&pool, owner, &now, &until, 7)
                        .await
                        .expect("claim");
                    if batch.is_empty() {
                        break got;
                    }
                    got.extend(batch.into_iter().map(|c| c.id));
                }
            })
        };
        let (a, b) = (claim("a"), claim("b"));
        let (a, b) = (a.await.expect("a"), b.await.expect("b"));
        let (sa, sb): (HashSet<_>, HashSet<_>) = (a.iter().collect(), b.iter().collect());
        assert!(
            sa.is_disjoint(&sb),
            "{:?}: an email was claimed twice",
            t.backend()
        );
        assert_eq!(
            a.len() + b.len(),
            60,
            "{:?}: every email claimed once",
            t.backend()
        );
    }
}

#[tokio::test]
async fn the_mailbox_transport_delivers_and_marks_sent_once() {
    for t in databases().await {
        let (db, clock) = (t.db(), &t.state.clock);
        let id = service::enqueue_alone(db, clock, &test_email("anna@exempel.se", Locale::En))
            .await
            .expect("enqueue");
        let sent = service::deliver_due(db, clock, &Transport::Mailbox, "w1", 10)
            .await
            .expect("deliver");
        assert_eq!(sent, 1);
        let again = service::deliver_due(db, clock, &Transport::Mailbox, "w2", 10)
            .await
            .expect("deliver");
        assert_eq!(
            again,
            0,
            "{:?}: a sent email is not sent again",
            t.backend()
        );
        let m = service::get(db, &id).await.expect("get");
        assert_eq!(m.item.status, MailStatus::Sent);
        assert_eq!(m.delivered_via.as_deref(), Some("mailbox"));
        assert_eq!(m.attempts, 1);
    }
}

#[tokio::test]
async fn failed_deliveries_back_off_and_finally_give_up() {
    // Nothing listens on port 9 of loopback: every attempt fails at once.
    let dead = Transport::new(
        Some("smtp://127.0.0.1:9"),
        "Certportal <noreply@certportal.test>",
    )
    .expect("transport");
    for t in databases().await {
        let (db, clock) = (t.db(), &t.state.clock);
        let id = service::enqueue_alone(db, clock, &test_email("anna@exempel.se", Locale::Sv))
            .await
            .expect("enqueue");

        assert_eq!(
            service::deliver_due(db, clock, &dead, "w", 10)
                .await
                .expect("attempt"),
            0
        );
        let m = service::get(db, &id).await.expect("get");
        assert_eq!((m.item.status, m.attempts), (MailStatus::Pending, 1));
        assert!(m.last_error.is_some());

        // Not due again until the backoff has passed.
        service::deliver_due(db, clock, &dead, "w", 10)
            .await
            .expect("attempt");
        assert_eq!(
            service::get(db, &id).await.expect("get").attempts,
            1,
            "{:?}: retried too early",
            t.backend()
        );

        for _ in 1..MAX_ATTEMPTS {
            clock.advance(Duration::hours(3));
            service::deliver_due(db, clock, &dead, "w", 10)
                .await
                .expect("attempt");
        }
        let m = service::get(db, &id).await.expect("get");
        assert_eq!(
            (m.item.status, m.attempts),
            (MailStatus::Failed, MAX_ATTEMPTS),
            "{:?}",
            t.backend()
        );
        clock.advance(Duration::hours(3));
        service::deliver_due(db, clock, &dead, "w", 10)
            .await
            .expect("attempt");
        assert_eq!(
            service::get(db, &id).await.expect("get").attempts,
            MAX_ATTEMPTS,
            "a failed email stays failed"
        );
    }
}

#[tokio::test]
async fn the_outbox_lists_newest_first_in_pages() {
    for t in databases().await {
        let (db, clock) = (t.db(), &t.state.clock);
        for i in 0..30 {
            service::enqueue_alone(
                db,
                clock,
                &test_email(&format!("p{i}@exempel.se"), Locale::Sv),
            )
            .await
            .expect("enqueue");
        }
        let first = service::list(db, 1).await.expect("page 1");
        assert_eq!(first.items.len(), 25);
        assert!(first.has_next);
        assert_eq!(first.items[0].to_address, "p29@exempel.se");
        let second = service::list(db, 2).await.expect("page 2");
        assert_eq!(second.items.len(), 5);
        assert!(!second.has_next);
        assert_eq!(
            service::get(db, "no-such-id").await,
            Err(app::error::AppError::NotFound)
        );
    }
}
