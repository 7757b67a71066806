#![cfg(feature = "ssr")]
//! Reminders: each is sent on its day (not the day before), once (not again the day after, nor
//! by a second server), in the person's language with a calendar file, or as a letter to post;
//! and the schemes' rules as body administrators keep them. On SQLite and PostgreSQL.

use app::certificates::model::Status;
use app::certificates::service::{self as certs, Issue};
use app::events::service::Actor;
use app::people::model::PersonDetails;
use app::reminders::model::{Posted, ReminderKind};
use app::reminders::service as reminders;
use app::state::AppState;
use app::testing::{both_servers_run_the_day, count, databases};
use app::types::Pnr;
use chrono::{Duration, Months, NaiveDate};

/// Erik (digital, reads English) holds one certificate per kind of reminder, each with its
/// deadline set so that tomorrow is the reminder's day; Lars (analog) holds one whose renewal
/// reminder is due tomorrow too.
struct World {
    erik: String,
    lars: String,
    /// Certificates by the reminder they are set up for.
    certs: Vec<(ReminderKind, String)>,
}

async fn person(state: &AppState, pnr: &str, first: &str, communication: &str) -> String {
    let actor = Actor::system("test");
    let d = PersonDetails {
        first_name: first.into(),
        last_name: "Test".into(),
        email: format!("{}@exempel.se", first.to_lowercase()),
        communication: communication.into(),
        address: "Storgatan 1".into(),
        postal_code: "111 22".into(),
        city: "Stockholm".into(),
        ..Default::default()
    };
    let pnr = Pnr::parse(pnr, state.clock.today()).expect("pnr");
    let mut tx = state.db.begin().await.expect("begin");
    let id = app::people::service::insert(&mut tx, &state.clock, &actor, &pnr, &d, None)
        .await
        .expect("person");
    tx.commit().await.expect("commit");
    id
}

async fn certificate(
    state: &AppState,
    number: &str,
    scheme: &str,
    person: &str,
    extend_by: Option<NaiveDate>,
    valid_until: NaiveDate,
) -> String {
    let mut tx = state.db.begin().await.expect("begin");
    let extend_by = extend_by.map(|d| d.to_string());
    let id = certs::issue(
        &mut tx,
        &state.clock,
        &Actor::system("test"),
        &Issue {
            number,
            scheme_id: scheme,
            person_id: person,
            status: Status::Active,
            issued_on: "2024-01-01",
            valid_until: &valid_until.to_string(),
            extend_by: extend_by.as_deref(),
        },
    )
    .await
    .expect("certificate");
    tx.commit().await.expect("commit");
    id
}

async fn world(state: &AppState) -> World {
    let mut tx = state.db.begin().await.expect("begin");
    let attested = certs::ensure_scheme(&mut tx, "fgas-1", "F-Gaser", "Kat I", 5)
        .await
        .expect("scheme");
    let reported = certs::ensure_scheme(&mut tx, "brand-1", "Brand", "Brandskydd", 5)
        .await
        .expect("scheme");
    // A person holds one certificate of a scheme (a later one of the same is its renewal).
    let renewed = certs::ensure_scheme(&mut tx, "fgas-2", "F-Gaser", "Kat II", 5)
        .await
        .expect("scheme");
    tx.commit().await.expect("commit");
    sqlx::query("UPDATE schemes SET yearly_report = 1, name_en = 'Fire safety' WHERE id = $1")
        .bind(&reported)
        .execute(&state.db.pool)
        .await
        .expect("report scheme");
    let erik = person(state, "199004129814", "Erik", "digital").await;
    let lars = person(state, "197802239827", "Lars", "analog").await;
    let user = app::testing::holder_account(state, &erik, "erik", "erik@exempel.se", "Erik").await;
    sqlx::query("UPDATE accounts SET locale = 'en' WHERE id = $1")
        .bind(&user.account_id)
        .execute(&state.db.pool)
        .await
        .expect("english");
    let today = state.clock.today();
    let tomorrow = today + Duration::days(1);
    let far = today + Duration::days(1000);
    let days = |n: i64| Some(tomorrow + Duration::days(n));
    let month = tomorrow.checked_add_months(Months::new(1)).expect("month");
    let mut certs = vec![
        (
            ReminderKind::ReportDue,
            certificate(state, "R-1", &reported, &erik, days(45), far).await,
        ),
        (
            ReminderKind::AttestationDue,
            certificate(state, "A-1", &attested, &erik, days(30), far).await,
        ),
        (
            ReminderKind::InactiveSoon,
            certificate(state, "A-2", &attested, &erik, days(7), far).await,
        ),
        (
            ReminderKind::Renewal,
            certificate(state, "A-3", &renewed, &erik, None, month).await,
        ),
    ];
    let linked = certificate(state, "A-4", &attested, &erik, days(200), far).await;
    // A link that ends at noon six days on: five days before its day is tomorrow.
    let ends = (today + Duration::days(6))
        .and_hms_opt(11, 0, 0)
        .expect("noon")
        .and_utc();
    sqlx::query(
        "INSERT INTO attestation_requests (id, certificate_id, attester_email, token_hash, status,
             created_by, created_at, expires_at)
         VALUES ('link-1', $1, 'chef@exempel.se', 'hash-1', 'pending', $2, $3, $4)",
    )
    .bind(&linked)
    .bind(&user.account_id)
    .bind(app::clock::to_db(state.clock.now()))
    .bind(app::clock::to_db(ends))
    .execute(&state.db.pool)
    .await
    .expect("link");
    certs.push((ReminderKind::LinkExpiring, linked));
    certs.push((
        ReminderKind::Renewal,
        certificate(state, "A-5", &attested, &lars, None, month).await,
    ));
    World { erik, lars, certs }
}

