#![cfg(feature = "ssr")]
//! Certificates: bulk attestation by a company admin and the daily job, on SQLite and
//! PostgreSQL.

use app::certificates::model::{Listing, Status};
use app::certificates::service::{self as certs, Issue};
use app::companies::model::CompanyDetails;
use app::events::service::{Actor, list, verify};
use app::i18n::Locale;
use app::people::model::PersonDetails;
use app::state::AppState;
use app::testing::databases;
use app::types::{Orgnr, Pnr};

struct World {
    company: String,
    other_company: String,
    /// The admin's own person, employed by `company`.
    admin: String,
    /// Certificates by name: see `world`.
    ids: std::collections::HashMap<&'static str, String>,
}

fn day(state: &AppState, offset: i64) -> String {
    (state.clock.now().date_naive() + chrono::Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

/// Company A employs the admin (Anja), Erik (two certificates, one inactive), Lars (expired)
/// and formerly Maria; company B employs Oskar.
async fn world(state: &AppState) -> World {
    let actor = Actor::system("test");
    let mut tx = state.db.pool.begin().await.expect("begin");
    let mut companies = Vec::new();
    for orgnr in ["5560160680", "5590123450"] {
        let d = CompanyDetails {
            name: format!("AB {orgnr}"),
            billing_method: "post".into(),
            ..Default::default()
        };
        let orgnr = Orgnr::parse(orgnr).expect("orgnr");
        companies.push(
            app::companies::service::insert(&mut tx, &state.clock, &actor, &orgnr, &d)
                .await
                .expect("company"),
        );
    }
    let scheme = certs::ensure_scheme(
        &mut tx,
        "fgas-1",
        "F-Gaser",
        "Personcertifikat f-gas kat I",
        5,
    )
    .await
    .expect("scheme");
    let people = [
        ("198507099805", "Anja", 0, None),
        ("199004129814", "Erik", 0, None),
        ("197802239827", "Lars", 0, None),
        ("199208159831", "Maria", 0, Some(day(state, -10))),
        ("199506069864", "Oskar", 1, None),
    ];
    let mut ids = std::collections::HashMap::new();
    let mut admin = String::new();
    for (pnr, first, company, ended) in people {
        let d = PersonDetails {
            first_name: first.into(),
            last_name: "Test".into(),
            email: format!("{}@exempel.se", first.to_lowercase()),
            communication: "digital".into(),
            ..Default::default()
        };
        let pnr = Pnr::parse(pnr).expect("pnr");
        let person = app::people::service::insert(&mut tx, &state.clock, &actor, &pnr, &d, None)
            .await
            .expect("person");
        if first == "Anja" {
            admin = person.clone();
        }
        sqlx::query(
            "INSERT INTO employments (id, company_id, person_id, position, start_date, end_date, created_at)
             VALUES ($1, $2, $3, 'Tekniker', '2020-01-01', $4, '2026-01-01')",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(&companies[company])
        .bind(&person)
        .bind(ended)
        .execute(&mut *tx)
        .await
        .expect("employment");
        let mut own = vec![(first, Status::Active, 30, 1000)];
        match first {
            "Erik" => own.push(("Erik-inactive", Status::Inactive, -40, 1000)),
            "Lars" => own[0] = ("Lars", Status::Expired, -400, -5),
            _ => {}
        }
        for (name, status, extend, valid) in own {
            let number = format!("{}", 10000 + ids.len());
            let (extend_by, valid_until) = (day(state, extend), day(state, valid));
            let c = Issue {
                number: &number,
                scheme_id: &scheme,
                person_id: &person,
                status,
                issued_on: "2024-01-01",
                valid_until: &valid_until,
                extend_by: Some(&extend_by),
            };
            let id = certs::issue(&mut tx, &state.clock, &actor, &c)
                .await
                .expect("issue");
            ids.insert(name, id);
        }
    }
    tx.commit().await.expect("commit");
    World {
        company: companies[0].clone(),
        other_company: companies[1].clone(),
        admin,
        ids,
    }
}

async fn extend_by(state: &AppState, id: &str) -> (String, String) {
    sqlx::query_as("SELECT extend_by, status FROM certificates WHERE id = $1")
        .bind(id)
        .fetch_one(&state.db.pool)
        .await
        .expect("certificate")
}

async fn count(state: &AppState, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&state.db.pool)
        .await
        .expect("count")
}

#[tokio::test]
async fn an_admin_attests_employees_certificates_in_one_go() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let admin = Actor::system("Anja Test");
        let chosen = vec![w.ids["Erik"].clone(), w.ids["Erik-inactive"].clone()];
        let n = certs::attest_bulk(s, &admin, Locale::Sv, &w.company, Some(&w.admin), &chosen)
            .await
            .expect("attest");
        assert_eq!(n, 2);
        // One year on from each due date; the inactive one (40 days overdue) is active again.
        let erik = extend_by(s, &w.ids["Erik"]).await;
        assert_eq!(
            erik,
            (day(s, 30 + 365), "active".into()),
            "{:?}",
            t.backend()
        );
        let inactive = extend_by(s, &w.ids["Erik-inactive"]).await;
        assert_eq!(inactive.1, "active");
        assert!(
            inactive.0 > day(s, 320) && inactive.0 < day(s, 330),
            "{inactive:?}"
        );
        // Each certificate has its event, chained; the holder one email for both.
        for id in &chosen {
            let events = list(&s.db, certs::cert_subject(id)).await.expect("events");
            assert_eq!(
                events.last().map(|e| e.action.as_str()),
                Some("certificate.attested")
            );
            assert_eq!(
                verify(&s.db, certs::cert_subject(id))
                    .await
                    .expect("verify"),
                Ok(2)
            );
        }
        assert_eq!(
            count(s, "SELECT COUNT(*) FROM outbox WHERE to_address = 'erik@exempel.se' AND template = 'certificates_attested'").await,
            1
        );
        // Nobody else's certificate moved.
        assert_eq!(extend_by(s, &w.ids["Anja"]).await.0, day(s, 30));
    }
}

