//! Signature algorithms: openssl's names for them, which are weak, and verification of a
//! certificate's signature with its issuer's key.
//!
//! Verification covers what CA bundles use: RSA PKCS #1 v1.5 with SHA-1/224/256/384/512, ECDSA on
//! P-256 and P-384 with the same hashes, and Ed25519. Anything else is reported as unsupported rather
//! than as a failed check.

use crate::certificate::{Certificate, CertificateError, KeyKind, PublicKey};
use crate::oid;
use der::Tagged as _;

#[cfg(feature = "signature-verification")]
use sha1::Sha1;
#[cfg(feature = "signature-verification")]
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

/// Hash function of a signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    Md2,
    Md4,
    Md5,
    /// The withdrawn original SHA (1993).
    Sha0,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    /// Given by the parameters (RSASSA-PSS), intrinsic (EdDSA), or one not verified here.
    Other,
}

/// Which keys an algorithm signs with (openssl's `OBJ_find_sigid_algs` public key type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyFamily {
    Rsa,
    /// RSASSA-PSS: made with an RSA or an RSA-PSS key.
    RsaPss,
    Ec,
    Dsa,
    Ed25519,
    Ed448,
    /// openssl has a name for it but no key type it maps to (or one this crate does not model).
    Unknown,
}

struct Algorithm {
    oid: &'static [u8],
    /// openssl's long name, as `openssl x509 -text` prints it.
    name: &'static str,
    family: KeyFamily,
    hash: Hash,
}

const fn alg(oid: &'static [u8], name: &'static str, family: KeyFamily, hash: Hash) -> Algorithm {
    Algorithm {
        oid,
        name,
        family,
        hash,
    }
}

use Hash::*;
use KeyFamily::*;

