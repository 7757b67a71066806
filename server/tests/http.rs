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
    // Islands mode: the browser wakes islands only; the pages are server-rendered HTML.
    assert!(body.contains("hydrateIslands"), "{body}");
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
    std::sync::Arc::make_mut(&mut state.config).base_url = "https://certportal.example".into();
    let (res, _) = send(&router(state), get("/health")).await;
    assert!(
        res.headers()[header::STRICT_TRANSPORT_SECURITY]
            .to_str()
            .expect("hsts")
            .contains("max-age=")
    );
}

#[tokio::test]
async fn the_sign_in_form_carries_the_page_to_return_to_in_its_html() {
    let t = sqlite().await;
    let r = router(t.state.clone());
    // Pages are not hydrated (islands mode): the field's value must be in the HTML itself.
    let (res, body) = send(&r, get("/login?next=%2Fmy%2Fcertificates")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        body.contains(r#"<input type="hidden" name="next" value="/my/certificates">"#),
        "{body}"
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

    // Only local paths: anything else goes to the start page; a tab a browser would drop
    // (`/%09/evil.example` becomes `//evil.example`) too.
    for next in [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "/%09/evil.example",
        "/%0d%0a/evil.example",
        "%2F%2Fevil.example",
    ] {
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
        // The refusal names its text by key; the page puts it into the reader's words.
        let refusal = |body: &str| {
            serde_json::from_str::<app::error::AppError>(body)
                .expect("an error")
                .field_text("email", app::i18n::Locale::Sv)
                .unwrap_or_default()
        };
        assert!(
            refusal(&body).starts_with("Ange en e-postadress i rätt format"),
            "{body}"
        );
        let (res, body) = send(&r, call("/api/outbox/send_test", "email=", Some(&staff))).await;
        assert!(!res.status().is_success());
        assert!(refusal(&body).contains("Ange en e-postadress"), "{body}");
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
    // Without a length given, the limit is found while reading.
    let req = call("/api/outbox/send_test", &big, None);
    let (res, _) = send(&router(t.state.clone()), req).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

/// PostgreSQL refuses a NUL in text (SQLite would store it): a form or an address holding one
/// is refused before anything reads it, the same on both databases.
#[tokio::test]
async fn a_nul_character_is_refused_on_both_databases() {
    for t in databases().await {
        let holder = session_as(&t.state, "holder").await;
        for (path, form) in [
            ("/api/auth/login", "username=a%00b&password=x"),
            (
                "/api/cases/explain",
                "case_id=a&requirement_id=b&reason=a%00b",
            ),
            ("/api/cases/get", "id=a%00b"),
        ] {
            let (res, body) = send(&router(t.state.clone()), call(path, form, Some(&holder))).await;
            assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{path}: {body}");
        }
        for address in ["/my/cases/a%00b", "/my/apply?scheme=a%00b"] {
            let mut req = get(address);
            req.headers_mut()
                .insert(header::COOKIE, holder.parse().expect("cookie"));
            let (res, _) = send(&router(t.state.clone()), req).await;
            assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{address}");
        }
        // A "%00" that is not one (a literal "%2500") passes.
        let (res, _) = send(
            &router(t.state.clone()),
            call("/api/auth/login", "username=a%2500b&password=x", None),
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn arguments_that_cannot_be_read_are_the_caller_s_mistake() {
    let t = sqlite().await;
    let staff = session_as(&t.state, "body_admin").await;
    for form in ["", "page=many", "page=99999999999999999999", "q=%FF%FE"] {
        let (res, body) = send(
            &router(t.state.clone()),
            call("/api/people/search", form, Some(&staff)),
        )
        .await;
        assert!(
            res.status() == StatusCode::BAD_REQUEST || res.status() == StatusCode::OK,
            "{form}: {} {body}",
            res.status()
        );
        assert_ne!(res.status(), StatusCode::INTERNAL_SERVER_ERROR, "{form}");
    }
    let (res, _) = send(
        &router(t.state.clone()),
        call("/api/people/search", "page=many", Some(&staff)),
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_emails_html_is_served_sandboxed() {
    let t = sqlite().await;
    let mail =
        app::mail::templates::test_email(&t.state.config, "anna@exempel.se", app::i18n::Locale::Sv);
    let id = app::mail::service::enqueue_alone(t.db(), &t.state.clock, &t.state.config.keys, &mail)
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
            .contains("sandbox allow-popups allow-popups-to-escape-sandbox")
    );
    // As sent, but its links open in a tab of their own (the pages they lead to refuse frames).
    assert_eq!(body.replace(r#"<base target="_blank">"#, ""), mail.html);
    assert!(body.contains(r#"<base target="_blank">"#));

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

fn with_peer(mut req: Request<Body>, peer: &str) -> Request<Body> {
    let addr: std::net::SocketAddr = format!("{peer}:4000").parse().expect("peer");
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    req
}

async fn security_kinds(t: &app::testing::TestDb) -> Vec<(String, Option<String>, String)> {
    sqlx::query_as("SELECT kind, ip, detail FROM security_events ORDER BY at, id")
        .fetch_all(&t.db().pool)
        .await
        .expect("security events")
}

#[tokio::test]
async fn the_client_is_who_our_own_proxies_say() {
    let t = sqlite().await;
    let mut state = t.state.clone();
    std::sync::Arc::make_mut(&mut state.config).trusted_proxies =
        app::config::parse_proxies("10.0.0.0/8").expect("proxies");
    let r = router(state);
    let login = |peer: &str, forwarded: &str| {
        let mut req = call(
            "/api/auth/login",
            "username=nobody&password=Fel-1234567",
            None,
        );
        req.headers_mut()
            .insert("x-forwarded-for", forwarded.parse().expect("header"));
        with_peer(req, peer)
    };
    // Through our balancer: the client it saw, not the balancer, not what the client claims.
    send(&r, login("10.0.0.2", "6.6.6.6, 198.51.100.7")).await;
    // Straight from the internet: the header is the client's own word and is ignored.
    send(&r, login("203.0.113.9", "10.9.9.9")).await;
    let ips: Vec<Option<String>> = security_kinds(&t)
        .await
        .into_iter()
        .map(|(_, ip, _)| ip)
        .collect();
    assert_eq!(
        ips,
        [
            Some("198.51.100.7".to_owned()),
            Some("203.0.113.9".to_owned())
        ]
    );
    // So fifty failures behind the balancer lock out that client, not everyone.
    let keys: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT key FROM login_failures ORDER BY key")
            .fetch_all(&t.db().pool)
            .await
            .expect("keys");
    assert!(keys.contains(&"ip:198.51.100.7".to_owned()), "{keys:?}");
    assert!(!keys.iter().any(|k| k.contains("10.0.0.2")), "{keys:?}");
}

#[tokio::test]
async fn a_request_another_site_sends_is_refused() {
    let t = sqlite().await;
    let r = router(t.state.clone());
    let holder = session_as(&t.state, "holder").await;
    let post = |headers: &[(&'static str, &'static str)]| {
        let mut req = call("/api/auth/logout_everywhere", "", Some(&holder));
        for (k, v) in headers {
            req.headers_mut().insert(*k, v.parse().expect("header"));
        }
        req
    };
    for headers in [
        &[("sec-fetch-site", "cross-site")][..],
        &[("sec-fetch-site", "same-site")][..],
        &[("origin", "https://evil.example")][..],
        &[("origin", "null")][..],
    ] {
        let (res, _) = send(&r, post(headers)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{headers:?}");
    }
    let (_, me) = send(&r, call("/api/auth/me", "", Some(&holder))).await;
    assert!(
        me.contains("test-holder"),
        "still signed in: nothing happened"
    );
    assert!(
        security_kinds(&t)
            .await
            .iter()
            .any(|(k, _, _)| k == "cross_site")
    );
    // Our own pages' posts pass, as do clients that are no browser.
    let (res, _) = send(
        &r,
        post(&[
            ("sec-fetch-site", "same-origin"),
            ("origin", "http://127.0.0.1:3000"),
        ]),
    )
    .await;
    assert!(res.status().is_success() || res.status().is_redirection());
    let (res, _) = send(&r, call("/api/auth/logout", "", None)).await;
    assert!(res.status().is_success() || res.status().is_redirection());
    // The plain routes' forms are posts to server functions too; a GET changes nothing.
}

#[tokio::test]
async fn pages_and_files_with_personal_data_are_not_kept_by_browsers() {
    let t = sqlite().await;
    let fx = common::fixture(&t.state).await;
    let r = router(t.state.clone());
    let holder = session_as(&t.state, "holder").await;
    for path in [
        "/".to_owned(),
        "/my/certificates".to_owned(),
        format!("/certificates/{}/pdf", fx.own_certificate),
    ] {
        let req = Request::get(&path)
            .header(header::COOKIE, &holder)
            .body(Body::empty())
            .expect("request");
        let (res, _) = send(&r, req).await;
        assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store", "{path}");
    }
    let (res, _) = send(&r, call("/api/auth/me", "", Some(&holder))).await;
    assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store");
}

#[tokio::test]
async fn over_tls_cookies_carry_the_host_prefix() {
    let t = sqlite().await;
    let mut state = t.state.clone();
    std::sync::Arc::make_mut(&mut state.config).base_url = "https://certportal.example".into();
    let r = router(state.clone());
    session_as(&t.state, "holder").await;
    let form = format!("username=test-holder&password={}", common::PASSWORD);
    let (res, _) = send(&r, call("/api/auth/login", &form, None)).await;
    let cookie = res.headers()[header::SET_COOKIE]
        .to_str()
        .expect("cookie")
        .to_owned();
    assert!(
        cookie.starts_with("__Host-certportal_session=")
            && cookie.contains("Secure")
            && cookie.contains("Path=/"),
        "{cookie}"
    );
    // A cookie without the prefix (set by a neighbouring subdomain, say) signs nobody in.
    let token = cookie
        .split(';')
        .next()
        .and_then(|p| p.split_once('='))
        .map(|(_, v)| v.to_owned())
        .expect("token");
    let (_, me) = send(
        &r,
        call(
            "/api/auth/me",
            "",
            Some(&format!("certportal_session={token}")),
        ),
    )
    .await;
    assert_eq!(me, "null");
    let (_, me) = send(
        &r,
        call(
            "/api/auth/me",
            "",
            Some(&format!("__Host-certportal_session={token}")),
        ),
    )
    .await;
    assert!(me.contains("test-holder"), "{me}");
    let (res, _) = send(&r, get("/lang/en")).await;
    assert!(
        res.headers()[header::SET_COOKIE]
            .to_str()
            .expect("cookie")
            .starts_with("__Host-certportal_lang=en")
    );
}

#[tokio::test]
async fn a_refused_form_keeps_what_was_typed_on_the_server_not_in_the_address() {
    let t = sqlite().await;
    let r = router(t.state.clone());
    let req = Request::post("/api/auth/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "http://127.0.0.1:3000/login")
        .body(Body::from("username=19850709-9805&password=fel"))
        .expect("request");
    let (res, _) = send(&r, req).await;
    assert!(res.status().is_redirection());
    let location = res.headers()[header::LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(
        !location.contains("9805") && !location.contains("19850709"),
        "{location}"
    );
    assert!(location.contains("__kept="), "{location}");
    // The browser gets a key of its own, without which the address shows nothing.
    let form_cookie = res.headers()[header::SET_COOKIE]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_owned();
    assert!(form_cookie.starts_with("certportal_form="), "{form_cookie}");
    // The page the browser comes back to shows it again, and the message.
    let path = location.trim_start_matches("http://127.0.0.1:3000");
    let with_cookie = |path: &str| {
        Request::get(path)
            .header(header::COOKIE, &form_cookie)
            .body(Body::empty())
            .expect("request")
    };
    let (res, body) = send(&r, with_cookie(path)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(body.contains("value=\"19850709-9805\""), "{body}");
    assert!(body.contains("Fel användarnamn eller lösenord"));
    // The same address in another browser (copied, or read from a log): the message, not
    // what was typed.
    let (res, body) = send(&r, get(path)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(!body.contains("19850709-9805"), "{body}");
    assert!(body.contains("Fel användarnamn eller lösenord"));
    // Refused again from the page it came back to: the address holds the newest refusal only.
    let again = Request::post("/api/auth/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, &location)
        .header(header::COOKIE, &form_cookie)
        .body(Body::from("username=19850709-9805&password=fel"))
        .expect("request");
    let (res, _) = send(&r, again).await;
    let second = res.headers()[header::LOCATION].to_str().expect("location");
    for key in ["__err=", "__path=", "__kept=", "__sig="] {
        assert_eq!(second.matches(key).count(), 1, "{second}");
    }
    // A link made elsewhere, with words of its own as the portal's message, or with the
    // portal's signature moved to another page: the page comes without them.
    let forged = app::error::AppError::field(
        "username",
        app::i18n::Msg::both(
            "Kontot är låst: ring 0900-123 45 67",
            "Kontot är låst: ring 0900-123 45 67",
        ),
    );
    let encoded = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE,
        serde_json::to_vec(&forged).expect("json"),
    );
    let sig = location.split("__sig=").nth(1).expect("signed");
    for link in [
        format!("/login?__err={encoded}&lang=sv"),
        format!("/login?__err={encoded}&__sig={sig}"),
        format!(
            "/forgot-password?{}",
            location.split_once('?').expect("query").1
        ),
    ] {
        let (res, _) = send(&r, get(&link)).await;
        assert!(res.status().is_redirection(), "{link}");
        let to = res.headers()[header::LOCATION].to_str().expect("to");
        assert!(!to.contains("__err") && !to.contains("__sig"), "{to}");
    }
}

#[tokio::test]
async fn refusals_are_security_events() {
    let t = sqlite().await;
    let r = router(t.state.clone());
    let holder = session_as(&t.state, "holder").await;
    send(&r, call("/api/people/search", "q=&page=1", Some(&holder))).await;
    send(&r, call("/api/people/search", "q=&page=1", None)).await;
    let events = security_kinds(&t).await;
    let seen: Vec<(&str, &str)> = events
        .iter()
        .map(|(k, _, d)| (k.as_str(), d.as_str()))
        .collect();
    assert!(
        seen.contains(&("forbidden", "/api/people/search")),
        "{seen:?}"
    );
    assert!(
        seen.contains(&("unauthorized", "/api/people/search")),
        "{seen:?}"
    );
}

#[tokio::test]
async fn staff_never_see_a_link_meant_for_someone_else_in_a_real_deployment() {
    let t = sqlite().await;
    let mut state = t.state.clone();
    std::sync::Arc::make_mut(&mut state.config).smtp_url = Some("smtp://127.0.0.1:9".into());
    let r = router(state.clone());
    app::accounts::service::create_if_missing(
        t.db(),
        &t.state.clock,
        app::accounts::service::NewAccount {
            username: "admin",
            email: "admin@exempel.se",
            display_name: "Admin",
            password: common::PASSWORD,
            roles: &["body_admin"],
        },
    )
    .await
    .expect("admin");
    // A handler asks for the administrator's reset link...
    let handler = session_as(&t.state, "handler").await;
    send(
        &r,
        call("/api/auth/forgot", "username=admin", Some(&handler)),
    )
    .await;
    let id: String = sqlx::query_scalar("SELECT id FROM outbox WHERE template = 'password_reset'")
        .fetch_one(&t.db().pool)
        .await
        .expect("email");
    // ... and sees who it went to, never the link.
    let (_, body) = send(
        &r,
        call("/api/outbox/get", &format!("id={id}"), Some(&handler)),
    )
    .await;
    assert!(
        body.contains("\"withheld\":true") && !body.contains("reset-password?token"),
        "{body}"
    );
    let req = Request::get(format!("/outbox/{id}/html"))
        .header(header::COOKIE, &handler)
        .body(Body::empty())
        .expect("request");
    let (res, body) = send(&r, req).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(!body.contains("token"));
    let req = Request::get(format!("/outbox/{id}"))
        .header(header::COOKIE, &handler)
        .body(Body::empty())
        .expect("request");
    let (_, page) = send(&r, req).await;
    assert!(
        !page.contains("reset-password?token") && page.contains("email-withheld"),
        "{page}"
    );
}

/// A name someone typed (a provider's, shown on its public profile) stays text in the page's
/// `<title>`: it cannot close the element and add markup.
#[tokio::test]
async fn a_typed_name_stays_text_in_the_title() {
    let t = sqlite().await;
    let app = router(t.state.clone());
    let actor = app::events::service::Actor::system("test");
    let id = app::training::service::create_provider(
        &t.state,
        &actor,
        "5591122337",
        "X</title><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
    )
    .await
    .expect("provider");
    let (res, body) = send(&app, get(&format!("/providers/{id}"))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(!body.contains("<meta http-equiv"), "{body}");
    assert!(body.contains("<title>X&lt;/title&gt;&lt;meta"), "{body}");
}