fn staff_actor(account_id: &str) -> Actor {
    Actor {
        account_id: Some(account_id.to_owned()),
        label: account_id.to_owned(),
        ip: None,
    }
}

/// The body administrator, as the rules page's saves are made.
async fn admin(s: &AppState) -> Actor {
    let admin = app::testing::staff_account(s, "admin", app::auth::model::Role::BodyAdmin).await;
    staff_actor(&admin.account_id)
}

/// The reminders' day, in a transaction of its own; how many were sent.
async fn run(s: &AppState) -> usize {
    let mut tx = s.db.begin().await.expect("begin");
    let n = reminders::run_in(&mut tx, s).await.expect("run");
    tx.commit().await.expect("commit");
    n
}

async fn sent(s: &AppState, kind: ReminderKind, certificate: &str) -> i64 {
    count(
        &s.db,
        &format!(
            "SELECT COUNT(*) FROM reminders_sent WHERE kind = '{}' AND certificate_id = '{certificate}'",
            kind.code()
        ),
    )
    .await
}

#[tokio::test]
async fn each_reminder_comes_on_its_day_once_with_two_servers() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let other = t.second_server().await;
        // The day before, its day, the day after.
        for (step, expected) in [(0, 0), (1, 1), (1, 1)] {
            s.clock.advance(Duration::days(step));
            both_servers_run_the_day(s, &other).await;
            for (kind, id) in &w.certs {
                assert_eq!(
                    sent(s, *kind, id).await,
                    expected,
                    "{kind:?} {id} day +{step}"
                );
            }
        }
        // Every reminder of the day is one message, in the reader's language where it is read.
        let messages = "SELECT COUNT(*) FROM messages WHERE kind LIKE '%_reminder'";
        assert_eq!(count(&s.db, messages).await, 5);
        // Erik's five emails are in English, each with its deadline as a calendar file.
        let emails: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT to_address, subject, attachment_name, attachment_body FROM outbox
             WHERE template = 'notice' ORDER BY subject",
        )
        .fetch_all(&s.db.pool)
        .await
        .expect("emails");
        assert_eq!(emails.len(), 5, "{emails:?}");
        for (to, subject, name, body) in &emails {
            assert_eq!(to, "erik@exempel.se");
            assert!(subject.contains(" reminder: "), "{subject}");
            assert_eq!(name.as_deref(), Some("deadline.ics"));
            let ics = body.as_deref().unwrap_or_default();
            assert!(
                ics.contains("BEGIN:VCALENDAR") && ics.contains("DTSTART;VALUE=DATE:"),
                "{ics}"
            );
        }
        let report = emails
            .iter()
            .find(|e| e.1.starts_with("Yearly report reminder"))
            .expect("report reminder");
        // Its deadline: 46 days after the first day, two days ago.
        let due = (s.clock.today() + Duration::days(44))
            .format("%Y%m%d")
            .to_string();
        let ics = report.3.as_deref().unwrap_or_default();
        assert!(ics.contains(&format!("DTSTART;VALUE=DATE:{due}")), "{ics}");
        assert!(ics.contains("SEQUENCE:"), "{ics}");
        // Lars asked for letters: no email, a letter for staff to post.
        let letters = reminders::letters(&s.db, s.clock.today(), false, 1)
            .await
            .expect("letters");
        assert_eq!(letters.items.len(), 1);
        let letter = &letters.items[0];
        assert_eq!(letter.person_id, w.lars);
        assert_eq!(letter.kind, ReminderKind::Renewal);
        assert_eq!(letter.address, vec!["Storgatan 1", "111 22 Stockholm"]);
        // What it says, in Swedish (Lars has no account to choose another language).
        assert!(
            letter.subject.starts_with("Förnyelsepåminnelse"),
            "{}",
            letter.subject
        );
        assert!(letter.text.contains("A-5, gäller till"), "{}", letter.text);
        let staff =
            app::testing::staff_account(s, "handlaggare", app::auth::model::Role::Handler).await;
        let actor = staff_actor(&staff.account_id);
        for expected in [Posted::Marked, Posted::Already] {
            let posted = reminders::mark_posted(s, &actor, &staff.account_id, &letter.id)
                .await
                .expect("posted");
            assert_eq!(posted, expected);
        }
        assert!(
            reminders::letters(&s.db, s.clock.today(), false, 1)
                .await
                .expect("letters")
                .items
                .is_empty()
        );
        assert_eq!(
            reminders::letters(&s.db, s.clock.today(), true, 1)
                .await
                .expect("posted")
                .items
                .len(),
            1
        );
        let posted_events = "SELECT COUNT(*) FROM events WHERE action = 'reminder.letter_posted'";
        assert_eq!(count(&s.db, posted_events).await, 1);
        // Nobody hears of Erik's certificates beyond their own: his messages are his.
        let his = format!(
            "SELECT COUNT(*) FROM messages m JOIN people p ON p.account_id = m.account_id
             WHERE p.id = '{}'",
            w.erik
        );
        assert_eq!(count(&s.db, &his).await, 5);
    }
}

