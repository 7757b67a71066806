#![cfg(feature = "ssr")]
//! Certificates: bulk attestation by a company admin and the daily job, on SQLite and
//! PostgreSQL.

use app::certificates::model::{Listing, Status};
use app::certificates::service::{self as certs, Issue};
use app::companies::model::CompanyDetails;
use app::events::service::{Actor, Subject, list, verify};
use app::i18n::Locale;
use app::people::model::PersonDetails;
use app::state::AppState;
use app::testing::{count, databases, day};
use app::types::{Orgnr, Pnr};

struct World {
    company: String,
    other_company: String,
    /// The admin's own person, employed by `company`.
    admin: String,
    /// Certificates by name: see `world`.
    ids: std::collections::HashMap<&'static str, String>,
}

/// Company A employs the admin (Anja), Erik (two certificates, one inactive), Lars (expired)
/// and formerly Maria; company B employs Oskar.
async fn world(state: &AppState) -> World {
    let actor = Actor::system("test");
    let mut tx = state.db.begin().await.expect("begin");
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
        let pnr = Pnr::parse(pnr, state.clock.today()).expect("pnr");
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

/// The whole event log verifies: every subject's chain and the global one.
async fn log_verifies(state: &AppState) {
    let all = app::events::service::verify_all(&state.db, &state.clock, &state.config.keys)
        .await
        .expect("verify");
    assert!(all.is_ok(), "{:?}: {all:?}", state.db.backend);
}

/// `extend_many` in a transaction of its own; the ids that moved.
async fn extend(
    state: &AppState,
    company: &str,
    moves: &[app::certificates::store::Move],
) -> Vec<String> {
    let mut tx = state.db.begin().await.expect("begin");
    let today = day(state, 0);
    let moved = app::certificates::store::extend_many(
        &mut tx,
        "2026-11-27T12:00:00Z",
        &today,
        company,
        moves,
    )
    .await
    .expect("extend");
    tx.commit().await.expect("commit");
    moved
}

async fn extend_by(state: &AppState, id: &str) -> (String, String) {
    sqlx::query_as("SELECT extend_by, status FROM certificates WHERE id = $1")
        .bind(id)
        .fetch_one(&state.db.pool)
        .await
        .expect("certificate")
}

#[tokio::test]
async fn an_admin_attests_employees_certificates_in_one_go() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let admin = Actor::system("Anja Test");
        let chosen = vec![w.ids["Erik"].clone(), w.ids["Erik-inactive"].clone()];
        let outcome = certs::attest_bulk(s, &admin, &w.company, Some(&w.admin), &chosen)
            .await
            .expect("attest");
        assert_eq!(outcome.attested.len(), 2);
        assert!(outcome.unchanged.is_empty());
        // One year on from each due date; the inactive one (40 days overdue) is active again.
        let erik = extend_by(s, &w.ids["Erik"]).await;
        assert_eq!(
            erik,
            (day(s, 30 + 365), "active".into()),
            "{:?}",
            t.backend()
        );
        // The outcome says which certificate moved from which date to which.
        let moved = outcome
            .attested
            .iter()
            .find(|a| a.to == erik.0)
            .expect("Erik's certificate in the outcome");
        assert_eq!(
            (moved.from.as_str(), moved.employee.as_str()),
            (day(s, 30).as_str(), "Erik Test")
        );
        let inactive = extend_by(s, &w.ids["Erik-inactive"]).await;
        assert_eq!(inactive.1, "active");
        assert!(
            inactive.0 > day(s, 320) && inactive.0 < day(s, 330),
            "{inactive:?}"
        );
        // Each certificate has its event, chained; the holder one email and one message for
        // both; the company's log one event for the batch.
        for id in &chosen {
            let events = list(&s.db, Subject::certificate(id)).await.expect("events");
            assert_eq!(
                events.last().map(|e| e.action.as_str()),
                Some("certificate.attested")
            );
            assert_eq!(
                verify(&s.db, Subject::certificate(id))
                    .await
                    .expect("verify"),
                Ok(2)
            );
        }
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM outbox WHERE to_address = 'erik@exempel.se' AND template = 'notice'").await,
            1
        );
        let company_events = list(&s.db, app::events::service::Subject::company(&w.company))
            .await
            .expect("company events");
        assert_eq!(
            company_events.last().map(|e| e.action.as_str()),
            Some("company.certificates_attested")
        );
        // Nobody else's certificate moved.
        assert_eq!(extend_by(s, &w.ids["Anja"]).await.0, day(s, 30));
    }
}

