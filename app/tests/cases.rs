#![cfg(feature = "ssr")]
//! Cases: applying, the case panel, reasons for missing documents and "MEDDELA OSS", against
//! SQLite and PostgreSQL.

use app::cases::model::{Applied, CaseStatus, Provided, Ready};
use app::cases::service::{self as cases, RequirementSpec};
use app::certificates::service::ensure_scheme;
use app::error::AppError;
use app::events::service::{Actor, Subject, verify};
use app::i18n::Locale;
use app::people::model::PersonDetails;
use app::state::AppState;
use app::testing::{count, databases};

fn details(first: &str) -> PersonDetails {
    PersonDetails {
        first_name: first.into(),
        last_name: "Åström".into(),
        email: format!("{}@exempel.se", first.to_lowercase()),
        communication: "digital".into(),
        ..PersonDetails::default()
    }
}

struct World {
    anja: String,
    erik: String,
    drilling: String,
    level: String,
    docs: Vec<String>,
}

/// Two people, and a scheme with a level and two required documents.
async fn world(s: &AppState) -> World {
    let actor = Actor::system("test");
    let anja = app::people::service::create(s, &actor, "19850709-9805", &details("Anja"))
        .await
        .expect("anja");
    let erik = app::people::service::create(s, &actor, "19900412-9814", &details("Erik"))
        .await
        .expect("erik");
    let mut tx = s.db.begin().await.expect("begin");
    let drilling = ensure_scheme(&mut tx, "borr", "Brunnsborrning", "Brunnsborrare", 5)
        .await
        .expect("scheme");
    cases::ensure_level(&mut tx, &drilling, "Ansvarig AB", "Responsible AB", 1)
        .await
        .expect("level");
    let spec = |name: &'static str, shared| RequirementSpec {
        name: (name, ""),
        help: ("Hjälp", "Help"),
        shared,
    };
    cases::ensure_requirements(
        &mut tx,
        &drilling,
        &[spec("Avgångsbetyg/Examen", true), spec("Svetsprov", false)],
    )
    .await
    .expect("requirements");
    let mut docs = Vec::new();
    for name in ["Avgångsbetyg/Examen", "Svetsprov"] {
        docs.push(
            cases::requirement_id(&mut tx, &drilling, name)
                .await
                .expect("requirement"),
        );
    }
    tx.commit().await.expect("commit");
    let level = app::cases::service::apply_view(&s.db, &anja)
        .await
        .expect("view")
        .schemes
        .into_iter()
        .find(|c| c.id == drilling)
        .expect("drilling")
        .levels[0]
        .id
        .clone();
    World {
        anja,
        erik,
        drilling,
        level,
        docs,
    }
}

/// Anja's application for the drilling scheme: the new case's id.
async fn open(s: &AppState, actor: &Actor, w: &World) -> String {
    open_for(s, actor, w, &w.anja).await
}

/// `person`'s application for the drilling scheme: the new case's id.
async fn open_for(s: &AppState, actor: &Actor, w: &World, person: &str) -> String {
    match cases::apply(s, actor, person, &w.drilling, &w.level).await {
        Ok(Applied::Opened { id }) => id,
        other => panic!("expected a new case, got {other:?}"),
    }
}

#[tokio::test]
async fn an_application_opens_one_case_however_often_it_is_sent() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let actor = Actor::system("Anja");
        let id = open(s, &actor, &w).await;
        // Sent again (a double click, back and resubmit): the same case, nothing new.
        for _ in 0..3 {
            assert_eq!(
                cases::apply(s, &actor, &w.anja, &w.drilling, "")
                    .await
                    .expect("again"),
                Applied::AlreadyOpen { id: id.clone() }
            );
        }
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM cases").await, 1);
        assert_eq!(
            count(
                &s.db,
                "SELECT COUNT(*) FROM events WHERE action = 'case.opened' AND subject_type = 'person'"
            )
            .await,
            1
        );

        let panel = cases::panel(s, &w.anja, &id).await.expect("panel");
        assert!(
            panel.order_no.starts_with("FX") && panel.order_no.len() == 8,
            "{}",
            panel.order_no
        );
        assert_eq!(panel.status, CaseStatus::Waiting);
        assert_eq!(panel.name, "Anja Åström");
        assert_eq!(panel.pnr, "19850709-9805");
        assert!(panel.handler.is_none() && panel.certificate_number.is_none());
        assert_eq!(
            panel.level.as_ref().map(|l| l.sv.as_str()),
            Some("Ansvarig AB")
        );
        assert_eq!(panel.requirements.len(), 2);
        assert!(panel.requirements[0].shared && !panel.requirements[1].shared);
        assert!(
            panel
                .requirements
                .iter()
                .all(|r| r.provided == Provided::Missing)
        );

        // Listed among Anja's cases; Erik has none and cannot open hers.
        let mine = cases::mine(&s.db, &w.anja).await.expect("mine");
        assert_eq!(mine.cases.len(), 1);
        assert_eq!(mine.cases[0].order_no, panel.order_no);
        assert!(
            cases::mine(&s.db, &w.erik)
                .await
                .expect("erik")
                .cases
                .is_empty()
        );
        assert_eq!(cases::panel(s, &w.erik, &id).await, Err(AppError::NotFound));
        verify(&s.db, Subject::person(&w.anja))
            .await
            .expect("read")
            .expect("the person's log is intact");
    }
}

#[tokio::test]
async fn a_bad_application_is_refused_at_its_field_and_opens_nothing() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let actor = Actor::system("Anja");
        let field = |e: AppError, f: &str| e.field_text(f, Locale::Sv).unwrap_or_default();

        let e = cases::apply(s, &actor, &w.anja, &w.drilling, "")
            .await
            .expect_err("no level");
        assert!(field(e, "level_id").contains("Välj den behörighet"));
        let e = cases::apply(s, &actor, &w.anja, "", "")
            .await
            .expect_err("none");
        assert!(field(e, "scheme_id").contains("Välj den certifiering"));
        let e = cases::apply(s, &actor, &w.anja, "no-such-scheme", "")
            .await
            .expect_err("unknown");
        assert!(field(e, "scheme_id").contains("Välj den certifiering"));
        // A level of another scheme.
        let mut tx = s.db.begin().await.expect("begin");
        let other = ensure_scheme(&mut tx, "fgas-1", "F-Gaser", "Kat I", 5)
            .await
            .expect("other");
        tx.commit().await.expect("commit");
        let e = cases::apply(s, &actor, &w.anja, &other, &w.level)
            .await
            .expect_err("level");
        assert!(field(e, "level_id").contains("Välj ett av alternativen"));

        // A holder of a valid certificate of the scheme renews; they do not apply anew.
        let mut tx = s.db.begin().await.expect("begin");
        app::certificates::service::issue(
            &mut tx,
            &s.clock,
            &actor,
            &app::certificates::service::Issue {
                number: "70001",
                scheme_id: &w.drilling,
                person_id: &w.erik,
                status: app::certificates::model::Status::Active,
                issued_on: "2025-01-01",
                valid_until: "2030-01-01",
                extend_by: None,
            },
        )
        .await
        .expect("certificate");
        tx.commit().await.expect("commit");
        let e = cases::apply(s, &actor, &w.erik, &w.drilling, &w.level)
            .await
            .expect_err("holds");
        assert!(field(e, "scheme_id").contains("redan ett certifikat"));
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM cases").await, 0);
    }
}

