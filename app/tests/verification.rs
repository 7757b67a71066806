#![cfg(feature = "ssr")]
//! Signed certificates anyone can verify: the PDF's PAdES signature held to pyHanko and
//! poppler's pdfsig, "Kontrollera en PDF", the public facts, and suspension and revocation, on
//! SQLite and PostgreSQL.

use app::auth::model::Role;
use app::certificates::model::{PdfVerdict, PublicChange, Status, StatusChange, StatusOutcome};
use app::certificates::service::{self as certs, Issue};
use app::certificates::verification as verify;
use app::events::service::Actor;
use app::i18n::Locale;
use app::people::model::PersonDetails;
use app::state::AppState;
use app::testing::{count, databases, day, holder_account, staff_account, validate, validators};
use app::types::Pnr;

/// "Kontrollera en PDF" as the server asks it: the body's certificates, then the training
/// providers' signed statements.
async fn check_pdf(s: &AppState, pdf: &[u8]) -> app::error::AppResult<PdfVerdict> {
    verify::check_pdf(s, pdf, |digest| {
        app::training::service::statement_verdict(s, digest)
    })
    .await
}

struct World {
    cert: String,
    holder: app::auth::model::CurrentUser,
    staff: app::auth::model::CurrentUser,
}

async fn world(state: &AppState) -> World {
    let actor = Actor::system("test");
    let mut tx = state.db.begin().await.expect("begin");
    let scheme = certs::ensure_scheme(&mut tx, "fgas-1", "F-Gaser", "Kategori I", 5)
        .await
        .expect("scheme");
    let d = PersonDetails {
        first_name: "Åsa".into(),
        last_name: "Öberg".into(),
        email: "asa@exempel.se".into(),
        city: "Växjö".into(),
        communication: "digital".into(),
        ..Default::default()
    };
    let pnr = Pnr::parse("198507099805", state.clock.today()).expect("pnr");
    let person = app::people::service::insert(&mut tx, &state.clock, &actor, &pnr, &d, None)
        .await
        .expect("person");
    let (extend_by, valid_until) = (day(state, 200), day(state, 1000));
    let cert = certs::issue(
        &mut tx,
        &state.clock,
        &actor,
        &Issue {
            number: "FX-00001",
            scheme_id: &scheme,
            person_id: &person,
            status: Status::Active,
            issued_on: "2025-01-01",
            valid_until: &valid_until,
            extend_by: Some(&extend_by),
        },
    )
    .await
    .expect("issue");
    tx.commit().await.expect("commit");
    World {
        cert,
        holder: holder_account(state, &person, "asa", "asa@exempel.se", "Åsa Öberg").await,
        staff: staff_account(state, "handlaggare", Role::Handler).await,
    }
}

async fn signed_pdf(state: &AppState, w: &World) -> Vec<u8> {
    let view = certs::view(state, &w.holder, &w.cert, 1)
        .await
        .expect("view");
    verify::signed_pdf(state, &view, Locale::Sv)
        .await
        .expect("signed")
}

#[tokio::test]
async fn the_certificate_pdf_is_signed_and_third_party_validators_agree() {
    let t = &databases().await[0];
    let s = &t.state;
    let w = world(s).await;
    let pdf = signed_pdf(s, &w).await;
    let Some((pyhanko, pdfsig)) = validators() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, s.config.seal.root_pem()).expect("ca");
    let good = dir.path().join("good.pdf");
    std::fs::write(&good, &pdf).expect("pdf");
    let (passed, hanko, sig) = validate(&pyhanko, &pdfsig, &ca, &good);
    assert!(passed, "pyHanko: {hanko}");
    assert!(
        hanko.contains("INTACT:TRUSTED,UNTOUCHED"),
        "pyHanko: {hanko}"
    );
    assert_eq!(sig, "- Signature Validation: Signature is Valid.");

    // One byte inside the signed range: both validators and our own check say so.
    let at = pdf
        .windows(8)
        .position(|w| w == b"FX-00001")
        .expect("the number in the PDF");
    let mut edited = pdf.clone();
    edited[at + 7] = b'2';
    let bad = dir.path().join("bad.pdf");
    std::fs::write(&bad, &edited).expect("pdf");
    let (passed, hanko, sig) = validate(&pyhanko, &pdfsig, &ca, &bad);
    assert!(!passed, "pyHanko accepted an edited PDF");
    assert!(hanko.contains("INVALID"), "pyHanko: {hanko}");
    assert_eq!(sig, "- Signature Validation: Digest Mismatch.");
    assert_eq!(
        check_pdf(s, &edited).await.expect("check"),
        PdfVerdict::Altered
    );
}

