//! Accounts' and their roles' SQL, and only the SQL: rows are read once into typed structs,
//! roles converted where they are read.

use crate::auth::model::Role;
use sqlx::{AnyConnection, AnyPool};

/// An account as it is written: an account made by `create-admin` or the demo data has a
/// password hash; one staff invite has none until it is activated. The `_key` columns hold the
/// lower-cased username and email, unique regardless of case.
pub struct NewAccount<'a> {
    pub id: &'a str,
    pub username: &'a str,
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: Option<&'a str>,
    pub created_at: &'a str,
    pub search_text: &'a str,
    pub username_key: &'a str,
    pub email_key: &'a str,
    pub locale: &'a str,
}

/// Inserts an account. A username or email taken already (regardless of case) violates one of
/// the accounts' unique constraints, which the caller may turn into a message.
pub async fn insert_account(conn: &mut AnyConnection, a: &NewAccount<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO accounts (id, username, email, display_name, password_hash, created_at,
             search_text, username_key, email_key, locale)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(a.id)
    .bind(a.username)
    .bind(a.email)
    .bind(a.display_name)
    .bind(a.password_hash)
    .bind(a.created_at)
    .bind(a.search_text)
    .bind(a.username_key)
    .bind(a.email_key)
    .bind(a.locale)
    .execute(conn)
    .await
    .map(|_| ())
}

/// The id of the account whose lower-cased username is `username_key`.
pub async fn id_by_username_key(
    conn: &mut AnyConnection,
    username_key: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT id FROM accounts WHERE username_key = $1")
        .bind(username_key)
        .fetch_optional(conn)
        .await
}

/// How many accounts have the username and how many the email (each 0 or 1), regardless of
/// case: both taken are both told.
#[derive(Debug, sqlx::FromRow)]
pub struct Taken {
    pub username_taken: i64,
    pub email_taken: i64,
}

/// Whether the username and the email (lower-cased) are taken, in one query.
pub async fn taken(
    conn: &mut AnyConnection,
    username_key: &str,
    email_key: &str,
) -> sqlx::Result<Taken> {
    sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN username_key = $1 THEN 1 ELSE 0 END), 0) AS username_taken,
                COALESCE(SUM(CASE WHEN email_key = $2 THEN 1 ELSE 0 END), 0) AS email_taken
         FROM accounts WHERE username_key = $1 OR email_key = $2",
    )
    .bind(username_key)
    .bind(email_key)
    .fetch_one(conn)
    .await
}

/// The role codes an account holds, by its username, in order.
pub async fn roles_of(pool: &AnyPool, username: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT r.role FROM account_roles r JOIN accounts a ON a.id = r.account_id
         WHERE a.username = $1 ORDER BY r.role",
    )
    .bind(username)
    .fetch_all(pool)
    .await
}

/// Grants a role for a scope (empty for a role that is for no company), granted at `now`.
pub async fn insert_role(
    conn: &mut AnyConnection,
    account_id: &str,
    role: Role,
    scope: &str,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO account_roles (account_id, role, scope, granted_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(account_id)
    .bind(role.code())
    .bind(scope)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Whether the account holds the role for the scope already.
pub async fn holds(
    conn: &mut AnyConnection,
    account_id: &str,
    role: Role,
    scope: &str,
) -> sqlx::Result<bool> {
    let held: Option<String> = sqlx::query_scalar(
        "SELECT role FROM account_roles WHERE account_id = $1 AND role = $2 AND scope = $3",
    )
    .bind(account_id)
    .bind(role.code())
    .bind(scope)
    .fetch_optional(conn)
    .await?;
    Ok(held.is_some())
}

/// Takes a role away; answers whether the account held it.
pub async fn delete_role(
    conn: &mut AnyConnection,
    account_id: &str,
    role: Role,
    scope: &str,
) -> sqlx::Result<bool> {
    let deleted =
        sqlx::query("DELETE FROM account_roles WHERE account_id = $1 AND role = $2 AND scope = $3")
            .bind(account_id)
            .bind(role.code())
            .bind(scope)
            .execute(conn)
            .await?;
    Ok(deleted.rows_affected() > 0)
}

/// An account as staff list and view it.
#[derive(Debug, sqlx::FromRow)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub email: String,
}

/// Up to `limit` accounts from `offset` on whose `search_text` matches every pattern (made by
/// [`crate::db::search_patterns`]), ordered by name and username.
pub async fn search(
    pool: &AnyPool,
    patterns: &[String],
    limit: u32,
    offset: i64,
) -> sqlx::Result<Vec<Account>> {
    let sql = format!(
        "SELECT id, username, display_name, email FROM accounts WHERE 1 = 1{}
         ORDER BY display_name, username LIMIT {limit} OFFSET {offset}",
        crate::db::search_clause(patterns, 1),
    );
    let mut q = sqlx::query_as(&sql);
    for p in patterns {
        q = q.bind(p);
    }
    q.fetch_all(pool).await
}

/// An account by id; a missing one is `RowNotFound`.
pub async fn account(pool: &AnyPool, id: &str) -> sqlx::Result<Account> {
    sqlx::query_as("SELECT id, username, display_name, email FROM accounts WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
}

/// An account's id, read inside a transaction before its roles change; a missing account is
/// `RowNotFound`.
pub async fn account_id(conn: &mut AnyConnection, id: &str) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT id FROM accounts WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// An account's username; a missing account is `RowNotFound`.
pub async fn username(conn: &mut AnyConnection, id: &str) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT username FROM accounts WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await
}

/// The account whose lower-cased username or email is `key`; a username beats another
/// account's email.
pub async fn find(pool: &AnyPool, key: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT id FROM accounts WHERE username_key = $1 OR email_key = $1
         ORDER BY username_key = $1 DESC LIMIT 1",
    )
    .bind(key)
    .fetch_optional(pool)
    .await
}

