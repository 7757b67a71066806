//! Signing in and out, and changing a password.

use super::audit::{self, Kind, Record};
use super::model::CurrentUser;
use super::password;
use super::policy::{HISTORY, broken_rules};
use super::session;
use super::store;
use super::throttle::{self, PER_ACCOUNT, PER_ADDRESS, Verdict};
use crate::clock::{Clock, to_db};
use crate::db::Db;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::service::{self as events, Actor, Subject};
use crate::i18n::{Locale, Msg, Text};

/// Where a request came from, for the session and the throttle.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    pub ip: Option<std::net::IpAddr>,
    pub user_agent: Option<String>,
}

impl Origin {
    pub fn ip_text(&self) -> Option<String> {
        self.ip.map(|ip| ip.to_string())
    }
}

/// The longest sign-in name (a username or an email address) there is.
pub const IDENTIFIER_MAX: usize = 254;

/// The key the throttle counts an address under.
fn address_key(prefix: &str, origin: &Origin) -> Option<String> {
    origin
        .ip
        .map(|ip| format!("{prefix}:{}", crate::config::throttle_key(ip)))
}

/// An account by username or email, regardless of case: its id, username, email, language and
/// password hash (none until activated). A name longer than any there is finds none.
async fn find_account(db: &Db, identifier: &str) -> AppResult<Option<store::Account>> {
    if identifier.chars().count() > IDENTIFIER_MAX {
        return Ok(None);
    }
    let key = identifier.trim().to_lowercase();
    Ok(store::account_by_key(&db.pool, &key).await?)
}

fn field(field: &str, text: Text, args: &[(&str, &str)]) -> AppError {
    AppError::field(field, Msg::with(text, args))
}

fn verdict_error(verdict: Verdict) -> Option<AppError> {
    match verdict {
        Verdict::Allowed => None,
        Verdict::Wait(s) => Some(field(
            "username",
            Text::LoginWait,
            &[("seconds", &s.to_string())],
        )),
        Verdict::Locked(m) => Some(field(
            "username",
            Text::LoginLocked,
            &[("minutes", &m.to_string())],
        )),
    }
}

/// Signs in with a username or email and a password; returns the user and a new session token.
/// A wrong name and a wrong password get the same answer, take as long, and both count as
/// failures. No database connection is held while the password is hashed.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn login(
    db: &Db,
    clock: &Clock,
    locale: Locale,
    identifier: &str,
    password_typed: &str,
    origin: &Origin,
) -> AppResult<(CurrentUser, String)> {
    let identifier = identifier.trim().to_lowercase();
    let mut missing = Vec::new();
    if identifier.is_empty() {
        missing.push(FieldError::new("username", Text::LoginUsernameRequired));
    }
    if password_typed.is_empty() {
        missing.push(FieldError::new("password", Text::LoginPasswordRequired));
    }
    if !missing.is_empty() {
        return Err(AppError::Validation(missing));
    }
    let now = clock.now();
    let shown: String = identifier.chars().take(IDENTIFIER_MAX).collect();
    // An account is counted as one, whichever name it is tried by (username, email,
    // personnummer in any of its forms); a name no account has, by itself.
    let account = find_account(db, &identifier).await?;
    let who = match &account {
        Some(a) => format!("account:{}", a.id),
        None => format!("user:{shown}"),
    };
    let mut keys = vec![(who, PER_ACCOUNT)];
    keys.extend(address_key("ip", origin).map(|k| (k, PER_ADDRESS)));
    let attempt = throttle::begin(db, &keys, now).await?;
    if let Some(e) = verdict_error(attempt.verdict) {
        let r = Record {
            kind: Kind::LoginLocked,
            account_id: None,
            label: &shown,
            ip: origin.ip,
            detail: "",
        };
        audit::record(db, clock, r).await;
        return Err(e);
    }
    let hash = account.as_ref().and_then(|a| a.password_hash.clone());
    let verified = password::verify_or_dummy(password_typed, hash)
        .await
        .map_err(AppError::internal)?;
    let Some(account) = account.filter(|_| verified) else {
        let r = Record {
            kind: Kind::LoginFailed,
            account_id: None,
            label: &shown,
            ip: origin.ip,
            detail: "",
        };
        audit::record(db, clock, r).await;
        return Err(field("username", Text::LoginInvalid, &[]));
    };
    throttle::clear(db, &keys[0].0).await?;
    throttle::forget(db, &attempt.id).await?;
    let actor = Actor {
        account_id: Some(account.id.clone()),
        label: account.username.clone(),
        ip: origin.ip_text(),
    };
    let mut tx = db.begin().await?;
    events::append(
        &mut tx,
        clock,
        Subject::account(&account.id),
        &actor,
        "signed_in",
        serde_json::json!({}),
    )
    .await?;
    // The portal speaks to the account in the language it was last used in.
    store::set_locale(&mut tx, &account.id, locale.code()).await?;
    tx.commit().await?;
    let token = session::create(
        db,
        clock,
        &account.id,
        origin.ip_text().as_deref(),
        origin.user_agent.as_deref(),
    )
    .await?;
    let user = session::lookup(db, clock, &token)
        .await?
        .ok_or(AppError::Internal)?;
    Ok((user, token))
}

