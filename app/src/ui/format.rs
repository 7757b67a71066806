//! How values are written on a page.

/// `2026-11-25T02:30:00.000000Z` as `2026-11-25 02:30`.
pub fn short_time(ts: &str) -> String {
    ts.get(..16)
        .map(|s| s.replace('T', " "))
        .unwrap_or_else(|| ts.to_owned())
}
