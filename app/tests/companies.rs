#![cfg(feature = "ssr")]
//! Companies: registration, details, employees, against SQLite and PostgreSQL.

use app::companies::model::CompanyDetails;
use app::companies::service::{self as companies, NewEmployee};
use app::error::AppError;
use app::events::service::Actor;
use app::i18n::Locale;
use app::testing::{count, databases};

fn details(name: &str) -> CompanyDetails {
    CompanyDetails {
        name: name.into(),
        postal_code: "37123".into(),
        billing_method: "post".into(),
        ..CompanyDetails::default()
    }
}

fn employee<'a>(pnr: &'a str, first: &'a str, start: &'a str) -> NewEmployee<'a> {
    NewEmployee {
        pnr,
        first_name: first,
        last_name: if first.is_empty() { "" } else { "Holm" },
        position: "Kyltekniker",
        start_date: start,
    }
}

/// Staff add employees that hold at once; a company admin's wait for the person.
const STAFF: bool = true;

#[tokio::test]
async fn companies_are_registered_once_with_valid_details() {
    for t in databases().await {
        let s = &t.state;
        let actor = Actor::system("test");
        let e = companies::create(s, &actor, "556016-0681", &details("Test AB"))
            .await
            .expect_err("control digit");
        assert!(e.field_message("orgnr").is_some());

        let mut bad = details(&"x".repeat(201));
        bad.billing_method = "email".into();
        let e = companies::create(s, &actor, "556016-0680", &bad)
            .await
            .expect_err("bad details");
        assert_eq!(
            e.field_text("name", Locale::Sv).as_deref(),
            Some("Texten får vara högst 200 tecken")
        );
        assert!(
            e.field_message("billing_email").is_some(),
            "billing by email needs an address"
        );
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM companies").await, 0);

        let id = companies::create(s, &actor, "5560160680", &details("Test AB"))
            .await
            .expect("create");
        let e = companies::create(s, &actor, "556016-0680", &details("Kopia AB"))
            .await
            .expect_err("duplicate");
        assert_eq!(
            e.field_text("orgnr", Locale::Sv).as_deref(),
            Some("Det finns redan ett företag med det organisationsnumret"),
            "{:?}",
            t.backend()
        );
        let view = companies::view(s, &id, true, Default::default())
            .await
            .expect("view");
        assert_eq!(view.orgnr, "556016-0680");
        assert_eq!(view.details.postal_code, "371 23");

        let mut changed = view.details.clone();
        changed.invoice_reference = "Anja".into();
        companies::update(s, &actor, &id, &changed)
            .await
            .expect("update");
        let view = companies::view(s, &id, false, Default::default())
            .await
            .expect("view");
        assert_eq!(view.details.invoice_reference, "Anja");
        assert!(view.notes.is_none(), "notes are for staff only");
        assert_eq!(view.events.items.len(), 2, "created and updated");
    }
}

#[tokio::test]
async fn employees_are_added_by_personnummer_and_ended_with_a_date() {
    for t in databases().await {
        let s = &t.state;
        let actor = Actor::system("admin");
        let id = companies::create(s, &actor, "5560160680", &details("Test AB"))
            .await
            .expect("create");

        let e = companies::add_employee(
            s,
            &actor,
            &id,
            &employee("19900412-9814", "", "2026-01-01"),
            STAFF,
        )
        .await
        .expect_err("names are needed, whoever the person is");
        assert!(e.field_message("first_name").is_some());
        assert!(e.field_message("last_name").is_some());
        let e = companies::add_employee(s, &actor, &id, &employee("1990", "Erik", "1 jan"), STAFF)
            .await
            .expect_err("bad input");
        assert!(e.field_message("pnr").is_some());
        assert!(e.field_message("start_date").is_some());
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM people").await, 0);

        companies::add_employee(
            s,
            &actor,
            &id,
            &employee("199004129814", "Erik", "2026-01-01"),
            STAFF,
        )
        .await
        .expect("add");
        let e = companies::add_employee(
            s,
            &actor,
            &id,
            &employee("900412-9814", "Erik", "2026-02-01"),
            STAFF,
        )
        .await
        .expect_err("employed already");
        assert_eq!(
            e.field_text("pnr", Locale::Sv).as_deref(),
            Some("Personen är redan anställd på företaget")
        );
        let view = companies::view(s, &id, true, Default::default())
            .await
            .expect("view");
        assert_eq!(view.employees.items.len(), 1);
        let employment = view.employees.items[0].clone();
        assert_eq!(employment.person_name, "Erik Holm");
        assert_eq!(employment.pnr, "19900412-9814");

        let e = companies::end_employment(s, &actor, &id, &employment.id, "2025-12-31")
            .await
            .expect_err("before start");
        assert!(e.field_message("end_date").is_some());
        let e =
            companies::end_employment(s, &actor, "another-company", &employment.id, "2026-12-31")
                .await;
        assert_eq!(e, Err(AppError::NotFound), "only through its own company");
        companies::end_employment(s, &actor, &id, &employment.id, "2026-06-30")
            .await
            .expect("end");
        let view = companies::view(s, &id, true, Default::default())
            .await
            .expect("view");
        assert_eq!(
            view.employees.items[0].end_date.as_deref(),
            Some("2026-06-30")
        );
        // The company's log says whose employment ended.
        let reader = app::events::service::Reader {
            staff: false,
            owner: false,
        };
        let log = app::events::service::views(
            s,
            app::events::service::Subject::company(&id),
            reader,
            1,
            &[],
        )
        .await
        .expect("log");
        let ended = log
            .items
            .iter()
            .find(|e| e.action.sv == "Anställning avslutad")
            .expect("the end in the company's log");
        assert_eq!(
            ended.details.sv,
            format!("{}, slutdatum 2026-06-30.", employment.person_name)
        );
    }
}

