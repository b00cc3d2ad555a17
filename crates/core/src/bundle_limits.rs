//! How large a CA bundle may be (issue 14): the server refuses a larger one with 400
//! `X509_CA_BUNDLE_TOO_LARGE` before reading any certificate. Here, in the core, so that the console
//! can check the same rule before sending (it does not yet).
//!
//! The caps keep the work of one bundle bounded (every certificate is parsed, and may have its
//! signature checked by up to [`crate::pem_bundle::MAX_ISSUER_CANDIDATES_VERIFIED`] others) while
//! leaving room for a whole public trust store (Mozilla's: about 150 certificates, 220 KB).

/// At most this many PEM blocks (`-----BEGIN `) in a bundle.
pub const MAX_BUNDLE_CERTIFICATES: usize = 200;
/// At most this many bytes of PEM text.
pub const MAX_BUNDLE_BYTES: usize = 1024 * 1024;

/// Why a bundle is refused before it is read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleTooLarge {
    /// The text is over [`MAX_BUNDLE_BYTES`].
    #[error("the bundle is {bytes} bytes long; at most {MAX_BUNDLE_BYTES} bytes are accepted")]
    Bytes {
        /// Its length, in bytes.
        bytes: usize,
    },
    /// The text holds more than [`MAX_BUNDLE_CERTIFICATES`] PEM blocks.
    #[error(
        "the bundle holds {count} PEM blocks; at most {MAX_BUNDLE_CERTIFICATES} certificates are accepted"
    )]
    Certificates {
        /// How many `-----BEGIN ` lines it holds.
        count: usize,
    },
}

/// Checks the size of a bundle's text: bytes first, then the number of `-----BEGIN ` lines.
pub fn check_bundle_size(text: &str) -> Result<(), BundleTooLarge> {
    if text.len() > MAX_BUNDLE_BYTES {
        return Err(BundleTooLarge::Bytes { bytes: text.len() });
    }
    let count = text.matches("-----BEGIN ").count();
    if count > MAX_BUNDLE_CERTIFICATES {
        return Err(BundleTooLarge::Certificates { count });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_over_either_cap_are_refused() {
        let block = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert_eq!(
            check_bundle_size(&block.repeat(MAX_BUNDLE_CERTIFICATES)),
            Ok(())
        );
        assert_eq!(
            check_bundle_size(&block.repeat(MAX_BUNDLE_CERTIFICATES + 1)),
            Err(BundleTooLarge::Certificates {
                count: MAX_BUNDLE_CERTIFICATES + 1
            })
        );
        assert_eq!(
            check_bundle_size(&"x".repeat(MAX_BUNDLE_BYTES + 1)),
            Err(BundleTooLarge::Bytes {
                bytes: MAX_BUNDLE_BYTES + 1
            })
        );
    }
}
