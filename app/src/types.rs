//! Newtypes that parse user input once, at the edge. They compile for the browser too, so a form
//! can check before it sends; the server checks again.

use crate::i18n::Text;
use serde::{Deserialize, Serialize};

/// Rows per page of a search's results (people, companies, accounts, the outbox).
pub const SEARCH_PAGE: u32 = 25;

/// Rows per page of a list inside a page (employees, their certificates, notes, an event log).
pub const LIST_PAGE: u32 = 50;

/// One page of a list, and whether another follows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub has_next: bool,
}

impl<T> Default for Paged<T> {
    fn default() -> Self {
        Paged {
            items: Vec::new(),
            page: 1,
            has_next: false,
        }
    }
}

/// The rows before a page (pages count from 1; a page number too big to be real stays big
/// without overflowing, and finds no rows).
pub fn offset(page: u32, size: u32) -> i64 {
    (i64::from(page.max(1)) - 1) * i64::from(size)
}

impl<T> Paged<T> {
    /// A page from `size + 1` rows fetched: the extra row only says that another page follows.
    pub fn of(mut rows: Vec<T>, page: u32, size: u32) -> Paged<T> {
        let has_next = rows.len() > size as usize;
        rows.truncate(size as usize);
        Paged {
            items: rows,
            page: page.max(1),
            has_next,
        }
    }
}

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

/// Parsing personnummer, samordningsnummer and organisationsnummer by hand. The `personnummer`
/// crate (3.1) puts every 10-digit number in the 1900s, whatever its separator and today's date
/// (`001209-9891` became 1900, `791221+9990` 1979), and checks a samordningsnummer's control
/// digit against the day without its 60 (refusing valid ones); `organisationsnummer` (1.0) takes
/// any personnummer-shaped number without checking its control digit. The rules are short, so
/// they are written out here and tested against Skatteverket's lists.
#[cfg(feature = "ssr")]
mod parse {
    use super::{Orgnr, Pnr};
    use crate::i18n::Text;
    use chrono::{Datelike, NaiveDate};

    /// The Luhn check over ten digits (the last is the control digit).
    pub(super) fn luhn_ok(digits: &[u8]) -> bool {
        let sum: u32 = digits
            .iter()
            .enumerate()
            .map(|(i, &d)| {
                let v = u32::from(d) * if i % 2 == 0 { 2 } else { 1 };
                v / 10 + v % 10
            })
            .sum();
        sum.is_multiple_of(10)
    }