#[tokio::test]
async fn a_resubmitted_attestation_changes_nothing_and_says_when_it_was_made() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let admin = Actor::system("Anja Test");
        let erik = vec![w.ids["Erik"].clone()];
        certs::attest_bulk(s, &admin, &w.company, Some(&w.admin), &erik)
            .await
            .expect("first");
        let moved = extend_by(s, &erik[0]).await;
        let emails = count(&s.db, "SELECT COUNT(*) FROM outbox").await;
        for _ in 0..5 {
            let e = certs::attest_bulk(s, &admin, &w.company, Some(&w.admin), &erik)
                .await
                .expect_err("again");
            let message = e
                .messages()
                .first()
                .map(|(_, m)| Locale::Sv.msg(m))
                .unwrap_or_default();
            assert!(
                message.contains(&format!("Redan intygad {}", day(s, 0))),
                "{:?}: {message}",
                t.backend()
            );
        }
        assert_eq!(extend_by(s, &erik[0]).await, moved, "moved once");
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM outbox").await, emails);
        let attested = count(
            &s.db,
            "SELECT COUNT(*) FROM events WHERE action = 'certificate.attested'",
        )
        .await;
        assert_eq!(attested, 1);
    }
}

#[tokio::test]
async fn a_certificate_is_attested_only_within_its_window_and_never_past_its_validity() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let admin = Actor::system("Anja Test");
        let erik = vec![w.ids["Erik"].clone()];
        // Due in 200 days: the window (90 days) has not opened.
        sqlx::query("UPDATE certificates SET extend_by = $1 WHERE id = $2")
            .bind(day(s, 200))
            .bind(&erik[0])
            .execute(&s.db.pool)
            .await
            .expect("later");
        let e = certs::attest_bulk(s, &admin, &w.company, Some(&w.admin), &erik)
            .await
            .expect_err("not due");
        let message = e
            .messages()
            .first()
            .map(|(_, m)| Locale::Sv.msg(m))
            .unwrap_or_default();
        assert!(
            message.contains(&format!("kan göras från {}", day(s, 110))),
            "{message}"
        );
        // A scheme may open its window earlier.
        sqlx::query("UPDATE schemes SET attest_window_days = 250")
            .execute(&s.db.pool)
            .await
            .expect("window");
        // Valid until 100 days after the due date: the extension stops there.
        sqlx::query("UPDATE certificates SET valid_until = $1 WHERE id = $2")
            .bind(day(s, 300))
            .bind(&erik[0])
            .execute(&s.db.pool)
            .await
            .expect("validity");
        let outcome = certs::attest_bulk(s, &admin, &w.company, Some(&w.admin), &erik)
            .await
            .expect("attest");
        assert_eq!(outcome.attested[0].to, day(s, 300));
        assert_eq!(
            extend_by(s, &erik[0]).await.0,
            day(s, 300),
            "{:?}",
            t.backend()
        );
        // At the end of validity it is renewal's turn.
        s.clock.advance(chrono::Duration::days(400));
        let e = certs::attest_bulk(s, &admin, &w.company, Some(&w.admin), &erik)
            .await
            .expect_err("renewal");
        assert!(!e.messages().is_empty());
    }
}

