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
    // A company admin administers the fixture's own company, and a holder is its own person
    // (when the test made a fixture).
    sqlx::query(
        "INSERT INTO account_roles (account_id, role, scope, granted_at)
         SELECT $1, 'company_admin', id, '2026-01-01T00:00:00.000000Z' FROM companies
         WHERE orgnr = $2 AND $3 = 'company_admin'
         ON CONFLICT DO NOTHING",
    )
    .bind(&id)
    .bind(OWN_ORGNR)
    .bind(role)
    .execute(&state.db.pool)
    .await
    .expect("scope");
    // A provider's staff work for the fixture's provider.
    sqlx::query(
        "INSERT INTO account_roles (account_id, role, scope, granted_at)
         SELECT $1, 'provider_staff', id, '2026-01-01T00:00:00.000000Z' FROM providers
         WHERE orgnr = $2 AND $3 = 'provider_staff'
         ON CONFLICT DO NOTHING",
    )
    .bind(&id)
    .bind(PROVIDER_ORGNR)
    .bind(role)
    .execute(&state.db.pool)
    .await
    .expect("provider scope");
    // A holder is the fixture's own person; a company admin is a person too (identity is the
    // personnummer), employed by the company.
    let person = match role {
        "holder" => Some(OWN_PNR),
        "company_admin" => Some(ADMIN_PNR),
        _ => None,
    };
    if let Some(pnr) = person {
        sqlx::query("UPDATE people SET account_id = $1 WHERE pnr = $2 AND account_id IS NULL")
            .bind(&id)
            .bind(pnr)
            .execute(&state.db.pool)
            .await
            .expect("link person");
    }
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

pub const OWN_ORGNR: &str = "5560160680";
pub const OTHER_ORGNR: &str = "5590123450";
pub const OWN_PNR: &str = "198507099805";
pub const OTHER_PNR: &str = "199004129814";
pub const ADMIN_PNR: &str = "197802239827";
pub const PROVIDER_ORGNR: &str = "5566778899";

/// Rows for the role table: two companies ("own" is administered by `test-company_admin`),
/// two people ("own" is `test-holder`), a contact and an employment in each company, and an
/// account with no roles to grant roles to.
pub struct Fixture {
    pub own_company: String,
    pub other_company: String,
    pub own_person: String,
    pub other_person: String,
    pub own_contact: String,
    pub other_contact: String,
    pub own_employment: String,
    pub other_employment: String,
    pub target_account: String,
    /// A certificate of each company's employee.
    pub own_certificate: String,
    pub other_certificate: String,
    /// A scheme none of them holds, with one required document; an open case of each person
    /// for it.
    pub open_scheme: String,
    pub requirement: String,
    pub own_case: String,
    pub other_case: String,
    /// The provider `test-provider_staff` works for, a course of it with a certification and
    /// one without; Anja's booking (for the own company) on the first, and Erik's booking on
    /// another provider's course.
    pub provider: String,
    pub course: String,
    pub plain_course: String,
    /// Another provider's course.
    pub other_course: String,
    pub own_booking: String,
    pub other_booking: String,
}

impl Fixture {
    /// `{A}`, `{B}`, `{P}`, `{Q}`, `{CA}`, `{CB}`, `{EA}`, `{EB}`, `{T}`, `{XA}`, `{XB}`, `{S}`, `{R}`, `{KA}`, `{KB}`, `{PV}`, `{C}`, `{C0}`, `{CX}`, `{BA}`, `{BB}` in `form`
    /// replaced
    /// by the fixture's ids.
    pub fn fill(&self, form: &str) -> String {
        form.replace("{A}", &self.own_company)
            .replace("{B}", &self.other_company)
            .replace("{P}", &self.own_person)
            .replace("{Q}", &self.other_person)
            .replace("{CA}", &self.own_contact)
            .replace("{CB}", &self.other_contact)
            .replace("{EA}", &self.own_employment)
            .replace("{EB}", &self.other_employment)
            .replace("{T}", &self.target_account)
            .replace("{XA}", &self.own_certificate)
            .replace("{XB}", &self.other_certificate)
            .replace("{S}", &self.open_scheme)
            .replace("{R}", &self.requirement)
            .replace("{KA}", &self.own_case)
            .replace("{KB}", &self.other_case)
            .replace("{PV}", &self.provider)
            .replace("{C0}", &self.plain_course)
            .replace("{CX}", &self.other_course)
            .replace("{C}", &self.course)
            .replace("{BA}", &self.own_booking)
            .replace("{BB}", &self.other_booking)
    }
}

