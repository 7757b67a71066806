//! Certificates anyone can verify: the signed PDF, what the public may know of a certificate,
//! "Kontrollera en PDF", and staff's suspension and revocation.

use super::model::{
    CertificateView, PdfVerdict, PublicCertificate, PublicChange, PublicEvent, Status,
    StatusChange, StatusOutcome,
};
use super::store;
use crate::clock::to_db;
use crate::error::{AppError, AppResult};
use crate::events::service::{self as events, Actor, Subject};
use crate::i18n::{Locale, Text};
use crate::messages::model::{Line, Notice};
use crate::signing::PdfCheck;
use crate::state::AppState;

/// The verification page's address for a certificate number.
pub fn verify_url(state: &AppState, number: &str) -> String {
    format!(
        "{}/verify/{}",
        state.config.base_url,
        crate::ui::format::encode_component(number)
    )
}

/// "Ladda ned certifikat": the certificate's PDF in `locale`, signed by the body, and recorded so
/// that "Kontrollera en PDF" knows it again.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn signed_pdf(
    state: &AppState,
    view: &CertificateView,
    locale: Locale,
) -> AppResult<Vec<u8>> {
    let now = state.clock.now();
    let pdf = super::pdf::render(
        view,
        locale,
        &state.config.body_name,
        &verify_url(state, &view.certificate.number),
        now,
    );
    let (signed, digest) = state
        .config
        .seal
        .sign_pdf(pdf)
        .await
        .map_err(AppError::internal)?;
    store::insert_print(
        &state.db.pool,
        &digest,
        &view.certificate.id,
        view.certificate.status,
        &to_db(now),
    )
    .await?;
    Ok(signed)
}

/// What anyone may know of the certificate numbered `number`, if there is one.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn public(state: &AppState, number: &str) -> AppResult<Option<PublicCertificate>> {
    if number.is_empty() || number.len() > 40 {
        return Ok(None);
    }
    let Some(c) = store::by_number(&state.db.pool, number).await? else {
        return Ok(None);
    };
    let mut history: Vec<PublicEvent> = events::list(&state.db, Subject::certificate(&c.id))
        .await?
        .into_iter()
        .filter_map(|e| {
            let details: serde_json::Value = serde_json::from_str(&e.details).unwrap_or_default();
            let text = |k: &str| details[k].as_str().unwrap_or_default().to_owned();
            let change = match e.action.as_str() {
                "certificate.issued" => PublicChange::Issued,
                "certificate.attested" | "certificate.attested_bankid" => {
                    PublicChange::Extended { to: text("to") }
                }
                "certificate.report_approved" => PublicChange::Reported { to: text("to") },
                "certificate.renewed" => PublicChange::Renewed {
                    number: text("number"),
                },
                "certificate.inactive" => PublicChange::Inactive,
                "certificate.expired" => PublicChange::Expired,
                "certificate.suspended" => PublicChange::Suspended {
                    reason: text("reason"),
                },
                "certificate.reinstated" => PublicChange::Reinstated,
                "certificate.revoked" => PublicChange::Revoked {
                    reason: text("reason"),
                },
                _ => return None,
            };
            // The day is the certificate's own (a certificate may be recorded later).
            let on = match change {
                PublicChange::Issued => c.issued_on.to_string(),
                _ => crate::ui::format::short_date(&e.at),
            };
            Some(PublicEvent { on, change })
        })
        .collect();
    history.reverse();
    let status = c.facts.status;
    Ok(Some(PublicCertificate {
        number: c.number.clone(),
        technical_area: c.names.area(),
        scheme: c.names.name(),
        status,
        reason: matches!(status, Status::Suspended | Status::Revoked)
            .then(|| c.status_reason.clone()),
        issued_on: c.issued_on.to_string(),
        valid_until: c.facts.valid_until.to_string(),
        // The yearly extension's date means something only while the certificate can be
        // extended.
        extend_by: c
            .facts
            .extend_by
            .filter(|_| matches!(status, Status::Active | Status::Inactive))
            .map(|d| d.to_string()),
        holder: (c.published != 0).then(|| c.holder_name.full()),
        history,
    }))
}

/// "Kontrollera en PDF": whether `pdf` is a certificate we signed, unchanged. A PDF with our
/// signature that is no certificate of ours is asked of `elsewhere` by the digest its
/// signature covers (the training providers' signed statements).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn check_pdf<F, Fut>(state: &AppState, pdf: &[u8], elsewhere: F) -> AppResult<PdfVerdict>
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = AppResult<Option<PdfVerdict>>>,
{
    Ok(match state.config.seal.check(pdf) {
        PdfCheck::Intact { digest } => match store::print(&state.db.pool, &digest).await? {
            Some(p) => PdfVerdict::Genuine {
                number: p.number,
                printed_status: p.status,
                printed_on: crate::ui::format::short_date(&p.printed_at),
                status_now: p.status_now,
            },
            None => elsewhere(digest).await?.unwrap_or(PdfVerdict::Unknown),
        },
        PdfCheck::Altered => PdfVerdict::Altered,
        PdfCheck::Extended => PdfVerdict::Extended,
        PdfCheck::NotOurs => PdfVerdict::NotOurs,
        PdfCheck::NotSigned => PdfVerdict::NotSigned,
    })
}

/// The longest reason staff may give.
pub const REASON_MAX: usize = 500;