/// Signature algorithms openssl 3.0 names, with the key type and hash its `OBJ_find_sigid_algs`
/// gives them (`Unknown` where it has none).
static ALGORITHMS: &[Algorithm] = &[
    alg(
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01],
        "rsaEncryption",
        Unknown,
        Other,
    ),
    alg(
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x02],
        "md2WithRSAEncryption",
        Rsa,
        Md2,
    ),
    alg(
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x03],
        "md4WithRSAEncryption",
        Rsa,
        Md4,
    ),
    alg(
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x04],
        "md5WithRSAEncryption",
        Rsa,
        Md5,
    ),
    alg(
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x05],
        "sha1WithRSAEncryption",
        Rsa,
        Sha1,
    ),
    alg(
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A],
        "rsassaPss",
        RsaPss,
        Other,
    ),
    alg(
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B],
        "sha256WithRSAEncryption",
        Rsa,
        Sha256,
    ),
    alg(
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0C],
        "sha384WithRSAEncryption",
        Rsa,
        Sha384,
    ),
    alg(
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0D],
        "sha512WithRSAEncryption",
        Rsa,
        Sha512,
    ),
    alg(
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0E],
        "sha224WithRSAEncryption",
        Rsa,
        Sha224,
    ),
    alg(
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0F],
        "sha512-224WithRSAEncryption",
        Unknown,
        Other,
    ),
    alg(
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x10],
        "sha512-256WithRSAEncryption",
        Unknown,
        Other,
    ),
    alg(&[0x2B, 0x0E, 0x03, 0x02, 0x03], "md5WithRSA", Rsa, Md5),
    alg(&[0x2B, 0x0E, 0x03, 0x02, 0x0D], "dsaWithSHA", Dsa, Sha0),
    alg(
        &[0x2B, 0x0E, 0x03, 0x02, 0x0F],
        "shaWithRSAEncryption",
        Rsa,
        Sha0,
    ),
    alg(
        &[0x2B, 0x0E, 0x03, 0x02, 0x1B],
        "dsaWithSHA1-old",
        Unknown,
        Sha1,
    ),
    alg(&[0x2B, 0x0E, 0x03, 0x02, 0x1D], "sha1WithRSA", Rsa, Sha1),
    alg(
        &[0x2B, 0x24, 0x03, 0x03, 0x01, 0x02],
        "ripemd160WithRSA",
        Rsa,
        Other,
    ),
    alg(&[0x55, 0x08, 0x03, 0x64], "mdc2WithRSA", Rsa, Other),
    alg(
        &[0x2A, 0x86, 0x48, 0xCE, 0x38, 0x04, 0x03],
        "dsaWithSHA1",
        Dsa,
        Sha1,
    ),
    alg(
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x01],
        "dsa_with_SHA224",
        Dsa,
        Sha224,
    ),
    alg(
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x02],
        "dsa_with_SHA256",
        Dsa,
        Sha256,
    ),
    alg(
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x03],
        "dsa_with_SHA384",
        Unknown,
        Sha384,
    ),
    alg(
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x04],
        "dsa_with_SHA512",
        Unknown,
        Sha512,
    ),
    alg(
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x05],
        "dsa_with_SHA3-224",
        Unknown,
        Other,
    ),
    alg(
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x06],
        "dsa_with_SHA3-256",
        Unknown,
        Other,
    ),
    alg(
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x07],
        "dsa_with_SHA3-384",
        Unknown,
        Other,
    ),
    alg(
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x08],
        "dsa_with_SHA3-512",
        Unknown,
        Other,
    ),
    alg(
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x09],
        "ecdsa_with_SHA3-224",
        Unknown,
        Other,
    ),
    alg(
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x0A],
        "ecdsa_with_SHA3-256",
        Unknown,
        Other,
    ),
    alg(
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x0B],
        "ecdsa_with_SHA3-384",
        Unknown,
        Other,
    ),
    alg(
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x0C],
        "ecdsa_with_SHA3-512",
        Unknown,
        Other,
    ),
    alg(
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x0D],
        "RSA-SHA3-224",
        Rsa,
        Other,
    ),
    alg(
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x0E],
        "RSA-SHA3-256",
        Rsa,
        Other,
    ),
    alg(
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x0F],
        "RSA-SHA3-384",
        Rsa,
        Other,
    ),
    alg(
        &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x10],
        "RSA-SHA3-512",
        Rsa,
        Other,
    ),
    alg(
        &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x01],
        "ecdsa-with-SHA1",
        Ec,
        Sha1,
    ),
    alg(
        &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x02],
        "ecdsa-with-Recommended",
        Ec,
        Other,
    ),
    alg(
        &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03],
        "ecdsa-with-Specified",
        Ec,
        Other,
    ),
    alg(
        &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x01],
        "ecdsa-with-SHA224",
        Ec,
        Sha224,
    ),
    alg(
        &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02],
        "ecdsa-with-SHA256",
        Ec,
        Sha256,
    ),
    alg(
        &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03],
        "ecdsa-with-SHA384",
        Ec,
        Sha384,
    ),
    alg(
        &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x04],
        "ecdsa-with-SHA512",
        Ec,
        Sha512,
    ),
    alg(&[0x2B, 0x65, 0x70], "ED25519", Ed25519, Other),
    alg(&[0x2B, 0x65, 0x71], "ED448", Ed448, Other),
    alg(
        &[0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x83, 0x75],
        "SM2-with-SM3",
        Unknown,
        Other,
    ),
    alg(
        &[0x2A, 0x85, 0x03, 0x02, 0x02, 0x03],
        "GOST R 34.11-94 with GOST R 34.10-2001",
        Unknown,
        Other,
    ),
    alg(
        &[0x2A, 0x85, 0x03, 0x02, 0x02, 0x04],
        "GOST R 34.11-94 with GOST R 34.10-94",
        Unknown,
        Other,
    ),
    alg(
        &[0x2A, 0x85, 0x03, 0x07, 0x01, 0x01, 0x03, 0x02],
        "GOST R 34.10-2012 with GOST R 34.11-2012 (256 bit)",
        Unknown,
        Other,
    ),
    alg(
        &[0x2A, 0x85, 0x03, 0x07, 0x01, 0x01, 0x03, 0x03],
        "GOST R 34.10-2012 with GOST R 34.11-2012 (512 bit)",
        Unknown,
        Other,
    ),
];

fn lookup(oid: &[u8]) -> Option<&'static Algorithm> {
    ALGORITHMS.iter().find(|a| a.oid == oid)
}

/// openssl's name for a signature algorithm (`sha256WithRSAEncryption`, `ecdsa-with-SHA384`,
/// `ED25519`, `rsassaPss`), or its dotted OID when openssl has no name for it.
pub fn algorithm_name(oid_content: &[u8]) -> String {
    lookup(oid_content).map_or_else(|| oid::dotted(oid_content), |a| a.name.to_owned())
}

