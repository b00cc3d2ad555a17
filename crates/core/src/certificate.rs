//! One X.509 certificate, read from its DER: the facts inspection reports and the slices signature
//! verification needs.
//!
//! Which crate does what:
//! - `der` decodes the certificate into `x509-cert`'s, `spki`'s and `der`'s own types: the signed part is
//!   a borrowed `#[derive(Sequence)]` view (`TbsCertificate`) with `x509-cert`'s `Version`, `Validity`
//!   and `Extension`, `spki`'s `AlgorithmIdentifierRef` and `SubjectPublicKeyInfoRef`, and `der`'s
//!   `IntRef`, `BitStringRef` and `AnyRef`. The extensions we report are decoded by `x509-cert`'s types
//!   (`BasicConstraints`, `KeyUsage`, `ExtendedKeyUsage`, `SubjectKeyIdentifier`,
//!   `AuthorityKeyIdentifier`, `SubjectAltName` with its `GeneralName`s).
//! - The issuer and subject stay `AnyRef`, raw bytes in encoding order: `der` sorts a `SET OF` when it
//!   decodes one, while openssl prints a multi-valued RDN in the order the bytes hold it, and a name
//!   value may hold a universal tag `der` does not know but openssl prints. [`crate::dn`] prints them.
//!   The view borrows everything, so a bundle is read without copying its certificates.
//!
//! - The public key is read by `der` too: an RSA key as a borrowed `#[derive(Sequence)]`
//!   `RsaPublicKey` of two `IntRef`s (which refuse an empty or padded INTEGER, as openssl does), an EC
//!   key's named curve as an `ObjectIdentifier`, a DSA key's prime as the first element of its
//!   parameters.
//!
//! What our own code still does, and why: the checks openssl makes beyond the structure (the algorithm
//! inside and outside the signed part agree, only version 3 certificates carry extensions, an extension
//! appears once, names hold values openssl can print, an RSA modulus is not negative, an iPAddress is 4
//! or 16 bytes), the key facts (size, curve name), and the wording: when `der` refuses an RSA key, its
//! elements are looked at again (as `AnyRef`s, only then) to say which rule they break in the words the
//! report has always used.
//!
//! A certificate `x509-cert` refuses is refused here too: there is no second parser. When the reason is
//! DER's strictness (an indefinite or non-minimal length, a non-minimal INTEGER, a BOOLEAN not 0xFF, ...)
//! the error is [`Defect::NotDer`]: openssl may read such a certificate while rustls, Go and Java refuse
//! it.

use std::fmt;

use der::asn1::{AnyRef, BitStringRef, IntRef};
use der::{Decode as _, Reader as _, SliceReader, Tagged as _};
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use x509_cert::ext::pkix;

use crate::oid::{self, known};
use crate::time::{self, CertificateTime};
use crate::{dn, signature};

/// A certificate read from DER.
#[derive(Debug, Clone)]
pub struct Certificate<'a> {
    /// The whole certificate (what fingerprints hash).
    pub der: &'a [u8],
    /// The signed part (`tbsCertificate`), as encoded.
    pub tbs: &'a [u8],
    /// 0 for v1, 1 for v2, 2 for v3.
    pub version: u8,
    /// Content octets of the serial number INTEGER (two's complement, minimal).
    pub serial: &'a [u8],
    /// DER of the issuer `Name`.
    pub issuer: &'a [u8],
    /// The issuer as openssl prints it (RFC 2253).
    pub issuer_name: String,
    /// Start of the validity period (`notBefore`), as Unix seconds and RFC 3339.
    pub not_before: CertificateTime,
    /// End of the validity period (`notAfter`): the certificate is refused after it.
    pub not_after: CertificateTime,
    /// DER of the subject `Name`.
    pub subject: &'a [u8],
    /// The subject as openssl prints it (RFC 2253).
    pub subject_name: String,
    /// The subjectPublicKeyInfo: algorithm and key bytes, as signature verification reads them.
    pub public_key: PublicKey<'a>,
    /// The key's algorithm, size and curve, as the report shows them.
    pub key_facts: KeyFacts,
    /// The outer signatureAlgorithm (checked equal to the one inside the signed part, as openssl
    /// does).
    pub signature_algorithm: AlgorithmIdentifier<'a>,
    /// The signature bytes (the BIT STRING without its unused-bits octet).
    pub signature: &'a [u8],
    /// The basicConstraints extension, when present (whether the certificate is a CA).
    pub basic_constraints: Option<BasicConstraints>,
    /// keyUsage bits as openssl stores them: bit 0 = digitalSignature ... bit 8 = decipherOnly.
    pub key_usage: Option<u16>,
    /// The subjectKeyIdentifier extension's key identifier, when present; issuer linking compares
    /// it with a certificate's authorityKeyIdentifier before any signature check.
    pub subject_key_id: Option<Vec<u8>>,
    /// The authorityKeyIdentifier extension, when present: which key (and issuer) signed the
    /// certificate.
    pub authority_key_id: Option<AuthorityKeyId>,
    /// extendedKeyUsage purposes (OIDs), when the extension is present.
    pub extended_key_usage: Option<Vec<der::oid::ObjectIdentifier>>,
    /// subjectAltName entries in the order the extension holds them, when it is present.
    pub subject_alt_names: Option<Vec<AltName>>,
}

