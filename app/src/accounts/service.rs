use super::store;
use crate::auth::model::Role;
use crate::clock::{Clock, to_db};
use crate::db::Db;
use crate::types::EmailAddr;

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
    let mut roles = Vec::new();
    for role in new.roles {
        anyhow::ensure!(ROLES.contains(role), "unknown role {role}");
        roles.push(Role::parse(role).ok_or_else(|| anyhow::anyhow!("unknown role {role}"))?);
    }
    let hash = crate::auth::password::hash(new.password.to_owned()).await?;

    let mut tx = db.begin().await?;
    let username_key = username.to_lowercase();
    if store::id_by_username_key(&mut tx, &username_key)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let id = uuid::Uuid::now_v7().to_string();
    let now = to_db(clock.now());
    let display_name = new.display_name.trim();
    let account = store::NewAccount {
        id: &id,
        username,
        email: email.as_str(),
        display_name,
        password_hash: Some(&hash),
        created_at: &now,
        search_text: &account_search_text(username, display_name, email.as_str()),
        username_key: &username_key,
        email_key: &email.as_str().to_lowercase(),
        // The column's default: such an account has not chosen a language yet.
        locale: crate::i18n::Locale::default().code(),
    };
    store::insert_account(&mut tx, &account).await?;
    crate::auth::store::remember_password(&mut tx, &id, &hash, &now).await?;
    for role in roles {
        store::insert_role(&mut tx, &id, role, "", &now).await?;
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
    store::roles_of(&db.pool, username).await
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
    use crate::error::{AppError, Constraint, FieldError};
    use crate::i18n::{Msg, Text};

    let username = invite.username.trim();
    let name = invite.display_name.trim();
    let mut errors = Vec::new();
    if username.is_empty()
        || username.chars().count() > 64
        || username.contains(char::is_whitespace)
    {
        errors.push(FieldError::new("username", Text::FieldUsernameInvalid));
    }
    if name.is_empty() {
        errors.push(FieldError::new("display_name", Text::FieldNameRequired));
    } else if name.chars().count() > 200 {
        errors.push(FieldError::new(
            "display_name",
            Msg::with(Text::FieldTooLong, &[("max", "200")]),
        ));
    }
    let email = EmailAddr::parse(invite.email)
        .map_err(|t| errors.push(FieldError::new("email", Msg::with(t, &[("max", "254")]))))
        .ok();
    let role = Role::parse(invite.role);
    match role {
        None => errors.push(FieldError::new("role", Text::FieldRoleInvalid)),
        Some(r) if r.is_staff() && !by.has(Role::BodyAdmin) => {
            errors.push(FieldError::new("role", Text::FieldRoleNotAllowed))
        }
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
            message: Text::FieldUsernameTaken,
        },
        Constraint {
            name: "accounts_email_key_key",
            columns: "accounts.email_key",
            field: "email",
            message: Text::FieldEmailTaken,
        },
        Constraint {
            name: "accounts_username_key",
            columns: "accounts.username",
            field: "username",
            message: Text::FieldUsernameTaken,
        },
        Constraint {
            name: "accounts_email_key",
            columns: "accounts.email",
            field: "email",
            message: Text::FieldEmailTaken,
        },
    ];
    let (db, clock) = (&state.db, &state.clock);
    let id = uuid::Uuid::now_v7().to_string();
    let now = to_db(clock.now());
    let (username_key, email_key) = (username.to_lowercase(), email.as_str().to_lowercase());
    let mut tx = db.begin().await?;
    // Both taken at once are both told; a race between two forms meets the constraints below.
    let found = store::taken(&mut tx, &username_key, &email_key).await?;
    let taken_errors: Vec<FieldError> = [
        (found.username_taken > 0, &taken[0]),
        (found.email_taken > 0, &taken[1]),
    ]
    .into_iter()
    .filter(|(t, _)| *t)
    .map(|(_, c)| FieldError::new(c.field, c.message))
    .collect();
    if !taken_errors.is_empty() {
        return Err(AppError::Validation(taken_errors));
    }
    // No password until the account is activated through the emailed link.
    let account = store::NewAccount {
        id: &id,
        username,
        email: email.as_str(),
        display_name: name,
        password_hash: None,
        created_at: &now,
        search_text: &account_search_text(username, name, email.as_str()),
        username_key: &username_key,
        email_key: &email_key,
        locale: locale.code(),
    };
    store::insert_account(&mut tx, &account)
        .await
        .map_err(|e| AppError::from_db(e, &taken))?;
    store::insert_role(&mut tx, &id, role, "", &now).await?;
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
    let mut conn = db.pool.acquire().await?;
    crate::auth::store::set_locale(&mut conn, &user.account_id, locale.code()).await
}
