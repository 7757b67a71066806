//! "Förnyelse" (seed 001, and seed 000's "Omcertifiering"): never automatic. From some months
//! before "Giltigt till" the holder applies; the renewal case is prefilled from their last
//! application of the scheme and counts the archived documents still there, so they send only
//! what is new; the handler's approval issues the next period's certificate and marks the old
//! one renewed.

use super::model::{Applied, CaseKind, RenewalView, Reused};
use super::store::{self, Renewable};
use crate::certificates::model::Status;
use crate::certificates::rules::{RenewalBlocked, renewal_blocked};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::events::service::Actor;
use crate::i18n::{Msg, Named, Text};
use crate::state::AppState;
use chrono::NaiveDate;
use serde_json::json;

/// Why the certificate cannot be renewed on `today`, if it cannot.
fn blocked(c: &Renewable, today: NaiveDate) -> Option<Msg> {
    let status = Status::parse(&c.status).unwrap_or(Status::Revoked);
    Some(
        match renewal_blocked(status, c.renewed_by.is_some(), c.valid_until.0, today)? {
            RenewalBlocked::Renewed => Text::RenewalAlreadyRenewed.into(),
            RenewalBlocked::NotValid => Text::RenewalNotValid.into(),
            RenewalBlocked::NotYet(opens) => {
                Msg::with(Text::RenewalNotYet, &[("date", &opens.to_string())])
            }
        },
    )
}

/// The person's certificate; another's is not found.
async fn of_person(db: &Db, person_id: &str, certificate_id: &str) -> AppResult<Renewable> {
    let mut conn = db.pool.acquire().await?;
    store::renewable(&mut conn, certificate_id)
        .await?
        .filter(|c| c.person_id == person_id)
        .ok_or(AppError::NotFound)
}

/// "Ansök om förnyelse": the certificate, whether its renewal may be applied for now, and the
/// archived documents the renewal would count.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn view(
    state: &AppState,
    person_id: &str,
    certificate_id: &str,
) -> AppResult<RenewalView> {
    let c = of_person(&state.db, person_id, certificate_id).await?;
    let reused = store::reusable(&state.db.pool, person_id, &c.scheme_id)
        .await?
        .into_iter()
        .map(|r| Reused {
            requirement: Named::new(r.name, r.name_en),
            name: r.stored_name,
            at: r.uploaded_at,
        })
        .collect();
    let (area, scheme) = super::service::names(&c.names);
    Ok(RenewalView {
        blocked: blocked(&c, state.clock.today()),
        certificate_id: c.id,
        number: c.number,
        area,
        scheme,
        valid_until: c.valid_until.to_string(),
        open_case: c.open_case,
        reused,
    })
}

/// Opens the renewal case of the person's certificate, prefilled from their last application of
/// the scheme (level, plastic card) and the certificate ("Publicerad" as they set it now). An open renewal is kept instead (a form sent
/// twice opens one case); a certificate not yet due, renewed already, suspended or revoked is
/// refused with its reason.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn apply(
    state: &AppState,
    actor: &Actor,
    person_id: &str,
    certificate_id: &str,
) -> AppResult<Applied> {
    let kind = CaseKind::Renewal;
    let mut tx = state.db.begin().await?;
    let c = store::renewable(&mut tx, certificate_id)
        .await?
        .filter(|c| c.person_id == person_id)
        .ok_or(AppError::NotFound)?;
    if let Some(id) = c.open_case {
        return Ok(Applied::AlreadyOpen { id });
    }
    if let Some(why) = blocked(&c, state.clock.today()) {
        return Err(AppError::field("certificate", why));
    }
    let id = uuid::Uuid::now_v7().to_string();
    let order_no = super::service::order_no(&mut tx).await?;
    let now = crate::clock::to_db(state.clock.now());
    let new = store::NewCase {
        id: &id,
        order_no: &order_no,
        person_id,
        scheme_id: &c.scheme_id,
        kind,
        level_id: c.level_id.as_deref(),
        now: &now,
        about: Some(&c.id),
        report_due: None,
        plastic_card: c.plastic_card.unwrap_or(0) != 0,
        published: c.published != 0,
    };
    if !store::insert_case(&mut tx, &new).await? {
        drop(tx);
        return super::service::already_open(state, person_id, &c.scheme_id, kind).await;
    }
    super::service::log_both(
        &mut tx,
        &state.clock,
        (person_id, &id),
        actor,
        "case.opened",
        json!({ "order_no": order_no, "scheme": c.names.scheme, "number": c.number }),
    )
    .await?;
    tx.commit().await?;
    Ok(Applied::Opened { id })
}
