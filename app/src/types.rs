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

/// A Swedish personnummer or samordningsnummer, stored in the 12-digit form `YYYYMMDDNNNN`.
/// Parsed on the server only (the validating crate would add to the browser's download).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pnr(String);

impl Pnr {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `YYYYMMDD-NNNN`, as people write it.
    pub fn display(&self) -> String {
        format!("{}-{}", &self.0[..8], &self.0[8..])
    }
}

/// A Swedish organisationsnummer, stored as ten digits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Orgnr(String);

impl Orgnr {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `NNNNNN-NNNN`, as it is written.
    pub fn display(&self) -> String {
        format!("{}-{}", &self.0[..6], &self.0[6..])
    }
}

#[cfg(feature = "ssr")]
mod parse {
    use super::{Orgnr, Pnr};
    use crate::i18n::Text;

    impl Pnr {
        /// Accepts the 10- and 12-digit forms, with or without `-`/`+`, and samordningsnummer.
        pub fn parse(input: &str) -> Result<Pnr, Text> {
            let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
            if s.is_empty() {
                return Err(Text::FieldPnrRequired);
            }
            // The crate accepts a missing control digit; a person always has one.
            let digits = s.chars().filter(char::is_ascii_digit).count();
            if digits != 10 && digits != 12 {
                return Err(Text::FieldPnrInvalid);
            }
            let pnr = personnummer::Personnummer::new(&s).map_err(|_| Text::FieldPnrInvalid)?;
            if !pnr.valid() {
                return Err(Text::FieldPnrInvalid);
            }
            let long: String = pnr
                .format()
                .long()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            if long.len() != 12 {
                return Err(Text::FieldPnrInvalid);
            }
            Ok(Pnr(long))
        }
    }

    impl Orgnr {
        pub fn parse(input: &str) -> Result<Orgnr, Text> {
            let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
            if s.is_empty() {
                return Err(Text::FieldOrgnrRequired);
            }
            let nr = organisationsnummer::Organisationsnummer::new(&s)
                .map_err(|_| Text::FieldOrgnrInvalid)?;
            if !nr.valid() {
                return Err(Text::FieldOrgnrInvalid);
            }
            let digits: String = nr
                .format()
                .short()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            if digits.len() != 10 {
                return Err(Text::FieldOrgnrInvalid);
            }
            Ok(Orgnr(digits))
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn personnummer_in_every_common_form_become_twelve_digits() {
            for input in [
                "198507099805",
                "19850709-9805",
                "850709-9805",
                "8507099805",
                " 19850709 - 9805 ",
            ] {
                assert_eq!(
                    Pnr::parse(input).map(|p| p.0),
                    Ok("198507099805".into()),
                    "{input}"
                );
            }
            assert_eq!(
                Pnr::parse("19850709-9805").map(|p| p.display()),
                Ok("19850709-9805".into())
            );
        }

        #[test]
        fn bad_personnummer_are_refused() {
            assert_eq!(Pnr::parse(""), Err(Text::FieldPnrRequired));
            assert_eq!(
                Pnr::parse("19850709-9806"),
                Err(Text::FieldPnrInvalid),
                "wrong control digit"
            );
            assert_eq!(
                Pnr::parse("19851332-9805"),
                Err(Text::FieldPnrInvalid),
                "no such date"
            );
            assert_eq!(
                Pnr::parse("19850709-980"),
                Err(Text::FieldPnrInvalid),
                "too short"
            );
            assert_eq!(Pnr::parse("abc"), Err(Text::FieldPnrInvalid));
        }

        #[test]
        fn samordningsnummer_are_accepted() {
            // Day + 60; find the serial's valid control digit rather than hard-code one.
            let valid = (0..10)
                .map(|d| format!("19850769980{d}"))
                .find(|s| Pnr::parse(s).is_ok());
            assert!(
                valid.is_some(),
                "some control digit makes 1985-07-(09+60) valid"
            );
        }

        #[test]
        fn organisationsnummer_are_parsed() {
            assert_eq!(
                Orgnr::parse("556016-0680").map(|o| o.0),
                Ok("5560160680".into())
            );
            assert_eq!(
                Orgnr::parse("5560160680").map(|o| o.display()),
                Ok("556016-0680".into())
            );
            assert_eq!(Orgnr::parse("556016-0681"), Err(Text::FieldOrgnrInvalid));
            assert_eq!(Orgnr::parse(""), Err(Text::FieldOrgnrRequired));
        }
    }
}
