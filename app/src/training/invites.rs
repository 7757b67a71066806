//! Participants invited by email: a provider's staff invite someone to a course by name and
//! address; the emailed link (30 days, kept only as its hash) shows the course, and its
//! recipient accepts it signed in (it becomes their booking, "Anmäld", perhaps for one of
//! their employers) or declines it. The provider sees how each invitation stands and may
//! withdraw an open one.

use super::model::*;
use super::service::{
    booking_event, course_of_row, keeps_provider, line_text, provider_event, tell_both,
};
use super::store::{self, InviteRow};
use crate::auth::model::CurrentUser;
use crate::clock::to_db;
use crate::error::{AppError, AppResult, FieldError};
use crate::events::service::Actor;
use crate::i18n::{Locale, Msg, Text};
use crate::state::AppState;
use crate::types::{EMAIL_MAX, EmailAddr};
use sqlx::AnyConnection;

/// The invitation form as sent.
pub struct NewInvite<'a> {
    pub course_id: &'a str,
    pub name: &'a str,
    pub email: &'a str,
}

/// What inviting did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invited {
    Sent,
    /// The address has an open invitation to the course already (a form sent twice): no
    /// second email.
    Already,
}

/// "Bjud in": an invitation to one of the provider's courses, emailed (in `locale`, the
/// inviter's language, as the recipient's is not known) with its link. Answers what it did
/// and the course's provider.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn invite(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    locale: Locale,
    new: &NewInvite<'_>,
) -> AppResult<(Invited, String)> {
    let mut conn = state.db.pool.acquire().await?;
    let course = store::course(&mut conn, new.course_id.trim()).await?;
    drop(conn);
    let mut errors = Vec::new();
    // Another provider's course is not found; no course is told with the other fields.
    let course = match course {
        Some(c) if keeps_provider(user, &c.provider_id) => Some(c),
        Some(_) => return Err(AppError::NotFound),
        None => {
            errors.push(FieldError::new("course_id", Text::BookingChooseCourse));
            None
        }
    };
    let name = match line_text("name", new.name, 200, true) {
        Ok(name) => Some(name),
        Err(AppError::Validation(e)) => {
            errors.extend(e);
            None
        }
        Err(e) => return Err(e),
    };
    let email = EmailAddr::parse(new.email)
        .map_err(|t| {
            let max = EMAIL_MAX.to_string();
            errors.push(FieldError::new("email", Msg::with(t, &[("max", &max)])))
        })
        .ok();
    let (Some(course), Some(name), Some(email)) = (course, name, email) else {
        return Err(AppError::Validation(errors));
    };
    let (hour, now) = (chrono::Duration::hours(1), state.clock.now());
    // A form sent again changes nothing, and costs nothing of the hour's allowance.
    let at = to_db(now);
    if store::invite_open(&state.db.pool, &course.id, email.as_str(), &at).await? {
        return Ok((Invited::Already, course.provider_id));
    }
    let key = format!("invite:provider:{}", course.provider_id);
    let limited = crate::auth::throttle::hit(&state.db, &key, INVITES_PER_HOUR, hour, now);
    if let Some(wait) = limited.await? {
        return Err(crate::auth::service::rate_limited("email", wait));
    }
    let token = crate::auth::session::new_token();
    let row = InviteRow {
        id: uuid::Uuid::now_v7().to_string(),
        course_id: course.id.clone(),
        provider_id: course.provider_id.clone(),
        course_title: course.title.clone(),
        provider_name: course.provider_name.clone(),
        starts_on: course.starts_on.clone(),
        email: email.as_str().to_owned(),
        name,
        created_at: to_db(now),
        expires_at: to_db(now + chrono::Duration::days(INVITE_DAYS)),
        status: InviteStatus::Open,
        decided_at: None,
        booking_id: None,
    };
    let mut tx = state.db.begin().await?;
    let hash = crate::auth::session::token_hash(&token);
    if !store::insert_invite(&mut tx, &row, &hash, actor.account_id.as_deref()).await? {
        return Ok((Invited::Already, course.provider_id));
    }
    invite_event(&mut tx, state, &row, actor, "provider.invited").await?;
    let link = format!("{}/training/invite/{token}", state.config.base_url);
    let when = course
        .starts_on
        .clone()
        .unwrap_or_else(|| locale.text(Text::CourseOnRequest).to_owned());
    let mail = crate::mail::templates::course_invitation(
        &state.config,
        email.as_str(),
        locale,
        &crate::mail::templates::CourseInvitation {
            name: &row.name,
            provider: &course.provider_name,
            course: &course.title,
            when: &when,
            link: &link,
            days: INVITE_DAYS,
        },
    );
    crate::mail::service::enqueue(&mut tx, &state.clock, &state.config.keys, &mail).await?;
    tx.commit().await?;
    Ok((Invited::Sent, course.provider_id))
}

