//! The attester links' and BankID signings' SQL, and the reading and moving on of the
//! certificate they attest, and only the SQL: rows are read once into typed structs, statuses
//! converted where they are read.

use super::model::{LinkStatus, OrderStatus};
use crate::certificates::store::{Cert, cert_columns};
use crate::db::Day;
use crate::messages::store::{RECIPIENT_COLUMNS, RecipientRow};
use chrono::NaiveDate;
use sqlx::{AnyConnection, AnyPool};

/// A certificate as invitations and signatures need it: with its scheme and the facts the
/// yearly rules read, and its holder's personnummer, account, own addresses (their contact's
/// and their account's) and whom a notice reaches.
#[derive(Debug, sqlx::FromRow)]
pub struct Certificate {
    #[sqlx(flatten)]
    pub cert: Cert,
    pub pnr: String,
    pub account_id: Option<String>,
    pub person_email: Option<String>,
    pub account_email: Option<String>,
    #[sqlx(flatten)]
    pub holder: RecipientRow,
}

pub async fn certificate(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<Certificate>> {
    sqlx::query_as(&format!(
        "SELECT {}, p.pnr, p.account_id, p.email AS person_email, a.email AS account_email,
                {RECIPIENT_COLUMNS}
         FROM certificates c JOIN schemes s ON s.id = c.scheme_id JOIN people p ON p.id = c.person_id
         LEFT JOIN accounts a ON a.id = p.account_id WHERE c.id = $1",
        cert_columns()
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

/// Moves the certificate on to the extension's end (`to`), if its "Förläng senast" is still the
/// date the rules read (`from`) and it is active or inactive; tells whether it did.
pub async fn extend(
    conn: &mut AnyConnection,
    certificate_id: &str,
    from: NaiveDate,
    to: NaiveDate,
    today: &str,
    test: bool,
    now: &str,
) -> sqlx::Result<bool> {
    let moved = sqlx::query(
        "UPDATE certificates SET extend_by = $1, status = 'active', last_attested_on = $2,
             last_attested_test = $3, updated_at = $4
         WHERE id = $5 AND extend_by = $6 AND status IN ('active', 'inactive')
           AND renewed_by IS NULL",
    )
    .bind(Day::text(to))
    .bind(today)
    .bind(i64::from(test))
    .bind(now)
    .bind(certificate_id)
    .bind(Day::text(from))
    .execute(&mut *conn)
    .await?;
    Ok(moved.rows_affected() == 1)
}

/// A new link: only its token's hash is kept.
pub struct NewLink<'a> {
    pub certificate_id: &'a str,
    pub attester_email: &'a str,
    pub token_hash: &'a str,
    pub created_by: &'a str,
    pub created_at: &'a str,
    pub expires_at: &'a str,
}

/// Writes a new link, pending, under a new id.
pub async fn insert_link(conn: &mut AnyConnection, link: &NewLink<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO attestation_requests (id, certificate_id, attester_email, token_hash, status,
             created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(link.certificate_id)
    .bind(link.attester_email)
    .bind(link.token_hash)
    .bind(link.created_by)
    .bind(link.created_at)
    .bind(link.expires_at)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

/// Closes the certificate's pending link, if any, as `status` (replaced by a new link, or
/// cancelled by the holder), at `now`.
pub async fn close_pending(
    conn: &mut AnyConnection,
    certificate_id: &str,
    status: LinkStatus,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE attestation_requests SET status = $1, closed_at = $2
         WHERE certificate_id = $3 AND status = 'pending'",
    )
    .bind(status.code())
    .bind(now)
    .bind(certificate_id)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

/// Closes a link as used: its signature attested the certificate.
pub async fn mark_used(conn: &mut AnyConnection, id: &str, now: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE attestation_requests SET status = 'used', closed_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// Whom the certificate's pending link went to, whether or not it has expired.
pub async fn pending_email(
    conn: &mut AnyConnection,
    certificate_id: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT attester_email FROM attestation_requests WHERE certificate_id = $1 AND status = 'pending'",
    )
    .bind(certificate_id)
    .fetch_optional(&mut *conn)
    .await
}

/// The ids of the certificate's pending links.
pub async fn pending_links(pool: &AnyPool, certificate_id: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT id FROM attestation_requests WHERE certificate_id = $1 AND status = 'pending'",
    )
    .bind(certificate_id)
    .fetch_all(pool)
    .await
}

/// The certificate a link is for.
pub async fn certificate_of(pool: &AnyPool, request_id: &str) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT certificate_id FROM attestation_requests WHERE id = $1")
        .bind(request_id)
        .fetch_one(pool)
        .await
}

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

/// A signing order as it is started: its start token and QR secret already sealed.
pub struct NewOrder<'a> {
    pub request_id: &'a str,
    pub pnr: &'a str,
    pub name: &'a str,
    pub position: &'a str,
    pub order_ref: &'a str,
    pub auto_start_token: &'a str,
    pub qr_start_token: &'a str,
    pub qr_start_secret: &'a str,
    pub started_at: &'a str,
    pub hint_code: &'a str,
}

/// Writes a new order, pending, under a new id.
pub async fn insert_order(pool: &AnyPool, order: &NewOrder<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO attestation_signings (id, request_id, attester_pnr, attester_name,
             attester_position, order_ref, auto_start_token, qr_start_token, qr_start_secret,
             started_at, status, hint_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(order.request_id)
    .bind(order.pnr)
    .bind(order.name)
    .bind(order.position)
    .bind(order.order_ref)
    .bind(order.auto_start_token)
    .bind(order.qr_start_token)
    .bind(order.qr_start_secret)
    .bind(order.started_at)
    .bind(order.hint_code)
    .execute(pool)
    .await
    .map(|_| ())
}

/// The BankID references of the link's pending orders.
pub async fn pending_orders(pool: &AnyPool, request_id: &str) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT order_ref FROM attestation_signings WHERE request_id = $1 AND status = 'pending'",
    )
    .bind(request_id)
    .fetch_all(pool)
    .await
}

/// Marks a pending order cancelled (BankID cancelled it) and forgets its secrets.
pub async fn cancel_order(pool: &AnyPool, order_ref: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE attestation_signings SET status = 'cancelled', qr_start_secret = '',
             auto_start_token = ''
         WHERE order_ref = $1 AND status = 'pending'",
    )
    .bind(order_ref)
    .execute(pool)
    .await
    .map(|_| ())
}