/// The broken hash a signature algorithm uses (`MD5`, `SHA-1`, ...), if it uses one.
pub fn weak_hash(oid_content: &[u8]) -> Option<&'static str> {
    match lookup(oid_content)?.hash {
        Md2 => Some("MD2"),
        Md4 => Some("MD4"),
        Md5 => Some("MD5"),
        Sha0 => Some("SHA-0"),
        Sha1 => Some("SHA-1"),
        Sha224 | Sha256 | Sha384 | Sha512 | Other => None,
    }
}

/// openssl's `check_sig_alg_match`: whether a signature algorithm is one the key's type makes.
pub(crate) fn algorithm_suits_key(signature_oid: &[u8], key: &PublicKey<'_>) -> bool {
    let Some(algorithm) = lookup(signature_oid) else {
        return false;
    };
    let kind = key_kind(key);
    match algorithm.family {
        Rsa => kind == KeyKind::Rsa,
        RsaPss => matches!(kind, KeyKind::Rsa | KeyKind::RsaPss),
        Ec => kind == KeyKind::Ec,
        Dsa => kind == KeyKind::Dsa,
        Ed25519 => kind == KeyKind::Ed25519,
        Ed448 => kind == KeyKind::Ed448,
        Unknown => false,
    }
}

fn key_kind(key: &PublicKey<'_>) -> KeyKind {
    use crate::oid::known;
    match key.algorithm.oid.as_bytes() {
        known::RSA_ENCRYPTION => KeyKind::Rsa,
        known::RSASSA_PSS => KeyKind::RsaPss,
        known::EC_PUBLIC_KEY => KeyKind::Ec,
        known::DSA => KeyKind::Dsa,
        known::ED25519 => KeyKind::Ed25519,
        known::ED448 => KeyKind::Ed448,
        _ => KeyKind::Other,
    }
}

/// Why a signature could not be checked (as opposed to checked and found wrong).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The issuer's certificate cannot be read.
    #[error("the issuer certificate cannot be read: {0}")]
    Issuer(CertificateError),
    /// The signed certificate cannot be read.
    #[error("the certificate cannot be read: {0}")]
    Subject(CertificateError),
    /// The signature algorithm is not one this crate verifies; holds its name.
    #[error("signatures made with {0} cannot be checked here (supported: RSA PKCS #1 v1.5, ECDSA on P-256 and P-384, Ed25519)")]
    UnsupportedAlgorithm(String),
    /// The issuer's key cannot be used here (e.g. RSA over the size this crate verifies); holds the
    /// key kind, in words.
    #[error("the issuer's {0} key cannot be used to check signatures here")]
    UnsupportedKey(String),
    /// This build of the crate has no signature verification (feature `signature-verification` off,
    /// as in the browser).
    #[error("signatures are not checked in this build (feature signature-verification is off)")]
    NotInThisBuild,
}

static CHECKS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many signature checks this process has started (tests bound the work a bundle costs with it).
pub fn checks_so_far() -> usize {
    CHECKS.load(std::sync::atomic::Ordering::Relaxed)
}

/// The largest RSA key a signature is checked with (issue 14: a 16384-bit key costs ~16 times a 4096-bit
/// one per check; CA keys in use are at most 4096 bits). Larger keys are "cannot be checked here", as an unsupported algorithm is.
pub const MAX_RSA_VERIFY_BITS: usize = 4096;

/// Whether the certificate `subject_der` carries a valid signature made with the key of the
/// certificate `issuer_der` (both DER). Names are not compared: see [`issued`] for that.
///
/// `Ok(false)` means the signature was checked and does not match this key; an error means it
/// could not be checked (unreadable certificate, algorithm or key this crate does not verify).
pub fn verifies(issuer_der: &[u8], subject_der: &[u8]) -> Result<bool, VerifyError> {
    let issuer = Certificate::from_der(issuer_der).map_err(VerifyError::Issuer)?;
    let subject = Certificate::from_der(subject_der).map_err(VerifyError::Subject)?;
    verify(&issuer.public_key, &subject)
}

