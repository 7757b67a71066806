#![cfg(feature = "ssr")]
//! The yearly report and renewal, day by day with two servers' schedulers, on SQLite and
//! PostgreSQL: the report's row comes 45 days before "Förläng senast" (not the day before, once
//! however often the day's job runs), its approval moves the date a year on (once), a missed
//! report makes the certificate inactive; a renewal opens from a year before "Giltigt till",
//! counts the archived documents, and its approval issues the next period's certificate.

use app::auth::model::{CurrentUser, Role};
use app::cases::deciding::{Choice, decide};
use app::cases::model::{Applied, CaseKind, Decided, Provided};
use app::cases::service::{self as cases, RequirementSpec, Uploader};
use app::certificates::model::Status;
use app::certificates::service::{self as certs, Issue};
use app::error::AppError;
use app::events::service::{Actor, Subject, verify};
use app::i18n::Locale;
use app::people::model::PersonDetails;
use app::state::AppState;
use app::testing::{both_servers_run_the_day, count, databases, day};
use chrono::Duration;

struct World {
    erik: String,
    /// Kontrollansvarig: extended by a yearly report.
    ka: String,
    /// F-gas: its application asks for a shared diploma and an exam certificate.
    fgas: String,
    exam: String,
    handler: CurrentUser,
}

async fn world(s: &AppState) -> World {
    let actor = Actor::system("test");
    let details = PersonDetails {
        first_name: "Erik".into(),
        last_name: "Holm".into(),
        email: "erik@exempel.se".into(),
        communication: "digital".into(),
        ..PersonDetails::default()
    };
    let erik = app::people::service::create(s, &actor, "19900412-9814", &details)
        .await
        .expect("erik");
    let mut tx = s.db.begin().await.expect("begin");
    let ka = certs::ensure_scheme(&mut tx, "ka", "Byggkontroll", "Kontrollansvarig", 5)
        .await
        .expect("ka");
    let fgas = certs::ensure_scheme(&mut tx, "fgas-1", "F-Gaser", "Kat I", 5)
        .await
        .expect("fgas");
    let spec = |name: &'static str, shared| RequirementSpec {
        name: (name, ""),
        help: ("Hjälp", "Help"),
        shared,
    };
    cases::ensure_requirements(
        &mut tx,
        &fgas,
        &[spec("Avgångsbetyg/Examen", true), spec("Provintyg", false)],
    )
    .await
    .expect("requirements");
    let exam = cases::requirement_id(&mut tx, &fgas, "Provintyg")
        .await
        .expect("exam");
    tx.commit().await.expect("commit");
    sqlx::query("UPDATE schemes SET yearly_report = 1, yearly_attestation = 0 WHERE id = $1")
        .bind(&ka)
        .execute(&s.db.pool)
        .await
        .expect("report scheme");
    app::testing::holder_account(s, &erik, "erik", "erik@exempel.se", "Erik").await;
    let handler = app::testing::staff_account(s, "hanna", Role::Handler).await;
    World {
        erik,
        ka,
        fgas,
        exam,
        handler,
    }
}

async fn certificate(
    s: &AppState,
    w: &World,
    (number, scheme): (&str, &str),
    extend_by: Option<i64>,
    valid_until: i64,
) -> String {
    let mut tx = s.db.begin().await.expect("begin");
    let extend_by = extend_by.map(|d| day(s, d));
    let id = certs::issue(
        &mut tx,
        &s.clock,
        &Actor::system("test"),
        &Issue {
            number,
            scheme_id: scheme,
            person_id: &w.erik,
            status: Status::Active,
            issued_on: &day(s, valid_until - 5 * 365),
            valid_until: &day(s, valid_until),
            extend_by: extend_by.as_deref(),
        },
    )
    .await
    .expect("certificate");
    tx.commit().await.expect("commit");
    id
}