/// One entry of the subjectAltName extension (an RFC 5280 `GeneralName`), decoded by `x509-cert`.
/// The kinds a TLS client matches (DNS names, IP addresses, e-mail addresses, URIs) carry their value;
/// the others are named by their kind only.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum AltName {
    /// `dNSName`, e.g. `db.example.com` or `*.example.com`.
    Dns(String),
    /// `iPAddress` (4 or 16 bytes), written as an address (`192.0.2.1`, `2001:db8::1`).
    Ip(std::net::IpAddr),
    /// `rfc822Name`: an e-mail address.
    Email(String),
    /// `uniformResourceIdentifier`.
    Uri(String),
    /// `registeredID`, the OID in dotted form.
    RegisteredId(String),
    /// `otherName` (e.g. a Microsoft UPN), not printed.
    OtherName,
    /// `directoryName`, not printed.
    DirectoryName,
    /// `ediPartyName`, not printed.
    EdiPartyName,
}

impl fmt::Display for AltName {
    /// `DNS:db.example.com`, `IP Address:192.0.2.1`, `email:a@example.com`, `URI:https://...`, and the kind's
    /// name for the others (openssl's prefixes).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AltName::Dns(name) => write!(f, "DNS:{name}"),
            AltName::Ip(ip) => write!(f, "IP Address:{ip}"),
            AltName::Email(address) => write!(f, "email:{address}"),
            AltName::Uri(uri) => write!(f, "URI:{uri}"),
            AltName::RegisteredId(oid) => write!(f, "Registered ID:{oid}"),
            AltName::OtherName => f.write_str("otherName"),
            AltName::DirectoryName => f.write_str("directoryName"),
            AltName::EdiPartyName => f.write_str("ediPartyName"),
        }
    }
}

/// The `clientAuth` key purpose (RFC 5280 4.2.1.12, id-kp 2): TLS client authentication.
pub const CLIENT_AUTH: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2");

/// The `anyExtendedKeyUsage` purpose (RFC 5280 4.2.1.12): any purpose.
pub const ANY_EXTENDED_KEY_USAGE: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("2.5.29.37.0");

/// The keyUsage bit openssl stores first: digitalSignature.
pub const DIGITAL_SIGNATURE: u16 = 1;

/// An X.509 `AlgorithmIdentifier` borrowed from the certificate: an OID and its optional
/// parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlgorithmIdentifier<'a> {
    /// The algorithm OID.
    pub oid: der::oid::ObjectIdentifier,
    /// The parameters as encoded (`NULL` for RSA, the curve OID for EC, absent for Ed25519).
    pub parameters: Option<AnyRef<'a>>,
}

impl<'a> From<AlgorithmIdentifierRef<'a>> for AlgorithmIdentifier<'a> {
    fn from(algorithm: AlgorithmIdentifierRef<'a>) -> Self {
        AlgorithmIdentifier {
            oid: algorithm.oid,
            parameters: algorithm.parameters,
        }
    }
}

impl AlgorithmIdentifier<'_> {
    /// Same algorithm and same parameter encoding.
    pub fn same_as(&self, other: &AlgorithmIdentifier<'_>) -> bool {
        self.oid == other.oid && self.parameters == other.parameters
    }
}

/// A subjectPublicKeyInfo borrowed from the certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey<'a> {
    /// The key's algorithm (and, for EC, the curve in its parameters).
    pub algorithm: AlgorithmIdentifier<'a>,
    /// The subjectPublicKey BIT STRING without its unused-bits octet.
    pub key: &'a [u8],
}

/// The basicConstraints extension (RFC 5280 4.2.1.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasicConstraints {
    /// `cA`: the certificate is a CA (may sign certificates); absent in the DER means `false`.
    pub ca: bool,
    /// `pathLenConstraint`: most intermediate CAs allowed below this one, when set.
    pub path_len: Option<u32>,
}

/// The authorityKeyIdentifier extension (RFC 5280 4.2.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorityKeyId {
    /// `keyIdentifier`: the issuer's subjectKeyIdentifier, when present.
    pub key_id: Option<Vec<u8>>,
    /// DER of the first directoryName of authorityCertIssuer, if any (as `der` encodes the decoded
    /// name: a multi-valued RDN in sorted order; it is only compared, as openssl compares names).
    pub issuer: Option<Vec<u8>>,
    /// Content octets of authorityCertSerialNumber, if present.
    pub serial: Option<Vec<u8>>,
}