#[tokio::test]
async fn notify_us_waits_for_every_document_and_says_when_it_was_already_sent() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let actor = Actor::system("Anja");
        let id = open(s, &actor, &w).await;

        // Nothing sent yet: refused, naming what is missing, and nothing changes.
        let e = cases::ready(s, &actor, &w.anja, &id)
            .await
            .expect_err("missing");
        let text = e.field_text("documents", Locale::Sv).expect("message");
        assert!(text.contains("Avgångsbetyg/Examen, Svetsprov"), "{text}");

        // Bad reasons change nothing.
        let e = cases::explain(s, &actor, &w.anja, &id, &w.docs[0], "   ")
            .await
            .expect_err("empty");
        assert!(e.field_text("reason", Locale::Sv).is_some());
        let long = "x".repeat(1001);
        let e = cases::explain(s, &actor, &w.anja, &id, &w.docs[0], &long)
            .await
            .expect_err("long");
        assert!(
            e.field_text("reason", Locale::Sv)
                .unwrap_or_default()
                .contains("1000")
        );
        // Invisible or direction-changing characters are no reason.
        for hidden in ["\u{200B}", "abc\u{202E}cba", "\u{1}\u{7}x"] {
            let e = cases::explain(s, &actor, &w.anja, &id, &w.docs[0], hidden)
                .await
                .expect_err("unreadable");
            assert!(
                e.field_text("reason", Locale::Sv)
                    .unwrap_or_default()
                    .contains("osynliga")
            );
        }
        // Someone else's case, or a document of another scheme, is not found.
        assert_eq!(
            cases::explain(s, &actor, &w.erik, &id, &w.docs[0], "Posten").await,
            Err(AppError::NotFound)
        );
        assert_eq!(
            cases::explain(s, &actor, &w.anja, &id, "no-such-document", "Posten").await,
            Err(AppError::NotFound)
        );
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM case_explanations").await,
            0
        );

        // Both explained; the first sent ten times at once with the same words: one event.
        let mut sends = tokio::task::JoinSet::new();
        for _ in 0..10 {
            let (s, actor) = (s.clone(), actor.clone());
            let (anja, id, doc) = (w.anja.clone(), id.clone(), w.docs[0].clone());
            sends.spawn(async move {
                cases::explain(&s, &actor, &anja, &id, &doc, " Skickas per post. ").await
            });
        }
        while let Some(sent) = sends.join_next().await {
            sent.expect("task").expect("explain");
        }
        cases::explain(s, &actor, &w.anja, &id, &w.docs[1], "Provet är i mars.")
            .await
            .expect("explain");
        let panel = cases::panel(s, &w.anja, &id).await.expect("panel");
        assert!(matches!(&panel.requirements[0].provided,
            Provided::Explained { reason, .. } if reason == "Skickas per post."));
        assert_eq!(
            count(
                &s.db,
                "SELECT COUNT(*) FROM events WHERE action = 'case.document_explained' AND subject_type = 'person'"
            )
            .await,
            2
        );

        assert_eq!(cases::ready(s, &actor, &w.anja, &id).await, Ok(Ready::Sent));
        let at = cases::panel(s, &w.anja, &id)
            .await
            .expect("panel")
            .ready_at
            .expect("ready");
        // Pressed again: nothing changes, and it says when it was sent.
        assert_eq!(
            cases::ready(s, &actor, &w.anja, &id).await,
            Ok(Ready::AlreadySent { at })
        );
        assert_eq!(
            count(
                &s.db,
                "SELECT COUNT(*) FROM events WHERE action = 'case.ready' AND subject_type = 'person'"
            )
            .await,
            1
        );
        assert_eq!(
            cases::ready(s, &actor, &w.erik, &id).await,
            Err(AppError::NotFound)
        );
        verify(&s.db, Subject::person(&w.anja))
            .await
            .expect("read")
            .expect("the person's log is intact");
    }
}

#[tokio::test]
async fn reasons_are_limited_per_hour() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let actor = Actor::system("Anja");
        let id = open(s, &actor, &w).await;
        for n in 0..cases::REASONS_PER_HOUR {
            cases::explain(s, &actor, &w.anja, &id, &w.docs[0], &format!("Skäl {n}"))
                .await
                .expect("within the limit");
        }
        let e = cases::explain(s, &actor, &w.anja, &id, &w.docs[0], "Ett till")
            .await
            .expect_err("limited");
        assert!(e.field_text("reason", Locale::Sv).is_some());
        let events = "SELECT COUNT(*) FROM events WHERE action = 'case.document_explained' AND subject_type = 'person'";
        assert_eq!(count(&s.db, events).await, cases::REASONS_PER_HOUR);
        // An hour later, a reason is taken again.
        s.clock.advance(chrono::Duration::minutes(61));
        cases::explain(s, &actor, &w.anja, &id, &w.docs[0], "Ett till")
            .await
            .expect("after an hour");
    }
}

#[tokio::test]
async fn a_decided_case_takes_no_more_reasons() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let actor = Actor::system("Anja");
        let id = open(s, &actor, &w).await;
        sqlx::query("UPDATE cases SET status = 'decided' WHERE id = $1")
            .bind(&id)
            .execute(&s.db.pool)
            .await
            .expect("decide");
        let e = cases::explain(s, &actor, &w.anja, &id, &w.docs[0], "Posten")
            .await
            .expect_err("decided");
        assert!(
            e.field_text("case", Locale::Sv)
                .unwrap_or_default()
                .contains("beslutat")
        );
        let e = cases::ready(s, &actor, &w.anja, &id)
            .await
            .expect_err("decided");
        assert!(e.field_text("case", Locale::Sv).is_some());
        // A decided case no longer blocks a new application for the scheme.
        assert!(matches!(
            cases::apply(s, &actor, &w.anja, &w.drilling, &w.level).await,
            Ok(Applied::Opened { .. })
        ));
    }
}

/// Sends `bytes` as the form would, in chunks, for Anja's required document `req`.
async fn send(
    s: &AppState,
    uploader: cases::Uploader<'_>,
    case_id: &str,
    req: &str,
    name: &str,
    bytes: &[u8],
) -> Result<cases::Uploaded, AppError> {
    let file =
        app::cases::files::Incoming::of_bytes(&s.config.upload_dir, s.config.upload_max, bytes)
            .await?;
    let up = cases::Upload {
        case_id,
        requirement_id: req,
        original_name: name,
        note: "skannat",
    };
    cases::upload(s, &Actor::system("test"), uploader, &up, file).await
}

#[tokio::test]
async fn a_pdf_is_kept_under_its_hash_and_answers_its_document() {
    use app::testing::files;
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let case = open(s, &Actor::system("anja"), &w).await;
        let me = cases::Uploader::Person(&w.anja);
        let done = send(s, me, &case, &w.docs[1], "svets.pdf", &files::pdf())
            .await
            .expect("upload");
        assert!(done.name.starts_with("Svetsprov_C"), "{}", done.name);
        assert!(done.name.ends_with(".pdf"), "{}", done.name);
        let panel = cases::panel(s, &w.anja, &case).await.expect("panel");
        assert!(matches!(&panel.requirements[1].provided,
            Provided::Uploaded { document_id, name, .. } if *document_id == done.id && *name == done.name));
        // The same file sent again for the same document (a form sent twice) changes nothing.
        let again = send(s, me, &case, &w.docs[1], "svets.pdf", &files::pdf())
            .await
            .expect("again");
        assert_eq!(again.id, done.id);
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM documents").await, 1);
        let sha = hex_sha256(&files::pdf());
        assert_eq!(
            s.storage.keys().await.expect("keys"),
            vec![format!("documents/{}/{sha}", &sha[..2])]
        );
        // A PDF named .docx is kept as what it is.
        let renamed = send(s, me, &case, &w.docs[0], "betyg.docx", &files::pdf())
            .await
            .expect("upload");
        assert!(renamed.name.ends_with(".pdf"), "{}", renamed.name);
        // The same file twice is stored once.
        assert_eq!(s.storage.keys().await.expect("keys").len(), 1);
        // Every accepted format, by content.
        for (bytes, ext) in [
            (files::docx(), "docx"),
            (files::xlsx(), "xlsx"),
            (files::doc(), "doc"),
            (files::xls(), "xls"),
        ] {
            let done = send(s, me, &case, &w.docs[1], "fil", &bytes)
                .await
                .expect(ext);
            assert!(done.name.ends_with(&format!(".{ext}")), "{}", done.name);
        }
        // With both documents sent, "MEDDELA OSS" goes through.
        let ready = cases::ready(s, &Actor::system("anja"), &w.anja, &case).await;
        assert_eq!(ready.expect("ready"), Ready::Sent);
        let uploaded = count(
            &s.db,
            "SELECT COUNT(*) FROM events WHERE action = 'case.document_uploaded' AND subject_type = 'person'",
        )
        .await;
        assert_eq!(uploaded, 6, "{:?}", t.backend());
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[tokio::test]
async fn bad_files_are_refused_in_words_and_leave_nothing() {
    use app::testing::files;
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let case = open(s, &Actor::system("anja"), &w).await;
        let me = cases::Uploader::Person(&w.anja);
        let refusals = [
            (
                "program.pdf",
                files::exe(),
                app::i18n::Text::UploadNotAllowed,
            ),
            ("tom.pdf", Vec::new(), app::i18n::Text::UploadEmpty),
            ("makro.docx", files::docm(), app::i18n::Text::UploadMacros),
            ("makro.xlsx", files::xlsm(), app::i18n::Text::UploadMacros),
            (
                "makro.doc",
                files::doc_with_macros(),
                app::i18n::Text::UploadMacros,
            ),
            (
                "makro.xls",
                files::xls_with_macros(),
                app::i18n::Text::UploadMacros,
            ),
            (
                "xlm.xls",
                files::xls_with_xlm(),
                app::i18n::Text::UploadMacros,
            ),
            (
                "forklädd.docx",
                files::docm_disguised(),
                app::i18n::Text::UploadMacros,
            ),
            (
                "utfylld.docx",
                files::docx_padded(),
                app::i18n::Text::UploadNotAllowed,
            ),
            (
                "text.pdf",
                b"hej hej".to_vec(),
                app::i18n::Text::UploadNotAllowed,
            ),
        ];
        for (name, bytes, text) in refusals {
            let err = send(s, me, &case, &w.docs[1], name, &bytes)
                .await
                .expect_err(name);
            assert_eq!(
                err.field_message("file").map(|m| m.text),
                Some(text),
                "{name}: {err:?}"
            );
        }
        // Over the limit: refused with the limit in words.
        let big = files::big_pdf(s.config.upload_max as usize + 1);
        let err = send(s, me, &case, &w.docs[1], "stor.pdf", &big)
            .await
            .expect_err("big");
        assert_eq!(
            err.field_text("file", Locale::Sv).as_deref(),
            Some(
                "Filen är större än 25 MB. Skanna med lägre upplösning eller dela upp dokumentet."
            )
        );
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM documents").await, 0);
        assert!(s.storage.keys().await.expect("keys").is_empty());
        // Another person's case, or a document of another scheme, is not found.
        let erik = cases::Uploader::Person(&w.erik);
        let err = send(s, erik, &case, &w.docs[1], "x.pdf", &files::pdf()).await;
        assert!(matches!(err, Err(AppError::NotFound)), "{err:?}");
        let err = send(s, me, &case, "no-such", "x.pdf", &files::pdf()).await;
        assert!(matches!(err, Err(AppError::NotFound)), "{err:?}");
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM documents").await, 0);
        // A note too long is refused before anything is kept.
        let long = "å".repeat(app::cases::model::NOTE_MAX + 1);
        let up = cases::Upload {
            case_id: &case,
            requirement_id: &w.docs[1],
            original_name: "x.pdf",
            note: &long,
        };
        let err = cases::check_upload(&s.db, me, &up)
            .await
            .expect_err("long note");
        assert!(err.field_message("note").is_some(), "{err:?}");
    }
}

