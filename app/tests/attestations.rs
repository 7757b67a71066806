#![cfg(feature = "ssr")]
//! The holder's invitation and the attester's BankID signature, against the BankID simulator
//! over mutual TLS, on SQLite and PostgreSQL.

use app::attestations::model::{Closed, Link, SignOutcome, Signing};
use app::attestations::service as attest;
use app::auth::model::CurrentUser;
use app::auth::service::Origin;
use app::certificates::model::Status;
use app::certificates::service::{self as certs, Issue};
use app::error::AppError;
use app::events::service::{Actor, Subject, list, verify};
use app::i18n::Locale;
use app::people::model::PersonDetails;
use app::state::AppState;
use app::testing::{databases, day};
use bankid::simulator::{self, Running};
use chrono::Duration;

const HOLDER_PNR: &str = "198507099805";
const ATTESTER_PNR: &str = "199004129814";

struct World {
    state: AppState,
    user: CurrentUser,
    actor: Actor,
    cert: String,
    sim: Running,
}

async fn world(state: &AppState, settings: simulator::Settings) -> World {
    let any = "127.0.0.1:0".parse().expect("addr");
    let sim = simulator::start(settings, any, any)
        .await
        .expect("simulator");
    let mut state = state.clone();
    state.bankid = Some(std::sync::Arc::new(app::attestations::BankId {
        client: bankid::client::Client::new(&sim.client_config()).expect("client"),
        app_url: sim.app_url.clone(),
        simulated: true,
    }));
    let staff = Actor::system("test");
    let details = PersonDetails {
        first_name: "Anja".into(),
        last_name: "Lind".into(),
        email: "anja@exempel.se".into(),
        communication: "digital".into(),
        ..PersonDetails::default()
    };
    let person = app::people::service::create(&state, &staff, HOLDER_PNR, &details)
        .await
        .expect("person");
    let user = app::testing::holder_account(
        &state,
        &person,
        "anja",
        "anja.konto@exempel.se",
        "Anja Lind",
    )
    .await;
    let mut tx = state.db.begin().await.expect("begin");
    let scheme = certs::ensure_scheme(
        &mut tx,
        "fgas-1",
        "F-Gaser",
        "Personcertifikat f-gas kat I",
        5,
    )
    .await
    .expect("scheme");
    let (extend_by, valid_until) = (day(&state, 20), day(&state, 900));
    let cert = certs::issue(
        &mut tx,
        &state.clock,
        &staff,
        &Issue {
            number: "10001",
            scheme_id: &scheme,
            person_id: &person,
            status: Status::Active,
            issued_on: "2024-01-01",
            valid_until: &valid_until,
            extend_by: Some(&extend_by),
        },
    )
    .await
    .expect("issue");
    tx.commit().await.expect("commit");
    let actor = Actor {
        account_id: Some(user.account_id.clone()),
        label: "anja".into(),
        ip: None,
    };
    World {
        state,
        user,
        actor,
        cert,
        sim,
    }
}