pub async fn fixture(state: &AppState) -> Fixture {
    use app::events::service::Actor;
    let actor = Actor::system("test");
    let mut tx = state.db.begin().await.expect("begin");
    let mut companies = Vec::new();
    for (orgnr, name) in [(OWN_ORGNR, "Eget AB"), (OTHER_ORGNR, "Annat AB")] {
        let details = app::companies::model::CompanyDetails {
            name: name.into(),
            billing_method: "post".into(),
            ..Default::default()
        };
        let orgnr = app::types::Orgnr::parse(orgnr).expect("orgnr");
        companies.push(
            app::companies::service::insert(&mut tx, &state.clock, &actor, &orgnr, &details)
                .await
                .expect("company"),
        );
    }
    let mut people = Vec::new();
    for (pnr, first) in [(OWN_PNR, "Anja"), (OTHER_PNR, "Erik"), (ADMIN_PNR, "Lars")] {
        let details = app::people::model::PersonDetails {
            first_name: first.into(),
            last_name: "Test".into(),
            email: format!("{}@exempel.se", first.to_lowercase()),
            communication: "digital".into(),
            ..Default::default()
        };
        let pnr = app::types::Pnr::parse(pnr, state.clock.today()).expect("pnr");
        people.push(
            app::people::service::insert(&mut tx, &state.clock, &actor, &pnr, &details, None)
                .await
                .expect("person"),
        );
    }
    let mut contacts = Vec::new();
    let mut employments = Vec::new();
    // Anja and Lars (the company admin) work at the own company, Erik at the other.
    for (company, person) in [&companies[0], &companies[1], &companies[0]]
        .into_iter()
        .zip(&people)
    {
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query("INSERT INTO company_contacts (id, company_id, name, created_at) VALUES ($1, $2, 'Kontakt', '2026-01-01')")
            .bind(&id)
            .bind(company)
            .execute(&mut *tx)
            .await
            .expect("contact");
        contacts.push(id);
        let id = uuid::Uuid::now_v7().to_string();
        sqlx::query("INSERT INTO employments (id, company_id, person_id, position, start_date, created_at) VALUES ($1, $2, $3, 'Tekniker', '2020-01-01', '2026-01-01')")
            .bind(&id)
            .bind(company)
            .bind(person)
            .execute(&mut *tx)
            .await
            .expect("employment");
        employments.push(id);
    }
    let scheme = app::certificates::service::ensure_scheme(
        &mut tx,
        "fgas-1",
        "F-Gaser",
        "Personcertifikat f-gas kat I",
        5,
    )
    .await
    .expect("scheme");
    let mut certificates = Vec::new();
    for (n, person) in people.iter().take(2).enumerate() {
        let number = format!("9000{n}");
        let c = app::certificates::service::Issue {
            number: &number,
            scheme_id: &scheme,
            person_id: person,
            status: app::certificates::model::Status::Active,
            issued_on: "2024-01-01",
            valid_until: "2099-01-01",
            extend_by: Some("2027-01-01"),
        };
        certificates.push(
            app::certificates::service::issue(&mut tx, &state.clock, &actor, &c)
                .await
                .expect("certificate"),
        );
    }
    let open_scheme = app::certificates::service::ensure_scheme(
        &mut tx,
        "borr",
        "Brunnsborrning",
        "Brunnsborrare",
        5,
    )
    .await
    .expect("open scheme");
    app::cases::service::ensure_requirements(
        &mut tx,
        &open_scheme,
        &[app::cases::service::RequirementSpec {
            name: ("Svetsprov", "Welding test"),
            help: ("", ""),
            shared: false,
        }],
    )
    .await
    .expect("requirement");
    let requirement = app::cases::service::requirement_id(&mut tx, &open_scheme, "Svetsprov")
        .await
        .expect("requirement id");
    tx.commit().await.expect("commit");
    let mut cases = Vec::new();
    for person in people.iter().take(2) {
        match app::cases::service::apply(state, &actor, person, &open_scheme, "").await {
            Ok(app::cases::model::Applied::Opened { id }) => cases.push(id),
            other => panic!("case: {other:?}"),
        }
    }
    app::accounts::service::create_if_missing(
        &state.db,
        &state.clock,
        app::accounts::service::NewAccount {
            username: "test-target",
            email: "test-target@exempel.se",
            display_name: "Target",
            password: PASSWORD,
            roles: &[],
        },
    )
    .await
    .expect("target account");
    let target_account =
        sqlx::query_scalar("SELECT id FROM accounts WHERE username = 'test-target'")
            .fetch_one(&state.db.pool)
            .await
            .expect("target id");
    let ids: Vec<String> = (0..7).map(|_| uuid::Uuid::now_v7().to_string()).collect();
    let (provider, other_provider, course, plain_course, other_course, own_booking, other_booking) = (
        &ids[0], &ids[1], &ids[2], &ids[3], &ids[4], &ids[5], &ids[6],
    );
    for (id, orgnr, name) in [
        (provider, PROVIDER_ORGNR, "Kursgården AB"),
        (other_provider, "5561112223", "Annan Utbildning AB"),
    ] {
        sqlx::query(
            "INSERT INTO providers (id, orgnr, name, created_at) VALUES ($1, $2, $3, '2026-01-01')",
        )
        .bind(id)
        .bind(orgnr)
        .bind(name)
        .execute(&state.db.pool)
        .await
        .expect("provider");
    }
    for (id, p, title, cert) in [
        (course, provider, "Köldmediehantering", "Intyg köldmedier"),
        (plain_course, provider, "Brandskydd", ""),
        (other_course, other_provider, "Svetsning", "Svetsintyg"),
    ] {
        sqlx::query("INSERT INTO courses (id, provider_id, title, certification, graded, starts_on, created_at) VALUES ($1, $2, $3, $4, 1, '2026-12-01', '2026-01-01')")
            .bind(id)
            .bind(p)
            .bind(title)
            .bind(cert)
            .execute(&state.db.pool)
            .await
            .expect("course");
    }
    for (id, c, person, company) in [
        (own_booking, course, &people[0], &companies[0]),
        (other_booking, other_course, &people[1], &companies[1]),
    ] {
        sqlx::query("INSERT INTO bookings (id, course_id, person_id, company_id, course_date, created_at, status_at) VALUES ($1, $2, $3, $4, '2026-12-01', '2026-01-01', '2026-01-01')")
            .bind(id)
            .bind(c)
            .bind(person)
            .bind(company)
            .execute(&state.db.pool)
            .await
            .expect("booking");
    }
    Fixture {
        provider: provider.clone(),
        course: course.clone(),
        plain_course: plain_course.clone(),
        other_course: other_course.clone(),
        own_booking: own_booking.clone(),
        other_booking: other_booking.clone(),
        own_company: companies[0].clone(),
        other_company: companies[1].clone(),
        own_person: people[0].clone(),
        other_person: people[1].clone(),
        own_contact: contacts[0].clone(),
        other_contact: contacts[1].clone(),
        own_employment: employments[0].clone(),
        other_employment: employments[1].clone(),
        target_account,
        own_certificate: certificates[0].clone(),
        other_certificate: certificates[1].clone(),
        open_scheme,
        requirement,
        own_case: cases[0].clone(),
        other_case: cases[1].clone(),
    }
}
