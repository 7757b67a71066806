//! The training domain's rules and transactions: who may see and change what, one booking's
//! life from "Okänt" to "Fullföljd", the course certificate, consent and reviews.

use super::model::*;
use super::store::{self, BookingFacts, CourseFields, CourseRow, ProviderRow};
use crate::auth::model::{CurrentUser, Role};
use crate::clock::to_db;
use crate::error::{AppError, AppResult};
use crate::events::service::{Actor, Reader, Subject};
use crate::i18n::{Msg, Text};
use crate::messages::model::Notice;
use crate::state::AppState;
use sqlx::AnyConnection;

/// The providers whose staff the account is.
pub fn providers_of(user: &CurrentUser) -> Vec<&str> {
    user.grants
        .iter()
        .filter(|g| g.role == Role::ProviderStaff && !g.scope.is_empty())
        .map(|g| g.scope.as_str())
        .collect()
}

/// Staff keep every provider; a provider's staff their own.
pub fn keeps_provider(user: &CurrentUser, provider_id: &str) -> bool {
    user.is_staff() || providers_of(user).contains(&provider_id)
}

/// A name on one line (a title, a certification, a website).
pub(super) fn line_text(field: &str, value: &str, max: usize, required: bool) -> AppResult<String> {
    if value.trim().contains(['\n', '\r']) {
        return Err(AppError::field(field, Text::FieldOneLine));
    }
    field_text(field, value, max, required)
}

fn field_text(field: &str, value: &str, max: usize, required: bool) -> AppResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return if required {
            Err(AppError::field(field, Text::FieldRequiredHere))
        } else {
            Ok(String::new())
        };
    }
    if value.chars().count() > max {
        return Err(AppError::field(
            field,
            Msg::with(Text::FieldTooLong, &[("max", &max.to_string())]),
        ));
    }
    if !crate::validate::readable(value) {
        return Err(AppError::field(field, Text::CaseReasonUnreadable));
    }
    Ok(value.to_owned())
}

/// An entry on a provider's log: what changed, by name.
pub(super) async fn provider_event(
    conn: &mut AnyConnection,
    state: &AppState,
    provider_id: &str,
    actor: &Actor,
    action: &str,
    name: &str,
) -> sqlx::Result<()> {
    let subject = Subject::provider(provider_id);
    let details = serde_json::json!({ "name": name });
    crate::events::service::append(conn, &state.clock, subject, actor, action, details).await?;
    Ok(())
}

/// An entry on a booking's log.
pub(super) async fn booking_event(
    conn: &mut AnyConnection,
    state: &AppState,
    booking_id: &str,
    actor: &Actor,
    action: &str,
    details: serde_json::Value,
) -> sqlx::Result<()> {
    let subject = Subject::booking(booking_id);
    crate::events::service::append(conn, &state.clock, subject, actor, action, details).await?;
    Ok(())
}

fn provider_of_row(r: ProviderRow) -> Provider {
    // The address changes with the logo, so a browser may keep it long.
    let logo = r
        .logo_sha256
        .map(|sha| format!("/providers/{}/logo?v={}", r.id, &sha[..sha.len().min(12)]));
    Provider {
        id: r.id,
        orgnr: r.orgnr,
        name: r.name,
        description: r.description,
        website: r.website,
        linkedin_org_id: r.linkedin_org_id,
        logo,
    }
}

pub(super) fn course_of_row(r: CourseRow) -> Course {
    Course {
        id: r.id,
        provider_id: r.provider_id,
        provider_name: r.provider_name,
        title: r.title,
        description: r.description,
        starts_on: r.starts_on,
        price: r.price,
        certification: r.certification,
        graded: r.graded != 0,
        scheme_id: r.scheme_id,
        scheme_name: r.scheme_name.unwrap_or_default(),
    }
}

/// A new provider (body administrators): its organisation number once.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn create_provider(
    state: &AppState,
    actor: &Actor,
    orgnr: &str,
    name: &str,
) -> AppResult<String> {
    let orgnr = crate::types::Orgnr::parse(orgnr).map_err(|t| AppError::field("orgnr", t))?;
    let name = line_text("name", name, TITLE_MAX, true)?;
    let mut tx = state.db.begin().await?;
    let id = uuid::Uuid::now_v7().to_string();
    if !store::insert_provider(
        &mut tx,
        &id,
        orgnr.as_str(),
        &name,
        &to_db(state.clock.now()),
    )
    .await?
    {
        return Err(AppError::field("orgnr", Text::ProviderOrgnrTaken));
    }
    provider_event(&mut tx, state, &id, actor, "provider.created", &name).await?;
    tx.commit().await?;
    Ok(id)
}

/// Every provider (staff).
pub async fn providers(state: &AppState) -> AppResult<Vec<Provider>> {
    Ok(store::providers(&state.db.pool)
        .await?
        .into_iter()
        .map(provider_of_row)
        .collect())
}

/// `/providers/:id`, for anyone.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn profile(state: &AppState, user: Option<&CurrentUser>, id: &str) -> AppResult<Profile> {
    let pool = &state.db.pool;
    let provider = store::provider(pool, id).await?.ok_or(AppError::NotFound)?;
    let courses = store::courses_of(pool, id).await?;
    let reviews: Vec<Review> = store::reviews_of(pool, id)
        .await?
        .into_iter()
        .map(|r| Review {
            rating: r.review_rating,
            text: r.review_text,
            // The month only: a day would tell the provider who wrote it.
            on: crate::ui::format::short_date(&r.reviewed_at)
                .chars()
                .take(7)
                .collect(),
            course: r.title,
        })
        .collect();
    let average = (!reviews.is_empty()).then(|| {
        let sum: i64 = reviews.iter().map(|r| r.rating).sum();
        (sum * 10 + reviews.len() as i64 / 2) / reviews.len() as i64
    });
    Ok(Profile {
        editable: user.is_some_and(|u| keeps_provider(u, id)),
        provider: provider_of_row(provider),
        courses: courses.into_iter().map(course_of_row).collect(),
        reviews,
        average,
    })
}