#[tokio::test]
async fn the_archive_sorts_filters_pages_and_shares_what_is_shared() {
    use app::cases::model::{ArchiveQuery, ArchiveSort, DocType};
    use app::testing::files;
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let case = open(s, &Actor::system("anja"), &w).await;
        let me = cases::Uploader::Person(&w.anja);
        send(s, me, &case, &w.docs[0], "betyg.pdf", &files::pdf())
            .await
            .expect("shared");
        // 26 different files (the same file twice is one document).
        for i in 0..26 {
            send(
                s,
                me,
                &case,
                &w.docs[1],
                "svets.pdf",
                &files::big_pdf(200 + i),
            )
            .await
            .expect("own");
        }
        let q = ArchiveQuery::default();
        let first = cases::archive(&s.db, &w.anja, &case, &q)
            .await
            .expect("archive");
        assert_eq!(first.rows.items.len(), 25);
        assert!(first.rows.has_next);
        assert_eq!(first.types, vec![DocType::Grade]);
        let by_name = ArchiveQuery {
            sort: ArchiveSort::Name,
            descending: false,
            ..q.clone()
        };
        let sorted = cases::archive(&s.db, &w.anja, &case, &by_name)
            .await
            .expect("by name");
        assert!(
            sorted.rows.items[0]
                .name
                .starts_with("Avgångsbetyg_Examen_C")
        );
        let second = ArchiveQuery {
            page: 2,
            ..by_name.clone()
        };
        let rest = cases::archive(&s.db, &w.anja, &case, &second)
            .await
            .expect("page 2");
        assert_eq!(rest.rows.items.len(), 2);
        let none = ArchiveQuery {
            doc_type: Some(DocType::Decision),
            ..q.clone()
        };
        let filtered = cases::archive(&s.db, &w.anja, &case, &none)
            .await
            .expect("filter");
        assert!(filtered.rows.items.is_empty());
        // Another person's case has no archive for Anja; Erik's own shows nothing of hers.
        let err = cases::archive(&s.db, &w.erik, &case, &q).await;
        assert!(matches!(err, Err(AppError::NotFound)), "{err:?}");
        // Anja's shared document answers the same document of her next case.
        let mut tx = s.db.begin().await.expect("begin");
        let other = ensure_scheme(&mut tx, "borr-b", "Brunnsborrning", "Brunnsborrare B", 5)
            .await
            .expect("scheme");
        cases::ensure_requirements(
            &mut tx,
            &other,
            &[RequirementSpec {
                name: ("Avgångsbetyg/Examen", ""),
                help: ("", ""),
                shared: true,
            }],
        )
        .await
        .expect("requirements");
        tx.commit().await.expect("commit");
        let next = match cases::apply(s, &Actor::system("anja"), &w.anja, &other, "").await {
            Ok(Applied::Opened { id }) => id,
            other => panic!("{other:?}"),
        };
        let panel = cases::panel(s, &w.anja, &next).await.expect("panel");
        assert!(matches!(
            panel.requirements[0].provided,
            Provided::Uploaded { .. }
        ));
        let shared = cases::archive(&s.db, &w.anja, &next, &q)
            .await
            .expect("archive");
        assert_eq!(shared.rows.items.len(), 1, "only the shared document");
    }
}

#[tokio::test]
async fn a_document_downloads_for_its_person_and_staff_only() {
    use app::testing::{files, holder_account};
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let case = open(s, &Actor::system("anja"), &w).await;
        let me = cases::Uploader::Person(&w.anja);
        let done = send(s, me, &case, &w.docs[1], "svets.pdf", &files::pdf())
            .await
            .expect("upload");
        let anja = holder_account(s, &w.anja, "anja", "anja@exempel.se", "Anja").await;
        let erik = holder_account(s, &w.erik, "erik", "erik@exempel.se", "Erik").await;
        let actor = Actor::system("test");
        let got = cases::document_for_download(s, &anja, &actor, &done.id)
            .await
            .expect("own");
        assert_eq!(got.stored_name, done.name);
        let err = cases::document_for_download(s, &erik, &actor, &done.id).await;
        assert!(matches!(err, Err(AppError::NotFound)), "{err:?}");
        let handler = app::auth::model::CurrentUser {
            grants: vec![app::auth::model::Grant {
                role: app::auth::model::Role::Handler,
                scope: String::new(),
            }],
            ..erik.clone()
        };
        cases::document_for_download(s, &handler, &actor, &done.id)
            .await
            .expect("staff");
        let logged = count(
            &s.db,
            "SELECT COUNT(*) FROM events WHERE action = 'case.document_downloaded'",
        )
        .await;
        assert_eq!(logged, 1);
    }
}

#[tokio::test]
async fn administrators_keep_the_required_documents_and_open_cases_follow() {
    use app::testing::files;
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let admin = Actor::system("admin");
        let case = open(s, &Actor::system("anja"), &w).await;
        let form = |name: &'static str, shared| cases::RequirementForm {
            name,
            name_en: "",
            help: "Vad det ska visa",
            help_en: "",
            shared,
        };
        // Added at the end; a second of the same name is refused at its field.
        cases::save_requirement(s, &admin, &w.drilling, "", &form("Försäkringsbevis", false))
            .await
            .expect("add");
        let err =
            cases::save_requirement(s, &admin, &w.drilling, "", &form("Försäkringsbevis", false))
                .await
                .expect_err("twice");
        assert!(err.field_message("name").is_some(), "{err:?}");
        let err = cases::save_requirement(s, &admin, &w.drilling, "", &form("  ", false))
            .await
            .expect_err("empty");
        assert!(err.field_message("name").is_some(), "{err:?}");
        let docs = cases::scheme_documents(&s.db, &w.drilling, true)
            .await
            .expect("docs");
        let names: Vec<_> = docs.documents.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            ["Avgångsbetyg/Examen", "Svetsprov", "Försäkringsbevis"]
        );
        let added = docs.documents[2].id.clone();
        // The open case asks for it at once.
        let panel = cases::panel(s, &w.anja, &case).await.expect("panel");
        assert_eq!(panel.requirements.len(), 3);
        // Changed and moved up.
        cases::save_requirement(
            s,
            &admin,
            &w.drilling,
            &added,
            &form("Försäkringsbrev", true),
        )
        .await
        .expect("change");
        cases::move_requirement(s, &w.drilling, &added, true)
            .await
            .expect("up");
        let docs = cases::scheme_documents(&s.db, &w.drilling, true)
            .await
            .expect("docs");
        let names: Vec<_> = docs.documents.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            ["Avgångsbetyg/Examen", "Försäkringsbrev", "Svetsprov"]
        );
        assert!(docs.documents[1].shared);
        // Removed while nothing points at it: gone; again: nothing changes.
        assert!(
            cases::remove_requirement(s, &admin, &w.drilling, &added)
                .await
                .expect("rm")
        );
        assert!(
            !cases::remove_requirement(s, &admin, &w.drilling, &added)
                .await
                .expect("rm2")
        );
        // Removed after a file was sent for it: the case asks no more, the file stays.
        let me = cases::Uploader::Person(&w.anja);
        send(s, me, &case, &w.docs[1], "svets.pdf", &files::pdf())
            .await
            .expect("upload");
        assert!(
            cases::remove_requirement(s, &admin, &w.drilling, &w.docs[1])
                .await
                .expect("rm")
        );
        let panel = cases::panel(s, &w.anja, &case).await.expect("panel");
        assert_eq!(panel.requirements.len(), 1);
        let q = app::cases::model::ArchiveQuery::default();
        let kept = cases::archive(&s.db, &w.anja, &case, &q)
            .await
            .expect("archive");
        assert_eq!(kept.rows.items.len(), 1);
        // Added again by its name, it comes back.
        cases::save_requirement(s, &admin, &w.drilling, "", &form("Svetsprov", false))
            .await
            .expect("again");
        let panel = cases::panel(s, &w.anja, &case).await.expect("panel");
        assert!(matches!(
            panel.requirements[1].provided,
            Provided::Uploaded { .. }
        ));
        let logged = count(
            &s.db,
            "SELECT COUNT(*) FROM events WHERE action LIKE 'scheme.requirement_%'",
        )
        .await;
        assert_eq!(logged, 5, "{:?}", t.backend());
    }
}

