//! The training domain's server functions: the public profile and a course certificate's
//! verification for anyone; a provider's workspace for its staff (and the body's); booking for a
//! company's admins; the participant's own bookings, consent and review.

use super::model::*;
#[cfg(feature = "ssr")]
use crate::auth::request::serve;
use crate::error::AppError;
use leptos::prelude::*;

/// `/providers/:id`: the profile, its courses and reviews (anyone).
#[server(endpoint = "training/profile")]
pub async fn provider_profile(id: String) -> Result<Profile, AppError> {
    serve(|cx| async move {
        let user = cx.user().await?;
        super::service::profile(&cx.state, user.as_ref(), &id).await
    })
    .await
}

/// `/staff/providers`: every provider (staff), and whether the caller may add one.
#[server(endpoint = "training/providers")]
pub async fn providers() -> Result<(Vec<Provider>, bool), AppError> {
    serve(|cx| async move {
        let user = cx.require_staff().await?;
        let all = super::service::providers(&cx.state).await?;
        Ok((all, user.has(crate::auth::model::Role::BodyAdmin)))
    })
    .await
}

/// "Lägg till utbildningsleverantör" (body administrators).
#[server(endpoint = "training/create_provider")]
pub async fn create_provider(orgnr: String, name: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_body_admin().await?;
        let id = super::service::create_provider(&cx.state, &cx.actor(&user), &orgnr, &name)
            .await
            .map_err(|e| e.keep(&[("orgnr", &orgnr), ("name", &name)]))?;
        leptos_axum::redirect(&format!("/providers/{id}?done=created"));
        Ok(())
    })
    .await
}

/// `/provider`: the caller's provider (staff name one with `provider_id`), its courses and
/// bookings (`status` filters; a page at a time).
#[server(endpoint = "training/provider_workspace")]
pub async fn provider_workspace(
    provider_id: String,
    status: String,
    page: u32,
) -> Result<Workspace, AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        super::service::workspace(&cx.state, &user, &provider_id, &status, page).await
    })
    .await
}

/// "Spara" on the provider's profile.
#[server(endpoint = "training/save_profile")]
pub async fn save_profile(
    id: String,
    name: String,
    description: String,
    website: String,
    linkedin_org_id: String,
) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        let p = Provider {
            id: id.clone(),
            orgnr: String::new(),
            name,
            description,
            website,
            linkedin_org_id,
            logo: None,
        };
        let changed = super::service::save_profile(&cx.state, &cx.actor(&user), &user, &p)
            .await
            .map_err(|e| {
                e.keep(&[
                    ("name", &p.name),
                    ("description", &p.description),
                    ("website", &p.website),
                    ("linkedin_org_id", &p.linkedin_org_id),
                ])
            })?;
        let done = if changed { "saved" } else { "unchanged" };
        leptos_axum::redirect(&format!("/provider?provider_id={id}&done={done}"));
        Ok(())
    })
    .await
}

/// "Spara" on a course: new when `course_id` is empty.
#[server(endpoint = "training/save_course")]
pub async fn save_course(
    provider_id: String,
    course_id: String,
    title: String,
    description: String,
    starts_on: String,
    price: String,
) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        let form = super::service::CourseForm {
            title: &title,
            description: &description,
            starts_on: &starts_on,
            price: &price,
        };
        let id = super::service::save_course(
            &cx.state,
            &cx.actor(&user),
            &user,
            &provider_id,
            &course_id,
            &form,
        )
        .await
        .map_err(|e| {
            e.keep(&[
                ("title", &title),
                ("description", &description),
                ("starts_on", &starts_on),
                ("price", &price),
            ])
        })?;
        leptos_axum::redirect(&format!("/provider/courses/{id}?done=saved"));
        Ok(())
    })
    .await
}

/// A course for its provider's staff to change, with the schemes it may be training for.
#[server(endpoint = "training/course_for_edit")]
pub async fn course_for_edit(id: String) -> Result<(Course, Vec<(String, String)>), AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        super::service::course_for_edit(&cx.state, &user, &id).await
    })
    .await
}

/// "Lägg till en certifiering" at the bottom of the course page.
#[server(endpoint = "training/set_certification")]
pub async fn set_certification(
    course_id: String,
    certification: String,
    #[server(default)] graded: Option<String>,
    scheme_id: String,
) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        super::service::set_certification(
            &cx.state,
            &cx.actor(&user),
            &user,
            &course_id,
            &certification,
            graded.is_some(),
            &scheme_id,
        )
        .await
        .map_err(|e| e.keep(&[("certification", &certification)]))?;
        let done = if certification.trim().is_empty() {
            "certification_removed"
        } else {
            "certification"
        };
        leptos_axum::redirect(&format!("/provider/courses/{course_id}?done={done}"));
        Ok(())
    })
    .await
}

/// `/companies/:id/training`: the company's employees, the courses and its bookings.
#[server(endpoint = "training/company_bookings")]
pub async fn company_bookings(company_id: String) -> Result<CompanyTraining, AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        super::service::company_training(&cx.state, &user, &company_id).await
    })
    .await
}

