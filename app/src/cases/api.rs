//! The cases' server functions. A case is its person's: another person's case is not found,
//! and an account without a person (staff, a training provider) has none.

use super::model::{ApplyView, CasePanel, MyCases};
#[cfg(feature = "ssr")]
use crate::auth::request::{Ctx, serve};
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in person: their account and person ids.
#[cfg(feature = "ssr")]
async fn person(cx: &Ctx) -> Result<(crate::auth::model::CurrentUser, String), AppError> {
    let user = cx.require_user().await?;
    let person = user.person_id.clone().ok_or(AppError::Forbidden)?;
    Ok((user, person))
}

/// After an application (new or renewal): to the case's upload tab, which says whether it opened
/// a case or one was open.
#[cfg(feature = "ssr")]
fn to_case(applied: super::model::Applied) {
    use super::model::Applied;
    let (id, done) = match applied {
        Applied::Opened { id } => (id, "opened"),
        Applied::AlreadyOpen { id } => (id, "already_open"),
    };
    leptos_axum::redirect(&format!("/my/cases/{id}?tab=upload&done={done}"));
}

/// "Ansök om nytt certifikat": the schemes, and the details the application confirms.
#[server(endpoint = "cases/apply_view")]
pub async fn application_form() -> Result<ApplyView, AppError> {
    serve(|cx| async move {
        let (_, person) = person(&cx).await?;
        super::service::apply_view(&cx.state.db, &person).await
    })
    .await
}

/// Sends the application: the case page says whether it opened a case or one was open.
#[server(endpoint = "cases/apply")]
pub async fn apply(scheme_id: String, level_id: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let (user, person) = person(&cx).await?;
        let applied =
            super::service::apply(&cx.state, &cx.actor(&user), &person, &scheme_id, &level_id)
                .await
                .map_err(|e| e.keep(&[("scheme_id", &scheme_id), ("level_id", &level_id)]))?;
        to_case(applied);
        Ok(())
    })
    .await
}

/// "Ansök om förnyelse" of one of the signed-in person's certificates.
#[server(endpoint = "cases/renewal_view")]
pub async fn renewal_form(certificate_id: String) -> Result<super::model::RenewalView, AppError> {
    serve(|cx| async move {
        let (_, person) = person(&cx).await?;
        super::renewal::view(&cx.state, &person, &certificate_id).await
    })
    .await
}

/// Applies for the renewal: the case page says whether it opened a case or one was open.
#[server(endpoint = "cases/renew")]
pub async fn apply_renewal(certificate_id: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let (user, person) = person(&cx).await?;
        let applied =
            super::renewal::apply(&cx.state, &cx.actor(&user), &person, &certificate_id).await?;
        to_case(applied);
        Ok(())
    })
    .await
}

/// "Mina certifieringar": the signed-in person's cases and certificates.
#[server(endpoint = "cases/mine")]
pub async fn list_my_cases() -> Result<MyCases, AppError> {
    serve(|cx| async move {
        let (_, person) = person(&cx).await?;
        super::service::mine(&cx.state.db, &person).await
    })
    .await
}

/// One of the signed-in person's cases.
#[server(endpoint = "cases/get")]
pub async fn get_case(id: String) -> Result<CasePanel, AppError> {
    serve(|cx| async move {
        let (_, person) = person(&cx).await?;
        let mut panel = super::service::panel(&cx.state, &person, &id).await?;
        panel.upload_max_mb = cx.state.config.upload_max >> 20;
        Ok(panel)
    })
    .await
}

/// "Meddela varför dokument ej kan laddas upp" → "Överför".
#[server(endpoint = "cases/explain")]
pub async fn explain_document(
    case_id: String,
    requirement_id: String,
    reason: String,
) -> Result<(), AppError> {
    serve(|cx| async move {
        let (user, person) = person(&cx).await?;
        super::service::explain(
            &cx.state,
            &cx.actor(&user),
            &person,
            &case_id,
            &requirement_id,
            &reason,
        )
        .await
        .map_err(|e| e.keep(&[("reason", &reason)]))?;
        leptos_axum::redirect(&format!("/my/cases/{case_id}?tab=upload&done=explained"));
        Ok(())
    })
    .await
}

/// "MEDDELA OSS": the page says whether this press sent it or it had been sent before.
#[server(endpoint = "cases/ready")]
pub async fn notify_ready(case_id: String) -> Result<(), AppError> {
    use super::model::Ready;
    serve(|cx| async move {
        let (user, person) = person(&cx).await?;
        let done =
            match super::service::ready(&cx.state, &cx.actor(&user), &person, &case_id).await? {
                Ready::Sent => "ready",
                Ready::AlreadySent { .. } => "already_ready",
            };
        leptos_axum::redirect(&format!("/my/cases/{case_id}?tab=upload&done={done}"));
        Ok(())
    })
    .await
}