/// The provider a workspace is about: the caller's own (the first, when several), or for staff
/// the one asked for.
fn workspace_provider(user: &CurrentUser, asked: &str) -> AppResult<String> {
    if !asked.is_empty() {
        return if keeps_provider(user, asked) {
            Ok(asked.to_owned())
        } else {
            Err(AppError::NotFound)
        };
    }
    providers_of(user)
        .first()
        .map(|p| (*p).to_owned())
        .ok_or(AppError::Forbidden)
}

/// `/provider`: the profile, the courses and the bookings (newest first, a page at a time).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn workspace(
    state: &AppState,
    user: &CurrentUser,
    provider_id: &str,
    status: &str,
    page: u32,
) -> AppResult<Workspace> {
    let id = workspace_provider(user, provider_id)?;
    let pool = &state.db.pool;
    let provider = store::provider(pool, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = Status::parse(status).map(Status::code);
    let size = crate::types::LIST_PAGE;
    let rows = store::bookings_of_provider(
        pool,
        &id,
        status,
        i64::from(size) + 1,
        crate::types::offset(page, size),
    )
    .await?;
    let rows = rows
        .into_iter()
        .map(|b| row_of(b, Viewer::Provider))
        .collect();
    Ok(Workspace {
        provider: provider_of_row(provider),
        courses: store::courses_of(pool, &id)
            .await?
            .into_iter()
            .map(course_of_row)
            .collect(),
        bookings: crate::types::Paged::of(rows, page, size),
        waiting: store::waiting(pool, &id).await?,
        invites: super::invites::invites_of(state, &id).await?,
    })
}

fn row_of(b: BookingFacts, viewer: Viewer) -> BookingRow {
    let uploaded = b.cert_sha256.is_some() && b.cert_withdrawn_at.is_none();
    let visible = may_see_certificate(viewer, b.cert_graded != 0, b.consent_at.is_some());
    let (certificate, hidden) = (uploaded && visible, uploaded && !visible);
    BookingRow {
        participant: b.name.full(),
        company: b.company_name.unwrap_or_default(),
        id: b.id,
        course_title: b.course_title,
        provider_name: b.provider_name,
        course_date: b.course_date,
        status: b.status,
        status_at: b.status_at,
        certificate,
        hidden,
    }
}

/// "Spara" on the provider's profile.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save_profile(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    p: &Provider,
) -> AppResult<bool> {
    if !keeps_provider(user, &p.id) {
        return Err(AppError::NotFound);
    }
    let linkedin = p.linkedin_org_id.trim();
    if !linkedin.is_empty()
        && (linkedin.len() > 20 || !linkedin.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(AppError::field(
            "linkedin_org_id",
            Text::ProviderLinkedinInvalid,
        ));
    }
    let website = line_text("website", &p.website, 200, false)?;
    if !website.is_empty() && !website.starts_with("https://") && !website.starts_with("http://") {
        return Err(AppError::field("website", Text::ProviderWebsiteInvalid));
    }
    let row = ProviderRow {
        id: p.id.clone(),
        orgnr: String::new(),
        name: line_text("name", &p.name, TITLE_MAX, true)?,
        description: field_text("description", &p.description, DESCRIPTION_MAX, false)?,
        website,
        linkedin_org_id: linkedin.to_owned(),
        logo_sha256: None,
    };
    let mut tx = state.db.begin().await?;
    if store::provider(&state.db.pool, &p.id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let changed = store::update_profile(&mut tx, &row).await?;
    if changed {
        provider_event(&mut tx, state, &p.id, actor, "provider.updated", &row.name).await?;
    }
    tx.commit().await?;
    Ok(changed)
}

/// A course's form as sent.
pub struct CourseForm<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub starts_on: &'a str,
    pub price: &'a str,
}

/// "Spara" on a course: a new one (`course_id` empty) for `provider_id`, or an existing one.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn save_course(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    provider_id: &str,
    course_id: &str,
    f: &CourseForm<'_>,
) -> AppResult<String> {
    // Whose course it is, before anything about the form: another's is not found.
    let provider = if course_id.is_empty() {
        if !keeps_provider(user, provider_id)
            || store::provider(&state.db.pool, provider_id)
                .await?
                .is_none()
        {
            return Err(AppError::NotFound);
        }
        provider_id.to_owned()
    } else {
        let mut conn = state.db.pool.acquire().await?;
        store::course(&mut conn, course_id)
            .await?
            .filter(|c| keeps_provider(user, &c.provider_id))
            .ok_or(AppError::NotFound)?
            .provider_id
    };
    let title = line_text("title", f.title, TITLE_MAX, true)?;
    let description = field_text("description", f.description, DESCRIPTION_MAX, false)?;
    let starts_on = match f.starts_on.trim() {
        "" => None,
        d => Some(
            crate::validate::parse_date(d)
                .ok_or_else(|| AppError::field("starts_on", Text::FieldDateInvalid))?
                .format("%Y-%m-%d")
                .to_string(),
        ),
    };
    let price = match f.price.trim().replace(' ', "").as_str() {
        "" => None,
        p => Some(
            p.parse::<i64>()
                .ok()
                .filter(|p| (0..=10_000_000).contains(p))
                .ok_or_else(|| AppError::field("price", Text::CoursePriceInvalid))?,
        ),
    };
    let fields = CourseFields {
        title: &title,
        description: &description,
        starts_on: starts_on.as_deref(),
        price,
    };
    let mut tx = state.db.begin().await?;
    let (id, action) = if course_id.is_empty() {
        let id = uuid::Uuid::now_v7().to_string();
        let at = to_db(state.clock.now());
        store::insert_course(&mut tx, &id, &provider, &fields, &at).await?;
        (id, "provider.course_added")
    } else {
        store::update_course(&mut tx, course_id, &fields).await?;
        (course_id.to_owned(), "provider.course_changed")
    };
    provider_event(&mut tx, state, &provider, actor, action, &title).await?;
    tx.commit().await?;
    Ok(id)
}