async fn column(s: &AppState, sql: &str, id: &str) -> Option<String> {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(&s.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn report_cases(s: &AppState) -> Vec<String> {
    sqlx::query_scalar("SELECT id FROM cases WHERE kind = 'yearly_report' ORDER BY created_at")
        .fetch_all(&s.db.pool)
        .await
        .expect("cases")
}

/// Sends a PDF for `req` of the case, as the form would: the person's own, or staff's for a
/// report that came by post.
async fn send_as(s: &AppState, who: Uploader<'_>, case_id: &str, req: &str) {
    let file = app::cases::files::Incoming::of_bytes(
        &s.config.upload_dir,
        s.config.upload_max,
        &app::testing::files::pdf(),
    )
    .await
    .expect("incoming");
    let up = cases::Upload {
        case_id,
        requirement_id: req,
        original_name: "rapport.pdf",
        note: "",
    };
    cases::upload(s, &Actor::system("test"), who, &up, file)
        .await
        .expect("uploaded");
}

/// The person sends a PDF for `req` of their case.
async fn send(s: &AppState, w: &World, case_id: &str, req: &str) {
    send_as(s, Uploader::Person(&w.erik), case_id, req).await;
}

/// The day's job, in a transaction of its own.
async fn daily(s: &AppState) {
    let mut tx = s.db.begin().await.expect("begin");
    app::chores::daily(&mut tx, s)
        .await
        .expect("the day's job never fails");
    tx.commit().await.expect("commit");
}

/// The person sends the case ("MEDDELA OSS"), the handler takes it and approves it.
async fn sent_and_approved(s: &AppState, w: &World, case_id: &str) -> Decided {
    let actor = Actor::system("test");
    cases::ready(s, &actor, &w.erik, case_id)
        .await
        .expect("ready");
    app::cases::handling::take(s, &actor, &w.handler, case_id)
        .await
        .expect("take");
    let approve = Choice::Approve {
        level_id: "",
        plastic_card: false,
        published: false,
    };
    decide(s, &actor, &w.handler, case_id, approve)
        .await
        .expect("decide")
}

#[tokio::test]
async fn the_report_row_comes_45_days_before_once_and_its_approval_moves_the_date_once() {
    for t in databases().await {
        let s = &t.state;
        let other = t.second_server().await;
        let w = world(s).await;
        // "Förläng senast" in 46 days: the report's day is tomorrow.
        let cert = certificate(s, &w, ("KA-1", &w.ka), Some(46), 1000).await;
        // Attestation is not how it is extended.
        let view = certs::view(s, &w.handler, &cert, 1).await.expect("view");
        assert_eq!(
            view.not_now.map(|m| Locale::Sv.msg(&m)),
            Some(
                Locale::Sv
                    .text(app::i18n::Text::CertBlockedByReport)
                    .to_owned()
            )
        );
        // The day before, its day, the day after.
        for (step, expected) in [(0, 0), (1, 1), (1, 1)] {
            s.clock.advance(Duration::days(step));
            both_servers_run_the_day(s, &other).await;
            assert_eq!(report_cases(s).await.len(), expected, "day +{step}");
            let reminded = format!(
                "SELECT COUNT(*) FROM reminders_sent WHERE kind = 'report_due' AND certificate_id = '{cert}'"
            );
            assert_eq!(
                count(&s.db, &reminded).await,
                expected as i64,
                "day +{step}"
            );
        }
        let case = report_cases(s).await.remove(0);
        // "Ladda upp intyg" has the report's one row; the panel names the certificate and date.
        let panel = cases::panel(s, &w.erik, &case).await.expect("panel");
        assert_eq!(panel.kind, CaseKind::YearlyReport);
        assert_eq!(panel.certificate_number.as_deref(), Some("KA-1"));
        let due = day(s, 44);
        assert_eq!(panel.report_due.as_deref(), Some(due.as_str()));
        let rows: Vec<&str> = panel
            .requirements
            .iter()
            .map(|r| r.name.sv.as_str())
            .collect();
        assert_eq!(rows, ["Årsrapport"]);
        // Not sent without the report.
        let err = cases::ready(s, &Actor::system("Erik"), &w.erik, &case)
            .await
            .expect_err("missing");
        assert!(err.field_text("documents", Locale::Sv).is_some(), "{err:?}");
        send(s, &w, &case, &panel.requirements[0].id).await;
        // The next reminder step is not sent once the report is sent (checked in reminders.rs);
        // approval moves the date a year on from the date the report answered.
        let decided = sent_and_approved(s, &w, &case).await;
        let next = (s.clock.today() + Duration::days(44))
            .checked_add_months(chrono::Months::new(12))
            .expect("a year on")
            .to_string();
        assert_eq!(
            decided,
            Decided::Reported {
                number: "KA-1".into(),
                extend_by: next.clone()
            }
        );
        let extend_by = "SELECT extend_by FROM certificates WHERE id = $1";
        assert_eq!(column(s, extend_by, &cert).await, Some(next.clone()));
        // Decided again (a second press): nothing moves twice.
        let again = decide(
            s,
            &Actor::system("test"),
            &w.handler,
            &case,
            Choice::Approve {
                level_id: "",
                plastic_card: false,
                published: false,
            },
        )
        .await
        .expect("again");
        assert!(matches!(again, Decided::AlreadyDecided { .. }), "{again:?}");
        assert_eq!(column(s, extend_by, &cert).await, Some(next));
        let events = format!(
            "SELECT COUNT(*) FROM events WHERE subject_id = '{cert}' AND action = 'certificate.report_approved'"
        );
        assert_eq!(count(&s.db, &events).await, 1);
        // The next days open nothing more: the next report is a year away.
        for _ in 0..3 {
            s.clock.advance(Duration::days(1));
            both_servers_run_the_day(s, &other).await;
        }
        assert_eq!(report_cases(s).await.len(), 1);
        verify(&s.db, Subject::certificate(&cert))
            .await
            .expect("read")
            .expect("the event chain holds");
    }
}

#[tokio::test]
async fn a_missed_report_makes_the_certificate_inactive_and_a_late_one_restores_it() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let cert = certificate(s, &w, ("KA-2", &w.ka), Some(1), 1000).await;
        let status = "SELECT status FROM certificates WHERE id = $1";
        // The report opened (its day is long past: opened the first day the job ran).
        daily(s).await;
        let case = report_cases(s).await.remove(0);
        // The day it is due: still active. The day after: inactive, told.
        s.clock.advance(Duration::days(1));
        daily(s).await;
        assert_eq!(column(s, status, &cert).await.as_deref(), Some("active"));
        s.clock.advance(Duration::days(1));
        daily(s).await;
        assert_eq!(column(s, status, &cert).await.as_deref(), Some("inactive"));
        let told = "SELECT COUNT(*) FROM messages WHERE kind = 'certificates_inactive'";
        assert_eq!(count(&s.db, told).await, 1);
        // The report sent late and approved: active again, a year on from the date it answered.
        let panel = cases::panel(s, &w.erik, &case).await.expect("panel");
        send(s, &w, &case, &panel.requirements[0].id).await;
        sent_and_approved(s, &w, &case).await;
        assert_eq!(column(s, status, &cert).await.as_deref(), Some("active"));
        let extend_by = "SELECT extend_by FROM certificates WHERE id = $1";
        let next = (s.clock.today() - Duration::days(1))
            .checked_add_months(chrono::Months::new(12))
            .expect("a year on")
            .to_string();
        assert_eq!(column(s, extend_by, &cert).await, Some(next));
    }
}

