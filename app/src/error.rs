//! `AppError`: the one error type of every server function. Its text is safe to show a user;
//! internal causes are logged on the server and never sent.

use crate::i18n::{Locale, Msg, Text};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// A message about one form field: a text's key and its values, put into words where it is
/// shown, in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    /// None on an entry that only carries back what was typed (see [`AppError::keep`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Msg>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<Msg>) -> FieldError {
        FieldError {
            field: field.to_owned(),
            message: Some(message.into()),
            value: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("not found")]
    NotFound,
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("conflict")]
    Conflict,
    #[error("internal error")]
    Internal,
    /// The request never reached the server function, or its answer could not be read.
    #[error("request failed: {0}")]
    Request(String),
}

pub type AppResult<T> = Result<T, AppError>;

/// The most characters of one field that [`AppError::keep`] keeps.
pub const KEPT_MAX: usize = 4000;

impl AppError {
    pub fn field(field: &str, message: impl Into<Msg>) -> AppError {
        AppError::Validation(vec![FieldError::new(field, message)])
    }

    /// The message for one field, if this is a validation error that names it.
    pub fn field_message(&self, field: &str) -> Option<&Msg> {
        self.field_messages(field).into_iter().next()
    }

    /// The message for one field in `locale`, if this is a validation error that names it.
    pub fn field_text(&self, field: &str, locale: Locale) -> Option<String> {
        self.field_message(field).map(|m| locale.msg(m))
    }

    /// Every message for one field, in order.
    pub fn field_messages(&self, field: &str) -> Vec<&Msg> {
        self.messages()
            .into_iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, m)| m)
            .collect()
    }

    /// Carries back what the user typed, so a form shown again after a refusal keeps it, also
    /// without JavaScript (where the page is loaded anew). Never pass a password.
    pub fn keep(self, input: &[(&str, &str)]) -> AppError {
        match self {
            AppError::Validation(mut errors) => {
                // Never more than a form's longest field: a megabyte posted to a short field is
                // not kept whole.
                errors.extend(input.iter().map(|(field, value)| FieldError {
                    field: (*field).to_owned(),
                    message: None,
                    value: Some(value.chars().take(KEPT_MAX).collect()),
                }));
                AppError::Validation(errors)
            }
            other => other,
        }
    }

    /// Takes out what the user typed (see [`AppError::keep`]): the error with messages only, and
    /// the values by field.
    pub fn take_values(self) -> (AppError, Vec<(String, String)>) {
        match self {
            AppError::Validation(errors) => {
                let mut values = Vec::new();
                let mut kept = Vec::new();
                for e in errors {
                    match (e.value, e.message) {
                        (Some(v), None) => values.push((e.field, v)),
                        (Some(v), Some(m)) => {
                            values.push((e.field.clone(), v));
                            kept.push(FieldError::new(&e.field, m));
                        }
                        (None, message) => kept.push(FieldError {
                            field: e.field,
                            message,
                            value: None,
                        }),
                    }
                }
                (AppError::Validation(kept), values)
            }
            other => (other, Vec::new()),
        }
    }

    /// Puts values taken out by [`AppError::take_values`] back.
    pub fn with_values(self, values: &[(String, String)]) -> AppError {
        let pairs: Vec<(&str, &str)> = values
            .iter()
            .map(|(f, v)| (f.as_str(), v.as_str()))
            .collect();
        self.keep(&pairs)
    }

    /// What the user typed in a field, as [`AppError::keep`] carried it back.
    pub fn field_value(&self, field: &str) -> Option<&str> {
        match self {
            AppError::Validation(errors) => errors
                .iter()
                .filter(|e| e.field == field)
                .find_map(|e| e.value.as_deref()),
            _ => None,
        }
    }

    /// The messages to list in an error summary, each with its field.
    pub fn messages(&self) -> Vec<(&str, &Msg)> {
        match self {
            AppError::Validation(errors) => errors
                .iter()
                .filter_map(|e| Some((e.field.as_str(), e.message.as_ref()?)))
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn text(&self) -> Text {
        match self {
            AppError::Validation(_) => Text::ErrorValidation,
            AppError::NotFound => Text::ErrorNotFound,
            AppError::Unauthorized => Text::ErrorUnauthorized,
            AppError::Forbidden => Text::ErrorForbidden,
            AppError::Conflict => Text::ErrorConflict,
            AppError::Internal | AppError::Request(_) => Text::ErrorInternal,
        }
    }

    pub fn message(&self, locale: Locale) -> &'static str {
        locale.text(self.text())
    }

    /// The HTTP status a page showing this error answers with.
    pub fn status_code(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Conflict => StatusCode::CONFLICT,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Request(_) => StatusCode::BAD_REQUEST,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request(value.to_string())
    }
}

