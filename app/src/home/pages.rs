use super::layout::areas;
use crate::auth::api::whoami;
use crate::i18n::{Text, current_locale, t};
use leptos::prelude::*;
use leptos_meta::Title;

/// The start page: what the portal is and whom it serves, promising only what works today.
#[component]
pub fn HomePage() -> impl IntoView {
    let card = |title: Text, text: Text| {
        view! {
            <li class="card">
                <h2 class="heading-m">{t(title)}</h2>
                <p class="body">{t(text)}</p>
            </li>
        }
    };
    let me = Resource::new(|| (), |_| whoami());
    view! {
        <Title text=t(Text::SiteTagline)/>
        <div class="hero">
            <h1 class="heading-xl">{t(Text::HomeTitle)}</h1>
            <p class="lead">{t(Text::HomeLead)}</p>
        </div>
        <ul class="card-grid">
            {card(Text::HomeHoldersTitle, Text::HomeHoldersText)}
            {card(Text::HomeCompaniesTitle, Text::HomeCompaniesText)}
            {card(Text::HomeAttestersTitle, Text::HomeAttestersText)}
        </ul>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) => view! {
                        <section class="panel home-areas" aria-labelledby="home-areas" data-testid="home-areas">
                            <h2 class="heading-m" id="home-areas">
                                {current_locale().format(Text::HomeWelcome, &[("name", &user.display_name)])}
                            </h2>
                            <ul class="button-list">
                                {areas(&user).into_iter().map(|(href, text)| view! {
                                    <li><a href=href class="button button--secondary">{t(text)}</a></li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    _ => view! {
                        <p class="body home-login">
                            <a href="/login" class="button">{t(Text::NavLogin)}</a>
                        </p>
                        <p class="hint">{t(Text::HomeNoAccount)}</p>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