/// The link in the latest invitation email.
async fn emailed_token(state: &AppState) -> String {
    let text: String = sqlx::query_scalar(
        "SELECT body_text FROM outbox WHERE template = 'attestation_request' ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .fetch_one(&state.db.pool)
    .await
    .expect("email");
    assert!(!text.contains("/attest/"), "sealed at rest");
    let text = state.config.keys.open(&text).expect("our key opens it");
    let link = text
        .lines()
        .find(|l| l.contains("/attest/"))
        .expect("a link")
        .trim();
    link.rsplit('/').next().expect("token").to_owned()
}

async fn extend_by(state: &AppState, cert: &str) -> String {
    sqlx::query_scalar("SELECT extend_by FROM certificates WHERE id = $1")
        .bind(cert)
        .fetch_one(&state.db.pool)
        .await
        .expect("extend_by")
}

/// The attester signs in the simulator's app, opened with the same-device link.
async fn sign_in_app(w: &World, token: &str, pnr: &str, approve: bool) {
    let view = attest::status(&w.state, Locale::Sv, token)
        .await
        .expect("status")
        .expect("open");
    let Signing::Pending { app_link, .. } = view.signing else {
        panic!("pending: {:?}", view.signing)
    };
    let web = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("browser");
    let opened = web.get(&app_link).send().await.expect("open the app");
    let origin = w.sim.app_url.trim_end_matches("/app");
    let order = format!(
        "{origin}{}",
        opened.headers()["location"].to_str().expect("loc")
    );
    web.get(&order).send().await.expect("order page");
    let r = if approve {
        web.post(format!("{order}/sign"))
            .form(&[("personal_number", pnr), ("name", "Erik Holm")])
            .send()
            .await
    } else {
        web.post(format!("{order}/cancel")).send().await
    };
    r.expect("answer");
    // Past the collect interval.
    w.state.clock.advance(Duration::seconds(2));
}

/// The attester (Erik Holm, Chef) starts signing from `token`.
async fn start_as_attester(s: &AppState, token: &str) -> Result<(), AppError> {
    attest::start(
        s,
        Locale::Sv,
        token,
        ATTESTER_PNR,
        "Erik Holm",
        "Chef",
        "192.0.2.1",
    )
    .await
}

fn field(e: &AppError, name: &str) -> String {
    e.field_text(name, Locale::Sv).unwrap_or_default()
}

#[tokio::test]
async fn an_invited_attester_signs_and_the_certificate_moves_one_year_on() {
    for t in databases().await {
        let w = world(&t.state, simulator::Settings::default()).await;
        let s = &w.state;
        let before = extend_by(s, &w.cert).await;

        // The holder's own address is refused, as is a malformed one.
        let e = attest::invite(
            s,
            &w.user,
            &w.actor,
            Locale::Sv,
            &Origin::default(),
            &w.cert,
            "ANJA.konto@exempel.se",
        )
        .await
        .expect_err("own address");
        assert!(field(&e, "email").contains("inte intyga din egen"), "{e:?}");
        let e = attest::invite(
            s,
            &w.user,
            &w.actor,
            Locale::Sv,
            &Origin::default(),
            &w.cert,
            "chef@",
        )
        .await
        .expect_err("not an address");
        assert!(
            field(&e, "email").starts_with("Ange en e-postadress"),
            "{e:?}"
        );
        attest::invite(
            s,
            &w.user,
            &w.actor,
            Locale::Sv,
            &Origin::default(),
            &w.cert,
            "chef@exempel.se",
        )
        .await
        .expect("invite");
        let pending = attest::pending(s, &w.cert)
            .await
            .expect("pending")
            .expect("a request");
        assert_eq!(pending.email, "chef@exempel.se");
        let token = emailed_token(s).await;
        assert!(token.len() >= 43, "256 bits, base64url");
        let stored: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM attestation_requests WHERE token_hash = $1")
                .bind(&token)
                .fetch_one(&s.db.pool)
                .await
                .expect("count");
        assert_eq!(stored, 0, "the token itself is never stored");

        let Link::Open(target) = attest::link(s, &token).await.expect("link") else {
            panic!("open")
        };
        assert_eq!(target.number, "10001");
        assert_eq!(target.person, "Anja Lind");

        // The holder's own personnummer is refused with the manual's message; bad fields too.
        let e = attest::start(
            s,
            Locale::Sv,
            &token,
            HOLDER_PNR,
            "Anja Lind",
            "Tekniker",
            "192.0.2.1",
        )
        .await
        .expect_err("own pnr");
        assert_eq!(
            field(&e, "pnr"),
            "Det här är certifikatsinnehavarens personnummer. Den som intygar måste vara en annan person: ange ditt eget personnummer."
        );
        let e = attest::start(
            s,
            Locale::Sv,
            &token,
            "19900412-9815",
            "",
            &"x".repeat(201),
            "192.0.2.1",
        )
        .await
        .expect_err("bad fields");
        assert!(
            !field(&e, "pnr").is_empty()
                && !field(&e, "name").is_empty()
                && !field(&e, "position").is_empty()
        );
        let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attestation_signings")
            .fetch_one(&s.db.pool)
            .await
            .expect("count");
        assert_eq!(orders, 0, "nothing started");

        attest::start(
            s,
            Locale::Sv,
            &token,
            ATTESTER_PNR,
            "Erik Holm",
            "Servicechef",
            "192.0.2.1",
        )
        .await
        .expect("start");
        let view = attest::status(s, Locale::Sv, &token)
            .await
            .expect("status")
            .expect("open");
        let Signing::Pending {
            qr_content,
            qr_svg,
            message,
            ..
        } = &view.signing
        else {
            panic!("{:?}", view.signing)
        };
        assert!(qr_content.starts_with("bankid."));
        assert!(qr_svg.starts_with("data:image/svg+xml;base64,"));
        assert_eq!(message, "Starta BankID-appen.");

        // Someone else's BankID cannot sign: the order requires the attester's personnummer.
        sign_in_app(&w, &token, HOLDER_PNR, true).await;
        let view = attest::status(s, Locale::Sv, &token)
            .await
            .expect("status")
            .expect("open");
        assert!(
            matches!(view.signing, Signing::Pending { .. }),
            "{:?}",
            view.signing
        );
        assert_eq!(extend_by(s, &w.cert).await, before);

        sign_in_app(&w, &token, ATTESTER_PNR, true).await;
        let view = attest::status(s, Locale::Sv, &token)
            .await
            .expect("status")
            .expect("open");
        let Signing::Done(SignOutcome::Attested {
            to: after,
            test: true,
            ..
        }) = view.signing
        else {
            panic!("{:?}", view.signing)
        };
        let expected = (chrono::NaiveDate::parse_from_str(&before, "%Y-%m-%d").expect("date")
            + chrono::Months::new(12))
        .format("%Y-%m-%d")
        .to_string();
        assert_eq!(after, expected);
        assert_eq!(extend_by(s, &w.cert).await, expected);

        // The signature and OCSP response are kept; the simulator's key verifies it.
        let signature: String = sqlx::query_scalar(
            "SELECT signature FROM attestation_signings WHERE status = 'complete'",
        )
        .fetch_one(&s.db.pool)
        .await
        .expect("signature");
        assert!(simulator::verify_signature(
            &w.sim.simulator.public_key(),
            &signature
        ));
        let secrets: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM attestation_signings WHERE qr_start_secret <> ''",
        )
        .fetch_one(&s.db.pool)
        .await
        .expect("secrets");
        assert_eq!(secrets, 0, "no QR secret outlives its order");

        // The event names the attester, position and BankID order; the chain holds.
        let events = list(&s.db, Subject::certificate(&w.cert))
            .await
            .expect("events");
        let e = events.last().expect("event");
        assert_eq!(e.action, "certificate.attested_bankid");
        // Named as BankID verified the signer (the simulator's "Erik Holm").
        assert_eq!(e.actor_label, "Erik Holm (Servicechef)");
        assert!(e.details.contains("Servicechef") && e.details.contains("bankid_order"));
        assert!(
            e.details.contains("\"test_signature\":true"),
            "the simulator's signature is a test signature"
        );
        assert!(
            verify(&s.db, Subject::certificate(&w.cert))
                .await
                .expect("chain")
                .is_ok()
        );

        // The holder is told; the link is used.
        let done: String =
            sqlx::query_scalar("SELECT body_text FROM outbox WHERE template = 'attestation_done'")
                .fetch_one(&s.db.pool)
                .await
                .expect("email");
        assert!(done.contains("Årlig förlängning av ditt certifikat har utförts."));
        assert!(done.contains(&expected));
        assert!(done.contains("Testsignatur"));
        let (last, test): (String, i64) = sqlx::query_as(
            "SELECT last_attested_on, last_attested_test FROM certificates WHERE id = $1",
        )
        .bind(&w.cert)
        .fetch_one(&s.db.pool)
        .await
        .expect("certificate");
        assert_eq!((last, test), (day(s, 0), 1));
        assert_eq!(
            attest::link(s, &token).await.expect("link"),
            Link::Closed(Closed::Used)
        );
        let again = start_as_attester(s, &token).await.expect_err("used");
        assert!(field(&again, "pnr").contains("redan använd"));
        assert_eq!(extend_by(s, &w.cert).await, expected, "used once");
    }
}

