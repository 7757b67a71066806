//! Certificates' server functions.

use super::model::{EmployeeCertificate, EmployeeCertificatesPage, Listing};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{auth::request as req, state::AppState};

/// The caller, if they administer `company_id`: only the employer attests. Their own person
/// comes along, since they may not attest their own certificates.
#[cfg(feature = "ssr")]
async fn company_admin(
    state: &AppState,
    company_id: &str,
) -> Result<(crate::auth::model::CurrentUser, Option<String>), AppError> {
    let user = req::require_user(state).await?;
    if !user.admin_companies().contains(&company_id) {
        return Err(AppError::Forbidden);
    }
    let person = super::service::person_of(&state.db, &user.account_id).await?;
    Ok((user, person))
}

/// "Anställdas certifikat": staff and the company's admins.
#[server(endpoint = "certificates/employees")]
pub async fn employee_certificates(
    company_id: String,
    listing: Listing,
) -> Result<EmployeeCertificatesPage, AppError> {
    crate::error::reply(async move {
        let state = AppState::get()?;
        let user = req::require_user(&state).await?;
        if !user.manages_company(&company_id) {
            return Err(AppError::Forbidden);
        }
        let person = super::service::person_of(&state.db, &user.account_id).await?;
        super::service::employee_certificates(
            &state.db,
            &state.clock,
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
    crate::error::reply(async move {
        let state = AppState::get()?;
        let (_, person) = company_admin(&state, &company_id).await?;
        let locale = crate::i18n::current_locale();
        super::service::preview(&state, locale, &company_id, person.as_deref(), &ids).await
    })
    .await
}

/// "Intyga yrkesaktivitet" on the ticked certificates.
#[server(endpoint = "certificates/attest")]
pub async fn attest(company_id: String, ids: Vec<String>) -> Result<(), AppError> {
    crate::error::reply(async move {
        let state = AppState::get()?;
        let (user, person) = company_admin(&state, &company_id).await?;
        let locale = crate::i18n::current_locale();
        let n = super::service::attest_bulk(
            &state,
            &req::actor(&user),
            locale,
            &company_id,
            person.as_deref(),
            &ids,
        )
        .await?;
        leptos_axum::redirect(&format!(
            "/companies/{company_id}?tab=employee_certificates&done=attested&count={n}"
        ));
        Ok(())
    })
    .await
}

/// The signed-in holder's certificates, narrowed by `q`.
#[server(endpoint = "certificates/mine")]
pub async fn my_certificates(q: String) -> Result<Vec<super::model::HolderCertificate>, AppError> {
    crate::error::reply(async move {
        let state = AppState::get()?;
        let user = req::require_user(&state).await?;
        match super::service::person_of(&state.db, &user.account_id).await? {
            Some(person) => super::service::of_person(&state.db, &person, &q).await,
            None => Ok(Vec::new()),
        }
    })
    .await
}

/// A certificate's page: for its holder, staff, and the holder's employer's admins.
#[server(endpoint = "certificates/get")]
pub async fn get_certificate(id: String) -> Result<super::model::CertificateView, AppError> {
    crate::error::reply(async move {
        let state = AppState::get()?;
        let user = req::require_user(&state).await?;
        let locale = crate::i18n::current_locale();
        super::service::view(&state, &user, &id, locale).await
    })
    .await
}
