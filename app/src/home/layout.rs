use crate::auth::api::{Logout, whoami};
use crate::auth::model::{CurrentUser, Role};
use crate::error::AppError;
use crate::i18n::{Locale, Text, current_locale, t};
use crate::ui::format::encode_component;
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

/// Who is signed in, asked again on every navigation so the header follows signing in and out.
type Me = Resource<Result<Option<CurrentUser>, AppError>>;

#[component]
fn Header() -> impl IntoView {
    let location = use_location();
    let logout = ServerAction::<Logout>::new();
    let me: Me = Resource::new(
        move || (location.pathname.get(), logout.version().get()),
        |_| whoami(),
    );
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <a href="/" class="site-header__brand">
                    <span class="site-header__logo" aria-hidden="true">"✓"</span>
                    <span class="site-header__name">{t(Text::SiteName)}</span>
                    <span class="site-header__tagline">{t(Text::SiteTagline)}</span>
                </a>
                <div class="site-header__tools">
                    <UserMenu me logout/>
                    <LanguageSwitch/>
                </div>
            </div>
            <nav class="site-nav" aria-label=t(Text::NavLabel)>
                <ul class="site-nav__list">
                    <li><a href="/" class="site-nav__link">{t(Text::NavHome)}</a></li>
                    <li><a href="/verify" class="site-nav__link">{t(Text::NavVerify)}</a></li>
                    <li><a href="/register" class="site-nav__link">{t(Text::NavRegister)}</a></li>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let Ok(Some(user)) = me.await else {
                                return None;
                            };
                            Some(areas(&user).into_iter().map(|(href, text)| view! {
                                <li><a href=href class="site-nav__link">{t(text)}</a></li>
                            }).collect_view())
                        })}
                    </Transition>
                </ul>
            </nav>
        </header>
    }
}

/// The parts of the portal a user works in, as the navigation lists them.
pub fn areas(user: &CurrentUser) -> Vec<(&'static str, Text)> {
    let mut areas = Vec::new();
    if user.has(Role::Holder) {
        areas.push(("/my/certificates", Text::NavMyPages));
    }
    if user.is_staff() {
        areas.extend([
            ("/staff/cases", Text::NavCases),
            ("/staff/people", Text::NavPeople),
            ("/companies", Text::NavCompanies),
            ("/staff/changes", Text::NavChanges),
            ("/staff/letters", Text::NavLetters),
            ("/staff/accounts", Text::NavAccounts),
            ("/staff/schemes", Text::NavSchemes),
            ("/staff/providers", Text::NavProviders),
            ("/outbox", Text::NavMailbox),
            ("/staff/security", Text::NavSecurity),
        ]);
        if user.has(Role::BodyAdmin) {
            areas.push(("/staff/retention", Text::NavRetention));
        }
    } else if user.has(Role::CompanyAdmin) {
        areas.push(("/companies", Text::NavCompanies));
    }
    if user.has(Role::ProviderStaff) && !user.is_staff() {
        areas.push(("/provider", Text::NavProvider));
    }
    areas
}

/// "Sign in", or who is signed in with "My account" and "Sign out".
#[component]
fn UserMenu(me: Me, logout: ServerAction<Logout>) -> impl IntoView {
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) => view! {
                        <a href="/account" class="site-header__link" data-testid="account-link">
                            <span class="visually-hidden">{t(Text::NavAccount)}": "</span>{user.display_name}
                        </a>
                        <ActionForm action=logout attr:class="inline-form">
                            <button type="submit" class="link-button" data-testid="logout">{t(Text::NavLogout)}</button>
                        </ActionForm>
                    }.into_any(),
                    _ => view! {
                        <a href="/login" class="site-header__link" data-testid="login-link">{t(Text::NavLogin)}</a>
                    }.into_any(),
                }
            })}
        </Transition>
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
        let next = same_page(&location.pathname.get(), &location.search.get());
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

/// The page and its query (which the router gives without its `?`), less what a refused form
/// added: as the page renders, that query holds what was typed (put back by the server), which
/// must never reach an address.
fn same_page(path: &str, search: &str) -> String {
    let kept: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("__"))
        .collect();
    match kept.is_empty() {
        true => path.to_owned(),
        false => format!("{path}?{}", kept.join("&")),
    }
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
    use super::same_page;

    #[test]
    fn the_language_switch_comes_back_to_the_same_page() {
        assert_eq!(same_page("/companies/1", ""), "/companies/1");
        assert_eq!(
            same_page("/companies/1", "tab=events"),
            "/companies/1?tab=events"
        );
        assert_eq!(
            same_page("/c/1", "?tab=events&page=2"),
            "/c/1?tab=events&page=2"
        );
        let refused = "__path=%2Fapi&__err=abc&__kept=1&__sig=s";
        assert_eq!(same_page("/attest/x", refused), "/attest/x");
    }
}
