#![cfg(feature = "ssr")]
//! Training providers on SQLite and PostgreSQL: a booking's life from "Okänt" to "Fullföljd",
//! only by its provider; the certificate refused where the course has none; a graded
//! certificate hidden from the employer until the participant consents, and again once they
//! withdraw it; another provider's booking unreachable; forms sent twice change nothing; the
//! review asked once and reminded once a week later; a withdrawn certificate's page says so;
//! the signed statement known to "Kontrollera en PDF"; participants invited by email; the logo.

use app::auth::model::{CurrentUser, Grant, Role};
use app::cases::files::Incoming;
use app::certificates::model::PdfVerdict;
use app::error::AppError;
use app::events::service::Actor;
use app::people::model::PersonDetails;
use app::state::AppState;
use app::testing::{count, databases, files, validate, validators};
use app::training::model::{Certification, Changed, Status};
use app::training::service::{self as training, Booked, CourseForm, Uploaded};

struct World {
    provider: CurrentUser,
    other_provider: CurrentUser,
    employer: CurrentUser,
    participant: CurrentUser,
    handler: CurrentUser,
    company: String,
    erik: String,
    graded: String,
    plain: String,
}

fn scoped(account_id: &str, role: Role, scope: &str) -> CurrentUser {
    CurrentUser {
        account_id: account_id.to_owned(),
        username: format!("{}-{scope}", role.code()),
        display_name: role.code().to_owned(),
        grants: vec![Grant {
            role,
            scope: scope.to_owned(),
        }],
        person_id: None,
    }
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
    let orgnr = app::types::Orgnr::parse("5560160680").expect("orgnr");
    let company = app::companies::service::insert(
        &mut tx,
        &s.clock,
        &actor,
        &orgnr,
        &app::companies::model::CompanyDetails {
            name: "Kylteknik AB".into(),
            billing_method: "post".into(),
            ..Default::default()
        },
    )
    .await
    .expect("company");
    tx.commit().await.expect("commit");
    sqlx::query("INSERT INTO employments (id, company_id, person_id, position, start_date, created_at) VALUES ('e1', $1, $2, 'Tekniker', '2020-01-01', '2026-01-01')")
        .bind(&company)
        .bind(&erik)
        .execute(&s.db.pool)
        .await
        .expect("employment");
    let participant =
        app::testing::holder_account(s, &erik, "erik", "erik@exempel.se", "Erik").await;
    let admin = app::testing::staff_account(s, "astrid", Role::BodyAdmin).await;
    let a = training::create_provider(s, &actor, "5591122337", "Kylakademin AB")
        .await
        .expect("provider");
    let b = training::create_provider(s, &actor, "5566778899", "Annan Utbildning AB")
        .await
        .expect("other provider");
    assert!(
        matches!(
            training::create_provider(s, &actor, "559112-2337", "Igen AB").await,
            Err(AppError::Validation(_))
        ),
        "an organisation number is one provider's"
    );
    let provider = scoped("pa", Role::ProviderStaff, &a);
    let other_provider = scoped("pb", Role::ProviderStaff, &b);
    let form = |title| CourseForm {
        title,
        description: "",
        starts_on: "2026-12-08",
        price: "12500",
    };
    let graded = training::save_course(s, &actor, &provider, &a, "", &form("Köldmedier"))
        .await
        .expect("graded course");
    training::set_certification(s, &actor, &provider, &graded, "Intyg köldmedier", true, "")
        .await
        .expect("certification");
    let plain = training::save_course(s, &actor, &provider, &a, "", &form("Brandskydd"))
        .await
        .expect("plain course");
    // Another provider cannot add to or change this one's courses.
    assert!(matches!(
        training::save_course(s, &actor, &other_provider, &a, "", &form("Intrång")).await,
        Err(AppError::NotFound)
    ));
    assert!(matches!(
        training::set_certification(s, &actor, &other_provider, &plain, "X", false, "").await,
        Err(AppError::NotFound)
    ));
    let _ = admin;
    World {
        provider,
        other_provider,
        employer: scoped("", Role::CompanyAdmin, &company),
        participant,
        handler: app::testing::staff_account(s, "hanna", Role::Handler).await,
        company,
        erik,
        graded,
        plain,
    }
}

async fn pdf(s: &AppState, bytes: &[u8]) -> app::cases::files::Received {
    Incoming::of_bytes(&s.config.upload_dir, s.config.upload_max, bytes)
        .await
        .expect("received")
}

/// The employer books Erik on the graded course: the booking's id.
async fn booked(s: &AppState, w: &World) -> String {
    let actor = Actor::system("test");
    training::book(s, &actor, &w.employer, &w.company, &w.erik, &w.graded)
        .await
        .expect("booked");
    sqlx::query_scalar("SELECT id FROM bookings")
        .fetch_one(&s.db.pool)
        .await
        .expect("id")
}

