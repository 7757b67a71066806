//! Staff search accounts and grant and revoke their roles. A company admin's role names the
//! company; a holder's links the account to a person.

use super::model::PAGE_SIZE;
use super::model::{AccountRow, AccountView, AccountsPage, GrantView};
use crate::auth::audit::{self, Kind, Record};
use crate::auth::model::{CurrentUser, Role};
use crate::clock::to_db;
use crate::db::Db;
use crate::db::{search_clause, search_patterns};
use crate::error::{AppError, AppResult};
use crate::events::service::{self as events, Actor, Subject};
use crate::i18n::{Locale, Text};
use crate::state::AppState;
use crate::types::{Orgnr, Pnr};
use sqlx::{AnyConnection, Row};

pub async fn search(db: &Db, query: &str, page: u32) -> AppResult<AccountsPage> {
    let page = page.max(1);
    let patterns = search_patterns(query);
    let sql = format!(
        "SELECT id, username, display_name, email FROM accounts WHERE 1 = 1{}
         ORDER BY display_name, username LIMIT {} OFFSET {}",
        search_clause(&patterns, 1),
        PAGE_SIZE + 1,
        crate::types::offset(page, PAGE_SIZE)
    );
    let mut q = sqlx::query(&sql);
    for p in &patterns {
        q = q.bind(p);
    }
    let rows = q.fetch_all(&db.pool).await?;
    let has_next = rows.len() > PAGE_SIZE as usize;
    let mut items = Vec::new();
    for r in rows.iter().take(PAGE_SIZE as usize) {
        let id: String = r.try_get("id")?;
        let mut roles: Vec<Role> = grants(db, &id).await?.into_iter().map(|g| g.role).collect();
        roles.dedup();
        items.push(AccountRow {
            id,
            username: r.try_get("username")?,
            display_name: r.try_get("display_name")?,
            email: r.try_get("email")?,
            roles,
        });
    }
    Ok(AccountsPage {
        items,
        page,
        has_next,
    })
}

async fn grants(db: &Db, account_id: &str) -> AppResult<Vec<GrantView>> {
    let rows = sqlx::query(
        "SELECT r.role, r.scope, r.granted_at, c.name AS company FROM account_roles r
         LEFT JOIN companies c ON c.id = r.scope AND r.role = 'company_admin'
         WHERE r.account_id = $1 ORDER BY r.role, c.name",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get("role")?;
            let scope: String = r.try_get("scope")?;
            Ok(GrantView {
                role: Role::parse(&code)
                    .ok_or_else(|| AppError::internal(format!("role {code}")))?,
                scope_label: r
                    .try_get::<Option<String>, _>("company")?
                    .unwrap_or_else(|| scope.clone()),
                scope,
                granted_at: r.try_get("granted_at")?,
            })
        })
        .collect()
}

pub async fn view(db: &Db, id: &str) -> AppResult<AccountView> {
    let r = sqlx::query("SELECT id, username, display_name, email FROM accounts WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
    let person = sqlx::query("SELECT id, first_name, last_name FROM people WHERE account_id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .map(|p| -> sqlx::Result<(String, String)> {
            Ok((
                p.try_get("id")?,
                format!(
                    "{} {}",
                    p.try_get::<String, _>("first_name")?,
                    p.try_get::<String, _>("last_name")?
                ),
            ))
        })
        .transpose()?;
    Ok(AccountView {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        email: r.try_get("email")?,
        grants: grants(db, id).await?,
        person,
    })
}

/// What a grant is for, as the form sends it.
pub struct GrantRequest<'a> {
    pub account_id: &'a str,
    pub role: &'a str,
    /// The company's organisationsnummer, for a company admin.
    pub orgnr: &'a str,
    /// The person's personnummer, for a holder.
    pub pnr: &'a str,
}

