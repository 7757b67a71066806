//! Repeated failed sign-ins slow down, then lock for a while: per account name typed (so an
//! unknown name behaves like a known one) and, with higher limits, per address (which many
//! people behind one office router may share).

use super::store;
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
        store::insert_attempt(&db.pool, &id, key, &to_db(now)).await?;
    }
    let mut verdict = Verdict::Allowed;
    for (key, limits) in keys {
        let f = store::failures(&db.pool, key, &to_db(now - WINDOW), &id).await?;
        let v = judge(
            *limits,
            f.failures,
            f.last_at.as_deref().and_then(crate::clock::from_db),
            now,
        );
        verdict = worse(verdict, v);
    }
    if verdict != Verdict::Allowed {
        forget(db, &id).await?;
    }
    store::delete_attempts_before(&db.pool, &to_db(now - WINDOW - WINDOW)).await?;
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
    store::delete_attempt(&db.pool, attempt_id).await
}

/// Forgets every failure under `key` (a successful sign-in clears its name's record).
pub async fn clear(db: &Db, key: &str) -> sqlx::Result<()> {
    store::delete_attempts_of(&db.pool, key).await
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
    store::insert_hit(&db.pool, &id, key, &to_db(now)).await?;
    let store::Hits { hits, oldest } = store::hits(&db.pool, key, &to_db(now - window)).await?;
    if hits <= max {
        return Ok(None);
    }
    store::delete_hit(&db.pool, &id).await?;
    let again = oldest
        .as_deref()
        .and_then(crate::clock::from_db)
        .map(|t| (t + window - now).num_seconds().max(1))
        .unwrap_or(window.num_seconds());
    Ok(Some(again))
}

/// Forgets rate-limit hits older than a day.
pub async fn purge(db: &Db, now: DateTime<Utc>) -> sqlx::Result<()> {
    store::delete_hits_before(&db.pool, &to_db(now - Duration::days(1))).await
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