/// How long an answered, withdrawn or expired invitation stays on the provider's list.
pub const INVITES_SHOWN_DAYS: i64 = 60;

/// A provider's invitations, newest first: the open ones, and the others of the last
/// [`INVITES_SHOWN_DAYS`] days.
pub async fn invites_of(state: &AppState, provider_id: &str) -> AppResult<Vec<Invite>> {
    let now = to_db(state.clock.now());
    let since = to_db(state.clock.now() - chrono::Duration::days(INVITES_SHOWN_DAYS));
    Ok(store::invites_of(&state.db.pool, provider_id, &since)
        .await?
        .into_iter()
        .map(|i| Invite {
            expired: i.status == InviteStatus::Open && i.expires_at <= now,
            sent_on: crate::ui::format::short_date(&i.created_at),
            id: i.id,
            course_title: i.course_title,
            email: i.email,
            name: i.name,
            status: i.status,
            booking_id: i.booking_id,
        })
        .collect())
}

/// "Återkalla": the provider withdraws an open invitation; its link stops working.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn withdraw(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    id: &str,
) -> AppResult<Changed> {
    let mut tx = state.db.begin().await?;
    let invite = store::invite(&mut tx, id)
        .await?
        .filter(|i| keeps_provider(user, &i.provider_id))
        .ok_or(AppError::NotFound)?;
    if invite.status == InviteStatus::Open && !open(state, &invite) {
        // Expired: its link works no more, nothing to withdraw.
        return Ok(Changed::Already);
    }
    let now = to_db(state.clock.now());
    if !store::close_invite(&mut tx, id, InviteStatus::Withdrawn, None, &now).await? {
        tx.rollback().await?;
        // Withdrawn already (a form sent twice), or answered meanwhile.
        return match invite.status {
            InviteStatus::Withdrawn => Ok(Changed::Already),
            _ => Err(AppError::field("invite", Text::InviteAnsweredMeanwhile)),
        };
    }
    invite_event(&mut tx, state, &invite, actor, "provider.invite_withdrawn").await?;
    tx.commit().await?;
    Ok(Changed::Changed)
}

/// An entry on the provider's log about an invitation: whom, to which course.
async fn invite_event(
    conn: &mut AnyConnection,
    state: &AppState,
    invite: &InviteRow,
    actor: &Actor,
    action: &str,
) -> sqlx::Result<()> {
    let what = format!("{} ({})", invite.name, invite.course_title);
    provider_event(conn, state, &invite.provider_id, actor, action, &what).await
}

/// The invitation behind an emailed link, whatever its state; `None` for no such link.
async fn of_link(conn: &mut AnyConnection, token: &str) -> AppResult<Option<InviteRow>> {
    // A link copied from an email may come with a space or a line break at either end.
    let token = token.trim();
    if token.is_empty() || token.len() > 100 {
        return Ok(None);
    }
    let hash = crate::auth::session::token_hash(token);
    Ok(store::invite_of_token(conn, &hash).await?)
}

/// Whether the link still works: open and not expired.
fn open(state: &AppState, i: &InviteRow) -> bool {
    i.status == InviteStatus::Open && i.expires_at > to_db(state.clock.now())
}

