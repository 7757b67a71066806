//! The outbox against real databases: transactional enqueue, leased claims, retries.
#![cfg(feature = "ssr")]

use app::i18n::Locale;
use app::mail::model::MailStatus;
use app::mail::service::{self, MAX_ATTEMPTS};
use app::mail::store;
use app::mail::templates::test_email;
use app::mail::transport::Transport;
use app::testing::{count, databases};
use chrono::Duration;
use std::collections::HashSet;

#[tokio::test]
async fn an_email_is_queued_only_if_its_transaction_commits() {
    for t in databases().await {
        let (db, clock) = (t.db(), &t.state.clock);
        let mail = test_email(&t.state.config, "anna@exempel.se", Locale::Sv);

        let mut tx = db.begin().await.expect("begin");
        service::enqueue(&mut tx, clock, &t.state.config.keys, &mail)
            .await
            .expect("enqueue");
        tx.rollback().await.expect("rollback");
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM outbox").await,
            0,
            "{:?}: rolled back",
            t.backend()
        );

        let mut tx = db.begin().await.expect("begin");
        let id = service::enqueue(&mut tx, clock, &t.state.config.keys, &mail)
            .await
            .expect("enqueue");
        tx.commit().await.expect("commit");
        let stored = service::get(db, &t.state.config, &id)
            .await
            .expect("stored");
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
                &t.state.config.keys,
                &test_email(&t.state.config, &format!("p{i}@exempel.se"), Locale::Sv),
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
        let id = service::enqueue_alone(
            db,
            clock,
            &t.state.config.keys,
            &test_email(&t.state.config, "anna@exempel.se", Locale::En),
        )
        .await
        .expect("enqueue");
        let sent = service::deliver_due(
            db,
            clock,
            &t.state.config.keys,
            &Transport::Mailbox,
            "w1",
            10,
        )
        .await
        .expect("deliver");
        assert_eq!(sent, 1);
        let again = service::deliver_due(
            db,
            clock,
            &t.state.config.keys,
            &Transport::Mailbox,
            "w2",
            10,
        )
        .await
        .expect("deliver");
        assert_eq!(
            again,
            0,
            "{:?}: a sent email is not sent again",
            t.backend()
        );
        let m = service::get(db, &t.state.config, &id).await.expect("get");
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
        let id = service::enqueue_alone(
            db,
            clock,
            &t.state.config.keys,
            &test_email(&t.state.config, "anna@exempel.se", Locale::Sv),
        )
        .await
        .expect("enqueue");

        assert_eq!(
            service::deliver_due(db, clock, &t.state.config.keys, &dead, "w", 10)
                .await
                .expect("attempt"),
            0
        );
        let m = service::get(db, &t.state.config, &id).await.expect("get");
        assert_eq!((m.item.status, m.attempts), (MailStatus::Pending, 1));
        assert!(m.last_error.is_some());

        // Not due again until the backoff has passed.
        service::deliver_due(db, clock, &t.state.config.keys, &dead, "w", 10)
            .await
            .expect("attempt");
        assert_eq!(
            service::get(db, &t.state.config, &id)
                .await
                .expect("get")
                .attempts,
            1,
            "{:?}: retried too early",
            t.backend()
        );

        for _ in 1..MAX_ATTEMPTS {
            clock.advance(Duration::hours(3));
            service::deliver_due(db, clock, &t.state.config.keys, &dead, "w", 10)
                .await
                .expect("attempt");
        }
        let m = service::get(db, &t.state.config, &id).await.expect("get");
        assert_eq!(
            (m.item.status, m.attempts),
            (MailStatus::Failed, MAX_ATTEMPTS),
            "{:?}",
            t.backend()
        );
        clock.advance(Duration::hours(3));
        service::deliver_due(db, clock, &t.state.config.keys, &dead, "w", 10)
            .await
            .expect("attempt");
        assert_eq!(
            service::get(db, &t.state.config, &id)
                .await
                .expect("get")
                .attempts,
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
                &t.state.config.keys,
                &test_email(&t.state.config, &format!("p{i}@exempel.se"), Locale::Sv),
            )
            .await
            .expect("enqueue");
        }
        let first = service::list(db, &t.state.config, 1).await.expect("page 1");
        assert_eq!(first.list.items.len(), 25);
        assert!(first.list.has_next);
        assert_eq!(first.list.items[0].to_address, "p29@exempel.se");
        let second = service::list(db, &t.state.config, 2).await.expect("page 2");
        assert_eq!(second.list.items.len(), 5);
        assert!(!second.list.has_next);
        assert_eq!(
            service::get(db, &t.state.config, "no-such-id").await,
            Err(app::error::AppError::NotFound)
        );
    }
}