/// The part of the certificate that could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The outer `Certificate` SEQUENCE.
    Certificate,
    /// `tbsCertificate`, the signed part.
    SignedPart,
    /// The version field (v1, v2 or v3).
    Version,
    /// The serialNumber INTEGER.
    SerialNumber,
    /// The signature algorithm, inside or outside the signed part.
    SignatureAlgorithm,
    /// The issuer name.
    Issuer,
    /// The Validity SEQUENCE.
    Validity,
    /// The notBefore time.
    NotBefore,
    /// The notAfter time.
    NotAfter,
    /// The subject name.
    Subject,
    /// The subjectPublicKeyInfo.
    PublicKey,
    /// issuerUniqueID or subjectUniqueID.
    UniqueId,
    /// The extensions list (e.g. extensions in a certificate older than version 3).
    Extensions,
    /// The basicConstraints extension.
    BasicConstraints,
    /// The keyUsage extension.
    KeyUsage,
    /// The subjectKeyIdentifier extension.
    SubjectKeyIdentifier,
    /// The authorityKeyIdentifier extension.
    AuthorityKeyIdentifier,
    /// The extendedKeyUsage extension.
    ExtendedKeyUsage,
    /// The subjectAltName extension.
    SubjectAltName,
    /// The signature BIT STRING.
    Signature,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Certificate => "the certificate structure",
            Part::SignedPart => "the signed part (tbsCertificate)",
            Part::Version => "the version",
            Part::SerialNumber => "the serial number",
            Part::SignatureAlgorithm => "the signature algorithm",
            Part::Issuer => "the issuer name",
            Part::Validity => "the validity period",
            Part::NotBefore => "the notBefore date",
            Part::NotAfter => "the notAfter date",
            Part::Subject => "the subject name",
            Part::PublicKey => "the public key",
            Part::UniqueId => "a unique identifier",
            Part::Extensions => "the extensions",
            Part::BasicConstraints => "the basicConstraints extension",
            Part::KeyUsage => "the keyUsage extension",
            Part::SubjectKeyIdentifier => "the subjectKeyIdentifier extension",
            Part::AuthorityKeyIdentifier => "the authorityKeyIdentifier extension",
            Part::ExtendedKeyUsage => "the extendedKeyUsage extension",
            Part::SubjectAltName => "the subjectAltName extension",
            Part::Signature => "the signature",
        })
    }
}

/// What is wrong with that part.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Defect {
    /// A name holds a value openssl could not print ([`dn::NameError`]).
    #[error("{0}")]
    Name(#[from] dn::NameError),
    /// A rule openssl applies beyond the structure, in words (e.g. "only version 3 certificates can
    /// have extensions").
    #[error("{0}")]
    Invalid(&'static str),
    /// `x509-cert` refuses it for a reason of DER's strictness, which openssl does not apply.
    #[error("{reason}")]
    NotDer {
        /// What `der` says (indefinite length, non-minimal length or encoding).
        reason: String,
        /// The byte of the certificate where `der` found it, when it says.
        offset: Option<usize>,
    },
    /// `x509-cert` refuses it for another reason: it is not a certificate.
    #[error("{0}")]
    Refused(String),
}

/// Why DER is not a usable X.509 certificate: which part, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{part} cannot be read: {defect}")]
pub struct CertificateError {
    /// The part that could not be read.
    pub part: Part,
    /// What is wrong with it.
    pub defect: Defect,
}

fn err(part: Part, defect: impl Into<Defect>) -> CertificateError {
    CertificateError {
        part,
        defect: defect.into(),
    }
}

/// What `x509-cert` (or `der`) says when it refuses a certificate.
fn refused(error: der::Error) -> CertificateError {
    refused_in(error, 0)
}

/// [`refused`] for an error of a part that starts at byte `base` of the certificate.
fn refused_in(error: der::Error, base: usize) -> CertificateError {
    let offset = error
        .position()
        .and_then(|p| usize::try_from(p).ok())
        .map(|p| p.saturating_add(base));
    let at = offset.map_or_else(String::new, |o| format!(" (byte {o})"));
    let defect = match error.kind() {
        der::ErrorKind::IndefiniteLength
        | der::ErrorKind::Overlength
        | der::ErrorKind::Noncanonical { .. } => Defect::NotDer {
            reason: error.kind().to_string(),
            offset,
        },
        der::ErrorKind::Incomplete {
            expected_len,
            actual_len,
        } => Defect::Refused(format!(
            "the data is cut short: {expected_len} bytes are needed, {actual_len} are there{at}"
        )),
        kind => Defect::Refused(format!("{kind}{at}")),
    };
    err(Part::Certificate, defect)
}

/// The signed part, decoded by `der` into `x509-cert`'s, `spki`'s and `der`'s types, borrowed from the
/// input. The names stay `AnyRef` (raw bytes, encoding order): see the module comment.
#[derive(der::Sequence)]
struct TbsCertificate<'a> {
    #[asn1(context_specific = "0", default = "Default::default")]
    version: x509_cert::certificate::Version,
    serial: IntRef<'a>,
    signature: AlgorithmIdentifierRef<'a>,
    issuer: AnyRef<'a>,
    validity: x509_cert::time::Validity,
    subject: AnyRef<'a>,
    spki: SubjectPublicKeyInfoRef<'a>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    issuer_unique_id: Option<BitStringRef<'a>>,
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT", optional = "true")]
    subject_unique_id: Option<BitStringRef<'a>>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    extensions: Option<Vec<Extension<'a>>>,
}

/// `x509-cert`'s `Extension`, borrowed, so that a refused value can be located in the certificate.
#[derive(der::Sequence)]
struct Extension<'a> {
    extn_id: der::oid::ObjectIdentifier,
    #[asn1(default = "Default::default")]
    critical: bool,
    extn_value: der::asn1::OctetStringRef<'a>,
}

