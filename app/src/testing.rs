//! Test support: a fresh database of each backend for every test. SQLite always; PostgreSQL
//! when `CERTPORTAL_TEST_POSTGRES_URL` names a server whose user may create databases (`make
//! test` starts a throwaway cluster and sets it). With `CERTPORTAL_TEST_REQUIRE_POSTGRES=1` a
//! missing PostgreSQL fails the test instead of skipping that backend.

use crate::clock::Clock;
use crate::config::Config;
use crate::db::{Backend, Db};
use crate::state::AppState;
use sqlx::Executor;
use std::path::PathBuf;

pub struct TestDb {
    pub state: AppState,
    url: String,
    sqlite_file: Option<PathBuf>,
    storage_dir: PathBuf,
}

impl TestDb {
    pub fn backend(&self) -> Backend {
        self.state.db.backend
    }

    pub fn db(&self) -> &Db {
        &self.state.db
    }

    /// Another server of the same deployment: its own connections to the same database and
    /// store, the same clock (moving one moves both).
    pub async fn second_server(&self) -> AppState {
        let db = Db::connect(&self.url, 5)
            .await
            .expect("a second server's connections");
        AppState {
            db,
            ..self.state.clone()
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.storage_dir);
        if let Some(path) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
    }
}

/// A fresh folder for a test's stored files.
fn storage_dir() -> PathBuf {
    std::env::temp_dir().join(format!(
        "certportal-store-{}",
        uuid::Uuid::now_v7().simple()
    ))
}

fn state(db: Db, storage: crate::storage::Storage) -> AppState {
    AppState {
        db,
        clock: Clock::system(),
        config: std::sync::Arc::new(Config::for_tests()),
        bankid: None,
        words: &crate::state::WORDS,
        storage,
    }
}

fn local_storage(dir: &std::path::Path) -> crate::storage::Storage {
    crate::storage::Storage::local(dir).expect("a test storage folder")
}

/// The test bucket of the S3-compatible server `make test` starts (`CERTPORTAL_TEST_S3_URL`,
/// `CERTPORTAL_TEST_S3_ENDPOINT`), under a prefix of this call's own; none without one (and
/// with `CERTPORTAL_TEST_REQUIRE_S3=1` that fails the test).
pub fn s3_storage() -> Option<crate::storage::Storage> {
    let url = std::env::var("CERTPORTAL_TEST_S3_URL").ok();
    let endpoint = std::env::var("CERTPORTAL_TEST_S3_ENDPOINT").ok();
    let (Some(url), Some(endpoint)) = (url, endpoint) else {
        assert!(
            std::env::var("CERTPORTAL_TEST_REQUIRE_S3").as_deref() != Ok("1"),
            "CERTPORTAL_TEST_REQUIRE_S3=1 but CERTPORTAL_TEST_S3_URL is unset"
        );
        return None;
    };
    let s3 = crate::storage::Storage::s3(
        &url,
        &[
            ("aws_endpoint", &endpoint),
            ("aws_allow_http", "true"),
            ("aws_region", "us-east-1"),
            ("aws_access_key_id", "certportal"),
            ("aws_secret_access_key", "certportal-test-secret"),
        ],
    )
    .expect("the test S3 bucket");
    Some(s3.within(&uuid::Uuid::now_v7().simple().to_string()))
}

pub async fn sqlite() -> TestDb {
    let path = std::env::temp_dir().join(format!(
        "certportal-test-{}.db",
        uuid::Uuid::now_v7().simple()
    ));
    let url = format!("sqlite://{}", path.display());
    let db = Db::connect(&url, 5).await.expect("open SQLite");
    db.migrate().await.expect("migrate SQLite");
    let storage_dir = storage_dir();
    TestDb {
        state: state(db, local_storage(&storage_dir)),
        url,
        sqlite_file: Some(path),
        storage_dir,
    }
}

/// A fresh PostgreSQL database (and the S3 test bucket for its files, where there is one).
pub async fn postgres() -> Option<TestDb> {
    let Ok(admin_url) = std::env::var("CERTPORTAL_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("CERTPORTAL_TEST_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "CERTPORTAL_TEST_REQUIRE_POSTGRES=1 but CERTPORTAL_TEST_POSTGRES_URL is unset"
        );
        return None;
    };
    let name = format!("t_{}", uuid::Uuid::now_v7().simple());
    let admin = Db::connect(&admin_url, 1)
        .await
        .expect("connect to the PostgreSQL test server");
    admin
        .pool
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create test database");
    admin.pool.close().await;
    let (base, query) = admin_url
        .split_once('?')
        .map_or((admin_url.as_str(), None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    let url = match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    };
    let db = Db::connect(&url, 5)
        .await
        .expect("connect to the test database");
    db.migrate().await.expect("migrate PostgreSQL");
    // PostgreSQL's tests keep their files on the S3 server where there is one: every upload
    // test then runs on both stores.
    let storage_dir = storage_dir();
    let storage = s3_storage().unwrap_or_else(|| local_storage(&storage_dir));
    Some(TestDb {
        state: state(db, storage),
        url,
        sqlite_file: None,
        storage_dir,
    })
}

