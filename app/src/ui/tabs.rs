use crate::i18n::{Text, t};
use leptos::prelude::*;

/// A row of tabs that are plain links, so each tab is its own address and works without
/// JavaScript. `current` is the key of the tab being shown.
#[component]
pub fn Tabs(
    #[prop(into)] label: String,
    tabs: Vec<(&'static str, Text, String)>,
    current: &'static str,
) -> impl IntoView {
    let items = tabs
        .into_iter()
        .map(|(key, text, href)| {
            let selected = key == current;
            view! {
                <li class="tabs__item" class:tabs__item--selected=selected>
                    <a class="tabs__link" href=href aria-current=selected.then_some("page")
                        data-testid=format!("tab-{key}")>{t(text)}</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="tabs" aria-label=label>
            <ul class="tabs__list">{items}</ul>
        </nav>
    }
}
