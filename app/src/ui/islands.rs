//! The only parts of the portal that run in the browser. Every page is rendered on the server
//! and works as plain HTML; an island adds what JavaScript does better, and is all the WASM a
//! phone downloads. An island takes its texts as props (so no text table is compiled into the
//! WASM) and touches the page through the DOM it was rendered into.

use leptos::prelude::*;

/// A header checkbox that ticks or clears every enabled box named `name` in its form. It shows
/// itself once the browser has woken it; without JavaScript the page offers a "select all" link
/// instead.
#[island]
pub fn SelectAllBox(label: String, name: String, disabled: bool, checked: bool) -> impl IntoView {
    let awake = RwSignal::new(false);
    Effect::new(move |_| awake.set(true));
    let toggle = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        tick_all(&ev, &name);
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, &name);
    };
    view! {
        <input type="checkbox" class="checkbox" aria-label=label disabled=disabled checked=checked
            hidden=move || !awake.get() on:change=toggle/>
    }
}

#[cfg(feature = "hydrate")]
fn tick_all(ev: &leptos::ev::Event, name: &str) {
    use leptos::wasm_bindgen::JsCast;
    use web_sys::{HtmlInputElement, Node};

    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
    else {
        return;
    };
    let (Some(form), on) = (input.form(), input.checked()) else {
        return;
    };
    let selector = format!("input[type=checkbox][name=\"{name}\"]:not(:disabled)");
    let Ok(boxes) = form.query_selector_all(&selector) else {
        return;
    };
    for i in 0..boxes.length() {
        if let Some(b) = boxes
            .item(i)
            .and_then(|n: Node| n.dyn_into::<HtmlInputElement>().ok())
        {
            b.set_checked(on);
        }
    }
}

/// Keeps the page's `<main>` current while something happens elsewhere (a BankID signing): every
/// `every_ms` it fetches the page again and puts the new content in place, whatever its status
/// (an error page too), and stops once the new page no longer carries this island, after a
/// redirect (the browser then loads the page itself), or after a minute without an answer.
/// Without JavaScript the page reloads itself with a `<meta http-equiv="refresh">` inside
/// `<noscript>`.
#[island]
pub fn LiveRefresh(every_ms: u32) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| live::start(every_ms));
    #[cfg(not(feature = "hydrate"))]
    let _ = every_ms;
    view! { <span data-live-refresh="" hidden=true></span> }
}

#[cfg(feature = "hydrate")]
mod live {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use std::cell::Cell;
    use std::rc::Rc;
    use std::time::Duration;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Document, DomParser, Element, Response, SupportedType};

    /// What one refresh found.
    enum Next {
        Again,
        Stop,
    }

    pub fn start(every_ms: u32) {
        let every_ms = every_ms.max(250);
        let busy = Rc::new(Cell::new(false));
        let done = Rc::new(Cell::new(false));
        let failures = Rc::new(Cell::new(0u32));
        // The interval lives as long as the page; it does nothing more once done.
        let _ = set_interval_with_handle(
            move || {
                if busy.get() || done.get() {
                    return;
                }
                busy.set(true);
                let (busy, done, failures) = (busy.clone(), done.clone(), failures.clone());
                leptos::task::spawn_local(async move {
                    match refresh().await {
                        Ok(Next::Again) => failures.set(0),
                        Ok(Next::Stop) => done.set(true),
                        // The network dropped: tried again next tick, for about a minute.
                        Err(_) => {
                            failures.set(failures.get() + 1);
                            done.set(failures.get() * every_ms >= 60_000);
                        }
                    }
                    busy.set(false);
                });
            },
            Duration::from_millis(u64::from(every_ms)),
        );
    }

    /// Fetches this page again and moves the new `<main>`'s content in place.
    async fn refresh() -> Result<Next, JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let location = window.location();
        let response: Response = JsFuture::from(window.fetch_with_str(&location.href()?))
            .await?
            .dyn_into()?;
        if response.redirected() {
            // Somewhere else now (signed out, say): let the browser go there.
            location.reload()?;
            return Ok(Next::Stop);
        }
        let html = JsFuture::from(response.text()?)
            .await?
            .as_string()
            .unwrap_or_default();
        let fresh = DomParser::new()?.parse_from_string(&html, SupportedType::TextHtml)?;
        let document = window.document().ok_or(JsValue::NULL)?;
        if fresh.query_selector("[data-live-refresh]")?.is_some()
            && update_parts(&document, &fresh)?
        {
            return Ok(Next::Again);
        }
        let (Some(now), Some(next)) = (
            document.query_selector("main")?,
            fresh.query_selector("main")?,
        ) else {
            return Err(JsValue::NULL);
        };
        // The parsed nodes move across as they are: nothing is serialised and parsed again,
        // and `<noscript>` (only for browsers without JavaScript) stays behind.
        let hidden = next.query_selector_all("noscript")?;
        for i in 0..hidden.length() {
            if let Some(node) = hidden.item(i)
                && let Some(parent) = node.parent_node()
            {
                parent.remove_child(&node)?;
            }
        }
        now.set_text_content(None);
        while let Some(child) = next.first_child() {
            now.append_child(&document.adopt_node(&child)?)?;
        }
        document.set_title(&fresh.title());
        Ok(match fresh.query_selector("[data-live-refresh]")? {
            Some(_) => Next::Again,
            None => Next::Stop,
        })
    }

    /// While the page still changes, only its `data-live` parts that differ move across, so
    /// focus, scroll and what a screen reader has read stay; false when the parts no longer
    /// match the page's and the whole content must be swapped.
    fn update_parts(document: &Document, fresh: &Document) -> Result<bool, JsValue> {
        let parts = fresh.query_selector_all("main [data-live]")?;
        let mut moves = Vec::new();
        for i in 0..parts.length() {
            let Some(next) = parts.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            let key = next.get_attribute("data-live").unwrap_or_default();
            let Some(now) = document.query_selector(&format!("main [data-live=\"{key}\"]"))? else {
                return Ok(false);
            };
            if now.outer_html() != next.outer_html() {
                moves.push((now, next));
            }
        }
        for (now, next) in moves {
            now.replace_with_with_node_1(&document.adopt_node(&next)?)?;
        }
        Ok(parts.length() > 0)
    }
}