/// A handler and a body administrator.
async fn staff(s: &AppState) -> (app::auth::model::CurrentUser, app::auth::model::CurrentUser) {
    use app::auth::model::Role;
    (
        app::testing::staff_account(s, "hanna", Role::Handler).await,
        app::testing::staff_account(s, "bodil", Role::BodyAdmin).await,
    )
}

fn queue_query(filter: app::cases::model::QueueFilter) -> app::cases::model::QueueQuery {
    app::cases::model::QueueQuery {
        filter,
        scheme_id: None,
        min_age: None,
        page: 1,
    }
}

#[tokio::test]
async fn the_queue_filters_counts_and_sorts_oldest_first() {
    use app::cases::handling;
    use app::cases::model::QueueFilter as F;
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let (hanna, _) = staff(s).await;
        let actor = Actor::system("test");
        // Anja's case is opened and sent; a day later Erik's is opened and left unsent.
        let anja_case = open(s, &actor, &w).await;
        for req in &w.docs {
            cases::explain(s, &actor, &w.anja, &anja_case, req, "Kommer per post")
                .await
                .expect("explain");
        }
        cases::ready(s, &actor, &w.anja, &anja_case)
            .await
            .expect("ready");
        s.clock.advance(chrono::Duration::days(8));
        let erik_case = open_for(s, &actor, &w, &w.erik).await;
        let q = handling::queue(s, &hanna, &queue_query(F::Waiting))
            .await
            .expect("queue");
        let ids: Vec<_> = q.rows.items.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, [anja_case.as_str()]);
        assert_eq!(q.rows.items[0].age_days, 8);
        let count = |f| q.counts.iter().find(|(g, _)| *g == f).map(|(_, n)| *n);
        assert_eq!(count(F::Waiting), Some(1));
        assert_eq!(count(F::WithApplicant), Some(1));
        assert_eq!(count(F::Open), Some(2));
        assert_eq!(count(F::Mine), Some(0));
        assert_eq!(count(F::Decided), None, "decided cases are not counted");
        let open_cases = handling::queue(s, &hanna, &queue_query(F::Open))
            .await
            .expect("open");
        let ids: Vec<_> = open_cases
            .rows
            .items
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(
            ids,
            [anja_case.as_str(), erik_case.as_str()],
            "oldest first"
        );
        // At least 7 days old: only Anja's.
        let old = app::cases::model::QueueQuery {
            min_age: Some(7),
            ..queue_query(F::Open)
        };
        let q = handling::queue(s, &hanna, &old).await.expect("old");
        assert_eq!(q.rows.items.len(), 1);
        // Another scheme: nothing.
        let other = app::cases::model::QueueQuery {
            scheme_id: Some("no-such-scheme".into()),
            ..queue_query(F::Open)
        };
        assert!(
            handling::queue(s, &hanna, &other)
                .await
                .expect("other")
                .rows
                .items
                .is_empty()
        );
        // Taken, it leaves "waiting" for "mine".
        handling::take(s, &actor, &hanna, &anja_case)
            .await
            .expect("take");
        let q = handling::queue(s, &hanna, &queue_query(F::Mine))
            .await
            .expect("mine");
        assert_eq!(q.rows.items.len(), 1);
        assert_eq!(q.rows.items[0].status, CaseStatus::InProgress);
        assert_eq!(q.rows.items[0].handler.as_deref(), Some("hanna"));
        let q = handling::queue(s, &hanna, &queue_query(F::Waiting))
            .await
            .expect("waiting");
        assert!(q.rows.items.is_empty());
    }
}

#[tokio::test]
async fn a_case_is_taken_once_and_never_by_its_applicant() {
    use app::auth::model::Role;
    use app::cases::handling;
    use app::cases::model::Taken;
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let (hanna, bodil) = staff(s).await;
        let other = app::testing::staff_account(s, "olle", Role::Handler).await;
        let actor = Actor::system("test");
        let case = open(s, &actor, &w).await;
        // Twice at once: one takes it, the other is told it is already theirs.
        let (a, b) = tokio::join!(
            handling::take(s, &actor, &hanna, &case),
            handling::take(s, &actor, &hanna, &case)
        );
        let mut outcomes = [a.expect("a"), b.expect("b")];
        outcomes.sort_by_key(|o| format!("{o:?}"));
        assert_eq!(outcomes, [Taken::AlreadyYours, Taken::Taken]);
        assert_eq!(
            handling::take(s, &actor, &other, &case)
                .await
                .expect("other"),
            Taken::TakenBy {
                name: "hanna".into()
            }
        );
        let taken = count(
            &s.db,
            "SELECT COUNT(*) FROM events WHERE action = 'case.taken'",
        )
        .await;
        assert_eq!(taken, 1);
        // Only a body administrator gives it to another handler; the same choice again
        // changes nothing.
        let err = handling::assign(s, &actor, &hanna, &case, &other.account_id).await;
        assert!(matches!(err, Err(AppError::Forbidden)), "{err:?}");
        assert!(
            handling::assign(s, &actor, &bodil, &case, &other.account_id)
                .await
                .expect("assign")
        );
        assert!(
            !handling::assign(s, &actor, &bodil, &case, &other.account_id)
                .await
                .expect("again")
        );
        let err = handling::assign(s, &actor, &bodil, &case, "not-an-account").await;
        let err = err.expect_err("unknown");
        assert!(
            err.field_text("handler_id", Locale::Sv).is_some(),
            "{err:?}"
        );
        // The applicant's own account, made a handler, can neither take nor be given the case.
        let anja =
            app::testing::holder_account(s, &w.anja, "anja", "anja@exempel.se", "Anja").await;
        sqlx::query("INSERT INTO account_roles (account_id, role, scope, granted_at) VALUES ($1, 'handler', '', '2026-01-01T00:00:00Z')")
            .bind(&anja.account_id)
            .execute(&s.db.pool)
            .await
            .expect("grant");
        let anja_staff = app::auth::model::CurrentUser {
            grants: vec![app::auth::model::Grant {
                role: Role::Handler,
                scope: String::new(),
            }],
            ..anja.clone()
        };
        let err = handling::take(s, &actor, &anja_staff, &case)
            .await
            .expect_err("own");
        assert!(err.field_text("case", Locale::Sv).is_some(), "{err:?}");
        let err = handling::assign(s, &actor, &bodil, &case, &anja.account_id)
            .await
            .expect_err("own");
        assert!(
            err.field_text("handler_id", Locale::Sv).is_some(),
            "{err:?}"
        );
        let err = handling::review(s, &actor, &anja_staff, &case, &w.docs[0], "approved", "")
            .await
            .expect_err("own");
        assert!(err.field_text("case", Locale::Sv).is_some(), "{err:?}");
        // Nor ask for a supplement, record an exam or decide it.
        use app::cases::deciding::{self, Choice};
        let err = deciding::request_supplement(s, &actor, &anja_staff, &case, &w.docs, "Saknas")
            .await
            .expect_err("own");
        assert!(err.field_text("case", Locale::Sv).is_some(), "{err:?}");
        let err = deciding::record_exam(
            s,
            &actor,
            &anja_staff,
            &case,
            "2026-01-02",
            "Teori",
            "passed",
            "",
        )
        .await
        .expect_err("own");
        assert!(err.field_text("case", Locale::Sv).is_some(), "{err:?}");
        let approve = Choice::Approve {
            level_id: &w.level,
            plastic_card: false,
            published: false,
        };
        let err = deciding::decide(s, &actor, &anja_staff, &case, approve)
            .await
            .expect_err("own");
        assert!(err.field_text("case", Locale::Sv).is_some(), "{err:?}");
        // Erik applies signed in, is made a handler, and is unlinked from his person (a role
        // removed): he still applied, and neither takes nor decides his case.
        let erik =
            app::testing::holder_account(s, &w.erik, "erik", "erik@exempel.se", "Erik").await;
        let eriks = open_for(s, &actor, &w, &w.erik).await;
        sqlx::query("UPDATE people SET account_id = NULL WHERE id = $1")
            .bind(&w.erik)
            .execute(&s.db.pool)
            .await
            .expect("unlink");
        let erik_staff = app::auth::model::CurrentUser {
            grants: vec![app::auth::model::Grant {
                role: Role::Handler,
                scope: String::new(),
            }],
            ..erik
        };
        let err = handling::take(s, &actor, &erik_staff, &eriks)
            .await
            .expect_err("own, unlinked");
        assert!(err.field_text("case", Locale::Sv).is_some(), "{err:?}");
        handling::take(s, &actor, &hanna, &eriks)
            .await
            .expect("take");
        let err = deciding::decide(
            s,
            &actor,
            &erik_staff,
            &eriks,
            Choice::Reject { reason: "Nej" },
        )
        .await
        .expect_err("own, unlinked");
        assert!(err.field_text("case", Locale::Sv).is_some(), "{err:?}");
        // Nor read it as staff (its comments and log), nor upload to it.
        let err = handling::case(s, &anja_staff, &case, 1).await;
        assert!(matches!(err, Err(AppError::Forbidden)), "{err:?}");
        let err = handling::may_upload_for(s, &anja_staff, &case)
            .await
            .expect_err("own upload");
        assert!(err.field_text("file", Locale::Sv).is_some(), "{err:?}");
        handling::may_upload_for(s, &hanna, &case)
            .await
            .expect("another's upload");
        verify(&s.db, Subject::case(&case))
            .await
            .expect("verify")
            .expect("intact");
    }
}

