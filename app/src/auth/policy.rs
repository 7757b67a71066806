//! The password rules of the SP handbook, each with its own message: at least 12 characters,
//! upper- and lower-case letters, at least one digit or special character. Passwords are
//! case-sensitive, and none of the last 7 may be used again (checked by the service, which
//! knows the history).

use crate::i18n::Text;

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;
pub const HISTORY: usize = 7;

/// Every rule `password` breaks, in the order the handbook lists them.
pub fn broken_rules(password: &str) -> Vec<Text> {
    let mut broken = Vec::new();
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        broken.push(Text::PasswordRuleLength);
    }
    if chars > MAX_CHARS {
        broken.push(Text::PasswordRuleMaxLength);
    }
    if !password.chars().any(char::is_uppercase) {
        broken.push(Text::PasswordRuleUpper);
    }
    if !password.chars().any(char::is_lowercase) {
        broken.push(Text::PasswordRuleLower);
    }
    if !password
        .chars()
        .any(|c| c.is_ascii_digit() || !c.is_alphanumeric())
    {
        broken.push(Text::PasswordRuleDigitOrSpecial);
    }
    broken
}

/// Whether a password that keeps every rule is still easy to guess: zxcvbn scores it below 3 of
/// 4 (about 10^8 guesses or fewer), counting what the account's own name and address give away.
/// Checked on the server only (its dictionaries are large).
#[cfg(feature = "ssr")]
pub fn too_guessable(password: &str, known: &[String]) -> bool {
    // Each name and address whole, and each of its words ("Anna Svensson" gives away "anna"
    // and "svensson" too).
    let mut inputs: Vec<&str> = Vec::new();
    for k in known {
        inputs.push(k);
        inputs.extend(
            k.split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.len() > 2),
        );
    }
    zxcvbn::zxcvbn(password, &inputs).score() < zxcvbn::Score::Three
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_is_reported_on_its_own() {
        assert_eq!(broken_rules("Kort-1"), vec![Text::PasswordRuleLength]);
        assert_eq!(
            broken_rules("allasmåbokstäver1"),
            vec![Text::PasswordRuleUpper]
        );
        assert_eq!(
            broken_rules("ALLASTORA-BOKSTÄVER"),
            vec![Text::PasswordRuleLower]
        );
        assert_eq!(
            broken_rules("BaraBokstäverHär"),
            vec![Text::PasswordRuleDigitOrSpecial]
        );
        assert_eq!(
            broken_rules("abc"),
            vec![
                Text::PasswordRuleLength,
                Text::PasswordRuleUpper,
                Text::PasswordRuleDigitOrSpecial
            ]
        );
        assert!(broken_rules("Sommar-Stockholm-2026").is_empty());
        assert!(
            broken_rules("SommarStockholm!").is_empty(),
            "a special character is enough"
        );
        assert_eq!(
            broken_rules(&"Aa1".repeat(50)),
            vec![Text::PasswordRuleMaxLength]
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn guessable_passwords_are_refused_though_they_keep_the_rules() {
        let known = ["anna.berg".to_owned(), "anna@exempel.se".to_owned()];
        for weak in ["Password1234", "Qwerty123456", "Anna.berg-2026"] {
            assert!(broken_rules(weak).is_empty(), "{weak} keeps the rules");
            assert!(too_guessable(weak, &known), "{weak}");
        }
        assert!(!too_guessable("Sommar-Stockholm-2026", &known));
        assert!(!too_guessable("Kaffe med kanelbulle i Luleå!", &known));
        // A person's names and personnummer give them away too.
        let person =
            ["Erik", "Holm", "199004129814", "19900412", "900412", "9814"].map(String::from);
        for weak in ["Holm199004129814", "Erik-19900412"] {
            assert!(broken_rules(weak).is_empty(), "{weak} keeps the rules");
            assert!(too_guessable(weak, &person), "{weak}");
        }
    }
}
