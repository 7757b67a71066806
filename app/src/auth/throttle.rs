//! Repeated failed sign-ins slow down, then lock for a while: per account name typed (so an
//! unknown name behaves like a known one) and, with higher limits, per address (which many
//! people behind one office router may share).

use crate::clock::to_db;
use chrono::{DateTime, Duration, Utc};
use sqlx::AnyConnection;

/// Failures further back than this are forgotten.
pub const WINDOW: Duration = Duration::minutes(15);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// From this many failures on, each attempt waits `delay` after the last failure.
    pub slow_after: i64,
    pub delay: Duration,
    /// From this many failures on, nothing is tried until `WINDOW` after the last failure.
    pub lock_after: i64,
}

pub const PER_ACCOUNT: Limits = Limits {
    slow_after: 5,
    delay: Duration::seconds(30),
    lock_after: 10,
};
pub const PER_ADDRESS: Limits = Limits {
    slow_after: 20,
    delay: Duration::seconds(10),
    lock_after: 50,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Try again in this many seconds.
    Wait(i64),
    /// Locked for this many more minutes.
    Locked(i64),
}

pub fn judge(
    limits: Limits,
    failures: i64,
    last: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Verdict {
    let Some(last) = last else {
        return Verdict::Allowed;
    };
    if failures >= limits.lock_after {
        let until = last + WINDOW;
        if until > now {
            return Verdict::Locked(((until - now).num_seconds() + 59) / 60);
        }
    } else if failures >= limits.slow_after {
        let until = last + limits.delay;
        if until > now {
            return Verdict::Wait(((until - now).num_milliseconds() + 999) / 1000);
        }
    }
    Verdict::Allowed
}

pub async fn check(
    conn: &mut AnyConnection,
    key: &str,
    limits: Limits,
    now: DateTime<Utc>,
) -> sqlx::Result<Verdict> {
    let (count, last): (i64, Option<String>) =
        sqlx::query_as("SELECT COUNT(*), MAX(at) FROM login_failures WHERE key = $1 AND at > $2")
            .bind(key)
            .bind(to_db(now - WINDOW))
            .fetch_one(&mut *conn)
            .await?;
    Ok(judge(
        limits,
        count,
        last.as_deref().and_then(crate::clock::from_db),
        now,
    ))
}

pub async fn record(conn: &mut AnyConnection, key: &str, now: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
        .bind(key)
        .bind(to_db(now))
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM login_failures WHERE at < $1")
        .bind(to_db(now - WINDOW - WINDOW))
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

pub async fn clear(conn: &mut AnyConnection, key: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(key)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slows_down_then_locks() {
        let now = Utc::now();
        let l = PER_ACCOUNT;
        assert_eq!(judge(l, 0, None, now), Verdict::Allowed);
        assert_eq!(judge(l, 4, Some(now), now), Verdict::Allowed);
        assert_eq!(judge(l, 5, Some(now), now), Verdict::Wait(30));
        assert_eq!(
            judge(l, 5, Some(now - Duration::seconds(31)), now),
            Verdict::Allowed
        );
        assert_eq!(judge(l, 10, Some(now), now), Verdict::Locked(15));
        assert_eq!(
            judge(l, 10, Some(now - Duration::minutes(14)), now),
            Verdict::Locked(1)
        );
        assert_eq!(
            judge(l, 10, Some(now - Duration::minutes(16)), now),
            Verdict::Allowed
        );
    }
}