#[tokio::test]
async fn own_other_companies_former_employees_and_expired_certificates_are_refused() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let admin = Actor::system("Anja Test");
        let erik = w.ids["Erik"].clone();
        let refused = |name: &str| vec![erik.clone(), w.ids[name].clone()];
        for (name, expect) in [
            ("Anja", "Man kan inte intyga sin egen yrkesaktivitet"),
            ("Oskar", "hör inte till företagets nuvarande anställda"),
            ("Maria", "hör inte till företagets nuvarande anställda"),
            ("Lars", "inte giltigt"),
        ] {
            let e = certs::attest_bulk(
                s,
                &admin,
                Locale::Sv,
                &w.company,
                Some(&w.admin),
                &refused(name),
            )
            .await
            .expect_err(name);
            let messages: Vec<String> = e.messages().iter().map(|m| m.message.clone()).collect();
            assert!(
                messages.iter().any(|m| m.contains(expect)),
                "{name}: {messages:?}"
            );
        }
        // The whole request was refused: Erik's certificate did not move either.
        assert_eq!(extend_by(s, &erik).await.0, day(s, 30));
        assert_eq!(count(s, "SELECT COUNT(*) FROM outbox").await, 0);
        let e = certs::attest_bulk(
            s,
            &admin,
            Locale::Sv,
            &w.other_company,
            None,
            std::slice::from_ref(&erik),
        )
        .await;
        assert!(e.is_err(), "not through another company");
        let e = certs::attest_bulk(s, &admin, Locale::Sv, &w.company, None, &[]).await;
        assert!(e.expect_err("none").field_message("ids").is_some());
    }
}

#[tokio::test]
async fn the_list_filters_sorts_and_marks_what_cannot_be_attested() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let listing = |status: &str, sort: &str, desc: bool| Listing {
            status: status.into(),
            area: String::new(),
            sort: sort.into(),
            desc,
            page: 1,
        };
        let page = certs::employee_certificates(
            &s.db,
            &s.clock,
            &w.company,
            Some(&w.admin),
            &listing("", "extend_by", true),
        )
        .await
        .expect("list");
        // Anja, Erik twice, Lars; not Maria (left) nor Oskar (another company).
        assert_eq!(page.total, 4);
        let dates: Vec<_> = page
            .items
            .iter()
            .map(|c| c.extend_by.clone().unwrap_or_default())
            .collect();
        let mut sorted = dates.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(dates, sorted);
        let anja = page
            .items
            .iter()
            .find(|c| c.employee == "Anja Test")
            .expect("anja");
        assert_eq!(anja.blocked, Some(app::certificates::model::Blocked::Own));
        let inactive = certs::employee_certificates(
            &s.db,
            &s.clock,
            &w.company,
            None,
            &listing("inactive", "", false),
        )
        .await
        .expect("list");
        assert_eq!(inactive.total, 1);
        assert_eq!(inactive.items[0].status, Status::Inactive);
    }
}

#[tokio::test]
async fn the_daily_job_makes_overdue_certificates_inactive_and_old_ones_expired() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        // Lars's certificate says "expired" already; Erik's active one is due in 30 days.
        sqlx::query("UPDATE certificates SET status = 'active' WHERE id = $1")
            .bind(&w.ids["Lars"])
            .execute(&s.db.pool)
            .await
            .expect("reset");
        assert_eq!(
            certs::run_daily(&s.db, &s.clock).await.expect("daily"),
            (0, 1)
        );
        assert_eq!(extend_by(s, &w.ids["Lars"]).await.1, "expired");
        s.clock.advance(chrono::Duration::days(31));
        let (inactive, expired) = certs::run_daily(&s.db, &s.clock).await.expect("daily");
        assert_eq!(
            (inactive, expired),
            (4, 0),
            "Anja's, Erik's, Maria's and Oskar's"
        );
        assert_eq!(extend_by(s, &w.ids["Erik"]).await.1, "inactive");
        let events = list(&s.db, certs::cert_subject(&w.ids["Erik"]))
            .await
            .expect("events");
        assert_eq!(
            events.last().map(|e| e.action.as_str()),
            Some("certificate.inactive")
        );
        assert_eq!(
            certs::run_daily(&s.db, &s.clock).await.expect("again"),
            (0, 0)
        );
    }
}