#[tokio::test]
async fn attestations_at_the_same_moment_move_the_date_once() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let erik = w.ids["Erik"].clone();
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let (s, company, admin, erik) =
                    (s.clone(), w.company.clone(), w.admin.clone(), erik.clone());
                tokio::spawn(async move {
                    let actor = Actor::system(&format!("admin {i}"));
                    certs::attest_bulk(&s, &actor, &company, Some(&admin), &[erik]).await
                })
            })
            .collect();
        let mut moved = 0;
        for task in tasks {
            match task.await.expect("task") {
                Ok(outcome) => moved += outcome.attested.len(),
                Err(e) => assert!(
                    matches!(e, app::error::AppError::Validation(_)),
                    "{:?}: refused for a reason, not broken: {e:?}",
                    t.backend()
                ),
            }
        }
        assert_eq!(moved, 1, "{:?}", t.backend());
        assert_eq!(extend_by(s, &erik).await.0, day(s, 30 + 365));
        let events = list(&s.db, Subject::certificate(&erik))
            .await
            .expect("events");
        let attested = events
            .iter()
            .filter(|e| e.action == "certificate.attested")
            .count();
        assert_eq!(attested, 1, "{:?}: one true event", t.backend());
        assert_eq!(
            verify(&s.db, Subject::certificate(&erik))
                .await
                .expect("verify"),
            Ok(events.len())
        );
    }
}

/// What keeps a bulk attestation of 10,000 certificates quick (`bench/attest-bulk.sh`): no
/// index of the certificates holds a column an attestation sets, so SQLite writes no index and
/// PostgreSQL updates each row on its own page, in the room the table's fill factor leaves
/// (set by `Db::migrate`, which may run again).
#[tokio::test]
async fn an_attestation_sets_no_indexed_column() {
    use app::db::Backend;
    for t in databases().await {
        let db = t.db();
        db.migrate().await.expect("migrate again");
        let sql = match t.backend() {
            Backend::Sqlite => {
                "SELECT l.name || '.' || i.name FROM pragma_index_list('certificates') l
                 JOIN pragma_index_info(l.name) i"
            }
            Backend::Postgres => {
                "SELECT CAST(x.indexrelid AS regclass) || '.' || a.attname FROM pg_index x
                 JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = ANY (x.indkey)
                 WHERE x.indrelid = CAST('certificates' AS regclass)"
            }
        };
        let indexed: Vec<String> = sqlx::query_scalar(sql)
            .fetch_all(&db.pool)
            .await
            .expect("indexes");
        assert!(indexed.iter().any(|c| c.ends_with(".valid_until")));
        for column in [
            "status",
            "extend_by",
            "updated_at",
            "last_attested_on",
            "last_attested_test",
        ] {
            let suffix = format!(".{column}");
            assert!(
                !indexed.iter().any(|c| c.ends_with(&suffix)),
                "{:?}: {indexed:?}",
                t.backend()
            );
        }
        if t.backend() == Backend::Postgres {
            let options: String = sqlx::query_scalar(
                "SELECT COALESCE(array_to_string(reloptions, ','), '') FROM pg_class
                 WHERE oid = CAST('certificates' AS regclass)",
            )
            .fetch_one(&db.pool)
            .await
            .expect("options");
            assert_eq!(options, "fillfactor=50");
            // A fill factor an operator chose stays.
            sqlx::query("ALTER TABLE certificates SET (fillfactor = 70)")
                .execute(&db.pool)
                .await
                .expect("alter");
            db.migrate().await.expect("migrate again");
            let options: String = sqlx::query_scalar(
                "SELECT array_to_string(reloptions, ',') FROM pg_class
                 WHERE oid = CAST('certificates' AS regclass)",
            )
            .fetch_one(&db.pool)
            .await
            .expect("options");
            assert_eq!(options, "fillfactor=70");
        }
    }
}