/// The provider marks the booking "Fullföljd" and uploads its certificate.
async fn completed_with_certificate(s: &AppState, w: &World, id: &str) {
    let actor = Actor::system("test");
    training::change_status(s, &actor, &w.provider, id, "completed")
        .await
        .expect("completed");
    training::upload_certificate(
        s,
        &actor,
        &w.provider,
        id,
        "intyg.pdf",
        pdf(s, &files::pdf()).await,
    )
    .await
    .expect("uploaded");
}

fn field<T: std::fmt::Debug>(r: Result<T, AppError>, name: &str) -> String {
    match r {
        Err(e) => e
            .field_text(name, app::i18n::Locale::Sv)
            .unwrap_or_else(|| panic!("no message for {name}: {e:?}")),
        Ok(v) => panic!("expected a refusal of {name}, got {v:?}"),
    }
}

#[tokio::test]
async fn a_booking_goes_from_okant_to_fullfojd_by_its_provider_only() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let actor = Actor::system("test");
        // The employer books; the same form again changes nothing.
        let booked = training::book(s, &actor, &w.employer, &w.company, &w.erik, &w.graded).await;
        assert_eq!(booked.expect("booked"), Booked::New);
        let again = training::book(s, &actor, &w.employer, &w.company, &w.erik, &w.graded).await;
        assert_eq!(again.expect("again"), Booked::Already);
        let id: String = sqlx::query_scalar("SELECT id FROM bookings")
            .fetch_one(&s.db.pool)
            .await
            .expect("booking");
        let b = training::booking(s, &w.provider, &id, 1)
            .await
            .expect("booking");
        assert_eq!(b.status, Status::Unknown);
        assert!(b.manage);
        // A stranger (another provider) finds nothing; the participant and the employer read
        // it but change nothing.
        assert!(matches!(
            training::booking(s, &w.other_provider, &id, 1).await,
            Err(AppError::NotFound)
        ));
        for who in [&w.participant, &w.employer] {
            assert!(
                !training::booking(s, who, &id, 1)
                    .await
                    .expect("read")
                    .manage
            );
            assert!(matches!(
                training::change_status(s, &actor, who, &id, "completed").await,
                Err(AppError::Forbidden)
            ));
        }
        assert!(matches!(
            training::change_status(s, &actor, &w.other_provider, &id, "completed").await,
            Err(AppError::NotFound)
        ));
        assert!(
            !field(
                training::change_status(s, &actor, &w.provider, &id, "unknown").await,
                "status"
            )
            .is_empty()
        );
        for (to, status) in [
            ("registered", Status::Registered),
            ("started", Status::Started),
            ("completed", Status::Completed),
        ] {
            let changed = training::change_status(s, &actor, &w.provider, &id, to).await;
            assert_eq!(changed.expect("changed"), Changed::Changed);
            let twice = training::change_status(s, &actor, &w.provider, &id, to).await;
            assert_eq!(twice.expect("twice"), Changed::Already, "a form sent twice");
            assert_eq!(
                training::booking(s, &w.handler, &id, 1)
                    .await
                    .expect("b")
                    .status,
                status
            );
        }
        // One event per change (booked, three statuses), and the participant told each time.
        let events = count(
            &s.db,
            &format!(
                "SELECT COUNT(*) FROM events WHERE subject_type = 'booking' AND subject_id = '{id}'"
            ),
        )
        .await;
        assert_eq!(events, 4, "{:?}", t.backend());
        let told = count(
            &s.db,
            "SELECT COUNT(*) FROM messages WHERE kind = 'training'",
        )
        .await;
        assert_eq!(told, 4, "{:?}", t.backend());
    }
}