/// A course for its provider's staff to change, with the schemes it may be training for.
pub async fn course_for_edit(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> AppResult<(Course, Vec<(String, String)>)> {
    let mut conn = state.db.pool.acquire().await?;
    let course = store::course(&mut conn, id)
        .await?
        .filter(|c| keeps_provider(user, &c.provider_id))
        .ok_or(AppError::NotFound)?;
    Ok((course_of_row(course), store::schemes(&state.db.pool).await?))
}

/// "Lägg till en certifiering" (an empty name removes it): which certificate a participant
/// gets, whether it shows grades or scores, and the scheme it is required training for.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_certification(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    course_id: &str,
    name: &str,
    graded: bool,
    scheme_id: &str,
) -> AppResult<()> {
    let mut tx = state.db.begin().await?;
    let course = store::course(&mut tx, course_id)
        .await?
        .filter(|c| keeps_provider(user, &c.provider_id))
        .ok_or(AppError::NotFound)?;
    let name = line_text("certification", name, TITLE_MAX, false)?;
    let scheme = match scheme_id.trim() {
        "" => None,
        s if store::scheme_exists(&mut tx, s).await? => Some(s),
        _ => return Err(AppError::field("scheme_id", Text::FieldChoiceInvalid)),
    };
    store::set_certification(
        &mut tx,
        course_id,
        &name,
        graded && !name.is_empty(),
        scheme,
    )
    .await?;
    provider_event(
        &mut tx,
        state,
        &course.provider_id,
        actor,
        "provider.certification_set",
        &course.title,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What a company's admin sees: its employees, the courses, its bookings.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn company_training(
    state: &AppState,
    user: &CurrentUser,
    company_id: &str,
) -> AppResult<CompanyTraining> {
    if !user.manages_company(company_id) {
        return Err(AppError::Forbidden);
    }
    let mut conn = state.db.pool.acquire().await?;
    let name = store::company_name(&mut conn, company_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let pool = &state.db.pool;
    let today = crate::db::Day::text(state.clock.today());
    let viewer = if user.is_staff() {
        Viewer::Staff
    } else {
        Viewer::Employer
    };
    Ok(CompanyTraining {
        company_id: company_id.to_owned(),
        company_name: name,
        employees: store::employees(pool, company_id, &today)
            .await?
            .into_iter()
            .map(|(id, n)| (id, n.full()))
            .collect(),
        courses: store::all_courses(pool)
            .await?
            .into_iter()
            .map(course_of_row)
            .collect(),
        bookings: store::bookings_of_company(pool, company_id, &today)
            .await?
            .into_iter()
            .map(|b| row_of(b, viewer))
            .collect(),
    })
}

/// What booking did: a new request, or the one already there (a form sent twice).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Booked {
    New,
    Already,
}

/// A company admin books an employee on a course (its date, or on request): a request with
/// status "Okänt". The provider's staff hear of it on their workspace.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn book(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    company_id: &str,
    person_id: &str,
    course_id: &str,
) -> AppResult<Booked> {
    if !user.manages_company(company_id) {
        return Err(AppError::Forbidden);
    }
    let mut missing = Vec::new();
    if person_id.trim().is_empty() {
        missing.push(crate::error::FieldError::new(
            "person_id",
            Text::BookingChooseEmployee,
        ));
    }
    if course_id.trim().is_empty() {
        missing.push(crate::error::FieldError::new(
            "course_id",
            Text::BookingChooseCourse,
        ));
    }
    if !missing.is_empty() {
        return Err(AppError::Validation(missing));
    }
    let mut tx = state.db.begin().await?;
    let today = crate::db::Day::text(state.clock.today());
    // Only the company's own confirmed employees: anyone else is refused in the same words.
    if !store::is_employee(&mut tx, company_id, person_id, &today).await? {
        return Err(AppError::field("person_id", Text::BookingChooseEmployee));
    }
    let course = store::course(&mut tx, course_id)
        .await?
        .ok_or_else(|| AppError::field("course_id", Text::BookingChooseCourse))?;
    let id = uuid::Uuid::now_v7().to_string();
    let date = course.starts_on.clone().unwrap_or_default();
    let at = to_db(state.clock.now());
    if !store::insert_booking(
        &mut tx,
        &id,
        course_id,
        person_id,
        Some(company_id),
        &date,
        Status::Unknown,
        &at,
    )
    .await?
    {
        return Ok(Booked::Already);
    }
    booking_event(
        &mut tx,
        state,
        &id,
        actor,
        Status::Unknown.action(),
        serde_json::json!({ "name": course.title }),
    )
    .await?;
    let notice = Notice::Training {
        news: Text::NoticeBookingBooked,
        course: course.title.clone(),
        provider: course.provider_name.clone(),
        status: None,
    };
    crate::messages::service::tell(&mut tx, state, person_id, &notice).await?;
    tx.commit().await?;
    Ok(Booked::New)
}

