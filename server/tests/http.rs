//! The router as a browser meets it: pages, language, headers, health, server functions.

mod common;

use app::testing::{databases, sqlite};
use axum::body::Body;
use common::{call, get, router, send, session_as};
use http::{Request, StatusCode, header};

#[tokio::test]
async fn the_start_page_is_swedish_with_security_headers() {
    let t = sqlite().await;
    let (res, body) = send(&router(t.state.clone()), get("/")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(body.contains("<html lang=\"sv\""), "{body}");
    assert!(body.contains("Personcertifiering, enkelt och säkert"));
    assert!(body.contains("In English"));
    let h = res.headers();
    let csp = h[header::CONTENT_SECURITY_POLICY].to_str().expect("csp");
    assert!(
        csp.contains("'nonce-") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("nonce");
    assert!(
        body.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the nonce"
    );
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(
        h[header::REFERRER_POLICY],
        "strict-origin-when-cross-origin"
    );
    assert!(h.contains_key("x-request-id"));
    assert!(
        !h.contains_key(header::STRICT_TRANSPORT_SECURITY),
        "no HSTS over plain HTTP"
    );
}

#[tokio::test]
async fn hsts_is_sent_when_the_portal_is_served_over_tls() {
    let t = sqlite().await;
    let mut state = t.state.clone();
    state.config.base_url = "https://certportal.example".into();
    let (res, _) = send(&router(state), get("/health")).await;
    assert!(
        res.headers()[header::STRICT_TRANSPORT_SECURITY]
            .to_str()
            .expect("hsts")
            .contains("max-age=")
    );
}

#[tokio::test]
async fn the_language_cookie_switches_to_english_and_back() {
    let t = sqlite().await;
    let r = router(t.state.clone());
    let (res, _) = send(&r, get("/lang/en?next=/outbox%3Fpage%3D2")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/outbox?page=2");
    let cookie = res.headers()[header::SET_COOKIE].to_str().expect("cookie");
    assert!(
        cookie.starts_with("certportal_lang=en;") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let english = Request::get("/")
        .header(header::COOKIE, "certportal_lang=en")
        .body(Body::empty())
        .expect("req");
    let (_, body) = send(&r, english).await;
    assert!(body.contains("<html lang=\"en\""));
    assert!(body.contains("Personnel certification, simple and secure"));
    assert!(body.contains("På svenska"));

    // Only local paths: anything else goes to the start page.
    for next in ["//evil.example", "https://evil.example", "/\\evil.example"] {
        let (res, _) = send(&r, get(&format!("/lang/sv?next={next}"))).await;
        assert_eq!(res.headers()[header::LOCATION], "/", "{next}");
    }
    let (res, _) = send(&r, get("/lang/xx")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_unknown_page_is_a_404_with_the_not_found_page() {
    let t = sqlite().await;
    let (res, body) = send(&router(t.state.clone()), get("/finns/inte")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(body.contains("Sidan kunde inte hittas"));
    let staff = session_as(&t.state, "handler").await;
    let req = Request::get("/outbox/no-such-email")
        .header(header::COOKIE, staff)
        .body(Body::empty())
        .expect("req");
    let (res, body) = send(&router(t.state.clone()), req).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(body.contains("Sidan kunde inte hittas"));
}

#[tokio::test]
async fn a_page_for_signed_in_users_asks_a_visitor_to_sign_in() {
    let t = sqlite().await;
    let (res, body) = send(&router(t.state.clone()), get("/outbox")).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(
        body.contains("Du behöver logga in") && body.contains("href=\"/login\""),
        "{body}"
    );
    let (res, body) = send(&router(t.state.clone()), get("/account")).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(body.contains("href=\"/login\""));
}

#[tokio::test]
async fn health_checks_the_database() {
    for t in databases().await {
        let r = router(t.state.clone());
        let (res, body) = send(&r, get("/health")).await;
        assert_eq!(
            (res.status(), body.as_str()),
            (StatusCode::OK, r#"{"status":"ok"}"#)
        );
        t.db().pool.close().await;
        let (res, _) = send(&r, get("/health")).await;
        assert_eq!(
            res.status(),
            StatusCode::SERVICE_UNAVAILABLE,
            "{:?}",
            t.backend()
        );
    }
}

#[tokio::test]
async fn the_test_email_form_validates_and_queues() {
    for t in databases().await {
        let r = router(t.state.clone());
        let staff = session_as(&t.state, "handler").await;
        let (res, body) = send(
            &r,
            call(
                "/api/outbox/send_test",
                "email=inte-en-adress",
                Some(&staff),
            ),
        )
        .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}: {body}",
            t.backend()
        );
        assert!(
            body.contains("Ange en e-postadress i rätt format"),
            "{body}"
        );
        let (res, body) = send(&r, call("/api/outbox/send_test", "email=", Some(&staff))).await;
        assert!(!res.status().is_success());
        assert!(body.contains("Ange en e-postadress"), "{body}");
        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox")
                .fetch_one(&t.db().pool)
                .await
                .expect("count")
        };
        assert_eq!(count().await, 0, "bad input changes nothing");

        let (res, body) = send(
            &r,
            call(
                "/api/outbox/send_test",
                "email=anna%40exempel.se",
                Some(&staff),
            ),
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK, "{body}");
        assert_eq!(count().await, 1);

        let page = service_page(&r, &staff).await;
        assert!(
            page.contains("anna@exempel.se") && page.contains("Testmeddelande från Certportal"),
            "{page}"
        );
    }
}

async fn service_page(r: &axum::Router, cookie: &str) -> String {
    let req = Request::get("/outbox")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request");
    send(r, req).await.1
}

#[tokio::test]
async fn a_form_posted_without_javascript_returns_to_the_page() {
    let t = sqlite().await;
    let r = router(t.state.clone());
    let req = Request::post("/api/outbox/send_test")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "http://127.0.0.1:3000/outbox")
        .body(Body::from("email=bad"))
        .expect("request");
    let (res, _) = send(&r, req).await;
    assert!(res.status().is_redirection(), "{:?}", res.status());
    let location = res.headers()[header::LOCATION].to_str().expect("location");
    assert!(
        location.starts_with("http://127.0.0.1:3000/outbox"),
        "{location}"
    );
}

#[tokio::test]
async fn responses_are_compressed_and_carry_the_callers_request_id() {
    let t = sqlite().await;
    let req = Request::get("/")
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .header("x-request-id", "lb-1234")
        .body(Body::empty())
        .expect("request");
    let (res, _) = send(&router(t.state.clone()), req).await;
    assert_eq!(res.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(res.headers()["x-request-id"], "lb-1234");
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let t = sqlite().await;
    let big = format!("email={}", "a".repeat(2 * 1024 * 1024));
    let mut req = call("/api/outbox/send_test", &big, None);
    req.headers_mut()
        .insert(header::CONTENT_LENGTH, big.len().into());
    let (res, _) = send(&router(t.state.clone()), req).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn an_emails_html_is_served_sandboxed() {
    let t = sqlite().await;
    let mail = app::mail::templates::test_email("anna@exempel.se", app::i18n::Locale::Sv);
    let id = app::mail::service::enqueue_alone(t.db(), &t.state.clock, &mail)
        .await
        .expect("enqueue");
    let staff = session_as(&t.state, "body_admin").await;
    let as_staff = |cookie: &str| {
        Request::get(format!("/outbox/{id}/html"))
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .expect("request")
    };
    let (res, body) = send(&router(t.state.clone()), as_staff(&staff)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("csp")
            .contains("sandbox")
    );
    assert_eq!(body, mail.html);

    let holder = session_as(&t.state, "holder").await;
    let (res, _) = send(&router(t.state.clone()), as_staff(&holder)).await;
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "a holder may not read others' email"
    );
    let (res, _) = send(&router(t.state.clone()), get(&format!("/outbox/{id}/html"))).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn signing_in_sets_an_http_only_session_cookie_and_signing_out_clears_it() {
    for t in databases().await {
        let r = router(t.state.clone());
        session_as(&t.state, "holder").await;
        let form = format!("username=test-holder&password={}", common::PASSWORD);
        let (res, body) = send(&r, call("/api/auth/login", &form, None)).await;
        assert!(
            res.status().is_success() || res.status().is_redirection(),
            "{body}"
        );
        let cookie = res.headers()[header::SET_COOKIE]
            .to_str()
            .expect("cookie")
            .to_owned();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        assert!(!cookie.contains("Secure"), "not over plain HTTP");
        let session = cookie.split(';').next().expect("pair").to_owned();

        let (_, me) = send(&r, call("/api/auth/me", "", Some(&session))).await;
        assert!(me.contains("\"username\":\"test-holder\""), "{me}");
        let page = Request::get("/")
            .header(header::COOKIE, &session)
            .body(Body::empty())
            .expect("req");
        let (_, html) = send(&r, page).await;
        assert!(
            html.contains("data-testid=\"logout\""),
            "the header offers signing out"
        );

        let (res, _) = send(&r, call("/api/auth/logout", "", Some(&session))).await;
        let cleared = res.headers()[header::SET_COOKIE].to_str().expect("cookie");
        assert!(cleared.contains("Max-Age=0"), "{cleared}");
        let (_, me) = send(&r, call("/api/auth/me", "", Some(&session))).await;
        assert_eq!(
            me,
            "null",
            "{:?}: the session is gone on the server too",
            t.backend()
        );
    }
}

#[tokio::test]
async fn ladda_ned_certifikat_is_a_pdf_for_those_who_may_read_the_certificate() {
    let t = sqlite().await;
    let fx = common::fixture(&t.state).await;
    let r = router(t.state.clone());
    let pdf = |id: &str, cookie: Option<&str>| {
        let mut req = Request::get(format!("/certificates/{id}/pdf"));
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        req.body(Body::empty()).expect("request")
    };
    let holder = session_as(&t.state, "holder").await;
    let (res, body) = send(&r, pdf(&fx.own_certificate, Some(&holder))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "application/pdf");
    assert!(
        res.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("disposition")
            .contains("certifikat-90000.pdf")
    );
    assert!(body.starts_with("%PDF-"));
    assert!(body.contains("90000") && body.contains("Helvetica"));

    let (res, _) = send(&r, pdf(&fx.other_certificate, Some(&holder))).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "someone else's");
    let (res, _) = send(&r, pdf("no-such-certificate", Some(&holder))).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (res, _) = send(&r, pdf(&fx.own_certificate, None)).await;
    assert!(res.status().is_redirection(), "a visitor signs in first");
    let handler = session_as(&t.state, "handler").await;
    let (res, _) = send(&r, pdf(&fx.other_certificate, Some(&handler))).await;
    assert_eq!(res.status(), StatusCode::OK, "staff read every certificate");
}
