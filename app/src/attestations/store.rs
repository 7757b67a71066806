//! The attester links' and BankID signings' SQL, and only the SQL: rows are read once into
//! typed structs, statuses converted where they are read.

use super::model::{LinkStatus, OrderStatus};
use sqlx::{AnyConnection, AnyPool};

/// An attester's link, found by its token's hash.
#[derive(Debug, sqlx::FromRow)]
pub struct Link {
    pub id: String,
    pub certificate_id: String,
    #[sqlx(try_from = "String")]
    pub status: LinkStatus,
    pub expires_at: String,
}

pub async fn link(pool: &AnyPool, token_hash: &str) -> sqlx::Result<Option<Link>> {
    sqlx::query_as(
        "SELECT id, certificate_id, status, expires_at FROM attestation_requests WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await
}

/// An attester's link by its id, inside a transaction.
pub async fn link_by_id(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Link> {
    sqlx::query_as(
        "SELECT id, certificate_id, status, expires_at FROM attestation_requests WHERE id = $1",
    )
    .bind(id)
    .fetch_one(conn)
    .await
}

/// The link of a certificate still waiting for its attester at `now`.
#[derive(Debug, sqlx::FromRow)]
pub struct Waiting {
    pub attester_email: String,
    pub created_at: String,
    pub expires_at: String,
}

pub async fn waiting(
    pool: &AnyPool,
    certificate_id: &str,
    now: &str,
) -> sqlx::Result<Option<Waiting>> {
    sqlx::query_as(
        "SELECT attester_email, created_at, expires_at FROM attestation_requests
         WHERE certificate_id = $1 AND status = 'pending' AND expires_at > $2",
    )
    .bind(certificate_id)
    .bind(now)
    .fetch_optional(pool)
    .await
}

/// A BankID signing order. Its start token and QR secret are stored sealed (`keys.seal`); the
/// service opens them.
#[derive(Debug, sqlx::FromRow)]
pub struct Order {
    pub id: String,
    pub request_id: String,
    pub order_ref: String,
    #[sqlx(try_from = "String")]
    pub status: OrderStatus,
    pub hint_code: Option<String>,
    pub collected_at: Option<String>,
    pub started_at: String,
    pub auto_start_token: String,
    pub qr_start_token: String,
    pub qr_start_secret: String,
    #[sqlx(rename = "attester_pnr")]
    pub pnr: String,
    #[sqlx(rename = "attester_name")]
    pub name: String,
    #[sqlx(rename = "attester_position")]
    pub position: String,
    pub outcome: Option<String>,
}

/// The newest signing order started through the link whose token hashes to `token_hash`.
pub async fn latest_order(pool: &AnyPool, token_hash: &str) -> sqlx::Result<Option<Order>> {
    sqlx::query_as(
        "SELECT s.id, s.request_id, s.order_ref, s.status, s.hint_code, s.collected_at,
                s.started_at, s.auto_start_token, s.qr_start_token, s.qr_start_secret,
                s.attester_pnr, s.attester_name, s.attester_position, s.outcome
         FROM attestation_signings s JOIN attestation_requests r ON r.id = s.request_id
         WHERE r.token_hash = $1 ORDER BY s.started_at DESC, s.id DESC LIMIT 1",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await
}