/// "Arkiv" of one of the signed-in person's cases: sorted by `sort` (date, name, type, note)
/// in `dir` (asc, desc), of one `doc_type` or all, a page.
#[server(endpoint = "cases/archive")]
pub async fn case_archive(
    case_id: String,
    sort: String,
    dir: String,
    doc_type: String,
    page: u32,
) -> Result<super::model::Archive, AppError> {
    use super::model::{ArchiveQuery, ArchiveSort, DocType};
    serve(|cx| async move {
        let (_, person) = person(&cx).await?;
        let sort = ArchiveSort::parse(&sort).unwrap_or(ArchiveSort::Date);
        let q = ArchiveQuery {
            sort,
            descending: match dir.as_str() {
                "asc" => false,
                "desc" => true,
                _ => sort == ArchiveSort::Date,
            },
            doc_type: DocType::parse(&doc_type),
            page: page.max(1),
        };
        super::service::archive(&cx.state.db, &person, &case_id, &q).await
    })
    .await
}

/// The schemes and how many documents each requires (staff).
#[server(endpoint = "cases/schemes")]
pub async fn list_schemes() -> Result<Vec<super::model::SchemeLine>, AppError> {
    serve(|cx| async move {
        cx.require_staff().await?;
        super::service::scheme_lines(&cx.state.db).await
    })
    .await
}

/// A scheme's required documents (staff; body administrators may change them).
#[server(endpoint = "cases/scheme_documents")]
pub async fn scheme_documents(
    scheme_id: String,
) -> Result<super::model::SchemeDocuments, AppError> {
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        let editable = user.has(crate::auth::model::Role::BodyAdmin);
        super::service::scheme_documents(&cx.state.db, &scheme_id, editable).await
    })
    .await
}

/// "Spara": adds a required document to the scheme (no `id`) or rewrites one.
#[server(endpoint = "cases/save_requirement")]
pub async fn save_requirement(
    scheme_id: String,
    id: String,
    name: String,
    name_en: String,
    help: String,
    help_en: String,
    #[server(default)] shared: Option<String>,
) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_body_admin().await?;
        let form = super::service::RequirementForm {
            name: &name,
            name_en: &name_en,
            help: &help,
            help_en: &help_en,
            shared: shared.is_some(),
        };
        super::service::save_requirement(&cx.state, &cx.actor(&user), &scheme_id, &id, &form)
            .await
            .map_err(|e| {
                e.keep(&[
                    ("name", &name),
                    ("name_en", &name_en),
                    ("help", &help),
                    ("help_en", &help_en),
                ])
            })?;
        leptos_axum::redirect(&format!("/staff/schemes/{scheme_id}?done=saved"));
        Ok(())
    })
    .await
}

/// "Ta bort", confirmed: the page says whether this removed it or it was gone already.
#[server(endpoint = "cases/remove_requirement")]
pub async fn remove_requirement(scheme_id: String, id: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_body_admin().await?;
        let removed =
            super::service::remove_requirement(&cx.state, &cx.actor(&user), &scheme_id, &id)
                .await?;
        let done = if removed {
            "removed"
        } else {
            "already_removed"
        };
        leptos_axum::redirect(&format!("/staff/schemes/{scheme_id}?done={done}"));
        Ok(())
    })
    .await
}

/// "Flytta upp" / "Flytta ned" (`direction` up or down).
#[server(endpoint = "cases/move_requirement")]
pub async fn move_requirement(
    scheme_id: String,
    id: String,
    direction: String,
) -> Result<(), AppError> {
    serve(|cx| async move {
        cx.require_body_admin().await?;
        super::service::move_requirement(&cx.state, &scheme_id, &id, direction == "up").await?;
        leptos_axum::redirect(&format!("/staff/schemes/{scheme_id}"));
        Ok(())
    })
    .await
}

/// "Ta bort mall": the page says whether this removed the template or it had none.
#[server(endpoint = "cases/remove_template")]
pub async fn remove_template(scheme_id: String, id: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_body_admin().await?;
        let removed =
            super::service::remove_template(&cx.state, &cx.actor(&user), &scheme_id, &id).await?;
        let done = if removed {
            "template_removed"
        } else {
            "template_already_removed"
        };
        leptos_axum::redirect(&format!("/staff/schemes/{scheme_id}?done={done}"));
        Ok(())
    })
    .await
}

/// "Gallring": what the retention rule will delete within a year, and when (body
/// administrators; a dry run).
#[server(endpoint = "cases/retention_report")]
pub async fn retention_report(
    page: u32,
) -> Result<crate::types::Paged<super::model::Expiry>, AppError> {
    serve(|cx| async move {
        cx.require_body_admin().await?;
        super::retention::report(&cx.state.db, cx.state.clock.today(), page).await
    })
    .await
}