/// Bulk attestations racing each other: a request may find one of its certificates moved by
/// another after it read them. It moves the rest, and only what moved gets its entry: each
/// certificate moves at most once, with one true event, and the whole log still verifies (the
/// entries are linked in the global chain again when one drops out).
#[tokio::test]
async fn bulk_attestations_racing_each_other_log_only_what_moved() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let (erik, inactive) = (w.ids["Erik"].clone(), w.ids["Erik-inactive"].clone());
        let before = extend_by(s, &inactive).await.0;
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let ids = if i % 2 == 0 {
                    vec![erik.clone()]
                } else {
                    vec![inactive.clone(), erik.clone()]
                };
                let (s, company, admin) = (s.clone(), w.company.clone(), w.admin.clone());
                tokio::spawn(async move {
                    let actor = Actor::system(&format!("admin {i}"));
                    certs::attest_bulk(&s, &actor, &company, Some(&admin), &ids).await
                })
            })
            .collect();
        let (mut attested, mut told) = (0, 0);
        for task in tasks {
            match task.await.expect("task") {
                Ok(outcome) => {
                    attested += outcome.attested.len();
                    told += i64::from(!outcome.attested.is_empty());
                }
                Err(e) => assert!(
                    matches!(e, app::error::AppError::Validation(_)),
                    "{:?}: refused for a reason, not broken: {e:?}",
                    t.backend()
                ),
            }
        }
        assert_eq!(extend_by(s, &erik).await.0, day(s, 30 + 365));
        let inactive_moved = extend_by(s, &inactive).await.0 != before;
        assert_eq!(
            attested,
            1 + usize::from(inactive_moved),
            "{:?}",
            t.backend()
        );
        // Erik is told once by each request that moved something, of what it moved.
        let to_erik = "FROM outbox WHERE to_address = 'erik@exempel.se' AND template = 'notice'";
        assert_eq!(
            count(&s.db, &format!("SELECT COUNT(*) {to_erik}")).await,
            told
        );
        let number: String = sqlx::query_scalar("SELECT number FROM certificates WHERE id = $1")
            .bind(&erik)
            .fetch_one(&s.db.pool)
            .await
            .expect("number");
        let naming = format!("SELECT COUNT(*) {to_erik} AND body_text LIKE '%{number}%'");
        assert_eq!(count(&s.db, &naming).await, 1, "{:?}", t.backend());
        for (id, moved) in [(&erik, true), (&inactive, inactive_moved)] {
            let events = list(&s.db, Subject::certificate(id)).await.expect("events");
            let attested = events
                .iter()
                .filter(|e| e.action == "certificate.attested")
                .count();
            assert_eq!(attested, usize::from(moved), "{:?}", t.backend());
        }
        log_verifies(s).await;
    }
}

/// The update checks the employment again as it writes: a certificate whose holder left the
/// company after the attestation read it does not move.
#[tokio::test]
async fn an_extension_does_not_move_a_certificate_whose_holder_left_meanwhile() {
    use app::certificates::store::Move;
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let erik = w.ids["Erik"].clone();
        let (from, _) = extend_by(s, &erik).await;
        sqlx::query(
            "UPDATE employments SET end_date = $1
             WHERE person_id = (SELECT person_id FROM certificates WHERE id = $2)",
        )
        .bind(day(s, -1))
        .bind(&erik)
        .execute(&s.db.pool)
        .await
        .expect("left");
        let moves = [Move {
            id: erik.clone(),
            from: from.clone(),
            to: day(s, 30 + 365),
        }];
        let moved = extend(s, &w.company, &moves).await;
        assert!(moved.is_empty(), "{:?}", t.backend());
        assert_eq!(extend_by(s, &erik).await.0, from);
    }
}