/// The whole encoding (identifier, length, content) of `element`, a value decoded from `outer`.
fn encoding_in<'a>(outer: &'a [u8], element: &AnyRef<'a>) -> Option<&'a [u8]> {
    use der::Encode as _;
    let header = der::Header::new(element.tag(), element.value().len())
        .ok()?
        .encoded_len()
        .ok()?;
    let header = usize::try_from(header).ok()?;
    let start = (element.value().as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
    outer.get(start.checked_sub(header)?..start.checked_add(element.value().len())?)
}

/// The parts of a certificate borrowed from its DER.
struct Borrowed<'a> {
    tbs: &'a [u8],
    serial: IntRef<'a>,
    inner_algorithm: AlgorithmIdentifierRef<'a>,
    issuer: &'a [u8],
    subject: &'a [u8],
    spki: SubjectPublicKeyInfoRef<'a>,
    algorithm: AlgorithmIdentifierRef<'a>,
    signature: BitStringRef<'a>,
}

fn validity_time(time: x509_cert::time::Time) -> CertificateTime {
    let unix = i64::try_from(time.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
    CertificateTime {
        unix,
        rfc3339: time::format_rfc3339(unix),
    }
}

impl<'a> Certificate<'a> {
    /// Reads a DER certificate with `x509-cert`. Names and keys are checked here too, so a certificate
    /// that parses can always be reported.
    pub fn from_der(der: &'a [u8]) -> Result<Self, CertificateError> {
        let mut reader = SliceReader::new(der).map_err(refused)?;
        let (tbs_der, algorithm, signature): (_, AlgorithmIdentifierRef<'a>, BitStringRef<'a>) =
            reader
                .sequence(|r| Ok((r.tlv_bytes()?, r.decode()?, r.decode()?)))
                .map_err(refused)?;
        reader.finish(()).map_err(refused)?;
        // Decoded through a reader (not `from_der`) so that the error carries a position.
        let tbs_offset = (tbs_der.as_ptr() as usize).saturating_sub(der.as_ptr() as usize);
        let mut tbs_reader = SliceReader::new(tbs_der).map_err(refused)?;
        let tbs: TbsCertificate<'a> = tbs_reader.decode().map_err(|e| refused_in(e, tbs_offset))?;
        tbs_reader
            .finish(())
            .map_err(|e| refused_in(e, tbs_offset))?;
        let names = |name: &AnyRef<'a>, part| {
            encoding_in(tbs_der, name)
                .ok_or(err(part, Defect::Invalid("the name cannot be located")))
        };
        let parts = Borrowed {
            tbs: tbs_der,
            serial: tbs.serial,
            inner_algorithm: tbs.signature,
            issuer: names(&tbs.issuer, Part::Issuer)?,
            subject: names(&tbs.subject, Part::Subject)?,
            spki: tbs.spki,
            algorithm,
            signature,
        };
        let version = tbs.version as u8;
        let signature_algorithm = AlgorithmIdentifier::from(parts.algorithm);
        if !AlgorithmIdentifier::from(parts.inner_algorithm).same_as(&signature_algorithm) {
            return Err(err(
                Part::SignatureAlgorithm,
                Defect::Invalid(
                    "the algorithm inside the signed part differs from the one outside it",
                ),
            ));
        }
        let signature = parts.signature.as_bytes().ok_or(err(
            Part::Signature,
            Defect::Invalid("the BIT STRING does not hold whole bytes"),
        ))?;
        let serial = parts.serial.as_bytes();
        let issuer_name = dn::rfc2253(parts.issuer).map_err(|e| err(Part::Issuer, e))?;
        let subject_name = dn::rfc2253(parts.subject).map_err(|e| err(Part::Subject, e))?;
        let key = parts.spki.subject_public_key.as_bytes().ok_or(err(
            Part::PublicKey,
            Defect::Invalid("the BIT STRING does not hold whole bytes"),
        ))?;
        let public_key = PublicKey {
            algorithm: AlgorithmIdentifier::from(parts.spki.algorithm),
            key,
        };
        let key_facts = key_facts(&public_key).map_err(|d| err(Part::PublicKey, d))?;
        if version < 1 && (tbs.issuer_unique_id.is_some() || tbs.subject_unique_id.is_some()) {
            return Err(err(
                Part::UniqueId,
                Defect::Invalid("a version 1 certificate cannot have unique identifiers"),
            ));
        }
        let mut certificate = Certificate {
            der,
            tbs: parts.tbs,
            version,
            serial,
            issuer: parts.issuer,
            issuer_name,
            not_before: validity_time(tbs.validity.not_before),
            not_after: validity_time(tbs.validity.not_after),
            subject: parts.subject,
            subject_name,
            public_key,
            key_facts,
            signature_algorithm,
            signature,
            basic_constraints: None,
            key_usage: None,
            subject_key_id: None,
            authority_key_id: None,
            extended_key_usage: None,
            subject_alt_names: None,
        };
        if let Some(extensions) = &tbs.extensions {
            if version < 2 {
                return Err(err(
                    Part::Extensions,
                    Defect::Invalid("only version 3 certificates can have extensions"),
                ));
            }
            certificate.read_extensions(extensions)?;
        }
        Ok(certificate)
    }

    /// The extensions we report, each decoded by `x509-cert`'s own type.
    fn read_extensions(&mut self, extensions: &[Extension<'a>]) -> Result<(), CertificateError> {
        use const_oid::AssociatedOid as _;
        for extension in extensions {
            let value = extension.extn_value.as_bytes();
            let base = (value.as_ptr() as usize).saturating_sub(self.der.as_ptr() as usize);
            let decode = |part: Part, error: der::Error| {
                let mut refused = refused_in(error, base);
                refused.part = part;
                if let Defect::NotDer { offset, .. } = &mut refused.defect {
                    // der gives no position inside some values: the value's start, then.
                    offset.get_or_insert(base);
                }
                refused
            };
            let id = extension.extn_id;
            if id == pkix::BasicConstraints::OID {
                let part = Part::BasicConstraints;
                let decoded =
                    pkix::BasicConstraints::from_der(value).map_err(|e| decode(part, e))?;
                let constraints = BasicConstraints {
                    ca: decoded.ca,
                    path_len: decoded.path_len_constraint.map(u32::from),
                };
                self.basic_constraints = Some(once(self.basic_constraints, part, constraints)?);
            } else if id == pkix::KeyUsage::OID {
                let part = Part::KeyUsage;
                let usage = pkix::KeyUsage::from_der(value)
                    .map(|usage| usage.0.bits())
                    .map_err(|e| decode(part, e))?;
                self.key_usage = Some(once(self.key_usage, part, usage)?);
            } else if id == pkix::SubjectKeyIdentifier::OID {
                let part = Part::SubjectKeyIdentifier;
                let decoded =
                    pkix::SubjectKeyIdentifier::from_der(value).map_err(|e| decode(part, e))?;
                let key_id = decoded.0.into_bytes();
                self.subject_key_id = Some(once(self.subject_key_id.take(), part, key_id)?);
            } else if id == pkix::AuthorityKeyIdentifier::OID {
                let part = Part::AuthorityKeyIdentifier;
                let decoded =
                    pkix::AuthorityKeyIdentifier::from_der(value).map_err(|e| decode(part, e))?;
                let aki = authority_key_id(decoded).map_err(|d| err(part, d))?;
                self.authority_key_id = Some(once(self.authority_key_id.take(), part, aki)?);
            } else if id == pkix::ExtendedKeyUsage::OID {
                let part = Part::ExtendedKeyUsage;
                let decoded =
                    pkix::ExtendedKeyUsage::from_der(value).map_err(|e| decode(part, e))?;
                self.extended_key_usage =
                    Some(once(self.extended_key_usage.take(), part, decoded.0)?);
            } else if id == pkix::SubjectAltName::OID {
                let part = Part::SubjectAltName;
                let decoded = pkix::SubjectAltName::from_der(value).map_err(|e| decode(part, e))?;
                let names = decoded
                    .0
                    .into_iter()
                    .map(alt_name)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|d| err(part, d))?;
                self.subject_alt_names = Some(once(self.subject_alt_names.take(), part, names)?);
            }
        }
        Ok(())
    }

    /// Whether openssl would call this certificate self-signed (OpenSSL 3.0 `EXFLAG_SS`): subject and
    /// issuer are the same name, the authority key identifier (if any) matches this certificate's
    /// own key identifier, serial number and issuer, and the signature algorithm suits the key.
    /// The signature itself is not checked.
    pub fn is_self_signed(&self) -> bool {
        if !dn::same_name(self.subject, self.issuer).unwrap_or(false) {
            return false;
        }
        if let Some(aki) = &self.authority_key_id {
            if let (Some(key_id), Some(own)) = (&aki.key_id, &self.subject_key_id) {
                if key_id != own {
                    return false;
                }
            }
            if aki
                .serial
                .as_deref()
                .is_some_and(|serial| serial != self.serial)
            {
                return false;
            }
            if let Some(issuer) = &aki.issuer {
                if !dn::same_name(issuer, self.issuer).unwrap_or(false) {
                    return false;
                }
            }
        }
        signature::algorithm_suits_key(self.signature_algorithm.oid.as_bytes(), &self.public_key)
    }

    /// The serial number as openssl prints it with `-serial`: uppercase hex of its magnitude, two
    /// digits per byte, `-` before a negative number, `00` for zero.
    pub fn serial_hex(&self) -> String {
        let mut out = String::with_capacity(self.serial.len() * 2 + 1);
        let negative = self.serial.first().is_some_and(|b| b & 0x80 != 0);
        let magnitude: Vec<u8> = if negative {
            // Two's complement: invert and add one.
            let mut m: Vec<u8> = self.serial.iter().map(|b| !b).collect();
            for byte in m.iter_mut().rev() {
                let (sum, carry) = byte.overflowing_add(1);
                *byte = sum;
                if !carry {
                    break;
                }
            }
            m
        } else {
            self.serial.to_vec()
        };
        let skip = magnitude.iter().take_while(|b| **b == 0).count();
        let significant = magnitude.get(skip..).unwrap_or(&[]);
        if negative {
            out.push('-');
        }
        if significant.is_empty() {
            out.push_str("00");
        } else {
            dn::push_hex_upper(&mut out, significant);
        }
        out
    }
}