#[tokio::test]
async fn a_pdf_is_checked_against_the_record_and_the_public_facts_follow_the_status() {
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let pdf = signed_pdf(s, &w).await;
        // The same PDF is known again, with the status it showed.
        let verdict = check_pdf(s, &pdf).await.expect("check");
        assert!(
            matches!(&verdict, PdfVerdict::Genuine { number, printed_status: Status::Active, .. } if number == "FX-00001"),
            "{verdict:?}"
        );
        let mut extended = pdf.clone();
        extended.extend_from_slice(b"\n%%EOF\n");
        assert_eq!(
            check_pdf(s, &extended).await.expect("check"),
            PdfVerdict::Extended
        );
        assert_eq!(
            check_pdf(s, b"not a pdf").await.expect("check"),
            PdfVerdict::NotSigned
        );

        // Anyone's view: no name until the holder publishes; never the personnummer.
        let public = verify::public(s, "FX-00001")
            .await
            .expect("public")
            .expect("found");
        assert_eq!(public.status, Status::Active);
        assert_eq!(public.holder, None);
        assert_eq!(
            public.history.last().map(|e| &e.change),
            Some(&PublicChange::Issued)
        );
        let json = serde_json::to_string(&public).expect("json");
        assert!(
            !json.contains("19850709") && !json.contains("Öberg"),
            "{json}"
        );
        assert!(
            verify::public(s, "FX-99999")
                .await
                .expect("public")
                .is_none()
        );
        let actor = Actor::system("Åsa");
        verify::publish(s, &actor, &w.holder.account_id, &w.cert, true)
            .await
            .expect("publish");
        let public = verify::public(s, "FX-00001")
            .await
            .expect("public")
            .expect("found");
        assert_eq!(public.holder.as_deref(), Some("Åsa Öberg"));
        // The same choice again, or twice at once, is one event.
        let (a, b) = tokio::join!(
            verify::publish(s, &actor, &w.holder.account_id, &w.cert, true),
            verify::publish(s, &actor, &w.holder.account_id, &w.cert, true)
        );
        a.expect("again");
        b.expect("again");
        assert_eq!(
            count(
                &s.db,
                "SELECT COUNT(*) FROM events WHERE action = 'certificate.published'"
            )
            .await,
            1
        );
        // Someone else may not publish it.
        assert!(
            verify::publish(s, &actor, &w.staff.account_id, &w.cert, false)
                .await
                .is_err()
        );

        // Suspended, with its reason; the holder is told; twice changes nothing.
        let staff = Actor::system("Handläggare");
        let short = verify::change_status(s, &staff, &w.cert, StatusChange::Suspend, " x ").await;
        assert!(
            short
                .as_ref()
                .is_err_and(|e| e.field_message("reason").is_some()),
            "{short:?}"
        );
        // A reason the public would read as blank, or that reverses the text, is refused.
        for unreadable in [
            "\u{200B}\u{200B}\u{200B}",
            "Utredning \u{202E}gåp",
            "Ring\u{7}klockan",
        ] {
            let refused =
                verify::change_status(s, &staff, &w.cert, StatusChange::Suspend, unreadable).await;
            assert!(
                refused
                    .as_ref()
                    .is_err_and(|e| e.field_message("reason").is_some()),
                "{unreadable:?}: {refused:?}"
            );
        }
        let outcome =
            verify::change_status(s, &staff, &w.cert, StatusChange::Suspend, "Utredning pågår")
                .await
                .expect("suspend");
        assert_eq!(
            outcome,
            StatusOutcome::Changed {
                to: Status::Suspended
            }
        );
        let again =
            verify::change_status(s, &staff, &w.cert, StatusChange::Suspend, "Utredning pågår")
                .await
                .expect("again");
        assert_eq!(
            again,
            StatusOutcome::Unchanged {
                now: Status::Suspended
            }
        );
        let public = verify::public(s, "FX-00001")
            .await
            .expect("public")
            .expect("found");
        assert_eq!(public.status, Status::Suspended);
        assert_eq!(public.reason.as_deref(), Some("Utredning pågår"));
        assert_eq!(
            count(
                &s.db,
                "SELECT COUNT(*) FROM messages WHERE kind = 'certificate_suspended'"
            )
            .await,
            1
        );
        assert_eq!(
            count(
                &s.db,
                "SELECT COUNT(*) FROM outbox WHERE to_address = 'asa@exempel.se'"
            )
            .await,
            1
        );
        // The old PDF still reads as genuine, with the status it showed then.
        assert!(matches!(
            check_pdf(s, &pdf).await.expect("check"),
            PdfVerdict::Genuine {
                printed_status: Status::Active,
                ..
            }
        ));

        // Lifted: active again, as its dates say.
        let lifted = verify::change_status(
            s,
            &staff,
            &w.cert,
            StatusChange::Reinstate,
            "Utredningen klar",
        )
        .await
        .expect("lift");
        assert_eq!(lifted, StatusOutcome::Changed { to: Status::Active });
        // Revoked, finally: nothing moves it after.
        let revoked = verify::change_status(
            s,
            &staff,
            &w.cert,
            StatusChange::Revoke,
            "Utfärdat felaktigt",
        )
        .await
        .expect("revoke");
        assert_eq!(
            revoked,
            StatusOutcome::Changed {
                to: Status::Revoked
            }
        );
        for change in [
            StatusChange::Suspend,
            StatusChange::Reinstate,
            StatusChange::Revoke,
        ] {
            assert_eq!(
                verify::change_status(s, &staff, &w.cert, change, "Igen och igen")
                    .await
                    .expect("again"),
                StatusOutcome::Unchanged {
                    now: Status::Revoked
                }
            );
        }
        let public = verify::public(s, "FX-00001")
            .await
            .expect("public")
            .expect("found");
        let kinds: Vec<PublicChange> = public.history.iter().map(|e| e.change.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                PublicChange::Revoked {
                    reason: "Utfärdat felaktigt".into()
                },
                PublicChange::Reinstated,
                PublicChange::Suspended {
                    reason: "Utredning pågår".into()
                },
                PublicChange::Issued,
            ]
        );
        assert_eq!(public.reason.as_deref(), Some("Utfärdat felaktigt"));
    }
}