/// Another writer holds a certificate the bulk attestation names (it changed the row and has yet
/// to write its event, as every writer does in that order). The bulk waits for the row without
/// holding the event log's head, so the other finishes (no deadlock); the bulk then finds an
/// entry written since it linked its own, links them again after it, and the log verifies.
#[tokio::test]
async fn a_bulk_attestation_waits_for_a_writer_holding_a_certificate_and_links_after_it() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let (erik, inactive) = (w.ids["Erik"].clone(), w.ids["Erik-inactive"].clone());
        let mut other = s.db.begin().await.expect("begin");
        sqlx::query("UPDATE certificates SET updated_at = '2026-11-27T12:00:00Z' WHERE id = $1")
            .bind(&erik)
            .execute(&mut *other)
            .await
            .expect("hold the row");
        let bulk = {
            let (s, company, admin) = (s.clone(), w.company.clone(), w.admin.clone());
            let ids = vec![inactive.clone(), erik.clone()];
            tokio::spawn(async move {
                let actor = Actor::system("Anja Test");
                certs::attest_bulk(&s, &actor, &company, Some(&admin), &ids).await
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        app::events::service::append(
            &mut other,
            &s.clock,
            Subject::certificate(&erik),
            &Actor::system("other"),
            "certificate.touched",
            serde_json::json!({}),
        )
        .await
        .expect("the other's event");
        other.commit().await.expect("commit");
        let outcome = bulk.await.expect("task").expect("attest");
        assert_eq!(outcome.attested.len(), 2, "{:?}", t.backend());
        let actions: Vec<String> = list(&s.db, Subject::certificate(&erik))
            .await
            .expect("events")
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(
            actions[actions.len() - 2..],
            ["certificate.touched", "certificate.attested"]
        );
        log_verifies(s).await;
    }
}

/// A certificate read as active that the daily job made inactive before the update (it is read
/// before the update's transaction) is still extended, and active again; one whose date moved is
/// not.
#[tokio::test]
async fn an_extension_still_moves_a_certificate_that_became_inactive_meanwhile() {
    use app::certificates::store::Move;
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let (erik, anja) = (w.ids["Erik"].clone(), w.ids["Anja"].clone());
        let (from, _) = extend_by(s, &erik).await;
        sqlx::query("UPDATE certificates SET status = 'inactive' WHERE id = $1")
            .bind(&erik)
            .execute(&s.db.pool)
            .await
            .expect("inactive");
        let to = day(s, 30 + 365);
        let moves = [
            Move {
                id: erik.clone(),
                from: from.clone(),
                to: to.clone(),
            },
            Move {
                id: anja.clone(),
                from: day(s, 1),
                to: to.clone(),
            },
        ];
        let moved = extend(s, &w.company, &moves).await;
        assert_eq!(moved, vec![erik.clone()], "{:?}", t.backend());
        assert_eq!(extend_by(s, &erik).await, (to, "active".into()));
        assert_eq!(extend_by(s, &anja).await, (day(s, 30), "active".into()));
    }
}