/// Grants a role. Staff roles only by a body administrator.
pub async fn grant(
    state: &AppState,
    by: &CurrentUser,
    actor: &Actor,
    locale: Locale,
    g: &GrantRequest<'_>,
) -> AppResult<()> {
    let role = Role::parse(g.role)
        .ok_or_else(|| AppError::field("role", locale.text(Text::FieldRoleInvalid)))?;
    if g.account_id == by.account_id {
        return Err(AppError::field("role", locale.text(Text::FieldRoleSelf)));
    }
    if role.is_staff() && !by.has(Role::BodyAdmin) {
        return Err(AppError::field(
            "role",
            locale.text(Text::FieldRoleNotAllowed),
        ));
    }
    let mut tx = state.db.begin().await?;
    sqlx::query("SELECT id FROM accounts WHERE id = $1")
        .bind(g.account_id)
        .fetch_one(&mut *tx)
        .await?;
    let scope = match role {
        Role::CompanyAdmin => {
            // A company admin is a person: the form may name them by personnummer too.
            if !g.pnr.trim().is_empty() {
                let today = state.clock.today();
                let pnr =
                    Pnr::parse(g.pnr, today).map_err(|t| AppError::field("pnr", locale.text(t)))?;
                link_person(&mut tx, locale, g.account_id, &pnr).await?;
            }
            let orgnr =
                Orgnr::parse(g.orgnr).map_err(|t| AppError::field("orgnr", locale.text(t)))?;
            let id: Option<String> =
                sqlx::query_scalar("SELECT id FROM companies WHERE orgnr = $1")
                    .bind(orgnr.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            id.ok_or_else(|| AppError::field("orgnr", locale.text(Text::FieldCompanyUnknown)))?
        }
        Role::Holder => {
            let today = state.clock.today();
            let pnr =
                Pnr::parse(g.pnr, today).map_err(|t| AppError::field("pnr", locale.text(t)))?;
            link_person(&mut tx, locale, g.account_id, &pnr).await?;
            String::new()
        }
        _ => String::new(),
    };
    grant_scoped(&mut tx, state, actor, locale, g.account_id, role, &scope).await?;
    tx.commit().await?;
    Ok(())
}

async fn link_person(
    conn: &mut AnyConnection,
    locale: Locale,
    account_id: &str,
    pnr: &Pnr,
) -> AppResult<()> {
    let row = sqlx::query("SELECT id, account_id FROM people WHERE pnr = $1")
        .bind(pnr.as_str())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::field("pnr", locale.text(Text::FieldPersonUnknown)))?;
    let person_id: String = row.try_get("id")?;
    match row.try_get::<Option<String>, _>("account_id")? {
        Some(linked) if linked == account_id => return Ok(()),
        Some(_) => {
            return Err(AppError::field(
                "pnr",
                locale.text(Text::FieldPersonHasAccount),
            ));
        }
        None => {}
    }
    let other: Option<String> = sqlx::query_scalar("SELECT id FROM people WHERE account_id = $1")
        .bind(account_id)
        .fetch_optional(&mut *conn)
        .await?;
    if other.is_some() {
        return Err(AppError::field(
            "pnr",
            locale.text(Text::FieldAccountHasPerson),
        ));
    }
    sqlx::query("UPDATE people SET account_id = $1 WHERE id = $2")
        .bind(account_id)
        .bind(&person_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Grants `role` for `scope` inside the caller's transaction; holding it already is refused.
/// Nobody grants a role to themselves, and a company admin is always a person (identity is
/// the personnummer), so "their own certificate" is always known.
pub async fn grant_scoped(
    conn: &mut AnyConnection,
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    account_id: &str,
    role: Role,
    scope: &str,
) -> AppResult<()> {
    if actor.account_id.as_deref() == Some(account_id) {
        return Err(AppError::field("role", locale.text(Text::FieldRoleSelf)));
    }
    if role == Role::CompanyAdmin {
        let person: Option<String> =
            sqlx::query_scalar("SELECT id FROM people WHERE account_id = $1")
                .bind(account_id)
                .fetch_optional(&mut *conn)
                .await?;
        if person.is_none() {
            return Err(AppError::field(
                "role",
                locale.text(Text::FieldAdminNeedsPerson),
            ));
        }
    }
    let held: Option<String> = sqlx::query_scalar(
        "SELECT role FROM account_roles WHERE account_id = $1 AND role = $2 AND scope = $3",
    )
    .bind(account_id)
    .bind(role.code())
    .bind(scope)
    .fetch_optional(&mut *conn)
    .await?;
    if held.is_some() {
        return Err(AppError::field("role", locale.text(Text::FieldRoleHeld)));
    }
    sqlx::query(
        "INSERT INTO account_roles (account_id, role, scope, granted_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(account_id)
    .bind(role.code())
    .bind(scope)
    .bind(to_db(state.clock.now()))
    .execute(&mut *conn)
    .await?;
    let details = serde_json::json!({ "role": role.code(), "scope": scope });
    events::append(
        conn,
        &state.clock,
        Subject::account(account_id),
        actor,
        "account.role_granted",
        details,
    )
    .await?;
    audit_role(
        conn,
        state,
        actor,
        Kind::RoleGranted,
        account_id,
        role,
        scope,
    )
    .await;
    if role == Role::CompanyAdmin {
        let username: String = sqlx::query_scalar("SELECT username FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_one(&mut *conn)
            .await?;
        events::append(
            conn,
            &state.clock,
            crate::events::service::Subject::company(scope),
            actor,
            "company.admin_added",
            serde_json::json!({ "username": username }),
        )
        .await?;
    }
    Ok(())
}

/// Revokes a role. Staff roles only by a body administrator, and never one's own body
/// administrator role (someone must be left to grant it). A holder's account is unlinked from
/// its person.
pub async fn revoke(
    state: &AppState,
    by: &CurrentUser,
    actor: &Actor,
    account_id: &str,
    role: &str,
    scope: &str,
) -> AppResult<()> {
    let role = Role::parse(role).ok_or(AppError::NotFound)?;
    if role.is_staff() && !by.has(Role::BodyAdmin) {
        return Err(AppError::Forbidden);
    }
    if role == Role::BodyAdmin && account_id == by.account_id {
        return Err(AppError::Conflict);
    }
    let mut tx = state.db.begin().await?;
    let deleted =
        sqlx::query("DELETE FROM account_roles WHERE account_id = $1 AND role = $2 AND scope = $3")
            .bind(account_id)
            .bind(role.code())
            .bind(scope)
            .execute(&mut *tx)
            .await?;
    if deleted.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    if role == Role::Holder {
        sqlx::query("UPDATE people SET account_id = NULL WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
    }
    // Sessions read the roles on every request, so this takes effect at once.
    audit_role(
        &mut tx,
        state,
        actor,
        Kind::RoleRevoked,
        account_id,
        role,
        scope,
    )
    .await;
    let details = serde_json::json!({ "role": role.code(), "scope": scope });
    events::append(
        &mut tx,
        &state.clock,
        Subject::account(account_id),
        actor,
        "account.role_revoked",
        details,
    )
    .await?;
    if role == Role::CompanyAdmin {
        let username: String = sqlx::query_scalar("SELECT username FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_one(&mut *tx)
            .await?;
        events::append(
            &mut tx,
            &state.clock,
            crate::events::service::Subject::company(scope),
            actor,
            "company.admin_removed",
            serde_json::json!({ "username": username }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A role change as a security event (besides the account's event log).
async fn audit_role(
    conn: &mut AnyConnection,
    state: &AppState,
    actor: &Actor,
    kind: Kind,
    account_id: &str,
    role: Role,
    scope: &str,
) {
    let detail = format!("{} {} {scope}", account_id, role.code());
    let r = Record {
        kind,
        account_id: actor.account_id.as_deref(),
        label: &actor.label,
        ip: actor.ip.as_deref().and_then(|ip| ip.parse().ok()),
        detail: detail.trim(),
    };
    audit::record_in(conn, &state.clock, r).await;
}

/// An account by username or email (regardless of case), for adding a company's administrator.
pub async fn find(db: &Db, who: &str) -> AppResult<Option<String>> {
    let who = who.trim().to_lowercase();
    if who.chars().count() > crate::auth::service::IDENTIFIER_MAX {
        return Ok(None);
    }
    Ok(sqlx::query_scalar(
        "SELECT id FROM accounts WHERE username_key = $1 OR email_key = $1
         ORDER BY username_key = $1 DESC LIMIT 1",
    )
    .bind(who)
    .fetch_optional(&db.pool)
    .await?)
}
