//! The server functions of a case's "Meddelanden", for its person and for staff (each side
//! reads the same threads; another person's case is not found).

#[cfg(feature = "ssr")]
use crate::auth::request::serve;
use crate::error::AppError;
use leptos::prelude::*;

/// The case's threads; the thread `open` (or none, empty) is marked read for the caller.
#[server(endpoint = "cases/messages")]
pub async fn list_case_messages(
    case_id: String,
    open: String,
) -> Result<super::model::CaseMessages, AppError> {
    serve(|cx| async move {
        let user = cx.require_user().await?;
        let open = (!open.is_empty()).then_some(open.as_str());
        super::messaging::list(&cx.state, &user, &case_id, open).await
    })
    .await
}

/// "Spara" (`action` send) or "Utkast" (`action` draft) on a new message (`thread_id` empty,
/// with its `kind`) or a reply ("Svara").
#[server(endpoint = "cases/send_message")]
pub async fn send_message(
    case_id: String,
    #[server(default)] thread_id: String,
    #[server(default)] kind: String,
    body: String,
    #[server(default)] action: String,
) -> Result<(), AppError> {
    use super::model::Sent;
    serve(|cx| async move {
        let user = cx.require_user().await?;
        let draft = action == "draft";
        let (sent, staff) = super::messaging::send(
            &cx.state,
            &cx.actor(&user),
            &user,
            &case_id,
            &thread_id,
            &kind,
            &body,
            draft,
        )
        .await
        .map_err(|e| e.keep(&[("body", &body), ("kind", &kind), ("thread_id", &thread_id)]))?;
        let (done, thread) = match sent {
            Sent::Sent { thread } => ("message_sent", thread),
            Sent::AlreadySent { thread } => ("message_already_sent", thread),
            Sent::Draft => ("draft_saved", thread_id.clone()),
        };
        let base = if staff {
            format!("/staff/cases/{case_id}?")
        } else {
            format!("/my/cases/{case_id}?tab=messages&")
        };
        let to = match thread.as_str() {
            // A draft of a new message: its form, open again.
            "" => format!("{base}new=1&done={done}#new-message"),
            t => format!("{base}open={t}&done={done}#thread-{t}"),
        };
        leptos_axum::redirect(&to);
        Ok(())
    })
    .await
}