/// How the caller stands to a booking, or not found.
async fn viewer_of(state: &AppState, user: &CurrentUser, b: &BookingFacts) -> AppResult<Viewer> {
    if user.is_staff() {
        return Ok(Viewer::Staff);
    }
    if providers_of(user).contains(&b.provider_id.as_str()) {
        return Ok(Viewer::Provider);
    }
    if user.person_id.as_deref() == Some(b.person_id.as_str()) {
        return Ok(Viewer::Participant);
    }
    // The employer while the participant still works there (a former one sees nothing).
    if let Some(company) = b.company_id.as_deref()
        && user.admin_companies().contains(&company)
    {
        let mut conn = state.db.pool.acquire().await?;
        let today = crate::db::Day::text(state.clock.today());
        if store::is_employee(&mut conn, company, &b.person_id, &today).await? {
            return Ok(Viewer::Employer);
        }
    }
    Err(AppError::NotFound)
}

async fn facts(state: &AppState, id: &str) -> AppResult<BookingFacts> {
    let mut conn = state.db.pool.acquire().await?;
    store::booking(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// A course certificate's public page.
fn verify_url(state: &AppState, code: &str) -> String {
    format!("{}/verify/course/{code}", state.config.base_url)
}

fn certification_of(state: &AppState, b: &BookingFacts, viewer: Viewer) -> Certification {
    if b.certification.is_empty() && b.cert_sha256.is_none() {
        return Certification::None;
    }
    let (Some(code), Some(name), Some(at)) = (&b.cert_code, &b.cert_name, &b.cert_uploaded_at)
    else {
        return Certification::Waiting;
    };
    if !may_see_certificate(viewer, b.cert_graded != 0, b.consent_at.is_some()) {
        return Certification::Hidden;
    }
    Certification::Shown(CourseCertificate {
        qr: super::pdf::qr_data_uri(&verify_url(state, code)),
        title: b.cert_title.clone(),
        code: code.clone(),
        name: name.clone(),
        uploaded_on: crate::ui::format::short_date(at),
        withdrawn: b.cert_withdrawn_at.as_ref().map(|w| {
            (
                crate::ui::format::short_date(w),
                b.cert_withdrawn_reason.clone(),
            )
        }),
    })
}

/// One booking, for whoever may see it: its provider's staff, the participant, the employer's
/// admins and the body's staff. Anyone else finds nothing.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn booking(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    events_page: u32,
) -> AppResult<Booking> {
    let b = facts(state, id).await?;
    let viewer = viewer_of(state, user, &b).await?;
    let reader = Reader {
        staff: viewer == Viewer::Staff,
        owner: viewer == Viewer::Participant,
    };
    // A review is the participant's to give, shown without their name: not on the booking's log
    // for the provider or the employer; nor, for an employer, a certificate they may not see.
    let certification = certification_of(state, &b, viewer);
    let hide: &[&str] = match (viewer, &certification) {
        (Viewer::Employer, Certification::Hidden) => {
            &["booking.reviewed", "booking.certificate_uploaded"]
        }
        (Viewer::Employer | Viewer::Provider, _) => &["booking.reviewed"],
        _ => &[],
    };
    let events =
        crate::events::service::views(state, Subject::booking(id), reader, events_page, hide)
            .await?;
    let mut conn = state.db.pool.acquire().await?;
    let course = store::course(&mut conn, &b.course_id)
        .await?
        .map(course_of_row)
        .ok_or(AppError::NotFound)?;
    Ok(Booking {
        certification,
        id: b.id.clone(),
        course,
        participant: b.name.full(),
        company: b.company_id.clone().zip(b.company_name.clone()),
        course_date: b.course_date.clone(),
        status: b.status,
        status_at: b.status_at.clone(),
        consent: b.consent_at.is_some(),
        events,
        manage: matches!(viewer, Viewer::Provider | Viewer::Staff),
        upload_max_mb: state.config.upload_max >> 20,
    })
}

/// The provider's own booking, or not found (the participant and employer read it, but do not
/// change it).
async fn providers_booking(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> AppResult<BookingFacts> {
    let b = facts(state, id).await?;
    match viewer_of(state, user, &b).await? {
        Viewer::Provider | Viewer::Staff => Ok(b),
        _ => Err(AppError::Forbidden),
    }
}

/// "Ändra": the booking's new participation status, chosen by its provider. The participant
/// and their employer's admins are told.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn change_status(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    id: &str,
    to: &str,
) -> AppResult<Changed> {
    let b = providers_booking(state, user, id).await?;
    let to = Status::parse(to)
        .filter(|s| Status::CHOICES.contains(s))
        .ok_or_else(|| AppError::field("status", Text::FieldChoiceInvalid))?;
    if b.status == to {
        return Ok(Changed::Already);
    }
    // A certificate stands for "Fullföljd": it is withdrawn before the status moves on.
    if b.cert_sha256.is_some() && b.cert_withdrawn_at.is_none() {
        return Err(AppError::field("status", Text::BookingWithdrawFirst));
    }
    let mut tx = state.db.begin().await?;
    let today = crate::db::Day::text(state.clock.today());
    let moved = store::set_status(&mut tx, id, b.status, to, &to_db(state.clock.now()), &today)
        .await
        .map_err(|e| {
            AppError::from_db(
                e,
                &[crate::error::Constraint {
                    name: "bookings_once",
                    columns: "bookings.course_id, bookings.person_id, bookings.course_date",
                    field: "status",
                    message: Text::BookingRunningAgain,
                }],
            )
        })?;
    if !moved {
        // Another change came first: what it is now decides.
        tx.rollback().await?;
        let now = facts(state, id).await?;
        return if now.status == to {
            Ok(Changed::Already)
        } else {
            Err(AppError::field("status", Text::BookingChangedMeanwhile))
        };
    }
    booking_event(
        &mut tx,
        state,
        id,
        actor,
        to.action(),
        serde_json::json!({}),
    )
    .await?;
    let news = match to {
        Status::Completed => Text::NoticeBookingCompleted,
        _ => Text::NoticeBookingStatus,
    };
    tell_both(&mut tx, state, &b, news, to.text()).await?;
    tx.commit().await?;
    Ok(Changed::Changed)
}

/// Tells the participant, and their employer's admins, about a booking.
pub(super) async fn tell_both(
    conn: &mut AnyConnection,
    state: &AppState,
    b: &BookingFacts,
    news: Text,
    status: Text,
) -> AppResult<()> {
    let notice = Notice::Training {
        news,
        course: b.course_title.clone(),
        provider: b.provider_name.clone(),
        status: Some(status),
    };
    let mut items = vec![(
        crate::messages::service::recipient(conn, &b.person_id).await?,
        notice,
    )];
    let today = crate::db::Day::text(state.clock.today());
    let employed = match &b.company_id {
        Some(company) => store::is_employee(conn, company, &b.person_id, &today).await?,
        None => false,
    };
    if let Some(company) = b.company_id.as_ref().filter(|_| employed) {
        let employer = Notice::EmployeeTraining {
            status,
            participant: b.name.full(),
            course: b.course_title.clone(),
        };
        for admin in store::company_admins(conn, company).await? {
            if admin != b.person_id {
                items.push((
                    crate::messages::service::recipient(conn, &admin).await?,
                    employer.clone(),
                ));
            }
        }
    }
    crate::messages::service::tell_many(conn, state, &items).await?;
    Ok(())
}

/// What an upload did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Uploaded {
    New,
    /// The same file again (a form sent twice): nothing changed.
    Already,
}

