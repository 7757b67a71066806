//! The public side of certificates over HTTP: the verification page, "Kontrollera en PDF", the
//! JSON API and its OpenAPI document, and the rate limit on them.

mod common;

use app::testing::sqlite;
use axum::body::Body;
use axum::extract::ConnectInfo;
use common::{OWN_PNR, get, router, send, session_as};
use http::{Request, StatusCode, header};

/// A signed PDF of the holder's own certificate, as "Ladda ned certifikat" gives it.
async fn download(r: &axum::Router, cookie: &str, id: &str) -> Vec<u8> {
    use tower::ServiceExt;
    let req = Request::get(format!("/certificates/{id}/pdf"))
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request");
    let res = r.clone().oneshot(req).await.expect("response");
    assert_eq!(res.status(), StatusCode::OK);
    axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec()
}

/// "Kontrollera en PDF" as the form posts it; the redirect's address and cookie.
async fn check(r: &axum::Router, pdf: &[u8]) -> (String, String) {
    let boundary = "XyZ-certportal-test";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(pdf);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::post("/verify/check")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .expect("request");
    let (res, _) = send(r, req).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()[header::LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    let cookie = res.headers()[header::SET_COOKIE]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_owned();
    (to, cookie)
}

async fn page(r: &axum::Router, path: &str, cookie: Option<&str>) -> String {
    let mut req = Request::get(path);
    if let Some(cookie) = cookie {
        req = req.header(header::COOKIE, cookie);
    }
    let (res, body) = send(r, req.body(Body::empty()).expect("request")).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    body
}

#[tokio::test]
async fn anyone_verifies_a_certificate_and_a_pdf_without_signing_in() {
    let t = sqlite().await;
    let fx = common::fixture(&t.state).await;
    let r = router(t.state.clone());

    // The page the QR code leads to: the facts, not the holder's name, never the personnummer.
    let body = page(&r, "/verify/90000", None).await;
    assert!(body.contains("data-testid=\"verify-card\""), "{body}");
    assert!(body.contains("data-status=\"active\""));
    assert!(!body.contains(OWN_PNR) && !body.contains("Anja"), "{body}");
    let body = page(&r, "/verify/99999", None).await;
    assert!(body.contains("verify-not-found"));

    // The API: the same facts as JSON, cached a minute; unknown numbers are 404.
    let (res, body) = send(&r, get("/api/v1/certificates/90000")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CACHE_CONTROL], "public, max-age=60");
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(json["status"], "active");
    assert_eq!(json["valid_now"], true);
    assert!(json["holder"].is_null());
    assert_eq!(json["history"][0]["kind"], "issued");
    assert!(!body.contains(OWN_PNR));
    let (res, _) = send(&r, get("/api/v1/certificates/99999")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (res, body) = send(&r, get("/api/v1/openapi.json")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&body).expect("openapi");
    assert!(doc["paths"]["/api/v1/certificates/{number}"]["get"].is_object());

    // A PDF the holder downloaded is genuine; the verdict shows to the browser that sent it only.
    let holder = session_as(&t.state, "holder").await;
    let pdf = download(&r, &holder, &fx.own_certificate).await;
    let (to, cookie) = check(&r, &pdf).await;
    assert!(to.starts_with("/verify/90000?checked="), "{to}");
    let body = page(&r, &to, Some(&cookie)).await;
    assert!(body.contains("data-verdict=\"genuine\""), "{body}");
    let body = page(&r, &to, None).await;
    assert!(!body.contains("data-verdict"), "shown to another browser");
    // An edited one is not.
    let at = pdf
        .windows(5)
        .position(|w| w == b"90000")
        .expect("the number");
    let mut edited = pdf.clone();
    edited[at + 4] = b'1';
    let (to, cookie) = check(&r, &edited).await;
    assert!(to.starts_with("/verify?checked="), "{to}");
    let body = page(&r, &to, Some(&cookie)).await;
    assert!(body.contains("data-verdict=\"altered\""), "{body}");
    // No file at all.
    let (to, cookie) = check(&r, b"").await;
    let body = page(&r, &to, Some(&cookie)).await;
    assert!(body.contains("data-verdict=\"missing\""), "{body}");
}

#[tokio::test]
async fn the_public_addresses_are_rate_limited_per_client_address() {
    let t = sqlite().await;
    common::fixture(&t.state).await;
    let mut state = t.state.clone();
    std::sync::Arc::make_mut(&mut state.config).public_per_minute = 3;
    let r = router(state);
    let from = |ip: [u8; 4]| {
        let mut req = get("/api/v1/certificates/90000");
        req.extensions_mut()
            .insert(ConnectInfo(std::net::SocketAddr::from((ip, 40000))));
        req
    };
    for _ in 0..3 {
        let (res, _) = send(&r, from([203, 0, 113, 1])).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let (res, _) = send(&r, from([203, 0, 113, 1])).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.headers()[header::RETRY_AFTER], "60");
    // Another address is not held back; nor are the portal's other pages.
    let (res, _) = send(&r, from([203, 0, 113, 2])).await;
    assert_eq!(res.status(), StatusCode::OK);
    let mut req = get("/health");
    req.extensions_mut()
        .insert(ConnectInfo(std::net::SocketAddr::from((
            [203, 0, 113, 1],
            40000,
        ))));
    let (res, _) = send(&r, req).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_issuer_its_key_the_status_lists_and_the_holder_s_credential() {
    let t = sqlite().await;
    let fx = common::fixture(&t.state).await;
    let r = router(t.state.clone());
    let (res, body) = send(&r, get("/issuer")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let issuer: serde_json::Value = serde_json::from_str(&body).expect("profile");
    assert_eq!(issuer["type"][0], "Profile");
    let (_, body) = send(&r, get("/.well-known/jwks.json")).await;
    let jwks: serde_json::Value = serde_json::from_str(&body).expect("jwks");
    let kid = jwks["keys"][0]["kid"].as_str().expect("kid").to_owned();
    assert_eq!(jwks["keys"][0]["crv"], "P-256");
    // The key id is an address that answers with the key.
    let path = kid.trim_start_matches("http://127.0.0.1:3000");
    let (res, body) = send(&r, get(path)).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    assert!(body.contains(&kid));
    let (res, _) = send(&r, get("/issuer/keys/not-our-key")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    for purpose in ["revocation", "suspension"] {
        let (res, body) = send(&r, get(&format!("/credentials/status/{purpose}"))).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CACHE_CONTROL], "public, max-age=60");
        assert_eq!(body.split('.').count(), 3, "a compact JWS");
    }
    let (res, _) = send(&r, get("/credentials/status/other")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // The credential: its holder's, staff's; not another holder's, not anonymous.
    let path = format!("/certificates/{}/credential", fx.own_certificate);
    let holder = session_as(&t.state, "holder").await;
    let as_ = |cookie: Option<String>| {
        let mut req = Request::get(&path);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        req.body(Body::empty()).expect("request")
    };
    let (res, body) = send(&r, as_(Some(holder))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(body.split('.').count(), 3);
    // The holder's own only: not even staff make one in their name.
    let (res, _) = send(&r, as_(Some(session_as(&t.state, "handler").await))).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (res, body) = send(&r, as_(Some(session_as(&t.state, "provider_staff").await))).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(!body.contains('.') || body.split('.').count() < 3);
    let (res, _) = send(&r, as_(None)).await;
    assert!(res.status().is_redirection());
}

#[tokio::test]
async fn a_nul_is_refused_whatever_type_the_body_says_it_has() {
    let t = sqlite().await;
    let r = router(t.state.clone());
    for (kind, body) in [
        (
            "text/plain",
            "query[q]=be%00rg&query[scheme]=&query[town]=&query[page]=1",
        ),
        (
            "Application/X-WWW-Form-Urlencoded",
            "query[q]=be%00rg&query[scheme]=&query[town]=&query[page]=1",
        ),
        (
            "application/json",
            r#"{"query":{"q":"be\u0000rg","scheme":"","town":"","page":1}}"#,
        ),
    ] {
        let req = Request::post("/api/verify/register")
            .header(header::CONTENT_TYPE, kind)
            .body(Body::from(body))
            .expect("request");
        let (res, _) = send(&r, req).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{kind}");
    }
}

#[tokio::test]
async fn no_credential_is_made_for_a_certificate_that_is_not_valid() {
    let t = sqlite().await;
    let fx = common::fixture(&t.state).await;
    let r = router(t.state.clone());
    let holder = session_as(&t.state, "holder").await;
    app::certificates::verification::change_status(
        &t.state,
        &app::events::service::Actor::system("test"),
        &fx.own_certificate,
        app::certificates::model::StatusChange::Revoke,
        "Utfärdat felaktigt",
    )
    .await
    .expect("revoke");
    let req = Request::get(format!("/certificates/{}/credential", fx.own_certificate))
        .header(header::COOKIE, holder)
        .body(Body::empty())
        .expect("request");
    let (res, _) = send(&r, req).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn anyone_s_answers_are_kept_a_few_seconds_and_staff_see_changes_at_once() {
    let t = sqlite().await;
    let fx = common::fixture(&t.state).await;
    let mut state = t.state.clone();
    std::sync::Arc::make_mut(&mut state.config).public_cache_seconds = 60;
    let r = router(state.clone());
    let status = |body: &str| {
        serde_json::from_str::<serde_json::Value>(body).expect("json")["status"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let (_, body) = send(&r, get("/api/v1/certificates/90000")).await;
    assert_eq!(status(&body), "active");
    app::certificates::verification::change_status(
        &state,
        &app::events::service::Actor::system("test"),
        &fx.own_certificate,
        app::certificates::model::StatusChange::Suspend,
        "Utredning",
    )
    .await
    .expect("suspend");
    // The public answer is the kept one until it is stale; someone signed in gets today's.
    let (_, body) = send(&r, get("/api/v1/certificates/90000")).await;
    assert_eq!(status(&body), "active");
    let handler = session_as(&state, "handler").await;
    let req = Request::get("/api/v1/certificates/90000")
        .header(header::COOKIE, handler)
        .body(Body::empty())
        .expect("request");
    let (_, body) = send(&r, req).await;
    assert_eq!(status(&body), "suspended");
    // A page with a query (a PDF check's verdict) is never kept.
    let (_, body) = send(&r, get("/verify/90000?checked=x")).await;
    assert!(body.contains("data-status=\"suspended\""));
}

#[tokio::test]
async fn the_start_page_is_kept_for_visitors_without_a_session_in_their_language() {
    let t = sqlite().await;
    let mut state = t.state.clone();
    std::sync::Arc::make_mut(&mut state.config).public_cache_seconds = 60;
    let r = router(state.clone());
    let in_english = |cookie: Option<&str>| {
        let cookies = match cookie {
            Some(c) => format!("certportal_lang=en; {c}"),
            None => "certportal_lang=en".to_owned(),
        };
        Request::get("/")
            .header(header::COOKIE, cookies)
            .body(Body::empty())
            .expect("request")
    };
    // A page carries its nonce: the same one twice is the kept answer.
    let nonce = |body: &str| {
        body.split("nonce=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a nonce")
            .to_owned()
    };
    let (res, first) = send(&r, get("/")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let (_, again) = send(&r, get("/")).await;
    assert_eq!(nonce(&first), nonce(&again), "kept for anyone");
    // Kept per language: the English page is made for English readers.
    let (_, english) = send(&r, in_english(None)).await;
    assert_ne!(nonce(&english), nonce(&first));
    assert!(english.contains("lang=\"en\""), "English");
    let (_, english_again) = send(&r, in_english(None)).await;
    assert_eq!(nonce(&english), nonce(&english_again));
    // Someone signed in gets their own page, never a kept one.
    let holder = session_as(&state, "holder").await;
    let (_, signed_in) = send(&r, in_english(Some(&holder))).await;
    assert_ne!(nonce(&signed_in), nonce(&english));
    // An address with a query is made each time.
    let (_, queried) = send(&r, get("/?from=x")).await;
    assert_ne!(nonce(&queried), nonce(&first));
    // Kept by the language the page is in, however the cookie was written: English asked for
    // under the other cookie name is not what the next Swedish visitor gets.
    let req = Request::get("/")
        .header(header::COOKIE, "__Host-certportal_lang=en")
        .body(Body::empty())
        .expect("request");
    let (_, other_name) = send(&r, req).await;
    assert!(other_name.contains("lang=\"en\""), "English");
    let (_, swedish) = send(&r, get("/")).await;
    assert!(swedish.contains("lang=\"sv\""), "Swedish");
    // Kept by the encoding given: a client that asks for none gets none.
    let req = Request::get("/")
        .header(header::ACCEPT_ENCODING, "")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(Body::empty())
        .expect("request");
    let (res, _) = send(&r, req).await;
    assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
    let (res, plain) = send(&r, get("/")).await;
    assert!(res.headers().get(header::CONTENT_ENCODING).is_none());
    assert!(plain.contains("<html"));
    // A long address is made each time: addresses cannot fill the memory.
    let long = format!("/verify/{}", "9".repeat(200));
    let (_, once) = send(&r, get(&long)).await;
    let (_, twice) = send(&r, get(&long)).await;
    assert_ne!(nonce(&once), nonce(&twice));
}
