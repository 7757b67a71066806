//! Helpers for the server's tests: the router over a fresh database, and a real SMTP server.
#![allow(dead_code)]

use app::state::AppState;
use axum::Router;
use axum::body::Body;
use http::{Request, Response};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use tower::ServiceExt;

pub fn router(state: AppState) -> Router {
    let leptos =
        server::router::leptos_options("target/site", "127.0.0.1:3000".parse().expect("addr"));
    server::router::router(state, leptos, 1024 * 1024)
}

pub async fn send(router: &Router, request: Request<Body>) -> (Response<Body>, String) {
    let response = router.clone().oneshot(request).await.expect("response");
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.expect("body");
    (
        Response::from_parts(parts, Body::empty()),
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

pub fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).expect("request")
}

/// A server-function call as the browser's JavaScript makes it, with an optional cookie.
pub fn call(path: &str, form: &str, cookie: Option<&str>) -> Request<Body> {
    let mut req = Request::post(path)
        .header(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(http::header::ACCEPT, "application/json");
    if let Some(cookie) = cookie {
        req = req.header(http::header::COOKIE, cookie);
    }
    req.body(Body::from(form.to_owned())).expect("request")
}

pub const PASSWORD: &str = "Sommar-Stockholm-2026";

/// An account with `role` (created if missing) and a `Cookie` header of a fresh session.
pub async fn session_as(state: &AppState, role: &str) -> String {
    let username = format!("test-{role}");
    let email = format!("{username}@exempel.se");
    app::accounts::service::create_if_missing(
        &state.db,
        &state.clock,
        app::accounts::service::NewAccount {
            username: &username,
            email: &email,
            display_name: role,
            password: PASSWORD,
            roles: &[role],
        },
    )
    .await
    .expect("account");
    let id: String = sqlx::query_scalar("SELECT id FROM accounts WHERE username = $1")
        .bind(&username)
        .fetch_one(&state.db.pool)
        .await
        .expect("id");
    let token = app::auth::session::create(&state.db, &state.clock, &id, None, None)
        .await
        .expect("session");
    format!("{}={token}", app::auth::session::COOKIE)
}

/// A real SMTP server (Python's aiosmtpd) on a free loopback port, writing what it receives to
/// a Maildir. `CERTPORTAL_TEST_PYTHON` names a Python that has aiosmtpd (`make test` sets it).
pub struct SmtpServer {
    pub port: u16,
    pub maildir: PathBuf,
    child: Child,
}

impl SmtpServer {
    pub fn start() -> SmtpServer {
        let python =
            std::env::var("CERTPORTAL_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("free port")
            .local_addr()
            .expect("addr")
            .port();
        let maildir =
            std::env::temp_dir().join(format!("certportal-smtp-{}", uuid::Uuid::now_v7().simple()));
        let child = Command::new(&python)
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("start aiosmtpd with {python}: {e} (run `make test`, which installs it)")
            });
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "aiosmtpd did not start; is it installed in {python}?"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        SmtpServer {
            port,
            maildir,
            child,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, raw.
    pub fn messages(&self) -> Vec<String> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.maildir.join(sub)) {
                for e in entries.flatten() {
                    out.push(std::fs::read_to_string(e.path()).expect("read message"));
                }
            }
        }
        out
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}
