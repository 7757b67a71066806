//! How values are written on a page.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc};

/// A stored time (`2026-11-25T02:30:00.000000Z`) as the portal's users read a clock: Swedish
/// time, `2026-11-25 03:30`. Text that is no time is shown as it is.
pub fn short_time(ts: &str) -> String {
    match DateTime::parse_from_rfc3339(ts) {
        Ok(t) => swedish(t.with_timezone(&Utc))
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => ts.to_owned(),
    }
}

/// A stored time's date in Sweden (`2026-11-25T23:30:00Z` is `2026-11-26`); text that is no
/// time is cut to its first ten characters (a date stays a date).
pub fn short_date(ts: &str) -> String {
    short_time(ts).chars().take(10).collect()
}

/// The moment `day` begins in Sweden, in UTC (22:00 or 23:00 the day before): stored times
/// before it were made before that Swedish day.
pub fn swedish_midnight(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    let winter = midnight.and_utc() - Duration::hours(1);
    // Summer time starts and ends at 01:00 UTC, never at a Swedish midnight.
    if swedish(winter) == midnight {
        winter
    } else {
        winter - Duration::hours(1)
    }
}

/// Swedish time: UTC+1, and UTC+2 in summer, which begins and ends at 01:00 UTC on the last
/// Sundays of March and October (the EU's rule since 1996).
pub fn swedish(t: DateTime<Utc>) -> NaiveDateTime {
    let summer = |month: u32| {
        let last_day = NaiveDate::from_ymd_opt(t.year(), month + 1, 1)
            .and_then(|d| d.pred_opt())
            .unwrap_or_default();
        let back = last_day.weekday().num_days_from_sunday();
        let sunday = last_day - Duration::days(i64::from(back));
        sunday.and_hms_opt(1, 0, 0).unwrap_or_default().and_utc()
    };
    let hours = if t >= summer(3) && t < summer(10) {
        2
    } else {
        1
    };
    (t + Duration::hours(hours)).naive_utc()
}

/// Percent-encodes everything but unreserved characters and `/`.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{short_date, short_time, swedish_midnight};
    use chrono::NaiveDate;

    #[test]
    fn a_stored_time_has_the_swedish_date_and_a_day_begins_at_swedish_midnight() {
        assert_eq!(short_date("2026-11-27T23:30:00.000000Z"), "2026-11-28");
        assert_eq!(short_date("2026-07-01T21:59:59Z"), "2026-07-01");
        assert_eq!(short_date("2026-07-01T22:00:00Z"), "2026-07-02");
        assert_eq!(short_date("2026-07-01"), "2026-07-01");
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day");
        let at = |s: &str| {
            chrono::DateTime::parse_from_rfc3339(s)
                .expect("time")
                .with_timezone(&chrono::Utc)
        };
        // Winter and summer, and the days summer time begins and ends (29 March and 25 October
        // 2026).
        for (swedish_day, begins) in [
            ("2026-11-28", "2026-11-27T23:00:00Z"),
            ("2026-07-02", "2026-07-01T22:00:00Z"),
            ("2026-03-29", "2026-03-28T23:00:00Z"),
            ("2026-03-30", "2026-03-29T22:00:00Z"),
            ("2026-10-25", "2026-10-24T22:00:00Z"),
            ("2026-10-26", "2026-10-25T23:00:00Z"),
        ] {
            assert_eq!(
                swedish_midnight(day(swedish_day)),
                at(begins),
                "{swedish_day}"
            );
        }
    }

    #[test]
    fn times_are_shown_in_swedish_time() {
        assert_eq!(
            short_time("2026-11-25T17:32:00.000000Z"),
            "2026-11-25 18:32"
        );
        assert_eq!(short_time("2026-07-01T10:00:00Z"), "2026-07-01 12:00");
        assert_eq!(short_time("2026-12-31T23:30:00Z"), "2027-01-01 00:30");
        // 2026: summer from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(short_time("2026-03-29T00:59:00Z"), "2026-03-29 01:59");
        assert_eq!(short_time("2026-03-29T01:00:00Z"), "2026-03-29 03:00");
        assert_eq!(short_time("2026-10-25T00:59:00Z"), "2026-10-25 02:59");
        assert_eq!(short_time("2026-10-25T01:00:00Z"), "2026-10-25 02:00");
        assert_eq!(short_time("2027-03-28T01:00:00Z"), "2027-03-28 03:00");
        assert_eq!(short_time("no time"), "no time");
    }

    #[test]
    fn next_paths_are_encoded() {
        assert_eq!(
            super::encode_component("/outbox?page=2&x=å"),
            "/outbox%3Fpage%3D2%26x%3D%C3%A5"
        );
    }
}
