//! One X.509 certificate, read from its DER: the facts inspection reports and the slices signature
//! verification needs, all borrowed from the input.
//!
//! The structure follows RFC 5280 section 4.1; what is refused is what OpenSSL 3.0 refuses to load (or
//! marks invalid), so that a certificate this module reads is one MongoDB's openssl can use.

use std::fmt;

use crate::asn1::{tag, Reader, TagName, Tlv, TlvError};
use crate::oid::{self, known};
use crate::time::{self, CertificateTime, TimeError};
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
    pub not_before: CertificateTime,
    pub not_after: CertificateTime,
    /// DER of the subject `Name`.
    pub subject: &'a [u8],
    /// The subject as openssl prints it (RFC 2253).
    pub subject_name: String,
    pub public_key: PublicKey<'a>,
    pub key_facts: KeyFacts,
    pub signature_algorithm: AlgorithmIdentifier<'a>,
    /// The signature bytes (the BIT STRING without its unused-bits octet).
    pub signature: &'a [u8],
    pub basic_constraints: Option<BasicConstraints>,
    /// keyUsage bits as openssl stores them: bit 0 = digitalSignature ... bit 8 = decipherOnly.
    pub key_usage: Option<u16>,
    pub subject_key_id: Option<&'a [u8]>,
    pub authority_key_id: Option<AuthorityKeyId<'a>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlgorithmIdentifier<'a> {
    /// Content octets of the algorithm OID.
    pub oid: &'a [u8],
    pub parameters: Option<Tlv<'a>>,
}

impl AlgorithmIdentifier<'_> {
    /// Same algorithm and same parameter encoding.
    pub fn same_as(&self, other: &AlgorithmIdentifier<'_>) -> bool {
        self.oid == other.oid && self.parameters.map(|p| p.raw) == other.parameters.map(|p| p.raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey<'a> {
    pub algorithm: AlgorithmIdentifier<'a>,
    /// The subjectPublicKey BIT STRING without its unused-bits octet.
    pub key: &'a [u8],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasicConstraints {
    pub ca: bool,
    pub path_len: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthorityKeyId<'a> {
    pub key_id: Option<&'a [u8]>,
    /// DER of the first directoryName of authorityCertIssuer, if any.
    pub issuer: Option<&'a [u8]>,
    /// Content octets of authorityCertSerialNumber, if present.
    pub serial: Option<&'a [u8]>,
}

/// The part of the certificate that could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Certificate,
    SignedPart,
    Version,
    SerialNumber,
    SignatureAlgorithm,
    Issuer,
    Validity,
    NotBefore,
    NotAfter,
    Subject,
    PublicKey,
    UniqueId,
    Extensions,
    BasicConstraints,
    KeyUsage,
    SubjectKeyIdentifier,
    AuthorityKeyIdentifier,
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
            Part::Signature => "the signature",
        })
    }
}

