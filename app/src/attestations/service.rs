//! The invitation (an emailed link: random 256-bit token, only its SHA-256 stored, valid 30
//! days, used once), and the attester's BankID signature that extends the certificate.

use super::model::{
    Closed, LINK_DAYS, Link, LinkStatus, OrderStatus, PendingRequest, SignOutcome, SignView,
    Signing, Target,
};
use super::store::Order;
use crate::auth::model::CurrentUser;
use crate::auth::service::{Origin, rate_limited};
use crate::auth::session::{new_token, token_hash};
use crate::certificates::model::{Extension, HolderCertificate};
use crate::certificates::rules::{Blocked, Yearly};
use crate::certificates::service::{holder_columns, holder_row, scheme_names, today, yearly_of};
use crate::clock::{from_db, to_db};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::service::{self as events, Actor, Subject};
use crate::i18n::{Locale, Text};
use crate::messages::model::{Line, Named, Notice};
use crate::messages::service::{RECIPIENT_COLUMNS, Recipient, recipient_of};
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
    area: Named,
    scheme: Named,
    yearly: Yearly,
    person: String,
    pnr: String,
    account_id: Option<String>,
    /// The holder's own addresses (their contact's and their account's).
    emails: Vec<String>,
    holder: Recipient,
}

async fn cert(conn: &mut sqlx::AnyConnection, locale: Locale, id: &str) -> AppResult<Cert> {
    let r = sqlx::query(&format!(
        "SELECT {}, p.pnr, p.account_id, p.email AS person_email, a.email AS account_email,
                {RECIPIENT_COLUMNS}
         FROM certificates c JOIN schemes s ON s.id = c.scheme_id JOIN people p ON p.id = c.person_id
         LEFT JOIN accounts a ON a.id = p.account_id WHERE c.id = $1",
        holder_columns()
    ))
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
    let (area, scheme) = scheme_names(&r)?;
    Ok(Cert {
        cert: holder_row(&r, locale)?,
        area,
        scheme,
        yearly: yearly_of(&r)?,
        person,
        pnr: r.try_get("pnr")?,
        account_id: r.try_get("account_id")?,
        emails,
        holder: recipient_of(&r)?,
    })
}

impl Cert {
    fn target(&self, locale: Locale, today: chrono::NaiveDate) -> Target {
        Target {
            technical_area: self.cert.technical_area.clone(),
            scheme: self.cert.scheme.clone(),
            number: self.cert.number.clone(),
            person: self.person.clone(),
            not_now: self
                .yearly
                .extension(today, false)
                .err()
                .map(|b| b.message(locale)),
        }
    }

    /// "F-Gaser - Personcertifikat f-gas kat I", in `locale`.
    fn title(&self, locale: Locale) -> String {
        format!("{} - {}", self.area.get(locale), self.scheme.get(locale))
    }
}

/// The holder's own certificate, or Forbidden.
async fn own_cert(
    state: &AppState,
    user: &CurrentUser,
    locale: Locale,
    id: &str,
) -> AppResult<Cert> {
    let mut conn = state.db.pool.acquire().await?;
    let c = cert(&mut conn, locale, id).await?;
    if c.account_id.as_deref() != Some(user.account_id.as_str()) {
        return Err(AppError::Forbidden);
    }
    Ok(c)
}

/// Invitations are limited: 10 an hour per account and 30 per address, so a link cannot be
/// used to send a stranger a flood of email.
async fn invitation_allowed(
    state: &AppState,
    user: &CurrentUser,
    locale: Locale,
    origin: &Origin,
) -> AppResult<()> {
    let now = state.clock.now();
    let hour = chrono::Duration::hours(1);
    let mut limits = vec![(format!("invite:account:{}", user.account_id), 10)];
    if let Some(ip) = origin.ip {
        limits.push((format!("invite:ip:{}", crate::config::throttle_key(ip)), 30));
    }
    for (key, max) in limits {
        if let Some(wait) = crate::auth::throttle::hit(&state.db, &key, max, hour, now).await? {
            let r = crate::auth::audit::Record {
                kind: crate::auth::audit::Kind::RateLimited,
                account_id: Some(&user.account_id),
                label: &user.username,
                ip: origin.ip,
                detail: "attester invitations",
            };
            crate::auth::audit::record(&state.db, &state.clock, r).await;
            return Err(rate_limited("email", locale, wait));
        }
    }
    Ok(())
}

