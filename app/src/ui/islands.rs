//! The only parts of the portal that run in the browser. Every page is rendered on the server
//! and works as plain HTML; an island adds what JavaScript does better, and is all the WASM a
//! phone downloads. An island takes its texts as props (so no text table is compiled into the
//! WASM) and touches the page through the DOM it was rendered into.

use leptos::prelude::*;

/// A header checkbox that ticks or clears every enabled box named `name` in its form. Without
/// JavaScript the page offers a "select all" link instead.
#[island]
pub fn SelectAllBox(label: String, name: String, disabled: bool) -> impl IntoView {
    let toggle = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        tick_all(&ev, &name);
        #[cfg(not(feature = "hydrate"))]
        let _ = (&ev, &name);
    };
    view! {
        <input type="checkbox" class="checkbox" aria-label=label disabled=disabled on:change=toggle/>
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
/// `every_ms` it fetches the page again and puts the new content in place, and stops once the new
/// page no longer carries this island. Without JavaScript the page reloads itself with a
/// `<meta http-equiv="refresh">` inside `<noscript>`.
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
    use web_sys::{DomParser, Response, SupportedType};

    pub fn start(every_ms: u32) {
        let busy = Rc::new(Cell::new(false));
        let done = Rc::new(Cell::new(false));
        // The interval lives as long as the page; it does nothing more once done.
        let _ = set_interval_with_handle(
            {
                let done = done.clone();
                move || {
                    if busy.get() || done.get() {
                        return;
                    }
                    busy.set(true);
                    let (busy, done) = (busy.clone(), done.clone());
                    leptos::task::spawn_local(async move {
                        // A failed fetch (the network dropped) is tried again next tick.
                        if let Ok(finished) = refresh().await {
                            done.set(finished);
                        }
                        busy.set(false);
                    });
                }
            },
            Duration::from_millis(u64::from(every_ms.max(250))),
        );
    }

    /// Fetches this page again and swaps `<main>`'s content; true when the new page is final.
    async fn refresh() -> Result<bool, JsValue> {
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let url = window.location().href()?;
        let response: Response = JsFuture::from(window.fetch_with_str(&url))
            .await?
            .dyn_into()?;
        if !response.ok() {
            return Err(JsValue::NULL);
        }
        let html = JsFuture::from(response.text()?)
            .await?
            .as_string()
            .unwrap_or_default();
        let fresh = DomParser::new()?.parse_from_string(&html, SupportedType::TextHtml)?;
        let document = window.document().ok_or(JsValue::NULL)?;
        let (Some(now), Some(next)) = (
            document.query_selector("main")?,
            fresh.query_selector("main")?,
        ) else {
            return Err(JsValue::NULL);
        };
        now.set_inner_html(&next.inner_html());
        document.set_title(&fresh.title());
        Ok(fresh.query_selector("[data-live-refresh]")?.is_none())
    }
}