#[cfg(feature = "ssr")]
pub use server::{Constraint, log_refusal, reply};

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;

    impl AppError {
        /// The refusal as a page's address carries it back (`__err`): JSON in URL-safe base64.
        pub fn to_address(&self) -> String {
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE
                .encode(serde_json::to_vec(self).unwrap_or_default())
        }

        /// A refusal read from a page's address, if it is one.
        pub fn from_address(encoded: &str) -> Option<AppError> {
            use base64::Engine;
            let bytes = base64::engine::general_purpose::URL_SAFE
                .decode(encoded)
                .ok()?;
            serde_json::from_slice(&bytes).ok()
        }

        /// Logs the cause and returns the error a user may see.
        pub fn internal(cause: impl std::fmt::Display) -> AppError {
            // `{:#}` writes an anyhow error's whole chain of causes.
            tracing::error!(error = %format_args!("{cause:#}"), "internal error");
            AppError::Internal
        }

        /// Maps a database error: a violated constraint in `constraints` becomes a message on
        /// its field; anything else is internal.
        pub fn from_db(err: sqlx::Error, constraints: &[Constraint<'_>]) -> AppError {
            if let sqlx::Error::Database(db) = &err {
                let text = db.message();
                for c in constraints {
                    // PostgreSQL names the constraint; SQLite names only the columns, in its text
                    // ("UNIQUE constraint failed: accounts.email").
                    if db.constraint() == Some(c.name) || text.ends_with(c.columns) {
                        return AppError::field(c.field, c.message);
                    }
                }
            }
            AppError::internal(err)
        }
    }

    /// A database constraint that guards a form field.
    #[derive(Clone, Copy, Debug)]
    pub struct Constraint<'a> {
        /// Its name in the migration (`CONSTRAINT accounts_email_key UNIQUE (email)`).
        pub name: &'a str,
        /// `table.column`, as SQLite reports it.
        pub columns: &'a str,
        pub field: &'a str,
        pub message: crate::i18n::Text,
    }

    /// Runs a server function's body and gives an error its HTTP status (422, 403, ...). A plain
    /// form post without JavaScript is left alone: Leptos answers it with a redirect back to the
    /// form, which must stay a redirect. A 401 or 403 is a security event.
    pub async fn reply<T>(body: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
        use leptos::prelude::use_context;

        let result = body.await;
        if let Err(error) = &result {
            let parts = use_context::<http::request::Parts>();
            let plain_form = parts.as_ref().is_some_and(|parts| {
                parts
                    .headers
                    .get(http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.contains("text/html"))
            });
            if let (false, Some(response)) =
                (plain_form, use_context::<leptos_axum::ResponseOptions>())
            {
                response.set_status(error.status_code());
            }
            if matches!(error, AppError::Unauthorized | AppError::Forbidden)
                && let (Some(parts), Ok(ctx)) = (parts, crate::auth::request::Ctx::get())
            {
                ctx.log_refusal(error, parts.uri.path()).await;
            }
        }
        result
    }

    /// Records a refused request (401, 403) as a security event.
    pub async fn log_refusal(
        state: &crate::state::AppState,
        error: &AppError,
        account_id: Option<&str>,
        ip: Option<std::net::IpAddr>,
        path: &str,
    ) {
        use crate::auth::audit::{Kind, Record, record};
        let kind = match error {
            AppError::Unauthorized => Kind::Unauthorized,
            AppError::Forbidden => Kind::Forbidden,
            _ => return,
        };
        let r = Record {
            kind,
            account_id,
            label: "",
            ip,
            detail: path,
        };
        record(&state.db, &state.clock, r).await;
    }

    /// A plain route's error: its status and its message (in Swedish; a page in the user's
    /// language is Leptos' to render). The cause of an internal error was logged where it arose.
    impl axum::response::IntoResponse for AppError {
        fn into_response(self) -> axum::response::Response {
            (
                self.status_code(),
                self.message(crate::i18n::Locale::Sv).to_owned(),
            )
                .into_response()
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(err: sqlx::Error) -> AppError {
            match err {
                sqlx::Error::RowNotFound => AppError::NotFound,
                other => AppError::internal(other),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_messages_are_found_by_field() {
        let e = AppError::field("email", Text::FieldEmailRequired);
        assert_eq!(
            e.field_message("email"),
            Some(&Msg::from(Text::FieldEmailRequired))
        );
        assert_eq!(
            e.field_text("email", Locale::Sv).as_deref(),
            Some(Locale::Sv.text(Text::FieldEmailRequired))
        );
        assert_eq!(e.field_message("name"), None);
        assert_eq!(e.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn kept_input_comes_back_without_adding_messages() {
        let e = AppError::field("email", Text::FieldEmailRequired)
            .keep(&[("email", "anna@"), ("name", "Anna")]);
        assert_eq!(e.field_value("email"), Some("anna@"));
        assert_eq!(e.field_value("name"), Some("Anna"));
        assert!(e.field_messages("name").is_empty());
        assert_eq!(e.messages().len(), 1);
        assert_eq!(AppError::Forbidden.keep(&[("x", "y")]), AppError::Forbidden);
    }

    #[test]
    fn values_come_out_and_back() {
        let e = AppError::field("pnr", Text::FieldRequired)
            .keep(&[("pnr", "19850709-9805"), ("name", "Anna")]);
        let (bare, values) = e.clone().take_values();
        assert_eq!(bare.field_value("pnr"), None);
        assert_eq!(
            bare.field_message("pnr"),
            Some(&Msg::from(Text::FieldRequired))
        );
        assert!(!serde_json::to_string(&bare).expect("json").contains("9805"));
        let back = bare.with_values(&values);
        assert_eq!(back.field_value("pnr"), Some("19850709-9805"));
        assert_eq!(back.field_value("name"), Some("Anna"));
        assert_eq!(back.messages().len(), 1);
    }

    #[test]
    fn errors_round_trip_through_json() {
        let e = AppError::field(
            "email",
            Msg::with(Text::FieldTooLong, &[("max", "5")]).lower("field", Text::PersonEmail),
        );
        let json = serde_json::to_string(&e).expect("serialize");
        assert_eq!(
            serde_json::from_str::<AppError>(&json).expect("deserialize"),
            e
        );
    }

    #[test]
    fn every_error_has_a_message_in_both_languages() {
        for e in [
            AppError::NotFound,
            AppError::Internal,
            AppError::Forbidden,
            AppError::Conflict,
        ] {
            assert!(!e.message(Locale::Sv).is_empty());
            assert_ne!(e.message(Locale::Sv), e.message(Locale::En));
        }
    }
}
