use crate::i18n::{Locale, Text, current_locale, t};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Header, navigation, the page's main content and footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a href="#main" class="skip-link">{t(Text::SkipToContent)}</a>
        <Header/>
        <main id="main" class="page" tabindex="-1">
            {children()}
        </main>
        <Footer/>
    }
}

#[component]
fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <a href="/" class="site-header__brand">
                    <span class="site-header__logo" aria-hidden="true">"✓"</span>
                    <span class="site-header__name">{t(Text::SiteName)}</span>
                    <span class="site-header__tagline">{t(Text::SiteTagline)}</span>
                </a>
                <LanguageSwitch/>
            </div>
            <nav class="site-nav" aria-label=t(Text::NavLabel)>
                <ul class="site-nav__list">
                    <li><a href="/" class="site-nav__link">{t(Text::NavHome)}</a></li>
                    <li><a href="/outbox" class="site-nav__link">{t(Text::NavMailbox)}</a></li>
                </ul>
            </nav>
        </header>
    }
}

/// A plain link to `/lang/{code}`, so switching works without JavaScript; the server sets the
/// cookie and sends the user back to the page they were on.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let locale = current_locale();
    let other = if locale == Locale::Sv {
        Locale::En
    } else {
        Locale::Sv
    };
    let location = use_location();
    let href = move || {
        let next = format!("{}{}", location.pathname.get(), location.search.get());
        format!("/lang/{}?next={}", other.code(), encode_component(&next))
    };
    view! {
        <a class="lang-switch" href=href rel="external" hreflang=other.code() lang=other.code()
            data-testid="lang-switch">
            <span class="visually-hidden">{t(Text::LangSwitchLabel)}": "</span>
            {locale.text(Text::LangSwitchTo)}
        </a>
    }
}

/// Percent-encodes everything but unreserved characters and `/`.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[component]
fn Footer() -> impl IntoView {
    let locale = current_locale();
    view! {
        <footer class="site-footer">
            <div class="site-footer__inner">
                <p>{t(Text::FooterAbout)}</p>
                <p class="site-footer__meta">
                    {locale.format(Text::FooterVersion, &[("version", env!("CARGO_PKG_VERSION"))])}
                </p>
            </div>
        </footer>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_paths_are_encoded() {
        assert_eq!(
            super::encode_component("/outbox?page=2&x=å"),
            "/outbox%3Fpage%3D2%26x%3D%C3%A5"
        );
    }
}
