//! Uploads and downloads over HTTP, as every role: "Överför" on one's own case, staff's upload
//! on a person's behalf, a document's download; refused files come back to their form in words.

mod common;

use app::testing::databases;
use axum::body::Body;
use common::{fixture, router, send, session_as};
use http::{Request, StatusCode, header};

const BOUNDARY: &str = "certportal-test-boundary";

/// A form as the browser sends it: the file (if any) and the note.
fn form(file: Option<(&str, &[u8])>, note: &str) -> Vec<u8> {
    let mut body = Vec::new();
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n{note}\r\n--{BOUNDARY}--\r\n"
        )
        .as_bytes(),
    );
    body
}

fn post(path: &str, body: Vec<u8>, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::post(path).header(
        header::CONTENT_TYPE,
        format!("multipart/form-data; boundary={BOUNDARY}"),
    );
    if let Some(cookie) = cookie {
        req = req.header(header::COOKIE, cookie);
    }
    req.body(Body::from(body)).expect("request")
}

fn download(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::get(path);
    if let Some(cookie) = cookie {
        req = req.header(header::COOKIE, cookie);
    }
    req.body(Body::empty()).expect("request")
}

fn location(res: &http::Response<Body>) -> String {
    res.headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

const CALLERS: [&str; 6] = [
    "anonymous",
    "holder",
    "company_admin",
    "provider_staff",
    "handler",
    "body_admin",
];

/// What a caller gets: the page it is sent to next (a prefix of it), or a refusal.
#[derive(Clone, Copy, Debug)]
enum Expect {
    To(&'static str),
    Status(StatusCode),
}
use Expect::{Status, To};

#[tokio::test]
async fn every_upload_and_download_answers_every_role_as_it_may() {
    use StatusCode as S;
    for t in databases().await {
        let fx = fixture(&t.state).await;
        let app = router(t.state.clone());
        let pdf = app::testing::files::pdf();
        let mine = |case: &str| format!("/my/cases/{case}/documents/{}/upload", fx.requirement);
        let staff = |case: &str| format!("/staff/cases/{case}/documents/{}/upload", fx.requirement);
        // The holder's file and the other person's, sent by staff on their behalf.
        let handler = session_as(&t.state, "handler").await;
        let mut docs = Vec::new();
        for case in [&fx.own_case, &fx.other_case] {
            let (res, body) = send(
                &app,
                post(
                    &staff(case),
                    form(Some(("post.pdf", &pdf)), "Kom per post"),
                    Some(&handler),
                ),
            )
            .await;
            assert_eq!(res.status(), S::SEE_OTHER, "{body}");
            let to = location(&res);
            docs.push(
                to.split("doc=")
                    .nth(1)
                    .unwrap_or_else(|| panic!("the document's id in {to}"))
                    .to_owned(),
            );
        }
        let (own_doc, other_doc) = (docs[0].clone(), docs[1].clone());
        let login = To("/login");
        let rows: Vec<(String, bool, [Expect; 6])> = vec![
            (
                mine(&fx.own_case),
                true,
                [
                    login,
                    To("/my/cases/"),
                    Status(S::NOT_FOUND),
                    Status(S::FORBIDDEN),
                    Status(S::FORBIDDEN),
                    Status(S::FORBIDDEN),
                ],
            ),
            (
                mine(&fx.other_case),
                true,
                [
                    login,
                    Status(S::NOT_FOUND),
                    Status(S::NOT_FOUND),
                    Status(S::FORBIDDEN),
                    Status(S::FORBIDDEN),
                    Status(S::FORBIDDEN),
                ],
            ),
            (
                staff(&fx.own_case),
                true,
                [
                    login,
                    Status(S::FORBIDDEN),
                    Status(S::FORBIDDEN),
                    Status(S::FORBIDDEN),
                    To("/staff/cases/"),
                    To("/staff/cases/"),
                ],
            ),
            (
                staff("no-such-case"),
                true,
                [
                    login,
                    Status(S::FORBIDDEN),
                    Status(S::FORBIDDEN),
                    Status(S::FORBIDDEN),
                    Status(S::NOT_FOUND),
                    Status(S::NOT_FOUND),
                ],
            ),
            (
                format!("/documents/{own_doc}"),
                false,
                [
                    login,
                    Status(S::OK),
                    Status(S::NOT_FOUND),
                    Status(S::NOT_FOUND),
                    Status(S::OK),
                    Status(S::OK),
                ],
            ),
            (
                format!("/documents/{other_doc}"),
                false,
                [
                    login,
                    Status(S::NOT_FOUND),
                    Status(S::NOT_FOUND),
                    Status(S::NOT_FOUND),
                    Status(S::OK),
                    Status(S::OK),
                ],
            ),
            // A template: only a body administrator sets one; anyone downloads it.
            (
                format!(
                    "/staff/schemes/{}/documents/{}/template",
                    fx.open_scheme, fx.requirement
                ),
                true,
                [
                    login,
                    Status(S::FORBIDDEN),
                    Status(S::FORBIDDEN),
                    Status(S::FORBIDDEN),
                    Status(S::FORBIDDEN),
                    To("/staff/schemes/"),
                ],
            ),
            (
                format!("/templates/{}", fx.requirement),
                false,
                [Status(S::OK); 6],
            ),
            (
                "/templates/no-such-document".to_owned(),
                false,
                [Status(S::NOT_FOUND); 6],
            ),
            (
                "/documents/no-such-document".to_owned(),
                false,
                [
                    login,
                    Status(S::NOT_FOUND),
                    Status(S::NOT_FOUND),
                    Status(S::NOT_FOUND),
                    Status(S::NOT_FOUND),
                    Status(S::NOT_FOUND),
                ],
            ),
        ];
        let mut failures = Vec::new();
        for (path, upload, expects) in &rows {
            for (caller, expect) in CALLERS.iter().zip(expects) {
                let cookie = match *caller {
                    "anonymous" => None,
                    role => Some(session_as(&t.state, role).await),
                };
                let req = match upload {
                    true => post(path, form(Some(("betyg.pdf", &pdf)), ""), cookie.as_deref()),
                    false => download(path, cookie.as_deref()),
                };
                let (res, body) = send(&app, req).await;
                let ok = match expect {
                    To(prefix) => {
                        res.status().is_redirection() && location(&res).starts_with(prefix)
                    }
                    Status(code) => res.status() == *code,
                };
                if !ok {
                    failures.push(format!(
                        "{path} as {caller}: expected {expect:?}, got {} {} {body}",
                        res.status(),
                        location(&res)
                    ));
                }
                // A refusal shows nothing of the file.
                if !res.status().is_success() {
                    assert!(!body.contains("%PDF"), "{path} as {caller} leaks the file");
                }
                if res.status() == S::OK {
                    assert!(body.starts_with("%PDF"), "{path} as {caller}: {body}");
                    assert_eq!(res.headers()[header::CONTENT_TYPE], "application/pdf");
                    let disposition = res.headers()[header::CONTENT_DISPOSITION]
                        .to_str()
                        .expect("ascii");
                    let name = if path.starts_with("/templates/") {
                        "betyg.pdf"
                    } else {
                        "Svetsprov_C"
                    };
                    assert!(
                        disposition.starts_with(&format!("attachment; filename=\"{name}")),
                        "{disposition}"
                    );
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{:?}:\n{}",
            t.backend(),
            failures.join("\n")
        );
        // Each staff download is in the person's log; the holder's own are not.
        let logged = app::testing::count(
            &t.state.db,
            "SELECT COUNT(*) FROM events WHERE action = 'case.document_downloaded'",
        )
        .await;
        assert_eq!(logged, 4, "{:?}", t.backend());
    }
}

#[tokio::test]
async fn a_refused_file_comes_back_to_its_form_in_words_with_the_note_kept() {
    let t = app::testing::sqlite().await;
    let fx = fixture(&t.state).await;
    let app = router(t.state.clone());
    let holder = session_as(&t.state, "holder").await;
    let path = format!(
        "/my/cases/{}/documents/{}/upload",
        fx.own_case, fx.requirement
    );
    let page = format!("/my/cases/{}/documents/{}", fx.own_case, fx.requirement);
    for (file, words) in [
        (
            Some(("program.pdf", app::testing::files::exe())),
            "inte en PDF",
        ),
        (Some(("makro.docx", app::testing::files::docm())), "makron"),
        (Some(("tom.pdf", Vec::new())), "Filen är tom"),
        (Some(("", Vec::new())), "Välj filen"),
        (None, "Välj filen"),
    ] {
        let file = file.as_ref().map(|(n, b)| (*n, b.as_slice()));
        let (res, _) = send(
            &app,
            post(&path, form(file, "Mitt betyg från 2019"), Some(&holder)),
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let to = location(&res);
        assert!(to.contains(&format!("{page}?")), "{to}");
        assert!(to.contains("__sig="), "signed: {to}");
        assert!(!to.contains("Mitt"), "the note stays off the address: {to}");
        // The form page says why, and keeps the note.
        let cookie = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
            .chain([holder.clone()])
            .collect::<Vec<_>>()
            .join("; ");
        let url = url::Url::parse(&to).expect("absolute");
        let req = Request::get(format!(
            "{}?{}",
            url.path(),
            url.query().unwrap_or_default()
        ))
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request");
        let (res, body) = send(&app, req).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(body.contains(words), "{words}: {body}");
        assert!(body.contains("Mitt betyg från 2019"), "the note is kept");
    }
    assert_eq!(
        app::testing::count(&t.state.db, "SELECT COUNT(*) FROM documents").await,
        0
    );
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_in_words_and_nothing_is_kept() {
    let t = app::testing::sqlite().await;
    let mut state = t.state.clone();
    let mut config = (*state.config).clone();
    config.upload_max = 1 << 20;
    state.config = std::sync::Arc::new(config);
    let fx = fixture(&state).await;
    let app = router(state.clone());
    let holder = session_as(&state, "holder").await;
    let path = format!(
        "/my/cases/{}/documents/{}/upload",
        fx.own_case, fx.requirement
    );
    // Just over the limit, and far over it (cut off at twice the limit).
    for size in [(1 << 20) + 1, 8 << 20] {
        let big = app::testing::files::big_pdf(size);
        let (res, _) = send(
            &app,
            post(&path, form(Some(("stor.pdf", &big)), ""), Some(&holder)),
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{size}");
        assert!(location(&res).contains("__err="), "{size}");
    }
    assert_eq!(
        app::testing::count(&state.db, "SELECT COUNT(*) FROM documents").await,
        0
    );
    assert!(state.storage.keys().await.expect("keys").is_empty());
    let left = std::fs::read_dir(&state.config.upload_dir)
        .expect("upload dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("upload-"))
        .filter(|e| {
            e.metadata().is_ok_and(|m| {
                m.modified()
                    .is_ok_and(|t| t.elapsed().is_ok_and(|a| a.as_secs() < 5))
            })
        })
        .count();
    assert_eq!(left, 0, "no temporary file is left behind");
}

/// The course certificate's routes as every role: only the booking's provider (and the body's
/// staff) upload, only to a "Fullföljd" booking of a course with a certification; the file and
/// the signed statement go to those who may see it, a graded one to the employer only after
/// the participant's consent; another provider's booking is not found.
#[tokio::test]
async fn the_course_certificate_goes_only_where_it_may() {
    use StatusCode as S;
    for t in databases().await {
        let fx = fixture(&t.state).await;
        let app = router(t.state.clone());
        let pdf = app::testing::files::pdf();
        let upload = |booking: &str| format!("/provider/bookings/{booking}/certificate");
        let mut sessions = Vec::new();
        for caller in CALLERS {
            sessions.push(match caller {
                "anonymous" => None,
                role => Some(session_as(&t.state, role).await),
            });
        }
        let as_ = |i: usize| sessions[i].as_deref();
        let provider = as_(3);
        // Not yet "Fullföljd": back to the form in words, nothing kept.
        let (res, _) = send(
            &app,
            post(
                &upload(&fx.own_booking),
                form(Some(("intyg.pdf", &pdf)), ""),
                provider,
            ),
        )
        .await;
        assert_eq!(res.status(), S::SEE_OTHER);
        assert!(location(&res).contains("__err="), "{}", location(&res));
        sqlx::query("UPDATE bookings SET status = 'completed'")
            .execute(&t.state.db.pool)
            .await
            .expect("completed");
        // The holder and the company admin may not upload; another provider's booking is not
        // found; anonymous signs in first.
        for (i, booking, expect) in [
            (0, &fx.own_booking, None),
            (1, &fx.own_booking, Some(S::FORBIDDEN)),
            (2, &fx.own_booking, Some(S::FORBIDDEN)),
            (3, &fx.other_booking, Some(S::NOT_FOUND)),
        ] {
            let (res, body) = send(
                &app,
                post(
                    &upload(booking),
                    form(Some(("intyg.pdf", &pdf)), ""),
                    as_(i),
                ),
            )
            .await;
            match expect {
                Some(status) => assert_eq!(res.status(), status, "{} {body}", CALLERS[i]),
                None => assert!(location(&res).starts_with("/login")),
            }
        }
        let (res, _) = send(
            &app,
            post(
                &upload(&fx.own_booking),
                form(Some(("intyg.pdf", &pdf)), ""),
                provider,
            ),
        )
        .await;
        assert!(
            location(&res).contains("done=uploaded"),
            "{}",
            location(&res)
        );
        let file = format!("/course-certificates/{}", fx.own_booking);
        let signed = format!("{file}/signed");
        // Graded, no consent: the employer finds nothing; the participant, the provider and
        // staff get the file and the signed statement.
        let expect = |consented: bool| {
            [
                None,
                Some(S::OK),
                Some(if consented { S::OK } else { S::NOT_FOUND }),
                Some(S::OK),
                Some(S::OK),
                Some(S::OK),
            ]
        };
        for consented in [false, true] {
            if consented {
                sqlx::query("UPDATE bookings SET consent_at = '2026-01-02T00:00:00.000000Z'")
                    .execute(&t.state.db.pool)
                    .await
                    .expect("consent");
            }
            for (i, want) in expect(consented).into_iter().enumerate() {
                for path in [&file, &signed] {
                    let (res, body) = send(&app, download(path, as_(i))).await;
                    match want {
                        None => assert!(location(&res).starts_with("/login"), "{path}"),
                        Some(status) => {
                            assert_eq!(res.status(), status, "{path} as {}", CALLERS[i]);
                            if status == S::OK {
                                assert!(body.starts_with("%PDF-"), "{path}");
                            } else {
                                assert!(!body.contains("%PDF"), "{path} leaks the file");
                            }
                        }
                    }
                }
            }
        }
        // Another provider's booking's file is not found for this provider.
        let (res, _) = send(
            &app,
            download(
                &format!("/course-certificates/{}", fx.other_booking),
                provider,
            ),
        )
        .await;
        assert_eq!(res.status(), S::NOT_FOUND);
    }
}

/// The logo's routes as every role: only the provider's staff (and the body's) upload it, a
/// PNG or JPEG by its content; anyone sees it, as a picture the browser may not sniff.
#[tokio::test]
async fn a_logo_is_set_by_its_provider_and_shown_to_anyone() {
    use StatusCode as S;
    for t in databases().await {
        let fx = fixture(&t.state).await;
        let app = router(t.state.clone());
        let png = include_bytes!("../assets/demo-logo.png");
        let upload = format!("/provider/{}/logo", fx.provider);
        let shown = format!("/providers/{}/logo", fx.provider);
        let mut sessions = Vec::new();
        for caller in CALLERS {
            sessions.push(match caller {
                "anonymous" => None,
                role => Some(session_as(&t.state, role).await),
            });
        }
        let as_ = |i: usize| sessions[i].as_deref();
        let (res, _) = send(&app, download(&shown, None)).await;
        assert_eq!(res.status(), S::NOT_FOUND, "no logo yet");
        for (i, expect) in [(0, None), (1, Some(S::NOT_FOUND)), (2, Some(S::NOT_FOUND))] {
            let (res, body) = send(
                &app,
                post(&upload, form(Some(("logo.png", png)), ""), as_(i)),
            )
            .await;
            match expect {
                Some(status) => assert_eq!(res.status(), status, "{} {body}", CALLERS[i]),
                None => assert!(location(&res).starts_with("/login")),
            }
        }
        // A PDF is refused in words, back on the workspace.
        let pdf = app::testing::files::pdf();
        let (res, _) = send(
            &app,
            post(&upload, form(Some(("logo.png", &pdf)), ""), as_(3)),
        )
        .await;
        assert!(location(&res).contains("__err="), "{}", location(&res));
        assert!(location(&res).ends_with("#logo"), "{}", location(&res));
        let (res, _) = send(&app, download(&shown, None)).await;
        assert_eq!(res.status(), S::NOT_FOUND, "nothing was kept");
        let (res, _) = send(
            &app,
            post(&upload, form(Some(("logo.png", png)), ""), as_(3)),
        )
        .await;
        assert!(
            location(&res).contains("done=logo_set"),
            "{}",
            location(&res)
        );
        let (res, body) = send(&app, download(&shown, None)).await;
        assert_eq!(res.status(), S::OK);
        assert_eq!(res.headers()["content-type"], "image/png");
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        assert!(body.len() > 100);
        // Kept long only at the address the pages use, which changes with the picture.
        assert_eq!(res.headers()["cache-control"], "public, max-age=300");
        let profile = app::training::service::profile(&t.state, None, &fx.provider)
            .await
            .expect("profile");
        let versioned = profile.provider.logo.expect("a logo");
        let (res, _) = send(&app, download(&versioned, None)).await;
        assert_eq!(res.headers()["cache-control"], "public, max-age=86400");
    }
}