/// A new certificate's public code: twelve characters no one confuses (no 0/O, 1/I).
fn new_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let chars: String = (0..12)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("K-{}-{}-{}", &chars[..4], &chars[4..8], &chars[8..])
}

/// Whether the provider may upload now: the course has a certification, the booking is
/// "Fullföljd", and no certificate is there (or it was withdrawn). Checked before the file is
/// read, and again when it is kept.
pub async fn check_upload(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<()> {
    let b = providers_booking(state, user, id).await?;
    upload_allowed(&b, None)
}

/// The upload's rules; `sha256` is the file's once it has arrived (the same file again is no
/// refusal: it changes nothing).
fn upload_allowed(b: &BookingFacts, sha256: Option<&str>) -> AppResult<()> {
    if b.certification.is_empty() {
        return Err(AppError::field("file", Text::BookingNoCertification));
    }
    if b.status != Status::Completed {
        return Err(AppError::field("file", Text::BookingNotCompleted));
    }
    if let Some(sha256) = sha256
        && b.cert_sha256.is_some()
        && b.cert_withdrawn_at.is_none()
        && b.cert_sha256.as_deref() != Some(sha256)
    {
        return Err(AppError::field("file", Text::BookingCertificateExists));
    }
    Ok(())
}

/// "Ladda upp": keeps the PDF (judged by its content) as the booking's certificate.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn upload_certificate(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    id: &str,
    original_name: &str,
    file: crate::cases::files::Received,
) -> AppResult<Uploaded> {
    let b = providers_booking(state, user, id).await?;
    upload_allowed(&b, Some(&file.sha256))?;
    if b.cert_sha256.as_deref() == Some(file.sha256.as_str()) && b.cert_withdrawn_at.is_none() {
        return Ok(Uploaded::Already);
    }
    let path = file.path.to_path_buf();
    // Only a PDF: whatever else the file is, the form's own words say so.
    let format = tokio::task::spawn_blocking(move || crate::cases::files::classify(&path))
        .await
        .map_err(AppError::internal)?;
    if !matches!(format, Ok(crate::cases::model::Format::Pdf)) {
        return Err(AppError::field("file", Text::BookingPdfOnly));
    }
    let key = crate::storage::Storage::key(&file.sha256);
    state
        .storage
        .put_file(&key, &file.path)
        .await
        .map_err(AppError::internal)?;
    let name: String = original_name
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let name = if name.is_empty() {
        format!("{}.pdf", b.course_title)
    } else {
        name
    };
    let mut tx = state.db.begin().await?;
    let code = new_code();
    let at = to_db(state.clock.now());
    let new = store::NewCertificate {
        sha256: &file.sha256,
        name: &name,
        code: &code,
        title: &b.certification,
        graded: b.graded != 0,
        at: &at,
    };
    if !store::set_certificate(&mut tx, id, &new).await? {
        // Another upload came first (or the status moved on meanwhile): the same file is
        // "already"; another is not kept, unless something else uses it.
        tx.rollback().await?;
        let now = facts(state, id).await?;
        if now.cert_sha256.as_deref() == Some(file.sha256.as_str())
            && now.cert_withdrawn_at.is_none()
        {
            return Ok(Uploaded::Already);
        }
        crate::cases::service::forget_if_unused(state, &file.sha256).await?;
        upload_allowed(&now, Some(&file.sha256))?;
        return Err(AppError::field("file", Text::BookingCertificateExists));
    }
    booking_event(
        &mut tx,
        state,
        id,
        actor,
        "booking.certificate_uploaded",
        serde_json::json!({ "file": name, "code": code }),
    )
    .await?;
    tell_both(
        &mut tx,
        state,
        &b,
        Text::NoticeBookingCertificate,
        Text::BookingCertificateUploadedStatus,
    )
    .await?;
    tx.commit().await?;
    Ok(Uploaded::New)
}

/// "Dra tillbaka": the provider withdraws the certificate, with a reason; its page says so.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn withdraw(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    id: &str,
    reason: &str,
) -> AppResult<Changed> {
    let b = providers_booking(state, user, id).await?;
    let reason = field_text("reason", reason, REASON_MAX, true)?;
    if b.cert_sha256.is_none() {
        return Err(AppError::field("reason", Text::BookingNoCertificateYet));
    }
    let mut tx = state.db.begin().await?;
    if !store::withdraw(&mut tx, id, &reason, &to_db(state.clock.now())).await? {
        return Ok(Changed::Already);
    }
    booking_event(
        &mut tx,
        state,
        id,
        actor,
        "booking.certificate_withdrawn",
        serde_json::json!({ "reason": reason }),
    )
    .await?;
    tell_both(
        &mut tx,
        state,
        &b,
        Text::NoticeBookingWithdrawn,
        Text::BookingCertificateWithdrawnStatus,
    )
    .await?;
    tx.commit().await?;
    Ok(Changed::Changed)
}