#[tokio::test]
async fn an_employee_someone_adds_is_not_the_company_s_until_they_confirm() {
    use app::companies::service::NewEmployee;
    use app::people::model::EmploymentDecision;
    use app::people::service::{Decider, decide_employment};
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let admin = Actor::system("Anja Test");
        // Oskar works for the other company; Anja's company claims him, and a stranger.
        let add = |pnr: &'static str| NewEmployee {
            pnr,
            first_name: "Någon",
            last_name: "Annan",
            position: "Tekniker",
            start_date: "2026-01-01",
        };
        let known = app::companies::service::add_employee(
            s,
            &admin,
            &w.company,
            &add("199506069864"),
            false,
        )
        .await;
        let unknown = app::companies::service::add_employee(
            s,
            &admin,
            &w.company,
            &add("199208159823"),
            false,
        )
        .await;
        assert_eq!(known, Ok(()));
        assert_eq!(unknown, Ok(()), "the same answer whether known or not");
        let view = app::companies::service::view(s, &w.company, false, Default::default())
            .await
            .expect("view");
        let claimed: Vec<_> = view
            .employees
            .items
            .iter()
            .filter(|e| e.status == app::people::model::EmploymentStatus::Pending)
            .map(|e| e.person_name.as_str())
            .collect();
        assert_eq!(
            claimed,
            ["Någon Annan", "Någon Annan"],
            "the typed name, never the register's"
        );
        // Nothing of Oskar's reaches the company.
        let listing = Listing {
            page: 1,
            ..Listing::default()
        };
        let page =
            certs::employee_certificates(&s.db, &s.clock, &w.company, Some(&w.admin), &listing)
                .await
                .expect("list");
        assert!(page.items.iter().all(|c| !c.employee.starts_with("Oskar")));
        let e = certs::attest_bulk(
            s,
            &admin,
            &w.company,
            Some(&w.admin),
            &[w.ids["Oskar"].clone()],
        )
        .await
        .expect_err("not an employee yet");
        assert!(!e.messages().is_empty());
        let admin_user = app::auth::model::CurrentUser {
            account_id: "admin".into(),
            username: "anja".into(),
            display_name: "Anja".into(),
            grants: vec![app::auth::model::Grant {
                role: app::auth::model::Role::CompanyAdmin,
                scope: w.company.clone(),
            }],
            person_id: None,
        };
        assert_eq!(
            certs::view(s, &admin_user, &w.ids["Oskar"], 1)
                .await
                .map(|_| ()),
            Err(app::error::AppError::Forbidden)
        );
        // Oskar confirms on his own pages: now the company sees his certificate.
        let oskar = app::testing::holder_account(
            s,
            &person_of(s, "199506069864").await,
            "oskar",
            "oskar@konto.se",
            "Oskar",
        )
        .await;
        let pending: String = sqlx::query_scalar(
            "SELECT e.id FROM employments e JOIN people p ON p.id = e.person_id
             WHERE p.pnr = '199506069864' AND e.status = 'pending'",
        )
        .fetch_one(&s.db.pool)
        .await
        .expect("pending");
        let actor = Actor::system("Oskar");
        let first = decide_employment(s, &actor, &pending, true, Decider::Person(&oskar)).await;
        assert_eq!(first, Ok(EmploymentDecision::Confirmed));
        let again = decide_employment(s, &actor, &pending, false, Decider::Person(&oskar)).await;
        assert_eq!(
            again,
            Ok(EmploymentDecision::AlreadyDecided(
                app::people::model::EmploymentStatus::Confirmed
            )),
            "a second answer changes nothing"
        );
        assert!(
            certs::view(s, &admin_user, &w.ids["Oskar"], 1)
                .await
                .is_ok()
        );
        // Another person cannot answer for him.
        let erik = app::testing::holder_account(
            s,
            &person_of(s, "199004129814").await,
            "erik",
            "erik@konto.se",
            "Erik",
        )
        .await;
        assert_eq!(
            decide_employment(s, &actor, &pending, false, Decider::Person(&erik)).await,
            Err(app::error::AppError::NotFound)
        );
    }
}

#[tokio::test]
async fn a_request_the_company_withdrew_cannot_be_confirmed() {
    use app::companies::service::{NewEmployee, add_employee, end_employment};
    use app::people::model::EmploymentDecision;
    use app::people::service::{Decider, decide_employment};
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let admin = Actor::system("Anja Test");
        let new = NewEmployee {
            pnr: "199506069864",
            first_name: "Oskar",
            last_name: "Test",
            position: "Tekniker",
            start_date: "2026-01-01",
        };
        add_employee(s, &admin, &w.company, &new, false)
            .await
            .expect("add");
        let pending: String = sqlx::query_scalar(
            "SELECT e.id FROM employments e JOIN people p ON p.id = e.person_id
             WHERE p.pnr = '199506069864' AND e.status = 'pending'",
        )
        .fetch_one(&s.db.pool)
        .await
        .expect("pending");
        // The company thinks better of it and ends the request before Oskar answers.
        end_employment(s, &admin, &w.company, &pending, &day(s, 0))
            .await
            .expect("end");
        let oskar = app::testing::holder_account(
            s,
            &person_of(s, "199506069864").await,
            "oskar",
            "oskar@konto.se",
            "Oskar",
        )
        .await;
        let answer = decide_employment(
            s,
            &Actor::system("Oskar"),
            &pending,
            true,
            Decider::Person(&oskar),
        )
        .await;
        assert_eq!(
            answer,
            Ok(EmploymentDecision::Withdrawn),
            "{:?}",
            t.backend()
        );
        assert_eq!(
            count(
                &s.db,
                &format!(
                    "SELECT COUNT(*) FROM employments WHERE id = '{pending}' AND status = 'pending'"
                )
            )
            .await,
            1,
            "nothing changed"
        );
        // Nor is it in the handlers' queue.
        let queue = app::people::service::pending_employments(&s.db, 1)
            .await
            .expect("queue");
        assert!(queue.items.iter().all(|e| e.id != pending));
    }
}

