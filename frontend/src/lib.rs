//! The WASM entry point: hydrates the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Tells the browser tests that clicks now reach the app.
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &"__certportal_hydrated".into(), &true.into());
    }
}