/// "Utför årlig förlängning" → "Spara": emails the attester a new link. A request still
/// waiting is replaced (its link stops working).
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn invite(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    locale: Locale,
    origin: &Origin,
    certificate_id: &str,
    email: &str,
) -> AppResult<()> {
    let c = own_cert(state, user, locale, certificate_id).await?;
    if let Err(reason) = c.yearly.extension(state.clock.today(), false) {
        return Err(AppError::field("email", reason.message(locale)));
    }
    let email = check(locale, &EMAIL, email).map_err(|m| AppError::field("email", m))?;
    if c.emails.iter().any(|e| e.eq_ignore_ascii_case(&email)) {
        return Err(AppError::field("email", locale.text(Text::ExtendOwnEmail)));
    }
    invitation_allowed(state, user, locale, origin).await?;
    send(state, actor, locale, &c, &email).await
}

async fn send(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    c: &Cert,
    email: &str,
) -> AppResult<()> {
    let now = state.clock.now();
    let token = new_token();
    let account = actor
        .account_id
        .clone()
        .ok_or_else(|| AppError::internal("an invitation needs an account"))?;
    let mut tx = state.db.begin().await?;
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
    // The attester reads it in the language the holder wrote the invitation in.
    let request = crate::mail::templates::AttestationRequest {
        person: &c.person,
        scheme: &c.title(locale),
        number: &c.cert.number,
        link: &link,
    };
    let mail = crate::mail::templates::attestation_request(&state.config, email, locale, &request);
    crate::mail::service::enqueue(&mut tx, &state.clock, &state.config.keys, &mail).await?;
    events::append(
        &mut tx,
        &state.clock,
        Subject::certificate(&c.cert.id),
        actor,
        "certificate.attestation_requested",
        serde_json::json!({ "email": email }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// "Skicka igen": a new link to the same address; the old one stops working.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn resend(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    locale: Locale,
    origin: &Origin,
    certificate_id: &str,
) -> AppResult<()> {
    let c = own_cert(state, user, locale, certificate_id).await?;
    let mut conn = state.db.pool.acquire().await?;
    let email = pending_email(&mut conn, locale, &c.cert.id).await?;
    drop(conn);
    if let Err(reason) = c.yearly.extension(state.clock.today(), false) {
        return Err(AppError::field("email", reason.message(locale)));
    }
    invitation_allowed(state, user, locale, origin).await?;
    send(state, actor, locale, &c, &email).await
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
#[tracing::instrument(level = "debug", skip_all)]
pub async fn cancel(
    state: &AppState,
    user: &CurrentUser,
    actor: &Actor,
    locale: Locale,
    certificate_id: &str,
) -> AppResult<()> {
    let c = own_cert(state, user, locale, certificate_id).await?;
    // Orders the attester has open stop at BankID too.
    let open: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM attestation_requests WHERE certificate_id = $1 AND status = 'pending'",
    )
    .bind(&c.cert.id)
    .fetch_all(&state.db.pool)
    .await?;
    if let Some(bankid) = state.bankid.as_ref() {
        for request_id in &open {
            cancel_pending_orders(state, bankid, request_id).await?;
        }
    }
    let mut tx = state.db.begin().await?;
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
        Subject::certificate(&c.cert.id),
        actor,
        "certificate.attestation_cancelled",
        serde_json::json!({ "email": email }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The request waiting for its attester, if any and not expired.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn pending(state: &AppState, certificate_id: &str) -> AppResult<Option<PendingRequest>> {
    let now = to_db(state.clock.now());
    let waiting = super::store::waiting(&state.db.pool, certificate_id, &now).await?;
    Ok(waiting.map(|w| PendingRequest {
        email: w.attester_email,
        sent_at: crate::ui::format::short_time(&w.created_at),
        expires_at: crate::ui::format::short_time(&w.expires_at),
    }))
}

struct Request {
    id: String,
    certificate_id: String,
}

/// The link's request, or why it cannot be used.
async fn request(state: &AppState, token: &str) -> AppResult<Result<Request, Closed>> {
    if token.len() > 100 {
        return Ok(Err(Closed::Unknown));
    }
    let Some(r) = super::store::link(&state.db.pool, &token_hash(token.trim())).await? else {
        return Ok(Err(Closed::Unknown));
    };
    let closed = match r.status {
        LinkStatus::Used => Some(Closed::Used),
        LinkStatus::Cancelled => Some(Closed::Cancelled),
        LinkStatus::Replaced => Some(Closed::Replaced),
        LinkStatus::Pending if r.expires_at <= to_db(state.clock.now()) => Some(Closed::Expired),
        LinkStatus::Pending => None,
    };
    Ok(match closed {
        Some(c) => Err(c),
        None => Ok(Request {
            id: r.id,
            certificate_id: r.certificate_id,
        }),
    })
}

/// The attester's page: what the link attests (and whether it can be attested now), or why
/// the link is closed.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn link(state: &AppState, locale: Locale, token: &str) -> AppResult<Link> {
    Ok(match request(state, token).await? {
        Ok(r) => {
            let mut conn = state.db.pool.acquire().await?;
            let c = cert(&mut conn, locale, &r.certificate_id).await?;
            Link::Open(c.target(locale, state.clock.today()))
        }
        Err(closed) => Link::Closed(closed),
    })
}

/// The attester's details → "Spara": checks them and starts a BankID signature order that only
/// the attester's personnummer can sign. Any order of the link still pending is cancelled. A
/// certificate that can no longer be attested starts nothing.
#[tracing::instrument(level = "debug", skip_all)]
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
        cert(&mut conn, locale, &r.certificate_id).await?
    };
    if let Err(reason) = c.yearly.extension(state.clock.today(), false) {
        return Err(AppError::field("pnr", reason.message(locale)));
    }
    let mut errors = Vec::new();
    let pnr = match Pnr::parse(pnr, state.clock.today()) {
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
            ("area", c.area.get(locale)),
            ("scheme", c.scheme.get(locale)),
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
    .bind(state.config.keys.seal(&started.auto_start_token))
    .bind(&started.qr_start_token)
    .bind(state.config.keys.seal(&started.qr_start_secret))
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
        // An order BankID already ended cannot be cancelled: it stays to be collected, so a
        // signature made a moment ago is recorded with what it did.
        if bankid.client.cancel(&order).await.is_err() {
            continue;
        }
        sqlx::query(
            "UPDATE attestation_signings SET status = 'cancelled', qr_start_secret = '',
                 auto_start_token = ''
             WHERE order_ref = $1 AND status = 'pending'",
        )
        .bind(&order)
        .execute(&state.db.pool)
        .await?;
    }
    Ok(())
}

/// "Avbryt" while signing: the order is cancelled at BankID, and the form is back.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn cancel_signing(state: &AppState, token: &str) -> AppResult<()> {
    if let (Ok(r), Some(bankid)) = (request(state, token).await?, state.bankid.as_ref()) {
        cancel_pending_orders(state, bankid, &r.id).await?;
    }
    Ok(())
}

