//! "Meddelanden" of a case, as the manual shows it: the table Datum ▾ / Meddelandetyp / Svara,
//! newest first; the arrow by a date opens the thread's history (and marks it read); "Svara"
//! and "Nytt meddelande" open a form with Avbryt, Utkast and Spara. The person's work area and
//! the handler's case page show the same component. Plain links and forms: it works without
//! JavaScript.

use super::message_api::{SendMessage, list_case_messages};
use super::model::{CaseMessages, MESSAGE_MAX, MessageKind, Thread};
use crate::error::AppError;
use crate::i18n::{Text, current_locale, t};
use crate::ui::errors::ErrorPage;
use crate::ui::form::ErrorSummary;
use crate::ui::format::short_time;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The messages of `case_id`; `base` is the page's address ending in `?` or `&`, to which
/// `open=`, `reply=` and `new=1` are added.
#[component]
pub fn MessagesTab(case_id: String, #[prop(into)] base: String) -> impl IntoView {
    let query = use_query_map();
    let q = move |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let (open, reply, new) = (q("open"), q("reply"), q("new") == "1");
    let done = match q("__err").is_empty() {
        true => q("done"),
        false => String::new(),
    };
    let send = ServerAction::<SendMessage>::new();
    let error = Signal::derive(move || send.value().get().and_then(Result::err));
    let args = (case_id, open.clone());
    let data = Resource::new(move || args.clone(), |(c, o)| list_case_messages(c, o));
    view! {
        <section class="work-area" id="messages" data-testid="case-messages">
            {done_notice(&done)}
            <Suspense fallback=|| ()>
                {move || {
                    let (base, open, reply) = (base.clone(), open.clone(), reply.clone());
                    Suspend::new(async move {
                        match data.await {
                            Ok(m) => {
                                let shown = Shown { base: &base, open: &open, reply: &reply, new };
                                messages_view(m, &shown, send, error)
                            }
                            Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

fn done_notice(done: &str) -> Option<AnyView> {
    let text = match done {
        "message_sent" => Text::MessageSentNotice,
        "message_already_sent" => Text::MessageAlreadySent,
        "draft_saved" => Text::MessageDraftSaved,
        _ => return None,
    };
    Some(view! { <div class="notice notice--success" role="status" data-testid="done">{t(text)}</div> }.into_any())
}

/// What the address asks to show: the open thread, the one being answered, a new message.
struct Shown<'a> {
    base: &'a str,
    open: &'a str,
    reply: &'a str,
    new: bool,
}

fn messages_view(
    m: CaseMessages,
    shown: &Shown<'_>,
    send: ServerAction<SendMessage>,
    error: Signal<Option<AppError>>,
) -> AnyView {
    let base = shown.base;
    let refused_here = |thread: &str| {
        error
            .get_untracked()
            .is_some_and(|e| e.field_value("thread_id").unwrap_or_default() == thread)
    };
    let new_form = (shown.new || m.new_draft.is_some() || refused_here("")).then(|| {
        let (kind, text) = m
            .new_draft
            .clone()
            .unwrap_or((MessageKind::Note, String::new()));
        let form = Form {
            case_id: &m.case_id,
            thread: None,
            kind,
            draft: text,
            cancel: base.trim_end_matches(['?', '&']).to_owned(),
        };
        message_form(&form, send, error)
    });
    let rows = m
        .threads
        .iter()
        .map(|thread| {
            thread_rows(
                &m.case_id,
                thread,
                shown,
                send,
                error,
                refused_here(&thread.id),
            )
        })
        .collect_view();
    view! {
        <div class="messages__head">
            <h2 class="heading-m">{t(Text::CaseTabMessages)}</h2>
            <a class="button button--secondary" href=format!("{base}new=1#new-message") data-testid="new-message">{t(Text::MessageNew)}</a>
        </div>
        <p class="hint">{t(Text::MessagesNote)}</p>
        {new_form}
        {if m.threads.is_empty() {
            view! { <p class="body empty-state">{t(Text::CaseMessagesEmpty)}</p> }.into_any()
        } else {
            view! {
                <table class="table messages-table" data-testid="threads">
                    <thead><tr>
                        <th scope="col" aria-sort="descending">{t(Text::MessageColDate)}" ▾"</th>
                        <th scope="col">{t(Text::MessageColKind)}</th>
                        <th scope="col"><span class="visually-hidden">{t(Text::MessageReply)}</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }.into_any()
        }}
    }
    .into_any()
}

fn thread_rows(
    case_id: &str,
    thread: &Thread,
    shown: &Shown<'_>,
    send: ServerAction<SendMessage>,
    error: Signal<Option<AppError>>,
    refused: bool,
) -> AnyView {
    let locale = current_locale();
    let base = shown.base;
    let id = &thread.id;
    // A thread with the reader's draft of a reply opens on it, wherever they come from.
    let is_open = shown.open == id || refused || thread.draft.is_some();
    let answering = shown.reply == id || thread.draft.is_some() || refused;
    let toggle = if is_open {
        format!("{base}#thread-{id}")
    } else {
        format!("{base}open={id}#thread-{id}")
    };
    let kind = t(thread.kind.text());
    let unread = thread.unread > 0;
    let date: String = crate::ui::format::short_date(&thread.at);
    let history = is_open.then(|| {
        let items = thread
            .messages
            .iter()
            .map(|msg| {
                view! {
                    <li class="message" class:message--unread=msg.unread data-testid="message">
                        <p class="hint">
                            {short_time(&msg.at)}" · "{msg.author.clone()}
                            {msg.unread.then(|| view! { " "<span class="tag tag--blue">{t(Text::MessageUnread)}</span> })}
                            {msg.letter_due.then(|| view! { " "<span class="tag tag--yellow">{t(Text::MessageLetterDue)}</span> })}
                        </p>
                        <p class="body pre-line">{msg.body.clone()}</p>
                    </li>
                }
            })
            .collect_view();
        let form = answering.then(|| {
            let f = Form {
                case_id,
                thread: Some(id),
                kind: thread.kind,
                draft: thread.draft.clone().unwrap_or_default(),
                cancel: format!("{base}open={id}#thread-{id}"),
            };
            message_form(&f, send, error)
        });
        view! {
            <tr class="messages-table__history">
                <td colspan="3">
                    {form}
                    <ol class="message-history" aria-label=locale.format(Text::MessageHistory, &[("kind", kind)])>{items}</ol>
                </td>
            </tr>
        }
    });
    view! {
        <tr id=format!("thread-{id}") class:messages-table__unread=unread data-testid="thread">
            <td>
                <a href=toggle aria-expanded=if is_open { "true" } else { "false" } class="thread-toggle">
                    <span aria-hidden="true">{if is_open { "▾ " } else { "▸ " }}</span>{date}
                </a>
                {unread.then(|| view! { " "<span class="tag tag--blue">{t(Text::MessageUnread)}</span> })}
            </td>
            <td>{kind}</td>
            <td><a href=format!("{base}open={id}&reply={id}#reply-{id}") data-testid="reply">{t(Text::MessageReply)}</a></td>
        </tr>
        {history}
    }
    .into_any()
}

/// A message being written: new (`thread` none, with its type) or a reply.
struct Form<'a> {
    case_id: &'a str,
    thread: Option<&'a str>,
    kind: MessageKind,
    draft: String,
    cancel: String,
}

fn message_form(
    f: &Form<'_>,
    send: ServerAction<SendMessage>,
    error: Signal<Option<AppError>>,
) -> AnyView {
    let thread = f.thread.unwrap_or("").to_owned();
    // The refusal, when it was this form's.
    let mine = {
        let thread = thread.clone();
        Signal::derive(move || {
            error
                .get()
                .filter(|e| e.field_value("thread_id").unwrap_or_default() == thread)
        })
    };
    let kept = mine
        .get_untracked()
        .and_then(|e| e.field_value("body").map(str::to_owned))
        .unwrap_or_else(|| f.draft.clone());
    let chosen = mine
        .get_untracked()
        .and_then(|e| e.field_value("kind").and_then(MessageKind::parse))
        .unwrap_or(f.kind);
    let key = if thread.is_empty() {
        "new".to_owned()
    } else {
        thread.clone()
    };
    let (body_id, kind_id) = (format!("body-{key}"), format!("kind-{key}"));
    let message = move |field: &'static str| {
        move || {
            mine.get()
                .and_then(|e| e.field_text(field, current_locale()))
        }
    };
    let kind_field = thread.is_empty().then(|| {
        let options = MessageKind::WRITTEN
            .iter()
            .map(|k| view! { <option value=k.code() selected=*k == chosen>{t(k.text())}</option> })
            .collect_view();
        view! {
            <div class="form-group" class:form-group--error=move || message("kind")().is_some()>
                <label class="label" for=kind_id.clone()>{t(Text::MessageColKind)}</label>
                {move || message("kind")().map(|m| view! { <p class="error-message">{m}</p> })}
                <select class="select" id=kind_id name="kind" data-testid="message-kind">{options}</select>
            </div>
        }
    });
    let anchor = if thread.is_empty() {
        "new-message".to_owned()
    } else {
        format!("reply-{thread}")
    };
    let hint = current_locale().format(Text::MessageBodyHint, &[("max", &MESSAGE_MAX.to_string())]);
    let case_id = f.case_id.to_owned();
    let cancel = f.cancel.clone();
    view! {
        <div class="message-form" id=anchor data-testid="message-form">
            <ErrorSummary error=mine/>
            <ActionForm action=send attr:novalidate="novalidate">
                <input type="hidden" name="case_id" value=case_id/>
                <input type="hidden" name="thread_id" value=thread/>
                {kind_field}
                <div class="form-group" class:form-group--error=move || message("body")().is_some()>
                    <label class="label" for=body_id.clone()>{t(Text::MessageBody)}</label>
                    <p class="hint">{hint}</p>
                    {move || message("body")().map(|m| view! { <p class="error-message">{m}</p> })}
                    <textarea class="textarea" id=body_id name="body" rows="4" data-testid="message-body">{crate::ui::form::textarea_text(&kept)}</textarea>
                </div>
                <div class="button-group">
                    <a href=cancel class="button button--secondary">{t(Text::Cancel)}</a>
                    <button type="submit" name="action" value="draft" class="button button--secondary" data-testid="save-draft">{t(Text::MessageDraft)}</button>
                    <button type="submit" name="action" value="send" class="button" data-testid="send-message">{t(Text::Save)}</button>
                </div>
            </ActionForm>
        </div>
    }
    .into_any()
}
