//! Companies' server functions. Staff reach every company; a company admin only their own,
//! and never the notes or the list of administrators' changes.
// A form's fields are its server function's arguments, one each.
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
use super::model::CompanyDetails;
use super::model::{CompaniesPage, CompanyView};
#[cfg(feature = "ssr")]
use crate::auth::model::CurrentUser;
#[cfg(feature = "ssr")]
use crate::auth::request::{Ctx, serve};
use crate::error::AppError;
use leptos::prelude::*;

/// The caller, if they manage `company_id`.
#[cfg(feature = "ssr")]
async fn manager(cx: &Ctx, company_id: &str) -> Result<CurrentUser, AppError> {
    let user = cx.require_user().await?;
    if user.manages_company(company_id) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(feature = "ssr")]
fn back(company_id: &str, tab: &str, done: &str) {
    leptos_axum::redirect(&format!("/companies/{company_id}?tab={tab}&done={done}"));
}

/// Staff search every company; a company admin sees their own.
#[server(endpoint = "companies/list")]
pub async fn list_companies(q: String, page: u32) -> Result<CompaniesPage, AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        if user.is_staff() {
            super::service::search(&cx.state.db, &q, page, None).await
        } else if user.has(crate::auth::model::Role::CompanyAdmin) {
            let own = user.admin_companies();
            super::service::search(&cx.state.db, &q, page, Some(&own)).await
        } else {
            Err(AppError::Forbidden)
        }
    })
    .await
}

#[server(endpoint = "companies/create")]
pub async fn create_company(
    orgnr: String,
    name: String,
    address: String,
    postal_code: String,
    city: String,
    website: String,
    phone: String,
    email: String,
    invoice_reference: String,
    billing_method: Option<String>,
    billing_name: String,
    billing_address: String,
    billing_postal_code: String,
    billing_city: String,
    billing_email: String,
) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        let raw = CompanyDetails {
            name,
            address,
            postal_code,
            city,
            website,
            phone,
            email,
            invoice_reference,
            billing_method: billing_method.unwrap_or_default(),
            billing_name,
            billing_address,
            billing_postal_code,
            billing_city,
            billing_email,
        };
        let id = super::service::create(&cx.state, &cx.actor(&user), &orgnr, &raw)
            .await
            .map_err(|e| {
                let mut kept = super::service::kept(&raw);
                kept.push(("orgnr", orgnr.clone()));
                crate::people::service::keep(e, &kept)
            })?;
        leptos_axum::redirect(&format!("/companies/{id}?done=created"));
        Ok(())
    })
    .await
}

/// The company page, with the asked page of its employees, events and notes.
#[server(endpoint = "companies/get")]
pub async fn get_company(
    id: String,
    employees_page: Option<u32>,
    events_page: Option<u32>,
    notes_page: Option<u32>,
) -> Result<CompanyView, AppError> {
    serve(|cx| async move {
        let user = manager(&cx, &id).await?;
        let pages = super::service::Pages {
            employees: employees_page.unwrap_or(1),
            events: events_page.unwrap_or(1),
            notes: notes_page.unwrap_or(1),
        };
        let mut view = super::service::view(&cx.state, &id, user.is_staff(), pages).await?;
        view.attester = user.admin_companies().contains(&id.as_str());
        Ok(view)
    })
    .await
}

#[server(endpoint = "companies/update")]
pub async fn update_company(
    id: String,
    name: String,
    address: String,
    postal_code: String,
    city: String,
    website: String,
    phone: String,
    email: String,
    invoice_reference: String,
    billing_method: Option<String>,
    billing_name: String,
    billing_address: String,
    billing_postal_code: String,
    billing_city: String,
    billing_email: String,
) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = manager(&cx, &id).await?;
        let raw = CompanyDetails {
            name,
            address,
            postal_code,
            city,
            website,
            phone,
            email,
            invoice_reference,
            billing_method: billing_method.unwrap_or_default(),
            billing_name,
            billing_address,
            billing_postal_code,
            billing_city,
            billing_email,
        };
        super::service::update(&cx.state, &cx.actor(&user), &id, &raw)
            .await
            .map_err(|e| crate::people::service::keep(e, &super::service::kept(&raw)))?;
        back(&id, "details", "saved");
        Ok(())
    })
    .await
}

/// Adds a contact person or a branch, keeping what was typed when refused.
#[cfg(feature = "ssr")]
async fn add_part(
    cx: Ctx,
    company_id: &str,
    part: super::service::Part,
    values: [String; 4],
) -> Result<(), AppError> {
    let user = manager(&cx, company_id).await?;
    super::service::add_part(&cx.state, &cx.actor(&user), company_id, part, &values)
        .await
        .map_err(|e| {
            let kept: Vec<(&str, &str)> = part
                .specs()
                .iter()
                .zip(&values)
                .map(|(s, v)| (s.name, v.as_str()))
                .collect();
            e.keep(&kept)
        })?;
    let tab = match part {
        super::service::Part::Contact => "contacts",
        super::service::Part::Branch => "branches",
    };
    back(company_id, tab, "added");
    Ok(())
}