#[tokio::test]
async fn a_verdict_is_the_handlers_and_a_supplement_says_what_is_missing() {
    use app::cases::handling;
    use app::cases::model::{COMMENT_MAX, Verdict};
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let (hanna, _) = staff(s).await;
        let other = app::testing::staff_account(s, "olle", app::auth::model::Role::Handler).await;
        let actor = Actor::system("test");
        let case = open(s, &actor, &w).await;
        let req = &w.docs[1];
        // Not taken yet: nobody reviews.
        let err = handling::review(s, &actor, &hanna, &case, req, "approved", "").await;
        assert!(
            err.expect_err("untaken")
                .field_text("case", Locale::Sv)
                .is_some()
        );
        handling::take(s, &actor, &hanna, &case)
            .await
            .expect("take");
        let err = handling::review(s, &actor, &other, &case, req, "approved", "").await;
        assert!(
            err.expect_err("not theirs")
                .field_text("case", Locale::Sv)
                .is_some()
        );
        let err = handling::review(s, &actor, &hanna, &case, req, "", "").await;
        assert!(
            err.expect_err("no verdict")
                .field_text("verdict", Locale::Sv)
                .is_some()
        );
        let err = handling::review(s, &actor, &hanna, &case, req, "supplement", "  ").await;
        assert!(
            err.expect_err("no comment")
                .field_text("comment", Locale::Sv)
                .is_some()
        );
        let long = "x".repeat(COMMENT_MAX + 1);
        let err = handling::review(s, &actor, &hanna, &case, req, "supplement", &long).await;
        assert!(
            err.expect_err("long")
                .field_text("comment", Locale::Sv)
                .is_some()
        );
        let err = handling::review(
            s,
            &actor,
            &hanna,
            &case,
            req,
            "approved",
            "ok\u{1b}[31m\u{202E}",
        )
        .await;
        assert!(
            err.expect_err("hidden")
                .field_text("comment", Locale::Sv)
                .is_some()
        );
        let err = handling::review(s, &actor, &hanna, &case, "no-such-doc", "approved", "").await;
        assert!(matches!(err, Err(AppError::NotFound)), "{err:?}");
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM case_reviews").await, 0);
        // Sent twice, written once.
        assert!(
            handling::review(
                s,
                &actor,
                &hanna,
                &case,
                req,
                "supplement",
                "Intyget saknar datum"
            )
            .await
            .expect("first")
        );
        assert!(
            !handling::review(
                s,
                &actor,
                &hanna,
                &case,
                req,
                "supplement",
                "Intyget saknar datum"
            )
            .await
            .expect("again")
        );
        assert!(
            handling::review(s, &actor, &hanna, &case, req, "approved", "")
                .await
                .expect("changed")
        );
        let view = handling::case(s, &hanna, &case, 1).await.expect("case");
        assert!(view.mine);
        let (_, review) = view
            .reviews
            .iter()
            .find(|(id, _)| id == req)
            .expect("review");
        assert_eq!(review.verdict, Verdict::Approved);
        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM events WHERE subject_type = 'case' AND subject_id = $1 ORDER BY seq",
        )
        .bind(&case)
        .fetch_all(&s.db.pool)
        .await
        .expect("events");
        assert_eq!(
            actions,
            [
                "case.opened",
                "case.taken",
                "case.document_needs_supplement",
                "case.document_approved"
            ]
        );
        assert_eq!(view.events.items.len(), 4);
    }
}

#[tokio::test]
async fn an_archived_document_answers_a_new_case_without_being_sent_again() {
    use app::cases::handling;
    use app::testing::files;
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let (hanna, _) = staff(s).await;
        let actor = Actor::system("test");
        // Anja's earlier case, with her welding test, decided.
        let first = open(s, &actor, &w).await;
        let old = send(
            s,
            cases::Uploader::Person(&w.anja),
            &first,
            &w.docs[1],
            "svets.pdf",
            &files::pdf(),
        )
        .await
        .expect("upload");
        sqlx::query("UPDATE cases SET status = 'decided' WHERE id = $1")
            .bind(&first)
            .execute(&s.db.pool)
            .await
            .expect("decide");
        // Erik's document: never attachable to Anja's case.
        let erik_case = open_for(s, &actor, &w, &w.erik).await;
        let eriks = send(
            s,
            cases::Uploader::Person(&w.erik),
            &erik_case,
            &w.docs[1],
            "e.pdf",
            &files::pdf(),
        )
        .await
        .expect("erik's");
        let second = open(s, &actor, &w).await;
        // Before a handler takes it, nobody attaches.
        let err = handling::attach(s, &actor, &hanna, &second, &w.docs[1], &old.id).await;
        assert!(
            err.expect_err("untaken")
                .field_text("case", Locale::Sv)
                .is_some()
        );
        handling::take(s, &actor, &hanna, &second)
            .await
            .expect("take");
        let view = handling::case(s, &hanna, &second, 1).await.expect("view");
        let ids: Vec<_> = view.attachable.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, [old.id.as_str()], "Anja's own, from another case");
        let err = handling::attach(s, &actor, &hanna, &second, &w.docs[1], &eriks.id).await;
        assert!(matches!(err, Err(AppError::NotFound)), "{err:?}");
        let err = handling::attach(s, &actor, &hanna, &second, "", &old.id).await;
        assert!(
            err.expect_err("no requirement")
                .field_text("requirement_id", Locale::Sv)
                .is_some()
        );
        assert!(
            handling::attach(s, &actor, &hanna, &second, &w.docs[1], &old.id)
                .await
                .expect("attach")
        );
        assert!(
            !handling::attach(s, &actor, &hanna, &second, &w.docs[1], &old.id)
                .await
                .expect("twice")
        );
        // It answers the document in the person's "Ladda upp intyg" and shows in the archive.
        let panel = cases::panel(s, &w.anja, &second).await.expect("panel");
        let row = panel
            .requirements
            .iter()
            .find(|r| r.id == w.docs[1])
            .expect("row");
        assert!(
            matches!(&row.provided, Provided::Uploaded { document_id, .. } if *document_id == old.id),
            "{:?}",
            row.provided
        );
        let archive = cases::archive(&s.db, &w.anja, &second, &Default::default())
            .await
            .expect("archive");
        assert!(archive.rows.items.iter().any(|d| d.id == old.id));
        let view = handling::case(s, &hanna, &second, 1).await.expect("view");
        assert!(
            view.attachable.is_empty(),
            "attached, it is offered no more"
        );
        // Only what the list offers: not a file of this case, not a shared one.
        let own = send(
            s,
            cases::Uploader::Person(&w.anja),
            &second,
            &w.docs[1],
            "ny.pdf",
            &files::big_pdf(2000),
        )
        .await
        .expect("this case's");
        let err = handling::attach(s, &actor, &hanna, &second, &w.docs[0], &own.id).await;
        assert!(matches!(err, Err(AppError::NotFound)), "{err:?}");
        let shared = send(
            s,
            cases::Uploader::Person(&w.anja),
            &second,
            &w.docs[0],
            "betyg.pdf",
            &files::big_pdf(3000),
        )
        .await
        .expect("shared");
        let err = handling::attach(s, &actor, &hanna, &second, &w.docs[0], &shared.id).await;
        assert!(matches!(err, Err(AppError::NotFound)), "{err:?}");
    }
}

