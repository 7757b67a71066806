//! Certificates' server functions.

use super::model::{AttestOutcome, EmployeeCertificate, EmployeeCertificatesPage, Listing};
#[cfg(feature = "ssr")]
use crate::auth::request::{Ctx, serve};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::state::AppState;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use serde::Serialize;

/// The caller, if they administer `company_id`: only the employer attests. A company admin is
/// always a person, whose own certificates they may not attest; an account without one may not
/// attest at all.
#[cfg(feature = "ssr")]
async fn company_admin(
    cx: &Ctx,
    company_id: &str,
) -> Result<(crate::auth::model::CurrentUser, String), AppError> {
    let user = cx.require_user().await?;
    if !user.admin_companies().contains(&company_id) {
        return Err(AppError::Forbidden);
    }
    let person = user.person_id.clone().ok_or(AppError::Forbidden)?;
    Ok((user, person))
}

/// What a bulk action did, kept for the page it sends the admin back to.
#[cfg(feature = "ssr")]
#[derive(Serialize, serde::Deserialize)]
struct Kept {
    company_id: String,
    outcome: AttestOutcome,
}

/// "Anställdas certifikat": staff and the company's admins.
#[server(endpoint = "certificates/employees")]
pub async fn employee_certificates(
    company_id: String,
    listing: Listing,
) -> Result<EmployeeCertificatesPage, AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        if !user.manages_company(&company_id) {
            return Err(AppError::Forbidden);
        }
        let person = user.person_id.clone();
        super::service::employee_certificates(
            &cx.state.db,
            &cx.state.clock,
            &company_id,
            person.as_deref(),
            &listing,
        )
        .await
    })
    .await
}

/// The certificates a confirmation lists before they are attested.
#[server(endpoint = "certificates/preview_attest")]
pub async fn preview_attest(
    company_id: String,
    ids: Vec<String>,
) -> Result<Vec<EmployeeCertificate>, AppError> {
    serve(|cx| async move {
        let (_, person) = company_admin(&cx, &company_id).await?;
        super::service::preview(&cx.state, &company_id, Some(&person), &ids).await
    })
    .await
}

/// "Intyga yrkesaktivitet" on the ticked certificates. The page it returns to says which
/// certificates moved to which date (kept on the server, see [`attest_result`]).
#[server(endpoint = "certificates/attest")]
pub async fn attest(company_id: String, ids: Vec<String>) -> Result<(), AppError> {
    serve(|cx| async move {
        let (user, person) = company_admin(&cx, &company_id).await?;
        let outcome = super::service::attest_bulk(
            &cx.state,
            &cx.actor(&user),
            &company_id,
            Some(&person),
            &ids,
        )
        .await?;
        back_with(
            &cx.state,
            &user.account_id,
            &company_id,
            "attested",
            outcome,
        )
        .await
    })
    .await
}

/// Sends the admin back to the certificates tab, with the outcome kept for its banner.
#[cfg(feature = "ssr")]
async fn back_with(
    state: &AppState,
    account_id: &str,
    company_id: &str,
    done: &str,
    outcome: AttestOutcome,
) -> Result<(), AppError> {
    let kept = Kept {
        company_id: company_id.to_owned(),
        outcome,
    };
    let payload = serde_json::to_string(&kept).map_err(AppError::internal)?;
    // Kept for the admin's account: the address alone shows nothing to anyone else.
    let id = crate::flash::keep(&state.db, &state.clock, &payload, account_id).await?;
    leptos_axum::redirect(&format!(
        "/companies/{company_id}?tab=employee_certificates&done={done}&result={id}"
    ));
    Ok(())
}

/// What the last bulk action did, for the page it returned to: only for whoever manages the
/// company, and only while it is kept (an hour).
#[server(endpoint = "certificates/attest_result")]
pub async fn attest_result(
    company_id: String,
    result: String,
) -> Result<Option<AttestOutcome>, AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        if !user.manages_company(&company_id) {
            return Err(AppError::Forbidden);
        }
        let kept =
            crate::flash::get(&cx.state.db, &cx.state.clock, &result, &user.account_id).await?;
        Ok(kept
            .and_then(|p| serde_json::from_str::<Kept>(&p).ok())
            .filter(|k| k.company_id == company_id)
            .map(|k| k.outcome))
    })
    .await
}

/// The certificates "Förfråg valda certifikat" would ask about: the company's employees'
/// certificates that are due for attestation.
#[server(endpoint = "certificates/preview_ask")]
pub async fn preview_ask(
    company_id: String,
    ids: Vec<String>,
) -> Result<Vec<EmployeeCertificate>, AppError> {
    serve(|cx| async move {
        company_admin(&cx, &company_id).await?;
        super::service::preview(&cx.state, &company_id, None, &ids).await
    })
    .await
}

