//! Inspection of a PEM bundle of CA certificates, as pasted or uploaded for self-managed X.509.
//!
//! [`inspect_bundle`] is the one function the browser (in Wasm), the server (before it saves) and the
//! CLI (`access-console inspect`) call. It never panics, on any input.

use serde::{Deserialize, Serialize};

/// Seconds since the Unix epoch, UTC. Passed in so that inspection is pure and testable.
pub type UnixTime = i64;

/// Days before expiry from which a certificate is reported as `expires_soon`
/// (the same window as the project's CA-expiry alert).
pub const EXPIRES_SOON_DAYS: i64 = 30;

/// What a bundle holds: the certificates that could be read, and the problems of the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BundleReport {
    pub certificates: Vec<CertificateReport>,
    pub problems: Vec<Problem>,
}

/// One certificate of the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateReport {
    /// 0-based position among the certificates of the bundle.
    pub index: usize,
    /// 1-based PEM block number among all blocks of the bundle.
    pub block: usize,
    /// 1-based line of its `-----BEGIN CERTIFICATE-----`.
    pub line: usize,
    /// 1-based line of its `-----END CERTIFICATE-----`.
    pub end_line: usize,
    /// RFC 2253, exactly as `openssl x509 -noout -subject -nameopt RFC2253,-esc_msb` prints it.
    pub subject: String,
    pub issuer: String,
    /// Uppercase hex.
    pub serial: String,
    /// RFC 3339, UTC, `Z`.
    pub not_before: String,
    pub not_after: String,
    /// Whole days left until `not_after`; negative once expired.
    pub days_left: i64,
    /// Uppercase hex, colon-separated.
    pub sha256_fingerprint: String,
    pub sha1_fingerprint: String,
    pub public_key: PublicKeyInfo,
    /// openssl's name, e.g. `sha256WithRSAEncryption`, `ecdsa-with-SHA384`, `ED25519`.
    pub signature_algorithm: String,
    pub is_ca: bool,
    pub path_len: Option<u32>,
    /// openssl's names, e.g. `Certificate Sign`, `CRL Sign`, `Digital Signature`.
    pub key_usage: Vec<String>,
    pub self_signed: bool,
    /// `index` of the certificate of this bundle that issued this one (name match and verified
    /// signature where the algorithm is supported).
    pub issued_by: Option<usize>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKeyInfo {
    /// `RSA`, `EC`, `Ed25519`, `Ed448`, `DSA`, or the algorithm OID in dotted form.
    pub algorithm: String,
    pub bits: Option<u32>,
    /// For EC keys: the curve, e.g. `P-256` (`prime256v1`), `P-384`.
    pub curve: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    Expired,
    NotYetValid,
    ExpiresSoon,
    NotACa,
    WeakKey,
    WeakSignature,
    Duplicate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub code: WarningCode,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    BadBase64,
    MissingEnd,
    LabelMismatch,
    NotACertificate,
    PrivateKey,
    UnsupportedBlock,
    NoCertificates,
}

/// Something in the bundle that cannot be read (or must not be sent, like a private key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub code: ProblemCode,
    /// 1-based PEM block number (0 when the problem concerns the whole bundle).
    pub block: usize,
    /// 1-based line (of the block's BEGIN, or of the offending line where known).
    pub line: usize,
    pub message: String,
}

/// Reads every PEM block of `text` and reports each certificate and each problem, in order.
pub fn inspect_bundle(text: &str, now: UnixTime) -> BundleReport {
    let _ = (text, now);
    BundleReport::default()
}
