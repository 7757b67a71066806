use crate::i18n::{Text, t};
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
        <p class="body"><a href="/login" class="button">{t(Text::NavLogin)}</a></p>
    }
}