/// What is wrong with that part.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Defect {
    #[error("{0}")]
    Encoding(#[from] TlvError),
    #[error("expected {expected}, found {}", TagName(*found))]
    UnexpectedTag { expected: &'static str, found: u8 },
    #[error("it is missing")]
    Missing,
    #[error("{0} unexpected bytes follow it")]
    TrailingData(usize),
    #[error("{0}")]
    Name(#[from] dn::NameError),
    #[error("{0}")]
    Time(#[from] TimeError),
    #[error("{0}")]
    Invalid(&'static str),
}

/// Why DER is not a usable X.509 certificate: which part, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{part} cannot be read: {defect}")]
pub struct CertificateError {
    pub part: Part,
    pub defect: Defect,
}

fn err(part: Part, defect: impl Into<Defect>) -> CertificateError {
    CertificateError {
        part,
        defect: defect.into(),
    }
}

/// Reads the next element of `reader`, which must carry `expected_tag`.
fn expect<'a>(
    reader: &mut Reader<'a>,
    expected_tag: u8,
    expected: &'static str,
    part: Part,
) -> Result<Tlv<'a>, CertificateError> {
    if reader.is_empty() {
        return Err(err(part, Defect::Missing));
    }
    let tlv = reader.read().map_err(|e| err(part, e))?;
    if tlv.tag != expected_tag {
        return Err(err(
            part,
            Defect::UnexpectedTag {
                expected,
                found: tlv.tag,
            },
        ));
    }
    Ok(tlv)
}

impl<'a> Certificate<'a> {
    /// Reads a DER certificate. Names and times are checked here too, so a certificate that parses
    /// can always be reported.
    pub fn from_der(der: &'a [u8]) -> Result<Self, CertificateError> {
        let mut outer = Reader::new(der);
        let certificate = expect(&mut outer, tag::SEQUENCE, "a SEQUENCE", Part::Certificate)?;
        if !outer.is_empty() {
            return Err(err(
                Part::Certificate,
                Defect::TrailingData(outer.remaining()),
            ));
        }
        let mut parts = Reader::inside(&certificate);
        let tbs = expect(&mut parts, tag::SEQUENCE, "a SEQUENCE", Part::SignedPart)?;
        let signature_algorithm = algorithm_identifier(&mut parts, Part::SignatureAlgorithm)?;
        let signature_tlv = expect(&mut parts, tag::BIT_STRING, "a BIT STRING", Part::Signature)?;
        let signature = bit_string_bytes(&signature_tlv).map_err(|d| err(Part::Signature, d))?;
        if !parts.is_empty() {
            return Err(err(
                Part::Certificate,
                Defect::TrailingData(parts.remaining()),
            ));
        }

        let mut fields = Reader::inside(&tbs);
        let version = match fields
            .read_optional(tag::explicit(0))
            .map_err(|e| err(Part::Version, e))?
        {
            None => 0,
            Some(explicit) => {
                let mut inner = Reader::inside(&explicit);
                let value = expect(&mut inner, tag::INTEGER, "an INTEGER", Part::Version)?;
                match value.value {
                    [v @ 0..=2] => *v,
                    _ => {
                        return Err(err(
                            Part::Version,
                            Defect::Invalid("only versions 1, 2 and 3 exist"),
                        ))
                    }
                }
            }
        };
        let serial_tlv = expect(&mut fields, tag::INTEGER, "an INTEGER", Part::SerialNumber)?;
        check_integer(serial_tlv.value).map_err(|d| err(Part::SerialNumber, d))?;
        let inner_algorithm = algorithm_identifier(&mut fields, Part::SignatureAlgorithm)?;
        if !inner_algorithm.same_as(&signature_algorithm) {
            return Err(err(
                Part::SignatureAlgorithm,
                Defect::Invalid(
                    "the algorithm inside the signed part differs from the one outside it",
                ),
            ));
        }
        let issuer = expect(
            &mut fields,
            tag::SEQUENCE,
            "a SEQUENCE (a Name)",
            Part::Issuer,
        )?;
        let issuer_name = dn::rfc2253(issuer.raw).map_err(|e| err(Part::Issuer, e))?;
        let validity = expect(&mut fields, tag::SEQUENCE, "a SEQUENCE", Part::Validity)?;
        let mut bounds = Reader::inside(&validity);
        let not_before = time_of(&mut bounds, Part::NotBefore)?;
        let not_after = time_of(&mut bounds, Part::NotAfter)?;
        if !bounds.is_empty() {
            return Err(err(
                Part::Validity,
                Defect::TrailingData(bounds.remaining()),
            ));
        }
        let subject = expect(
            &mut fields,
            tag::SEQUENCE,
            "a SEQUENCE (a Name)",
            Part::Subject,
        )?;
        let subject_name = dn::rfc2253(subject.raw).map_err(|e| err(Part::Subject, e))?;
        let spki = expect(&mut fields, tag::SEQUENCE, "a SEQUENCE", Part::PublicKey)?;
        let mut spki_parts = Reader::inside(&spki);
        let key_algorithm = algorithm_identifier(&mut spki_parts, Part::PublicKey)?;
        let key_tlv = expect(
            &mut spki_parts,
            tag::BIT_STRING,
            "a BIT STRING",
            Part::PublicKey,
        )?;
        let key = bit_string_bytes(&key_tlv).map_err(|d| err(Part::PublicKey, d))?;
        if !spki_parts.is_empty() {
            return Err(err(
                Part::PublicKey,
                Defect::TrailingData(spki_parts.remaining()),
            ));
        }
        let public_key = PublicKey {
            algorithm: key_algorithm,
            key,
        };
        let key_facts = key_facts(&public_key).map_err(|d| err(Part::PublicKey, d))?;
        for (n, minimum_version) in [(1u8, 1u8), (2, 1)] {
            let unique_id = fields
                .read_optional(tag::implicit(n))
                .map_err(|e| err(Part::UniqueId, e))?;
            if unique_id.is_some() && version < minimum_version {
                return Err(err(
                    Part::UniqueId,
                    Defect::Invalid("a version 1 certificate cannot have unique identifiers"),
                ));
            }
        }

        let mut certificate = Certificate {
            der: certificate.raw,
            tbs: tbs.raw,
            version,
            serial: serial_tlv.value,
            issuer: issuer.raw,
            issuer_name,
            not_before,
            not_after,
            subject: subject.raw,
            subject_name,
            public_key,
            key_facts,
            signature_algorithm,
            signature,
            basic_constraints: None,
            key_usage: None,
            subject_key_id: None,
            authority_key_id: None,
        };
        if let Some(extensions) = fields
            .read_optional(tag::explicit(3))
            .map_err(|e| err(Part::Extensions, e))?
        {
            if version < 2 {
                return Err(err(
                    Part::Extensions,
                    Defect::Invalid("only version 3 certificates can have extensions"),
                ));
            }
            certificate.read_extensions(&extensions)?;
        }
        if !fields.is_empty() {
            let found = fields.peek_tag().unwrap_or(0);
            return Err(err(
                Part::SignedPart,
                Defect::UnexpectedTag {
                    expected: "the end of the signed part",
                    found,
                },
            ));
        }
        Ok(certificate)
    }

    fn read_extensions(&mut self, explicit: &Tlv<'a>) -> Result<(), CertificateError> {
        let mut inner = Reader::inside(explicit);
        let list = expect(
            &mut inner,
            tag::SEQUENCE,
            "a SEQUENCE of extensions",
            Part::Extensions,
        )?;
        let mut extensions = Reader::inside(&list);
        while !extensions.is_empty() {
            let extension = expect(
                &mut extensions,
                tag::SEQUENCE,
                "an extension (a SEQUENCE)",
                Part::Extensions,
            )?;
            let mut parts = Reader::inside(&extension);
            let id = expect(
                &mut parts,
                tag::OID,
                "an OBJECT IDENTIFIER",
                Part::Extensions,
            )?;
            if !oid::is_valid(id.value) {
                return Err(err(
                    Part::Extensions,
                    Defect::Invalid("an extension identifier is not a valid object identifier"),
                ));
            }
            parts
                .read_optional(tag::BOOLEAN)
                .map_err(|e| err(Part::Extensions, e))?;
            let value = expect(
                &mut parts,
                tag::OCTET_STRING,
                "an OCTET STRING",
                Part::Extensions,
            )?;
            if !parts.is_empty() {
                return Err(err(
                    Part::Extensions,
                    Defect::TrailingData(parts.remaining()),
                ));
            }
            match id.value {
                known::BASIC_CONSTRAINTS => {
                    let part = Part::BasicConstraints;
                    self.basic_constraints = Some(once(
                        self.basic_constraints,
                        part,
                        basic_constraints(value.value).map_err(|d| err(part, d))?,
                    )?);
                }
                known::KEY_USAGE => {
                    let part = Part::KeyUsage;
                    self.key_usage = Some(once(
                        self.key_usage,
                        part,
                        key_usage(value.value).map_err(|d| err(part, d))?,
                    )?);
                }
                known::SUBJECT_KEY_IDENTIFIER => {
                    let part = Part::SubjectKeyIdentifier;
                    let mut r = Reader::new(value.value);
                    let id = expect(&mut r, tag::OCTET_STRING, "an OCTET STRING", part)?;
                    if !r.is_empty() {
                        return Err(err(part, Defect::TrailingData(r.remaining())));
                    }
                    self.subject_key_id = Some(once(self.subject_key_id, part, id.value)?);
                }
                known::AUTHORITY_KEY_IDENTIFIER => {
                    let part = Part::AuthorityKeyIdentifier;
                    let aki = authority_key_id(value.value).map_err(|d| err(part, d))?;
                    self.authority_key_id = Some(once(self.authority_key_id, part, aki)?);
                }
                _ => {}
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
            if let (Some(key_id), Some(own)) = (aki.key_id, self.subject_key_id) {
                if key_id != own {
                    return false;
                }
            }
            if aki.serial.is_some_and(|serial| serial != self.serial) {
                return false;
            }
            if let Some(issuer) = aki.issuer {
                if !dn::same_name(issuer, self.issuer).unwrap_or(false) {
                    return false;
                }
            }
        }
        signature::algorithm_suits_key(self.signature_algorithm.oid, &self.public_key)
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

fn algorithm_identifier<'a>(
    reader: &mut Reader<'a>,
    part: Part,
) -> Result<AlgorithmIdentifier<'a>, CertificateError> {
    let sequence = expect(
        reader,
        tag::SEQUENCE,
        "an AlgorithmIdentifier (a SEQUENCE)",
        part,
    )?;
    let mut inner = Reader::inside(&sequence);
    let id = expect(&mut inner, tag::OID, "an OBJECT IDENTIFIER", part)?;
    if !oid::is_valid(id.value) {
        return Err(err(
            part,
            Defect::Invalid("the algorithm is not a valid object identifier"),
        ));
    }
    let parameters = if inner.is_empty() {
        None
    } else {
        Some(inner.read().map_err(|e| err(part, e))?)
    };
    if !inner.is_empty() {
        return Err(err(part, Defect::TrailingData(inner.remaining())));
    }
    Ok(AlgorithmIdentifier {
        oid: id.value,
        parameters,
    })
}

fn time_of(reader: &mut Reader<'_>, part: Part) -> Result<CertificateTime, CertificateError> {
    if reader.is_empty() {
        return Err(err(part, Defect::Missing));
    }
    let tlv = reader.read().map_err(|e| err(part, e))?;
    time::parse(&tlv).map_err(|e| err(part, e))
}

/// The bits of a BIT STRING whose length is a whole number of bytes (keys, signatures).
fn bit_string_bytes<'a>(tlv: &Tlv<'a>) -> Result<&'a [u8], Defect> {
    match tlv.value.split_first() {
        Some((0, bytes)) => Ok(bytes),
        Some(_) => Err(Defect::Invalid("the BIT STRING does not hold whole bytes")),
        None => Err(Defect::Invalid("the BIT STRING is empty")),
    }
}

/// openssl refuses an empty INTEGER and one padded with a redundant leading byte.
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

/// The fields of an extension value that must be exactly one SEQUENCE, with nothing after it.
fn sequence_fields(value: &[u8]) -> Result<Reader<'_>, Defect> {
    let mut outer = Reader::new(value);
    let sequence = outer.read()?;
    if sequence.tag != tag::SEQUENCE {
        return Err(Defect::UnexpectedTag {
            expected: "a SEQUENCE",
            found: sequence.tag,
        });
    }
    if !outer.is_empty() {
        return Err(Defect::TrailingData(outer.remaining()));
    }
    Ok(Reader::inside(&sequence))
}

