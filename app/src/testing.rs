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
    sqlite_file: Option<PathBuf>,
}

impl TestDb {
    pub fn backend(&self) -> Backend {
        self.state.db.backend
    }

    pub fn db(&self) -> &Db {
        &self.state.db
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(path) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
    }
}

fn state(db: Db) -> AppState {
    AppState {
        db,
        clock: Clock::system(),
        config: std::sync::Arc::new(Config::for_tests()),
        bankid: None,
        words: &crate::state::WORDS,
    }
}

pub async fn sqlite() -> TestDb {
    let path = std::env::temp_dir().join(format!(
        "certportal-test-{}.db",
        uuid::Uuid::now_v7().simple()
    ));
    let db = Db::connect(&format!("sqlite://{}", path.display()), 5)
        .await
        .expect("open SQLite");
    db.migrate().await.expect("migrate SQLite");
    TestDb {
        state: state(db),
        sqlite_file: Some(path),
    }
}

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
    Some(TestDb {
        state: state(db),
        sqlite_file: None,
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
    crate::accounts::service::create_if_missing(
        &state.db,
        &state.clock,
        crate::accounts::service::NewAccount {
            username,
            email,
            display_name,
            password: "Sommar-Stockholm-2026",
            roles: &["holder"],
        },
    )
    .await
    .expect("account");
    let account_id: String = sqlx::query_scalar("SELECT id FROM accounts WHERE username = $1")
        .bind(username)
        .fetch_one(&state.db.pool)
        .await
        .expect("id");
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
    }
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