/// The participant's own person, or refused (an account without one has no bookings).
fn own_person(user: &CurrentUser) -> AppResult<String> {
    user.person_id.clone().ok_or(AppError::Forbidden)
}

/// `/my/training`: the participant's bookings, certificates, consent and reviews.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn mine(state: &AppState, user: &CurrentUser) -> AppResult<Vec<MyBooking>> {
    let person = own_person(user)?;
    let pool = &state.db.pool;
    let mut out = Vec::new();
    for b in store::bookings_of_person(&state.db, &person).await? {
        let mut conn = pool.acquire().await?;
        let course = store::course(&mut conn, &b.course_id)
            .await?
            .map(course_of_row)
            .ok_or(AppError::NotFound)?;
        drop(conn);
        let provider = store::provider(pool, &b.provider_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let certification = certification_of(state, &b, Viewer::Participant);
        let linkedin = match &certification {
            Certification::Shown(c) if c.withdrawn.is_none() && b.review_rating.is_some() => {
                Some(crate::certificates::linkedin::LinkedIn::new(
                    if b.cert_title.is_empty() {
                        &b.course_title
                    } else {
                        &b.cert_title
                    },
                    &provider.name,
                    Some(&provider.linkedin_org_id),
                    &c.uploaded_on,
                    "",
                    &verify_url(state, &c.code),
                    &c.code,
                    false,
                ))
            }
            _ => None,
        };
        let attach_to = match (&certification, &course.scheme_id) {
            (Certification::Shown(c), Some(scheme)) if c.withdrawn.is_none() => {
                store::open_case_documents(pool, &person, scheme)
                    .await?
                    .into_iter()
                    .map(|(case, order, req, name)| {
                        (format!("{case}/{req}"), format!("{order} – {name}"))
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        out.push(MyBooking {
            attach_to,
            id: b.id.clone(),
            provider: provider.name,
            provider_id: provider.id,
            company: b.company_name.clone().unwrap_or_default(),
            course_date: b.course_date.clone(),
            status: b.status,
            graded: if b.cert_sha256.is_some() {
                b.cert_graded != 0
            } else {
                b.graded != 0
            },
            consent: b.consent_at.is_some(),
            review: b.review_rating.map(|r| (r, b.review_text.clone())),
            certification,
            linkedin,
            course,
        });
    }
    Ok(out)
}

async fn own_booking(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<BookingFacts> {
    let person = own_person(user)?;
    let b = facts(state, id).await?;
    if b.person_id != person {
        return Err(AppError::NotFound);
    }
    Ok(b)
}

/// The participant lets their employer see a graded certificate (`give`), or withdraws that.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn consent(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    id: &str,
    give: bool,
) -> AppResult<Changed> {
    let b = own_booking(state, user, id).await?;
    // A consent is for the certificate there is: a graded one, not withdrawn.
    if give && (b.cert_sha256.is_none() || b.cert_withdrawn_at.is_some() || b.cert_graded == 0) {
        return Err(AppError::field("give", Text::ConsentNotNeeded));
    }
    let mut tx = state.db.begin().await?;
    let at = give.then(|| to_db(state.clock.now()));
    if !store::set_consent(&mut tx, id, at.as_deref()).await? {
        return Ok(Changed::Already);
    }
    let action = if give {
        "booking.consent_given"
    } else {
        "booking.consent_withdrawn"
    };
    booking_event(&mut tx, state, id, actor, action, serde_json::json!({})).await?;
    tx.commit().await?;
    Ok(Changed::Changed)
}

/// "Lämna en recension": 1 to 5 and a text, once, after "Fullföljd".
#[tracing::instrument(level = "debug", skip_all)]
pub async fn review(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    id: &str,
    rating: &str,
    text: &str,
) -> AppResult<Changed> {
    let b = own_booking(state, user, id).await?;
    let rating = rating
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|r| (1..=5).contains(r))
        .ok_or_else(|| AppError::field("rating", Text::ReviewRatingInvalid))?;
    let text = field_text("text", text, REVIEW_MAX, false)?;
    if b.status != Status::Completed {
        return Err(AppError::field("rating", Text::ReviewNotCompleted));
    }
    if b.review_rating.is_some() {
        return Ok(Changed::Already);
    }
    let mut tx = state.db.begin().await?;
    if !store::review(&mut tx, id, rating, &text, &to_db(state.clock.now())).await? {
        return Ok(Changed::Already);
    }
    booking_event(
        &mut tx,
        state,
        id,
        actor,
        "booking.reviewed",
        serde_json::json!({ "rating": rating.to_string() }),
    )
    .await?;
    tx.commit().await?;
    Ok(Changed::Changed)
}

/// `/verify/course/:code`, for anyone.
pub async fn verification(state: &AppState, code: &str) -> AppResult<CourseVerification> {
    let code = code.trim().to_uppercase();
    if code.len() > 40 {
        return Err(AppError::NotFound);
    }
    let r = store::verification(&state.db.pool, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(CourseVerification {
        code: r.cert_code,
        certification: r.certification,
        course: r.title,
        provider: r.provider_name,
        provider_id: r.provider_id,
        issued_on: crate::ui::format::short_date(&r.cert_uploaded_at),
        withdrawn: r
            .cert_withdrawn_at
            .map(|w| (crate::ui::format::short_date(&w), r.cert_withdrawn_reason)),
    })
}

/// A booking's certificate file, for a reader who may see it: (sha256, name).
pub async fn certificate_file(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> AppResult<(String, String)> {
    let b = facts(state, id).await?;
    let viewer = viewer_of(state, user, &b).await?;
    if !may_see_certificate(viewer, b.cert_graded != 0, b.consent_at.is_some()) {
        return Err(AppError::NotFound);
    }
    match (b.cert_sha256, b.cert_name) {
        (Some(sha), Some(name)) => Ok((sha, name)),
        _ => Err(AppError::NotFound),
    }
}

/// The day's reviews to remind: a week after "Fullföljd", once. Inside the daily job.
pub async fn remind_reviews(conn: &mut AnyConnection, state: &AppState) -> sqlx::Result<usize> {
    let today = state.clock.today();
    let asked_before = crate::db::Day::text(today - chrono::Duration::days(REVIEW_REMINDER_DAYS));
    let due =
        store::take_review_reminders(conn, &asked_before, &crate::db::Day::text(today)).await?;
    let mut items = Vec::with_capacity(due.len());
    for (_, person, course, provider) in &due {
        items.push((
            crate::messages::service::recipient(conn, person).await?,
            Notice::Training {
                news: Text::NoticeReviewReminder,
                course: course.clone(),
                provider: provider.clone(),
                status: None,
            },
        ));
    }
    crate::messages::service::tell_many(conn, state, &items).await?;
    Ok(due.len())
}

/// "Ladda ned signerat intyg": the course certificate as the portal vouches for it, signed by the
/// body's key, for whoever may see the certificate; a withdrawn one is not vouched for.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn signed_certificate(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    locale: crate::i18n::Locale,
) -> AppResult<(Vec<u8>, String)> {
    let b = facts(state, id).await?;
    let viewer = viewer_of(state, user, &b).await?;
    if !may_see_certificate(viewer, b.cert_graded != 0, b.consent_at.is_some())
        || b.cert_withdrawn_at.is_some()
    {
        return Err(AppError::NotFound);
    }
    let (Some(code), Some(at)) = (&b.cert_code, &b.cert_uploaded_at) else {
        return Err(AppError::NotFound);
    };
    let issued_on: String = crate::ui::format::short_date(at);
    let facts = super::pdf::Facts {
        provider: &b.provider_name,
        certification: &b.cert_title,
        course: &b.course_title,
        participant: &b.name.full(),
        issued_on: &issued_on,
        code,
    };
    let pdf = super::pdf::render(
        &facts,
        locale,
        &state.config.body_name,
        &verify_url(state, code),
        &state.clock.now().format("D:%Y%m%d%H%M%SZ").to_string(),
    );
    let (signed, digest) = state
        .config
        .seal
        .sign_pdf(pdf)
        .await
        .map_err(AppError::internal)?;
    // Remembered, so "Kontrollera en PDF" knows it as ours.
    let at = to_db(state.clock.now());
    store::insert_statement_print(&state.db.pool, &digest, code, &at).await?;
    Ok((signed, format!("kursintyg-{code}.pdf")))
}

/// A person's course certificates, for the person and the body's staff.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn person_certificates(
    state: &AppState,
    person_id: &str,
) -> AppResult<Vec<PersonCourseCertificate>> {
    Ok(store::bookings_of_person(&state.db, person_id)
        .await?
        .into_iter()
        .filter_map(|b| {
            Some(PersonCourseCertificate {
                code: b.cert_code?,
                issued_on: crate::ui::format::short_date(b.cert_uploaded_at.as_deref()?),
                withdrawn: b.cert_withdrawn_at.is_some(),
                booking_id: b.id,
                certification: b.cert_title,
                course: b.course_title,
                provider: b.provider_name,
                provider_id: b.provider_id,
            })
        })
        .collect())
}

/// The signed-in person's own course certificates.
pub async fn my_certificates(
    state: &AppState,
    user: &CurrentUser,
) -> AppResult<Vec<PersonCourseCertificate>> {
    let person = own_person(user)?;
    person_certificates(state, &person).await
}

/// What "Bifoga till ansökan" did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attached {
    pub case_id: String,
    pub document_id: String,
}

/// "Bifoga till ansökan": the participant sends the course certificate of a course that is
/// required training for a scheme to one of their open applications for it, as the document
/// `target` (`case id/required document id`) asks for. The case's own upload does the rest (whose
/// case, which document, the same file twice, the hourly limit).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn attach_to_case(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    id: &str,
    target: &str,
) -> AppResult<Attached> {
    let person = own_person(user)?;
    let b = own_booking(state, user, id).await?;
    let mut conn = state.db.pool.acquire().await?;
    let course = store::course(&mut conn, &b.course_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let (Some(scheme), Some(sha256), Some(name), None) = (
        course.scheme_id.as_deref(),
        b.cert_sha256.as_deref(),
        b.cert_name.as_deref(),
        b.cert_withdrawn_at.as_deref(),
    ) else {
        return Err(AppError::field("target", Text::AttachNotPossible));
    };
    let allowed = store::open_case_documents(&state.db.pool, &person, scheme).await?;
    let Some((case_id, requirement_id)) = target
        .split_once('/')
        .filter(|(c, r)| allowed.iter().any(|(k, _, q, _)| k == c && q == r))
    else {
        return Err(AppError::field("target", Text::FieldChoiceInvalid));
    };
    // The stored file, copied to a temporary one as an upload arrives.
    let (_, mut stream) = state
        .storage
        .get(&crate::storage::Storage::key(sha256))
        .await
        .map_err(AppError::internal)?;
    let config = &state.config;
    let mut incoming = crate::cases::files::Incoming::new(&config.upload_dir, config.upload_max)
        .await
        .map_err(AppError::internal)?;
    use futures_util::StreamExt;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(AppError::internal)?;
        incoming.push(&chunk).await.map_err(AppError::internal)?;
    }
    let file = incoming.finish().await?;
    let note = crate::i18n::Locale::Sv.format(
        Text::AttachNote,
        &[("provider", &b.provider_name), ("course", &b.course_title)],
    );
    let up = crate::cases::service::Upload {
        case_id,
        requirement_id,
        original_name: name,
        note: &note,
    };
    let done = crate::cases::service::upload(
        state,
        actor,
        crate::cases::service::Uploader::Person(&person),
        &up,
        file,
    )
    .await?;
    Ok(Attached {
        case_id: case_id.to_owned(),
        document_id: done.id,
    })
}

/// "Kontrollera en PDF" on a signed statement of a course certificate: its code, the day it was
/// made, and whether the certificate is withdrawn now; `None` when no statement of ours has
/// that digest.
pub async fn statement_verdict(
    state: &AppState,
    digest: String,
) -> AppResult<Option<crate::certificates::model::PdfVerdict>> {
    let Some((code, printed_at)) = store::statement_print(&state.db.pool, &digest).await? else {
        return Ok(None);
    };
    let withdrawn = verification(state, &code).await?.withdrawn.is_some();
    Ok(Some(
        crate::certificates::model::PdfVerdict::CourseStatement {
            code,
            printed_on: crate::ui::format::short_date(&printed_at),
            withdrawn,
        },
    ))
}

/// What a logo upload did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogoSet {
    Set,
    /// The same picture again: nothing changed.
    Already,
}

