use crate::error::AppError;
use crate::i18n::{Text, current_locale, t};
use leptos::prelude::*;
use leptos_meta::Title;

/// The 404 page. On the server it also sets the response's status.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=t(Text::NotFoundTitle)/>
        <h1 class="heading-xl">{t(Text::NotFoundTitle)}</h1>
        <p class="body">{t(Text::NotFoundText)}</p>
        <p class="body"><a href="/">{t(Text::NotFoundHome)}</a></p>
    }
}

/// What a page shows when loading its data failed. A missing row is a 404, anything else an
/// error page whose text never reveals the cause.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    if error == AppError::NotFound {
        return view! { <NotFound/> }.into_any();
    }
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(error.status_code());
    }
    let locale = current_locale();
    if error == AppError::Unauthorized {
        // Back to this page once signed in (a session that ended on it, a link from an email).
        let location = leptos_router::hooks::use_location();
        let query = location.search.get_untracked();
        let query = query.trim_start_matches('?');
        let here = match query.is_empty() {
            true => location.pathname.get_untracked(),
            false => format!("{}?{query}", location.pathname.get_untracked()),
        };
        let href = format!("/login?next={}", crate::ui::format::encode_component(&here));
        return view! {
            <Title text=t(Text::NavLogin)/>
            <h1 class="heading-xl">{t(Text::NavLogin)}</h1>
            <p class="body">{error.message(locale)}</p>
            <p class="body"><a href=href class="button" data-testid="login-to-continue">{t(Text::NavLogin)}</a></p>
        }
        .into_any();
    }
    // "Try again later" only where trying again may help: not after a refusal.
    let transient = error.status_code().is_server_error();
    view! {
        <Title text=t(Text::ErrorTitle)/>
        <h1 class="heading-xl">{t(Text::ErrorTitle)}</h1>
        <p class="body">{error.message(locale)}</p>
        {transient.then(|| view! { <p class="body">{t(Text::ErrorText)}</p> })}
        <p class="body"><a href="/">{t(Text::ErrorHome)}</a></p>
    }
    .into_any()
}

/// The fallback of an `ErrorBoundary`: shows the first error as an [`ErrorPage`].
pub fn error_fallback(errors: ArcRwSignal<Errors>) -> impl IntoView {
    move || {
        let error = errors
            .get()
            .into_iter()
            .next()
            .map(|(_, e)| {
                e.downcast_ref::<AppError>()
                    .cloned()
                    .unwrap_or(AppError::Internal)
            })
            .unwrap_or(AppError::Internal);
        view! { <ErrorPage error/> }
    }
}
