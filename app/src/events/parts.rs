use super::model::EventView;
use crate::i18n::{Text, t};
use crate::ui::format::short_time;
use leptos::prelude::*;

/// "Händelselogg": a subject's events, newest first.
#[component]
pub fn EventLog(events: Vec<EventView>) -> impl IntoView {
    if events.is_empty() {
        return view! { <p class="body empty-state">{t(Text::EventsEmpty)}</p> }.into_any();
    }
    let rows = events
        .into_iter()
        .rev()
        .map(|e| {
            view! {
                <tr>
                    <td data-label=t(Text::EventsColAt)>{short_time(&e.at)}</td>
                    <td data-label=t(Text::EventsColAction)>{e.action}
                        {(!e.details.is_empty()).then(|| view! { <div class="hint">{e.details}</div> })}
                    </td>
                    <td data-label=t(Text::EventsColActor)>{e.actor}</td>
                    <td data-label=t(Text::EventsColIp)>{e.ip.unwrap_or_default()}</td>
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
                    <th scope="col">{t(Text::EventsColIp)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