#[tokio::test]
async fn a_run_twice_at_once_tells_each_person_once() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let other = t.second_server().await;
        s.clock.advance(Duration::days(1));
        // The job queue runs the day once; even two runs of it at once send nothing twice.
        let (a, b) = tokio::join!(run(s), run(&other));
        assert_eq!(a + b, w.certs.len(), "{a} + {b}");
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM reminders_sent").await, 6);
        assert_eq!(
            count(
                &s.db,
                "SELECT COUNT(*) FROM messages WHERE kind LIKE '%_reminder'"
            )
            .await,
            5
        );
        assert_eq!(run(s).await, 0);
        // A rule changed after the reminder went (30 days to 28, and to 29 and 27): nothing
        // goes twice, today or when the new day comes.
        let scheme: String = sqlx::query_scalar("SELECT id FROM schemes WHERE code = 'fgas-1'")
            .fetch_one(&s.db.pool)
            .await
            .expect("scheme");
        let actor = admin(s).await;
        for (rule, days) in [("28", 0), ("29", 0), ("27", 3)] {
            reminders::save_rules(
                s,
                &actor,
                &scheme,
                &[
                    (ReminderKind::AttestationDue, rule),
                    (ReminderKind::InactiveSoon, "7"),
                    (ReminderKind::Renewal, "6, 3, 1"),
                    (ReminderKind::LinkExpiring, "5"),
                ],
            )
            .await
            .expect("saved");
            s.clock.advance(Duration::days(days));
            let attestation = "SELECT COUNT(*) FROM reminders_sent WHERE kind = 'attestation_due'";
            let before = count(&s.db, attestation).await;
            run(s).await;
            assert_eq!(count(&s.db, attestation).await, before, "rule {rule}");
        }
    }
}