/// A role an account holds, with the name of the company a company admin's scope names (none
/// for other roles, and none when no company has that id).
#[derive(Debug, sqlx::FromRow)]
pub struct Grant {
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub scope: String,
    pub granted_at: String,
    pub company: Option<String>,
}

/// The account's roles, ordered by role and the name of the company or provider they are for.
pub async fn grants(pool: &AnyPool, account_id: &str) -> sqlx::Result<Vec<Grant>> {
    sqlx::query_as(
        "SELECT r.role, r.scope, r.granted_at, COALESCE(c.name, p.name) AS company
         FROM account_roles r
         LEFT JOIN companies c ON c.id = r.scope AND r.role = 'company_admin'
         LEFT JOIN providers p ON p.id = r.scope AND r.role = 'provider_staff'
         WHERE r.account_id = $1 ORDER BY r.role, company",
    )
    .bind(account_id)
    .fetch_all(pool)
    .await
}

/// The person an account signs in as, by name.
#[derive(Debug, sqlx::FromRow)]
pub struct PersonName {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
}

/// The person the account signs in as, if any.
pub async fn person_name(pool: &AnyPool, account_id: &str) -> sqlx::Result<Option<PersonName>> {
    sqlx::query_as("SELECT id, first_name, last_name FROM people WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(pool)
        .await
}

/// The id of the person an account signs in as, inside a transaction.
pub async fn person_of(conn: &mut AnyConnection, account_id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT id FROM people WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(conn)
        .await
}

/// A person found by personnummer, and the account linked to them if any.
#[derive(Debug, sqlx::FromRow)]
pub struct PersonLink {
    pub id: String,
    pub account_id: Option<String>,
}

/// The person with this personnummer (twelve digits), inside a transaction.
pub async fn person_by_pnr(
    conn: &mut AnyConnection,
    pnr: &str,
) -> sqlx::Result<Option<PersonLink>> {
    sqlx::query_as("SELECT id, account_id FROM people WHERE pnr = $1")
        .bind(pnr)
        .fetch_optional(conn)
        .await
}

/// Links a person to the account they sign in with.
pub async fn link_person(
    conn: &mut AnyConnection,
    person_id: &str,
    account_id: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE people SET account_id = $1 WHERE id = $2")
        .bind(account_id)
        .bind(person_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Unlinks whichever person the account signed in as.
pub async fn unlink_person(conn: &mut AnyConnection, account_id: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE people SET account_id = NULL WHERE account_id = $1")
        .bind(account_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// The id of the company with this organisationsnummer (ten digits).
/// A training provider's id by its organisation number.
pub async fn provider_by_orgnr(
    conn: &mut AnyConnection,
    orgnr: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT id FROM providers WHERE orgnr = $1")
        .bind(orgnr)
        .fetch_optional(conn)
        .await
}

pub async fn company_by_orgnr(
    conn: &mut AnyConnection,
    orgnr: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT id FROM companies WHERE orgnr = $1")
        .bind(orgnr)
        .fetch_optional(conn)
        .await
}
