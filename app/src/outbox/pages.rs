use super::api::{SendTestEmail, get_outbox_message, list_outbox};
use crate::i18n::{Text, t};
use crate::mail::model::{MailStatus, OutboxItem, OutboxMessage};
use crate::ui::errors::{ErrorPage, error_fallback};
use crate::ui::form::{ErrorSummary, TextField};
use crate::ui::format::short_time;
use crate::ui::search::{Column, results};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn status_tag(status: MailStatus) -> impl IntoView {
    let (class, text) = match status {
        MailStatus::Pending => ("tag tag--grey", Text::MailboxStatusPending),
        MailStatus::Sent => ("tag tag--green", Text::MailboxStatusSent),
        MailStatus::Failed => ("tag tag--red", Text::MailboxStatusFailed),
    };
    view! { <strong class=class>{t(text)}</strong> }
}

/// `/outbox`: every email the portal has sent, newest first, and a form to send a test email.
#[component]
pub fn OutboxListPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let send = ServerAction::<SendTestEmail>::new();
    let outbox = Resource::new(page, list_outbox);
    let form_error = Signal::derive(move || send.value().get().and_then(Result::err));
    // A queued email comes back to `/outbox?queued=1`.
    let queued = move || query.read().get("queued").is_some();

    // A visitor or a holder sees only the error page, not the outbox's form.
    view! {
        <Transition fallback=|| ()>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    outbox.await.map(|p| view! {
                        <Title text=t(Text::MailboxTitle)/>
                        <h1 class="heading-xl">{t(Text::MailboxTitle)}</h1>
                        <p class="lead">{t(Text::MailboxLead)}</p>
                        <MailboxMode dev=p.dev_mailbox/>

                        <section class="panel" aria-labelledby="test-email-title">
                            <h2 id="test-email-title" class="heading-m">{t(Text::MailboxTestTitle)}</h2>
                            <p class="hint">{t(Text::MailboxTestHint)}</p>
                            <ErrorSummary error=form_error/>
                            <Show when=queued>
                                <div class="notice notice--success" role="status">{t(Text::MailboxTestQueued)}</div>
                            </Show>
                            <ActionForm action=send attr:novalidate="novalidate">
                                <TextField name="email" label=Text::MailboxTestEmailLabel
                                    hint=Text::MailboxTestEmailHint error=form_error input_type="email"
                                    autocomplete="email"/>
                                <button type="submit" class="button">{t(Text::MailboxTestSubmit)}</button>
                            </ActionForm>
                        </section>
                        {results(Ok(p.list), "/outbox", "", &OUTBOX_COLUMNS, Text::MailboxEmpty, "outbox")}
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// Says whether staff read every email here (development) or only what carries no secret.
#[component]
fn MailboxMode(dev: bool) -> impl IntoView {
    if dev {
        view! {
            <div class="notice notice--warning" role="note" data-testid="dev-mailbox">
                <strong>{t(Text::MailboxDevTitle)}</strong>" "{t(Text::MailboxDevText)}
            </div>
        }
        .into_any()
    } else {
        view! { <p class="body hint" data-testid="relay-mailbox">{t(Text::MailboxRelayText)}</p> }
            .into_any()
    }
}

/// The columns of the outbox.
const OUTBOX_COLUMNS: [Column<OutboxItem>; 4] = [
    Column {
        header: Text::MailboxColCreated,
        cell: |item| short_time(&item.created_at).into_any(),
    },
    Column {
        header: Text::MailboxColTo,
        cell: |item| item.to_address.clone().into_any(),
    },
    Column {
        header: Text::MailboxColSubject,
        cell: |item| {
            view! { <a href=format!("/outbox/{}", item.id)>{item.subject.clone()}</a> }.into_any()
        },
    },
    Column {
        header: Text::MailboxColStatus,
        cell: |item| status_tag(item.status).into_any(),
    },
];

/// `/outbox/:id`: one email, its plain text and its HTML as the recipient sees it.
#[component]
pub fn OutboxMessagePage() -> impl IntoView {
    let params = use_params_map();
    let message = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        get_outbox_message,
    );
    view! {
        <p class="body"><a href="/outbox" class="back-link">{t(Text::MailboxBack)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match message.await {
                    Ok(m) => view! { <OutboxMessageView message=m/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OutboxMessageView(message: OutboxMessage) -> impl IntoView {
    let html_src = format!("/outbox/{}/html", message.item.id);
    let subject = message.item.subject.clone();
    let row = |label: Text, value: String| {
        view! { <div class="summary-list__row"><dt>{t(label)}</dt><dd>{value}</dd></div> }
    };
    view! {
        <Title text=subject.clone()/>
        <h1 class="heading-l">{subject.clone()}</h1>
        <dl class="summary-list">
            {row(Text::MailboxColTo, message.item.to_address.clone())}
            {row(Text::MailboxColCreated, short_time(&message.item.created_at))}
            <div class="summary-list__row"><dt>{t(Text::MailboxColStatus)}</dt><dd>{status_tag(message.item.status)}</dd></div>
            {row(Text::MailboxAttempts, message.attempts.to_string())}
            {message.last_error.clone().map(|e| row(Text::MailboxLastError, e))}
        </dl>
        {if message.withheld {
            view! {
                <div class="notice" role="note" data-testid="email-withheld">{t(Text::MailboxWithheld)}</div>
            }.into_any()
        } else {
            view! {
                {message.dev_mailbox.then(|| view! { <MailboxMode dev=true/> })}
                <iframe class="email-frame" src=html_src title=subject
                    sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>
                <details class="details">
                    <summary>{t(Text::MailboxTextVersion)}</summary>
                    <pre class="email-text" data-testid="email-text">{message.body_text}</pre>
                </details>
                {message.attachment.map(|(name, body)| view! {
                    <details class="details" data-testid="email-attachment">
                        <summary>{t(Text::MailboxAttachment)}": "{name}</summary>
                        <pre class="email-text">{body}</pre>
                    </details>
                })}
            }.into_any()
        }}
    }
}
