//! Forms described once: each field's name, label, kind, limit and whether it is required. The
//! same description draws the form, shows the preview and checks what was sent on the server.

use crate::error::FieldError;
use crate::i18n::{Msg, Text};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Email,
    Phone,
    /// Swedish: five digits, a space allowed after the third.
    PostalCode,
    /// `YYYY-MM-DD`.
    Date,
}

#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub name: &'static str,
    pub label: Text,
    pub kind: Kind,
    pub max: usize,
    pub required: bool,
}

impl Spec {
    pub const fn text(name: &'static str, label: Text, max: usize) -> Spec {
        Spec {
            name,
            label,
            kind: Kind::Text,
            max,
            required: false,
        }
    }

    pub const fn of(self, kind: Kind) -> Spec {
        Spec { kind, ..self }
    }

    pub const fn required(self) -> Spec {
        Spec {
            required: true,
            ..self
        }
    }

    pub fn input_type(&self) -> &'static str {
        match self.kind {
            Kind::Email => "email",
            Kind::Phone => "tel",
            Kind::Date => "date",
            Kind::Text | Kind::PostalCode => "text",
        }
    }

    pub fn autocomplete(&self) -> Option<&'static str> {
        match (self.kind, self.name) {
            (Kind::PostalCode, _) => Some("postal-code"),
            (Kind::Email, _) => Some("email"),
            (Kind::Phone, _) => Some("tel"),
            (_, "first_name") => Some("given-name"),
            (_, "middle_name") => Some("additional-name"),
            (_, "last_name") => Some("family-name"),
            (_, "address") => Some("street-address"),
            (_, "city") => Some("address-level2"),
            _ => None,
        }
    }
}

/// Checks one value against its spec and returns it trimmed (a postal code as `NNN NN`).
pub fn check(spec: &Spec, value: &str) -> Result<String, Msg> {
    let v = value.trim();
    if v.is_empty() {
        return if spec.required && spec.kind == Kind::Email {
            Err(Text::FieldEmailRequired.into())
        } else if spec.required {
            Err(Msg::from(Text::FieldRequired).lower("field", spec.label))
        } else {
            Ok(String::new())
        };
    }
    let max = spec.max.to_string();
    if v.chars().count() > spec.max {
        return Err(Msg::with(Text::FieldTooLong, &[("max", &max)]));
    }
    match spec.kind {
        Kind::Text => Ok(v.to_owned()),
        Kind::Email => crate::types::EmailAddr::parse(v)
            .map(|e| e.as_str().to_owned())
            .map_err(|t| Msg::with(t, &[("max", &max)])),
        Kind::Phone => {
            let ok = v.chars().filter(char::is_ascii_digit).count() >= 5
                && v.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
            ok.then(|| v.to_owned())
                .ok_or_else(|| Text::FieldPhoneInvalid.into())
        }
        Kind::PostalCode => {
            let digits: String = v.chars().filter(|c| !c.is_whitespace()).collect();
            (digits.len() == 5 && digits.chars().all(|c| c.is_ascii_digit()))
                .then(|| format!("{} {}", &digits[..3], &digits[3..]))
                .ok_or_else(|| Text::FieldPostalCodeInvalid.into())
        }
        Kind::Date => parse_date(v)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .ok_or_else(|| Text::FieldDateInvalid.into()),
    }
}

pub fn parse_date(v: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok()
}

/// Checks every field of a form. `get` gives a field's value by name; the answer is the cleaned
/// values in the order of `specs`, or a message per bad field.
pub fn check_all(
    specs: &[Spec],
    get: impl Fn(&str) -> String,
) -> Result<Vec<String>, Vec<FieldError>> {
    let mut values = Vec::with_capacity(specs.len());
    let mut errors = Vec::new();
    for spec in specs {
        match check(spec, &get(spec.name)) {
            Ok(v) => values.push(v),
            Err(message) => errors.push(FieldError::new(spec.name, message)),
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

/// Whether a text is one a reader sees: no control characters (but line breaks and tabs), no
/// invisible or direction-changing marks, and at least one letter or digit.
pub fn readable(text: &str) -> bool {
    let hidden = |c: char| {
        matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{FEFF}')
    };
    text.chars()
        .all(|c| !hidden(c) && (!c.is_control() || matches!(c, '\n' | '\r' | '\t')))
        && text.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME: Spec = Spec::text("first_name", Text::PersonFirstName, 5).required();

    #[test]
    fn required_and_long_values_are_refused_with_their_messages() {
        assert_eq!(check(&NAME, "  Anna "), Ok("Anna".into()));
        let sv = |r: Result<String, Msg>| r.map_err(|m| crate::i18n::Locale::Sv.msg(&m));
        assert_eq!(
            sv(check(&NAME, " ")),
            Err("Fyll i förnamn".into()),
            "required"
        );
        assert_eq!(
            sv(check(&NAME, "Annabella")),
            Err("Texten får vara högst 5 tecken".into())
        );
        let optional = Spec::text("middle_name", Text::PersonMiddleName, 5);
        assert_eq!(check(&optional, ""), Ok(String::new()));
    }

    #[test]
    fn kinds_are_checked() {
        let zip = Spec::text("postal_code", Text::PersonPostalCode, 6).of(Kind::PostalCode);
        assert_eq!(check(&zip, "37123"), Ok("371 23".into()));
        assert_eq!(check(&zip, "371 23"), Ok("371 23".into()));
        assert!(check(&zip, "3712").is_err());
        let phone = Spec::text("phone", Text::PersonPhone, 30).of(Kind::Phone);
        assert_eq!(check(&phone, "0455-123456"), Ok("0455-123456".into()));
        assert!(check(&phone, "ring mig").is_err());
        let date = Spec::text("start_date", Text::EmploymentStart, 10).of(Kind::Date);
        assert_eq!(check(&date, "2026-02-28"), Ok("2026-02-28".into()));
        assert!(check(&date, "2026-02-30").is_err());
        let email = Spec::text("email", Text::PersonEmail, 254).of(Kind::Email);
        assert!(check(&email, "anna@").is_err());
    }
}