#[tokio::test]
async fn the_certificate_is_refused_without_a_certification_and_hidden_until_consent() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let actor = Actor::system("test");
        for course in [&w.plain, &w.graded] {
            training::book(s, &actor, &w.employer, &w.company, &w.erik, course)
                .await
                .expect("booked");
        }
        let booking_of = |course: &str| {
            let course = course.to_owned();
            async move {
                sqlx::query_scalar::<_, String>("SELECT id FROM bookings WHERE course_id = $1")
                    .bind(course)
                    .fetch_one(&s.db.pool)
                    .await
                    .expect("booking")
            }
        };
        let (plain, graded) = (booking_of(&w.plain).await, booking_of(&w.graded).await);
        // Not yet "Fullföljd": refused in words; no certification: refused whatever the status.
        assert!(
            field(
                training::check_upload(s, &w.provider, &graded).await,
                "file"
            )
            .contains("Fullföljd")
        );
        for b in [&plain, &graded] {
            training::change_status(s, &actor, &w.provider, b, "completed")
                .await
                .expect("completed");
        }
        let refused = training::upload_certificate(
            s,
            &actor,
            &w.provider,
            &plain,
            "intyg.pdf",
            pdf(s, &files::pdf()).await,
        )
        .await;
        assert!(field(refused, "file").contains("certifiering"));
        assert_eq!(
            training::booking(s, &w.provider, &plain, 1)
                .await
                .expect("b")
                .certification,
            Certification::None
        );
        // Not a PDF: refused by its content.
        let exe = training::upload_certificate(
            s,
            &actor,
            &w.provider,
            &graded,
            "intyg.pdf",
            pdf(s, &files::docx()).await,
        )
        .await;
        assert!(!field(exe, "file").is_empty());
        let up = training::upload_certificate(
            s,
            &actor,
            &w.provider,
            &graded,
            "intyg.pdf",
            pdf(s, &files::pdf()).await,
        )
        .await;
        assert_eq!(up.expect("uploaded"), Uploaded::New);
        let twice = training::upload_certificate(
            s,
            &actor,
            &w.provider,
            &graded,
            "intyg.pdf",
            pdf(s, &files::pdf()).await,
        )
        .await;
        assert_eq!(twice.expect("twice"), Uploaded::Already);
        // Graded: the employer sees neither the certificate nor its file until consent.
        let hidden = |who: &CurrentUser| {
            let (who, graded) = (who.clone(), graded.clone());
            async move {
                let b = training::booking(s, &who, &graded, 1)
                    .await
                    .expect("booking");
                let file = training::certificate_file(s, &who, &graded).await;
                (
                    matches!(b.certification, Certification::Hidden),
                    file.is_err(),
                )
            }
        };
        assert_eq!(hidden(&w.employer).await, (true, true));
        for who in [&w.participant, &w.provider, &w.handler] {
            assert_eq!(hidden(who).await, (false, false));
        }
        let company_list = training::company_training(s, &w.employer, &w.company)
            .await
            .expect("list");
        assert!(
            company_list
                .bookings
                .iter()
                .all(|b| !b.certificate || b.id == plain)
        );
        // Only the participant consents.
        assert!(matches!(
            training::consent(s, &actor, &w.employer, &graded, true).await,
            Err(AppError::Forbidden | AppError::NotFound)
        ));
        assert_eq!(
            training::consent(s, &actor, &w.participant, &graded, true)
                .await
                .expect("c"),
            Changed::Changed
        );
        assert_eq!(
            training::consent(s, &actor, &w.participant, &graded, true)
                .await
                .expect("c"),
            Changed::Already
        );
        assert_eq!(hidden(&w.employer).await, (false, false));
        assert_eq!(
            training::consent(s, &actor, &w.participant, &graded, false)
                .await
                .expect("w"),
            Changed::Changed
        );
        assert_eq!(hidden(&w.employer).await, (true, true), "{:?}", t.backend());
        // The review: once; then LinkedIn is offered.
        assert!(
            training::mine(s, &w.participant)
                .await
                .expect("mine")
                .iter()
                .all(|b| b.linkedin.is_none())
        );
        assert!(
            !field(
                training::review(s, &actor, &w.participant, &graded, "6", "").await,
                "rating"
            )
            .is_empty()
        );
        assert_eq!(
            training::review(s, &actor, &w.participant, &graded, "5", "Bra")
                .await
                .expect("r"),
            Changed::Changed
        );
        assert_eq!(
            training::review(s, &actor, &w.participant, &graded, "1", "Igen")
                .await
                .expect("r"),
            Changed::Already
        );
        let mine = training::mine(s, &w.participant).await.expect("mine");
        let linkedin = mine
            .iter()
            .find_map(|b| b.linkedin.clone())
            .expect("linkedin");
        assert!(
            linkedin
                .link()
                .contains("organizationName=Kylakademin%20AB"),
            "{}",
            linkedin.link()
        );
        let profile = training::profile(s, None, &w.provider.grants[0].scope)
            .await
            .expect("profile");
        assert_eq!(profile.reviews.len(), 1);
        assert_eq!(profile.average, Some(50));
        // Withdrawn: the public page says so, and a second withdrawal changes nothing.
        let code = match training::booking(s, &w.provider, &graded, 1)
            .await
            .expect("b")
            .certification
        {
            Certification::Shown(c) => c.code,
            other => panic!("{other:?}"),
        };
        assert!(
            training::verification(s, &code)
                .await
                .expect("v")
                .withdrawn
                .is_none()
        );
        assert!(
            !field(
                training::withdraw(s, &actor, &w.provider, &graded, " ").await,
                "reason"
            )
            .is_empty()
        );
        assert!(matches!(
            training::withdraw(s, &actor, &w.participant, &graded, "Fel").await,
            Err(AppError::Forbidden)
        ));
        assert_eq!(
            training::withdraw(s, &actor, &w.provider, &graded, "Utfärdat felaktigt")
                .await
                .expect("w"),
            Changed::Changed
        );
        assert_eq!(
            training::withdraw(s, &actor, &w.provider, &graded, "Igen")
                .await
                .expect("w"),
            Changed::Already
        );
        let v = training::verification(s, &code).await.expect("v");
        assert_eq!(
            v.withdrawn.map(|(_, r)| r),
            Some("Utfärdat felaktigt".to_owned())
        );
        // The stored file stays while a booking points at it.
        assert_eq!(
            count(
                &s.db,
                "SELECT COUNT(*) FROM bookings WHERE cert_sha256 IS NOT NULL"
            )
            .await,
            1
        );
    }
}