/// The newest signing order through the link, its sealed tokens opened.
async fn latest_order(state: &AppState, token: &str) -> AppResult<Option<Order>> {
    let order = super::store::latest_order(&state.db.pool, &token_hash(token.trim())).await?;
    Ok(order.map(|mut o| {
        let keys = &state.config.keys;
        o.auto_start_token = keys.open(&o.auto_start_token).unwrap_or_default();
        o.qr_start_secret = keys.open(&o.qr_start_secret).unwrap_or_default();
        o
    }))
}

/// The signing page: collects the order (at most every 1.5 s, however often it is asked),
/// completes the attestation when BankID says complete, and draws this second's QR code.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn status(
    state: &AppState,
    locale: Locale,
    token: &str,
) -> AppResult<Result<SignView, Closed>> {
    // An order still open is collected whatever became of the link meanwhile: a signature made
    // before the holder cancelled is recorded with what it really did (nothing).
    let mut order = latest_order(state, token).await?;
    if let Some(o) = order.as_mut().filter(|o| o.status == OrderStatus::Pending) {
        collect(state, o).await?;
    }
    let open = request(state, token).await?;
    let done = |o: &Order| matches!(o.status, OrderStatus::Complete | OrderStatus::Refused);
    let certificate_id = match (&open, &order) {
        (Ok(r), _) => r.certificate_id.clone(),
        // A closed link still shows what its last signature did.
        (Err(_), Some(o)) if done(o) => {
            sqlx::query_scalar("SELECT certificate_id FROM attestation_requests WHERE id = $1")
                .bind(&o.request_id)
                .fetch_one(&state.db.pool)
                .await?
        }
        (Err(closed), _) => return Ok(Err(*closed)),
    };
    let c = {
        let mut conn = state.db.pool.acquire().await?;
        cert(&mut conn, locale, &certificate_id).await?
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
        Some(o) => match o.status {
            OrderStatus::Complete | OrderStatus::Refused => Signing::Done(
                o.outcome
                    .as_deref()
                    .and_then(|s| serde_json::from_str(s).ok())
                    .unwrap_or(SignOutcome::LinkClosed),
            ),
            OrderStatus::Failed => Signing::Failed {
                message: message(o.hint_code.as_deref().unwrap_or_default(), true),
            },
            OrderStatus::Pending => {
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
        target: c.target(locale, state.clock.today()),
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
            if let Some(outcome) = complete(state, o, &data).await? {
                o.status = outcome.status();
                o.outcome = serde_json::to_string(&outcome).ok();
            } else {
                // Another request completed it a moment ago: show what it did.
                let (status, outcome): (String, Option<String>) = sqlx::query_as(
                    "SELECT status, outcome FROM attestation_signings WHERE id = $1",
                )
                .bind(&o.id)
                .fetch_one(&state.db.pool)
                .await?;
                o.status = OrderStatus::try_from(status).map_err(AppError::internal)?;
                o.outcome = outcome;
            }
        }
        (bankid::Status::Failed, _) | (bankid::Status::Complete, None) => {
            let hint = answer.hint_code.unwrap_or_default();
            sqlx::query(
                "UPDATE attestation_signings SET status = 'failed', hint_code = $1, collected_at = $2,
                     qr_start_secret = '', auto_start_token = '' WHERE id = $3 AND status = 'pending'",
            )
            .bind(&hint)
            .bind(to_db(now))
            .bind(&o.id)
            .execute(&state.db.pool)
            .await?;
            o.status = OrderStatus::Failed;
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

/// BankID says complete. In one transaction: the signature is stored (by the first of several
/// polls only), and what it may do is done. It attests only when the signer is the attester,
/// the link is still open and the certificate can still be attested (and no one else moved it
/// in the same moment); otherwise nothing changes but the record of what happened. The event,
/// the holder's message and email say what really happened, with the name BankID verified.
/// Returns the outcome, or `None` when another poll completed the order first.
async fn complete(
    state: &AppState,
    o: &Order,
    data: &bankid::CompletionData,
) -> AppResult<Option<SignOutcome>> {
    let clock = &state.clock;
    let now = to_db(clock.now());
    let test = state.bankid.as_ref().is_some_and(|b| b.simulated);
    let mut tx = state.db.begin().await?;
    let claimed = sqlx::query(
        "UPDATE attestation_signings SET status = 'complete', signer_name = $1, signature = $2,
             ocsp_response = $3, completed_at = $4, collected_at = $4, qr_start_secret = '',
             auto_start_token = '', test_signature = $5
         WHERE id = $6 AND status = 'pending'",
    )
    .bind(&data.user.name)
    .bind(&data.signature)
    .bind(&data.ocsp_response)
    .bind(&now)
    .bind(i64::from(test))
    .bind(&o.id)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() == 0 {
        return Ok(None);
    }
    let link = super::store::link_by_id(&mut tx, &o.request_id).await?;
    let certificate_id = link.certificate_id;
    let link_open = link.status == LinkStatus::Pending && link.expires_at > now;
    let c = cert(&mut tx, Locale::Sv, &certificate_id).await?;
    let (today, today_text) = (clock.today(), today(clock));
    let outcome = if data.user.personal_number != o.pnr {
        // BankID enforces the personnummer asked for; should it ever not, nothing is attested.
        SignOutcome::WrongSigner
    } else if !link_open {
        SignOutcome::LinkClosed
    } else {
        match c.yearly.extension(today, false) {
            Err(reason) => SignOutcome::NotAttested(reason),
            Ok(e) => match extend(&mut tx, &c, e, &today_text, test, &now).await? {
                true => SignOutcome::Attested {
                    from: e.from.format("%Y-%m-%d").to_string(),
                    to: e.to.format("%Y-%m-%d").to_string(),
                    test,
                },
                // Someone else moved it in the same moment: say why it is not due now.
                false => {
                    let again = cert(&mut tx, Locale::Sv, &certificate_id).await?;
                    SignOutcome::NotAttested(
                        again
                            .yearly
                            .extension(today, false)
                            .err()
                            .unwrap_or(Blocked::NotValid),
                    )
                }
            },
        }
    };
    let outcome_json = serde_json::to_string(&outcome).map_err(AppError::internal)?;
    sqlx::query("UPDATE attestation_signings SET status = $1, outcome = $2 WHERE id = $3")
        .bind(outcome.status().code())
        .bind(&outcome_json)
        .bind(&o.id)
        .execute(&mut *tx)
        .await?;
    let signer = data.user.name.as_str();
    let actor = Actor {
        account_id: None,
        label: format!("{signer} ({})", o.position),
        ip: Some(data.device.ip_address.clone()),
    };
    let (action, details) = match &outcome {
        SignOutcome::Attested { from, to, .. } => {
            sqlx::query(
                "UPDATE attestation_requests SET status = 'used', closed_at = $1 WHERE id = $2",
            )
            .bind(&now)
            .bind(&o.request_id)
            .execute(&mut *tx)
            .await?;
            (
                "certificate.attested_bankid",
                serde_json::json!({
                    "attester": o.name,
                    "position": o.position,
                    "signed_by": signer,
                    "bankid_order": o.order_ref,
                    "from": from,
                    "to": to,
                    "test_signature": test,
                }),
            )
        }
        other => (
            "certificate.attestation_not_applied",
            serde_json::json!({
                "signed_by": signer,
                "position": o.position,
                "bankid_order": o.order_ref,
                "outcome": other,
                "test_signature": test,
            }),
        ),
    };
    events::append(
        &mut tx,
        clock,
        Subject::certificate(&c.cert.id),
        &actor,
        action,
        details,
    )
    .await?;
    if let SignOutcome::Attested { to, .. } = &outcome {
        tell_holder(state, &mut tx, &c, signer, &o.position, to, test).await?;
    }
    tx.commit().await?;
    Ok(Some(outcome))
}

/// Moves the certificate on, if its "Förläng senast" is still the date the rules read.
async fn extend(
    conn: &mut sqlx::AnyConnection,
    c: &Cert,
    e: Extension,
    today: &str,
    test: bool,
    now: &str,
) -> AppResult<bool> {
    let moved = sqlx::query(
        "UPDATE certificates SET extend_by = $1, status = 'active', last_attested_on = $2,
             last_attested_test = $3, updated_at = $4
         WHERE id = $5 AND extend_by = $6 AND status IN ('active', 'inactive')",
    )
    .bind(e.to.format("%Y-%m-%d").to_string())
    .bind(today)
    .bind(i64::from(test))
    .bind(now)
    .bind(&c.cert.id)
    .bind(e.from.format("%Y-%m-%d").to_string())
    .execute(&mut *conn)
    .await?;
    Ok(moved.rows_affected() == 1)
}

/// The holder hears of it: a message in the portal, and the manual's "Årlig förlängning" email
/// (in their language, with the name BankID verified), unless they asked for letters.
async fn tell_holder(
    state: &AppState,
    conn: &mut sqlx::AnyConnection,
    c: &Cert,
    signer: &str,
    position: &str,
    to: &str,
    test: bool,
) -> AppResult<()> {
    let notice = Notice::AttestedWithBankid {
        line: Line {
            number: c.cert.number.clone(),
            scheme: c.scheme.clone(),
            date: Some(to.to_owned()),
        },
        attester: signer.to_owned(),
        position: position.to_owned(),
        test,
    };
    let quiet = Recipient {
        email: String::new(),
        ..c.holder.clone()
    };
    crate::messages::service::tell_many(conn, state, &[(quiet, notice)]).await?;
    let holder = &c.holder;
    if holder.analog || holder.email.is_empty() {
        return Ok(());
    }
    let locale = holder.locale;
    let done = crate::mail::templates::AttestationDone {
        scheme: &c.title(locale),
        number: &c.cert.number,
        attester: signer,
        position,
        date: to,
        link: &format!("{}/certificates/{}", state.config.base_url, c.cert.id),
        test,
    };
    let mail =
        crate::mail::templates::attestation_done(&state.config, &holder.email, locale, &done);
    crate::mail::service::enqueue(conn, &state.clock, &state.config.keys, &mail).await?;
    Ok(())
}
