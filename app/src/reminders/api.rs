//! The reminders' server functions: staff read a scheme's rules and the letters to post; only
//! body administrators change the rules.

use super::model::{Letter, SchemeRules};
#[cfg(feature = "ssr")]
use crate::auth::request::serve;
use crate::error::AppError;
use crate::types::Paged;
use leptos::prelude::*;

/// A scheme's reminder rules, and whether the caller may change them (staff).
#[server(endpoint = "reminders/rules")]
pub async fn reminder_rules(scheme_id: String) -> Result<(SchemeRules, bool), AppError> {
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        let rules = super::service::rules(&cx.state.db, &scheme_id).await?;
        Ok((rules, user.has(crate::auth::model::Role::BodyAdmin)))
    })
    .await
}

/// "Spara": the scheme's reminder rules (body administrators).
#[server(endpoint = "reminders/save_rules")]
pub async fn save_reminder_rules(
    scheme_id: String,
    report_due: String,
    attestation_due: String,
    inactive_soon: String,
    renewal: String,
    link_expiring: String,
) -> Result<(), AppError> {
    use super::model::ReminderKind as K;
    serve(|cx| async move {
        let user = cx.require_body_admin().await?;
        let fields = [
            (K::ReportDue, report_due.as_str()),
            (K::AttestationDue, attestation_due.as_str()),
            (K::InactiveSoon, inactive_soon.as_str()),
            (K::Renewal, renewal.as_str()),
            (K::LinkExpiring, link_expiring.as_str()),
        ];
        super::service::save_rules(&cx.state, &cx.actor(&user), &scheme_id, &fields)
            .await
            .map_err(|e| {
                let kept: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.code(), *v)).collect();
                e.keep(&kept)
            })?;
        leptos_axum::redirect(&format!("/staff/schemes/{scheme_id}/reminders?done=saved"));
        Ok(())
    })
    .await
}

/// "Årlig förlängning genom" (body administrators): `by` is `report` or `attestation`.
#[server(endpoint = "reminders/set_extension")]
pub async fn set_extension(scheme_id: String, by: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_body_admin().await?;
        let by_report = match by.as_str() {
            "report" => true,
            "attestation" => false,
            _ => {
                return Err(AppError::field("by", crate::i18n::Text::FieldChoiceInvalid));
            }
        };
        let changed =
            super::service::set_extension(&cx.state, &cx.actor(&user), &scheme_id, by_report)
                .await?;
        let done = if changed {
            "extension_saved"
        } else {
            "extension_unchanged"
        };
        leptos_axum::redirect(&format!("/staff/schemes/{scheme_id}/reminders?done={done}"));
        Ok(())
    })
    .await
}

/// The letters to post (`posted`: those posted), a page at a time (staff).
#[server(endpoint = "reminders/letters")]
pub async fn letters(posted: bool, page: u32) -> Result<Paged<Letter>, AppError> {
    serve(|cx| async move {
        cx.require_staff().await?;
        super::service::letters(&cx.state.db, cx.state.clock.today(), posted, page).await
    })
    .await
}

/// "Markera som postad" (staff): the page says whether this marked it or it was already.
#[server(endpoint = "reminders/mark_posted")]
pub async fn mark_letter_posted(id: String) -> Result<(), AppError> {
    use super::model::Posted;
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        let done =
            match super::service::mark_posted(&cx.state, &cx.actor(&user), &user.account_id, &id)
                .await?
            {
                Posted::Marked => "posted",
                Posted::Already => "already_posted",
            };
        leptos_axum::redirect(&format!("/staff/letters?done={done}"));
        Ok(())
    })
    .await
}
