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

/// An upload form's helpers, once the browser has woken it: a zone to drop the file on, a size
/// check before sending, and the form sent in the background with a progress bar, after which
/// the browser goes where the server's answer led (the case, or the form with its refusal). The
/// submit button is disabled while it sends, so a double click sends once. Without JavaScript
/// the form posts as it is.
#[island]
pub fn UploadHelper(
    drop_text: String,
    sending: String,
    interrupted: String,
    too_large: String,
    max_bytes: u64,
) -> impl IntoView {
    let awake = RwSignal::new(false);
    let over = RwSignal::new(false);
    let percent = RwSignal::new(None::<u32>);
    let problem = RwSignal::new(String::new());
    let zone = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        awake.set(true);
        #[cfg(feature = "hydrate")]
        if let Some(zone) = zone.get() {
            upload::attach(
                &zone,
                max_bytes,
                percent,
                problem,
                too_large.clone(),
                interrupted.clone(),
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&too_large, &interrupted, max_bytes);
    });
    let dropped = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        over.set(false);
        #[cfg(feature = "hydrate")]
        if let Some(zone) = zone.get() {
            upload::take_dropped(&zone, &ev);
        }
    };
    view! {
        <div class="upload-helper" hidden=move || !awake.get()>
            <div class="drop-zone" class:drop-zone--over=move || over.get() node_ref=zone data-testid="drop-zone"
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); over.set(true); }
                on:dragleave=move |_| over.set(false)
                on:drop=dropped>
                {drop_text}
            </div>
            {move || percent.get().map(|p| {
                let label = sending.replace("{percent}", &p.to_string());
                view! {
                    <div class="upload-progress" data-testid="upload-progress">
                        <progress max="100" value=p.to_string() aria-label=label.clone()></progress>
                        <span role="status">{label}</span>
                    </div>
                }
            })}
            <p class="error-message" role="alert" hidden=move || problem.get().is_empty()>{move || problem.get()}</p>
        </div>
    }
    .into_any()
}

#[cfg(feature = "hydrate")]
mod upload {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::closure::Closure;
    use leptos::wasm_bindgen::{JsCast, JsValue};
    use web_sys::{
        DragEvent, Element, FormData, HtmlButtonElement, HtmlFormElement, HtmlInputElement,
        ProgressEvent, XmlHttpRequest,
    };

    fn form_of(zone: &Element) -> Option<HtmlFormElement> {
        zone.closest("form").ok()??.dyn_into().ok()
    }

    fn file_input(form: &HtmlFormElement) -> Option<HtmlInputElement> {
        form.query_selector("input[type=file]")
            .ok()??
            .dyn_into()
            .ok()
    }

    /// A file dropped on the zone becomes the form's file.
    pub fn take_dropped(zone: &Element, ev: &DragEvent) {
        let files = ev.data_transfer().and_then(|d| d.files());
        if let (Some(files), Some(input)) = (files, form_of(zone).as_ref().and_then(file_input)) {
            input.set_files(Some(&files));
        }
    }

    /// Sends the zone's form in the background when it is submitted.
    pub fn attach(
        zone: &Element,
        max_bytes: u64,
        percent: RwSignal<Option<u32>>,
        problem: RwSignal<String>,
        too_large: String,
        interrupted: String,
    ) {
        let Some(form) = form_of(zone) else {
            return;
        };
        let target = form.clone();
        let submit = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let size = file_input(&target)
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
                .map(|f| f.size() as u64);
            // No file chosen: the server says so in the form's own words.
            if size.is_some_and(|s| s > max_bytes) {
                ev.prevent_default();
                problem.set(too_large.clone());
                return;
            }
            ev.prevent_default();
            problem.set(String::new());
            if send(&target, percent, problem, interrupted.clone()).is_err() {
                // The browser cannot send it in the background: it posts the form itself.
                let _ = target.submit();
            }
        });
        let _ = form.add_event_listener_with_callback("submit", submit.as_ref().unchecked_ref());
        submit.forget();
    }

    fn buttons(form: &HtmlFormElement, disabled: bool) {
        if let Ok(list) = form.query_selector_all("button[type=submit]") {
            for i in 0..list.length() {
                if let Some(b) = list
                    .item(i)
                    .and_then(|n| n.dyn_into::<HtmlButtonElement>().ok())
                {
                    b.set_disabled(disabled);
                }
            }
        }
    }

    fn send(
        form: &HtmlFormElement,
        percent: RwSignal<Option<u32>>,
        problem: RwSignal<String>,
        interrupted: String,
    ) -> Result<(), JsValue> {
        let xhr = XmlHttpRequest::new()?;
        xhr.open("POST", &form.action())?;
        let data = FormData::new_with_form(form)?;
        let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                percent.set(Some((e.loaded() / e.total() * 100.0).min(100.0) as u32));
            }
        });
        xhr.upload()?
            .set_onprogress(Some(progress.as_ref().unchecked_ref()));
        progress.forget();
        let (done_xhr, done_form) = (xhr.clone(), form.clone());
        let failed = interrupted.clone();
        let done = Closure::<dyn FnMut()>::new(move || {
            let url = done_xhr.response_url();
            if done_xhr.status() == Ok(200) && !url.is_empty() {
                // Where the server's redirect led: the case, or the form and its refusal.
                // (An address's `#part` does not survive the request: added back.)
                let url = match url.contains("done=uploaded") {
                    true => format!("{url}#uploaded"),
                    false => url,
                };
                if let Some(w) = web_sys::window() {
                    let _ = w.location().assign(&url);
                }
                return;
            }
            percent.set(None);
            buttons(&done_form, false);
            problem.set(failed.clone());
        });
        xhr.set_onload(Some(done.as_ref().unchecked_ref()));
        done.forget();
        let error_form = form.clone();
        let error = Closure::<dyn FnMut()>::new(move || {
            percent.set(None);
            buttons(&error_form, false);
            problem.set(interrupted.clone());
        });
        xhr.set_onerror(Some(error.as_ref().unchecked_ref()));
        error.forget();
        buttons(form, true);
        percent.set(Some(0));
        xhr.send_with_opt_form_data(Some(&data))
    }
}
