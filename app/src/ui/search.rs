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

/// What an empty list says: `empty` on its first page; past its last page (an old link, or a
/// list that shrank) that this page has nothing, with a link to `first`.
pub fn empty_state(page: u32, first: String, empty: Text) -> AnyView {
    if page > 1 {
        view! {
            <p class="body empty-state">
                {t(Text::SearchPastEnd)}" "<a href=first>{t(Text::SearchFirstPage)}</a>
            </p>
        }
        .into_any()
    } else {
        view! { <p class="body empty-state">{t(empty)}</p> }.into_any()
    }
}

/// A column of a result table: its header (on a phone, each cell's label) and what a row shows
/// in it.
pub struct Column<T> {
    pub header: Text,
    pub cell: fn(&T) -> AnyView,
}

/// What a search found, as every search page shows it: a table with a column per [`Column`]
/// and paging that keeps the query, the `empty` text when nothing was found, or the error.
pub fn results<T>(
    found: Result<crate::types::Paged<T>, crate::error::AppError>,
    action: &str,
    query: &str,
    columns: &[Column<T>],
    empty: Text,
    testid: &'static str,
) -> AnyView {
    use crate::ui::errors::ErrorPage;
    use crate::ui::summary::Pagination;

    let found = match found {
        Ok(found) => found,
        Err(error) => return view! { <ErrorPage error/> }.into_any(),
    };
    let base = paging_base(action, query);
    if found.items.is_empty() {
        return empty_state(found.page, format!("{base}page=1"), empty);
    }
    let headers = columns
        .iter()
        .map(|c| view! { <th scope="col">{t(c.header)}</th> })
        .collect_view();
    let rows = found
        .items
        .iter()
        .map(|item| {
            let cells = columns
                .iter()
                .map(|c| view! { <td data-label=t(c.header)>{(c.cell)(item)}</td> })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <table class="table table--responsive" data-testid=testid>
            <thead><tr>{headers}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <Pagination base page=found.page has_next=found.has_next/>
    }
    .into_any()
}
