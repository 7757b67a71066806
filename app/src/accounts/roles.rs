//! Staff search accounts and grant and revoke their roles. A company admin's role names the
//! company; a holder's links the account to a person.

use super::model::PAGE_SIZE;
use super::model::{AccountRow, AccountView, AccountsPage, GrantView};
use super::store;
use crate::auth::audit::{self, Kind, Record};
use crate::auth::model::{CurrentUser, Role};
use crate::clock::to_db;
use crate::db::Db;
use crate::db::search_patterns;
use crate::error::{AppError, AppResult};
use crate::events::service::{self as events, Actor, Subject};
use crate::i18n::Text;
use crate::state::AppState;
use crate::types::{Orgnr, Pnr};
use sqlx::AnyConnection;

pub async fn search(db: &Db, query: &str, page: u32) -> AppResult<AccountsPage> {
    let page = page.max(1);
    let patterns = search_patterns(query);
    let rows = store::search(
        &db.pool,
        &patterns,
        PAGE_SIZE + 1,
        crate::types::offset(page, PAGE_SIZE),
    )
    .await?;
    let has_next = rows.len() > PAGE_SIZE as usize;
    let mut items = Vec::new();
    for r in rows.into_iter().take(PAGE_SIZE as usize) {
        let mut roles: Vec<Role> = grants(db, &r.id)
            .await?
            .into_iter()
            .map(|g| g.role)
            .collect();
        roles.dedup();
        items.push(AccountRow {
            id: r.id,
            username: r.username,
            display_name: r.display_name,
            email: r.email,
            roles,
        });
    }
    Ok(AccountsPage {
        items,
        page,
        has_next,
    })
}

/// The account's roles, a company admin's labelled by the company's name.
async fn grants(db: &Db, account_id: &str) -> AppResult<Vec<GrantView>> {
    let rows = store::grants(&db.pool, account_id).await?;
    Ok(rows
        .into_iter()
        .map(|g| GrantView {
            role: g.role,
            scope_label: g.company.unwrap_or_else(|| g.scope.clone()),
            scope: g.scope,
            granted_at: g.granted_at,
        })
        .collect())
}

pub async fn view(db: &Db, id: &str) -> AppResult<AccountView> {
    let r = store::account(&db.pool, id).await?;
    let person = store::person_name(&db.pool, id)
        .await?
        .map(|p| (p.id, format!("{} {}", p.first_name, p.last_name)));
    Ok(AccountView {
        id: r.id,
        username: r.username,
        display_name: r.display_name,
        email: r.email,
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
    g: &GrantRequest<'_>,
) -> AppResult<()> {
    let role =
        Role::parse(g.role).ok_or_else(|| AppError::field("role", Text::FieldRoleInvalid))?;
    if g.account_id == by.account_id {
        return Err(AppError::field("role", Text::FieldRoleSelf));
    }
    if role.is_staff() && !by.has(Role::BodyAdmin) {
        return Err(AppError::field("role", Text::FieldRoleNotAllowed));
    }
    let mut tx = state.db.begin().await?;
    // An unknown account is not found.
    store::account_id(&mut tx, g.account_id).await?;
    let scope = match role {
        Role::CompanyAdmin => {
            // A company admin is a person: the form may name them by personnummer too.
            if !g.pnr.trim().is_empty() {
                let today = state.clock.today();
                let pnr = Pnr::parse(g.pnr, today).map_err(|t| AppError::field("pnr", t))?;
                link_person(&mut tx, g.account_id, &pnr).await?;
            }
            let orgnr = Orgnr::parse(g.orgnr).map_err(|t| AppError::field("orgnr", t))?;
            let id = store::company_by_orgnr(&mut tx, orgnr.as_str()).await?;
            id.ok_or_else(|| AppError::field("orgnr", Text::FieldCompanyUnknown))?
        }
        Role::Holder => {
            let today = state.clock.today();
            let pnr = Pnr::parse(g.pnr, today).map_err(|t| AppError::field("pnr", t))?;
            link_person(&mut tx, g.account_id, &pnr).await?;
            String::new()
        }
        Role::ProviderStaff => {
            // A provider's staff work for one provider, named by its organisation number.
            let orgnr = Orgnr::parse(g.orgnr).map_err(|t| AppError::field("orgnr", t))?;
            let id = store::provider_by_orgnr(&mut tx, orgnr.as_str()).await?;
            id.ok_or_else(|| AppError::field("orgnr", Text::FieldProviderUnknown))?
        }
        _ => String::new(),
    };
    grant_scoped(&mut tx, state, actor, g.account_id, role, &scope).await?;
    tx.commit().await?;
    Ok(())
}

async fn link_person(conn: &mut AnyConnection, account_id: &str, pnr: &Pnr) -> AppResult<()> {
    let person = store::person_by_pnr(conn, pnr.as_str())
        .await?
        .ok_or_else(|| AppError::field("pnr", Text::FieldPersonUnknown))?;
    match person.account_id {
        Some(linked) if linked == account_id => return Ok(()),
        Some(_) => {
            return Err(AppError::field("pnr", Text::FieldPersonHasAccount));
        }
        None => {}
    }
    if store::person_of(conn, account_id).await?.is_some() {
        return Err(AppError::field("pnr", Text::FieldAccountHasPerson));
    }
    store::link_person(conn, &person.id, account_id).await?;
    Ok(())
}

/// Grants `role` for `scope` inside the caller's transaction; holding it already is refused.
/// Nobody grants a role to themselves, and a company admin is always a person (identity is
/// the personnummer), so "their own certificate" is always known.
pub async fn grant_scoped(
    conn: &mut AnyConnection,
    state: &AppState,
    actor: &Actor,
    account_id: &str,
    role: Role,
    scope: &str,
) -> AppResult<()> {
    if actor.account_id.as_deref() == Some(account_id) {
        return Err(AppError::field("role", Text::FieldRoleSelf));
    }
    if role == Role::CompanyAdmin && store::person_of(conn, account_id).await?.is_none() {
        return Err(AppError::field("role", Text::FieldAdminNeedsPerson));
    }
    if store::holds(conn, account_id, role, scope).await? {
        return Err(AppError::field("role", Text::FieldRoleHeld));
    }
    store::insert_role(conn, account_id, role, scope, &to_db(state.clock.now())).await?;
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
        let username = store::username(conn, account_id).await?;
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
    if !store::delete_role(&mut tx, account_id, role, scope).await? {
        return Err(AppError::NotFound);
    }
    if role == Role::Holder {
        store::unlink_person(&mut tx, account_id).await?;
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
        let username = store::username(&mut tx, account_id).await?;
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
    Ok(store::find(&db.pool, &who).await?)
}