#[tokio::test]
async fn what_stops_a_reminder() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let cert = |k: ReminderKind| {
            w.certs
                .iter()
                .find(|(kind, _)| *kind == k)
                .map(|(_, id)| id.clone())
                .expect("certificate")
        };
        // Erik applied for renewal; the attestation came in (a new "Förläng senast"); his link
        // was used; and the yearly report scheme was told to send no reminders.
        let renewal = cert(ReminderKind::Renewal);
        let scheme: String = sqlx::query_scalar("SELECT scheme_id FROM certificates WHERE id = $1")
            .bind(&renewal)
            .fetch_one(&s.db.pool)
            .await
            .expect("scheme");
        sqlx::query(
            "INSERT INTO cases (id, order_no, person_id, scheme_id, kind, status, created_at, updated_at)
             VALUES ('case-1', 'FX100001', $1, $2, 'renewal', 'waiting', '2026-01-01', '2026-01-01')",
        )
        .bind(&w.erik)
        .bind(&scheme)
        .execute(&s.db.pool)
        .await
        .expect("case");
        sqlx::query("UPDATE certificates SET extend_by = $1 WHERE id = $2")
            .bind((s.clock.today() + Duration::days(300)).to_string())
            .bind(cert(ReminderKind::AttestationDue))
            .execute(&s.db.pool)
            .await
            .expect("attested");
        sqlx::query("UPDATE attestation_requests SET status = 'used'")
            .execute(&s.db.pool)
            .await
            .expect("used");
        let report_scheme: String =
            sqlx::query_scalar("SELECT id FROM schemes WHERE yearly_report = 1")
                .fetch_one(&s.db.pool)
                .await
                .expect("report scheme");
        let actor = admin(s).await;
        reminders::save_rules(
            s,
            &actor,
            &report_scheme,
            &[
                (ReminderKind::ReportDue, ""),
                (ReminderKind::InactiveSoon, "7"),
                (ReminderKind::Renewal, "6, 3, 1"),
            ],
        )
        .await
        .expect("saved");
        s.clock.advance(Duration::days(1));
        run(s).await;
        for kind in [
            ReminderKind::Renewal,
            ReminderKind::AttestationDue,
            ReminderKind::LinkExpiring,
            ReminderKind::ReportDue,
        ] {
            assert_eq!(sent(s, kind, &cert(kind)).await, 0, "{kind:?}");
        }
        // The rest still come: Lars's renewal, Erik's certificate about to go inactive.
        assert_eq!(
            sent(
                s,
                ReminderKind::InactiveSoon,
                &cert(ReminderKind::InactiveSoon)
            )
            .await,
            1
        );
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM reminders_sent").await, 2);
    }
}

#[tokio::test]
async fn the_rules_refuse_what_they_cannot_read_and_change_nothing() {
    for t in databases().await {
        let s = &t.state;
        world(s).await;
        let scheme: String = sqlx::query_scalar("SELECT id FROM schemes WHERE code = 'fgas-1'")
            .fetch_one(&s.db.pool)
            .await
            .expect("scheme");
        let actor = admin(s).await;
        let refused = reminders::save_rules(
            s,
            &actor,
            &scheme,
            &[
                (ReminderKind::Renewal, "25"),
                (ReminderKind::AttestationDue, "thirty"),
                (ReminderKind::LinkExpiring, "30"),
            ],
        )
        .await
        .expect_err("refused");
        for field in ["renewal", "attestation_due", "link_expiring"] {
            assert!(
                refused.field_message(field).is_some(),
                "{field}: {refused:?}"
            );
        }
        let rules = reminders::rules(&s.db, &scheme).await.expect("rules");
        assert!(rules.defaults);
        assert_eq!(rules.rules.renewal, vec![6, 3, 1]);
        let events = "SELECT COUNT(*) FROM events WHERE action = 'scheme.reminders_changed'";
        assert_eq!(count(&s.db, events).await, 0);
        // Saved, then the same again: one change, one event.
        for _ in 0..2 {
            reminders::save_rules(
                s,
                &actor,
                &scheme,
                &[
                    (ReminderKind::Renewal, "2 4"),
                    (ReminderKind::AttestationDue, "60, 30"),
                ],
            )
            .await
            .expect("saved");
        }
        let rules = reminders::rules(&s.db, &scheme).await.expect("rules");
        assert!(!rules.defaults);
        assert_eq!(rules.rules.renewal, vec![4, 2]);
        assert_eq!(rules.rules.attestation_due, vec![60, 30]);
        assert!(rules.rules.inactive_soon.is_empty());
        assert_eq!(count(&s.db, events).await, 1);
        assert!(matches!(
            reminders::save_rules(s, &actor, "no-such-scheme", &[]).await,
            Err(app::error::AppError::NotFound)
        ));
    }
}
