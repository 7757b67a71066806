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
}