#[tokio::test]
async fn a_renewal_counts_the_archive_and_issues_the_next_period_once() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let actor = Actor::system("Erik");
        // Erik's first F-gas application, with its exam certificate sent and approved.
        let first = match cases::apply(s, &actor, &w.erik, &w.fgas, "").await {
            Ok(Applied::Opened { id }) => id,
            other => panic!("{other:?}"),
        };
        send(s, &w, &first, &w.exam).await;
        let diploma = cases::panel(s, &w.erik, &first)
            .await
            .expect("panel")
            .requirements
            .iter()
            .find(|r| r.shared)
            .expect("diploma")
            .id
            .clone();
        send(s, &w, &first, &diploma).await;
        let Decided::Approved { number } = sent_and_approved(s, &w, &first).await else {
            panic!("approved");
        };
        let old: String = sqlx::query_scalar("SELECT id FROM certificates WHERE number = $1")
            .bind(&number)
            .fetch_one(&s.db.pool)
            .await
            .expect("certificate");
        let valid_until: String = column(
            s,
            "SELECT valid_until FROM certificates WHERE id = $1",
            &old,
        )
        .await
        .expect("valid until");
        // Too early: refused with the day it opens, and nothing opened.
        let err = app::cases::renewal::apply(s, &actor, &w.erik, &old)
            .await
            .expect_err("too early");
        let why = err.field_text("certificate", Locale::Sv).expect("why");
        assert!(why.contains("Förnyelse kan sökas från"), "{why}");
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM cases WHERE kind = 'renewal'").await,
            0
        );
        // Another person's certificate is not found.
        let other = app::people::service::create(
            s,
            &Actor::system("test"),
            "19850709-9805",
            &PersonDetails {
                first_name: "Anja".into(),
                last_name: "Åström".into(),
                communication: "digital".into(),
                ..PersonDetails::default()
            },
        )
        .await
        .expect("anja");
        let err = app::cases::renewal::apply(s, &actor, &other, &old).await;
        assert!(matches!(err, Err(AppError::NotFound)), "{err:?}");
        // Eleven months before "Giltigt till": the renewal opens, counting the archive.
        let days_left = (chrono::NaiveDate::parse_from_str(&valid_until, "%Y-%m-%d")
            .expect("date")
            - s.clock.today())
        .num_days();
        s.clock.advance(Duration::days(days_left - 330));
        let view = app::cases::renewal::view(s, &w.erik, &old)
            .await
            .expect("view");
        assert_eq!(view.blocked, None);
        assert_eq!(view.reused.len(), 2, "{:?}", view.reused);
        let renewal = match app::cases::renewal::apply(s, &actor, &w.erik, &old).await {
            Ok(Applied::Opened { id }) => id,
            other => panic!("{other:?}"),
        };
        // Sent twice (a double click): the same case.
        assert_eq!(
            app::cases::renewal::apply(s, &actor, &w.erik, &old)
                .await
                .expect("again"),
            Applied::AlreadyOpen {
                id: renewal.clone()
            }
        );
        let panel = cases::panel(s, &w.erik, &renewal).await.expect("panel");
        assert_eq!(panel.kind, CaseKind::Renewal);
        assert!(
            panel
                .requirements
                .iter()
                .all(|r| matches!(r.provided, Provided::Uploaded { .. })),
            "the archive answers every document: {:?}",
            panel.requirements
        );
        // Approved: the next period follows on from the old one's end.
        let Decided::Approved { number: next } = sent_and_approved(s, &w, &renewal).await else {
            panic!("approved");
        };
        assert_ne!(next, number);
        let new_valid: String =
            sqlx::query_scalar("SELECT valid_until FROM certificates WHERE number = $1")
                .bind(&next)
                .fetch_one(&s.db.pool)
                .await
                .expect("next");
        let expected = chrono::NaiveDate::parse_from_str(&valid_until, "%Y-%m-%d")
            .expect("date")
            .checked_add_months(chrono::Months::new(60))
            .expect("five years");
        assert_eq!(new_valid, expected.to_string());
        let renewed = "SELECT renewed_by FROM certificates WHERE id = $1";
        assert!(column(s, renewed, &old).await.is_some());
        // Renewed: no one attests the old one any more.
        let view = certs::view(s, &w.handler, &old, 1).await.expect("view");
        assert_eq!(
            view.not_now.map(|m| Locale::Sv.msg(&m)),
            Some(
                Locale::Sv
                    .text(app::i18n::Text::CertBlockedRenewed)
                    .to_owned()
            )
        );
        // Renewed: a second renewal is refused, in words.
        let err = app::cases::renewal::apply(s, &actor, &w.erik, &old)
            .await
            .expect_err("renewed");
        assert_eq!(
            err.field_text("certificate", Locale::Sv).as_deref(),
            Some("Certifikatet är redan förnyat.")
        );
        // The public page tells of it.
        let public = app::certificates::verification::public(s, &number)
            .await
            .expect("public")
            .expect("found");
        assert!(
            public
                .history
                .iter()
                .any(|e| e.change.words(Locale::Sv).contains(&next)),
            "{:?}",
            public.history
        );
        verify(&s.db, Subject::certificate(&old))
            .await
            .expect("read")
            .expect("the event chain holds");
    }
}