/// "Boka": a company admin books an employee on a course.
#[server(endpoint = "training/book")]
pub async fn book(
    company_id: String,
    person_id: String,
    course_id: String,
) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        let booked = super::service::book(
            &cx.state,
            &cx.actor(&user),
            &user,
            &company_id,
            &person_id,
            &course_id,
        )
        .await
        .map_err(|e| e.keep(&[("person_id", &person_id), ("course_id", &course_id)]))?;
        let done = match booked {
            super::service::Booked::New => "booked",
            super::service::Booked::Already => "already_booked",
        };
        leptos_axum::redirect(&format!("/companies/{company_id}/training?done={done}"));
        Ok(())
    })
    .await
}

/// One booking, for its provider's staff, the participant, the employer's admins and staff.
#[server(endpoint = "training/get_booking")]
pub async fn get_booking(
    id: String,
    #[server(default)] events_page: Option<u32>,
) -> Result<Booking, AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        super::service::booking(&cx.state, &user, &id, events_page.unwrap_or(1)).await
    })
    .await
}

/// "Ändra": the booking's participation status (its provider).
#[server(endpoint = "training/change_status")]
pub async fn change_status(id: String, status: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        let done =
            match super::service::change_status(&cx.state, &cx.actor(&user), &user, &id, &status)
                .await?
            {
                Changed::Changed => "changed",
                Changed::Already => "unchanged",
            };
        leptos_axum::redirect(&format!("/provider/bookings/{id}?done={done}"));
        Ok(())
    })
    .await
}

/// "Dra tillbaka certifikat", with a reason (its provider).
#[server(endpoint = "training/withdraw")]
pub async fn withdraw_certificate(id: String, reason: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        let done = match super::service::withdraw(&cx.state, &cx.actor(&user), &user, &id, &reason)
            .await
            .map_err(|e| e.keep(&[("reason", &reason)]))?
        {
            Changed::Changed => "withdrawn",
            Changed::Already => "already_withdrawn",
        };
        leptos_axum::redirect(&format!("/provider/bookings/{id}?done={done}"));
        Ok(())
    })
    .await
}

/// `/my/training`: the signed-in participant's bookings.
#[server(endpoint = "training/my_training")]
pub async fn my_training() -> Result<Vec<MyBooking>, AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        super::service::mine(&cx.state, &user).await
    })
    .await
}

/// The participant lets the employer see a graded certificate (`give=1`), or withdraws it.
#[server(endpoint = "training/consent")]
pub async fn consent(id: String, give: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        let give = match give.as_str() {
            "1" => true,
            "0" => false,
            _ => {
                return Err(AppError::field(
                    "give",
                    crate::i18n::Text::FieldChoiceInvalid,
                ));
            }
        };
        let changed =
            super::service::consent(&cx.state, &cx.actor(&user), &user, &id, give).await?;
        let done = match (changed, give) {
            (Changed::Already, _) => "unchanged",
            (Changed::Changed, true) => "consented",
            (Changed::Changed, false) => "consent_withdrawn",
        };
        leptos_axum::redirect(&format!("/my/training?done={done}"));
        Ok(())
    })
    .await
}

/// "Skicka recension": 1 to 5 and a text, once.
#[server(endpoint = "training/send_review")]
pub async fn send_review(
    id: String,
    #[server(default)] rating: Option<String>,
    text: String,
) -> Result<(), AppError> {
    let rating = rating.unwrap_or_default();
    serve(|cx| async move {
        let user = cx.require_user().await?;
        let done =
            match super::service::review(&cx.state, &cx.actor(&user), &user, &id, &rating, &text)
                .await
                .map_err(|e| e.keep(&[("id", &id), ("text", &text)]))?
            {
                Changed::Changed => "reviewed",
                Changed::Already => "already_reviewed",
            };
        leptos_axum::redirect(&format!("/my/training?done={done}"));
        Ok(())
    })
    .await
}

/// `/verify/course/:code`: what anyone may know of a course certificate.
#[server(endpoint = "training/verify")]
pub async fn verify_course(code: String) -> Result<CourseVerification, AppError> {
    serve(|cx| async move { super::service::verification(&cx.state, &code).await }).await
}

/// A person's course certificates, beside the body's: the person's own (`person_id` empty), or
/// any person's for the body's staff.
#[server(endpoint = "training/course_certificates")]
pub async fn course_certificates(
    person_id: String,
) -> Result<Vec<PersonCourseCertificate>, AppError> {
    serve(|cx| async move {
        if person_id.is_empty() {
            let user = cx.require_user().await?;
            super::service::my_certificates(&cx.state, &user).await
        } else {
            cx.require_staff().await?;
            super::service::person_certificates(&cx.state, &person_id).await
        }
    })
    .await
}