#[tokio::test]
async fn a_template_is_a_checked_file_that_applicants_download() {
    use app::testing::files;
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let actor = Actor::system("admin");
        let req = &w.docs[1];
        let file = |bytes: Vec<u8>| {
            let s = s.clone();
            async move {
                app::cases::files::Incoming::of_bytes(
                    &s.config.upload_dir,
                    s.config.upload_max,
                    &bytes,
                )
                .await
                .expect("received")
            }
        };
        // Judged by content: a program or a macro workbook is refused, and nothing is set.
        for (name, bytes) in [("mall.xlsx", files::exe()), ("mall.xlsx", files::xlsm())] {
            let err =
                cases::set_template(s, &actor, &w.drilling, req, name, file(bytes).await).await;
            assert!(
                err.expect_err(name)
                    .field_text("file", Locale::Sv)
                    .is_some()
            );
        }
        assert!(matches!(
            cases::template_for_download(&s.db, req).await,
            Err(AppError::NotFound)
        ));
        // A workbook named .pdf is kept as what it is; sent again, nothing changes.
        let name = cases::set_template(
            s,
            &actor,
            &w.drilling,
            req,
            "Svets/mall.pdf",
            file(files::xlsx()).await,
        )
        .await
        .expect("set");
        assert_eq!(name, "Svets_mall.xlsx");
        cases::set_template(
            s,
            &actor,
            &w.drilling,
            req,
            "Svets/mall.pdf",
            file(files::xlsx()).await,
        )
        .await
        .expect("again");
        let set = count(
            &s.db,
            "SELECT COUNT(*) FROM events WHERE action = 'scheme.template_set'",
        )
        .await;
        assert_eq!(set, 1);
        let found = cases::template_for_download(&s.db, req)
            .await
            .expect("found");
        assert_eq!(found.template, "Svets_mall.xlsx");
        // An applicant's row offers it.
        let case = open(s, &actor, &w).await;
        let panel = cases::panel(s, &w.anja, &case).await.expect("panel");
        let row = panel
            .requirements
            .iter()
            .find(|r| r.id == *req)
            .expect("row");
        assert_eq!(row.template.as_deref(), Some("Svets_mall.xlsx"));
        // The hourly sweep keeps a template's file.
        assert_eq!(
            cases::sweep_stored(s, chrono::Duration::zero())
                .await
                .expect("sweep"),
            0
        );
        let key = app::storage::Storage::key(&found.template_sha256);
        assert!(s.storage.exists(&key).await.expect("exists"));
        // Another scheme's document is not found; removed twice, the second changes nothing.
        let err = cases::set_template(
            s,
            &actor,
            "no-such-scheme",
            req,
            "x.xlsx",
            file(files::xlsx()).await,
        )
        .await;
        assert!(matches!(err, Err(AppError::NotFound)), "{err:?}");
        assert!(
            cases::remove_template(s, &actor, &w.drilling, req)
                .await
                .expect("remove")
        );
        assert!(
            !cases::remove_template(s, &actor, &w.drilling, req)
                .await
                .expect("again")
        );
        assert!(matches!(
            cases::template_for_download(&s.db, req).await,
            Err(AppError::NotFound)
        ));
        assert_eq!(
            cases::sweep_stored(s, chrono::Duration::zero())
                .await
                .expect("sweep"),
            1
        );
    }
}

#[tokio::test]
async fn messages_go_both_ways_in_threads_with_drafts_and_unread_marks() {
    use app::cases::messaging::{list, send};
    use app::cases::model::{MESSAGE_MAX, MessageKind, Sent};
    use app::testing::holder_account;
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let (hanna, _) = staff(s).await;
        let actor = Actor::system("test");
        let case = open(s, &actor, &w).await;
        let anja = holder_account(s, &w.anja, "anja", "anja@exempel.se", "Anja Åström").await;
        let erik = holder_account(s, &w.erik, "erik", "erik@exempel.se", "Erik Åström").await;
        // Another person finds nothing, reading or writing.
        assert!(matches!(
            list(s, &erik, &case, None).await,
            Err(AppError::NotFound)
        ));
        let err = send(s, &actor, &erik, &case, "", "note", "Hej", false).await;
        assert!(matches!(err, Err(AppError::NotFound)), "{err:?}");
        // Refused in words, and nothing is written.
        let long = "x".repeat(MESSAGE_MAX + 1);
        for (kind, body, field) in [
            ("note", "  ", "body"),
            ("note", long.as_str(), "body"),
            ("note", "\u{202E}", "body"),
            ("supplement", "Hej", "kind"),
            ("", "Hej", "kind"),
        ] {
            let err = send(s, &actor, &anja, &case, "", kind, body, false).await;
            let err = err.expect_err(field);
            assert!(
                err.field_text(field, Locale::Sv).is_some(),
                "{kind} {body}: {err:?}"
            );
        }
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM case_messages").await, 0);
        // A draft, saved twice, is one draft; sending it removes it.
        for text in ["Hej! Jag undrar", "Hej! Jag undrar om svetsprovet."] {
            let (sent, staff_side) = send(s, &actor, &anja, &case, "", "change", text, true)
                .await
                .expect("draft");
            assert_eq!(sent, Sent::Draft);
            assert!(!staff_side);
        }
        let mine = list(s, &anja, &case, None).await.expect("list");
        assert_eq!(
            mine.new_draft,
            Some((
                MessageKind::Change,
                "Hej! Jag undrar om svetsprovet.".into()
            ))
        );
        assert!(mine.threads.is_empty(), "a draft is not sent");
        assert!(
            list(s, &hanna, &case, None)
                .await
                .expect("staff")
                .new_draft
                .is_none()
        );
        let body = "Hej! Jag undrar om svetsprovet.";
        let (sent, _) = send(s, &actor, &anja, &case, "", "change", body, false)
            .await
            .expect("send");
        let Sent::Sent { thread } = sent else {
            panic!("{sent:?}")
        };
        // Sent twice (a form sent again): one message.
        let (again, _) = send(s, &actor, &anja, &case, "", "change", body, false)
            .await
            .expect("again");
        assert_eq!(
            again,
            Sent::AlreadySent {
                thread: thread.clone()
            }
        );
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM case_messages").await, 1);
        assert!(
            list(s, &anja, &case, None)
                .await
                .expect("list")
                .new_draft
                .is_none()
        );
        // The handler sees it unread until the thread is opened.
        let theirs = list(s, &hanna, &case, None).await.expect("staff");
        assert_eq!(theirs.threads.len(), 1);
        assert_eq!(theirs.threads[0].kind, MessageKind::Change);
        assert_eq!(theirs.threads[0].unread, 1);
        // The queue marks the case until then.
        let unread = async || {
            let q = app::cases::handling::queue(
                s,
                &hanna,
                &queue_query(app::cases::model::QueueFilter::Open),
            )
            .await
            .expect("queue");
            q.rows
                .items
                .iter()
                .find(|r| r.id == case)
                .expect("in the queue")
                .unread
        };
        assert_eq!(unread().await, 1);
        let read = list(s, &hanna, &case, Some(&thread)).await.expect("open");
        assert_eq!(read.threads[0].unread, 0);
        assert_eq!(unread().await, 0);
        // The reply reaches Anja unread, and by an email that does not hold its text.
        let reply = "Svetsprovet ska vara högst tre år gammalt.";
        let (sent, staff_side) = send(s, &actor, &hanna, &case, &thread, "", reply, false)
            .await
            .expect("reply");
        assert!(staff_side);
        assert_eq!(
            sent,
            Sent::Sent {
                thread: thread.clone()
            }
        );
        let hers = list(s, &anja, &case, None).await.expect("list");
        assert_eq!(hers.threads[0].messages.len(), 2);
        assert_eq!(hers.threads[0].messages[0].body, reply, "newest first");
        assert_eq!(hers.threads[0].unread, 1);
        assert!(
            !hers.threads[0].messages[0].letter_due,
            "only staff see letters due"
        );
        let mails: Vec<(String, String)> = sqlx::query_as(
            "SELECT to_address, body_text FROM outbox WHERE subject LIKE '%meddelande%'",
        )
        .fetch_all(&s.db.pool)
        .await
        .expect("outbox");
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].0, "anja@exempel.se");
        assert!(
            !mails[0].1.contains("tre år"),
            "the email never holds the message"
        );
        // A reply to a thread that is not the case's is not found.
        let err = send(s, &actor, &anja, &case, "no-such-thread", "", "Hej", false).await;
        assert!(matches!(err, Err(AppError::NotFound)), "{err:?}");
        // To an analog person: no email, and the handler sees that a letter is due.
        sqlx::query("UPDATE people SET communication = 'analog' WHERE id = $1")
            .bind(&w.anja)
            .execute(&s.db.pool)
            .await
            .expect("analog");
        send(
            s,
            &actor,
            &hanna,
            &case,
            &thread,
            "",
            "Brevet kommer.",
            false,
        )
        .await
        .expect("letter");
        let theirs = list(s, &hanna, &case, None).await.expect("staff");
        assert!(theirs.threads[0].messages[0].letter_due);
        let mails = count(
            &s.db,
            "SELECT COUNT(*) FROM outbox WHERE subject LIKE '%meddelande%'",
        )
        .await;
        assert_eq!(mails, 1);
        let sent = count(
            &s.db,
            "SELECT COUNT(*) FROM events WHERE action = 'case.message_sent'",
        )
        .await;
        assert_eq!(sent, 3);
    }
}