#[tokio::test]
async fn administrators_choose_report_or_attestation_once() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let admin = app::testing::staff_account(s, "bodil", Role::BodyAdmin).await;
        let actor = Actor::system("bodil");
        let cert = certificate(s, &w, ("F-1", &w.fgas), Some(30), 1000).await;
        let attestable = async || {
            certs::view(s, &admin, &cert, 1)
                .await
                .expect("view")
                .not_now
                .map(|m| Locale::Sv.msg(&m))
        };
        assert_eq!(
            attestable().await,
            None,
            "attested until the scheme says otherwise"
        );
        // By report: the scheme gets its report row, and attestation stops.
        assert!(
            app::reminders::service::set_extension(s, &actor, &w.fgas, true)
                .await
                .expect("report")
        );
        assert!(attestable().await.is_some_and(|m| m.contains("årsrapport")));
        let rows = "SELECT COUNT(*) FROM required_documents WHERE case_kind = 'yearly_report'";
        assert_eq!(count(&s.db, rows).await, 1);
        // The same choice again (a form sent twice): nothing changes, nothing is logged.
        assert!(
            !app::reminders::service::set_extension(s, &actor, &w.fgas, true)
                .await
                .expect("again")
        );
        let logged = "SELECT COUNT(*) FROM events WHERE action = 'scheme.extension_changed'";
        assert_eq!(count(&s.db, logged).await, 1);
        assert_eq!(count(&s.db, rows).await, 1);
        // Back to attestation.
        assert!(
            app::reminders::service::set_extension(s, &actor, &w.fgas, false)
                .await
                .expect("attestation")
        );
        assert_eq!(attestable().await, None);
        // A scheme without a yearly extension is refused in words.
        sqlx::query("UPDATE schemes SET yearly_attestation = 0, yearly_report = 0 WHERE id = $1")
            .bind(&w.ka)
            .execute(&s.db.pool)
            .await
            .expect("none");
        let err = app::reminders::service::set_extension(s, &actor, &w.ka, true)
            .await
            .expect_err("no yearly extension");
        assert!(err.field_text("by", Locale::Sv).is_some(), "{err:?}");
    }
}

