//! Forms in the manner of the GOV.UK Design System: a label, a hint, an inline message, and a
//! summary of every problem at the top of the form.

use crate::error::AppError;
use crate::i18n::{Text, current_locale, t};
use leptos::prelude::*;

/// Lists what is wrong, each message a link to its field. Shown above a form whose last
/// submission failed; other errors show the general message.
#[component]
pub fn ErrorSummary(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    // The summary takes the focus, and so comes into view, wherever the form sits on the page
    // the refused form comes back to.
    move || {
        let error = error.get()?;
        let locale = current_locale();
        let items = match &error {
            AppError::Validation(_) => error
                .messages()
                .into_iter()
                .map(|(field, message)| {
                    let href = format!("#{field}");
                    view! { <li><a href=href>{locale.msg(message)}</a></li> }
                })
                .collect_view()
                .into_any(),
            other => view! { <li>{other.message(locale)}</li> }.into_any(),
        };
        Some(view! {
            <div class="error-summary" role="alert" tabindex="-1" autofocus
                data-testid="error-summary">
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
    /// What the field holds before the user types; what they typed wins after a refusal.
    #[prop(optional, into)]
    value: Option<String>,
) -> impl IntoView {
    // Every message for this field, one per line; the summary above lists them all too.
    let message = move || {
        let locale = current_locale();
        let messages: Vec<String> = error
            .get()
            .map(|e| {
                e.field_messages(name)
                    .into_iter()
                    .map(|m| locale.msg(m))
                    .collect()
            })
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
                        .then(|| {
                            error
                                .get()
                                .and_then(|e| e.field_value(name).map(str::to_owned))
                                .or_else(|| value.clone())
                        })
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

/// A field drawn from its [`Spec`](crate::validate::Spec), holding `value` to begin with.
#[component]
pub fn SpecField(
    spec: crate::validate::Spec,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional, into)] value: Option<String>,
) -> impl IntoView {
    let autocomplete = spec.autocomplete().unwrap_or("off");
    view! {
        <TextField name=spec.name label=spec.label error input_type=spec.input_type()
            autocomplete value=value.unwrap_or_default()/>
    }
}

/// A multi-line text field, with its message and what was typed kept after a refusal.
#[component]
pub fn TextArea(
    name: &'static str,
    label: Text,
    #[prop(optional)] hint: Option<Text>,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = 4)] rows: u32,
    /// What the field holds before the user types; what they typed wins after a refusal.
    #[prop(optional, into)]
    value: Option<String>,
) -> impl IntoView {
    let message = move || {
        error
            .get()
            .and_then(|e| e.field_text(name, current_locale()))
    };
    let kept = move || {
        error
            .get()
            .and_then(|e| e.field_value(name).map(str::to_owned))
            .or_else(|| value.clone())
            .unwrap_or_default()
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
            {move || message().map(|m| view! {
                <p id=error_id.clone() class="error-message">
                    <span class="visually-hidden">{t(Text::ErrorPrefix)}" "</span>{m}
                </p>
            })}
            <textarea class="textarea" class:input--error=move || message().is_some() id=name name=name
                rows=rows aria-describedby=described_by
                aria-invalid=move || message().is_some().then_some("true")
                >{move || textarea_text(&kept())}</textarea>
        </div>
    }
}

/// One choice among a few, as radio buttons in a fieldset.
#[component]
pub fn Radios(
    name: &'static str,
    legend: Text,
    options: Vec<(&'static str, Text)>,
    #[prop(into)] selected: String,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let message = move || {
        error
            .get()
            .and_then(|e| e.field_text(name, current_locale()))
    };
    let chosen = move || {
        error
            .get()
            .and_then(|e| e.field_value(name).map(str::to_owned))
            .unwrap_or_else(|| selected.clone())
    };
    let items = options
        .into_iter()
        .enumerate()
        .map(|(i, (value, text))| {
            let id = if i == 0 {
                name.to_owned()
            } else {
                format!("{name}-{value}")
            };
            let chosen = chosen.clone();
            view! {
                <div class="radios__item">
                    <input class="radios__input" type="radio" id=id.clone() name=name value=value
                        checked=move || chosen() == value/>
                    <label class="radios__label" for=id>{t(text)}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="form-group" class:form-group--error=move || message().is_some()>
            <fieldset class="fieldset">
                <legend class="label">{t(legend)}</legend>
                {move || message().map(|m| view! { <p class="error-message">{m}</p> })}
                <div class="radios">{items}</div>
            </fieldset>
        </div>
    }
}

/// Text to put inside a `<textarea>`: the view layer writes a textarea's children into the page
/// as they are (it does not escape them, as for `<script>`), so text someone typed could close
/// the element and add markup. Escaped here; the browser shows the text as typed.
pub fn textarea_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // A newline right after `<textarea>` is dropped by the HTML parser: one more keeps the first.
    if text.starts_with('\n') {
        out.push('\n');
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod textarea_tests {
    #[test]
    fn textarea_text_cannot_close_its_element() {
        assert_eq!(
            super::textarea_text("ok</textarea><meta http-equiv=\"refresh\">&"),
            "ok&lt;/textarea&gt;&lt;meta http-equiv=\"refresh\"&gt;&amp;"
        );
    }
}
