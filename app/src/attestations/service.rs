//! The invitation (an emailed link: random 256-bit token, only its SHA-256 stored, valid 30
//! days, used once), and the attester's BankID signature that extends the certificate.

use super::model::{Closed, LINK_DAYS, Link, PendingRequest, SignView, Signing, Target};
use crate::auth::model::CurrentUser;
use crate::auth::session::{new_token, token_hash};
use crate::certificates::model::{HolderCertificate, Status};
use crate::certificates::service::{blocked, cert_subject, extended, holder_row, today};
use crate::clock::{from_db, to_db};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::service::{self as events, Actor};
use crate::i18n::{Locale, Text};
use crate::state::AppState;
use crate::types::Pnr;
use crate::validate::{Kind, Spec, check};
use sqlx::Row;

const EMAIL: Spec = Spec::text("email", Text::ExtendEmail, 254)
    .of(Kind::Email)
    .required();
const NAME: Spec = Spec::text("name", Text::AttestName, 200).required();
const POSITION: Spec = Spec::text("position", Text::AttestPosition, 200).required();

/// Collect is called at most this often per order, however often the page asks.
const COLLECT_EVERY_MS: i64 = 1_500;

/// A certificate with its holder, as invitations and signatures need it.
struct Cert {
    cert: HolderCertificate,
    person: String,
    pnr: String,
    account_id: Option<String>,
    emails: Vec<String>,
}

