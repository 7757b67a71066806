//! "Meddelanden" of a case (seed 001): the person and the body's staff write to each other in
//! threads ("Svara", "Nytt meddelande"), keep drafts until they send them ("Utkast", "Spara"),
//! and see what the other side sent that they have not read. A message from staff reaches a
//! digital person by an email that says there is one (never its text); for an analog person the
//! handler sees that a letter is due. Messages are plain text, short, shown escaped.

use super::model::{CaseMessage, CaseMessages, MESSAGE_MAX, MessageKind, Sent, Thread};
use super::store;
use crate::auth::model::CurrentUser;
use crate::clock::to_db;
use crate::error::{AppError, AppResult};
use crate::events::service::{Actor, Subject, append};
use crate::i18n::{Msg, Text};
use crate::state::AppState;
use serde_json::json;

/// How many messages one account may send an hour.
pub const MESSAGES_PER_HOUR: i64 = 30;

/// How long the same text sent again in the same thread counts as the same message (a form
/// sent twice).
const SAME_WITHIN_MINUTES: i64 = 10;

/// Whether the caller reads the case as staff (false: as its person); another person's case is
/// not found. A staff member's own application is read as its person's.
async fn side(
    state: &AppState,
    user: &CurrentUser,
    case_id: &str,
) -> AppResult<(bool, store::Handling)> {
    let mut conn = state.db.pool.acquire().await?;
    let h = store::handling(&mut conn, case_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if h.is_applicant(&user.account_id) {
        Ok((false, h))
    } else if user.is_staff() {
        Ok((true, h))
    } else {
        Err(AppError::NotFound)
    }
}

/// The case's threads, newest first, as the caller sees them; the thread `open` is marked read
/// for them.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    case_id: &str,
    open: Option<&str>,
) -> AppResult<CaseMessages> {
    let (staff, _) = side(state, user, case_id).await?;
    let pool = &state.db.pool;
    if let Some(thread) = open {
        let now = to_db(state.clock.now());
        store::mark_read(pool, case_id, thread, !staff, &now).await?;
    }
    let rows = store::messages(pool, case_id, &user.account_id).await?;
    let mine = |r: &store::MessageRow| r.account_id.as_deref() == Some(user.account_id.as_str());
    let threads = rows
        .iter()
        .filter(|r| r.thread_id.is_none() && r.sent_at.is_some())
        .map(|root| {
            let messages: Vec<CaseMessage> = rows
                .iter()
                .filter(|r| {
                    r.sent_at.is_some()
                        && (r.id == root.id || r.thread_id.as_deref() == Some(root.id.as_str()))
                })
                .map(|r| CaseMessage {
                    id: r.id.clone(),
                    at: r.sent_at.clone().unwrap_or_default(),
                    author: r.author.clone(),
                    from_staff: r.from_staff != 0,
                    body: r.body.clone(),
                    unread: (r.from_staff != 0) != staff && r.read_at.is_none(),
                    letter_due: staff && r.letter_due != 0,
                })
                .collect();
            Thread {
                id: root.id.clone(),
                kind: root.kind,
                at: root.sent_at.clone().unwrap_or_default(),
                unread: messages.iter().filter(|m| m.unread).count(),
                messages,
                draft: rows
                    .iter()
                    .find(|r| {
                        r.sent_at.is_none()
                            && mine(r)
                            && r.thread_id.as_deref() == Some(root.id.as_str())
                    })
                    .map(|r| r.body.clone()),
            }
        })
        .collect();
    let new_draft = rows
        .iter()
        .find(|r| r.sent_at.is_none() && mine(r) && r.thread_id.is_none())
        .map(|r| (r.kind, r.body.clone()));
    Ok(CaseMessages {
        case_id: case_id.to_owned(),
        threads,
        new_draft,
    })
}

/// "Spara" (send) or "Utkast" (`draft`): a new message of `kind` (`thread` empty) or a reply in
/// `thread` (its type is the thread's). The same text sent again at once sends nothing. Also
/// says whether the caller wrote as staff.
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(level = "debug", skip_all)]
pub async fn send(
    state: &AppState,
    actor: &Actor,
    user: &CurrentUser,
    case_id: &str,
    thread: &str,
    kind: &str,
    body: &str,
    draft: bool,
) -> AppResult<(Sent, bool)> {
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::field("body", Text::MessageRequired));
    }
    if body.chars().count() > MESSAGE_MAX {
        return Err(AppError::field(
            "body",
            Msg::with(Text::FieldTooLong, &[("max", &MESSAGE_MAX.to_string())]),
        ));
    }
    if !super::service::readable(body) {
        return Err(AppError::field("body", Text::CaseReasonUnreadable));
    }
    let (staff, h) = side(state, user, case_id).await?;
    let now = state.clock.now();
    // Counted before the transaction, which holds SQLite's write lock.
    if !draft {
        let key = format!("case-message:account:{}", user.account_id);
        let hour = chrono::Duration::hours(1);
        let limited = crate::auth::throttle::hit(&state.db, &key, MESSAGES_PER_HOUR, hour, now);
        if let Some(wait) = limited.await? {
            return Err(crate::auth::service::rate_limited("body", wait));
        }
    }
    let mut tx = state.db.begin().await?;
    let thread = (!thread.is_empty()).then_some(thread);
    let kind = match thread {
        None => MessageKind::parse(kind)
            .filter(|k| MessageKind::WRITTEN.contains(k))
            .ok_or_else(|| AppError::field("kind", Text::MessageChooseKind))?,
        Some(t) => store::thread_kind(&mut tx, case_id, t)
            .await?
            .and_then(|k| MessageKind::parse(&k))
            .ok_or(AppError::NotFound)?,
    };
    let at = to_db(now);
    // One draft per writer and thread (or new message) of the case.
    let draft_id = format!(
        "draft:{case_id}:{}:{}",
        user.account_id,
        thread.unwrap_or("new")
    );
    // The message as written; a draft is one not yet sent, under its own id.
    let message = |id, sent_at| store::NewMessage {
        id,
        case_id,
        thread_id: thread,
        kind,
        body,
        account_id: Some(&user.account_id),
        author: &user.display_name,
        from_staff: staff,
        now: &at,
        sent_at,
        letter_due: false,
    };
    if draft {
        store::put_message(&mut tx, &message(&draft_id, None)).await?;
        tx.commit().await?;
        return Ok((Sent::Draft, staff));
    }
    if let Some((id, last_thread, last_body, last_at)) =
        store::last_sent(&mut tx, case_id, &user.account_id).await?
        && last_body == body
        && last_thread.as_deref() == thread
        && crate::clock::from_db(&last_at)
            .is_some_and(|t| now - t < chrono::Duration::minutes(SAME_WITHIN_MINUTES))
    {
        let thread = last_thread.unwrap_or(id);
        return Ok((Sent::AlreadySent { thread }, staff));
    }
    let id = uuid::Uuid::now_v7().to_string();
    let case = (case_id, h.order_no.as_str(), h.person_id.as_str());
    post(&mut tx, state, actor, case, &message(&id, Some(&at))).await?;
    store::delete_draft(&mut tx, &draft_id).await?;
    tx.commit().await?;
    let thread = thread.map_or(id, str::to_owned);
    Ok((Sent::Sent { thread }, staff))
}