fn actor_of(user: &CurrentUser, origin: &Origin) -> Actor {
    Actor {
        account_id: Some(user.account_id.clone()),
        label: user.username.clone(),
        ip: origin.ip_text(),
    }
}

/// Ends every session of the signed-in account, and records that it did.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn sign_out_everywhere(
    db: &Db,
    clock: &Clock,
    user: &CurrentUser,
    origin: &Origin,
) -> AppResult<()> {
    let mut tx = db.begin().await?;
    store::delete_sessions(&mut tx, &user.account_id).await?;
    events::append(
        &mut tx,
        clock,
        Subject::account(&user.account_id),
        &actor_of(user, origin),
        "signed_out_everywhere",
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the change-password form sends.
pub struct PasswordChange<'a> {
    pub current: &'a str,
    pub new: &'a str,
    pub confirm: &'a str,
}

/// Changes the signed-in user's password after checking the current one, the rules, and the
/// last seven passwords. Every other session of the account ends.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn change_password(
    db: &Db,
    clock: &Clock,
    user: &CurrentUser,
    current_token: &str,
    change: PasswordChange<'_>,
    origin: &Origin,
) -> AppResult<()> {
    let PasswordChange {
        current,
        new,
        confirm,
    } = change;
    let stored = store::password_hash(&db.pool, &user.account_id).await?;
    let current_ok = password::verify_or_dummy(current, stored)
        .await
        .map_err(AppError::internal)?;
    let mut errors = Vec::new();
    if !current_ok {
        errors.push(FieldError::new("current", Text::PasswordCurrentWrong));
    }
    errors.extend(new_password_errors(db, &user.account_id, new, confirm).await?);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    set_password(
        db,
        clock,
        &user.account_id,
        new,
        &actor_of(user, origin),
        "password.changed",
    )
    .await?;
    let keep = session::token_hash(current_token);
    store::delete_other_sessions(&db.pool, &user.account_id, &keep).await?;
    Ok(())
}

/// What is wrong with a new password and its confirmation: each broken rule, reuse of one of
/// the last seven, a confirmation that differs.
async fn new_password_errors(
    db: &Db,
    account_id: &str,
    new: &str,
    confirm: &str,
) -> AppResult<Vec<FieldError>> {
    let mut errors: Vec<FieldError> = broken_rules(new)
        .into_iter()
        .map(|rule| FieldError::new("new", rule))
        .collect();
    if errors.is_empty() {
        // What the account and its person give away: names, addresses, the personnummer
        // (whole, and its birth date and last four).
        let r = store::known(&db.pool, account_id).await?;
        let mut known = vec![
            r.username,
            r.email,
            r.display_name,
            r.first_name,
            r.last_name,
            r.address,
            r.city,
            r.person_email,
        ];
        let pnr = r.pnr;
        if pnr.len() == 12 {
            known.extend([
                pnr.clone(),
                pnr[..8].to_owned(),
                pnr[2..8].to_owned(),
                pnr[8..].to_owned(),
            ]);
        }
        known.retain(|k| !k.is_empty());
        if super::policy::too_guessable(new, &known) {
            errors.push(FieldError::new("new", Text::PasswordRuleWeak));
        }
    }
    if errors.is_empty() && reused(db, account_id, new).await? {
        errors.push(FieldError::new("new", Text::PasswordRuleHistory));
    }
    if new != confirm {
        errors.push(FieldError::new("confirm", Text::PasswordConfirmMismatch));
    }
    Ok(errors)
}

