//! Newtypes that parse user input once, at the edge. They compile for the browser too, so a form
//! can check before it sends; the server checks again.

use crate::i18n::Text;
use serde::{Deserialize, Serialize};

/// An email address as a person would type one: trimmed, at most 254 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailAddr(String);

pub const EMAIL_MAX: usize = 254;

impl EmailAddr {
    pub fn parse(input: &str) -> Result<EmailAddr, Text> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Text::FieldEmailRequired);
        }
        if s.chars().count() > EMAIL_MAX {
            return Err(Text::FieldTooLong);
        }
        // A dot in the domain: "name@localhost" is valid by the RFC but never what a user meant.
        let valid = email_address::EmailAddress::is_valid(s)
            && s.rsplit_once('@')
                .is_some_and(|(_, domain)| domain.contains('.') && !domain.ends_with('.'));
        if !valid {
            return Err(Text::FieldEmailInvalid);
        }
        Ok(EmailAddr(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_parsed() {
        assert_eq!(
            EmailAddr::parse("  anna@exempel.se ").map(|e| e.0),
            Ok("anna@exempel.se".into())
        );
        assert_eq!(EmailAddr::parse(""), Err(Text::FieldEmailRequired));
        assert_eq!(EmailAddr::parse("anna"), Err(Text::FieldEmailInvalid));
        assert_eq!(
            EmailAddr::parse("anna@localhost"),
            Err(Text::FieldEmailInvalid)
        );
        assert_eq!(EmailAddr::parse("a b@c.se"), Err(Text::FieldEmailInvalid));
        let long = format!("{}@exempel.se", "a".repeat(250));
        assert_eq!(EmailAddr::parse(&long), Err(Text::FieldTooLong));
    }
}
