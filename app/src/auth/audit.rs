//! Security events: failed and locked sign-ins, resets asked for, refused requests (401, 403,
//! cross-site), rate limits met, role changes. Each is a structured log line (target
//! `certportal::security`, for a log collector) and a row staff read at `/staff/security`.
//! Recording never fails the request it describes.

use super::store;
use crate::clock::{Clock, to_db};
use crate::db::Db;
use std::net::IpAddr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    LoginFailed,
    LoginLocked,
    ResetRequested,
    RateLimited,
    Unauthorized,
    Forbidden,
    CrossSite,
    RoleGranted,
    RoleRevoked,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::LoginFailed,
        Kind::LoginLocked,
        Kind::ResetRequested,
        Kind::RateLimited,
        Kind::Unauthorized,
        Kind::Forbidden,
        Kind::CrossSite,
        Kind::RoleGranted,
        Kind::RoleRevoked,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::LoginFailed => "login_failed",
            Kind::LoginLocked => "login_locked",
            Kind::ResetRequested => "reset_requested",
            Kind::RateLimited => "rate_limited",
            Kind::Unauthorized => "unauthorized",
            Kind::Forbidden => "forbidden",
            Kind::CrossSite => "cross_site",
            Kind::RoleGranted => "role_granted",
            Kind::RoleRevoked => "role_revoked",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// What happened, to whom (an account, or the name typed), from where, and a short detail
/// (a path, a role): never a password, a token or a personnummer.
pub struct Record<'a> {
    pub kind: Kind,
    pub account_id: Option<&'a str>,
    pub label: &'a str,
    pub ip: Option<IpAddr>,
    pub detail: &'a str,
}

pub async fn record(db: &Db, clock: &Clock, r: Record<'_>) {
    match db.pool.acquire().await {
        Ok(mut conn) => record_in(&mut conn, clock, r).await,
        Err(err) => tracing::error!(error = %err, "recording a security event"),
    }
}

/// [`record`] on the caller's connection: inside a transaction (a role change's), so that on
/// SQLite it does not wait for the write lock its own transaction holds. Written there, it is
/// kept only if the change commits, which is what happened.
pub async fn record_in(conn: &mut sqlx::AnyConnection, clock: &Clock, r: Record<'_>) {
    // What a request typed (a name, a path) never writes a line of its own into the log.
    let clean = |s: &str, max: usize| -> String {
        s.chars()
            .take(max)
            .map(|c| if c.is_control() { '\u{fffd}' } else { c })
            .collect()
    };
    let (label, detail) = (clean(r.label, 100), clean(r.detail, 300));
    let ip = r.ip.map(|ip| ip.to_string());
    tracing::warn!(
        target: "certportal::security",
        kind = r.kind.code(),
        account = r.account_id.unwrap_or("-"),
        label = %label,
        ip = ip.as_deref().unwrap_or("-"),
        detail = %detail,
        "security event"
    );
    let event = store::NewEvent {
        id: &uuid::Uuid::now_v7().to_string(),
        at: &to_db(clock.now()),
        kind: r.kind.code(),
        account_id: r.account_id,
        label: &label,
        ip: ip.as_deref(),
        detail: &detail,
    };
    let written = store::insert_event(conn, &event).await;
    if let Err(err) = written {
        tracing::error!(error = %err, "recording a security event");
    }
}

/// Security events are kept a year.
pub async fn purge(db: &Db, clock: &Clock) -> sqlx::Result<u64> {
    store::purge_events(&db.pool, &to_db(clock.now() - chrono::Duration::days(365))).await
}

/// One page of security events, newest first, optionally of one kind.
pub async fn list(
    db: &Db,
    kind: Option<Kind>,
    page: u32,
    size: u32,
) -> sqlx::Result<(Vec<super::model::SecurityEvent>, bool)> {
    let page = page.max(1);
    let rows = store::events(
        &db.pool,
        kind.map(Kind::code).unwrap_or(""),
        i64::from(size) + 1,
        crate::types::offset(page, size),
    )
    .await?;
    let has_next = rows.len() > size as usize;
    let items = rows
        .into_iter()
        .take(size as usize)
        .map(|r| super::model::SecurityEvent {
            at: r.at,
            kind: r.kind,
            account_id: r.account_id,
            label: r.label,
            ip: r.ip,
            detail: r.detail,
        })
        .collect();
    Ok((items, has_next))
}