#[tokio::test]
async fn what_the_review_found_stays_fixed() {
    use app::certificates::model::StatusChange;
    use app::certificates::verification::change_status;
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let staff = Actor::system("hanna");
        // An application's document already named "Årsrapport": the report row takes another
        // name, and the day's job goes on.
        let mut tx = s.db.begin().await.expect("begin");
        cases::ensure_requirements(
            &mut tx,
            &w.ka,
            &[RequirementSpec {
                name: ("Årsrapport", ""),
                help: ("", ""),
                shared: false,
            }],
        )
        .await
        .expect("requirement");
        tx.commit().await.expect("commit");
        let cert = certificate(s, &w, ("KA-3", &w.ka), Some(10), 1000).await;
        daily(s).await;
        let case = report_cases(s).await.remove(0);
        let panel = cases::panel(s, &w.erik, &case).await.expect("panel");
        let rows: Vec<&str> = panel
            .requirements
            .iter()
            .map(|r| r.name.sv.as_str())
            .collect();
        assert_eq!(rows, ["Årsrapport 2"]);
        // The report row of a scheme extended by reports is not removed.
        let admin = Actor::system("bodil");
        let err = cases::remove_requirement(s, &admin, &w.ka, &panel.requirements[0].id)
            .await
            .expect_err("needed");
        assert!(err.field_text("id", Locale::Sv).is_some(), "{err:?}");
        // Sent, then the certificate suspended: the report is not approved, nothing moves.
        send(s, &w, &case, &panel.requirements[0].id).await;
        cases::ready(s, &staff, &w.erik, &case)
            .await
            .expect("ready");
        app::cases::handling::take(s, &staff, &w.handler, &case)
            .await
            .expect("take");
        change_status(s, &staff, &cert, StatusChange::Suspend, "Utredning pågår")
            .await
            .expect("suspended");
        let approve = Choice::Approve {
            level_id: "",
            plastic_card: false,
            published: false,
        };
        let err = decide(s, &staff, &w.handler, &case, approve)
            .await
            .expect_err("suspended");
        assert!(err.field_text("decision", Locale::Sv).is_some(), "{err:?}");
        let extend_by = "SELECT extend_by FROM certificates WHERE id = $1";
        assert_eq!(column(s, extend_by, &cert).await, Some(day(s, 10)));
        // Reinstated: approved.
        change_status(
            s,
            &staff,
            &cert,
            StatusChange::Reinstate,
            "Utredningen är klar",
        )
        .await
        .expect("reinstated");
        assert!(matches!(
            decide(s, &staff, &w.handler, &case, approve).await,
            Ok(Decided::Reported { .. })
        ));

        // Someone without an account sends the report by post: staff upload it and approve it.
        let anja = app::people::service::create(
            s,
            &staff,
            "19850709-9805",
            &PersonDetails {
                first_name: "Anja".into(),
                last_name: "Åström".into(),
                communication: "analog".into(),
                ..PersonDetails::default()
            },
        )
        .await
        .expect("anja");
        let mut tx = s.db.begin().await.expect("begin");
        let hers = certs::issue(
            &mut tx,
            &s.clock,
            &staff,
            &Issue {
                number: "KA-4",
                scheme_id: &w.ka,
                person_id: &anja,
                status: Status::Active,
                issued_on: &day(s, -100),
                valid_until: &day(s, 1000),
                extend_by: Some(&day(s, 20)),
            },
        )
        .await
        .expect("certificate");
        tx.commit().await.expect("commit");
        daily(s).await;
        let by_post: String = sqlx::query_scalar(
            "SELECT id FROM cases WHERE kind = 'yearly_report' AND about_certificate = $1",
        )
        .bind(&hers)
        .fetch_one(&s.db.pool)
        .await
        .expect("her report");
        send_as(s, Uploader::Staff, &by_post, &panel.requirements[0].id).await;
        app::cases::handling::take(s, &staff, &w.handler, &by_post)
            .await
            .expect("take");
        assert!(matches!(
            decide(s, &staff, &w.handler, &by_post, approve).await,
            Ok(Decided::Reported { .. })
        ));
    }
}