    /// The birth date a number's date part stands for. A samordningsnummer has day + 60, may
    /// leave the month or day unknown (`00`, day `60`), and Skatteverket hands out some whose
    /// day the month does not have (the 31st of April): only month 0-12 and day 0-31 are
    /// checked, and the nearest real date stands in, which is all the century rule needs.
    fn birth_date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
        if day >= 60 {
            let day = day - 60;
            if month > 12 || day > 31 {
                return None;
            }
            return (1..=day.max(1))
                .rev()
                .find_map(|d| NaiveDate::from_ymd_opt(year, month.max(1), d));
        }
        NaiveDate::from_ymd_opt(year, month, day)
    }

    fn digits_of(s: &str) -> Vec<u8> {
        s.bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect()
    }

    fn number(d: &[u8]) -> u32 {
        d.iter().fold(0, |n, &x| n * 10 + u32::from(x))
    }

    /// A personnummer or samordningsnummer in the 12-digit form, or why not. `today` decides the
    /// century of a 10-digit number: the latest birth date not after today, a hundred years
    /// earlier with `+` (the sign of someone 100 or older).
    fn pnr_digits(input: &str, today: NaiveDate) -> Result<String, Text> {
        let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if s.is_empty() {
            return Err(Text::FieldPnrRequired);
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == '+')
        {
            return Err(Text::FieldPnrInvalid);
        }
        let seps: Vec<(usize, char)> = s
            .char_indices()
            .filter(|(_, c)| !c.is_ascii_digit())
            .collect();
        let d = digits_of(&s);
        let plus = match seps.as_slice() {
            [] => false,
            [(i, c)] if (d.len() == 10 && *i == 6) || (d.len() == 12 && *i == 8) => *c == '+',
            _ => return Err(Text::FieldPnrInvalid),
        };
        let (year, rest) = match d.len() {
            // A register of living people: born in the 1800s at the earliest.
            12 if d[..2] == [1, 8] || d[..2] == [1, 9] || d[..2] == [2, 0] => {
                (number(&d[..4]) as i32, &d[2..])
            }
            10 => {
                let yy = number(&d[..2]) as i32;
                let (month, day) = (number(&d[2..4]), number(&d[4..6]));
                let base = today.year() - today.year().rem_euclid(100);
                let mut year = base + yy;
                if birth_date(year, month, day).is_some_and(|b| b > today) {
                    year -= 100;
                }
                if plus {
                    year -= 100;
                }
                (year, &d[..])
            }
            _ => return Err(Text::FieldPnrInvalid),
        };
        let (month, day) = (number(&rest[2..4]), number(&rest[4..6]));
        let born = birth_date(year, month, day).ok_or(Text::FieldPnrInvalid)?;
        if born > today || !luhn_ok(rest) || number(&rest[6..9]) == 0 {
            return Err(Text::FieldPnrInvalid);
        }
        let tail: String = rest.iter().map(|x| char::from(b'0' + x)).collect();
        Ok(format!("{year:04}{}", &tail[2..]))
    }

    impl Pnr {
        /// Accepts the 10- and 12-digit forms, with or without `-` (or `+`, for the 10-digit form
        /// of someone 100 or older), and samordningsnummer; `today` comes from the clock.
        pub fn parse(input: &str, today: NaiveDate) -> Result<Pnr, Text> {
            pnr_digits(input, today).map(Pnr)
        }

        /// Whether it is a samordningsnummer (day + 60) rather than a personnummer.
        pub fn is_coordination(&self) -> bool {
            self.0[6..8].parse::<u32>().is_ok_and(|d| d >= 60)
        }
    }

    impl Orgnr {
        /// Ten digits (or twelve with the prefix `16`) whose control digit holds, and which
        /// are a legal person's number (third and fourth digits at least 20) or a sole trader's
        /// personnummer.
        pub fn parse(input: &str) -> Result<Orgnr, Text> {
            let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
            if s.is_empty() {
                return Err(Text::FieldOrgnrRequired);
            }
            if !s
                .chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == '+')
            {
                return Err(Text::FieldOrgnrInvalid);
            }
            let d = digits_of(&s);
            let d: &[u8] = match d.len() {
                10 => &d,
                12 if d[..2] == [1, 6] => &d[2..],
                12 => {
                    // A sole trader's number written as a 12-digit personnummer (whose
                    // century says nothing of the organisation).
                    let pnr =
                        pnr_digits(&s, NaiveDate::MAX).map_err(|_| Text::FieldOrgnrInvalid)?;
                    return Ok(Orgnr(pnr[2..].to_owned()));
                }
                _ => return Err(Text::FieldOrgnrInvalid),
            };
            if !luhn_ok(d) {
                return Err(Text::FieldOrgnrInvalid);
            }
            let legal = number(&d[2..4]) >= 20 && d[0] != 0;
            let (month, day) = (number(&d[2..4]), number(&d[4..6]));
            let person = (1..=12).contains(&month)
                && (1..=31).contains(&(if day > 60 { day - 60 } else { day }));
            if !(legal || person) {
                return Err(Text::FieldOrgnrInvalid);
            }
            Ok(Orgnr(d.iter().map(|x| char::from(b'0' + x)).collect()))
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn day(s: &str) -> NaiveDate {
            NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
        }

        fn today() -> NaiveDate {
            day("2026-11-25")
        }

        fn pnr(s: &str) -> Result<String, Text> {
            Pnr::parse(s, today()).map(|p| p.0)
        }

        /// The control digit that makes `nine` digits valid.
        fn control(nine: &str) -> char {
            (0..10u8)
                .map(|c| format!("{nine}{c}"))
                .find(|s| luhn_ok(&digits_of(s)))
                .and_then(|s| s.chars().last())
                .expect("some control digit")
        }

        #[test]
        fn personnummer_in_every_common_form_become_twelve_digits() {
            for input in [
                "198507099805",
                "19850709-9805",
                "850709-9805",
                "8507099805",
                " 19850709 - 9805 ",
            ] {
                assert_eq!(pnr(input), Ok("198507099805".into()), "{input}");
            }
            assert_eq!(
                Pnr::parse("19850709-9805", today()).map(|p| p.display()),
                Ok("19850709-9805".into())
            );
        }

        #[test]
        fn the_century_follows_the_separator_and_today() {
            // Born 2000: under 100, a hyphen.
            assert_eq!(
                pnr("001209-9891").map(|p| p[..4].to_owned()),
                Ok("2000".into())
            );
            // The plus sign: 100 or older.
            assert_eq!(pnr("791221+9990"), Ok("187912219990".into()));
            // Born 1926-11-26 is 99 today and still writes a hyphen; 1926-11-25 is 100.
            let a = format!("261126-123{}", control("261126123"));
            assert_eq!(pnr(&a).map(|p| p[..4].to_owned()), Ok("1926".into()));
            let b = format!("261125+123{}", control("261125123"));
            assert_eq!(pnr(&b).map(|p| p[..4].to_owned()), Ok("1926".into()));
            // Born yesterday, and a birthday tomorrow: the last century.
            let c = format!("261124-123{}", control("261124123"));
            assert_eq!(pnr(&c).map(|p| p[..4].to_owned()), Ok("2026".into()));
            let d = format!("261126-123{}", control("261126123"));
            assert_eq!(pnr(&d).map(|p| p[..4].to_owned()), Ok("1926".into()));
            // Twelve digits say their century; a future birth date is no one's.
            assert_eq!(
                pnr(&format!("20261126123{}", control("261126123"))),
                Err(Text::FieldPnrInvalid)
            );
            // Nobody alive was born in the 1700s or the year 0090.
            let ok = format!("900412-981{}", control("900412981"));
            assert!(pnr(&ok).is_ok());
            for century in ["00", "17"] {
                let twelve = format!("{century}900412-981{}", control("900412981"));
                assert_eq!(pnr(&twelve), Err(Text::FieldPnrInvalid), "{twelve}");
            }
        }

        #[test]
        fn samordningsnummer_are_valid_identities() {
            // Day + 60, from the 1950s and 1970s.
            for nine in ["520769123", "710391456", "850769980"] {
                let ten = format!("{nine}{}", control(nine));
                let p = Pnr::parse(&ten, today()).expect(&ten);
                assert!(p.is_coordination(), "{ten}");
            }
            // Day 60 + 32 is no date; month 13 neither.
            let bad = format!("850792123{}", control("850792123"));
            assert_eq!(pnr(&bad), Err(Text::FieldPnrInvalid));
            let bad = format!("851369123{}", control("851369123"));
            assert_eq!(pnr(&bad), Err(Text::FieldPnrInvalid));
            // An unknown month or day, and the 31st of April, as Skatteverket hands them out.
            for nine in ["200072123", "200460123", "200491123"] {
                let ten = format!("{nine}{}", control(nine));
                assert!(Pnr::parse(&ten, today()).is_ok(), "{ten}");
            }
        }

        #[test]
        fn bad_personnummer_are_refused() {
            assert_eq!(pnr(""), Err(Text::FieldPnrRequired));
            for (input, why) in [
                ("19850709-9806", "wrong control digit"),
                ("19851332-9805", "no such date"),
                ("19850709-980", "too short"),
                ("abc", "letters"),
                ("850709--9805", "two separators"),
                ("8507-099805", "separator misplaced"),
                ("850709-0005", "serial 000"),
            ] {
                assert_eq!(pnr(input), Err(Text::FieldPnrInvalid), "{why}: {input}");
            }
        }

        /// Every day of 130 years, as 10 and 12 digits, with and without separators, and as
        /// samordningsnummer: each comes back as the same 12 digits, and a wrong control digit
        /// never passes.
        #[test]
        fn every_birth_date_round_trips() {
            let mut date = day("1897-01-01");
            let mut n = 0u32;
            while date <= today() {
                let serial = 100 + (n * 37) % 899;
                n += 1;
                for coordination in [false, true] {
                    let dd = date.day() + if coordination { 60 } else { 0 };
                    let nine = format!(
                        "{:02}{:02}{dd:02}{serial:03}",
                        date.year() % 100,
                        date.month()
                    );
                    let c = control(&nine);
                    let long = format!("{:04}{}{c}", date.year(), &nine[2..]);
                    let age = today().years_since(date).expect("age");
                    let sep = if age >= 100 { '+' } else { '-' };
                    for input in [
                        long.clone(),
                        format!("{}-{}", &long[..8], &long[8..]),
                        format!("{}{sep}{}", &nine[..6], &format!("{}{c}", &nine[6..])),
                    ] {
                        assert_eq!(pnr(&input).as_deref(), Ok(long.as_str()), "{input}");
                    }
                    if age < 100 {
                        assert_eq!(pnr(&format!("{nine}{c}")).as_deref(), Ok(long.as_str()));
                    }
                    let wrong = char::from(b'0' + (c as u8 - b'0' + 1) % 10);
                    let mut bad = long.clone();
                    bad.pop();
                    bad.push(wrong);
                    assert_eq!(pnr(&bad), Err(Text::FieldPnrInvalid), "{bad}");
                }
                date = date.succ_opt().expect("next day");
            }
        }

        /// Skatteverket's lists of test personnummer and samordningsnummer (open data, 41,129
        /// and 2,264 numbers), when `CERTPORTAL_TEST_PNR_LISTS` names a folder holding them as
        /// `allPins.json` and `allCoords.json` (JSON arrays of 12-digit strings; the
        /// personnummer/meta repository keeps copies). No registry carries them, so CI runs the
        /// generated dates above instead.
        #[test]
        fn skatteverkets_test_lists_all_parse() {
            let Ok(dir) = std::env::var("CERTPORTAL_TEST_PNR_LISTS") else {
                return;
            };
            let mut total = 0;
            for (file, coordination) in [("allPins.json", false), ("allCoords.json", true)] {
                let text = std::fs::read_to_string(format!("{dir}/{file}")).expect(file);
                let list: Vec<String> = serde_json::from_str(&text).expect("json");
                for long in list {
                    let p = Pnr::parse(&long, today()).unwrap_or_else(|e| panic!("{long}: {e:?}"));
                    assert_eq!(p.as_str(), long);
                    assert_eq!(p.is_coordination(), coordination, "{long}");
                    let born = birth_date(
                        long[..4].parse().expect("year"),
                        long[4..6].parse().expect("month"),
                        long[6..8].parse().expect("day"),
                    )
                    .expect("date");
                    let sep = if today().years_since(born).expect("age") >= 100 {
                        '+'
                    } else {
                        '-'
                    };
                    let short = format!("{}{sep}{}", &long[2..8], &long[8..]);
                    assert_eq!(
                        Pnr::parse(&short, today()).map(|p| p.0),
                        Ok(long.clone()),
                        "{short}"
                    );
                    total += 1;
                }
            }
            assert!(total > 40_000, "{total}");
        }

        #[test]
        fn organisationsnummer_are_parsed() {
            assert_eq!(
                Orgnr::parse("556016-0680").map(|o| o.0),
                Ok("5560160680".into())
            );
            assert_eq!(
                Orgnr::parse("16556016-0680").map(|o| o.0),
                Ok("5560160680".into())
            );
            assert_eq!(
                Orgnr::parse("5560160680").map(|o| o.display()),
                Ok("556016-0680".into())
            );
            assert_eq!(Orgnr::parse("556016-0681"), Err(Text::FieldOrgnrInvalid));
            assert_eq!(Orgnr::parse(""), Err(Text::FieldOrgnrRequired));
            assert_eq!(Orgnr::parse("17556016-0680"), Err(Text::FieldOrgnrInvalid));
            // A sole trader's organisationsnummer is their personnummer...
            assert_eq!(
                Orgnr::parse("850709-9805").map(|o| o.0),
                Ok("8507099805".into())
            );
            assert_eq!(
                Orgnr::parse("19850709-9805").map(|o| o.0),
                Ok("8507099805".into())
            );
            // ... with its control digit, which the crate never checked.
            assert_eq!(Orgnr::parse("850709-9806"), Err(Text::FieldOrgnrInvalid));
            // Every legal form's group (2: state, 5: AB, 7: co-op, 8: association, 9: HB) with
            // the middle digits 20-99.
            for group in [2, 5, 7, 8, 9] {
                for middle in [20, 46, 99] {
                    let nine = format!("{group}5{middle:02}01123");
                    let ten = format!("{nine}{}", control(&nine));
                    assert!(Orgnr::parse(&ten).is_ok(), "{ten}");
                }
            }
            let no_group = "551301123".to_owned();
            let no_group = format!("{no_group}{}", control(&no_group));
            assert_eq!(Orgnr::parse(&no_group), Err(Text::FieldOrgnrInvalid));
        }
    }
}

/// A status or kind stored as a short code: the enum, its codes, `code()`, `parse()`, `ALL`,
/// and `TryFrom<String>` so a store's row type converts the column once, where it is read
/// (`#[sqlx(try_from = "String")]`). Rust compares the enum, never the code.
#[macro_export]
macro_rules! coded {
    ($(#[$meta:meta])* $vis:vis enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code the database stores.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn parse(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|s| s.code() == code)
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;

            fn try_from(code: String) -> Result<$name, String> {
                $name::parse(&code)
                    .ok_or_else(|| format!("unknown {} {code:?}", stringify!($name)))
            }
        }
    };
}
