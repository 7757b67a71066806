//! Facts as label–value rows, and paging links.

use crate::i18n::{Text, current_locale, t};
use leptos::prelude::*;

/// One row of a `<dl class="summary-list">`; an empty value shows a dash.
pub fn row(label: Text, value: String) -> impl IntoView {
    let value = if value.trim().is_empty() {
        "–".to_owned()
    } else {
        value
    };
    view! { <div class="summary-list__row"><dt>{t(label)}</dt><dd>{value}</dd></div> }
}

/// "← Previous · Page n · Next →" for a list whose address is `base` plus `page=n` (or
/// `{param}=n`, where a page holds several lists); `base` ends in `?` or `&`.
#[component]
pub fn Pagination(
    base: String,
    page: u32,
    has_next: bool,
    #[prop(optional)] param: Option<&'static str>,
) -> impl IntoView {
    let locale = current_locale();
    let param = param.unwrap_or("page");
    let prev = (page > 1).then(|| format!("{base}{param}={}", page - 1));
    let next = has_next.then(|| format!("{base}{param}={}", page + 1));
    (prev.is_some() || next.is_some()).then(|| {
        view! {
            <nav class="pagination" aria-label=t(Text::PagingLabel)>
                {prev.map(|href| view! { <a class="pagination__link" href=href rel="prev">"← "{t(Text::MailboxPrev)}</a> })}
                <span class="pagination__current">{locale.format(Text::MailboxPage, &[("page", &page.to_string())])}</span>
                {next.map(|href| view! { <a class="pagination__link" href=href rel="next">{t(Text::MailboxNext)}" →"</a> })}
            </nav>
        }
    })
}

/// The banner of what the last form did (`done`, one of `texts`' codes): a success, or plainly
/// told for the `neutral` codes (what changed nothing).
pub fn done_notice(
    done: Option<&str>,
    texts: &[(&str, Text)],
    neutral: &[&str],
) -> Option<AnyView> {
    let done = done?;
    let text = texts.iter().find(|(code, _)| *code == done)?.1;
    let class = if neutral.contains(&done) {
        "notice"
    } else {
        "notice notice--success"
    };
    Some(view! { <div class=class role="status" data-testid="done">{t(text)}</div> }.into_any())
}