#[tokio::test]
async fn expired_cancelled_replaced_and_forged_links_change_nothing() {
    for t in databases().await {
        let w = world(&t.state, simulator::Settings::default()).await;
        let s = &w.state;
        let before = extend_by(s, &w.cert).await;

        // Forged: an unknown token of the right shape.
        let forged = app::auth::session::new_token();
        assert_eq!(
            attest::link(s, &forged).await.expect("link"),
            Link::Closed(Closed::Unknown)
        );
        let e = start_as_attester(s, &forged).await.expect_err("forged");
        assert_eq!(
            field(&e, "pnr"),
            Locale::Sv.text(Closed::Unknown.text()),
            "{e:?}"
        );

        // Replaced by "Skicka igen", then cancelled.
        attest::invite(
            s,
            &w.user,
            &w.actor,
            Locale::Sv,
            &Origin::default(),
            &w.cert,
            "chef@exempel.se",
        )
        .await
        .expect("invite");
        let first = emailed_token(s).await;
        attest::resend(
            s,
            &w.user,
            &w.actor,
            Locale::Sv,
            &Origin::default(),
            &w.cert,
        )
        .await
        .expect("resend");
        let second = emailed_token(s).await;
        assert_ne!(first, second);
        // The log tells the second sending from the first.
        let log =
            app::events::service::list(&s.db, app::events::service::Subject::certificate(&w.cert))
                .await
                .expect("log");
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert!(
            actions.ends_with(&[
                "certificate.attestation_requested",
                "certificate.attestation_resent"
            ]),
            "{actions:?}"
        );
        assert_eq!(
            attest::link(s, &first).await.expect("link"),
            Link::Closed(Closed::Replaced)
        );
        assert!(matches!(
            attest::link(s, &second).await.expect("link"),
            Link::Open(_)
        ));
        attest::cancel(s, &w.user, &w.actor, &w.cert)
            .await
            .expect("cancel");
        assert_eq!(
            attest::link(s, &second).await.expect("link"),
            Link::Closed(Closed::Cancelled)
        );
        let e = start_as_attester(s, &second).await.expect_err("cancelled");
        assert!(field(&e, "pnr").contains("avbrutit"));
        assert!(
            attest::pending(s, &w.cert)
                .await
                .expect("pending")
                .is_none()
        );

        // Expired: valid 30 days, not 31.
        attest::invite(
            s,
            &w.user,
            &w.actor,
            Locale::Sv,
            &Origin::default(),
            &w.cert,
            "chef@exempel.se",
        )
        .await
        .expect("invite");
        let third = emailed_token(s).await;
        s.clock.advance(Duration::days(29));
        assert!(matches!(
            attest::link(s, &third).await.expect("link"),
            Link::Open(_)
        ));
        s.clock.advance(Duration::days(2));
        assert_eq!(
            attest::link(s, &third).await.expect("link"),
            Link::Closed(Closed::Expired)
        );
        let e = start_as_attester(s, &third).await.expect_err("expired");
        assert!(field(&e, "pnr").contains("30 dagar"));

        let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attestation_signings")
            .fetch_one(&s.db.pool)
            .await
            .expect("count");
        assert_eq!(orders, 0);
        assert_eq!(extend_by(s, &w.cert).await, before);

        // Someone else cannot invite for the holder's certificate.
        let stranger = CurrentUser {
            account_id: "someone-else".into(),
            ..w.user.clone()
        };
        let e = attest::invite(
            s,
            &stranger,
            &w.actor,
            Locale::Sv,
            &Origin::default(),
            &w.cert,
            "x@exempel.se",
        )
        .await
        .expect_err("not theirs");
        assert_eq!(e, AppError::Forbidden);
    }
}