#[tokio::test]
async fn a_company_that_asks_again_and_again_is_not_heard_again() {
    use app::companies::service::{EMPLOYEES_PER_HOUR, NewEmployee, add_employee};
    use app::people::service::{Decider, decide_employment};
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let admin = Actor::system("Anja Test");
        let oskar = app::testing::holder_account(
            s,
            &person_of(s, "199506069864").await,
            "oskar",
            "oskar@konto.se",
            "Oskar",
        )
        .await;
        let ask = NewEmployee {
            pnr: "199506069864",
            first_name: "Oskar",
            last_name: "Ek",
            position: "Ring 070-123 45 67 och vinn",
            start_date: "2026-01-01",
        };
        let told = &format!(
            "SELECT COUNT(*) FROM messages WHERE account_id = '{}'",
            oskar.account_id
        );
        add_employee(s, &admin, &w.company, &ask, false)
            .await
            .expect("ask");
        assert_eq!(count(&s.db, told).await, 1);
        let body: String = sqlx::query_scalar("SELECT body FROM messages WHERE account_id = $1")
            .bind(&oskar.account_id)
            .fetch_one(&s.db.pool)
            .await
            .expect("body");
        assert!(
            !body.contains("070"),
            "what the company typed stays out: {body}"
        );
        let pending = "SELECT id FROM employments WHERE status = 'pending' AND person_id = \
                       (SELECT id FROM people WHERE pnr = '199506069864')";
        let id: String = sqlx::query_scalar(pending)
            .fetch_one(&s.db.pool)
            .await
            .expect("pending");
        decide_employment(
            s,
            &Actor::system("Oskar"),
            &id,
            false,
            Decider::Person(&oskar),
        )
        .await
        .expect("decline");
        // Asked again after he declined: the request waits, and he hears nothing of it.
        add_employee(s, &admin, &w.company, &ask, false)
            .await
            .expect("again");
        assert_eq!(count(&s.db, told).await, 1);
        // And a company admin adds at most so many an hour, whatever the answers were.
        let mut refused = None;
        for _ in 0..EMPLOYEES_PER_HOUR {
            if let Err(e) = add_employee(s, &admin, &w.company, &ask, false).await {
                refused = e.messages().first().map(|(_, m)| Locale::Sv.msg(m));
            }
        }
        let refused = refused.expect("limited");
        assert!(refused.contains("För många"), "{refused}");
        let employments = "SELECT COUNT(*) FROM employments WHERE person_id = \
                           (SELECT id FROM people WHERE pnr = '199506069864')";
        assert_eq!(
            count(&s.db, employments).await,
            3,
            "his own, the declined, the waiting"
        );
    }
}