#[tokio::test]
async fn the_review_is_reminded_once_a_week_after_fullfojd() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let actor = Actor::system("test");
        let id = booked(s, &w).await;
        training::change_status(s, &actor, &w.provider, &id, "completed")
            .await
            .expect("completed");
        let reminders = "SELECT COUNT(*) FROM messages WHERE body LIKE 'Påminnelse%'";
        for day in 1..=10 {
            s.clock.advance(chrono::Duration::days(1));
            let mut tx = s.db.begin().await.expect("begin");
            training::remind_reviews(&mut tx, s).await.expect("remind");
            training::remind_reviews(&mut tx, s).await.expect("twice");
            tx.commit().await.expect("commit");
            let n = count(&s.db, reminders).await;
            assert_eq!(n, i64::from(day >= 7), "day {day} {:?}", t.backend());
        }
    }
}

#[tokio::test]
async fn the_signed_statement_is_valid_for_third_party_validators_and_not_after_withdrawal() {
    let t = &databases().await[0];
    let s = &t.state;
    let w = world(s).await;
    let actor = Actor::system("test");
    let id = booked(s, &w).await;
    completed_with_certificate(s, &w, &id).await;
    // The employer may not have it before consent; the participant may.
    assert!(matches!(
        training::signed_certificate(s, &w.employer, &id, app::i18n::Locale::Sv).await,
        Err(AppError::NotFound)
    ));
    let (signed, name) =
        training::signed_certificate(s, &w.participant, &id, app::i18n::Locale::Sv)
            .await
            .expect("signed");
    assert!(name.starts_with("kursintyg-K-"), "{name}");
    if let Some((pyhanko, pdfsig)) = validators() {
        let dir = tempfile::tempdir().expect("dir");
        let ca = dir.path().join("ca.pem");
        std::fs::write(&ca, s.config.seal.root_pem()).expect("ca");
        let file = dir.path().join("kursintyg.pdf");
        std::fs::write(&file, &signed).expect("pdf");
        let (passed, hanko, sig) = validate(&pyhanko, &pdfsig, &ca, &file);
        assert!(
            passed && hanko.contains("INTACT:TRUSTED,UNTOUCHED"),
            "pyHanko: {hanko}"
        );
        assert_eq!(sig, "- Signature Validation: Signature is Valid.");
    }
    // "Kontrollera en PDF" knows it as ours; an edited copy is caught.
    let check = |pdf: Vec<u8>| async move {
        app::certificates::verification::check_pdf(s, &pdf, |digest| {
            training::statement_verdict(s, digest)
        })
        .await
        .expect("checked")
    };
    let code = name
        .trim_start_matches("kursintyg-")
        .trim_end_matches(".pdf")
        .to_owned();
    let verdict = check(signed.clone()).await;
    assert!(
        matches!(&verdict, PdfVerdict::CourseStatement { code: c, withdrawn: false, .. } if *c == code),
        "{verdict:?}"
    );
    let at = signed
        .windows(code.len())
        .position(|w| w == code.as_bytes())
        .expect("the code in the PDF");
    let mut edited = signed.clone();
    edited[at] = b'X';
    assert_eq!(check(edited).await, PdfVerdict::Altered);
    training::withdraw(s, &actor, &w.provider, &id, "Fel deltagare")
        .await
        .expect("withdrawn");
    assert!(matches!(
        training::signed_certificate(s, &w.participant, &id, app::i18n::Locale::Sv).await,
        Err(AppError::NotFound)
    ));
    let verdict = check(signed).await;
    assert!(
        matches!(
            verdict,
            PdfVerdict::CourseStatement {
                withdrawn: true,
                ..
            }
        ),
        "{verdict:?}"
    );
}