#[server(endpoint = "companies/add_contact")]
pub async fn add_contact(
    company_id: String,
    name: String,
    title: String,
    phone: String,
    email: String,
) -> Result<(), AppError> {
    let values = [name, title, phone, email];
    serve(|cx| add_part(cx, &company_id, super::service::Part::Contact, values)).await
}

#[server(endpoint = "companies/add_branch")]
pub async fn add_branch(
    company_id: String,
    name: String,
    address: String,
    postal_code: String,
    city: String,
) -> Result<(), AppError> {
    let values = [name, address, postal_code, city];
    serve(|cx| add_part(cx, &company_id, super::service::Part::Branch, values)).await
}

/// Removes a contact person (`kind=contact`) or a branch (`kind=branch`).
#[server(endpoint = "companies/remove")]
pub async fn remove_part(company_id: String, kind: String, id: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = manager(&cx, &company_id).await?;
        let part = super::service::Part::parse(&kind).ok_or(AppError::NotFound)?;
        super::service::remove_part(&cx.state, &cx.actor(&user), &company_id, part, &id).await?;
        let tab = if part == super::service::Part::Branch {
            "branches"
        } else {
            "contacts"
        };
        back(&company_id, tab, "removed");
        Ok(())
    })
    .await
}

#[server(endpoint = "companies/add_employee")]
pub async fn add_employee(
    company_id: String,
    pnr: String,
    first_name: String,
    last_name: String,
    position: String,
    start_date: String,
) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = manager(&cx, &company_id).await?;
        let new = super::service::NewEmployee {
            pnr: &pnr,
            first_name: &first_name,
            last_name: &last_name,
            position: &position,
            start_date: &start_date,
        };
        let staff = user.is_staff();
        super::service::add_employee(&cx.state, &cx.actor(&user), &company_id, &new, staff)
            .await
            .map_err(|e| {
                e.keep(&[
                    ("pnr", &pnr),
                    ("first_name", &first_name),
                    ("last_name", &last_name),
                    ("position", &position),
                    ("start_date", &start_date),
                ])
            })?;
        back(
            &company_id,
            "employees",
            if staff { "added" } else { "requested" },
        );
        Ok(())
    })
    .await
}

#[server(endpoint = "companies/end_employment")]
pub async fn end_employment(
    company_id: String,
    id: String,
    end_date: String,
) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = manager(&cx, &company_id).await?;
        super::service::end_employment(&cx.state, &cx.actor(&user), &company_id, &id, &end_date)
            .await
            .map_err(|e| e.keep(&[("end_date", &end_date)]))?;
        back(&company_id, "employees", "ended");
        Ok(())
    })
    .await
}

/// "Ny anteckning": staff only.
#[server(endpoint = "companies/add_note")]
pub async fn add_note(company_id: String, body: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        super::service::add_note(&cx.state, &cx.actor(&user), &company_id, &body)
            .await
            .map_err(|e| e.keep(&[("body", &body)]))?;
        back(&company_id, "notes", "added");
        Ok(())
    })
    .await
}

/// Makes an account, named by username or email, an administrator of the company. Staff only.
#[server(endpoint = "companies/add_admin")]
pub async fn add_admin(company_id: String, account: String) -> Result<(), AppError> {
    serve(|cx| async move {
        use crate::i18n::Text;
        let user = cx.require_staff().await?;
        let result = async {
            let id = crate::accounts::roles::find(&cx.state.db, &account)
                .await?
                .ok_or_else(|| AppError::field("account", Text::FieldAccountUnknown))?;
            let mut tx = cx.state.db.begin().await?;
            super::store::exists(&mut tx, &company_id).await?;
            crate::accounts::roles::grant_scoped(
                &mut tx,
                &cx.state,
                &cx.actor(&user),
                &id,
                crate::auth::model::Role::CompanyAdmin,
                &company_id,
            )
            .await
            .map_err(|e| match e {
                // The role form's messages belong to this form's one field.
                AppError::Validation(errors) => AppError::Validation(
                    errors
                        .into_iter()
                        .map(|mut f| {
                            if f.message.as_ref().map(|m| m.text) == Some(Text::FieldRoleHeld) {
                                f.message = Some(Text::FieldAlreadyAdmin.into());
                            }
                            f.field = "account".to_owned();
                            f
                        })
                        .collect(),
                ),
                other => other,
            })?;
            tx.commit().await?;
            Ok::<_, AppError>(())
        }
        .await;
        result.map_err(|e| e.keep(&[("account", &account)]))?;
        back(&company_id, "admins", "added");
        Ok(())
    })
    .await
}

#[server(endpoint = "companies/remove_admin")]
pub async fn remove_admin(company_id: String, account_id: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        crate::accounts::roles::revoke(
            &cx.state,
            &user,
            &cx.actor(&user),
            &account_id,
            "company_admin",
            &company_id,
        )
        .await?;
        back(&company_id, "admins", "removed");
        Ok(())
    })
    .await
}
