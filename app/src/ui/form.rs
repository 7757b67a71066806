//! Forms in the manner of the GOV.UK Design System: a label, a hint, an inline message, and a
//! summary of every problem at the top of the form.

use crate::error::AppError;
use crate::i18n::{Text, current_locale, t};
use leptos::prelude::*;

/// Lists what is wrong, each message a link to its field. Shown above a form whose last
/// submission failed; other errors show the general message.
#[component]
pub fn ErrorSummary(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        let error = error.get()?;
        let locale = current_locale();
        let items = match &error {
            AppError::Validation(_) => error
                .messages()
                .into_iter()
                .map(|f| {
                    let href = format!("#{}", f.field);
                    view! { <li><a href=href>{f.message.clone()}</a></li> }
                })
                .collect_view()
                .into_any(),
            other => view! { <li>{other.message(locale)}</li> }.into_any(),
        };
        Some(view! {
            <div class="error-summary" role="alert" tabindex="-1" data-testid="error-summary">
                <h2 class="error-summary__title">{t(Text::ErrorSummaryTitle)}</h2>
                <ul class="error-summary__list">{items}</ul>
            </div>
        })
    }
}

/// A labelled text input with an optional hint and the message of its field in `error`.
#[component]
pub fn TextField(
    name: &'static str,
    label: Text,
    #[prop(optional)] hint: Option<Text>,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    // Every message for this field, one per line; the summary above lists them all too.
    let message = move || {
        let messages = error
            .get()
            .map(|e| e.field_messages(name))
            .unwrap_or_default();
        (!messages.is_empty()).then_some(messages)
    };
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if message().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="form-group" class:form-group--error=move || message().is_some()>
            <label class="label" for=name>{t(label)}</label>
            {hint.map(|h| view! { <div id=hint_id.clone() class="hint">{t(h)}</div> })}
            {move || message().map(|messages| view! {
                <p id=error_id.clone() class="error-message">
                    {messages.into_iter().map(|m| view! {
                        <span class="error-message__line">
                            <span class="visually-hidden">{t(Text::ErrorPrefix)}" "</span>{m}
                        </span>
                    }).collect_view()}
                </p>
            })}
            <input
                class="input"
                class:input--error=move || message().is_some()
                id=name
                name=name
                type=input_type
                // What was typed comes back after a refusal; a password never does.
                value=move || {
                    (input_type != "password")
                        .then(|| error.get().and_then(|e| e.field_value(name).map(str::to_owned)))
                        .flatten()
                }
                autocomplete=autocomplete
                required=required
                aria-describedby=described_by
                aria-invalid=move || message().is_some().then_some("true")
            />
        </div>
    }
}