#[tokio::test]
async fn the_participant_attaches_a_required_course_to_their_application_once() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let actor = Actor::system("test");
        // The course is required training for a scheme Erik has applied for.
        let mut tx = s.db.begin().await.expect("begin");
        let scheme =
            app::certificates::service::ensure_scheme(&mut tx, "fgas-1", "F-Gaser", "Kat I", 5)
                .await
                .expect("scheme");
        app::cases::service::ensure_requirements(
            &mut tx,
            &scheme,
            &[app::cases::service::RequirementSpec {
                name: ("Utbildningsintyg", "Training certificate"),
                help: ("", ""),
                shared: false,
            }],
        )
        .await
        .expect("requirement");
        let requirement = app::cases::service::requirement_id(&mut tx, &scheme, "Utbildningsintyg")
            .await
            .expect("requirement id");
        tx.commit().await.expect("commit");
        let case = match app::cases::service::apply(s, &actor, &w.erik, &scheme, "").await {
            Ok(app::cases::model::Applied::Opened { id }) => id,
            other => panic!("case: {other:?}"),
        };
        training::set_certification(
            s,
            &actor,
            &w.provider,
            &w.graded,
            "Intyg köldmedier",
            true,
            &scheme,
        )
        .await
        .expect("certification with scheme");
        let id = booked(s, &w).await;
        // Nothing to attach before the certificate is there.
        assert!(
            !field(
                training::attach_to_case(s, &actor, &w.participant, &id, "x/y").await,
                "target"
            )
            .is_empty()
        );
        completed_with_certificate(s, &w, &id).await;
        let mine = training::mine(s, &w.participant).await.expect("mine");
        let target = format!("{case}/{requirement}");
        let offered: Vec<&str> = mine[0].attach_to.iter().map(|(v, _)| v.as_str()).collect();
        assert_eq!(offered, [target.as_str()]);
        // Another's case, or a made-up document, is refused; the provider cannot attach.
        assert!(
            !field(
                training::attach_to_case(s, &actor, &w.participant, &id, &format!("{case}/other"))
                    .await,
                "target"
            )
            .is_empty()
        );
        assert!(matches!(
            training::attach_to_case(s, &actor, &w.provider, &id, &target).await,
            Err(AppError::Forbidden)
        ));
        let first = training::attach_to_case(s, &actor, &w.participant, &id, &target)
            .await
            .expect("attached");
        let again = training::attach_to_case(s, &actor, &w.participant, &id, &target)
            .await
            .expect("again");
        assert_eq!(first, again, "the same file twice is one document");
        assert_eq!(first.case_id, case);
        let docs = count(
            &s.db,
            &format!("SELECT COUNT(*) FROM documents WHERE case_id = '{case}'"),
        )
        .await;
        assert_eq!(docs, 1, "{:?}", t.backend());
        // A withdrawn certificate is not attached.
        training::withdraw(s, &actor, &w.provider, &id, "Fel")
            .await
            .expect("withdrawn");
        assert!(
            !field(
                training::attach_to_case(s, &actor, &w.participant, &id, &target).await,
                "target"
            )
            .is_empty()
        );
    }
}

/// What the attack review found: a certificate stays as it was issued (a later change of the
/// course neither shows a graded one to the employer nor renames it), a consent is for the
/// certificate there is, the status does not move away from "Fullföljd" under a standing
/// certificate, a replaced certificate's code still answers as withdrawn, and a booking that
/// ended may be made again.
#[tokio::test]
async fn a_certificate_stays_as_issued_and_consent_is_for_it() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let actor = Actor::system("test");
        let id = booked(s, &w).await;
        // Nothing to consent to yet.
        assert!(
            !field(
                training::consent(s, &actor, &w.participant, &id, true).await,
                "give"
            )
            .is_empty()
        );
        completed_with_certificate(s, &w, &id).await;
        let code = |b: app::training::model::Booking| match b.certification {
            Certification::Shown(c) => (c.code, c.title),
            other => panic!("{other:?}"),
        };
        let (first, title) = code(training::booking(s, &w.provider, &id, 1).await.expect("b"));
        assert_eq!(title, "Intyg köldmedier");
        // The course made ungraded and renamed: the issued certificate is neither.
        training::set_certification(
            s,
            &actor,
            &w.provider,
            &w.graded,
            "Behörig nivå A",
            false,
            "",
        )
        .await
        .expect("changed");
        assert!(matches!(
            training::booking(s, &w.employer, &id, 1)
                .await
                .expect("b")
                .certification,
            Certification::Hidden
        ));
        assert!(
            training::certificate_file(s, &w.employer, &id)
                .await
                .is_err()
        );
        assert_eq!(
            training::verification(s, &first)
                .await
                .expect("v")
                .certification,
            "Intyg köldmedier"
        );
        // "Inte godkänd" only once the certificate is withdrawn.
        assert!(
            field(
                training::change_status(s, &actor, &w.provider, &id, "failed").await,
                "status"
            )
            .contains("Dra tillbaka")
        );
        // Consent given, then the certificate withdrawn and replaced: the consent was for the
        // old file; the old code still answers, as withdrawn.
        training::consent(s, &actor, &w.participant, &id, true)
            .await
            .expect("consent");
        training::withdraw(s, &actor, &w.provider, &id, "Fel fil")
            .await
            .expect("withdrawn");
        training::upload_certificate(
            s,
            &actor,
            &w.provider,
            &id,
            "nytt.pdf",
            pdf(s, &files::big_pdf(4096)).await,
        )
        .await
        .expect("replaced");
        let b = training::booking(s, &w.provider, &id, 1).await.expect("b");
        assert!(!b.consent);
        let (second, _) = code(b);
        assert_ne!(first, second);
        let old = training::verification(s, &first).await.expect("old code");
        assert_eq!(old.withdrawn.map(|(_, r)| r), Some("Fel fil".to_owned()));
        assert!(
            training::verification(s, &second)
                .await
                .expect("new")
                .withdrawn
                .is_none()
        );
        // The new certificate was issued as the course is now: ungraded, so the employer sees it.
        assert!(
            training::certificate_file(s, &w.employer, &id)
                .await
                .is_ok(),
            "{:?}",
            t.backend()
        );
        // A booking that ended may be made again; one under way only once.
        training::withdraw(s, &actor, &w.provider, &id, "Ny kurs")
            .await
            .expect("withdrawn");
        training::change_status(s, &actor, &w.provider, &id, "failed")
            .await
            .expect("failed");
        let again = training::book(s, &actor, &w.employer, &w.company, &w.erik, &w.graded).await;
        assert_eq!(again.expect("rebooked"), Booked::New);
        let twice = training::book(s, &actor, &w.employer, &w.company, &w.erik, &w.graded).await;
        assert_eq!(twice.expect("twice"), Booked::Already);
        // The ended booking cannot come back while the new one runs: told, not a server error.
        assert!(
            !field(
                training::change_status(s, &actor, &w.provider, &id, "started").await,
                "status"
            )
            .is_empty()
        );
        // A former employer sees none of it, and hears of it no more.
        sqlx::query("UPDATE employments SET end_date = '2020-01-02'")
            .execute(&s.db.pool)
            .await
            .expect("ended");
        let list = training::company_training(s, &w.employer, &w.company)
            .await
            .expect("list");
        assert!(list.bookings.is_empty(), "{:?}", t.backend());
        assert!(matches!(
            training::booking(s, &w.employer, &id, 1).await,
            Err(AppError::NotFound)
        ));
    }
}