/// The payload of a compact JWS, unverified (the browser tests verify with `jose`).
fn payload(jws: &str) -> serde_json::Value {
    use base64::Engine;
    let part = jws.split('.').nth(1).expect("a payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("json")
}

/// Whether bit `index` is set in a status list credential's `encodedList`.
fn bit(list: &serde_json::Value, index: u64) -> bool {
    use base64::Engine;
    use std::io::Read;
    let encoded = list["credentialSubject"]["encodedList"]
        .as_str()
        .expect("encodedList");
    let gz = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded.strip_prefix('u').expect("multibase"))
        .expect("base64url");
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut bytes)
        .expect("gzip");
    bytes[(index / 8) as usize] & (0x80 >> (index % 8)) != 0
}

#[tokio::test]
async fn the_credential_s_status_bits_follow_suspension_and_revocation() {
    use app::certificates::badge::{self, Purpose};
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        // Two requests at once give the certificate one place in the lists.
        let (a, b) = tokio::join!(badge::credential(s, &w.cert), badge::credential(s, &w.cert));
        let (a, b) = (payload(&a.expect("a")), payload(&b.expect("b")));
        assert_eq!(a["credentialStatus"], b["credentialStatus"]);
        let index: u64 = a["credentialStatus"][0]["statusListIndex"]
            .as_str()
            .expect("index")
            .parse()
            .expect("number");
        assert_eq!(a["credentialSubject"]["licenseNumber"], "FX-00001");
        assert_eq!(a["iss"], badge::issuer_id(s));
        let text = a.to_string();
        assert!(
            !text.contains("19850709") && !text.contains("Öberg"),
            "{text}"
        );
        let bits = async || {
            let list = |p| async move { payload(&badge::status_list(s, p).await.expect("list")) };
            (
                bit(&list(Purpose::Revocation).await, index),
                bit(&list(Purpose::Suspension).await, index),
            )
        };
        assert_eq!(bits().await, (false, false));
        let staff = Actor::system("Handläggare");
        verify::change_status(s, &staff, &w.cert, StatusChange::Suspend, "Utredning")
            .await
            .expect("suspend");
        assert_eq!(bits().await, (false, true));
        verify::change_status(
            s,
            &staff,
            &w.cert,
            StatusChange::Revoke,
            "Utfärdat felaktigt",
        )
        .await
        .expect("revoke");
        assert_eq!(bits().await, (true, false));
    }
}

