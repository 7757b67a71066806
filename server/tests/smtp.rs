//! The email worker talks to a real SMTP server and the message arrives whole.

mod common;

use app::i18n::Locale;
use app::mail::model::MailStatus;
use app::mail::service;
use app::mail::templates::test_email;
use app::mail::transport::Transport;
use app::testing::databases;
use common::SmtpServer;

#[tokio::test]
async fn the_worker_delivers_over_smtp_in_both_languages() {
    let smtp = SmtpServer::start();
    let transport = Transport::new(Some(&smtp.url()), "Certportal <noreply@certportal.test>")
        .expect("transport");
    for t in databases().await {
        let (db, clock) = (t.db(), &t.state.clock);
        let before = smtp.messages().len();
        let keys = &t.state.config.keys;
        let sv = service::enqueue_alone(
            db,
            clock,
            keys,
            &test_email(&t.state.config, "anna.svensson@exempel.se", Locale::Sv),
        )
        .await
        .expect("sv");
        let en = service::enqueue_alone(
            db,
            clock,
            keys,
            &test_email(&t.state.config, "john.smith@example.com", Locale::En),
        )
        .await
        .expect("en");
        assert_eq!(
            service::deliver_due(db, clock, keys, &transport, "w", 10)
                .await
                .expect("deliver"),
            2
        );

        let messages = smtp.messages();
        assert_eq!(messages.len(), before + 2, "{:?}", t.backend());
        // Each backend's round sends its own pair; the Message-ID tells them apart.
        let by_id = |id: &str| {
            let header = format!("Message-ID: <{id}@certportal.test>");
            messages
                .iter()
                .find(|m| m.contains(&header))
                .cloned()
                .unwrap_or_else(|| panic!("{header}"))
        };
        let to_anna = by_id(&sv);
        assert!(to_anna.contains("To: anna.svensson@exempel.se"));
        assert!(to_anna.contains("From: Certportal <noreply@certportal.test>"));
        assert!(to_anna.contains("multipart/alternative"));
        assert!(to_anna.contains("text/html"));
        assert!(
            to_anna.contains("Subject: =?utf-8?") || to_anna.contains("Subject: Testmeddelande")
        );
        let to_john = by_id(&en);
        assert!(to_john.contains("To: john.smith@example.com"));
        assert!(to_john.contains("Subject: Test email from Certportal"));
        assert!(to_john.contains("If you can read it, email from the portal works."));

        for id in [sv, en] {
            let m = service::get(db, &t.state.config, &id).await.expect("get");
            assert_eq!(
                (m.item.status, m.delivered_via.as_deref()),
                (MailStatus::Sent, Some("smtp"))
            );
        }
    }
}

#[tokio::test]
async fn a_link_reaches_its_recipient_and_then_leaves_the_outbox() {
    let smtp = SmtpServer::start();
    let transport = Transport::new(Some(&smtp.url()), "Certportal <noreply@certportal.test>")
        .expect("transport");
    for t in databases().await {
        let (db, clock) = (t.db(), &t.state.clock);
        let keys = &t.state.config.keys;
        let mail = app::mail::templates::password_reset(
            &t.state.config,
            "admin@exempel.se",
            Locale::Sv,
            "admin",
            "http://127.0.0.1:3000/reset-password?token=hemlig-token-456",
        );
        let id = service::enqueue_alone(db, clock, keys, &mail)
            .await
            .expect("enqueue");
        service::deliver_due(db, clock, keys, &transport, "w", 10)
            .await
            .expect("deliver");
        // The recipient has the working link...
        assert!(
            smtp.messages()
                .iter()
                .any(|m| m.contains(&format!("<{id}@certportal.test>"))
                    && m.contains("hemlig-token-456")),
            "{:?}",
            t.backend()
        );
        // ... and the outbox keeps only who, what about and when.
        let (status, text, html, subject): (String, String, String, String) = sqlx::query_as(
            "SELECT status, body_text, body_html, subject FROM outbox WHERE id = $1",
        )
        .bind(&id)
        .fetch_one(&db.pool)
        .await
        .expect("row");
        assert_eq!(
            (status.as_str(), text.as_str(), html.as_str()),
            ("sent", "", "")
        );
        assert_eq!(subject, mail.subject);
    }
}

#[tokio::test]
async fn a_reminder_arrives_with_its_calendar_file() {
    use app::mail::templates::{Deadline, notice};
    let smtp = SmtpServer::start();
    let transport = Transport::new(Some(&smtp.url()), "Certportal <noreply@certportal.test>")
        .expect("transport");
    for t in databases().await {
        let (db, clock, config) = (t.db(), &t.state.clock, &t.state.config);
        let email = notice(
            config,
            "erik@exempel.se",
            Locale::Sv,
            "Förnyelsepåminnelse: Kat I",
            "Certifikatet gäller till 2027-08-31.",
            None,
        )
        .with_deadline(
            config,
            &Deadline {
                key: "renewal:c1:2027-08-31",
                sequence: 9_800,
                date: chrono::NaiveDate::from_ymd_opt(2027, 8, 31).expect("date"),
                summary: "Förnyelsepåminnelse: Kat I",
                description: "Certifikatet gäller till 2027-08-31.",
            },
        );
        let id = service::enqueue_alone(db, clock, &config.keys, &email)
            .await
            .expect("enqueue");
        service::deliver_due(db, clock, &config.keys, &transport, "w", 10)
            .await
            .expect("deliver");
        let header = format!("Message-ID: <{id}@certportal.test>");
        let message = smtp
            .messages()
            .into_iter()
            .find(|m| m.contains(&header))
            .unwrap_or_else(|| panic!("{header}"));
        assert!(message.contains("multipart/mixed"), "{message}");
        assert!(message.contains("multipart/alternative"));
        assert!(message.contains("Content-Type: text/calendar"), "{message}");
        assert!(message.contains("filename=\"sista-dag.ics\""), "{message}");
        // Quoted-printable: soft line breaks and encoded equals signs read back.
        let decoded = message
            .replace("=\r\n", "")
            .replace("=\n", "")
            .replace("=3D", "=");
        assert!(decoded.contains("BEGIN:VCALENDAR"), "{message}");
        assert!(decoded.contains("DTSTART;VALUE=DATE:20270831"), "{message}");
        assert!(decoded.contains("DTEND;VALUE=DATE:20270901"), "{message}");
        assert!(decoded.contains("SEQUENCE:9800"), "{message}");
        assert!(
            !decoded.contains("UID:renewal"),
            "no id of ours in the uid: {message}"
        );
    }
}