async fn cert(conn: &mut sqlx::AnyConnection, id: &str) -> AppResult<Cert> {
    let r = sqlx::query(
        "SELECT c.id, c.number, s.technical_area, s.name AS scheme, c.status, c.extend_by,
                c.valid_until, p.first_name, p.middle_name, p.last_name, p.pnr, p.account_id,
                p.email AS person_email, a.email AS account_email
         FROM certificates c JOIN schemes s ON s.id = c.scheme_id JOIN people p ON p.id = c.person_id
         LEFT JOIN accounts a ON a.id = p.account_id WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let person = crate::db::person_name(&r)?;
    let emails = [
        r.try_get::<Option<String>, _>("account_email")?,
        r.try_get("person_email")?,
    ]
    .into_iter()
    .flatten()
    .filter(|e| !e.is_empty())
    .collect();
    Ok(Cert {
        cert: holder_row(&r)?,
        person,
        pnr: r.try_get("pnr")?,
        account_id: r.try_get("account_id")?,
        emails,
    })
}

impl Cert {
    fn target(&self) -> Target {
        Target {
            technical_area: self.cert.technical_area.clone(),
            scheme: self.cert.scheme.clone(),
            number: self.cert.number.clone(),
            person: self.person.clone(),
        }
    }
}

/// The holder's own certificate, or Forbidden.
async fn own_cert(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<Cert> {
    let mut conn = state.db.pool.acquire().await?;
    let c = cert(&mut conn, id).await?;
    if c.account_id.as_deref() != Some(user.account_id.as_str()) {
        return Err(AppError::Forbidden);
    }
    Ok(c)
}

/// Whether the holder may ask for an extension of the certificate now.
pub fn can_extend(status: Status, extend_by: Option<&str>) -> bool {
    blocked(status, extend_by, false).is_none()
}

/// "Utför årlig förlängning" → "Spara": emails the attester a new link. A request still
/// waiting is replaced (its link stops working).
pub async fn invite(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    locale: Locale,
    certificate_id: &str,
    email: &str,
) -> AppResult<()> {
    let c = own_cert(state, user, certificate_id).await?;
    if let Some(reason) = blocked(c.cert.status, c.cert.extend_by.as_deref(), false) {
        return Err(AppError::field("email", locale.text(reason.text())));
    }
    let email = check(locale, &EMAIL, email).map_err(|m| AppError::field("email", m))?;
    if c.emails.iter().any(|e| e.eq_ignore_ascii_case(&email)) {
        return Err(AppError::field("email", locale.text(Text::ExtendOwnEmail)));
    }
    send(state, actor, &c, &email).await
}

async fn send(state: &AppState, actor: &Actor, c: &Cert, email: &str) -> AppResult<()> {
    let now = state.clock.now();
    let token = new_token();
    let account = actor
        .account_id
        .clone()
        .ok_or_else(|| AppError::internal("an invitation needs an account"))?;
    let mut tx = state.db.pool.begin().await?;
    sqlx::query(
        "UPDATE attestation_requests SET status = 'replaced', closed_at = $1
         WHERE certificate_id = $2 AND status = 'pending'",
    )
    .bind(to_db(now))
    .bind(&c.cert.id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO attestation_requests (id, certificate_id, attester_email, token_hash, status,
             created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&c.cert.id)
    .bind(email)
    .bind(token_hash(&token))
    .bind(&account)
    .bind(to_db(now))
    .bind(to_db(now + chrono::Duration::days(LINK_DAYS)))
    .execute(&mut *tx)
    .await?;
    let link = format!("{}/attest/{token}", state.config.base_url);
    let mail = crate::mail::templates::attestation_request(
        email,
        Locale::Sv,
        &c.person,
        &format!("{} - {}", c.cert.technical_area, c.cert.scheme),
        &c.cert.number,
        &link,
    );
    crate::mail::service::enqueue(&mut tx, &state.clock, &mail).await?;
    events::append(
        &mut tx,
        &state.clock,
        cert_subject(&c.cert.id),
        actor,
        "certificate.attestation_requested",
        serde_json::json!({ "email": email }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// "Skicka igen": a new link to the same address; the old one stops working.
pub async fn resend(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    locale: Locale,
    certificate_id: &str,
) -> AppResult<()> {
    let c = own_cert(state, user, certificate_id).await?;
    let mut conn = state.db.pool.acquire().await?;
    let email = pending_email(&mut conn, locale, &c.cert.id).await?;
    drop(conn);
    if let Some(reason) = blocked(c.cert.status, c.cert.extend_by.as_deref(), false) {
        return Err(AppError::field("email", locale.text(reason.text())));
    }
    send(state, actor, &c, &email).await
}

/// Whom the certificate's waiting request went to; a field message when none waits.
async fn pending_email(
    conn: &mut sqlx::AnyConnection,
    locale: Locale,
    certificate_id: &str,
) -> AppResult<String> {
    let email: Option<String> = sqlx::query_scalar(
        "SELECT attester_email FROM attestation_requests WHERE certificate_id = $1 AND status = 'pending'",
    )
    .bind(certificate_id)
    .fetch_optional(&mut *conn)
    .await?;
    email.ok_or_else(|| AppError::field("email", locale.text(Text::ExtendNonePending)))
}

/// "Avbryt förfrågan": the link stops working.
pub async fn cancel(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    locale: Locale,
    certificate_id: &str,
) -> AppResult<()> {
    let c = own_cert(state, user, certificate_id).await?;
    let mut tx = state.db.pool.begin().await?;
    let email = pending_email(&mut tx, locale, &c.cert.id).await?;
    sqlx::query(
        "UPDATE attestation_requests SET status = 'cancelled', closed_at = $1
         WHERE certificate_id = $2 AND status = 'pending'",
    )
    .bind(to_db(state.clock.now()))
    .bind(&c.cert.id)
    .execute(&mut *tx)
    .await?;
    events::append(
        &mut tx,
        &state.clock,
        cert_subject(&c.cert.id),
        actor,
        "certificate.attestation_cancelled",
        serde_json::json!({ "email": email }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The request waiting for its attester, if any and not expired.
pub async fn pending(state: &AppState, certificate_id: &str) -> AppResult<Option<PendingRequest>> {
    let r = sqlx::query(
        "SELECT attester_email, created_at, expires_at FROM attestation_requests
         WHERE certificate_id = $1 AND status = 'pending' AND expires_at > $2",
    )
    .bind(certificate_id)
    .bind(to_db(state.clock.now()))
    .fetch_optional(&state.db.pool)
    .await?;
    r.map(|r| {
        Ok(PendingRequest {
            email: r.try_get("attester_email")?,
            sent_at: crate::ui::format::short_time(&r.try_get::<String, _>("created_at")?),
            expires_at: crate::ui::format::short_time(&r.try_get::<String, _>("expires_at")?),
        })
    })
    .transpose()
}

struct Request {
    id: String,
    certificate_id: String,
}

/// The link's request, or why it cannot be used.
async fn request(state: &AppState, token: &str) -> AppResult<Result<Request, Closed>> {
    let r = sqlx::query(
        "SELECT id, certificate_id, status, expires_at FROM attestation_requests WHERE token_hash = $1",
    )
    .bind(token_hash(token.trim()))
    .fetch_optional(&state.db.pool)
    .await?;
    let Some(r) = r else {
        return Ok(Err(Closed::Unknown));
    };
    let status: String = r.try_get("status")?;
    let expires: String = r.try_get("expires_at")?;
    let closed = match status.as_str() {
        "used" => Some(Closed::Used),
        "cancelled" => Some(Closed::Cancelled),
        "replaced" => Some(Closed::Replaced),
        _ if expires <= to_db(state.clock.now()) => Some(Closed::Expired),
        _ => None,
    };
    Ok(match closed {
        Some(c) => Err(c),
        None => Ok(Request {
            id: r.try_get("id")?,
            certificate_id: r.try_get("certificate_id")?,
        }),
    })
}

/// The attester's page: what the link attests, or why it is closed.
pub async fn link(state: &AppState, token: &str) -> AppResult<Link> {
    Ok(match request(state, token).await? {
        Ok(r) => {
            let mut conn = state.db.pool.acquire().await?;
            Link::Open(cert(&mut conn, &r.certificate_id).await?.target())
        }
        Err(closed) => Link::Closed(closed),
    })
}

/// The attester's details → "Spara": checks them and starts a BankID signature order that only
/// the attester's personnummer can sign. Any order of the link still pending is cancelled.
pub async fn start(
    state: &AppState,
    locale: Locale,
    token: &str,
    pnr: &str,
    name: &str,
    position: &str,
    end_user_ip: &str,
) -> AppResult<()> {
    let r = request(state, token)
        .await?
        .map_err(|closed| AppError::field("pnr", locale.text(closed.text())))?;
    let c = {
        let mut conn = state.db.pool.acquire().await?;
        cert(&mut conn, &r.certificate_id).await?
    };
    let mut errors = Vec::new();
    let pnr = match Pnr::parse(pnr) {
        Ok(p) if p.as_str() == c.pnr => {
            errors.push(FieldError::new("pnr", locale.text(Text::AttestOwnPnr)));
            None
        }
        Ok(p) => Some(p),
        Err(t) => {
            errors.push(FieldError::new("pnr", locale.text(t)));
            None
        }
    };
    let mut clean = |spec: &Spec, v: &str| {
        check(locale, spec, v)
            .map_err(|m| errors.push(FieldError::new(spec.name, m)))
            .ok()
    };
    let (name, position) = (clean(&NAME, name), clean(&POSITION, position));
    let (Some(pnr), Some(name), Some(position)) = (pnr, name, position) else {
        return Err(AppError::Validation(errors));
    };
    let bankid = state
        .bankid
        .as_ref()
        .ok_or_else(|| AppError::field("pnr", locale.text(Text::SignUnavailable)))?;
    cancel_pending_orders(state, bankid, &r.id).await?;

    let text = locale.format(
        Text::SignVisibleData,
        &[
            ("name", &name),
            ("position", &position),
            ("person", &c.person),
            ("area", &c.cert.technical_area),
            ("scheme", &c.cert.scheme),
            ("number", &c.cert.number),
        ],
    );
    let mut order = bankid::SignRequest::new(end_user_ip, &text, pnr.as_str());
    order.user_non_visible_data = Some(bankid::b64(
        format!(
            "certportal attestation {} certificate {}",
            r.id, c.cert.number
        )
        .as_bytes(),
    ));
    order.return_url = Some(format!(
        "{}/attest/{}/sign",
        state.config.base_url,
        token.trim()
    ));
    let started = match bankid.client.sign(&order).await {
        Ok(o) => o,
        Err(e) => {
            tracing::warn!(error = %e, "BankID sign");
            let m = bankid::message_for_error(e.code());
            return Err(AppError::field("pnr", locale.pick(m.sv, m.en)));
        }
    };
    sqlx::query(
        "INSERT INTO attestation_signings (id, request_id, attester_pnr, attester_name,
             attester_position, order_ref, auto_start_token, qr_start_token, qr_start_secret,
             started_at, status, hint_code)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&r.id)
    .bind(pnr.as_str())
    .bind(&name)
    .bind(&position)
    .bind(&started.order_ref)
    .bind(&started.auto_start_token)
    .bind(&started.qr_start_token)
    .bind(&started.qr_start_secret)
    .bind(to_db(state.clock.now()))
    .bind(bankid::hint::OUTSTANDING_TRANSACTION)
    .execute(&state.db.pool)
    .await?;
    Ok(())
}

async fn cancel_pending_orders(
    state: &AppState,
    bankid: &super::BankId,
    request_id: &str,
) -> AppResult<()> {
    let orders: Vec<String> = sqlx::query_scalar(
        "SELECT order_ref FROM attestation_signings WHERE request_id = $1 AND status = 'pending'",
    )
    .bind(request_id)
    .fetch_all(&state.db.pool)
    .await?;
    for order in orders {
        // An order BankID already ended cannot be cancelled; that is fine.
        let _ = bankid.client.cancel(&order).await;
        sqlx::query(
            "UPDATE attestation_signings SET status = 'cancelled', qr_start_secret = ''
             WHERE order_ref = $1 AND status = 'pending'",
        )
        .bind(&order)
        .execute(&state.db.pool)
        .await?;
    }
    Ok(())
}

/// "Avbryt" while signing: the order is cancelled at BankID, and the form is back.
pub async fn cancel_signing(state: &AppState, token: &str) -> AppResult<()> {
    if let (Ok(r), Some(bankid)) = (request(state, token).await?, state.bankid.as_ref()) {
        cancel_pending_orders(state, bankid, &r.id).await?;
    }
    Ok(())
}

struct Order {
    id: String,
    request_id: String,
    order_ref: String,
    status: String,
    hint_code: Option<String>,
    collected_at: Option<String>,
    started_at: String,
    auto_start_token: String,
    qr_start_token: String,
    qr_start_secret: String,
    pnr: String,
    name: String,
    position: String,
}

async fn latest_order(state: &AppState, token: &str) -> AppResult<Option<Order>> {
    let r = sqlx::query(
        "SELECT s.id, s.request_id, s.order_ref, s.status, s.hint_code, s.collected_at,
                s.started_at, s.auto_start_token, s.qr_start_token, s.qr_start_secret,
                s.attester_pnr, s.attester_name, s.attester_position
         FROM attestation_signings s JOIN attestation_requests r ON r.id = s.request_id
         WHERE r.token_hash = $1 ORDER BY s.started_at DESC, s.id DESC LIMIT 1",
    )
    .bind(token_hash(token.trim()))
    .fetch_optional(&state.db.pool)
    .await?;
    r.map(|r| {
        Ok(Order {
            id: r.try_get("id")?,
            request_id: r.try_get("request_id")?,
            order_ref: r.try_get("order_ref")?,
            status: r.try_get("status")?,
            hint_code: r.try_get("hint_code")?,
            collected_at: r.try_get("collected_at")?,
            started_at: r.try_get("started_at")?,
            auto_start_token: r.try_get("auto_start_token")?,
            qr_start_token: r.try_get("qr_start_token")?,
            qr_start_secret: r.try_get("qr_start_secret")?,
            pnr: r.try_get("attester_pnr")?,
            name: r.try_get("attester_name")?,
            position: r.try_get("attester_position")?,
        })
    })
    .transpose()
}

/// The signing page: collects the order (at most every 1.5 s, however often it is asked),
/// completes the attestation when BankID says complete, and draws this second's QR code.
pub async fn status(
    state: &AppState,
    locale: Locale,
    token: &str,
) -> AppResult<Result<SignView, Closed>> {
    let mut order = latest_order(state, token).await?;
    let open = request(state, token).await?;
    let certificate_id = match (&open, &order) {
        (Ok(r), _) => r.certificate_id.clone(),
        // A used link still shows its completed signature.
        (Err(Closed::Used), Some(o)) if o.status == "complete" => {
            sqlx::query_scalar("SELECT certificate_id FROM attestation_requests WHERE id = $1")
                .bind(&o.request_id)
                .fetch_one(&state.db.pool)
                .await?
        }
        (Err(closed), _) => return Ok(Err(*closed)),
    };
    if let Some(o) = order.as_mut().filter(|o| o.status == "pending") {
        collect(state, o).await?;
    }
    let c = {
        let mut conn = state.db.pool.acquire().await?;
        cert(&mut conn, &certificate_id).await?
    };
    let message = |hint: &str, failed: bool| {
        let m = if failed {
            bankid::message_for_failure(hint)
        } else {
            bankid::message_for_hint(hint, false)
        };
        locale.pick(m.sv, m.en).to_owned()
    };
    let signing = match order {
        None => Signing::None,
        Some(o) => match o.status.as_str() {
            "complete" => Signing::Complete {
                extend_by: c.cert.extend_by.clone().unwrap_or_default(),
            },
            "failed" => Signing::Failed {
                message: message(o.hint_code.as_deref().unwrap_or_default(), true),
            },
            "pending" => {
                let app_url = state
                    .bankid
                    .as_ref()
                    .map(|b| b.app_url.as_str())
                    .unwrap_or_default();
                let elapsed = from_db(&o.started_at)
                    .map(|t| (state.clock.now() - t).num_seconds().max(0) as u64)
                    .unwrap_or_default();
                let qr_content = bankid::qr_content(&o.qr_start_token, &o.qr_start_secret, elapsed);
                Signing::Pending {
                    message: message(o.hint_code.as_deref().unwrap_or_default(), false),
                    qr_svg: qr_svg(&qr_content)?,
                    qr_content,
                    app_link: bankid::autostart_link(app_url, &o.auto_start_token),
                }
            }
            _ => Signing::None,
        },
    };
    Ok(Ok(SignView {
        target: c.target(),
        signing,
    }))
}

fn qr_svg(content: &str) -> AppResult<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::new(content.as_bytes()).map_err(AppError::internal)?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    Ok(format!(
        "data:image/svg+xml;base64,{}",
        bankid::b64(image.as_bytes())
    ))
}

async fn collect(state: &AppState, o: &mut Order) -> AppResult<()> {
    let now = state.clock.now();
    let recent = o
        .collected_at
        .as_deref()
        .and_then(from_db)
        .is_some_and(|t| (now - t).num_milliseconds() < COLLECT_EVERY_MS);
    let Some(bankid) = state.bankid.as_ref() else {
        return Ok(());
    };
    if recent {
        return Ok(());
    }
    let answer = match bankid.client.collect(&o.order_ref).await {
        Ok(a) => a,
        // BankID no longer knows the order (cancelled elsewhere, or long gone).
        Err(bankid::client::Error::Api { code, .. })
            if code == bankid::error_code::INVALID_PARAMETERS
                || code == bankid::error_code::NOT_FOUND =>
        {
            bankid::CollectResponse {
                order_ref: o.order_ref.clone(),
                status: bankid::Status::Failed,
                hint_code: Some(bankid::hint::CANCELLED.to_owned()),
                completion_data: None,
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "BankID collect");
            return Ok(());
        }
    };
    match (answer.status, answer.completion_data) {
        (bankid::Status::Complete, Some(data)) => {
            complete(state, o, &data).await?;
            o.status = "complete".into();
        }
        (bankid::Status::Failed, _) | (bankid::Status::Complete, None) => {
            let hint = answer.hint_code.unwrap_or_default();
            sqlx::query(
                "UPDATE attestation_signings SET status = 'failed', hint_code = $1, collected_at = $2,
                     qr_start_secret = '' WHERE id = $3 AND status = 'pending'",
            )
            .bind(&hint)
            .bind(to_db(now))
            .bind(&o.id)
            .execute(&state.db.pool)
            .await?;
            o.status = "failed".into();
            o.hint_code = Some(hint);
        }
        (bankid::Status::Pending, _) => {
            let hint = answer.hint_code.unwrap_or_default();
            sqlx::query(
                "UPDATE attestation_signings SET hint_code = $1, collected_at = $2 WHERE id = $3",
            )
            .bind(&hint)
            .bind(to_db(now))
            .bind(&o.id)
            .execute(&state.db.pool)
            .await?;
            o.hint_code = Some(hint);
        }
    }
    Ok(())
}

/// BankID says complete: in one transaction the signature is stored, the link used, the
/// certificate extended, the event written and the holder emailed.
async fn complete(state: &AppState, o: &Order, data: &bankid::CompletionData) -> AppResult<()> {
    let clock = &state.clock;
    let now = to_db(clock.now());
    let mut tx = state.db.pool.begin().await?;
    if data.user.personal_number != o.pnr {
        // BankID enforces the requirement; should it ever not, nothing is attested.
        sqlx::query(
            "UPDATE attestation_signings SET status = 'failed', hint_code = 'certificateErr' WHERE id = $1",
        )
        .bind(&o.id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        return Ok(());
    }
    let signed = sqlx::query(
        "UPDATE attestation_signings SET status = 'complete', signer_name = $1, signature = $2,
             ocsp_response = $3, completed_at = $4, collected_at = $4, qr_start_secret = ''
         WHERE id = $5 AND status = 'pending'",
    )
    .bind(&data.user.name)
    .bind(&data.signature)
    .bind(&data.ocsp_response)
    .bind(&now)
    .bind(&o.id)
    .execute(&mut *tx)
    .await?;
    let used = sqlx::query(
        "UPDATE attestation_requests SET status = 'used', closed_at = $1 WHERE id = $2 AND status = 'pending'",
    )
    .bind(&now)
    .bind(&o.request_id)
    .execute(&mut *tx)
    .await?;
    if signed.rows_affected() == 0 || used.rows_affected() == 0 {
        // Another request completed it, or the holder cancelled the link meanwhile.
        return Ok(());
    }
    let certificate_id: String =
        sqlx::query_scalar("SELECT certificate_id FROM attestation_requests WHERE id = $1")
            .bind(&o.request_id)
            .fetch_one(&mut *tx)
            .await?;
    let c = cert(&mut tx, &certificate_id).await?;
    let today = today(clock);
    let mut extend_by = c.cert.extend_by.clone().unwrap_or_default();
    if blocked(c.cert.status, c.cert.extend_by.as_deref(), false).is_none()
        && let Some((next, status)) = extended(&extend_by, &c.cert.valid_until, &today)
    {
        sqlx::query(
            "UPDATE certificates SET extend_by = $1, status = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(&next)
        .bind(status.code())
        .bind(&now)
        .bind(&c.cert.id)
        .execute(&mut *tx)
        .await?;
        extend_by = next;
    }
    let actor = Actor {
        account_id: None,
        label: format!("{} ({})", o.name, o.position),
        ip: Some(data.device.ip_address.clone()),
    };
    events::append(
        &mut tx,
        clock,
        cert_subject(&c.cert.id),
        &actor,
        "certificate.attested_bankid",
        serde_json::json!({
            "attester": o.name,
            "position": o.position,
            "signed_by": data.user.name,
            "bankid_order": o.order_ref,
            "from": c.cert.extend_by,
            "to": extend_by,
        }),
    )
    .await?;
    if let Some(to) = c.emails.first() {
        let mail = crate::mail::templates::attestation_done(
            to,
            Locale::Sv,
            &format!("{} - {}", c.cert.technical_area, c.cert.scheme),
            &c.cert.number,
            &o.name,
            &o.position,
            &extend_by,
            &format!("{}/certificates/{}", state.config.base_url, c.cert.id),
        );
        crate::mail::service::enqueue(&mut tx, clock, &mail).await?;
    }
    tx.commit().await?;
    Ok(())
}