/// `/training/invite/:token`: what the link offers, for whoever holds it.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn link(
    state: &AppState,
    user: Option<&CurrentUser>,
    token: &str,
) -> AppResult<InviteLink> {
    let mut conn = state.db.pool.acquire().await?;
    let Some(invite) = of_link(&mut conn, token).await? else {
        return Ok(InviteLink::Closed { course: None });
    };
    if invite.status == InviteStatus::Accepted {
        return Ok(InviteLink::Accepted);
    }
    if !open(state, &invite) {
        let course = (invite.course_title, invite.provider_name);
        return Ok(InviteLink::Closed {
            course: Some(course),
        });
    }
    let course = store::course(&mut conn, &invite.course_id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let person = user.and_then(|u| u.person_id.clone());
    let employers = match &person {
        Some(p) => {
            let today = crate::db::Day::text(state.clock.today());
            store::employers_of(&state.db.pool, p, &today).await?
        }
        None => Vec::new(),
    };
    Ok(InviteLink::Open {
        course: Box::new(course_of_row(course)),
        name: invite.name,
        signed_in: user.map(|u| u.display_name.clone()),
        may_accept: person.is_some(),
        employers,
    })
}

/// The recipient answers through the link: "Tacka ja" (signed in as a person in the register;
/// `company_id` one of their employers, or empty) or "Tacka nej" (the link is enough). An
/// answer that comes after another (a form sent twice, or the provider withdrew it) changes
/// nothing and says so.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn answer(
    state: &AppState,
    actor: &Actor,
    user: Option<&CurrentUser>,
    token: &str,
    accept: bool,
    company_id: &str,
) -> AppResult<InviteAnswer> {
    let mut conn = state.db.pool.acquire().await?;
    let invite = of_link(&mut conn, token).await?.ok_or(AppError::NotFound)?;
    drop(conn);
    if invite.status == InviteStatus::Accepted && accept {
        return Ok(InviteAnswer::AlreadyAccepted);
    }
    if !open(state, &invite) {
        return Ok(InviteAnswer::Closed);
    }
    let now = to_db(state.clock.now());
    if !accept {
        let mut tx = state.db.begin().await?;
        if !store::close_invite(&mut tx, &invite.id, InviteStatus::Declined, None, &now).await? {
            return Ok(InviteAnswer::Closed);
        }
        invite_event(&mut tx, state, &invite, actor, "provider.invite_declined").await?;
        tx.commit().await?;
        return Ok(InviteAnswer::Declined);
    }
    let user = user.ok_or(AppError::Unauthorized)?;
    let person = user
        .person_id
        .clone()
        .ok_or_else(|| AppError::field("decision", Text::InviteNeedsPerson))?;
    let today = crate::db::Day::text(state.clock.today());
    let company = company_id.trim();
    if !company.is_empty()
        && !store::employers_of(&state.db.pool, &person, &today)
            .await?
            .iter()
            .any(|(id, _)| id == company)
    {
        return Err(AppError::field("company_id", Text::FieldChoiceInvalid));
    }
    let mut tx = state.db.begin().await?;
    let course = store::course(&mut tx, &invite.course_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let booking = uuid::Uuid::now_v7().to_string();
    let date = course.starts_on.clone().unwrap_or_default();
    let company = (!company.is_empty()).then_some(company);
    let booked = store::insert_booking(
        &mut tx,
        &booking,
        &course.id,
        &person,
        company,
        &date,
        Status::Registered,
        &now,
    )
    .await?;
    // Booked on the course already: the invitation is answered by that booking.
    let kept = match booked {
        true => Some(booking.clone()),
        false => store::running_booking(&mut tx, &course.id, &person, &date).await?,
    };
    let kept = kept.as_deref();
    if !store::close_invite(&mut tx, &invite.id, InviteStatus::Accepted, kept, &now).await? {
        // Answered or withdrawn meanwhile: the booking made above is not kept.
        tx.rollback().await?;
        return Ok(InviteAnswer::Closed);
    }
    invite_event(&mut tx, state, &invite, actor, "provider.invite_accepted").await?;
    if !booked {
        tx.commit().await?;
        return Ok(InviteAnswer::AlreadyBooked {
            booking: kept.unwrap_or_default().to_owned(),
        });
    }
    let details = serde_json::json!({ "name": course.title, "invited": true });
    booking_event(&mut tx, state, &booking, actor, "booking.created", details).await?;
    let registered = Status::Registered;
    booking_event(
        &mut tx,
        state,
        &booking,
        actor,
        registered.action(),
        serde_json::json!({}),
    )
    .await?;
    // The participant has it in writing, and the employer it is for hears of it.
    let facts = store::booking(&mut tx, &booking)
        .await?
        .ok_or(AppError::NotFound)?;
    let news = Text::NoticeBookingStatus;
    tell_both(&mut tx, state, &facts, news, registered.text()).await?;
    tx.commit().await?;
    Ok(InviteAnswer::Booked { booking })
}