/// A fresh, migrated database of every backend available.
pub async fn databases() -> Vec<TestDb> {
    let mut all = vec![sqlite().await];
    all.extend(postgres().await);
    all
}

/// A holder account `username` (password `Sommar-Stockholm-2026`) linked to `person_id`, and
/// the user it signs in as.
pub async fn holder_account(
    state: &AppState,
    person_id: &str,
    username: &str,
    email: &str,
    display_name: &str,
) -> crate::auth::model::CurrentUser {
    use crate::auth::model::{CurrentUser, Grant, Role};
    let account_id = account(state, username, email, display_name, Role::Holder).await;
    sqlx::query("UPDATE people SET account_id = $1 WHERE id = $2")
        .bind(&account_id)
        .bind(person_id)
        .execute(&state.db.pool)
        .await
        .expect("link");
    CurrentUser {
        account_id,
        username: username.to_owned(),
        display_name: display_name.to_owned(),
        grants: vec![Grant {
            role: Role::Holder,
            scope: String::new(),
        }],
        person_id: Some(person_id.to_owned()),
    }
}

/// An account `username` (password `Sommar-Stockholm-2026`) with `role`, created if missing:
/// its id.
async fn account(
    state: &AppState,
    username: &str,
    email: &str,
    display_name: &str,
    role: crate::auth::model::Role,
) -> String {
    crate::accounts::service::create_if_missing(
        &state.db,
        &state.clock,
        crate::accounts::service::NewAccount {
            username,
            email,
            display_name,
            password: "Sommar-Stockholm-2026",
            roles: &[role.code()],
        },
    )
    .await
    .expect("account");
    sqlx::query_scalar("SELECT id FROM accounts WHERE username = $1")
        .bind(username)
        .fetch_one(&state.db.pool)
        .await
        .expect("id")
}

/// A staff account `username` with `role` (handler or body_admin), and the user it signs in
/// as.
pub async fn staff_account(
    state: &AppState,
    username: &str,
    role: crate::auth::model::Role,
) -> crate::auth::model::CurrentUser {
    use crate::auth::model::{CurrentUser, Grant};
    let email = format!("{username}@certportal.test");
    let account_id = account(state, username, &email, username, role).await;
    CurrentUser {
        account_id,
        username: username.to_owned(),
        display_name: username.to_owned(),
        grants: vec![Grant {
            role,
            scope: String::new(),
        }],
        person_id: None,
    }
}

/// Each server schedules the day's job and both run what is due, at once, as their workers do.
pub async fn both_servers_run_the_day(a: &AppState, b: &AppState) {
    let (x, y) = tokio::join!(
        crate::chores::schedule_daily(a),
        crate::chores::schedule_daily(b)
    );
    x.expect("server a schedules");
    y.expect("server b schedules");
    let (x, y) = tokio::join!(
        crate::chores::run_jobs(a, "server-a"),
        crate::chores::run_jobs(b, "server-b")
    );
    x.expect("server a runs");
    y.expect("server b runs");
}