#[tokio::test]
async fn user_cancel_and_expired_transaction_leave_the_certificate_as_it_was() {
    for t in databases().await {
        let w = world(
            &t.state,
            simulator::Settings {
                order_lifetime: std::time::Duration::from_millis(1500),
                ..Default::default()
            },
        )
        .await;
        let s = &w.state;
        let before = extend_by(s, &w.cert).await;
        attest::invite(
            s,
            &w.user,
            &w.actor,
            Locale::Sv,
            &Origin::default(),
            &w.cert,
            "chef@exempel.se",
        )
        .await
        .expect("invite");
        let token = emailed_token(s).await;

        start_as_attester(s, &token).await.expect("start");
        sign_in_app(&w, &token, ATTESTER_PNR, false).await;
        let view = attest::status(s, Locale::Sv, &token)
            .await
            .expect("status")
            .expect("open");
        assert_eq!(
            view.signing,
            Signing::Failed {
                message: "Åtgärden avbruten.".into()
            }
        );

        // Try again: this time nobody signs before the order expires.
        start_as_attester(s, &token).await.expect("start");
        tokio::time::sleep(std::time::Duration::from_millis(1700)).await;
        let view = attest::status(s, Locale::En, &token)
            .await
            .expect("status")
            .expect("open");
        let Signing::Failed { message } = view.signing else {
            panic!("{:?}", view.signing)
        };
        assert!(
            message.starts_with("The BankID app is not responding"),
            "{message}"
        );

        assert_eq!(extend_by(s, &w.cert).await, before);
        assert!(
            matches!(attest::link(s, &token).await.expect("link"), Link::Open(_)),
            "still usable"
        );
    }
}