/// An extension may appear once; openssl refuses to use a certificate that repeats one.
fn once<T>(previous: Option<T>, part: Part, value: T) -> Result<T, CertificateError> {
    match previous {
        Some(_) => Err(err(part, Defect::Invalid("it appears more than once"))),
        None => Ok(value),
    }
}

/// openssl refuses an empty INTEGER and one padded with a redundant leading byte (as `IntRef` does:
/// this only words the reason for a key `der` refused).
fn check_integer(content: &[u8]) -> Result<(), Defect> {
    match content {
        [] => Err(Defect::Invalid("the INTEGER is empty")),
        [0x00, next, ..] if next & 0x80 == 0 => Err(Defect::Invalid(
            "the INTEGER has a redundant leading zero byte",
        )),
        [0xFF, next, ..] if next & 0x80 != 0 => Err(Defect::Invalid(
            "the INTEGER has a redundant leading 0xFF byte",
        )),
        _ => Ok(()),
    }
}

fn authority_key_id(decoded: pkix::AuthorityKeyIdentifier) -> Result<AuthorityKeyId, Defect> {
    use der::Encode as _;
    // directoryName: openssl looks at the first one only.
    let issuer = decoded
        .authority_cert_issuer
        .iter()
        .flatten()
        .find_map(|name| match name {
            pkix::name::GeneralName::DirectoryName(name) => Some(name.to_der()),
            _ => None,
        })
        .transpose()
        .map_err(|e| refused(e).defect)?;
    if let Some(issuer) = &issuer {
        dn::rfc2253(issuer)?;
    }
    Ok(AuthorityKeyId {
        key_id: decoded.key_identifier.map(|id| id.into_bytes()),
        issuer,
        serial: decoded
            .authority_cert_serial_number
            .map(|serial| serial.as_bytes().to_vec()),
    })
}