/// The Swedish date `offset` days from today by the state's clock, as the portal stores dates.
pub fn day(state: &AppState, offset: i64) -> String {
    (state.clock.today() + chrono::Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

/// The single number a `SELECT COUNT(*) ...` (or any one-value query) answers.
pub async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A document row of the person pointing at the stored file `sha256` (no case).
pub async fn stored_document(state: &AppState, person_id: &str, sha256: &str) {
    use crate::cases::model::{DocType, Format};
    let mut conn = state.db.pool.acquire().await.expect("connection");
    let now = crate::clock::to_db(state.clock.now());
    let id = uuid::Uuid::now_v7().to_string();
    crate::cases::store::insert_document(
        &mut conn,
        &crate::cases::store::NewDocument {
            id: &id,
            person_id,
            case_id: None,
            requirement_id: None,
            doc_type: DocType::Attachment,
            title: "Bilaga",
            title_en: "Attachment",
            shared: false,
            stored_name: "Bilaga.pdf",
            original_name: "bilaga.pdf",
            format: Format::Pdf,
            size: 1000,
            sha256,
            note: "",
            uploaded_by: None,
            uploaded_at: &now,
            delete_after: "2036-01-01",
        },
    )
    .await
    .expect("document");
}

/// The venv's pyHanko and poppler's pdfsig, when this machine has them (`make test` requires
/// them).
pub fn validators() -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    let pyhanko = std::env::var("CERTPORTAL_TEST_PYTHON")
        .ok()
        .map(|p| std::path::Path::new(&p).with_file_name("pyhanko"))
        .filter(|p| p.exists());
    let pdfsig = std::path::Path::new("/usr/bin/pdfsig");
    match (pyhanko, pdfsig.exists()) {
        (Some(p), true) => Some((p, pdfsig.to_owned())),
        _ => {
            assert!(
                std::env::var("CERTPORTAL_TEST_REQUIRE_VALIDATORS").is_err(),
                "pyHanko (in the venv) and pdfsig are required"
            );
            eprintln!("skipping the third-party validators: pyHanko or pdfsig missing");
            None
        }
    }
}

/// What pyHanko says (whether it passed, and its words) and pdfsig's "Signature Validation"
/// line (pdfsig exits 0 even on a digest mismatch: its words are what count).
pub fn validate(
    pyhanko: &std::path::Path,
    pdfsig: &std::path::Path,
    ca: &std::path::Path,
    pdf: &std::path::Path,
) -> (bool, String, String) {
    let out = std::process::Command::new(pyhanko)
        .args(["sign", "validate", "--trust"])
        .arg(ca)
        .arg("--trust-replace")
        .arg(pdf)
        .output()
        .expect("pyhanko runs");
    let hanko =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let sig = std::process::Command::new(pdfsig)
        .arg(pdf)
        .output()
        .expect("pdfsig runs");
    let line = String::from_utf8_lossy(&sig.stdout)
        .lines()
        .find(|l| l.contains("Signature Validation"))
        .unwrap_or_default()
        .trim()
        .to_owned();
    (out.status.success(), hanko, line)
}

/// A time-stamp authority for a test: OpenSSL's `openssl ts -reply` behind `scripts/tsa.py`,
/// on a port of its own, stopped when dropped.
pub struct TestTsa {
    child: std::process::Child,
    pub url: String,
    /// Its root certificate (PEM), for validators to trust.
    pub root: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for TestTsa {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a time-stamp authority, when this machine has Python and OpenSSL (`make test` does).
pub fn tsa() -> Option<TestTsa> {
    use std::io::BufRead;
    let python = std::env::var("CERTPORTAL_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/tsa.py");
    let dir = tempfile::tempdir().expect("a folder");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let spawned = std::process::Command::new(&python)
        .arg(&script)
        .arg(dir.path())
        .arg(port.to_string())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => {
            assert!(
                std::env::var("CERTPORTAL_TEST_REQUIRE_VALIDATORS").is_err(),
                "the test time-stamp authority is required: {e}"
            );
            eprintln!("skipping the time-stamp authority: {e}");
            return None;
        }
    };
    let mut line = String::new();
    let stdout = child.stdout.take().expect("its output");
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("it starts");
    assert_eq!(
        line.trim(),
        "ready",
        "the time-stamp authority did not start"
    );
    Some(TestTsa {
        child,
        url: format!("http://127.0.0.1:{port}/"),
        root: dir.path().join("ca.pem"),
        _dir: dir,
    })
}

/// Files as people send them, good and bad, made here so no binary sits in the repository.
pub mod files {
    use std::io::{Cursor, Write};

    pub fn pdf() -> Vec<u8> {
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
            .to_vec()
    }

    /// A PDF of about `size` bytes (a scanned document's size).
    pub fn big_pdf(size: usize) -> Vec<u8> {
        let mut bytes = pdf();
        bytes.resize(size, b' ');
        bytes
    }

    /// A Windows program (what a renamed `.exe` holds).
    pub fn exe() -> Vec<u8> {
        let mut bytes = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".to_vec();
        bytes.resize(512, 0);
        bytes[0x3c] = 0x80;
        bytes.extend_from_slice(b"PE\0\0");
        bytes.resize(1024, 0);
        bytes
    }

    fn zip(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .expect("zip entry");
            zip.write_all(content.as_bytes()).expect("zip write");
        }
        zip.finish().expect("zip").into_inner()
    }

    const WORD_MAIN: &str =
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
    const WORD_MACRO_MAIN: &str = "application/vnd.ms-word.document.macroEnabled.main+xml";
    const EXCEL_MAIN: &str =
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
    const EXCEL_MACRO_MAIN: &str = "application/vnd.ms-excel.sheet.macroEnabled.main+xml";

    fn types(main_part: &str, main: &str, vba: bool) -> String {
        let vba = if vba {
            r#"<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>"#
        } else {
            ""
        };
        format!(
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">{vba}<Override PartName="{main_part}" ContentType="{main}"/></Types>"#
        )
    }

    pub fn docx() -> Vec<u8> {
        zip(&[
            (
                "[Content_Types].xml",
                &types("/word/document.xml", WORD_MAIN, false),
            ),
            ("word/document.xml", "<w:document/>"),
        ])
    }

    /// A macro-enabled Word document (docm content), whatever it is named.
    pub fn docm() -> Vec<u8> {
        zip(&[
            (
                "[Content_Types].xml",
                &types("/word/document.xml", WORD_MACRO_MAIN, true),
            ),
            ("word/document.xml", "<w:document/>"),
            ("word/vbaProject.bin", "VBA"),
        ])
    }

    /// A docm in disguise: its content type written with an entity, its VBA part renamed and
    /// found only through its relationship.
    pub fn docm_disguised() -> Vec<u8> {
        let types = types(
            "/word/document.xml",
            "application/vnd.ms-word.document.macroEnable&#100;.main+xml",
            false,
        );
        zip(&[
            ("[Content_Types].xml", &types),
            ("word/document.xml", "<w:document/>"),
            (
                "word/_rels/document.xml.rels",
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.microsoft.com/office/2006/relationships/vba&#80;roject" Target="m.bin"/></Relationships>"#,
            ),
            ("word/m.bin", "VBA"),
        ])
    }

    /// A docx whose content types are padded past what is read whole.
    pub fn docx_padded() -> Vec<u8> {
        let padding = format!("<!--{}-->", "x".repeat(1 << 20));
        let types = types("/word/document.xml", WORD_MAIN, false)
            .replace("<Types", &format!("{padding}<Types"));
        zip(&[
            ("[Content_Types].xml", &types),
            ("word/document.xml", "<w:document/>"),
        ])
    }

    pub fn xlsx() -> Vec<u8> {
        zip(&[
            (
                "[Content_Types].xml",
                &types("/xl/workbook.xml", EXCEL_MAIN, false),
            ),
            ("xl/workbook.xml", "<workbook/>"),
        ])
    }

    /// A macro-enabled workbook (xlsm content).
    pub fn xlsm() -> Vec<u8> {
        zip(&[
            (
                "[Content_Types].xml",
                &types("/xl/workbook.xml", EXCEL_MACRO_MAIN, true),
            ),
            ("xl/workbook.xml", "<workbook/>"),
            ("xl/vbaProject.bin", "VBA"),
        ])
    }

    /// A Word or Excel 97-2003 file: an OLE container with the program's class, its main
    /// stream, and the macro storage when `macros`.
    fn ole(clsid: &str, stream: &str, macros: Option<&str>) -> Vec<u8> {
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("cfb");
        file.set_storage_clsid("/", uuid::Uuid::parse_str(clsid).expect("clsid"))
            .expect("clsid");
        file.create_stream(stream)
            .expect("stream")
            .write_all(&[0u8; 4096])
            .expect("write");
        if let Some(storage) = macros {
            file.create_storage(storage).expect("storage");
            file.create_stream(format!("{storage}/VBA"))
                .expect("vba")
                .write_all(b"Attribute VB_Name")
                .expect("write");
        }
        file.flush().expect("flush");
        file.into_inner().into_inner()
    }

    const WORD_CLSID: &str = "00020906-0000-0000-c000-000000000046";
    const EXCEL_CLSID: &str = "00020820-0000-0000-c000-000000000046";

    pub fn doc() -> Vec<u8> {
        ole(WORD_CLSID, "/WordDocument", None)
    }

    pub fn doc_with_macros() -> Vec<u8> {
        ole(WORD_CLSID, "/WordDocument", Some("/Macros"))
    }

    pub fn xls() -> Vec<u8> {
        ole(EXCEL_CLSID, "/Workbook", None)
    }

    pub fn xls_with_macros() -> Vec<u8> {
        ole(EXCEL_CLSID, "/Workbook", Some("/_VBA_PROJECT_CUR"))
    }

    /// An Excel 97-2003 workbook with an Excel 4 (XLM) macro sheet in its sheet list.
    pub fn xls_with_xlm() -> Vec<u8> {
        let mut stream = Vec::new();
        // BOF, then BOUNDSHEET: position (4 bytes), state, type 1 (macro sheet), name.
        stream.extend_from_slice(&[0x09, 0x08, 0x04, 0x00, 0x00, 0x06, 0x05, 0x00]);
        stream.extend_from_slice(&[
            0x85, 0x00, 0x0a, 0x00, 0, 0, 0, 0, 0x00, 0x01, 0x02, 0x00, b'M', b'1',
        ]);
        stream.extend_from_slice(&[0x0a, 0x00, 0x00, 0x00]);
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("cfb");
        file.set_storage_clsid("/", uuid::Uuid::parse_str(EXCEL_CLSID).expect("clsid"))
            .expect("clsid");
        file.create_stream("/Workbook")
            .expect("stream")
            .write_all(&stream)
            .expect("write");
        file.flush().expect("flush");
        file.into_inner().into_inner()
    }
}