/// Invites an attester and starts signing as them; returns the link's token.
async fn started(w: &World) -> String {
    let s = &w.state;
    attest::invite(
        s,
        &w.user,
        &w.actor,
        Locale::Sv,
        &Origin::default(),
        &w.cert,
        "chef@exempel.se",
    )
    .await
    .expect("invite");
    let token = emailed_token(s).await;
    start_as_attester(s, &token).await.expect("start");
    token
}

async fn events_of(s: &AppState, cert: &str) -> Vec<String> {
    list(&s.db, Subject::certificate(cert))
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[tokio::test]
async fn a_signature_after_the_holder_cancelled_attests_nothing_and_says_so() {
    for t in databases().await {
        let w = world(&t.state, simulator::Settings::default()).await;
        let s = &w.state;
        let before = extend_by(s, &w.cert).await;
        let token = started(&w).await;
        // BankID's start secrets rest sealed while the order waits.
        let (auto, secret): (String, String) =
            sqlx::query_as("SELECT auto_start_token, qr_start_secret FROM attestation_signings")
                .fetch_one(&s.db.pool)
                .await
                .expect("order");
        assert!(app::keys::Keys::is_sealed(&auto) && app::keys::Keys::is_sealed(&secret));

        // The attester signs in BankID; before the page asks again, the holder cancels.
        sign_in_app(&w, &token, ATTESTER_PNR, true).await;
        attest::cancel(s, &w.user, &w.actor, &w.cert)
            .await
            .expect("cancel");
        let view = attest::status(s, Locale::Sv, &token)
            .await
            .expect("status")
            .expect("the signature's outcome");
        assert_eq!(
            view.signing,
            Signing::Done(SignOutcome::LinkClosed),
            "{:?}",
            t.backend()
        );
        assert_eq!(extend_by(s, &w.cert).await, before);
        let actions = events_of(s, &w.cert).await;
        assert_eq!(
            actions.last().map(String::as_str),
            Some("certificate.attestation_not_applied")
        );
        assert!(!actions.contains(&"certificate.attested_bankid".to_owned()));

        // An order the holder cancels before anyone signs is cancelled at BankID too.
        attest::invite(
            s,
            &w.user,
            &w.actor,
            Locale::Sv,
            &Origin::default(),
            &w.cert,
            "chef@exempel.se",
        )
        .await
        .expect("invite");
        let token = emailed_token(s).await;
        start_as_attester(s, &token).await.expect("start");
        attest::cancel(s, &w.user, &w.actor, &w.cert)
            .await
            .expect("cancel");
        assert_eq!(
            attest::status(s, Locale::Sv, &token).await.expect("status"),
            Err(Closed::Cancelled)
        );
    }
}

#[tokio::test]
async fn a_certificate_suspended_while_the_attester_signs_is_not_extended() {
    for t in databases().await {
        let w = world(&t.state, simulator::Settings::default()).await;
        let s = &w.state;
        let before = extend_by(s, &w.cert).await;
        let token = started(&w).await;
        sqlx::query("UPDATE certificates SET status = 'suspended' WHERE id = $1")
            .bind(&w.cert)
            .execute(&s.db.pool)
            .await
            .expect("suspend");
        sign_in_app(&w, &token, ATTESTER_PNR, true).await;
        let view = attest::status(s, Locale::Sv, &token)
            .await
            .expect("status")
            .expect("open");
        assert_eq!(
            view.signing,
            Signing::Done(SignOutcome::NotAttested(
                app::certificates::model::Blocked::NotValid
            )),
            "{:?}",
            t.backend()
        );
        // The page asked again shows the same, and nothing moved.
        let again = attest::status(s, Locale::Sv, &token)
            .await
            .expect("status")
            .expect("open");
        assert_eq!(again.signing, view.signing);
        assert_eq!(extend_by(s, &w.cert).await, before);
        let actions = events_of(s, &w.cert).await;
        assert_eq!(
            actions.last().map(String::as_str),
            Some("certificate.attestation_not_applied")
        );
        assert!(!actions.contains(&"certificate.attested_bankid".to_owned()));
        let done: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE template = 'attestation_done'")
                .fetch_one(&s.db.pool)
                .await
                .expect("count");
        assert_eq!(
            done, 0,
            "the holder is not told of an extension that did not happen"
        );
        // The link was not consumed by a signature that did nothing...
        let status: String = sqlx::query_scalar("SELECT status FROM attestation_requests")
            .fetch_one(&s.db.pool)
            .await
            .expect("request");
        assert_eq!(status, "pending");
        // ... but no new signature starts while the certificate cannot be attested.
        let e = start_as_attester(s, &token)
            .await
            .expect_err("not attestable");
        assert!(field(&e, "pnr").contains("inte giltigt"), "{e:?}");
        assert!(matches!(
            attest::link(s, &token).await.expect("link"),
            Link::Open(app::attestations::model::Target {
                not_now: Some(_),
                ..
            })
        ));
    }
}

#[tokio::test]
async fn invitations_are_limited_per_account() {
    for t in databases().await {
        let w = world(&t.state, simulator::Settings::default()).await;
        let s = &w.state;
        for i in 0..10 {
            attest::invite(
                s,
                &w.user,
                &w.actor,
                Locale::Sv,
                &Origin::default(),
                &w.cert,
                &format!("chef{i}@exempel.se"),
            )
            .await
            .expect("within the limit");
        }
        let e = attest::invite(
            s,
            &w.user,
            &w.actor,
            Locale::Sv,
            &Origin::default(),
            &w.cert,
            "chef@exempel.se",
        )
        .await
        .expect_err("limited");
        assert!(field(&e, "email").contains("För många försök"), "{e:?}");
        s.clock.advance(Duration::minutes(61));
        attest::invite(
            s,
            &w.user,
            &w.actor,
            Locale::Sv,
            &Origin::default(),
            &w.cert,
            "chef@exempel.se",
        )
        .await
        .expect("an hour later");
    }
}