/// Whether `new` is the current password or one of the last seven.
async fn reused(db: &Db, account_id: &str, new: &str) -> AppResult<bool> {
    let hashes = store::recent_passwords(&db.pool, account_id, HISTORY as i64).await?;
    for hash in hashes {
        if password::verify(new.to_owned(), hash)
            .await
            .map_err(AppError::internal)?
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Stores a new password (already checked) and remembers it in the history.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_password(
    db: &Db,
    clock: &Clock,
    account_id: &str,
    new: &str,
    actor: &Actor,
    action: &str,
) -> AppResult<()> {
    let hash = password::hash(new.to_owned())
        .await
        .map_err(AppError::internal)?;
    let now = to_db(clock.now());
    let mut tx = db.begin().await?;
    store::set_password_hash(&mut tx, account_id, &hash).await?;
    store::remember_password(&mut tx, account_id, &hash, &now).await?;
    events::append(
        &mut tx,
        clock,
        Subject::account(account_id),
        actor,
        action,
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Makes a single-use link to the page where an account sets its password (`purpose` is
/// `reset` or `activate`); only the token's hash is stored.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn password_link(
    conn: &mut sqlx::AnyConnection,
    clock: &Clock,
    config: &crate::config::Config,
    account_id: &str,
    purpose: &str,
    valid: chrono::Duration,
) -> sqlx::Result<String> {
    let token = session::new_token();
    let now = clock.now();
    store::insert_link(
        conn,
        &session::token_hash(&token),
        account_id,
        purpose,
        &to_db(now),
        &to_db(now + valid),
    )
    .await?;
    Ok(format!("{}/reset-password?token={token}", config.base_url))
}

/// How long a password-reset link is valid.
pub const RESET_VALID: chrono::Duration = chrono::Duration::hours(1);

/// Emails a single-use reset link to the account with this username or email, if there is one.
/// The answer is the same either way, so it reveals nothing about which accounts exist. Limited
/// per address (10 an hour: the caller is told to wait) and per account (3 an hour: silently, so
/// the limit tells nothing either).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn request_reset(
    db: &Db,
    clock: &Clock,
    config: &crate::config::Config,
    locale: Locale,
    identifier: &str,
    origin: &Origin,
) -> AppResult<()> {
    let identifier = identifier.trim().to_lowercase();
    if identifier.is_empty() {
        return Err(AppError::field("username", Text::LoginUsernameRequired));
    }
    let now = clock.now();
    if let Some(key) = address_key("reset", origin)
        && let Some(wait) = throttle::hit(db, &key, 10, chrono::Duration::hours(1), now).await?
    {
        let r = Record {
            kind: Kind::RateLimited,
            account_id: None,
            label: "",
            ip: origin.ip,
            detail: "forgot password, per address",
        };
        audit::record(db, clock, r).await;
        return Err(rate_limited("username", wait));
    }
    let Some(account) = find_account(db, &identifier).await? else {
        let shown: String = identifier.chars().take(IDENTIFIER_MAX).collect();
        let r = Record {
            kind: Kind::ResetRequested,
            account_id: None,
            label: &shown,
            ip: origin.ip,
            detail: "no such account: no email sent",
        };
        audit::record(db, clock, r).await;
        return Ok(());
    };
    let limited = throttle::hit(
        db,
        &format!("reset:account:{}", account.id),
        3,
        chrono::Duration::hours(1),
        now,
    )
    .await?;
    let r = Record {
        kind: if limited.is_some() {
            Kind::RateLimited
        } else {
            Kind::ResetRequested
        },
        account_id: Some(&account.id),
        label: &account.username,
        ip: origin.ip,
        detail: if limited.is_some() {
            "forgot password, per account: no email sent"
        } else {
            ""
        },
    };
    audit::record(db, clock, r).await;
    if limited.is_some() {
        return Ok(());
    }
    let to = Locale::from_code(&account.locale).unwrap_or(locale);
    let mut tx = db.begin().await?;
    let link = password_link(&mut tx, clock, config, &account.id, "reset", RESET_VALID).await?;
    let mail = crate::mail::templates::password_reset(
        config,
        &account.email,
        to,
        &account.username,
        &link,
    );
    crate::mail::service::enqueue(&mut tx, clock, &config.keys, &mail).await?;
    tx.commit().await?;
    Ok(())
}

/// "Try again in N minutes" at `field`.
pub fn rate_limited(field: &str, wait_secs: i64) -> AppError {
    let minutes = ((wait_secs + 59) / 60).max(1);
    AppError::field(
        field,
        Msg::with(Text::RateLimited, &[("minutes", &minutes.to_string())]),
    )
}

/// Sets a new password through an emailed link: the link must be unused and unexpired, the
/// password must follow the rules. The link is then spent and every session of the account ends.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn reset_password(
    db: &Db,
    clock: &Clock,
    token: &str,
    new: &str,
    confirm: &str,
    origin: &Origin,
) -> AppResult<()> {
    let now = clock.now();
    if token.len() > 100 {
        return Err(AppError::field("token", Text::ResetLinkInvalid));
    }
    let link = store::link(&db.pool, &session::token_hash(token)).await?;
    let Some(link) = link.filter(|l| l.used_at.is_none()) else {
        return Err(AppError::field("token", Text::ResetLinkInvalid));
    };
    if link.expires_at <= to_db(now) {
        return Err(AppError::field("token", Text::ResetLinkExpired));
    }
    let account_id = link.account_id;
    let errors = new_password_errors(db, &account_id, new, confirm).await?;
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    // Spend the link first: of two submissions racing, only one gets through.
    if !store::spend_link(&db.pool, &session::token_hash(token), &to_db(now)).await? {
        return Err(AppError::field("token", Text::ResetLinkInvalid));
    }
    let actor = Actor {
        account_id: Some(account_id.clone()),
        label: "reset link".into(),
        ip: origin.ip_text(),
    };
    set_password(db, clock, &account_id, new, &actor, "password.reset").await?;
    session::delete_all(db, &account_id).await?;
    Ok(())
}