/// Anja's case for the drilling scheme, both documents explained, sent, and taken by `handler`.
async fn sent_and_taken(
    s: &AppState,
    w: &World,
    handler: &app::auth::model::CurrentUser,
    person: &str,
) -> String {
    let actor = Actor::system("test");
    let case = open_for(s, &actor, w, person).await;
    for d in &w.docs {
        cases::explain(s, &actor, person, &case, d, "Skickas per post.")
            .await
            .expect("explain");
    }
    cases::ready(s, &actor, person, &case).await.expect("ready");
    app::cases::handling::take(s, &actor, handler, &case)
        .await
        .expect("take");
    case
}

#[tokio::test]
async fn a_supplement_is_asked_once_reminded_once_and_answered() {
    use app::cases::deciding::request_supplement;
    use app::cases::model::{DocType, MessageKind, QueueFilter, Requested};
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let (hanna, _) = staff(s).await;
        let actor = Actor::system("test");
        let case = sent_and_taken(s, &w, &hanna, &w.anja).await;
        let weld = vec![w.docs[1].clone()];
        // Refused in words, and nothing is written: nothing ticked, a document of no such
        // requirement, no text.
        for (ids, text, field) in [
            (vec![], "Svetsprovet saknas.", "requirement_ids"),
            (
                vec!["no-such".to_owned()],
                "Svetsprovet saknas.",
                "requirement_ids",
            ),
            (weld.clone(), "  ", "supplement_text"),
        ] {
            let err = request_supplement(s, &actor, &hanna, &case, &ids, text)
                .await
                .expect_err(field);
            assert!(err.field_text(field, Locale::Sv).is_some(), "{err:?}");
        }
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM case_supplements").await,
            0
        );
        let asked = request_supplement(s, &actor, &hanna, &case, &weld, "Svetsprovet saknas.")
            .await
            .expect("request");
        let Requested::Requested { letter } = asked else {
            panic!("{asked:?}")
        };
        assert!(
            letter.starts_with("Kompletteringsbrev_NyCert_FX") && letter.ends_with(".pdf"),
            "{letter}"
        );
        // Sent twice: nothing more.
        let again = request_supplement(s, &actor, &hanna, &case, &weld, "Svetsprovet saknas.")
            .await
            .expect("again");
        assert!(
            matches!(again, Requested::AlreadyRequested { .. }),
            "{again:?}"
        );
        assert_eq!(
            count(&s.db, "SELECT COUNT(*) FROM case_supplements").await,
            1
        );
        // The person's side: the letter in the archive, the weld test asked for again, the
        // message, the email; "MEDDELA OSS" waits for the weld test.
        let panel = cases::panel(s, &w.anja, &case).await.expect("panel");
        assert_eq!(panel.status, CaseStatus::SupplementRequested);
        assert!(panel.supplement_asked_at.is_some() && panel.ready_at.is_none());
        let weld_row = &panel.requirements[1];
        assert!(weld_row.asked && weld_row.provided == Provided::Missing);
        assert!(!panel.requirements[0].asked);
        assert!(matches!(
            panel.requirements[0].provided,
            Provided::Explained { .. }
        ));
        let anja =
            app::testing::holder_account(s, &w.anja, "anja", "anja@exempel.se", "Anja").await;
        let q = app::cases::model::ArchiveQuery::default();
        let archive = cases::archive(&s.db, &w.anja, &case, &q)
            .await
            .expect("archive");
        let row = archive
            .rows
            .items
            .iter()
            .find(|r| r.doc_type == DocType::SupplementLetter)
            .expect("the letter in the archive");
        assert_eq!(row.name, letter);
        let doc = cases::document_for_download(s, &anja, &actor, &row.id)
            .await
            .expect("download");
        let (_, mut stream) = s
            .storage
            .get(&app::storage::Storage::key(&doc.sha256))
            .await
            .expect("stored");
        let mut bytes = Vec::new();
        while let Some(chunk) = futures_util::StreamExt::next(&mut stream).await {
            bytes.extend_from_slice(&chunk.expect("chunk"));
        }
        let pdf = lopdf::Document::load_mem(&bytes).expect("a PDF");
        let text = pdf.extract_text(&[1]).expect("text");
        for expected in ["Kompletteringsbrev", "Svetsprov", "Svetsprovet saknas."] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        let messages = app::cases::messaging::list(s, &anja, &case, None)
            .await
            .expect("messages");
        assert_eq!(messages.threads.len(), 1);
        assert_eq!(messages.threads[0].kind, MessageKind::Supplement);
        assert_eq!(messages.threads[0].unread, 1);
        let mails = "SELECT COUNT(*) FROM outbox WHERE to_address = 'anja@exempel.se'";
        assert_eq!(count(&s.db, mails).await, 1);
        let err = cases::ready(s, &actor, &w.anja, &case)
            .await
            .expect_err("missing");
        assert!(err.field_text("documents", Locale::Sv).is_some(), "{err:?}");
        // Not approved while it waits for the answer.
        let approve = app::cases::deciding::Choice::Approve {
            level_id: &w.level,
            plastic_card: false,
            published: false,
        };
        let err = app::cases::deciding::decide(s, &actor, &hanna, &case, approve)
            .await
            .expect_err("open supplement");
        assert!(err.field_text("decision", Locale::Sv).is_some(), "{err:?}");
        // Two servers' schedulers, day by day: the reminder goes out once, on day 14.
        let other = t.second_server().await;
        let reminders = "SELECT COUNT(*) FROM case_messages WHERE kind = 'supplement_reminder'";
        for day in 1..=16 {
            s.clock.advance(chrono::Duration::days(1));
            let (a, b) = tokio::join!(
                app::chores::run_jobs(s, "server-a"),
                app::chores::run_jobs(&other, "server-b")
            );
            a.expect("server a");
            b.expect("server b");
            let sent = count(&s.db, reminders).await;
            assert_eq!(sent, i64::from(day >= 14), "day {day}, {:?}", t.backend());
        }
        assert_eq!(count(&s.db, mails).await, 2, "the reminder's email");
        // The answer: the weld test explained anew, "MEDDELA OSS": back in the queue.
        cases::explain(
            s,
            &actor,
            &w.anja,
            &case,
            &w.docs[1],
            "Provet görs i januari.",
        )
        .await
        .expect("explain");
        assert_eq!(
            cases::ready(s, &actor, &w.anja, &case)
                .await
                .expect("ready"),
            Ready::Sent
        );
        let panel = cases::panel(s, &w.anja, &case).await.expect("panel");
        assert_eq!(panel.status, CaseStatus::SupplementAnswered);
        assert!(panel.supplement_asked_at.is_none());
        assert!(panel.requirements.iter().all(|r| !r.asked));
        let queue = app::cases::handling::queue(s, &hanna, &queue_query(QueueFilter::Answered))
            .await
            .expect("queue");
        assert_eq!(queue.rows.items.len(), 1);
        let answered = count(
            &s.db,
            "SELECT COUNT(*) FROM events WHERE action = 'case.supplement_answered'",
        )
        .await;
        assert_eq!(answered, 2, "in the person's and the case's log");
        verify(&s.db, Subject::case(&case))
            .await
            .expect("verify")
            .expect("intact");
    }
}