/// One subjectAltName entry as the report holds it.
fn alt_name(name: pkix::name::GeneralName) -> Result<AltName, Defect> {
    use pkix::name::GeneralName;
    Ok(match name {
        GeneralName::DnsName(name) => AltName::Dns(name.to_string()),
        GeneralName::Rfc822Name(address) => AltName::Email(address.to_string()),
        GeneralName::UniformResourceIdentifier(uri) => AltName::Uri(uri.to_string()),
        GeneralName::IpAddress(address) => {
            let ip = match address.as_bytes() {
                &[a, b, c, d] => std::net::IpAddr::from([a, b, c, d]),
                bytes => <[u8; 16]>::try_from(bytes)
                    .map(std::net::IpAddr::from)
                    .map_err(|_| {
                        Defect::Invalid(
                            "an iPAddress entry is neither 4 bytes (IPv4) nor 16 bytes (IPv6)",
                        )
                    })?,
            };
            AltName::Ip(ip)
        }
        GeneralName::RegisteredId(oid) => AltName::RegisteredId(oid.to_string()),
        GeneralName::OtherName(_) => AltName::OtherName,
        GeneralName::DirectoryName(_) => AltName::DirectoryName,
        GeneralName::EdiPartyName(_) => AltName::EdiPartyName,
    })
}

/// What kind of key a certificate holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// `rsaEncryption`.
    Rsa,
    /// `id-RSASSA-PSS`: an RSA key restricted to PSS signatures.
    RsaPss,
    /// `id-ecPublicKey` (the curve is in [`KeyFacts::curve`]).
    Ec,
    /// `id-dsa`.
    Dsa,
    /// Ed25519 (RFC 8410).
    Ed25519,
    /// Ed448 (RFC 8410).
    Ed448,
    /// X25519, a key-agreement key (RFC 8410).
    X25519,
    /// X448, a key-agreement key (RFC 8410).
    X448,
    /// Any other algorithm, named by its OID.
    Other,
}

/// Algorithm, size and curve of a public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFacts {
    /// The algorithm, as a kind the rules can match.
    pub kind: KeyKind,
    /// `RSA`, `RSA-PSS`, `EC`, `DSA`, `Ed25519`, `Ed448`, `X25519`, `X448`, or the dotted OID.
    pub algorithm: String,
    /// Modulus size for RSA, prime size for DSA, field size for a named EC curve.
    pub bits: Option<u32>,
    /// NIST name (`P-256`) or openssl's name (`secp256k1`, `brainpoolP256r1`), else the dotted OID.
    pub curve: Option<String>,
}

/// Bit length of an unsigned big-endian integer.
fn bit_length(magnitude: &[u8]) -> u32 {
    let skip = magnitude.iter().take_while(|b| **b == 0).count();
    match magnitude.get(skip..) {
        Some([first, rest @ ..]) => (rest.len() as u32)
            .saturating_mul(8)
            .saturating_add(8 - first.leading_zeros()),
        _ => 0,
    }
}

