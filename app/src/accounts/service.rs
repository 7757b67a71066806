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
#[tracing::instrument(level = "debug", skip_all)]
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
    let hash = crate::auth::password::hash(new.password.to_owned()).await?;

    let mut tx = db.begin().await?;
    let exists = sqlx::query("SELECT id FROM accounts WHERE username_key = $1")
        .bind(username.to_lowercase())
        .fetch_optional(&mut *tx)
        .await?;
    if exists.is_some() {
        return Ok(false);
    }
    let id = uuid::Uuid::now_v7().to_string();
    let now = to_db(clock.now());
    sqlx::query(
        "INSERT INTO accounts (id, username, email, display_name, password_hash, created_at,
             search_text, username_key, email_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(username)
    .bind(email.as_str())
    .bind(new.display_name.trim())
    .bind(&hash)
    .bind(&now)
    .bind(account_search_text(
        username,
        new.display_name.trim(),
        email.as_str(),
    ))
    .bind(username.to_lowercase())
    .bind(email.as_str().to_lowercase())
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
        crate::events::service::Subject::account(&id),
        &crate::events::service::Actor::system("certportal"),
        "account.created",
        serde_json::json!({ "username": username, "roles": new.roles }),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

fn account_search_text(username: &str, name: &str, email: &str) -> String {
    crate::db::search_text(&[username, name, email])
}

/// The roles an account holds, by username.
#[tracing::instrument(level = "debug", skip_all)]
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

/// How long an activation link is valid.
pub const ACTIVATION_VALID: chrono::Duration = chrono::Duration::days(7);

/// What staff fill in to create an account.
pub struct Invite<'a> {
    pub username: &'a str,
    pub email: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
}

/// Creates an account without a password and emails it an activation link, in one transaction.
/// Staff roles may be granted by a body administrator only.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn invite(
    state: &crate::state::AppState,
    by: &crate::auth::model::CurrentUser,
    actor: &crate::events::service::Actor,
    locale: crate::i18n::Locale,
    invite: Invite<'_>,
) -> crate::error::AppResult<String> {
    use crate::auth::model::Role;
    use crate::error::{AppError, Constraint, FieldError};
    use crate::i18n::Text;

    let username = invite.username.trim();
    let name = invite.display_name.trim();
    let mut errors = Vec::new();
    if username.is_empty()
        || username.chars().count() > 64
        || username.contains(char::is_whitespace)
    {
        errors.push(FieldError::new(
            "username",
            locale.text(Text::FieldUsernameInvalid),
        ));
    }
    if name.is_empty() {
        errors.push(FieldError::new(
            "display_name",
            locale.text(Text::FieldNameRequired),
        ));
    } else if name.chars().count() > 200 {
        errors.push(FieldError::new(
            "display_name",
            locale.format(Text::FieldTooLong, &[("max", "200")]),
        ));
    }
    let email = EmailAddr::parse(invite.email)
        .map_err(|t| {
            errors.push(FieldError::new(
                "email",
                locale.format(t, &[("max", "254")]),
            ))
        })
        .ok();
    let role = Role::parse(invite.role);
    match role {
        None => errors.push(FieldError::new("role", locale.text(Text::FieldRoleInvalid))),
        Some(r) if r.is_staff() && !by.has(Role::BodyAdmin) => errors.push(FieldError::new(
            "role",
            locale.text(Text::FieldRoleNotAllowed),
        )),
        Some(_) => {}
    }
    let (Some(email), Some(role), true) = (email, role, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };

    // Taken regardless of case: the `_key` columns hold the lower-cased name and address.
    let taken = [
        Constraint {
            name: "accounts_username_key_key",
            columns: "accounts.username_key",
            field: "username",
            message: locale.text(Text::FieldUsernameTaken),
        },
        Constraint {
            name: "accounts_email_key_key",
            columns: "accounts.email_key",
            field: "email",
            message: locale.text(Text::FieldEmailTaken),
        },
        Constraint {
            name: "accounts_username_key",
            columns: "accounts.username",
            field: "username",
            message: locale.text(Text::FieldUsernameTaken),
        },
        Constraint {
            name: "accounts_email_key",
            columns: "accounts.email",
            field: "email",
            message: locale.text(Text::FieldEmailTaken),
        },
    ];
    let (db, clock) = (&state.db, &state.clock);
    let id = uuid::Uuid::now_v7().to_string();
    let now = to_db(clock.now());
    let mut tx = db.begin().await?;
    // Both taken at once are both told; a race between two forms meets the constraints below.
    let (name_taken, email_taken): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN username_key = $1 THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN email_key = $2 THEN 1 ELSE 0 END), 0)
         FROM accounts WHERE username_key = $1 OR email_key = $2",
    )
    .bind(username.to_lowercase())
    .bind(email.as_str().to_lowercase())
    .fetch_one(&mut *tx)
    .await?;
    let taken_errors: Vec<FieldError> = [(name_taken > 0, &taken[0]), (email_taken > 0, &taken[1])]
        .into_iter()
        .filter(|(t, _)| *t)
        .map(|(_, c)| FieldError::new(c.field, c.message))
        .collect();
    if !taken_errors.is_empty() {
        return Err(AppError::Validation(taken_errors));
    }
    sqlx::query(
        "INSERT INTO accounts (id, username, email, display_name, created_at, search_text,
             username_key, email_key, locale)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(username)
    .bind(email.as_str())
    .bind(name)
    .bind(&now)
    .bind(account_search_text(username, name, email.as_str()))
    .bind(username.to_lowercase())
    .bind(email.as_str().to_lowercase())
    .bind(locale.code())
    .execute(&mut *tx)
    .await
    .map_err(|e| AppError::from_db(e, &taken))?;
    sqlx::query(
        "INSERT INTO account_roles (account_id, role, scope, granted_at) VALUES ($1, $2, '', $3)",
    )
    .bind(&id)
    .bind(role.code())
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let link = crate::auth::service::password_link(
        &mut tx,
        clock,
        &state.config,
        &id,
        "activate",
        ACTIVATION_VALID,
    )
    .await?;
    let mail = crate::mail::templates::account_activation(
        &state.config,
        email.as_str(),
        locale,
        username,
        &link,
    );
    crate::mail::service::enqueue(&mut tx, clock, &state.config.keys, &mail).await?;
    crate::events::service::append(
        &mut tx,
        clock,
        crate::events::service::Subject::account(&id),
        actor,
        "account.created",
        serde_json::json!({ "username": username, "roles": [role.code()] }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Remembers the language an account reads the portal in; its emails follow it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_locale(
    db: &Db,
    user: &crate::auth::model::CurrentUser,
    locale: crate::i18n::Locale,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE accounts SET locale = $1 WHERE id = $2")
        .bind(locale.code())
        .bind(&user.account_id)
        .execute(&db.pool)
        .await
        .map(|_| ())
}