fn basic_constraints(value: &[u8]) -> Result<BasicConstraints, Defect> {
    let mut fields = sequence_fields(value)?;
    let ca = match fields.read_optional(tag::BOOLEAN)? {
        None => false,
        Some(flag) => match flag.value {
            [b] => *b != 0,
            _ => return Err(Defect::Invalid("cA is not a one-byte BOOLEAN")),
        },
    };
    let path_len = match fields.read_optional(tag::INTEGER)? {
        None => None,
        Some(integer) => {
            check_integer(integer.value)?;
            if integer.value.first().is_some_and(|b| b & 0x80 != 0) {
                return Err(Defect::Invalid("the path length is negative"));
            }
            let value = integer.value.iter().fold(0u64, |acc, b| {
                acc.saturating_mul(256).saturating_add(u64::from(*b))
            });
            Some(u32::try_from(value).unwrap_or(u32::MAX))
        }
    };
    if !fields.is_empty() {
        return Err(Defect::TrailingData(fields.remaining()));
    }
    Ok(BasicConstraints { ca, path_len })
}

fn key_usage(value: &[u8]) -> Result<u16, Defect> {
    let mut outer = Reader::new(value);
    let bits = outer.read()?;
    if bits.tag != tag::BIT_STRING {
        return Err(Defect::UnexpectedTag {
            expected: "a BIT STRING",
            found: bits.tag,
        });
    }
    if !outer.is_empty() {
        return Err(Defect::TrailingData(outer.remaining()));
    }
    let (unused, bytes) = bits
        .value
        .split_first()
        .ok_or(Defect::Invalid("the BIT STRING is empty"))?;
    if *unused > 7 {
        return Err(Defect::Invalid(
            "the BIT STRING declares more than 7 unused bits",
        ));
    }
    // openssl clears the unused bits, then reads bit n as the n-th bit from the most significant
    // bit of the first byte.
    let mut masked = [0u8; 2];
    for (i, byte) in bytes.iter().take(2).enumerate() {
        let is_last = i + 1 == bytes.len();
        if let Some(slot) = masked.get_mut(i) {
            *slot = if is_last {
                byte & (0xFFu8 << unused)
            } else {
                *byte
            };
        }
    }
    let mut usage = 0u16;
    for bit in 0..9u16 {
        let byte = masked.get(usize::from(bit / 8)).copied().unwrap_or(0);
        if byte & (0x80 >> (bit % 8)) != 0 {
            usage |= 1 << bit;
        }
    }
    Ok(usage)
}

