use super::model::EventPage;
use crate::i18n::{Text, current_locale, t};
use crate::ui::format::short_time;
use crate::ui::summary::Pagination;
use leptos::prelude::*;

/// "Händelselogg": a subject's events, newest first, a page at a time. `base` is the page's
/// address ending in `?` or `&`, to which `events_page=n` is added.
#[component]
pub fn EventLog(events: EventPage, #[prop(into)] base: String) -> impl IntoView {
    if events.items.is_empty() {
        let first = format!("{base}events_page=1");
        return crate::ui::search::empty_state(events.page, first, Text::EventsEmpty);
    }
    let with_ip = events.items.iter().any(|e| e.ip.is_some());
    let rows = events
        .items
        .into_iter()
        .map(|e| {
            let locale = current_locale();
            let (action, details) = (
                e.action.get(locale).to_owned(),
                e.details.get(locale).to_owned(),
            );
            view! {
                <tr>
                    <td data-label=t(Text::EventsColAt) class="table__time">{short_time(&e.at)}</td>
                    <td data-label=t(Text::EventsColAction)>
                        <div>{action}
                            {(!details.is_empty()).then(|| view! { <div class="hint">{details}</div> })}
                        </div>
                    </td>
                    <td data-label=t(Text::EventsColActor)>{e.actor}</td>
                    {with_ip.then(|| view! { <td data-label=t(Text::EventsColIp)>{e.ip.unwrap_or_default()}</td> })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table table--responsive" data-testid="event-log">
            <thead>
                <tr>
                    <th scope="col">{t(Text::EventsColAt)}</th>
                    <th scope="col">{t(Text::EventsColAction)}</th>
                    <th scope="col">{t(Text::EventsColActor)}</th>
                    {with_ip.then(|| view! { <th scope="col">{t(Text::EventsColIp)}</th> })}
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <Pagination base page=events.page has_next=events.has_next param="events_page"/>
    }
    .into_any()
}

/// The `events_page` of the address (1 when missing).
pub fn use_events_page() -> Signal<u32> {
    let query = leptos_router::hooks::use_query_map();
    Signal::derive(move || {
        query
            .read()
            .get("events_page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1)
    })
}
