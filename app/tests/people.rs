#![cfg(feature = "ssr")]
//! People and their change requests, against SQLite and PostgreSQL.

use app::auth::model::CurrentUser;
use app::error::AppError;
use app::events::service::{Actor, Subject, verify};
use app::i18n::Locale;
use app::people::model::{ChangeStatus, PersonDetails};
use app::people::service as people;
use app::state::AppState;
use app::testing::{count, databases};

fn details(first: &str) -> PersonDetails {
    PersonDetails {
        first_name: first.into(),
        last_name: "Åström".into(),
        address: "Stumholmen".into(),
        postal_code: "37123".into(),
        city: "Karlskrona".into(),
        phone: "0455-123456".into(),
        email: format!("{}@exempel.se", first.to_lowercase()),
        communication: "digital".into(),
        ..PersonDetails::default()
    }
}

/// A holder account linked to a new person; returns the user and the person's id.
async fn holder(state: &AppState) -> (CurrentUser, String) {
    let staff = Actor::system("test");
    let person = people::create(state, &staff, "19850709-9805", &details("Anja"))
        .await
        .expect("person");
    let user = app::testing::holder_account(
        state,
        &person,
        "anja",
        "anja.konto@exempel.se",
        "Anja Åström",
    )
    .await;
    (user, person)
}

#[tokio::test]
async fn bad_people_are_refused_at_their_fields_and_change_nothing() {
    for t in databases().await {
        let s = &t.state;
        let actor = Actor::system("test");
        let field = |e: AppError, f: &str| e.field_text(f, Locale::Sv);

        let e = people::create(s, &actor, "19850709-9806", &details("Anja"))
            .await
            .expect_err("control digit");
        assert!(
            field(e, "pnr")
                .expect("pnr message")
                .contains("giltigt personnummer")
        );

        let mut long = details("Anja");
        long.city = "x".repeat(101);
        long.postal_code = "1234".into();
        long.email = "anja@".into();
        let e = people::create(s, &actor, "19850709-9805", &long)
            .await
            .expect_err("bad details");
        assert_eq!(
            field(e.clone(), "city").as_deref(),
            Some("Texten får vara högst 100 tecken")
        );
        assert!(field(e.clone(), "postal_code").is_some());
        assert!(field(e, "email").is_some());
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM people").await, 0);

        people::create(s, &actor, "850709-9805", &details("Anja"))
            .await
            .expect("first");
        let e = people::create(s, &actor, "19850709-9805", &details("Eva"))
            .await
            .expect_err("duplicate");
        // The refusal is a key, put into words in whichever language it is read.
        assert_eq!(
            e.field_message("pnr").map(|m| m.text),
            Some(app::i18n::Text::FieldPnrTaken),
            "{:?}",
            t.backend()
        );
        assert_eq!(
            e.field_text("pnr", Locale::En).as_deref(),
            Some("A person with that personal identity number exists already")
        );
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM people").await, 1);
    }
}

#[tokio::test]
async fn people_are_found_by_name_personnummer_and_email() {
    for t in databases().await {
        let s = &t.state;
        let actor = Actor::system("test");
        people::create(s, &actor, "19850709-9805", &details("Anja"))
            .await
            .expect("anja");
        people::create(s, &actor, "19900412-9814", &details("Erik"))
            .await
            .expect("erik");
        let names = |q: &'static str| async move {
            people::search(&s.db, q, 1)
                .await
                .expect("search")
                .items
                .into_iter()
                .map(|p| p.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names("åSTRÖM").await.len(),
            2,
            "case-insensitive beyond ASCII"
        );
        assert_eq!(names("erik åström").await, vec!["Erik Åström"]);
        assert_eq!(names("19850709-9805").await, vec!["Anja Åström"]);
        assert_eq!(names("erik@exempel").await, vec!["Erik Åström"]);
        assert!(names("100%").await.is_empty(), "LIKE wildcards are literal");
        assert_eq!(names("").await.len(), 2);
    }
}