/// What `der` says when it refuses part of a public key. A key is not where DER's strictness is
/// told apart (that is for the certificate's structure): any refusal makes the key unreadable.
fn key_defect(error: der::Error) -> Defect {
    match refused(error).defect {
        Defect::NotDer { reason, offset } => Defect::Refused(match offset {
            Some(offset) => format!("{reason} (byte {offset} of the key)"),
            None => reason,
        }),
        defect => defect,
    }
}

/// An RSAPublicKey (RFC 8017 A.1.1), borrowed from the key's BIT STRING. `IntRef` refuses an empty
/// INTEGER and one padded with a redundant leading byte, as openssl does.
#[derive(der::Sequence)]
struct RsaPublicKey<'a> {
    modulus: IntRef<'a>,
    public_exponent: IntRef<'a>,
}

/// The modulus and exponent of an RSAPublicKey, decoded by `der`.
pub(crate) fn rsa_public_key(key: &[u8]) -> Result<(&[u8], &[u8]), Defect> {
    let decoded = RsaPublicKey::from_der(key).map_err(|e| rsa_key_refused(key, e))?;
    let (n, e) = (
        decoded.modulus.as_bytes(),
        decoded.public_exponent.as_bytes(),
    );
    if n.first().is_some_and(|b| b & 0x80 != 0) || e.first().is_some_and(|b| b & 0x80 != 0) {
        return Err(Defect::Invalid("the RSA modulus or exponent is negative"));
    }
    Ok((n, e))
}

/// Why `der` refused an RSAPublicKey, in the words the report has always used. Runs only on a key
/// `der` refused: it looks at the elements again (as `AnyRef`s) to say which rule they break.
fn rsa_key_refused(key: &[u8], error: der::Error) -> Defect {
    let not_sequence = Defect::Invalid("the RSA key is not an RSAPublicKey SEQUENCE");
    let not_two_integers = Defect::Invalid("the RSA key does not hold a modulus and an exponent");
    let outer = match AnyRef::from_der(key) {
        Ok(outer) if outer.tag() == der::Tag::Sequence => outer,
        Ok(_) => return not_sequence,
        Err(e) if matches!(e.kind(), der::ErrorKind::TrailingData { .. }) => return not_sequence,
        Err(e) => return key_defect(e),
    };
    let fields = (|| -> der::Result<Vec<AnyRef<'_>>> {
        let mut reader = SliceReader::new(outer.value())?;
        let mut fields = Vec::new();
        while !reader.is_finished() && fields.len() < 3 {
            fields.push(reader.decode()?);
        }
        Ok(fields)
    })();
    match fields.as_deref() {
        Ok([n, e]) if n.tag() == der::Tag::Integer && e.tag() == der::Tag::Integer => {
            check_integer(n.value())
                .and_then(|()| check_integer(e.value()))
                .err()
                .unwrap_or_else(|| key_defect(error))
        }
        Ok(_) => not_two_integers,
        Err(e) => key_defect(*e),
    }
}

fn key_facts(key: &PublicKey<'_>) -> Result<KeyFacts, Defect> {
    let facts = |kind, algorithm: &str, bits, curve| KeyFacts {
        kind,
        algorithm: algorithm.to_owned(),
        bits,
        curve,
    };
    Ok(match key.algorithm.oid.as_bytes() {
        known::RSA_ENCRYPTION => facts(
            KeyKind::Rsa,
            "RSA",
            Some(bit_length(rsa_public_key(key.key)?.0)),
            None,
        ),
        known::RSASSA_PSS => facts(
            KeyKind::RsaPss,
            "RSA-PSS",
            Some(bit_length(rsa_public_key(key.key)?.0)),
            None,
        ),
        known::EC_PUBLIC_KEY => {
            // A named curve; explicit parameters (a SEQUENCE) or implicitlyCA (NULL) have no name.
            let (bits, curve) = match key.algorithm.parameters {
                Some(parameters) if parameters.tag() == der::Tag::ObjectIdentifier => {
                    let curve = parameters
                        .decode_as::<der::oid::ObjectIdentifier>()
                        .map_err(key_defect)?;
                    (
                        curve_name(curve.as_bytes()).map(|(_, bits)| bits),
                        Some(curve_label(curve.as_bytes())),
                    )
                }
                _ => (None, None),
            };
            facts(KeyKind::Ec, "EC", bits, curve)
        }
        known::DSA => {
            let bits = match key.algorithm.parameters {
                Some(parameters) if parameters.tag() == der::Tag::Sequence => {
                    // Dss-Parms: p, q, g; only p's size is reported.
                    let p: AnyRef<'_> = SliceReader::new(parameters.value())
                        .and_then(|mut fields| fields.decode())
                        .map_err(key_defect)?;
                    if p.tag() != der::Tag::Integer {
                        return Err(Defect::Invalid(
                            "the DSA parameters do not start with the prime p",
                        ));
                    }
                    Some(bit_length(p.value()))
                }
                _ => None,
            };
            facts(KeyKind::Dsa, "DSA", bits, None)
        }
        known::ED25519 => facts(KeyKind::Ed25519, "Ed25519", None, None),
        known::ED448 => facts(KeyKind::Ed448, "Ed448", None, None),
        known::X25519 => facts(KeyKind::X25519, "X25519", None, None),
        known::X448 => facts(KeyKind::X448, "X448", None, None),
        other => KeyFacts {
            kind: KeyKind::Other,
            algorithm: oid::dotted(other),
            bits: None,
            curve: None,
        },
    })
}

