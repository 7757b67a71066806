//! Repeated failed sign-ins slow down, then lock for a while: per account name typed (so an
//! unknown name behaves like a known one) and, with higher limits, per address (which many
//! people behind one office router may share).

use crate::clock::to_db;
use crate::db::Db;
use chrono::{DateTime, Duration, Utc};

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

/// One sign-in attempt, recorded (under every key it counts against) before it is judged, so
/// that attempts made at the same moment see each other: of twenty at once, only as many as the
/// limits allow get through. A refused attempt is removed again; one that succeeds removes
/// itself with [`forget`]; one that fails stays as the failure it is.
pub struct Attempt {
    pub id: String,
    pub verdict: Verdict,
}

pub async fn begin(
    db: &Db,
    keys: &[(String, Limits)],
    now: DateTime<Utc>,
) -> sqlx::Result<Attempt> {
    let id = uuid::Uuid::now_v7().to_string();
    for (key, _) in keys {
        sqlx::query("INSERT INTO login_failures (id, key, at) VALUES ($1, $2, $3)")
            .bind(&id)
            .bind(key)
            .bind(to_db(now))
            .execute(&db.pool)
            .await?;
    }
    let mut verdict = Verdict::Allowed;
    for (key, limits) in keys {
        let (count, last): (i64, Option<String>) = sqlx::query_as(
            "SELECT COUNT(*), MAX(at) FROM login_failures WHERE key = $1 AND at > $2 AND id <> $3",
        )
        .bind(key)
        .bind(to_db(now - WINDOW))
        .bind(&id)
        .fetch_one(&db.pool)
        .await?;
        let v = judge(
            *limits,
            count,
            last.as_deref().and_then(crate::clock::from_db),
            now,
        );
        verdict = worse(verdict, v);
    }
    if verdict != Verdict::Allowed {
        forget(db, &id).await?;
    }
    sqlx::query("DELETE FROM login_failures WHERE at < $1")
        .bind(to_db(now - WINDOW - WINDOW))
        .execute(&db.pool)
        .await?;
    Ok(Attempt { id, verdict })
}

fn worse(a: Verdict, b: Verdict) -> Verdict {
    match (a, b) {
        (Verdict::Locked(x), Verdict::Locked(y)) => Verdict::Locked(x.max(y)),
        (Verdict::Locked(x), _) | (_, Verdict::Locked(x)) => Verdict::Locked(x),
        (Verdict::Wait(x), Verdict::Wait(y)) => Verdict::Wait(x.max(y)),
        (Verdict::Wait(x), _) | (_, Verdict::Wait(x)) => Verdict::Wait(x),
        _ => Verdict::Allowed,
    }
}

/// Removes one attempt's rows.
pub async fn forget(db: &Db, attempt_id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE id = $1")
        .bind(attempt_id)
        .execute(&db.pool)
        .await
        .map(|_| ())
}

/// Forgets every failure under `key` (a successful sign-in clears its name's record).
pub async fn clear(db: &Db, key: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(key)
        .execute(&db.pool)
        .await
        .map(|_| ())
}

/// A rate limit on an action (asking for a password reset, inviting an attester): at most `max`
/// hits per `window` under `key`. Records the hit and answers `None`, or refuses it and answers
/// in how many seconds one is allowed again. Recorded first, then counted, like [`begin`].
pub async fn hit(
    db: &Db,
    key: &str,
    max: i64,
    window: Duration,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO rate_hits (id, key, at) VALUES ($1, $2, $3)")
        .bind(&id)
        .bind(key)
        .bind(to_db(now))
        .execute(&db.pool)
        .await?;
    let (count, oldest): (i64, Option<String>) =
        sqlx::query_as("SELECT COUNT(*), MIN(at) FROM rate_hits WHERE key = $1 AND at > $2")
            .bind(key)
            .bind(to_db(now - window))
            .fetch_one(&db.pool)
            .await?;
    if count <= max {
        return Ok(None);
    }
    sqlx::query("DELETE FROM rate_hits WHERE id = $1")
        .bind(&id)
        .execute(&db.pool)
        .await?;
    let again = oldest
        .as_deref()
        .and_then(crate::clock::from_db)
        .map(|t| (t + window - now).num_seconds().max(1))
        .unwrap_or(window.num_seconds());
    Ok(Some(again))
}

/// Forgets rate-limit hits older than a day.
pub async fn purge(db: &Db, now: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM rate_hits WHERE at < $1")
        .bind(to_db(now - Duration::days(1)))
        .execute(&db.pool)
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