/// Whether the caller may change the provider's logo (checked before the file is read).
pub fn check_logo(user: &CurrentUser, provider_id: &str) -> AppResult<()> {
    if keeps_provider(user, provider_id) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The picture's format by its content, if it is a PNG or JPEG of a sensible size.
fn logo_format(bytes: &[u8]) -> AppResult<&'static str> {
    let format = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => "png",
        Ok(imagesize::ImageType::Jpeg) => "jpeg",
        _ => return Err(AppError::field("file", Text::LogoNotImage)),
    };
    let size =
        imagesize::blob_size(bytes).map_err(|_| AppError::field("file", Text::LogoNotImage))?;
    if size.width == 0 || size.height == 0 {
        return Err(AppError::field("file", Text::LogoNotImage));
    }
    let side = LOGO_MAX_SIDE as usize;
    if size.width > side || size.height > side {
        return Err(AppError::field(
            "file",
            Msg::with(Text::LogoTooBig, &[("max", &LOGO_MAX_SIDE.to_string())]),
        ));
    }
    Ok(format)
}

/// "Ladda upp logotyp": a PNG or JPEG (by its content) of at most [`LOGO_MAX_BYTES`] and
/// [`LOGO_MAX_SIDE`] pixels a side, shown on the public profile.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn set_logo(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    provider_id: &str,
    file: crate::cases::files::Received,
) -> AppResult<LogoSet> {
    check_logo(user, provider_id)?;
    let provider = store::provider(&state.db.pool, provider_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if file.size > LOGO_MAX_BYTES {
        return Err(AppError::field(
            "file",
            Msg::with(
                Text::LogoTooLarge,
                &[("max", &(LOGO_MAX_BYTES >> 10).to_string())],
            ),
        ));
    }
    if provider.logo_sha256.as_deref() == Some(file.sha256.as_str()) {
        return Ok(LogoSet::Already);
    }
    let bytes = tokio::fs::read(&file.path)
        .await
        .map_err(AppError::internal)?;
    let format = logo_format(&bytes)?;
    let key = crate::storage::Storage::key(&file.sha256);
    let storage = &state.storage;
    storage
        .put_bytes(&key, bytes.clone())
        .await
        .map_err(AppError::internal)?;
    let mut tx = state.db.begin().await?;
    let changed = store::set_logo(&mut tx, provider_id, Some((&file.sha256, format))).await?;
    if changed {
        provider_event(
            &mut tx,
            state,
            provider_id,
            actor,
            "provider.logo_set",
            &provider.name,
        )
        .await?;
    }
    tx.commit().await?;
    // Another provider dropping the same picture at the same moment found it unused before
    // this commit and may have removed the file: it is put back (used now, it stays).
    if !storage.exists(&key).await.map_err(AppError::internal)? {
        storage
            .put_bytes(&key, bytes)
            .await
            .map_err(AppError::internal)?;
    }
    if let Some(old) = provider.logo_sha256.filter(|_| changed) {
        crate::cases::service::forget_if_unused(state, &old).await?;
    }
    Ok(if changed {
        LogoSet::Set
    } else {
        LogoSet::Already
    })
}

/// "Ta bort logotyp".
#[tracing::instrument(level = "debug", skip_all)]
pub async fn remove_logo(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    provider_id: &str,
) -> AppResult<Changed> {
    check_logo(user, provider_id)?;
    let provider = store::provider(&state.db.pool, provider_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    if !store::set_logo(&mut tx, provider_id, None).await? {
        return Ok(Changed::Already);
    }
    provider_event(
        &mut tx,
        state,
        provider_id,
        actor,
        "provider.logo_removed",
        &provider.name,
    )
    .await?;
    tx.commit().await?;
    if let Some(old) = provider.logo_sha256 {
        crate::cases::service::forget_if_unused(state, &old).await?;
    }
    Ok(Changed::Changed)
}

/// A provider's logo for anyone: its stored file and content type.
pub async fn logo(state: &AppState, provider_id: &str) -> AppResult<(String, &'static str)> {
    let (sha, format) = store::logo(&state.db.pool, provider_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let content_type = match format.as_str() {
        "png" => "image/png",
        _ => "image/jpeg",
    };
    Ok((sha, content_type))
}