/// Whether `issuer_der` issued `subject_der`: the issuer's subject is the subject's issuer (as
/// openssl compares names) and its key verifies the signature. For "which of the stored CAs issued
/// this client certificate?".
pub fn issued(issuer_der: &[u8], subject_der: &[u8]) -> Result<bool, VerifyError> {
    let issuer = Certificate::from_der(issuer_der).map_err(VerifyError::Issuer)?;
    let subject = Certificate::from_der(subject_der).map_err(VerifyError::Subject)?;
    if !crate::dn::same_name(issuer.subject, subject.issuer).unwrap_or(false) {
        return Ok(false);
    }
    verify(&issuer.public_key, &subject)
}

/// Checks the signature of `subject` with `issuer_key`.
pub(crate) fn verify(
    issuer_key: &PublicKey<'_>,
    subject: &Certificate<'_>,
) -> Result<bool, VerifyError> {
    CHECKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let algorithm = &subject.signature_algorithm;
    let unsupported =
        || VerifyError::UnsupportedAlgorithm(algorithm_name(algorithm.oid.as_bytes()));
    let Some(entry) = lookup(algorithm.oid.as_bytes()) else {
        return Err(unsupported());
    };
    let no_parameters = algorithm.parameters.is_none();
    let null_or_no_parameters = algorithm
        .parameters
        .is_none_or(|p| p.tag() == der::Tag::Null && p.value().is_empty());
    let kind = key_kind(issuer_key);
    let message = subject.tbs;
    let signature = subject.signature;
    match (entry.family, entry.hash) {
        (Rsa, Sha1 | Sha224 | Sha256 | Sha384 | Sha512) if null_or_no_parameters => {
            if kind != KeyKind::Rsa {
                return Ok(false);
            }
            verify_rsa(issuer_key.key, entry.hash, message, signature)
        }
        (Ec, Sha1 | Sha224 | Sha256 | Sha384 | Sha512) if no_parameters => {
            if kind != KeyKind::Ec {
                return Ok(false);
            }
            verify_ecdsa(issuer_key, entry.hash, message, signature)
        }
        (Ed25519, _) if no_parameters => {
            if kind != KeyKind::Ed25519 {
                return Ok(false);
            }
            verify_ed25519(issuer_key.key, message, signature)
        }
        _ => Err(unsupported()),
    }
}

#[cfg(feature = "signature-verification")]
fn digest(hash: Hash, message: &[u8]) -> Option<Vec<u8>> {
    Some(match hash {
        Sha1 => Sha1::digest(message).to_vec(),
        Sha224 => Sha224::digest(message).to_vec(),
        Sha256 => Sha256::digest(message).to_vec(),
        Sha384 => Sha384::digest(message).to_vec(),
        Sha512 => Sha512::digest(message).to_vec(),
        Md2 | Md4 | Md5 | Sha0 | Other => return None,
    })
}

#[cfg(feature = "signature-verification")]
fn verify_rsa(
    key: &[u8],
    hash: Hash,
    message: &[u8],
    signature: &[u8],
) -> Result<bool, VerifyError> {
    use rsa::{BigUint, Pkcs1v15Sign, RsaPublicKey};
    let unusable = || VerifyError::UnsupportedKey("RSA".to_owned());
    let (n, e) = crate::certificate::rsa_public_key(key).map_err(|_| unusable())?;
    let public_key = RsaPublicKey::new_with_max_size(
        BigUint::from_bytes_be(n),
        BigUint::from_bytes_be(e),
        MAX_RSA_VERIFY_BITS,
    )
    .map_err(|_| VerifyError::UnsupportedKey(format!("RSA (over {MAX_RSA_VERIFY_BITS} bits)")))?;
    let scheme = match hash {
        Sha1 => Pkcs1v15Sign::new::<Sha1>(),
        Sha224 => Pkcs1v15Sign::new::<Sha224>(),
        Sha256 => Pkcs1v15Sign::new::<Sha256>(),
        Sha384 => Pkcs1v15Sign::new::<Sha384>(),
        Sha512 => Pkcs1v15Sign::new::<Sha512>(),
        Md2 | Md4 | Md5 | Sha0 | Other => {
            return Err(VerifyError::UnsupportedAlgorithm("this hash".to_owned()))
        }
    };
    let Some(hashed) = digest(hash, message) else {
        return Err(VerifyError::UnsupportedAlgorithm("this hash".to_owned()));
    };
    // openssl accepts a signature shorter than the modulus (leading zero bytes dropped).
    let size = rsa::traits::PublicKeyParts::size(&public_key);
    if signature.len() > size {
        return Ok(false);
    }
    let mut padded = vec![0u8; size - signature.len()];
    padded.extend_from_slice(signature);
    Ok(public_key.verify(scheme, &hashed, &padded).is_ok())
}

