//! Search pages: the query and page in the address, and the search box.

use crate::i18n::{Text, t};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The `q` and `page` of the address (page 1 when missing or unreadable).
pub fn use_search() -> (Signal<String>, Signal<u32>) {
    let query = use_query_map();
    let q = Signal::derive(move || query.read().get("q").unwrap_or_default());
    let page = Signal::derive(move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u32)
    });
    (q, page)
}

/// A search box that reloads `action` with `?q=`: a plain GET form, so it works without
/// JavaScript and a search has an address to share.
#[component]
pub fn SearchForm(action: &'static str, label: Text) -> impl IntoView {
    let (q, _) = use_search();
    view! {
        <form method="get" action=action class="search-form" role="search">
            <label class="label" for="q">{t(label)}</label>
            <div class="search-form__row">
                <input class="input" type="search" id="q" name="q" value=q/>
                <button type="submit" class="button">{t(Text::Search)}</button>
            </div>
        </form>
    }
}

/// The address of a result page without its `page=`, for [`Pagination`](super::summary::Pagination).
pub fn paging_base(action: &str, q: &str) -> String {
    format!("{action}?q={}&", super::format::encode_component(q))
}
