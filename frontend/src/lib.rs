//! The WASM entry point. The portal renders every page on the server; the browser only wakes
//! the islands (`app::ui::islands`) on the page.

// Links `app`, whose islands are exported to the page's script.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Tells the browser tests that the islands are awake: the page's script wakes them right
    // after this returns, before the next task.
    leptos::prelude::set_timeout(
        || {
            if let Some(window) = web_sys::window() {
                let _ =
                    js_sys::Reflect::set(&window, &"__certportal_hydrated".into(), &true.into());
            }
        },
        std::time::Duration::ZERO,
    );
}
