//! The attester's BankID signature: started from the link's page, collected while the page
//! shows its QR code, and, when BankID says complete, the attestation that extends the
//! certificate, with the holder told.

use super::invite::request;
use super::model::{Closed, LinkStatus, OrderStatus, SignOutcome, SignView, Signing};
use super::service::{Cert, cert};
use super::store::{self, Order};
use crate::auth::session::token_hash;
use crate::certificates::model::Extension;
use crate::certificates::rules::Blocked;
use crate::certificates::service::today;
use crate::clock::{from_db, to_db};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::service::{self as events, Actor, Subject};
use crate::i18n::{Locale, Msg, Text};
use crate::messages::model::{Line, Notice};
use crate::messages::service::Recipient;
use crate::state::AppState;
use crate::types::Pnr;
use crate::validate::{Spec, check};

const NAME: Spec = Spec::text("name", Text::AttestName, 200).required();
const POSITION: Spec = Spec::text("position", Text::AttestPosition, 200).required();

/// Collect is called at most this often per order, however often the page asks.
const COLLECT_EVERY_MS: i64 = 1_500;

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
        .map_err(|closed| AppError::field("pnr", closed.text()))?;
    let c = {
        let mut conn = state.db.pool.acquire().await?;
        cert(&mut conn, &r.certificate_id).await?
    };
    if let Err(reason) = c.yearly.extension(state.clock.today(), false) {
        return Err(AppError::field("pnr", reason.msg()));
    }
    let mut errors = Vec::new();
    let pnr = match Pnr::parse(pnr, state.clock.today()) {
        Ok(p) if p.as_str() == c.pnr => {
            errors.push(FieldError::new("pnr", Text::AttestOwnPnr));
            None
        }
        Ok(p) => Some(p),
        Err(t) => {
            errors.push(FieldError::new("pnr", t));
            None
        }
    };
    let mut clean = |spec: &Spec, v: &str| {
        check(spec, v)
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
        .ok_or_else(|| AppError::field("pnr", Text::SignUnavailable))?;
    cancel_pending_orders(state, bankid, &r.id).await?;

    let text = locale.format(
        Text::SignVisibleData,
        &[
            ("name", &name),
            ("position", &position),
            ("person", &c.person),
            ("area", c.cert.technical_area.get(locale)),
            ("scheme", c.cert.scheme.get(locale)),
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
            return Err(AppError::field("pnr", Msg::both(m.sv, m.en)));
        }
    };
    let keys = &state.config.keys;
    let new = store::NewOrder {
        request_id: &r.id,
        pnr: pnr.as_str(),
        name: &name,
        position: &position,
        order_ref: &started.order_ref,
        auto_start_token: &keys.seal(&started.auto_start_token),
        qr_start_token: &started.qr_start_token,
        qr_start_secret: &keys.seal(&started.qr_start_secret),
        started_at: &to_db(state.clock.now()),
        hint_code: bankid::hint::OUTSTANDING_TRANSACTION,
    };
    store::insert_order(&state.db.pool, &new).await?;
    Ok(())
}

/// Cancels the link's pending orders at BankID, and marks cancelled those BankID cancelled.
pub(super) async fn cancel_pending_orders(
    state: &AppState,
    bankid: &super::BankId,
    request_id: &str,
) -> AppResult<()> {
    let orders = store::pending_orders(&state.db.pool, request_id).await?;
    for order in orders {
        // An order BankID already ended cannot be cancelled: it stays to be collected, so a
        // signature made a moment ago is recorded with what it did.
        if bankid.client.cancel(&order).await.is_err() {
            continue;
        }
        store::cancel_order(&state.db.pool, &order).await?;
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
    let order = store::latest_order(&state.db.pool, &token_hash(token.trim())).await?;
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
            store::certificate_of(&state.db.pool, &o.request_id).await?
        }
        (Err(closed), _) => return Ok(Err(*closed)),
    };
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
        target: c.target(state.clock.today()),
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
                let current = store::order_state(&state.db.pool, &o.id).await?;
                o.status = current.status;
                o.outcome = current.outcome;
            }
        }
        (bankid::Status::Failed, _) | (bankid::Status::Complete, None) => {
            let hint = answer.hint_code.unwrap_or_default();
            store::fail_order(&state.db.pool, &o.id, &hint, &to_db(now)).await?;
            o.status = OrderStatus::Failed;
            o.hint_code = Some(hint);
        }
        (bankid::Status::Pending, _) => {
            let hint = answer.hint_code.unwrap_or_default();
            store::note_hint(&state.db.pool, &o.id, &hint, &to_db(now)).await?;
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
    if !store::claim_order(&mut tx, &o.id, data, test, &now).await? {
        return Ok(None);
    }
    let link = store::link_by_id(&mut tx, &o.request_id).await?;
    let certificate_id = link.certificate_id;
    let link_open = link.status == LinkStatus::Pending && link.expires_at > now;
    let c = cert(&mut tx, &certificate_id).await?;
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
                    let again = cert(&mut tx, &certificate_id).await?;
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
    store::set_outcome(&mut tx, &o.id, outcome.status(), &outcome_json).await?;
    let signer = data.user.name.as_str();
    let actor = Actor {
        account_id: None,
        label: format!("{signer} ({})", o.position),
        ip: Some(data.device.ip_address.clone()),
    };
    let (action, details) = match &outcome {
        SignOutcome::Attested { from, to, .. } => {
            store::mark_used(&mut tx, &o.request_id, &now).await?;
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
    Ok(store::extend(conn, &c.cert.id, e.from, e.to, today, test, now).await?)
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
            scheme: c.cert.scheme.clone(),
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