#[tokio::test]
async fn the_register_finds_published_holders_by_name_number_scheme_and_town_only() {
    use app::certificates::model::RegisterQuery;
    for t in databases().await {
        let s = &t.state;
        let w = world(s).await;
        let find = |q: &str, scheme: &str, town: &str| {
            let query = RegisterQuery {
                q: q.into(),
                scheme: scheme.into(),
                town: town.into(),
                page: 1,
            };
            async move {
                verify::register(s, &query)
                    .await
                    .expect("register")
                    .items
                    .into_iter()
                    .map(|e| e.holder)
                    .collect::<Vec<_>>()
            }
        };
        // Unpublished: not there, whatever one searches for.
        assert!(find("", "", "").await.is_empty());
        verify::publish(
            s,
            &Actor::system("Åsa"),
            &w.holder.account_id,
            &w.cert,
            true,
        )
        .await
        .expect("publish");
        let asa = vec!["Åsa Öberg".to_owned()];
        assert_eq!(find("", "", "").await, asa);
        assert_eq!(find("öberg", "", "").await, asa);
        assert_eq!(find("ÅSA", "", "").await, asa);
        assert_eq!(find("fx-00001", "", "").await, asa);
        assert_eq!(find("", "fgas-1", "").await, asa);
        assert!(find("", "other", "").await.is_empty());
        // Never by personnummer or email.
        assert!(find("19850709", "", "").await.is_empty());
        assert!(find("asa@exempel.se", "", "").await.is_empty());
        // The town is what the person's details say.
        assert_eq!(find("", "", "VÄXJÖ").await, asa);
        assert_eq!(find("åsa", "fgas-1", "växjö").await, asa);
        assert!(find("", "", "Malmö").await.is_empty());
        // Suspended: out of the register.
        verify::change_status(
            s,
            &Actor::system("x"),
            &w.cert,
            StatusChange::Suspend,
            "Utredning",
        )
        .await
        .expect("suspend");
        assert!(find("", "", "").await.is_empty());
    }
}

/// With a time-stamp authority (OpenSSL's, in the tests) the signature is PAdES B-T: pyHanko
/// finds the authority's token intact and trusted, and pdfsig still says valid; an authority
/// that does not answer leaves a B-B signature, intact all the same.
#[tokio::test]
async fn with_a_time_stamp_authority_the_signature_is_b_t() {
    use app::signing::{PdfCheck, Seal};
    let Some(tsa) = app::testing::tsa() else {
        return;
    };
    let page = || {
        let mut doc = app::pdf::Doc::default();
        doc.line(true, 16.0, "Certifikat FX-00001", 20.0);
        doc.finish_signable("D:20261127120000Z")
    };
    let seal = Seal::generated("Certportal")
        .with_tsa(&tsa.url)
        .expect("the authority");
    assert!(seal.stamps());
    let (pdf, digest) = seal.sign_pdf(page()).await.expect("signed");
    assert_eq!(seal.check(&pdf), PdfCheck::Intact { digest });
    let down = Seal::generated("Certportal")
        .with_tsa("http://127.0.0.1:9/")
        .expect("an address");
    let (unstamped, digest) = down.sign_pdf(page()).await.expect("signed without it");
    assert_eq!(down.check(&unstamped), PdfCheck::Intact { digest });
    let Some((pyhanko, pdfsig)) = validators() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let trust = dir.path().join("trust.pem");
    let tsa_root = std::fs::read_to_string(&tsa.root).expect("the authority's root");
    std::fs::write(&trust, seal.root_pem() + &tsa_root).expect("trust");
    let file = dir.path().join("stamped.pdf");
    std::fs::write(&file, &pdf).expect("pdf");
    let (passed, hanko, sig) = validate(&pyhanko, &pdfsig, &trust, &file);
    assert!(passed, "pyHanko: {hanko}");
    assert!(
        hanko.contains("INTACT:TRUSTED,TIMESTAMP_TOKEN<INTACT:TRUSTED>,UNTOUCHED"),
        "pyHanko: {hanko}"
    );
    assert_eq!(sig, "- Signature Validation: Signature is Valid.");
    let trust_down = dir.path().join("trust-down.pem");
    std::fs::write(&trust_down, down.root_pem()).expect("trust");
    let file = dir.path().join("unstamped.pdf");
    std::fs::write(&file, &unstamped).expect("pdf");
    let (passed, hanko, _) = validate(&pyhanko, &pdfsig, &trust_down, &file);
    assert!(
        passed && !hanko.contains("TIMESTAMP_TOKEN"),
        "pyHanko: {hanko}"
    );
}