#[tokio::test]
async fn notes_are_logged_without_their_text_and_hidden_from_the_company() {
    for t in databases().await {
        let s = &t.state;
        let actor = Actor::system("handler");
        let id = companies::create(s, &actor, "5560160680", &details("Test AB"))
            .await
            .expect("create");
        let e = companies::add_note(s, &actor, &id, " ").await;
        assert!(e.expect_err("empty").field_message("body").is_some());
        companies::add_note(s, &actor, &id, "Ringde om fakturan")
            .await
            .expect("note");
        let staff = companies::view(s, &id, true, Default::default())
            .await
            .expect("view");
        assert_eq!(
            staff.notes.expect("notes").items[0].body,
            "Ringde om fakturan"
        );
        assert_eq!(staff.events.items.len(), 2);
        let company = companies::view(s, &id, false, Default::default())
            .await
            .expect("view");
        assert_eq!(
            company.events.items.len(),
            1,
            "the company does not see that a note exists"
        );
    }
}

#[tokio::test]
async fn a_former_employee_s_personnummer_is_masked_for_the_company() {
    for t in databases().await {
        let s = &t.state;
        let actor = Actor::system("admin");
        let id = companies::create(s, &actor, "5560160680", &details("Test AB"))
            .await
            .expect("create");
        companies::add_employee(
            s,
            &actor,
            &id,
            &employee("199004129814", "Erik", "2020-01-01"),
            STAFF,
        )
        .await
        .expect("add");
        let staff = companies::view(s, &id, true, Default::default())
            .await
            .expect("view");
        let e = staff.employees.items[0].id.clone();
        companies::end_employment(s, &actor, &id, &e, "2021-12-31")
            .await
            .expect("end");
        let company = companies::view(s, &id, false, Default::default())
            .await
            .expect("view");
        assert_eq!(company.employees.items[0].pnr, "19900412-****");
        let staff = companies::view(s, &id, true, Default::default())
            .await
            .expect("view");
        assert_eq!(staff.employees.items[0].pnr, "19900412-9814");
        // The company's event log shows no personnummer whole either, nor any address.
        assert!(
            company
                .events
                .items
                .iter()
                .all(|e| !e.details.sv.contains("9814") && e.ip.is_none())
        );
    }
}

#[tokio::test]
async fn long_lists_come_a_page_at_a_time() {
    for t in databases().await {
        let s = &t.state;
        let actor = Actor::system("handler");
        let id = companies::create(s, &actor, "5560160680", &details("Test AB"))
            .await
            .expect("create");
        for i in 0..55 {
            companies::add_note(s, &actor, &id, &format!("Anteckning {i}"))
                .await
                .expect("note");
        }
        let first = companies::view(s, &id, true, Default::default())
            .await
            .expect("view");
        let notes = first.notes.expect("notes");
        assert_eq!((notes.items.len(), notes.has_next), (50, true));
        assert_eq!(notes.items[0].body, "Anteckning 54", "newest first");
        assert_eq!(
            (first.events.items.len(), first.events.has_next),
            (50, true)
        );
        let pages = companies::Pages {
            employees: 1,
            events: 2,
            notes: 2,
        };
        let second = companies::view(s, &id, true, pages).await.expect("view");
        assert_eq!(second.notes.expect("notes").items.len(), 5);
        assert_eq!(
            (second.events.items.len(), second.events.has_next),
            (6, false)
        );
    }
}