/// "Förfråg valda certifikat": asks the chosen employees to have their professional activity
/// attested by someone else (each is told once, by message and email). A certificate asked
/// about in the last week is not asked about again.
#[server(endpoint = "certificates/ask")]
pub async fn ask(company_id: String, ids: Vec<String>) -> Result<(), AppError> {
    serve(|cx| async move {
        let (user, _) = company_admin(&cx, &company_id).await?;
        let outcome =
            super::service::ask_bulk(&cx.state, &cx.actor(&user), &company_id, &ids).await?;
        back_with(&cx.state, &user.account_id, &company_id, "asked", outcome).await
    })
    .await
}

/// The signed-in holder's certificates, narrowed by `q`.
#[server(endpoint = "certificates/mine")]
pub async fn my_certificates(q: String) -> Result<Vec<super::model::HolderCertificate>, AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        super::service::of_account(&cx.state.db, &user.account_id, &q).await
    })
    .await
}

/// A certificate's page: for its holder, staff, and the holder's employer's admins.
#[server(endpoint = "certificates/get")]
pub async fn get_certificate(
    id: String,
    events_page: Option<u32>,
) -> Result<super::model::CertificateView, AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        super::service::view(&cx.state, &user, &id, events_page.unwrap_or(1)).await
    })
    .await
}

/// What anyone may know of a certificate, by its number: no sign-in.
#[server(endpoint = "verify/certificate")]
pub async fn public_certificate(
    number: String,
) -> Result<Option<super::model::PublicCertificate>, AppError> {
    serve(|cx| async move { super::verification::public(&cx.state, number.trim()).await }).await
}

/// What "Kontrollera en PDF" found, for the browser that sent the PDF (kept an hour).
#[server(endpoint = "verify/checked")]
pub async fn pdf_checked(id: String) -> Result<Option<super::model::PdfVerdict>, AppError> {
    serve(|cx| async move {
        let Some(key) = crate::auth::request::browser_key(&cx.state) else {
            return Ok(None);
        };
        let kept = crate::flash::get(&cx.state.db, &cx.state.clock, &id, &key).await?;
        Ok(kept.and_then(|p| serde_json::from_str(&p).ok()))
    })
    .await
}

/// Staff suspend, reinstate or revoke a certificate, with a reason; a revocation is confirmed.
/// The page it returns to says what really happened.
#[server(endpoint = "certificates/change_status")]
pub async fn change_status(
    id: String,
    change: String,
    reason: String,
    confirm: Option<String>,
) -> Result<(), AppError> {
    use super::model::{StatusChange, StatusOutcome};
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        let change = StatusChange::parse(&change).ok_or(AppError::NotFound)?;
        if change == StatusChange::Revoke && confirm.is_none() {
            return Err(
                AppError::field("confirm", crate::i18n::Text::VerifyConfirmNeeded)
                    .keep(&[("reason", &reason)]),
            );
        }
        let outcome =
            super::verification::change_status(&cx.state, &cx.actor(&user), &id, change, &reason)
                .await
                .map_err(|e| e.keep(&[("reason", &reason)]))?;
        let done = match outcome {
            StatusOutcome::Changed { .. } => "changed",
            StatusOutcome::Unchanged { .. } => "unchanged",
        };
        leptos_axum::redirect(&format!("/certificates/{id}?done={done}"));
        Ok(())
    })
    .await
}

/// "Publicerad": the holder shows or hides their name on the public pages.
#[server(endpoint = "certificates/publish")]
pub async fn publish(id: String, publish: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        let publish = match publish.as_str() {
            "1" => true,
            "0" => false,
            _ => return Err(AppError::NotFound),
        };
        super::verification::publish(&cx.state, &cx.actor(&user), &user.account_id, &id, publish)
            .await?;
        leptos_axum::redirect(&format!("/certificates/{id}#published"));
        Ok(())
    })
    .await
}

/// The register of certified persons: no sign-in.
#[server(endpoint = "verify/register")]
pub async fn register(
    query: super::model::RegisterQuery,
) -> Result<super::model::RegisterPage, AppError> {
    serve(|cx| async move { super::verification::register(&cx.state, &query).await }).await
}

/// A person's certificates, for staff on the person's page.
#[server(endpoint = "certificates/of_person")]
pub async fn person_certificates(
    person_id: String,
) -> Result<Vec<super::model::HolderCertificate>, AppError> {
    serve(|cx| async move {
        cx.require_staff().await?;
        super::service::of_person(&cx.state.db, &person_id).await
    })
    .await
}