#[cfg(feature = "signature-verification")]
fn verify_ecdsa(
    key: &PublicKey<'_>,
    hash: Hash,
    message: &[u8],
    signature: &[u8],
) -> Result<bool, VerifyError> {
    use crate::oid::known;
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    let Some(mut hashed) = digest(hash, message) else {
        return Err(VerifyError::UnsupportedAlgorithm("this hash".to_owned()));
    };
    let curve = key
        .algorithm
        .parameters
        .filter(|p| p.tag() == der::Tag::ObjectIdentifier)
        .map(|p| p.value());
    // A hash shorter than the group order is used as it is; ecdsa wants at least half its size, so
    // left-pad with zeros (the same integer).
    let pad_to = |hashed: &mut Vec<u8>, size: usize| {
        if hashed.len() < size {
            let mut padded = vec![0u8; size - hashed.len()];
            padded.extend_from_slice(hashed);
            *hashed = padded;
        }
    };
    match curve {
        Some(known::PRIME256V1) => {
            let Ok(verifying_key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(key.key) else {
                return Err(VerifyError::UnsupportedKey("EC P-256".to_owned()));
            };
            let Ok(signature) = p256::ecdsa::Signature::from_der(signature) else {
                return Ok(false);
            };
            pad_to(&mut hashed, 32);
            Ok(verifying_key.verify_prehash(&hashed, &signature).is_ok())
        }
        Some(known::SECP384R1) => {
            let Ok(verifying_key) = p384::ecdsa::VerifyingKey::from_sec1_bytes(key.key) else {
                return Err(VerifyError::UnsupportedKey("EC P-384".to_owned()));
            };
            let Ok(signature) = p384::ecdsa::Signature::from_der(signature) else {
                return Ok(false);
            };
            pad_to(&mut hashed, 48);
            Ok(verifying_key.verify_prehash(&hashed, &signature).is_ok())
        }
        Some(other) => Err(VerifyError::UnsupportedKey(format!(
            "EC ({})",
            crate::certificate::curve_label(other)
        ))),
        None => Err(VerifyError::UnsupportedKey(
            "EC (explicit curve parameters)".to_owned(),
        )),
    }
}

#[cfg(feature = "signature-verification")]
fn verify_ed25519(key: &[u8], message: &[u8], signature: &[u8]) -> Result<bool, VerifyError> {
    use ed25519_dalek::Verifier;
    let Ok(key_bytes) = <[u8; 32]>::try_from(key) else {
        return Err(VerifyError::UnsupportedKey("Ed25519".to_owned()));
    };
    let Ok(verifying_key) = ed25519_dalek::VerifyingKey::from_bytes(&key_bytes) else {
        return Err(VerifyError::UnsupportedKey("Ed25519".to_owned()));
    };
    let Ok(signature) = ed25519_dalek::Signature::from_slice(signature) else {
        return Ok(false);
    };
    Ok(verifying_key.verify(message, &signature).is_ok())
}

// Without the feature: the same checks up to the cryptography, then `NotInThisBuild`.
#[cfg(not(feature = "signature-verification"))]
fn verify_rsa(_: &[u8], _: Hash, _: &[u8], _: &[u8]) -> Result<bool, VerifyError> {
    Err(VerifyError::NotInThisBuild)
}

#[cfg(not(feature = "signature-verification"))]
fn verify_ecdsa(_: &PublicKey<'_>, _: Hash, _: &[u8], _: &[u8]) -> Result<bool, VerifyError> {
    Err(VerifyError::NotInThisBuild)
}

#[cfg(not(feature = "signature-verification"))]
fn verify_ed25519(_: &[u8], _: &[u8], _: &[u8]) -> Result<bool, VerifyError> {
    Err(VerifyError::NotInThisBuild)
}