/// Sends a message inside the caller's transaction, with its event in the case's log. From
/// staff (or the portal on the body's behalf) to a digital person it also emails that there is
/// a message, never what it says; to an analog person it marks that a letter is due. `case` is
/// the case's id, order number and person.
pub(super) async fn post(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    actor: &Actor,
    case: (&str, &str, &str),
    message: &store::NewMessage<'_>,
) -> AppResult<()> {
    let (case_id, order_no, person_id) = case;
    let recipient = match message.from_staff {
        true => Some(crate::messages::service::recipient(&mut *conn, person_id).await?),
        false => None,
    };
    let letter_due = recipient.as_ref().is_some_and(|r| r.analog);
    store::put_message(
        &mut *conn,
        &store::NewMessage {
            letter_due,
            ..*message
        },
    )
    .await?;
    append(
        &mut *conn,
        &state.clock,
        Subject::case(case_id),
        actor,
        "case.message_sent",
        json!({ "order_no": order_no }),
    )
    .await?;
    // To a digital person: an email that there is a message, never what it says.
    if let Some(r) = recipient.filter(|r| !r.analog && !r.email.is_empty()) {
        // The subject says what kind of message waits; the text stays in the portal.
        let subject = r.locale.format(
            match message.kind {
                MessageKind::Supplement => Text::MessageEmailSubjectSupplement,
                MessageKind::SupplementReminder => Text::MessageEmailSubjectReminder,
                MessageKind::Decision => Text::MessageEmailSubjectDecision,
                MessageKind::Note | MessageKind::Change => Text::MessageEmailSubject,
            },
            &[("order_no", order_no)],
        );
        let text = r
            .locale
            .format(Text::MessageEmailBody, &[("order_no", order_no)]);
        let link = format!("{}/my/cases/{case_id}?tab=messages", state.config.base_url);
        let email = crate::mail::templates::notice(
            &state.config,
            &r.email,
            r.locale,
            &subject,
            &text,
            Some(&link),
        );
        crate::mail::service::enqueue(&mut *conn, &state.clock, &state.config.keys, &email).await?;
    }
    Ok(())
}

/// The answer to a person's change of details, as an "Uppgiftsändring" message from the body
/// in their latest case, in their language (and by email, or a letter due, as any message
/// from staff). False when the person has no case: the caller tells them otherwise.
pub async fn change_answered(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    person_id: &str,
    notice: &crate::messages::model::Notice,
) -> AppResult<bool> {
    let Some((case_id, order_no)) = store::latest_case(&mut *conn, person_id).await? else {
        return Ok(false);
    };
    let to = crate::messages::service::recipient(&mut *conn, person_id).await?;
    let body = format!(
        "{}\n\n{}",
        notice.subject(to.locale),
        notice.body(to.locale)
    );
    let actor = Actor::system("changes");
    let case = (case_id.as_str(), order_no.as_str(), person_id);
    let author = (None, state.config.body_name.as_str());
    from_body(
        conn,
        state,
        &actor,
        case,
        MessageKind::Change,
        body.trim(),
        author,
    )
    .await?;
    Ok(true)
}

/// A new thread of `kind` from the body's side (`author`: the staff member's account and name,
/// or none and the body's name), inside the caller's transaction; see [`post`].
pub(super) async fn from_body(
    conn: &mut sqlx::AnyConnection,
    state: &AppState,
    actor: &Actor,
    case: (&str, &str, &str),
    kind: MessageKind,
    body: &str,
    (account_id, author): (Option<&str>, &str),
) -> AppResult<()> {
    let at = to_db(state.clock.now());
    let id = uuid::Uuid::now_v7().to_string();
    let message = store::NewMessage {
        id: &id,
        case_id: case.0,
        thread_id: None,
        kind,
        body,
        account_id,
        author,
        from_staff: true,
        now: &at,
        sent_at: Some(&at),
        letter_due: false,
    };
    post(conn, state, actor, case, &message).await
}
