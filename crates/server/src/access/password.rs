//! Console passwords: argon2id hashes in the PHC string format, computed off the async threads.
//!
//! Each hash or verification holds 19 MiB for its duration: at most [`Slots`] of them run at once
//! (by default as many as the machine has cores, `--max-concurrent-sign-ins`). Sign-in does not wait
//! for a slot ([`Slots::try_take`]: 429 when all are busy); account creation and password changes (by
//! signed-in owners, the CLI) wait for one.

use std::sync::Arc;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Why a password could not be hashed or checked (never because it is wrong: that is `Ok(false)`).
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("cannot hash the password: {0}")]
    Hash(argon2::password_hash::Error),
    #[error("the stored password hash is not a PHC string: {0}")]
    StoredHash(argon2::password_hash::Error),
    #[error("the hashing task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Every slot is hashing: try again in a second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("all {slots} password hashing slots are busy")]
pub struct Busy {
    pub slots: usize,
}

/// The bound on concurrent argon2 work of one server.
#[derive(Debug, Clone)]
pub struct Slots {
    semaphore: Arc<tokio::sync::Semaphore>,
    slots: usize,
}

/// A slot taken: hashing may run while it is held.
#[derive(Debug)]
pub struct Slot(#[allow(dead_code)] tokio::sync::OwnedSemaphorePermit);

impl Slots {
    /// `slots` concurrent hashes (0 is taken as 1).
    pub fn new(slots: usize) -> Self {
        return_large_blocks_to_the_system();
        let slots = slots.max(1);
        Slots {
            semaphore: Arc::new(tokio::sync::Semaphore::new(slots)),
            slots,
        }
    }

    /// The default: one per core (`std::thread::available_parallelism`).
    pub fn default_count() -> usize {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    }

    pub fn count(&self) -> usize {
        self.slots
    }

    /// A free slot now, or [`Busy`].
    pub fn try_take(&self) -> Result<Slot, Busy> {
        Arc::clone(&self.semaphore)
            .try_acquire_owned()
            .map(Slot)
            .map_err(|_| Busy { slots: self.slots })
    }

    /// A slot, waiting for one.
    pub async fn take(&self) -> Slot {
        match Arc::clone(&self.semaphore).acquire_owned().await {
            Ok(permit) => Slot(permit),
            // The semaphore is never closed.
            Err(_) => unreachable!("the password slots' semaphore is never closed"),
        }
    }
}

impl Default for Slots {
    fn default() -> Self {
        Slots::new(Slots::default_count())
    }
}

/// Makes glibc's malloc serve every allocation of 1 MiB or more with its own mapping, given back to the
/// system when freed. By default glibc raises that threshold (up to 32 MiB) after the first large block
/// is freed, so each of argon2's 19 MiB blocks then stays in the heap arena of the thread that hashed:
/// with blocking threads in many arenas, the process kept about 19 MiB per arena however few hashes ran
/// at once (measured: 278 MiB peak for 200 sign-ins with 2 slots). Setting the threshold fixes it.
fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // SAFETY: mallopt only sets a parameter of the allocator; any value is valid to pass.
            let set = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024) };
            if set != 1 {
                tracing::warn!("could not set malloc's mmap threshold; argon2 memory may be kept");
            }
        });
    }
}

/// The slots of code that has no server state (the CLI's `accounts create`, tests): one per core.
pub fn shared_slots() -> &'static Slots {
    static SHARED: std::sync::OnceLock<Slots> = std::sync::OnceLock::new();
    SHARED.get_or_init(Slots::default)
}

/// The argon2id hash of `password` (argon2's default parameters: 19 MiB, 2 passes, 1 lane, as OWASP
/// recommends), with a random salt; waits for a slot of `slots`.
pub async fn hash(slots: &Slots, password: String) -> Result<String, PasswordError> {
    let slot = slots.take().await;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(PasswordError::Hash)
    })
    .await?
}

/// Whether `password` matches `stored` (a PHC string), computed while `slot` is held.
pub async fn verify(slot: Slot, password: String, stored: String) -> Result<bool, PasswordError> {
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        let parsed = PasswordHash::new(&stored).map_err(PasswordError::StoredHash)?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await?
}

/// A hash of nothing anyone knows, verified against when the account does not exist, so that a wrong
/// name takes as long to refuse as a wrong password.
pub const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$H8kjP2u1QOBmqCbRKyRzbxkQ1vHf5WfN3S3B1c1Xc0w";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only_and_salts_differ() {
        let slots = Slots::new(1);
        let verify = |password: &str, stored: String| {
            let slot = slots.try_take().expect("a free slot");
            verify(slot, password.to_owned(), stored)
        };
        let one = hash(&slots, "correct horse battery".to_owned())
            .await
            .unwrap();
        let two = hash(&slots, "correct horse battery".to_owned())
            .await
            .unwrap();
        assert!(one.starts_with("$argon2id$v=19$"), "{one}");
        assert_ne!(one, two, "each hash has its own salt");
        assert!(verify("correct horse battery", one.clone()).await.unwrap());
        assert!(!verify("correct horse battery!", one).await.unwrap());
        assert!(!verify("anything", DECOY_HASH.to_owned()).await.unwrap());
        assert!(matches!(
            verify("x", "not a hash".to_owned()).await,
            Err(PasswordError::StoredHash(_))
        ));
    }

    #[tokio::test]
    async fn slots_bound_concurrent_hashing() {
        let slots = Slots::new(2);
        let one = slots.try_take().expect("first");
        let _two = slots.try_take().expect("second");
        assert_eq!(slots.try_take().unwrap_err(), Busy { slots: 2 });
        drop(one);
        assert!(slots.try_take().is_ok(), "a slot freed is free again");
    }
}