/// The name of a named curve (`P-256`, `secp256k1`), else its dotted OID.
pub(crate) fn curve_label(curve: &[u8]) -> String {
    curve_name(curve).map_or_else(|| oid::dotted(curve), |(name, _)| name.to_owned())
}

/// Name and field size of the named curves openssl ships.
fn curve_name(curve: &[u8]) -> Option<(&'static str, u32)> {
    Some(match curve {
        known::PRIME192V1 => ("P-192", 192),
        known::SECP224R1 => ("P-224", 224),
        known::PRIME256V1 => ("P-256", 256),
        known::SECP384R1 => ("P-384", 384),
        known::SECP521R1 => ("P-521", 521),
        known::SECP256K1 => ("secp256k1", 256),
        known::BRAINPOOL_P256R1 => ("brainpoolP256r1", 256),
        known::BRAINPOOL_P384R1 => ("brainpoolP384r1", 384),
        known::BRAINPOOL_P512R1 => ("brainpoolP512r1", 512),
        _ => return None,
    })
}

/// openssl's names for the keyUsage bits, in bit order (as `openssl x509 -text` lists them).
pub const KEY_USAGE_NAMES: [&str; 9] = [
    "Digital Signature",
    "Non Repudiation",
    "Key Encipherment",
    "Data Encipherment",
    "Key Agreement",
    "Certificate Sign",
    "CRL Sign",
    "Encipher Only",
    "Decipher Only",
];

/// The names of the bits set in a keyUsage value.
pub fn key_usage_names(usage: u16) -> Vec<String> {
    KEY_USAGE_NAMES
        .iter()
        .enumerate()
        .filter(|(bit, _)| usage & (1 << bit) != 0)
        .map(|(_, name)| (*name).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(bit_length(&[0, 0]), 0);
        assert_eq!(bit_length(&[0x01]), 1);
        assert_eq!(bit_length(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_length(&[0x7F, 0xFF]), 15);
    }

    #[test]
    fn rsa_public_keys_are_read_by_der_with_the_reports_words() {
        use crate::test_certificates::der::tlv;
        let key = |fields: &[Vec<u8>]| tlv(0x30, &fields.concat());
        let int = |content: &[u8]| tlv(0x02, content);
        let modulus = [0x00, 0xC3, 0x01, 0x02];
        let good = key(&[int(&modulus), int(&[0x01, 0x00, 0x01])]);
        assert_eq!(
            rsa_public_key(&good),
            Ok((&modulus[..], &[0x01, 0x00, 0x01][..]))
        );
        assert_eq!(bit_length(rsa_public_key(&good).unwrap().0), 24);
        let refused = |der: &[u8]| match rsa_public_key(der) {
            Err(Defect::Invalid(words)) => words,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            refused(&key(&[int(&[0x00, 0x43]), int(&[0x03])])),
            "the INTEGER has a redundant leading zero byte"
        );
        assert_eq!(
            refused(&key(&[int(&[0x43]), int(&[0xFF, 0x80])])),
            "the INTEGER has a redundant leading 0xFF byte"
        );
        assert_eq!(
            refused(&key(&[int(&[]), int(&[0x03])])),
            "the INTEGER is empty"
        );
        assert_eq!(
            refused(&key(&[int(&[0xC3]), int(&[0x03])])),
            "the RSA modulus or exponent is negative"
        );
        assert_eq!(
            refused(&key(&[int(&[0x43]), int(&[0x03]), int(&[0x03])])),
            "the RSA key does not hold a modulus and an exponent"
        );
        assert_eq!(
            refused(&key(&[int(&[0x43]), tlv(0x04, &[0x03])])),
            "the RSA key does not hold a modulus and an exponent"
        );
        assert_eq!(
            refused(&tlv(0x31, &[int(&[0x43]), int(&[0x03])].concat())),
            "the RSA key is not an RSAPublicKey SEQUENCE"
        );
        assert_eq!(
            refused(&[good.as_slice(), &[0x05, 0x00]].concat()),
            "the RSA key is not an RSAPublicKey SEQUENCE"
        );
        // A length DER forbids (indefinite): der's reason, not a not_der problem.
        assert!(matches!(
            rsa_public_key(&[0x30, 0x80, 0x02, 0x01, 0x43, 0x02, 0x01, 0x03, 0, 0]),
            Err(Defect::Refused(_))
        ));
    }

    #[test]
    fn integers_are_minimal() {
        assert!(check_integer(&[0x00]).is_ok());
        assert!(check_integer(&[0x00, 0x80]).is_ok());
        assert!(check_integer(&[0x00, 0x7F]).is_err());
        assert!(check_integer(&[0xFF, 0x80]).is_err());
        assert!(check_integer(&[0xFF, 0x7F]).is_ok());
        assert!(check_integer(&[]).is_err());
    }
}
