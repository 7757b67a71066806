//! `seed-demo`: realistic Swedish demo data, loaded into a new database by `make run`. Each
//! feature adds its part; loading twice changes nothing.

use app::accounts::service::{NewAccount, create_if_missing};
use app::state::AppState;

pub struct DemoAccount {
    pub role: &'static str,
    pub username: &'static str,
    pub password: &'static str,
    pub name: &'static str,
}

/// The demo logins; the README's "Demo accounts" table lists the same.
pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        role: "body_admin",
        username: "admin",
        password: "Demo-admin-2026",
        name: "Astrid Lindqvist",
    },
    DemoAccount {
        role: "handler",
        username: "handlaggare",
        password: "Demo-handlaggare-2026",
        name: "Håkan Jarnvall",
    },
];

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    for a in ACCOUNTS {
        let email = format!("{}@certportal.localhost", a.username);
        create_if_missing(
            &state.db,
            &state.clock,
            NewAccount {
                username: a.username,
                email: &email,
                display_name: a.name,
                password: a.password,
                roles: &[a.role],
            },
        )
        .await?;
    }
    Ok(())
}

pub fn print_accounts() {
    println!("Demo accounts:");
    println!("  {:<12} {:<14} password", "role", "username");
    for a in ACCOUNTS {
        println!("  {:<12} {:<14} {}", a.role, a.username, a.password);
    }
}