/// The link in the newest email to `to`, opened with the server's key (it rests sealed).
async fn invite_token(s: &AppState, to: &str) -> String {
    let body: String = sqlx::query_scalar(
        "SELECT body_text FROM outbox WHERE to_address = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(to)
    .fetch_one(&s.db.pool)
    .await
    .expect("an email");
    assert!(!body.contains("/training/invite/"), "sealed at rest");
    let body = s.config.keys.open(&body).expect("our key opens it");
    let at = body.find("/training/invite/").expect("a link") + "/training/invite/".len();
    body[at..]
        .split_whitespace()
        .next()
        .expect("token")
        .to_owned()
}

#[tokio::test]
async fn a_participant_invited_by_email_accepts_signed_in_and_the_link_works_once() {
    use app::training::invites::{self, Invited, NewInvite};
    use app::training::model::{InviteAnswer, InviteLink, InviteStatus};
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let actor = Actor::system("test");
        let sv = app::i18n::Locale::Sv;
        let new = |email| NewInvite {
            course_id: &w.plain,
            name: "Erik Holm",
            email,
        };
        // Bad input is told by field and sends nothing; another provider's course is not found.
        let bad = NewInvite {
            course_id: &w.plain,
            name: "",
            email: "erik@",
        };
        let refused = invites::invite(s, &actor, &w.provider, sv, &bad).await;
        assert!(
            matches!(&refused, Err(AppError::Validation(e)) if e.len() == 2),
            "{refused:?}"
        );
        assert!(matches!(
            invites::invite(s, &actor, &w.other_provider, sv, &new("erik@exempel.se")).await,
            Err(AppError::NotFound)
        ));
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM booking_invites").await,
            0
        );
        let mails = "SELECT COUNT(*) FROM outbox WHERE template = 'course_invitation'";
        assert_eq!(count(&s.db, mails).await, 0);
        // Sent once, however often the form comes.
        let sent = invites::invite(s, &actor, &w.provider, sv, &new("erik@exempel.se")).await;
        assert_eq!(sent.expect("sent").0, Invited::Sent);
        let again = invites::invite(s, &actor, &w.provider, sv, &new("Erik@Exempel.se")).await;
        assert_eq!(again.expect("again").0, Invited::Already);
        assert_eq!(count(&s.db, mails).await, 1);
        let token = invite_token(s, "erik@exempel.se").await;
        let stored: String = sqlx::query_scalar("SELECT token_hash FROM booking_invites")
            .fetch_one(&s.db.pool)
            .await
            .expect("hash");
        assert_ne!(stored, token, "the link is kept only as its hash");

        // Anyone with the link sees the course; accepting needs a person signed in.
        let open = invites::link(s, None, &token).await.expect("link");
        assert!(
            matches!(&open, InviteLink::Open { signed_in: None, may_accept: false, course, .. } if course.title == "Brandskydd"),
            "{open:?}"
        );
        assert_eq!(
            invites::link(s, None, "no-such-link")
                .await
                .expect("closed"),
            InviteLink::Closed { course: None }
        );
        assert!(matches!(
            invites::answer(s, &actor, None, &token, true, "").await,
            Err(AppError::Unauthorized)
        ));
        field(
            invites::answer(s, &actor, Some(&w.handler), &token, true, "").await,
            "decision",
        );
        field(
            invites::answer(
                s,
                &actor,
                Some(&w.participant),
                &token,
                true,
                "someone-else",
            )
            .await,
            "company_id",
        );
        let mine = invites::link(s, Some(&w.participant), &token)
            .await
            .expect("mine");
        assert!(
            matches!(&mine, InviteLink::Open { may_accept: true, employers, .. } if employers.len() == 1 && employers[0].0 == w.company),
            "{mine:?}"
        );
        // Accepted for the employer: a booking, "Anmäld"; the same answer again makes none.
        let answer = invites::answer(s, &actor, Some(&w.participant), &token, true, &w.company);
        let answer = answer.await.expect("accepted");
        assert!(matches!(answer, InviteAnswer::Booked { .. }), "{answer:?}");
        let twice = invites::answer(s, &actor, Some(&w.participant), &token, true, &w.company);
        assert_eq!(twice.await.expect("twice"), InviteAnswer::AlreadyAccepted);
        let bookings: Vec<(String, String, Option<String>)> =
            sqlx::query_as("SELECT person_id, status, company_id FROM bookings")
                .fetch_all(&s.db.pool)
                .await
                .expect("bookings");
        assert_eq!(
            bookings,
            vec![(
                w.erik.clone(),
                "registered".to_owned(),
                Some(w.company.clone())
            )]
        );
        assert_eq!(
            invites::link(s, None, &token).await.expect("accepted"),
            InviteLink::Accepted
        );
        assert_eq!(
            invites::answer(s, &actor, None, &token, false, "")
                .await
                .expect("late"),
            InviteAnswer::Closed,
            "declining after accepting changes nothing"
        );
        let ws = training::workspace(s, &w.provider, "", "", 1)
            .await
            .expect("ws");
        assert_eq!(ws.invites.len(), 1);
        assert_eq!(ws.invites[0].status, InviteStatus::Accepted);
        let booking: String = sqlx::query_scalar("SELECT id FROM bookings")
            .fetch_one(&s.db.pool)
            .await
            .expect("booking");
        assert_eq!(ws.invites[0].booking_id.as_deref(), Some(booking.as_str()));
        // The participant has it in writing ("Anmäld"), the employer's admins hear of it.
        let told = "SELECT COUNT(*) FROM messages WHERE body LIKE '%Anmäld%'";
        assert!(count(&s.db, told).await >= 1);
        // A second invitation to the course while booked: that booking answers it.
        invites::invite(s, &actor, &w.provider, sv, &new("erik.holm@exempel.se"))
            .await
            .expect("a second invitation");
        let other = invite_token(s, "erik.holm@exempel.se").await;
        let answer = invites::answer(s, &actor, Some(&w.participant), &other, true, "");
        assert_eq!(
            answer.await.expect("booked"),
            InviteAnswer::AlreadyBooked {
                booking: booking.clone()
            }
        );
        let ws = training::workspace(s, &w.provider, "", "", 1)
            .await
            .expect("ws");
        assert_eq!(ws.invites[0].booking_id.as_deref(), Some(booking.as_str()));

        // Another, withdrawn by the provider (not by another): its link stops working.
        invites::invite(s, &actor, &w.provider, sv, &new("anna@exempel.se"))
            .await
            .expect("second");
        let second = invite_token(s, "anna@exempel.se").await;
        let id: String =
            sqlx::query_scalar("SELECT id FROM booking_invites WHERE email = 'anna@exempel.se'")
                .fetch_one(&s.db.pool)
                .await
                .expect("id");
        assert!(matches!(
            invites::withdraw(s, &actor, &w.other_provider, &id).await,
            Err(AppError::NotFound)
        ));
        let withdrawn = invites::withdraw(s, &actor, &w.provider, &id).await;
        assert_eq!(withdrawn.expect("withdrawn"), Changed::Changed);
        let again = invites::withdraw(s, &actor, &w.provider, &id).await;
        assert_eq!(again.expect("again"), Changed::Already);
        assert_eq!(
            invites::link(s, None, &second).await.expect("closed"),
            InviteLink::Closed {
                course: Some(("Brandskydd".to_owned(), "Kylakademin AB".to_owned()))
            }
        );
        let late = invites::answer(s, &actor, Some(&w.participant), &second, true, "");
        assert_eq!(late.await.expect("late"), InviteAnswer::Closed);

        // A third, declined through the link without signing in; a fourth expires.
        invites::invite(s, &actor, &w.provider, sv, &new("bo@exempel.se"))
            .await
            .expect("third");
        let third = invite_token(s, "bo@exempel.se").await;
        let declined = invites::answer(s, &actor, None, &third, false, "");
        assert_eq!(declined.await.expect("declined"), InviteAnswer::Declined);
        invites::invite(s, &actor, &w.provider, sv, &new("cia@exempel.se"))
            .await
            .expect("fourth");
        let fourth = invite_token(s, "cia@exempel.se").await;
        s.clock.advance(chrono::Duration::days(31));
        assert_eq!(
            invites::link(s, None, &fourth).await.expect("expired"),
            InviteLink::Closed {
                course: Some(("Brandskydd".to_owned(), "Kylakademin AB".to_owned()))
            }
        );
        let ws = training::workspace(s, &w.provider, "", "", 1)
            .await
            .expect("ws");
        let states: Vec<(InviteStatus, bool)> =
            ws.invites.iter().map(|i| (i.status, i.expired)).collect();
        assert_eq!(
            states,
            vec![
                (InviteStatus::Open, true),
                (InviteStatus::Declined, false),
                (InviteStatus::Withdrawn, false),
                (InviteStatus::Accepted, false),
                (InviteStatus::Accepted, false),
            ]
        );
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM bookings").await, 1);
        // The expired address may be invited again: the old invitation is marked expired.
        let again = invites::invite(s, &actor, &w.provider, sv, &new("cia@exempel.se")).await;
        assert_eq!(again.expect("again").0, Invited::Sent);
        let ws = training::workspace(s, &w.provider, "", "", 1)
            .await
            .expect("ws");
        assert_eq!(
            (ws.invites[0].status, ws.invites[1].status),
            (InviteStatus::Open, InviteStatus::Expired)
        );
        // In the language the provider chose for it.
        let en = app::i18n::Locale::En;
        invites::invite(s, &actor, &w.provider, en, &new("dan@exempel.se"))
            .await
            .expect("in English");
        let subject: String =
            sqlx::query_scalar("SELECT subject FROM outbox WHERE to_address = 'dan@exempel.se'")
                .fetch_one(&s.db.pool)
                .await
                .expect("subject");
        assert_eq!(subject, "Kylakademin AB invites you to a course");
    }
}