fn authority_key_id(value: &[u8]) -> Result<AuthorityKeyId<'_>, Defect> {
    let mut fields = sequence_fields(value)?;
    let key_id = fields.read_optional(tag::implicit(0))?.map(|t| t.value);
    let mut issuer = None;
    if let Some(names) = fields.read_optional(tag::explicit(1))? {
        let mut general_names = Reader::inside(&names);
        while !general_names.is_empty() {
            let name = general_names.read()?;
            // directoryName [4] EXPLICIT Name; openssl looks at the first one only.
            if name.tag == tag::explicit(4) && issuer.is_none() {
                let mut inner = Reader::inside(&name);
                let directory_name = inner.read()?;
                dn::rfc2253(directory_name.raw)?;
                issuer = Some(directory_name.raw);
            }
        }
    }
    let serial = match fields.read_optional(tag::implicit(2))? {
        Some(serial) => {
            check_integer(serial.value)?;
            Some(serial.value)
        }
        None => None,
    };
    if !fields.is_empty() {
        let found = fields.peek_tag().unwrap_or(0);
        return Err(Defect::UnexpectedTag {
            expected: "the end of the extension",
            found,
        });
    }
    Ok(AuthorityKeyId {
        key_id,
        issuer,
        serial,
    })
}

/// What kind of key a certificate holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Rsa,
    RsaPss,
    Ec,
    Dsa,
    Ed25519,
    Ed448,
    X25519,
    X448,
    Other,
}

