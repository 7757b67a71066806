use crate::clock::{Clock, to_db};
use crate::db::Db;
use crate::types::EmailAddr;
use sqlx::Row;

pub const ROLES: [&str; 5] = [
    "holder",
    "company_admin",
    "handler",
    "body_admin",
    "provider_staff",
];

pub struct NewAccount<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub display_name: &'a str,
    pub password: &'a str,
    pub roles: &'a [&'a str],
}

/// Creates an account with its roles in one transaction, or does nothing when the username is
/// taken already (so demo data can be loaded twice). Returns whether it was created.
pub async fn create_if_missing(
    db: &Db,
    clock: &Clock,
    new: NewAccount<'_>,
) -> anyhow::Result<bool> {
    let username = new.username.trim();
    anyhow::ensure!(
        !username.is_empty() && username.len() <= 64 && !username.contains(char::is_whitespace),
        "a username is 1 to 64 characters without spaces"
    );
    let email = EmailAddr::parse(new.email)
        .map_err(|_| anyhow::anyhow!("not a valid email address: {}", new.email))?;
    anyhow::ensure!(!new.display_name.trim().is_empty(), "a name is required");
    anyhow::ensure!(
        new.password.chars().count() >= 12,
        "a password has at least 12 characters"
    );
    for role in new.roles {
        anyhow::ensure!(ROLES.contains(role), "unknown role {role}");
    }
    let hash = super::password::hash(new.password.to_owned()).await?;

    let mut tx = db.pool.begin().await?;
    let exists = sqlx::query("SELECT id FROM accounts WHERE username = $1")
        .bind(username)
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_some() {
        return Ok(false);
    }
    let id = uuid::Uuid::now_v7().to_string();
    let now = to_db(clock.now());
    sqlx::query(
        "INSERT INTO accounts (id, username, email, display_name, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(username)
    .bind(email.as_str())
    .bind(new.display_name.trim())
    .bind(&hash)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO password_history (account_id, password_hash, created_at) VALUES ($1, $2, $3)",
    )
    .bind(&id)
    .bind(&hash)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    for role in new.roles {
        sqlx::query("INSERT INTO account_roles (account_id, role, scope, granted_at) VALUES ($1, $2, '', $3)")
            .bind(&id)
            .bind(*role)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
    }
    crate::events::service::append(
        &mut tx,
        clock,
        crate::auth::service::account_subject(&id),
        &crate::events::service::Actor::system("certportal"),
        "account.created",
        serde_json::json!({ "username": username, "roles": new.roles }),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The roles an account holds, by username.
pub async fn roles_of(db: &Db, username: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query(
        "SELECT r.role FROM account_roles r JOIN accounts a ON a.id = r.account_id
         WHERE a.username = $1 ORDER BY r.role",
    )
    .bind(username)
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| r.try_get("role"))
    .collect()
}