/// Where an order stands now, and what it did when it is done.
#[derive(Debug, sqlx::FromRow)]
pub struct OrderState {
    #[sqlx(try_from = "String")]
    pub status: OrderStatus,
    pub outcome: Option<String>,
}

pub async fn order_state(pool: &AnyPool, id: &str) -> sqlx::Result<OrderState> {
    sqlx::query_as("SELECT status, outcome FROM attestation_signings WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
}

/// Marks a pending order failed, with BankID's hint, and forgets its secrets.
pub async fn fail_order(pool: &AnyPool, id: &str, hint: &str, now: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE attestation_signings SET status = 'failed', hint_code = $1, collected_at = $2,
             qr_start_secret = '', auto_start_token = '' WHERE id = $3 AND status = 'pending'",
    )
    .bind(hint)
    .bind(now)
    .bind(id)
    .execute(pool)
    .await
    .map(|_| ())
}

/// Keeps BankID's hint for an order still pending, and when it was collected.
pub async fn note_hint(pool: &AnyPool, id: &str, hint: &str, now: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE attestation_signings SET hint_code = $1, collected_at = $2 WHERE id = $3")
        .bind(hint)
        .bind(now)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Stores BankID's signature on a pending order and marks it complete, forgetting its secrets.
/// Only the first of several polls claims it: tells whether this one did.
pub async fn claim_order(
    conn: &mut AnyConnection,
    id: &str,
    data: &bankid::CompletionData,
    test: bool,
    now: &str,
) -> sqlx::Result<bool> {
    let claimed = sqlx::query(
        "UPDATE attestation_signings SET status = 'complete', signer_name = $1, signature = $2,
             ocsp_response = $3, completed_at = $4, collected_at = $4, qr_start_secret = '',
             auto_start_token = '', test_signature = $5
         WHERE id = $6 AND status = 'pending'",
    )
    .bind(&data.user.name)
    .bind(&data.signature)
    .bind(&data.ocsp_response)
    .bind(now)
    .bind(i64::from(test))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(claimed.rows_affected() != 0)
}

/// Records what a completed order did: its final status and the outcome (JSON).
pub async fn set_outcome(
    conn: &mut AnyConnection,
    id: &str,
    status: OrderStatus,
    outcome: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE attestation_signings SET status = $1, outcome = $2 WHERE id = $3")
        .bind(status.code())
        .bind(outcome)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}