/// Algorithm, size and curve of a public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFacts {
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

/// The modulus and exponent of an RSAPublicKey.
pub(crate) fn rsa_public_key(key: &[u8]) -> Result<(&[u8], &[u8]), Defect> {
    let mut outer = Reader::new(key);
    let sequence = outer.read()?;
    if sequence.tag != tag::SEQUENCE || !outer.is_empty() {
        return Err(Defect::Invalid(
            "the RSA key is not an RSAPublicKey SEQUENCE",
        ));
    }
    let mut fields = Reader::inside(&sequence);
    let n = fields.read()?;
    let e = fields.read()?;
    if n.tag != tag::INTEGER || e.tag != tag::INTEGER || !fields.is_empty() {
        return Err(Defect::Invalid(
            "the RSA key does not hold a modulus and an exponent",
        ));
    }
    check_integer(n.value)?;
    check_integer(e.value)?;
    if n.value.first().is_some_and(|b| b & 0x80 != 0)
        || e.value.first().is_some_and(|b| b & 0x80 != 0)
    {
        return Err(Defect::Invalid("the RSA modulus or exponent is negative"));
    }
    Ok((n.value, e.value))
}

fn key_facts(key: &PublicKey<'_>) -> Result<KeyFacts, Defect> {
    let facts = |kind, algorithm: &str, bits, curve| KeyFacts {
        kind,
        algorithm: algorithm.to_owned(),
        bits,
        curve,
    };
    Ok(match key.algorithm.oid {
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
            let (bits, curve) = match key.algorithm.parameters {
                Some(parameters) if parameters.tag == tag::OID => (
                    curve_name(parameters.value).map(|(_, bits)| bits),
                    Some(curve_label(parameters.value)),
                ),
                _ => (None, None),
            };
            facts(KeyKind::Ec, "EC", bits, curve)
        }
        known::DSA => {
            let bits = match key.algorithm.parameters {
                Some(parameters) if parameters.tag == tag::SEQUENCE => {
                    let mut fields = Reader::inside(&parameters);
                    let p = fields.read()?;
                    if p.tag != tag::INTEGER {
                        return Err(Defect::Invalid(
                            "the DSA parameters do not start with the prime p",
                        ));
                    }
                    Some(bit_length(p.value))
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
    fn key_usage_bits_follow_openssl() {
        // digitalSignature, keyCertSign, cRLSign: 0b1000_0110, 1 unused bit.
        assert_eq!(key_usage(&[0x03, 0x02, 0x01, 0x86]).unwrap(), 0b110_0001);
        assert_eq!(
            key_usage_names(0b110_0001),
            ["Digital Signature", "Certificate Sign", "CRL Sign"]
        );
        // decipherOnly is the first bit of the second byte.
        assert_eq!(key_usage(&[0x03, 0x03, 0x07, 0x00, 0x80]).unwrap(), 1 << 8);
        // Unused bits are cleared before reading.
        assert_eq!(key_usage(&[0x03, 0x02, 0x07, 0xFF]).unwrap(), 1);
        assert!(key_usage(&[0x03, 0x01, 0x08]).is_err());
    }

    #[test]
    fn basic_constraints_forms() {
        assert_eq!(
            basic_constraints(&[0x30, 0x00]).unwrap(),
            BasicConstraints {
                ca: false,
                path_len: None
            }
        );
        assert_eq!(
            basic_constraints(&[0x30, 0x03, 0x01, 0x01, 0xFF]).unwrap(),
            BasicConstraints {
                ca: true,
                path_len: None
            }
        );
        assert_eq!(
            basic_constraints(&[0x30, 0x06, 0x01, 0x01, 0xFF, 0x02, 0x01, 0x03]).unwrap(),
            BasicConstraints {
                ca: true,
                path_len: Some(3)
            }
        );
        assert!(basic_constraints(&[0x30, 0x06, 0x01, 0x01, 0xFF, 0x02, 0x01, 0xFF]).is_err());
        assert!(basic_constraints(&[0x04, 0x00]).is_err());
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
