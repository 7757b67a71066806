//! Time is injected: services ask the clock in the state, so tests can move to "31 days later".

use chrono::{DateTime, SecondsFormat, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// Seconds added to the system time; only tests move it.
    offset: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock::default()
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::seconds(self.offset.load(Ordering::Relaxed))
    }

    /// Today's date in Sweden, where the certificates' dates are set and read: from midnight
    /// Swedish time, not from midnight UTC an hour or two later.
    pub fn today(&self) -> chrono::NaiveDate {
        crate::ui::format::swedish(self.now()).date()
    }

    /// Moves this clock (and every copy of it) forward.
    pub fn advance(&self, by: chrono::Duration) {
        self.offset.fetch_add(by.num_seconds(), Ordering::Relaxed);
    }
}

/// Timestamps are stored as fixed-width UTC text, so they sort and compare as strings on both
/// databases.
pub fn to_db(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn from_db(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The wait before attempt `attempts + 1`: 30 s, 1 min, 2 min, ... at most 2 hours.
pub fn backoff(attempts: i64) -> chrono::Duration {
    use chrono::Duration;
    let exp = attempts.clamp(1, 16) - 1;
    std::cmp::min(Duration::seconds(30 << exp), Duration::hours(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn db_timestamps_sort_as_text() {
        let a = Utc::now();
        let b = a + chrono::Duration::milliseconds(1500);
        assert!(to_db(a) < to_db(b));
        assert_eq!(to_db(a).len(), to_db(b).len());
        assert_eq!(from_db(&to_db(a)).map(to_db), Some(to_db(a)));
    }

    #[test]
    fn today_is_the_swedish_date() {
        // 23:30 UTC in November is 00:30 the next day in Sweden.
        let late = DateTime::parse_from_rfc3339("2026-11-25T23:30:00Z").expect("time");
        let date = crate::ui::format::swedish(late.with_timezone(&Utc)).date();
        assert_eq!(date.to_string(), "2026-11-26");
    }

    #[test]
    fn advancing_moves_every_copy() {
        let c = Clock::system();
        let copy = c.clone();
        let before = copy.now();
        c.advance(chrono::Duration::days(31));
        assert!(copy.now() - before >= chrono::Duration::days(31));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(super::backoff(1), chrono::Duration::seconds(30));
        assert_eq!(super::backoff(2), chrono::Duration::seconds(60));
        assert_eq!(super::backoff(4), chrono::Duration::seconds(240));
        assert_eq!(super::backoff(40), chrono::Duration::hours(2));
    }
}