/// Suspends, reinstates or revokes a certificate, with `reason`; its holder is told. A change
/// that no longer applies (another request made it first) changes nothing and says what the
/// status is now.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn change_status(
    state: &AppState,
    actor: &Actor,
    id: &str,
    change: StatusChange,
    reason: &str,
) -> AppResult<StatusOutcome> {
    let reason = reason.trim();
    if reason.chars().count() < 3 {
        return Err(AppError::field("reason", Text::VerifyReasonNeeded));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(AppError::field("reason", Text::VerifyReasonTooLong));
    }
    // It is shown to the public: no control characters, no invisible or reversing marks.
    if !crate::validate::readable(reason) {
        return Err(AppError::field("reason", Text::CaseReasonUnreadable));
    }
    let db = &state.db;
    let mut tx = db.begin().await?;
    let store::Owned { cert: c, .. } = store::cert_in(&mut tx, id).await?;
    let from = c.facts.status;
    if !change.applies_to(from) {
        return Ok(StatusOutcome::Unchanged { now: from });
    }
    let now = state.clock.now();
    let today = state.clock.today();
    let (to, action, kept_from) = match change {
        StatusChange::Suspend => (Status::Suspended, "certificate.suspended", Some(from)),
        StatusChange::Revoke => (Status::Revoked, "certificate.revoked", None),
        StatusChange::Reinstate => {
            let before = store::suspended_from(&mut tx, id)
                .await?
                .and_then(|s| Status::parse(&s))
                .unwrap_or(Status::Active);
            // What the dates say now: a suspension does not stop time.
            let to = if c.facts.valid_until.0 < today {
                Status::Expired
            } else if before == Status::Active && c.facts.extend_by.is_some_and(|d| d.0 < today) {
                Status::Inactive
            } else {
                before
            };
            (to, "certificate.reinstated", None)
        }
    };
    let kept_reason = if to == Status::Suspended || to == Status::Revoked {
        reason
    } else {
        ""
    };
    let moved =
        store::change_status(&mut tx, id, from, to, kept_reason, kept_from, &to_db(now)).await?;
    if !moved {
        drop(tx);
        let now = store::cert(&db.pool, id).await?.cert.facts.status;
        return Ok(StatusOutcome::Unchanged { now });
    }
    events::append(
        &mut tx,
        &state.clock,
        Subject::certificate(id),
        actor,
        action,
        serde_json::json!({ "reason": reason, "from": from.code(), "to": to.code() }),
    )
    .await?;
    let line = Line {
        number: c.number.clone(),
        scheme: c.names.name(),
        date: None,
    };
    let notice = match change {
        StatusChange::Suspend => Notice::CertificateSuspended {
            line,
            reason: reason.to_owned(),
        },
        StatusChange::Reinstate => Notice::CertificateReinstated { line },
        StatusChange::Revoke => Notice::CertificateRevoked {
            line,
            reason: reason.to_owned(),
        },
    };
    crate::messages::service::tell(&mut tx, state, &c.person_id, &notice).await?;
    tx.commit().await?;
    Ok(StatusOutcome::Changed { to })
}

/// "Publicerad": the holder's consent that the public pages name them.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn publish(
    state: &AppState,
    actor: &Actor,
    account_id: &str,
    id: &str,
    published: bool,
) -> AppResult<()> {
    let owned = store::cert(&state.db.pool, id).await?;
    if owned.account_id.as_deref() != Some(account_id) {
        return Err(AppError::Forbidden);
    }
    let mut tx = state.db.begin().await?;
    // Only a change that happens gets its event: the same choice twice, or at once, writes one.
    if store::set_published(&mut tx, id, published, &to_db(state.clock.now())).await? {
        events::append(
            &mut tx,
            &state.clock,
            Subject::certificate(id),
            actor,
            if published {
                "certificate.published"
            } else {
                "certificate.unpublished"
            },
            serde_json::json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A certificate issued as published ("Publicerad" on its decision), inside the caller's
/// transaction.
pub async fn mark_published(conn: &mut sqlx::AnyConnection, id: &str) -> sqlx::Result<()> {
    store::mark_published(conn, id).await
}

/// The register of certified persons: active certificates whose holders agreed to publication,
/// searched by name or number, scheme and town, by name, a page at a time.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn register(
    state: &AppState,
    query: &super::model::RegisterQuery,
) -> AppResult<super::model::RegisterPage> {
    use super::model::{RegisterEntry, RegisterPage};
    let page = query.page.max(1);
    let size = crate::types::LIST_PAGE;
    let words = crate::db::search_patterns(&query.q);
    let town = query.town.trim().to_lowercase();
    let town = (!town.is_empty())
        .then(|| crate::db::like_contains(&town.chars().take(100).collect::<String>()));
    let scheme: String = query.scheme.chars().take(100).collect();
    let rows = store::register(
        &state.db.pool,
        &store::RegisterFilter {
            words: &words,
            scheme: &scheme,
            town: town.as_deref(),
        },
        i64::from(size) + 1,
        crate::types::offset(page, size),
    )
    .await?;
    let entries = rows
        .into_iter()
        .map(|r| RegisterEntry {
            holder: r.holder.full(),
            technical_area: r.names.area(),
            scheme: r.names.name(),
            number: r.number,
            valid_until: r.valid_until,
        })
        .collect();
    let crate::types::Paged {
        items,
        page,
        has_next,
    } = crate::types::Paged::of(entries, page, size);
    let schemes = store::register_schemes(&state.db.pool)
        .await?
        .into_iter()
        .map(|(code, sv, en)| (code, crate::i18n::Named::new(sv, en)))
        .collect();
    Ok(RegisterPage {
        items,
        page,
        has_next,
        schemes,
    })
}