async fn person_of(state: &AppState, pnr: &str) -> String {
    sqlx::query_scalar("SELECT id FROM people WHERE pnr = $1")
        .bind(pnr)
        .fetch_one(&state.db.pool)
        .await
        .expect("person")
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
            let e = certs::attest_bulk(s, &admin, &w.company, Some(&w.admin), &refused(name))
                .await
                .expect_err(name);
            let messages: Vec<String> = e
                .messages()
                .iter()
                .map(|(_, m)| Locale::Sv.msg(m))
                .collect();
            assert!(
                messages.iter().any(|m| m.contains(expect)),
                "{name}: {messages:?}"
            );
        }
        // The whole request was refused: Erik's certificate did not move either.
        assert_eq!(extend_by(s, &erik).await.0, day(s, 30));
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM outbox").await, 0);
        let e = certs::attest_bulk(
            s,
            &admin,
            &w.other_company,
            None,
            std::slice::from_ref(&erik),
        )
        .await
        .expect_err("not through another company");
        assert!(
            e.messages().iter().any(|(_, m)| Locale::Sv
                .msg(m)
                .contains("hör inte till företagets nuvarande anställda")),
            "{e:?}"
        );
        let e = certs::attest_bulk(s, &admin, &w.company, None, &[]).await;
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
        assert_eq!(anja.blocked(), Some(app::certificates::model::Blocked::Own));
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
async fn the_daily_job_is_scheduled_and_run_once_a_day_by_two_servers() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let other = t.second_server().await;
        sqlx::query("UPDATE certificates SET status = 'active' WHERE id = $1")
            .bind(&w.ids["Lars"])
            .execute(&s.db.pool)
            .await
            .expect("reset");
        let expired = "SELECT COUNT(*) FROM events WHERE action = 'certificate.expired'";
        let inactive = "SELECT COUNT(*) FROM events WHERE action = 'certificate.inactive'";
        for (days, expired_n, inactive_n) in [(0, 1, 0), (0, 1, 0), (31, 1, 4), (1, 1, 4)] {
            s.clock.advance(chrono::Duration::days(days));
            // Each server writes the day's run every hour: once a day, it is written once.
            let (a, b) = tokio::join!(
                app::chores::schedule_daily(s),
                app::chores::schedule_daily(&other)
            );
            let written = [a.expect("a"), b.expect("b")];
            let day_jobs = format!(
                "SELECT COUNT(*) FROM jobs WHERE id = '{}:{}'",
                app::chores::DAILY_JOB,
                s.clock.today()
            );
            assert_eq!(count(&s.db, &day_jobs).await, 1);
            assert!(written.iter().filter(|w| **w).count() <= 1, "{written:?}");
            let (a, b) = tokio::join!(
                app::chores::run_jobs(s, "server-a"),
                app::chores::run_jobs(&other, "server-b")
            );
            a.expect("server a");
            b.expect("server b");
            assert_eq!(count(&s.db, expired).await, expired_n, "day +{days}");
            assert_eq!(count(&s.db, inactive).await, inactive_n, "day +{days}");
        }
        assert_eq!(extend_by(s, &w.ids["Erik"]).await.1, "inactive");
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
        assert_eq!(certs::run_daily(s).await.expect("daily"), (0, 1));
        assert_eq!(extend_by(s, &w.ids["Lars"]).await.1, "expired");
        s.clock.advance(chrono::Duration::days(31));
        let (inactive, expired) = certs::run_daily(s).await.expect("daily");
        assert_eq!(
            (inactive, expired),
            (4, 0),
            "Anja's, Erik's, Maria's and Oskar's"
        );
        assert_eq!(extend_by(s, &w.ids["Erik"]).await.1, "inactive");
        let events = list(&s.db, Subject::certificate(&w.ids["Erik"]))
            .await
            .expect("events");
        assert_eq!(
            events.last().map(|e| e.action.as_str()),
            Some("certificate.inactive")
        );
        // Each of the four holders is told once: an email each (none has an account for a
        // message), in their language, naming the certificate.
        let told =
            "SELECT COUNT(*) FROM outbox WHERE subject = 'Ditt certifikat har blivit inaktivt'";
        assert_eq!(count(&s.db, told).await, 4);
        assert_eq!(certs::run_daily(s).await.expect("again"), (0, 0));
        assert_eq!(count(&s.db, told).await, 4, "told once");
    }
}
