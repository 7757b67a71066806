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
    use super::short_time;

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
