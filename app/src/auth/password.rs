//! Passwords are hashed with argon2id, off the async runtime and on a bounded pool: at most one
//! hash per core runs at a time, so a burst of sign-ins queues instead of starving every other
//! request (and none of them holds a database connection while it waits or hashes).

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use std::sync::LazyLock;
use tokio::sync::{OnceCell, Semaphore};

static PERMITS: LazyLock<Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    Semaphore::new(cores.clamp(1, 8))
});

async fn bounded<T: Send + 'static>(
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    let _permit = PERMITS.acquire().await?;
    tokio::task::spawn_blocking(work).await?
}

pub async fn hash(password: String) -> anyhow::Result<String> {
    bounded(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await
}

pub async fn verify(password: String, stored: String) -> anyhow::Result<bool> {
    bounded(move || {
        let parsed = PasswordHash::new(&stored).map_err(|e| anyhow::anyhow!("stored hash: {e}"))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
}

/// A hash no password matches, made once, for names that have no account (or no password yet).
async fn dummy() -> anyhow::Result<String> {
    static DUMMY: OnceCell<String> = OnceCell::const_new();
    DUMMY
        .get_or_try_init(|| hash(crate::auth::session::new_token()))
        .await
        .cloned()
}

/// Whether `password` matches `stored`. Without a stored hash it is checked against a dummy one
/// all the same, so the answer takes as long for an unknown name as for a known one.
pub async fn verify_or_dummy(password: &str, stored: Option<String>) -> anyhow::Result<bool> {
    let (hash, real) = match stored {
        Some(h) => (h, true),
        None => (dummy().await?, false),
    };
    // No password of ours is longer than the rules allow; a longer one is hashed no further
    // than that, and fails.
    let too_long = password.chars().count() > crate::auth::policy::MAX_CHARS;
    let typed: String = password
        .chars()
        .take(crate::auth::policy::MAX_CHARS)
        .collect();
    Ok(verify(typed, hash).await? && real && !too_long)
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn hashes_verify_and_are_argon2id() {
        let h = super::hash("Rätt-lösenord-1".into()).await.expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(
            super::verify("Rätt-lösenord-1".into(), h.clone())
                .await
                .expect("verify")
        );
        assert!(
            !super::verify("fel".into(), h.clone())
                .await
                .expect("verify")
        );
        assert!(
            super::verify_or_dummy("Rätt-lösenord-1", Some(h))
                .await
                .expect("verify")
        );
        assert!(
            !super::verify_or_dummy("Rätt-lösenord-1", None)
                .await
                .expect("dummy")
        );
    }
}
