//! Swedish (the default) and English. The texts live in `app/locales/{sv,en}.txt`; `build.rs`
//! turns them into [`Text`]. The chosen language is a cookie, so switching works without
//! JavaScript: the switch is a plain link to `/lang/{code}` that sets it and sends the user back.

include!(concat!(env!("OUT_DIR"), "/texts.rs"));

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const COOKIE: &str = "certportal_lang";

/// A name the portal keeps in both languages (a scheme's); English falls back to Swedish.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub sv: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
}

impl Named {
    pub fn new(sv: impl Into<String>, en: impl Into<String>) -> Named {
        Named {
            sv: sv.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::En if !self.en.is_empty() => &self.en,
            _ => &self.sv,
        }
    }
}

/// A message as services give it: a text's key and the values of its `{name}` placeholders,
/// put into words where it is shown, in the language of whoever reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Msg {
    pub text: Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, Arg)>,
}

/// A placeholder's value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Arg {
    /// Words as they are: a number, a date, a certificate number.
    Plain(String),
    /// Another text, in lower case (a field's label inside a sentence).
    Lower(Text),
    /// Words given in both languages from outside the locale files (BankID's messages).
    Both(String, String),
    /// Another message (a certificate's number before the reason it was refused).
    Msg(Box<Msg>),
}

impl Msg {
    /// A text with its placeholders filled in with `args`.
    pub fn with(text: Text, args: &[(&str, &str)]) -> Msg {
        Msg {
            text,
            args: args
                .iter()
                .map(|(n, v)| ((*n).to_owned(), Arg::Plain((*v).to_owned())))
                .collect(),
        }
    }

    /// Fills the placeholder `name` with another text, in lower case.
    pub fn lower(mut self, name: &str, text: Text) -> Msg {
        self.args.push((name.to_owned(), Arg::Lower(text)));
        self
    }

    /// Fills the placeholder `name` with another message.
    pub fn nest(mut self, name: &str, msg: Msg) -> Msg {
        self.args.push((name.to_owned(), Arg::Msg(Box::new(msg))));
        self
    }

    /// A text that only carries words given in both languages from outside the locale files.
    pub fn both(sv: &str, en: &str) -> Msg {
        Msg {
            text: Text::Verbatim,
            args: vec![("text".to_owned(), Arg::Both(sv.to_owned(), en.to_owned()))],
        }
    }
}

impl From<Text> for Msg {
    fn from(text: Text) -> Msg {
        Msg {
            text,
            args: Vec::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    Sv,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Sv, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::Sv => "sv",
            Locale::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        match code.trim().to_ascii_lowercase().as_str() {
            "sv" => Some(Locale::Sv),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The name of the language in itself, as a language switch shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Sv => "Svenska",
            Locale::En => "English",
        }
    }

    pub fn text(self, t: Text) -> &'static str {
        match self {
            Locale::Sv => sv(t),
            Locale::En => en(t),
        }
    }

    /// One of two texts given in both languages (from outside the locale files).
    pub fn pick<'a>(self, sv: &'a str, en: &'a str) -> &'a str {
        match self {
            Locale::Sv => sv,
            Locale::En => en,
        }
    }

    /// A text with `{name}` placeholders filled in.
    pub fn format(self, t: Text, args: &[(&str, &str)]) -> String {
        let mut s = self.text(t).to_owned();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// A message in this language.
    pub fn msg(self, m: &Msg) -> String {
        let mut s = self.text(m.text).to_owned();
        for (name, value) in &m.args {
            let value = match value {
                Arg::Plain(v) => v.clone(),
                Arg::Lower(t) => self.text(*t).to_lowercase(),
                Arg::Both(sv, en) => self.pick(sv, en).to_owned(),
                Arg::Msg(m) => self.msg(m),
            };
            s = s.replace(&format!("{{{name}}}"), &value);
        }
        s
    }

    /// The locale chosen in a `Cookie` header, if any (under its name over TLS or without).
    pub fn from_cookie_header(header: &str) -> Option<Locale> {
        crate::cookie::in_header(header, &format!("__Host-{COOKIE}"))
            .or_else(|| crate::cookie::in_header(header, COOKIE))
            .and_then(Locale::from_code)
    }

    /// The language a request's cookies ask for.
    pub fn from_headers(headers: &http::HeaderMap) -> Option<Locale> {
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(Locale::from_cookie_header)
    }
}

#[cfg(feature = "ssr")]
tokio::task_local! {
    /// The language of the request being answered, set around its whole answer by
    /// [`answering_in`]: a page asks for it with every text, and this answers at once, where the
    /// context is found by walking the reactive owners up to the root's. A task the answer spawns
    /// does not see it and asks the context, which holds the same language.
    static REQUEST_LOCALE: Locale;
}

/// Answers a request (`answer`) with `locale` as the language its page and server functions
/// read: the one its cookie chose, as the root's context has it.
#[cfg(feature = "ssr")]
pub async fn answering_in<F: std::future::Future>(locale: Locale, answer: F) -> F::Output {
    REQUEST_LOCALE.scope(locale, answer).await
}

/// The locale of the page being rendered. On the server it comes from the request's cookie; in
/// the browser from `<html lang>`, which the server wrote, so hydration sees the same texts.
pub fn current_locale() -> Locale {
    #[cfg(feature = "ssr")]
    if let Ok(locale) = REQUEST_LOCALE.try_with(|locale| *locale) {
        return locale;
    }
    if let Some(locale) = use_context::<Locale>() {
        return locale;
    }
    detect()
}

#[cfg(feature = "ssr")]
fn detect() -> Locale {
    use_context::<http::request::Parts>()
        .and_then(|parts| Locale::from_headers(&parts.headers))
        .unwrap_or_default()
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn detect() -> Locale {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .and_then(|lang| Locale::from_code(&lang))
        .unwrap_or_default()
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
fn detect() -> Locale {
    Locale::default()
}

/// The text for `t` in the current locale.
pub fn t(t: Text) -> &'static str {
    current_locale().text(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[tokio::test]
    async fn a_request_is_answered_in_its_language() {
        assert_eq!(current_locale(), Locale::Sv, "no request: the default");
        let inside = answering_in(Locale::En, async {
            tokio::task::yield_now().await;
            current_locale()
        })
        .await;
        assert_eq!(inside, Locale::En);
        assert_eq!(current_locale(), Locale::Sv);
    }

    #[test]
    fn every_text_is_non_empty_in_both_languages() {
        for &t in Text::ALL {
            for locale in Locale::ALL {
                assert!(
                    !locale.text(t).is_empty(),
                    "{} is empty in {}",
                    t.key(),
                    locale.code()
                );
            }
        }
    }

    #[test]
    fn placeholders_match_between_languages() {
        let names = |s: &str| {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}'))
                .map(|(n, _)| n.to_owned())
                .collect();
            v.sort();
            v
        };
        for &t in Text::ALL {
            assert_eq!(
                names(Locale::Sv.text(t)),
                names(Locale::En.text(t)),
                "placeholders of {}",
                t.key()
            );
        }
    }

    #[test]
    fn cookie_header_selects_locale() {
        assert_eq!(
            Locale::from_cookie_header("a=b; certportal_lang=en"),
            Some(Locale::En)
        );
        assert_eq!(Locale::from_cookie_header("certportal_lang=xx"), None);
        assert_eq!(Locale::from_cookie_header(""), None);
        assert_eq!(
            Locale::Sv.format(Text::FooterVersion, &[("version", "1.2")]),
            "Version 1.2"
        );
    }
}
