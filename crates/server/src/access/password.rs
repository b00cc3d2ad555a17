//! Console passwords: argon2id hashes in the PHC string format, computed off the async threads.

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

/// The argon2id hash of `password` (argon2's default parameters: 19 MiB, 2 passes, 1 lane, as OWASP
/// recommends), with a random salt.
pub async fn hash(password: String) -> Result<String, PasswordError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(PasswordError::Hash)
    })
    .await?
}

/// Whether `password` matches `stored` (a PHC string).
pub async fn verify(password: String, stored: String) -> Result<bool, PasswordError> {
    tokio::task::spawn_blocking(move || {
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
        let one = hash("correct horse battery".to_owned()).await.unwrap();
        let two = hash("correct horse battery".to_owned()).await.unwrap();
        assert!(one.starts_with("$argon2id$v=19$"), "{one}");
        assert_ne!(one, two, "each hash has its own salt");
        assert!(verify("correct horse battery".to_owned(), one.clone())
            .await
            .unwrap());
        assert!(!verify("correct horse battery!".to_owned(), one)
            .await
            .unwrap());
        assert!(!verify("anything".to_owned(), DECOY_HASH.to_owned())
            .await
            .unwrap());
        assert!(matches!(
            verify("x".to_owned(), "not a hash".to_owned()).await,
            Err(PasswordError::StoredHash(_))
        ));
    }
}