#[tokio::test]
async fn exams_are_recorded_once_and_shown_latest_first() {
    use app::cases::deciding::record_exam;
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let (hanna, _) = staff(s).await;
        let actor = Actor::system("test");
        let case = sent_and_taken(s, &w, &hanna, &w.anja).await;
        let tomorrow = (s.clock.today() + chrono::Duration::days(1)).to_string();
        let long = "x".repeat(101);
        for (day, exam, result, score, field) in [
            ("2026-13-01", "Teoriprov", "passed", "", "taken_on"),
            (tomorrow.as_str(), "Teoriprov", "passed", "", "taken_on"),
            ("2026-01-10", " ", "passed", "", "exam"),
            ("2026-01-10", long.as_str(), "passed", "", "exam"),
            ("2026-01-10", "Teoriprov", "maybe", "", "result"),
            (
                "2026-01-10",
                "Teoriprov",
                "passed",
                "123456789012345678901",
                "score",
            ),
        ] {
            let err = record_exam(s, &actor, &hanna, &case, day, exam, result, score)
                .await
                .expect_err(field);
            assert!(
                err.field_text(field, Locale::Sv).is_some(),
                "{field}: {err:?}"
            );
        }
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM case_exams").await, 0);
        for (day, exam, result, score, written) in [
            ("2026-01-10", "Teoriprov", "failed", "31 p", true),
            ("2026-01-10", "Teoriprov", "failed", "31 p", false),
            ("2026-02-14", "Teoriprov", "passed", "44 p", true),
        ] {
            let done = record_exam(s, &actor, &hanna, &case, day, exam, result, score)
                .await
                .expect("record");
            assert_eq!(done, written, "{day} {result}");
        }
        let panel = cases::panel(s, &w.anja, &case).await.expect("panel");
        assert_eq!(panel.exams.len(), 2);
        assert_eq!(panel.exams[0].taken_on, "2026-02-14");
        assert!(panel.exams[0].passed && !panel.exams[1].passed);
    }
}

#[tokio::test]
async fn a_decision_issues_one_certificate_from_the_series_and_is_final() {
    use app::cases::deciding::{Choice, decide};
    use app::cases::model::{Decided, DocType, MessageKind};
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let (hanna, bodil) = staff(s).await;
        let actor = Actor::system("test");
        let case = sent_and_taken(s, &w, &hanna, &w.anja).await;
        let approve = |level_id| Choice::Approve {
            level_id,
            plastic_card: true,
            published: false,
        };
        // Refused in words: no level where the scheme has levels; a rejection without reason.
        let err = decide(s, &actor, &hanna, &case, approve(""))
            .await
            .expect_err("level");
        assert!(err.field_text("level_id", Locale::Sv).is_some(), "{err:?}");
        let err = decide(s, &actor, &hanna, &case, Choice::Reject { reason: " " })
            .await
            .expect_err("reason");
        assert!(err.field_text("reason", Locale::Sv).is_some(), "{err:?}");
        // Not while the latest exam is failed.
        let exam = async |day: &str, result: &str| {
            app::cases::deciding::record_exam(s, &actor, &hanna, &case, day, "Teori", result, "")
                .await
                .expect("exam")
        };
        exam("2026-01-10", "failed").await;
        let err = decide(s, &actor, &hanna, &case, approve(&w.level))
            .await
            .expect_err("failed exam");
        assert!(err.field_text("decision", Locale::Sv).is_some(), "{err:?}");
        exam("2026-02-14", "passed").await;
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM certificates").await, 0);
        // Twice at once: one certificate.
        let (a, b) = tokio::join!(
            decide(s, &actor, &hanna, &case, approve(&w.level)),
            decide(s, &actor, &bodil, &case, approve(&w.level))
        );
        let mut outcomes = [a.expect("a"), b.expect("b")];
        outcomes.sort_by_key(|o| format!("{o:?}"));
        assert!(
            matches!(outcomes[0], Decided::AlreadyDecided { .. }),
            "{outcomes:?}"
        );
        assert_eq!(
            outcomes[1],
            Decided::Approved {
                number: "BORR-00001".into()
            }
        );
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM certificates").await, 1);
        let today = s.clock.today();
        let (status, valid_until, extend_by): (String, String, Option<String>) = sqlx::query_as(
            "SELECT status, valid_until, extend_by FROM certificates WHERE number = 'BORR-00001'",
        )
        .fetch_one(&s.db.pool)
        .await
        .expect("certificate");
        assert_eq!(status, "active");
        let years = |n: u32| {
            today
                .checked_add_months(chrono::Months::new(12 * n))
                .expect("date")
                .to_string()
        };
        assert_eq!(valid_until, years(5));
        assert_eq!(extend_by, Some(years(1)));
        let panel = cases::panel(s, &w.anja, &case).await.expect("panel");
        assert_eq!(panel.status, CaseStatus::Decided);
        assert_eq!(panel.certificate_number.as_deref(), Some("BORR-00001"));
        assert!(panel.plastic_card && !panel.published);
        assert!(panel.decision.as_ref().is_some_and(|d| d.approved));
        // The letter in the archive, the "Beslut" message; and it is final.
        let q = app::cases::model::ArchiveQuery::default();
        let archive = cases::archive(&s.db, &w.anja, &case, &q)
            .await
            .expect("archive");
        assert!(
            archive
                .rows
                .items
                .iter()
                .any(|r| r.doc_type == DocType::Decision && r.name.starts_with("Beslut_NyCert_"))
        );
        let anja =
            app::testing::holder_account(s, &w.anja, "anja", "anja@exempel.se", "Anja").await;
        let messages = app::cases::messaging::list(s, &anja, &case, None)
            .await
            .expect("list");
        assert!(
            messages
                .threads
                .iter()
                .any(|t| t.kind == MessageKind::Decision)
        );
        let err = app::cases::deciding::record_exam(
            s,
            &actor,
            &hanna,
            &case,
            "2026-01-10",
            "Teori",
            "passed",
            "",
        )
        .await
        .expect_err("final");
        assert!(err.field_text("case", Locale::Sv).is_some(), "{err:?}");
        // A rejection of Erik's case: a letter with the reason, no certificate; the series
        // goes on with the next approval.
        let eriks = sent_and_taken(s, &w, &hanna, &w.erik).await;
        let rejected = decide(
            s,
            &actor,
            &hanna,
            &eriks,
            Choice::Reject {
                reason: "Svetsprovet är inte godkänt.",
            },
        )
        .await
        .expect("reject");
        assert_eq!(rejected, Decided::Rejected);
        assert_eq!(count(&s.db, "SELECT COUNT(*) FROM certificates").await, 1);
        let panel = cases::panel(s, &w.erik, &eriks).await.expect("panel");
        let d = panel.decision.expect("decision");
        assert!(!d.approved);
        assert_eq!(d.reason.as_deref(), Some("Svetsprovet är inte godkänt."));
        verify(&s.db, Subject::case(&case))
            .await
            .expect("verify")
            .expect("intact");
    }
}

#[tokio::test]
async fn the_answer_to_a_change_of_details_is_an_uppgiftsandring_of_the_latest_case() {
    use app::cases::model::MessageKind;
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let actor = Actor::system("test");
        let case = open(s, &actor, &w).await;
        let anja =
            app::testing::holder_account(s, &w.anja, "anja", "anja@exempel.se", "Anja").await;
        let mut changed = details("Anja");
        changed.address = "Storgatan 5".into();
        let draft = app::people::service::draft_change(s, &anja, &changed)
            .await
            .expect("draft");
        app::people::service::submit_change(s, &anja, &actor, &draft)
            .await
            .expect("submit");
        let handler = Actor::system("handler");
        app::people::service::decide(s, &handler, &draft, false, "Adressen finns inte.")
            .await
            .expect("reject");
        app::chores::run_jobs(s, "test").await.expect("jobs");
        let messages = app::cases::messaging::list(s, &anja, &case, None)
            .await
            .expect("messages");
        assert_eq!(messages.threads.len(), 1);
        let thread = &messages.threads[0];
        assert_eq!(thread.kind, MessageKind::Change);
        assert!(
            thread.messages[0].from_staff
                && thread.messages[0].body.contains("Adressen finns inte.")
        );
        let (general, _) = app::messages::service::list(&s.db, &anja.account_id, 1, 25)
            .await
            .expect("general");
        assert!(
            general.is_empty(),
            "not on the person's own message page too"
        );
        let mails = "SELECT COUNT(*) FROM outbox WHERE to_address = 'anja@exempel.se'";
        assert_eq!(count(&s.db, mails).await, 1);
    }
}