/// A reset link: the secret that made a handler body administrator through the mailbox.
fn secret_email(t: &app::testing::TestDb) -> app::mail::templates::Email {
    app::mail::templates::password_reset(
        &t.state.config,
        "admin@exempel.se",
        Locale::Sv,
        "admin",
        "http://127.0.0.1:3000/reset-password?token=hemlig-token-123",
    )
}

#[tokio::test]
async fn an_email_that_carries_a_secret_is_sealed_and_shown_only_in_development() {
    for t in databases().await {
        let (db, clock) = (t.db(), &t.state.clock);
        let id = service::enqueue_alone(db, clock, &t.state.config.keys, &secret_email(&t))
            .await
            .expect("enqueue");
        // At rest the link is sealed: a copy of the database shows no working link.
        let (text, html): (String, String) =
            sqlx::query_as("SELECT body_text, body_html FROM outbox WHERE id = $1")
                .bind(&id)
                .fetch_one(&db.pool)
                .await
                .expect("row");
        assert!(!text.contains("hemlig-token") && !html.contains("hemlig-token"));

        // The development mailbox (no relay, a loopback address) shows it whole.
        assert!(t.state.config.dev_mailbox());
        let dev = service::get(db, &t.state.config, &id).await.expect("get");
        assert!(dev.body_text.contains("hemlig-token-123") && !dev.withheld);

        // A real deployment shows staff who it went to and what about, never the link.
        let mut relay = (*t.state.config).clone();
        relay.smtp_url = Some("smtp://127.0.0.1:25".into());
        let real = service::get(db, &relay, &id).await.expect("get");
        assert!(real.withheld, "{:?}", t.backend());
        assert_eq!(real.body_text, "");
        assert_eq!(real.body_html, "");
        assert_eq!(real.item.to_address, "admin@exempel.se");
        let mut public = (*t.state.config).clone();
        public.base_url = "https://portal.example.se".into();
        assert!(service::get(db, &public, &id).await.expect("get").withheld);

        // An email no one could open (another server key) is given up, not sent garbled.
        let other = app::keys::Keys::random();
        let id2 = service::enqueue_alone(db, clock, &other, &secret_email(&t))
            .await
            .expect("enqueue");
        service::deliver_due(
            db,
            clock,
            &t.state.config.keys,
            &Transport::Mailbox,
            "w",
            10,
        )
        .await
        .expect("deliver");
        let m = service::get(db, &t.state.config, &id2).await.expect("get");
        assert_eq!(m.item.status, MailStatus::Failed);
    }
}

#[tokio::test]
async fn a_given_up_secret_email_is_wiped() {
    let dead = Transport::new(
        Some("smtp://127.0.0.1:9"),
        "Certportal <noreply@certportal.test>",
    )
    .expect("transport");
    for t in databases().await {
        let (db, clock) = (t.db(), &t.state.clock);
        let id = service::enqueue_alone(db, clock, &t.state.config.keys, &secret_email(&t))
            .await
            .expect("enqueue");
        for _ in 0..MAX_ATTEMPTS {
            service::deliver_due(db, clock, &t.state.config.keys, &dead, "w", 10)
                .await
                .expect("attempt");
            clock.advance(Duration::hours(3));
        }
        let (status, text): (String, String) =
            sqlx::query_as("SELECT status, body_text FROM outbox WHERE id = $1")
                .bind(&id)
                .fetch_one(&db.pool)
                .await
                .expect("row");
        assert_eq!(
            (status.as_str(), text.as_str()),
            ("failed", ""),
            "{:?}",
            t.backend()
        );
    }
}