/// "Bifoga till ansökan": the course certificate to an open application (`target`: `case
/// id/required document id`); the answer is the case's page with the document.
#[server(endpoint = "training/attach")]
pub async fn attach_to_case(id: String, target: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        let done = super::service::attach_to_case(&cx.state, &cx.actor(&user), &user, &id, &target)
            .await
            .map_err(|e| e.keep(&[("id", &id)]))?;
        leptos_axum::redirect(&format!(
            "/my/cases/{}?tab=upload&done=uploaded&doc={}#uploaded",
            done.case_id, done.document_id
        ));
        Ok(())
    })
    .await
}

/// Back to the provider's workspace, with what the form did.
#[cfg(feature = "ssr")]
fn to_workspace(provider_id: &str, done: &str) {
    leptos_axum::redirect(&format!(
        "/provider?provider_id={}&done={done}",
        crate::ui::format::encode_component(provider_id)
    ));
}

/// "Bjud in": the provider's staff invite someone to one of its courses by name and email.
#[server(endpoint = "training/invite")]
pub async fn invite_participant(
    course_id: String,
    name: String,
    email: String,
    #[server(default)] language: Option<String>,
) -> Result<(), AppError> {
    let language = language.unwrap_or_default();
    serve(|cx| async move {
        let user = cx.require_user().await?;
        // The email's language: the one chosen on the form, else the inviter's.
        let locale = match language.trim() {
            "" => cx.locale,
            code => crate::i18n::Locale::from_code(code).ok_or_else(|| {
                AppError::field("language", crate::i18n::Text::FieldChoiceInvalid)
            })?,
        };
        let new = super::invites::NewInvite {
            course_id: &course_id,
            name: &name,
            email: &email,
        };
        let keep = [
            ("course_id", course_id.as_str()),
            ("name", &name),
            ("email", &email),
            ("language", &language),
        ];
        let (done, provider) =
            super::invites::invite(&cx.state, &cx.actor(&user), &user, locale, &new)
                .await
                .map_err(|e| e.keep(&keep))?;
        let done = match done {
            super::invites::Invited::Sent => "invited",
            super::invites::Invited::Already => "already_invited",
        };
        to_workspace(&provider, done);
        Ok(())
    })
    .await
}

/// "Återkalla": the provider withdraws an open invitation.
#[server(endpoint = "training/withdraw_invite")]
pub async fn withdraw_invite(provider_id: String, id: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        let done = match super::invites::withdraw(&cx.state, &cx.actor(&user), &user, &id).await? {
            Changed::Changed => "invite_withdrawn",
            Changed::Already => "unchanged",
        };
        to_workspace(&provider_id, done);
        Ok(())
    })
    .await
}

/// `/training/invite/:token`: what an emailed invitation offers (anyone holding the link).
#[server(endpoint = "training/course_invite")]
pub async fn course_invite(token: String) -> Result<InviteLink, AppError> {
    serve(|cx| async move {
        let user = cx.user().await?;
        super::invites::link(&cx.state, user.as_ref(), &token).await
    })
    .await
}

/// "Tacka ja" (signed in; `company_id` one of the person's employers, or empty) or "Tacka nej".
#[server(endpoint = "training/answer_invite")]
pub async fn answer_invite(
    token: String,
    decision: String,
    #[server(default)] company_id: Option<String>,
) -> Result<(), AppError> {
    let company_id = company_id.unwrap_or_default();
    serve(|cx| async move {
        let accept = match decision.as_str() {
            "accept" => true,
            "decline" => false,
            _ => {
                return Err(AppError::field(
                    "decision",
                    crate::i18n::Text::FieldChoiceInvalid,
                ));
            }
        };
        let user = cx.user().await?;
        let actor = match &user {
            Some(u) => cx.actor(u),
            None => crate::events::service::Actor {
                account_id: None,
                label: "e-postlänk".to_owned(),
                ip: cx.origin.ip_text(),
            },
        };
        let answer = super::invites::answer(
            &cx.state,
            &actor,
            user.as_ref(),
            &token,
            accept,
            &company_id,
        )
        .await?;
        let to = match answer {
            // To the booking's card.
            InviteAnswer::Booked { booking } => {
                format!("/my/training?done=invite_accepted#booking-{booking}")
            }
            InviteAnswer::AlreadyAccepted => "/my/training?done=invite_already".to_owned(),
            InviteAnswer::AlreadyBooked { booking } => {
                format!("/my/training?done=invite_booked#booking-{booking}")
            }
            InviteAnswer::Declined => format!("/training/invite/{}?done=declined", token.trim()),
            InviteAnswer::Closed => format!("/training/invite/{}", token.trim()),
        };
        leptos_axum::redirect(&to);
        Ok(())
    })
    .await
}

/// "Ta bort logotyp".
#[server(endpoint = "training/remove_logo")]
pub async fn remove_logo(provider_id: String) -> Result<(), AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        let done =
            match super::service::remove_logo(&cx.state, &cx.actor(&user), &user, &provider_id)
                .await?
            {
                Changed::Changed => "logo_removed",
                Changed::Already => "unchanged",
            };
        to_workspace(&provider_id, done);
        Ok(())
    })
    .await
}