#[tokio::test]
async fn a_logo_is_a_png_or_jpeg_by_content_and_only_its_provider_sets_it() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let actor = Actor::system("test");
        let png = include_bytes!("../../server/assets/demo-logo.png");
        let provider_id = training::providers_of(&w.provider)[0].to_owned();
        assert!(matches!(
            training::set_logo(
                s,
                &actor,
                &w.other_provider,
                &provider_id,
                pdf(s, png).await
            )
            .await,
            Err(AppError::NotFound)
        ));
        // A PDF named anything is no picture; a picture too wide is refused by its header.
        let not_image = training::set_logo(
            s,
            &actor,
            &w.provider,
            &provider_id,
            pdf(s, &files::pdf()).await,
        )
        .await;
        assert!(field(not_image, "file").contains("PNG"));
        let mut wide = png.to_vec();
        wide[16..20].copy_from_slice(&5000u32.to_be_bytes());
        let too_wide =
            training::set_logo(s, &actor, &w.provider, &provider_id, pdf(s, &wide).await).await;
        assert!(field(too_wide, "file").contains("2000"));
        let profile = training::profile(s, None, &provider_id)
            .await
            .expect("profile");
        assert_eq!(profile.provider.logo, None);
        // Set once; the same picture again changes nothing.
        let set = training::set_logo(s, &actor, &w.provider, &provider_id, pdf(s, png).await);
        assert_eq!(set.await.expect("set"), training::LogoSet::Set);
        let again = training::set_logo(s, &actor, &w.provider, &provider_id, pdf(s, png).await);
        assert_eq!(again.await.expect("again"), training::LogoSet::Already);
        let profile = training::profile(s, None, &provider_id)
            .await
            .expect("profile");
        let url = profile.provider.logo.expect("a logo");
        assert!(
            url.starts_with(&format!("/providers/{provider_id}/logo?v=")),
            "{url}"
        );
        let (_, content_type) = training::logo(s, &provider_id).await.expect("logo");
        assert_eq!(content_type, "image/png");
        assert!(matches!(
            training::remove_logo(s, &actor, &w.other_provider, &provider_id).await,
            Err(AppError::NotFound)
        ));
        let removed = training::remove_logo(s, &actor, &w.provider, &provider_id).await;
        assert_eq!(removed.expect("removed"), Changed::Changed);
        assert!(matches!(
            training::logo(s, &provider_id).await,
            Err(AppError::NotFound)
        ));
    }
}