#[tokio::test]
async fn a_change_waits_for_a_handler_who_approves_it_and_the_person_is_told() {
    for t in databases().await {
        let s = &t.state;
        let (user, person) = holder(s).await;
        let me = Actor {
            account_id: Some(user.account_id.clone()),
            label: "Anja".into(),
            ip: Some("192.0.2.1".into()),
        };
        let handler = Actor {
            account_id: None,
            label: "Håkan Jarnvall".into(),
            ip: None,
        };

        let same = people::draft_change(s, &user, &details("Anja")).await;
        assert!(
            same.expect_err("nothing changed")
                .field_message("first_name")
                .is_some()
        );

        let mut moved = details("Anja");
        moved.address = "Borgmästaregatan 5".into();
        moved.postal_code = "371 34".into();
        let draft = people::draft_change(s, &user, &moved).await.expect("draft");
        let view = people::address(s, &user, Some(&draft), 1)
            .await
            .expect("address")
            .expect("a person");
        assert_eq!(
            view.details.address, "Stumholmen",
            "a draft changes nothing"
        );
        assert_eq!(view.draft.expect("draft").proposed.postal_code, "371 34");
        assert!(view.pending.is_none());

        people::submit_change(s, &user, &me, &draft)
            .await
            .expect("submit");
        let e = people::submit_change(s, &user, &me, &draft).await;
        assert_eq!(e, Err(AppError::NotFound), "a draft is sent once");
        let pending = people::pending(&s.db).await.expect("pending");
        assert_eq!(pending.len(), 1);
        assert_eq!(
            pending[0].proposed.changed_from(&pending[0].previous),
            vec!["address", "postal_code"]
        );
        let view = people::address(s, &user, None, 1)
            .await
            .expect("address")
            .expect("a person");
        assert_eq!(view.details.address, "Stumholmen", "still waiting");
        assert!(view.pending.is_some());

        people::decide(s, &handler, &draft, true, "")
            .await
            .expect("approve");
        let e = people::decide(s, &handler, &draft, false, "sent").await;
        assert_eq!(e, Err(AppError::Conflict), "decided once");
        let view = people::address(s, &user, None, 1)
            .await
            .expect("address")
            .expect("a person");
        assert_eq!(view.details.address, "Borgmästaregatan 5");
        assert_eq!(view.details.postal_code, "371 34");
        assert_eq!(
            view.decided.expect("decided").status,
            ChangeStatus::Approved
        );
        assert!(people::pending(&s.db).await.expect("pending").is_empty());

        // The answer is written by the job queue (a person without a case reads it here).
        app::chores::run_jobs(s, "test").await.expect("jobs");
        let (messages, _) = app::messages::service::list(&s.db, &user.account_id, 1, 25)
            .await
            .expect("messages");
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0].words(Locale::Sv).0, "Din ändring är godkänd");
        // The person's own contact address ("Din adress") is where they are reached.
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM outbox WHERE to_address = 'anja@exempel.se' AND template = 'notice'").await,
            1,
            "emailed to the contact address"
        );
        // Read in English, the same message is in English.
        assert_eq!(
            messages[0].words(Locale::En).0,
            "Your change has been approved"
        );
        let actions: Vec<String> = app::events::service::list(&s.db, Subject::person(&person))
            .await
            .expect("events")
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(
            actions,
            vec![
                "person.created",
                "person.change_requested",
                "person.change_approved"
            ]
        );
        assert_eq!(
            verify(&s.db, Subject::person(&person))
                .await
                .expect("verify"),
            Ok(3)
        );
    }
}

#[tokio::test]
async fn a_rejection_needs_a_reason_which_the_person_reads() {
    for t in databases().await {
        let s = &t.state;
        let (user, _) = holder(s).await;
        let me = Actor::system("anja");
        let handler = Actor::system("handler");
        let mut renamed = details("Anja");
        renamed.last_name = "Lind".into();
        let draft = people::draft_change(s, &user, &renamed)
            .await
            .expect("draft");
        people::submit_change(s, &user, &me, &draft)
            .await
            .expect("submit");

        let e = people::decide(s, &handler, &draft, false, "  ")
            .await
            .expect_err("no reason");
        assert_eq!(
            e.field_text("reason", Locale::Sv).as_deref(),
            Some("Skriv en motivering till avslaget")
        );
        assert_eq!(people::pending(&s.db).await.expect("pending").len(), 1);

        people::decide(
            s,
            &handler,
            &draft,
            false,
            "Namnbyte kräver intyg från Skatteverket",
        )
        .await
        .expect("reject");
        let view = people::address(s, &user, None, 1)
            .await
            .expect("address")
            .expect("a person");
        assert_eq!(view.details.last_name, "Åström", "nothing changed");
        let decided = view.decided.expect("decided");
        assert_eq!(decided.status, ChangeStatus::Rejected);
        assert_eq!(
            decided.reason.as_deref(),
            Some("Namnbyte kräver intyg från Skatteverket")
        );
        // The answer is written by the job queue (a person without a case reads it here).
        app::chores::run_jobs(s, "test").await.expect("jobs");
        let (messages, _) = app::messages::service::list(&s.db, &user.account_id, 1, 25)
            .await
            .expect("messages");
        assert!(
            messages[0]
                .words(Locale::Sv)
                .1
                .contains("Namnbyte kräver intyg från Skatteverket")
        );
    }
}

#[tokio::test]
async fn a_new_change_replaces_one_still_waiting() {
    for t in databases().await {
        let s = &t.state;
        let (user, _) = holder(s).await;
        let me = Actor::system("anja");
        for city in ["Lund", "Malmö"] {
            let mut d = details("Anja");
            d.city = city.into();
            let draft = people::draft_change(s, &user, &d).await.expect("draft");
            people::submit_change(s, &user, &me, &draft)
                .await
                .expect("submit");
        }
        let pending = people::pending(&s.db).await.expect("pending");
        assert_eq!(pending.len(), 1);
        assert_eq!(pending[0].proposed.city, "Malmö");
    }
}

#[tokio::test]
async fn nobody_decides_their_own_change() {
    for t in databases().await {
        let s = &t.state;
        let (user, _) = holder(s).await;
        let me = Actor {
            account_id: Some(user.account_id.clone()),
            label: "Anja".into(),
            ip: None,
        };
        let mut moved = details("Anja");
        moved.city = "Lund".into();
        let draft = people::draft_change(s, &user, &moved).await.expect("draft");
        people::submit_change(s, &user, &me, &draft)
            .await
            .expect("submit");
        // Anja is also a handler: her own change still waits for another handler.
        let e = people::decide(s, &me, &draft, true, "").await;
        assert_eq!(e, Err(AppError::Forbidden), "{:?}", t.backend());
        assert_eq!(people::pending(&s.db).await.expect("pending").len(), 1);
        people::decide(s, &Actor::system("another handler"), &draft, true, "")
            .await
            .expect("another handler decides");
    }
}
