//! Inspection of a PEM bundle of CA certificates, as pasted or uploaded for self-managed X.509.
//!
//! [`inspect_bundle`] is the one function the browser (in Wasm), the server (before it saves) and the
//! CLI (`access-console inspect`) call. It never panics, on any input.
//!
//! Reading is line based. Text outside `-----BEGIN x-----` / `-----END x-----` lines is ignored (openssl
//! writes "Bag Attributes" and "subject=" lines there), lines may end in CRLF or LF, base64 lines may
//! have any length, and a `Name: value` header section at the top of a block is skipped as openssl
//! does. Every block is read on its own, so one bad block never hides the others.
//!
//! Which crate does what: `pem-rfc7468` decodes every certificate block (its base64 included), and
//! `x509-cert` decodes the certificate ([`crate::certificate`]). What our own code still does, and why:
//! it finds the blocks and their line numbers in text the crate does not take as it is (prose between
//! blocks, CRLF, any line length, headers), hands each block's base64 to the crate rewrapped as RFC 7468
//! text, and, only when the crate refuses a block, replays that block through a small base64 reader
//! (`crate::base64`) to say where (line, column) and why, in the words the page has always shown.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sha1::Sha1;
use sha2::{Digest, Sha256};

use ::der::asn1::AnyRef;
use ::der::{Reader as _, SliceReader, Tag, Tagged as _};

use crate::base64::{self, Base64Error};
use crate::certificate::{AltName, Certificate, CertificateError, Defect, KeyKind};
use crate::oid::known;
use crate::{dn, signature, time};

/// Seconds since the Unix epoch, UTC. Passed in so that inspection is pure and testable.
pub type UnixTime = i64;

/// Days before expiry from which a certificate is reported as `expires_soon`
/// (the same window as the project's CA-expiry alert).
pub const EXPIRES_SOON_DAYS: i64 = 30;

/// What a bundle holds: the certificates that could be read, and the problems of the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BundleReport {
    /// One report per certificate that could be read, in bundle order.
    pub certificates: Vec<CertificateReport>,
    /// Every block (or the whole bundle) that could not be used, in bundle order; the server
    /// refuses a bundle with any.
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
    /// RFC 2253, as openssl prints it (see `subject`).
    pub issuer: String,
    /// Uppercase hex.
    pub serial: String,
    /// RFC 3339, UTC, `Z`.
    pub not_before: String,
    /// RFC 3339, UTC, `Z`: after it the certificate is expired.
    pub not_after: String,
    /// Whole days left until `not_after`, rounded down: `floor((not_after - now) / 86400)`. 0 during
    /// the last day, negative once expired (-1 during the first day after).
    pub days_left: i64,
    /// Uppercase hex, colon-separated.
    pub sha256_fingerprint: String,
    /// SHA-1 of the DER, uppercase hex, colon-separated (as `openssl x509 -fingerprint -sha1`
    /// prints it).
    pub sha1_fingerprint: String,
    /// The key's algorithm, size and curve.
    pub public_key: PublicKeyInfo,
    /// openssl's name, e.g. `sha256WithRSAEncryption`, `ecdsa-with-SHA384`, `ED25519`.
    pub signature_algorithm: String,
    /// basicConstraints `cA=TRUE`: the certificate may issue certificates (without it, `not_a_ca`
    /// is warned).
    pub is_ca: bool,
    /// basicConstraints `pathLenConstraint`, when set: most intermediate CAs below this one.
    pub path_len: Option<u32>,
    /// openssl's names, e.g. `Certificate Sign`, `CRL Sign`, `Digital Signature`.
    pub key_usage: Vec<String>,
    /// The subjectAltName entries, in the order the extension holds them; empty without the
    /// extension. Each is `{"kind": "dns" | "ip" | "email" | "uri" | "registered_id", "value": ...}`
    /// or `{"kind": "other_name" | "directory_name" | "edi_party_name"}`.
    #[serde(default)]
    pub subject_alt_names: Vec<AltName>,
    /// Whether openssl calls it self-signed (OpenSSL 3 `EXFLAG_SS`: issuer and subject the same
    /// name, key identifiers agreeing); the signature itself is not checked.
    pub self_signed: bool,
    /// `index` of another certificate of this bundle that issued this one: its subject is this
    /// certificate's issuer (as openssl compares names) and its key verifies this certificate's
    /// signature. `None` for a self-signed certificate, when no certificate of the bundle matches,
    /// or when the signature algorithm is not one [`crate::signature::verifies`] supports.
    /// Built without the `signature-verification` feature (the browser UI), signatures are not
    /// checked: the name must match and the authority key identifier, where both certificates have
    /// key identifiers, must be the issuer's subject key identifier.
    pub issued_by: Option<usize>,
    /// What is usable but worth acting on (expired, weak key, duplicate, ...).
    pub warnings: Vec<Warning>,
}

/// The public key of a certificate as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKeyInfo {
    /// `RSA`, `RSA-PSS`, `EC`, `Ed25519`, `Ed448`, `DSA`, `X25519`, `X448`, or the algorithm OID in
    /// dotted form.
    pub algorithm: String,
    /// Modulus size (RSA), prime size (DSA) or field size (EC on a named curve); `None` for EdDSA
    /// keys, whose size is fixed by the algorithm.
    pub bits: Option<u32>,
    /// For EC keys: the curve, e.g. `P-256` (`prime256v1`), `P-384`, `P-521`, `secp256k1`, or the
    /// dotted OID of a curve openssl has no NIST name for.
    pub curve: Option<String>,
}

/// Why a readable certificate is warned about (the `code` of a [`Warning`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// `notAfter` is past: MongoDB refuses the certificates it issued.
    Expired,
    /// `notBefore` is in the future.
    NotYetValid,
    /// It expires within [`EXPIRES_SOON_DAYS`] days.
    ExpiresSoon,
    /// It is not a CA (no basicConstraints, or `cA=FALSE`), so it cannot verify client
    /// certificates.
    NotACa,
    /// An RSA or DSA key under 2048 bits, or an EC key under 256 bits.
    WeakKey,
    /// It is signed with a hash that is no longer safe (MD2, MD4, MD5, SHA-0, SHA-1): OpenSSL 3 at
    /// its default security level refuses such a signature in a chain (a root's own signature is
    /// not checked).
    WeakSignature,
    /// The same certificate (same SHA-256 fingerprint) appears earlier in the bundle.
    Duplicate,
}

/// A warning on one certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Its stable code.
    pub code: WarningCode,
    /// What was found and what to do, for people.
    pub message: String,
}

/// Why a block (or the bundle) cannot be used (the `code` of a [`Problem`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// The body between BEGIN and END is not valid base64 (the message says line and column).
    BadBase64,
    /// A BEGIN line with no matching END line before the next BEGIN or the end of the text.
    MissingEnd,
    /// An `-----END x-----` line with no BEGIN line before it (often a damaged BEGIN line).
    MissingBegin,
    /// The END line names another label than its BEGIN line.
    LabelMismatch,
    /// A certificate block whose content is not a certificate (empty, or a PKCS #12, PKCS #7, CSR,
    /// CRL or something unknown in DER).
    NotACertificate,
    /// A certificate that is not valid DER (an indefinite or non-minimal length, a non-minimal INTEGER, a
    /// BOOLEAN not 0xFF, ...): openssl may read it, rustls, Go and Java clients refuse it.
    NotDer,
    /// A private key: never kept, echoed or logged; the server refuses the bundle with
    /// `PRIVATE_KEY_IN_X509_CA_BUNDLE`.
    PrivateKey,
    /// A PEM block of another kind (CSR, CRL, public key, trusted certificate, PKCS #7,
    /// parameters): the message says how to get the certificate.
    UnsupportedBlock,
    /// The bundle holds no PEM block at all (`NO_X509_CA_CERTIFICATE`).
    NoCertificates,
}

/// Something in the bundle that cannot be read (or must not be sent, like a private key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = BundleProblem))]
pub struct Problem {
    /// Its stable code.
    pub code: ProblemCode,
    /// 1-based PEM block number (0 when the problem concerns the whole bundle).
    pub block: usize,
    /// 1-based line (of the block's BEGIN, or of the offending line where known); 0 when the problem
    /// concerns the whole bundle.
    pub line: usize,
    /// What is wrong and how to fix it, for people.
    pub message: String,
}

impl CertificateReport {
    /// Whether the certificate has expired or expires within `days` days from the inspection time
    /// (`days_left < days`): the test of `access-console inspect --expires-within DAYS`.
    pub fn expires_within(&self, days: i64) -> bool {
        self.days_left < days || self.warnings.iter().any(|w| w.code == WarningCode::Expired)
    }

    /// Whether the certificate carries a warning of that code.
    pub fn has_warning(&self, code: WarningCode) -> bool {
        self.warnings.iter().any(|w| w.code == code)
    }
}

impl BundleReport {
    /// The certificates that have expired (what Atlas refuses to save).
    pub fn expired(&self) -> impl Iterator<Item = &CertificateReport> {
        self.certificates
            .iter()
            .filter(|c| c.has_warning(WarningCode::Expired))
    }
}

/// Reads every PEM block of `text` and reports each certificate and each problem, in order.
pub fn inspect_bundle(text: &str, now: UnixTime) -> BundleReport {
    let scanned = scan(text);
    let blocks_seen = scanned.len();
    let mut problems = Vec::new();
    let mut decoded = Vec::new();
    for block in scanned {
        match block {
            Scanned::Certificate(found) => decoded.push(found),
            Scanned::Problem(problem) => problems.push(problem),
        }
    }
    assemble(decoded, problems, blocks_seen, now, Source::Text)
}

/// Reads an uploaded file: PEM text (any encoding of it: UTF-8, UTF-16 with a byte order mark, or
/// bytes that are not UTF-8, read lossily), else a single DER certificate (`.cer`/`.der` files often
/// are).
pub fn inspect_bytes(bytes: &[u8], now: UnixTime) -> BundleReport {
    if let Some(text) = file_text(bytes) {
        return inspect_bundle(&text, now);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.first() == Some(&SEQUENCE) {
        let found = Decoded {
            der: bytes.to_vec(),
            block: 1,
            line: 1,
            end_line: 1,
        };
        return assemble(vec![found], Vec::new(), 1, now, Source::Der);
    }
    BundleReport {
        certificates: Vec::new(),
        problems: vec![Problem {
            code: ProblemCode::NoCertificates,
            block: 0,
            line: 0,
            message: "No certificate found: the file is neither PEM text (no -----BEGIN CERTIFICATE----- line) \
                      nor a DER certificate."
                .to_owned(),
        }],
    }
}

/// The DER of each certificate of an uploaded file, read as [`inspect_bytes`] reads it (PEM text, or one
/// DER certificate), in order. Blocks that are not certificates (a private key, a request, ...) are
/// skipped, never returned.
pub fn certificate_ders(bytes: &[u8]) -> Vec<Vec<u8>> {
    if let Some(text) = file_text(bytes) {
        return scan(&text)
            .into_iter()
            .filter_map(|block| match block {
                Scanned::Certificate(found) => Some(found.der),
                Scanned::Problem(_) => None,
            })
            .collect();
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.first() == Some(&SEQUENCE) {
        vec![bytes.to_vec()]
    } else {
        Vec::new()
    }
}

/// The text of a file that is text, as [`inspect_bytes`] reads it: UTF-16 with a byte order mark (as
/// Windows writes "Unicode" files), anything with a `-----BEGIN` line (invalid UTF-8 replaced), or valid
/// UTF-8 (a UTF-8 byte order mark dropped). `None` for binary input, such as a DER certificate.
pub fn file_text(bytes: &[u8]) -> Option<String> {
    if let Some(text) = utf16_text(bytes) {
        return Some(text);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if contains(bytes, b"-----BEGIN") {
        return Some(String::from_utf8_lossy(bytes).into_owned());
    }
    if bytes.first() == Some(&SEQUENCE) {
        return None;
    }
    std::str::from_utf8(bytes).ok().map(str::to_owned)
}

/// A DER certificate as PEM: `-----BEGIN CERTIFICATE-----`, base64 in 64-character lines, LF line
/// ends, a final newline.
pub fn der_to_pem(der: &[u8]) -> String {
    // Encoded by `pem-rfc7468`; it fails only on an invalid label, and "CERTIFICATE" is valid.
    pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, der).unwrap_or_default()
}

/// `text` without the lines (`line..=end_line`) of the certificates `drop` selects, everything else
/// (other blocks, comments, line ends) kept as it was. `report` must be the inspection of `text`.
pub fn without_certificates(
    text: &str,
    report: &BundleReport,
    drop: impl Fn(&CertificateReport) -> bool,
) -> String {
    let spans: Vec<(usize, usize)> = report
        .certificates
        .iter()
        .filter(|c| drop(c))
        .map(|c| (c.line, c.end_line))
        .collect();
    let mut out = String::with_capacity(text.len());
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let number = index + 1;
        if !spans
            .iter()
            .any(|(first, last)| (*first..=*last).contains(&number))
        {
            out.push_str(line);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Scanning the text into blocks.

/// A certificate block whose base64 decoded.
struct Decoded {
    der: Vec<u8>,
    block: usize,
    line: usize,
    end_line: usize,
}

enum Scanned {
    Certificate(Decoded),
    Problem(Problem),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LabelKind {
    Certificate,
    PrivateKey,
    Other,
}

fn label_kind(label: &str) -> LabelKind {
    if label == "CERTIFICATE" || label == "X509 CERTIFICATE" {
        LabelKind::Certificate
    } else if label.to_ascii_uppercase().contains("PRIVATE KEY") {
        LabelKind::PrivateKey
    } else {
        LabelKind::Other
    }
}

/// A label as it may appear in a message: printable ASCII, at most 40 characters.
fn shown_label(label: &str) -> String {
    let mut shown: String = label
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .take(40)
        .collect();
    if label.chars().count() > 40 {
        shown.push_str("...");
    }
    shown
}

enum Delimiter<'a> {
    Begin(&'a str),
    End(&'a str),
}

/// `-----BEGIN LABEL-----` / `-----END LABEL-----` (surrounding blanks already trimmed).
fn delimiter(line: &str) -> Option<Delimiter<'_>> {
    let inner = line.strip_prefix("-----")?.strip_suffix("-----")?;
    if let Some(label) = inner.strip_prefix("BEGIN ") {
        Some(Delimiter::Begin(label))
    } else {
        inner.strip_prefix("END ").map(Delimiter::End)
    }
}

struct OpenBlock {
    number: usize,
    line: usize,
    label: String,
    kind: LabelKind,
    /// The base64 lines of the body, joined.
    body: String,
    /// Each body line: its 1-based line number and where it starts in `body`.
    body_lines: Vec<(usize, usize)>,
    /// Whether any base64 has been read (a `Name: value` header may only come before).
    body_started: bool,
    in_headers: bool,
    last_body_line: usize,
}

impl OpenBlock {
    fn new(number: usize, line: usize, label: &str) -> Self {
        Self {
            number,
            line,
            label: label.to_owned(),
            kind: label_kind(label),
            body: String::with_capacity(2048),
            body_lines: Vec::with_capacity(32),
            body_started: false,
            in_headers: false,
            last_body_line: line,
        }
    }

    fn where_(&self) -> String {
        format!("Block {} (line {})", self.number, self.line)
    }

    fn push_line(&mut self, line: &str, number: usize) {
        if self.kind != LabelKind::Certificate {
            // Private keys are never read; other blocks are reported as what they are.
            return;
        }
        if line.is_empty() {
            self.in_headers = false;
            return;
        }
        if !self.body_started && (self.in_headers || line.contains(':')) {
            // RFC 1421 style headers (`Proc-Type: ...`), skipped by openssl's PEM reader too.
            self.in_headers = true;
            return;
        }
        self.body_started = true;
        self.last_body_line = number;
        self.body_lines.push((number, self.body.len()));
        self.body.push_str(line);
    }

    /// The DER of the body, decoded by `pem-rfc7468` from the body rewrapped as RFC 7468 text (64
    /// characters a line). `None` when the crate refuses it.
    fn decode(&self) -> Option<Vec<u8>> {
        if !self.body.is_ascii() {
            return None;
        }
        let mut pem = String::with_capacity(self.body.len() + self.body.len() / 64 + 64);
        pem.push_str("-----BEGIN CERTIFICATE-----\n");
        for chunk in self.body.as_bytes().chunks(64) {
            pem.push_str(std::str::from_utf8(chunk).ok()?);
            pem.push('\n');
        }
        pem.push_str("-----END CERTIFICATE-----\n");
        pem_rfc7468::decode_vec(pem.as_bytes())
            .ok()
            .map(|(_, der)| der)
    }

    /// Why the crate refused the body, in the page's words: the body replayed line by line through our
    /// base64 reader, which names the line and column of the first fault.
    fn diagnose(&self) -> Problem {
        let where_ = self.where_();
        let mut decoder = base64::Decoder::default();
        for (i, (number, start)) in self.body_lines.iter().enumerate() {
            let end = self
                .body_lines
                .get(i + 1)
                .map_or(self.body.len(), |(_, next)| *next);
            let line = self.body.get(*start..end).unwrap_or("");
            let number = *number;
            if let Err((offset, error)) = decoder.push_line(line.as_bytes()) {
                let column = line
                    .get(..offset)
                    .map_or(offset, |before| before.chars().count())
                    + 1;
                let detail = match error {
                    Base64Error::InvalidCharacter(byte) => {
                        let shown = line
                            .get(offset..)
                            .and_then(|rest| rest.chars().next())
                            .map_or_else(
                                || format!("byte 0x{byte:02X}"),
                                |c| {
                                    if c.is_ascii_graphic() {
                                        format!("'{c}'")
                                    } else {
                                        format!("U+{:04X}", u32::from(c))
                                    }
                                },
                            );
                        format!("line {number}, column {column}: {shown} is not a base64 character")
                    }
                    Base64Error::MisplacedPadding => format!(
                        "line {number}, column {column}: '=' padding in the middle of the base64 data"
                    ),
                    Base64Error::DataAfterPadding | Base64Error::Truncated => {
                        format!("line {number}, column {column}: base64 data continues after its '=' padding")
                    }
                };
                return Problem {
                    code: ProblemCode::BadBase64,
                    block: self.number,
                    line: number,
                    message: format!("{where_}: the base64 text is damaged: {detail}."),
                };
            }
        }
        let last_body_line = self.last_body_line;
        let detail = match decoder.finish() {
            Err(_) => format!(
                "it stops in the middle of a group of four characters (line {last_body_line}); part of the \
                 data is missing"
            ),
            // Our reader takes what the crate refuses (for example a final group without its '='
            // padding, or padding bits that are not zero).
            Ok(_) => format!(
                "the base64 is not in its canonical form (lines {}-{last_body_line}): a final group lacks its \
                 '=' padding or has stray bits",
                self.line + 1
            ),
        };
        Problem {
            code: ProblemCode::BadBase64,
            block: self.number,
            line: last_body_line,
            message: format!("{where_}: the base64 text is damaged: {detail}."),
        }
    }

    /// The block ends at an END line.
    fn end(self, end_label: &str, end_line: usize) -> Scanned {
        if self.kind == LabelKind::PrivateKey {
            return self.private_key(Some(end_line));
        }
        if end_label != self.label {
            return Scanned::Problem(Problem {
                code: ProblemCode::LabelMismatch,
                block: self.number,
                line: end_line,
                message: format!(
                    "{}: the block begins with -----BEGIN {}----- but line {end_line} ends it with -----END {}-----; \
                     both lines must name the same thing.",
                    self.where_(),
                    shown_label(&self.label),
                    shown_label(end_label)
                ),
            });
        }
        if self.kind == LabelKind::Other {
            return Scanned::Problem(self.unsupported());
        }
        if self.body.is_empty() {
            return Scanned::Problem(Problem {
                code: ProblemCode::NotACertificate,
                block: self.number,
                line: self.line,
                message: format!(
                    "{}: the block is empty: there is no base64 data between its BEGIN and END lines.",
                    self.where_()
                ),
            });
        }
        match self.decode() {
            Some(der) => Scanned::Certificate(Decoded {
                der,
                block: self.number,
                line: self.line,
                end_line,
            }),
            None => Scanned::Problem(self.diagnose()),
        }
    }

    /// A line that starts like an END line but is not one ends the block.
    fn damaged_end(self, line: usize) -> Scanned {
        match self.kind {
            LabelKind::PrivateKey => self.private_key(Some(line)),
            LabelKind::Other => Scanned::Problem(self.unsupported()),
            LabelKind::Certificate => Scanned::Problem(Problem {
                code: ProblemCode::BadBase64,
                block: self.number,
                line,
                message: format!(
                    "{}: line {line} looks like a damaged END line; it must read exactly -----END {}-----.",
                    self.where_(),
                    shown_label(&self.label)
                ),
            }),
        }
    }

    /// The block never ends: the text ends, or another BEGIN line comes first.
    fn unterminated(self, next_begin: Option<usize>) -> Scanned {
        if self.kind == LabelKind::PrivateKey {
            return self.private_key(None);
        }
        let reached = match next_begin {
            Some(line) => format!("the next block begins on line {line}"),
            None => "the text ends".to_owned(),
        };
        Scanned::Problem(Problem {
            code: ProblemCode::MissingEnd,
            block: self.number,
            line: self.line,
            message: format!(
                "{}: -----BEGIN {}----- has no matching -----END {}----- line before {reached}; the block may be \
                 cut short.",
                self.where_(),
                shown_label(&self.label),
                shown_label(&self.label)
            ),
        })
    }

    fn private_key(self, end_line: Option<usize>) -> Scanned {
        let lines = match end_line {
            Some(end) => format!("lines {}-{end}", self.line),
            None => format!("the block from line {}", self.line),
        };
        Scanned::Problem(Problem {
            code: ProblemCode::PrivateKey,
            block: self.number,
            line: self.line,
            message: format!(
                "{}: this is a private key (-----BEGIN {}-----). A CA bundle holds only certificates, and a \
                 private key must never be uploaded: remove {lines} and keep the key secret.",
                self.where_(),
                shown_label(&self.label)
            ),
        })
    }

    fn unsupported(&self) -> Problem {
        let label = shown_label(&self.label);
        let what = match self.label.as_str() {
            "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => {
                "is a certificate signing request (CSR), not a certificate. Sign it with your CA first (for example \
                 `openssl x509 -req -in request.csr -CA ca.pem -CAkey ca.key -out cert.pem`) and paste the \
                 resulting certificate, or remove this block"
            }
            "X509 CRL" => "is a certificate revocation list (CRL), not a certificate. A CA bundle holds only certificates: remove this block",
            "PUBLIC KEY" | "RSA PUBLIC KEY" => {
                "is a bare public key, not a certificate. Paste the CA's certificate (its -----BEGIN CERTIFICATE----- \
                 block) instead"
            }
            "TRUSTED CERTIFICATE" => {
                "is an OpenSSL \"trusted certificate\" (a certificate with trust settings attached). Convert it to a \
                 plain certificate with `openssl x509 -in trusted.pem -out cert.pem` and paste that"
            }
            "PKCS7" | "PKCS #7 SIGNED DATA" | "CMS" => {
                "is a PKCS #7 container. Extract its certificates with `openssl pkcs7 -in bundle.p7b -print_certs \
                 -out certs.pem` and paste those"
            }
            "EC PARAMETERS" | "DH PARAMETERS" | "X9.42 DH PARAMETERS" | "DSA PARAMETERS" | "PARAMETERS" => {
                "holds key parameters, not a certificate: remove this block"
            }
            _ => "is not a certificate; only -----BEGIN CERTIFICATE----- blocks can be used: remove this block",
        };
        Problem {
            code: ProblemCode::UnsupportedBlock,
            block: self.number,
            line: self.line,
            message: format!("{}: the {label} block {what}.", self.where_()),
        }
    }
}

fn scan(text: &str) -> Vec<Scanned> {
    let mut out = Vec::new();
    let mut blocks = 0usize;
    let mut open: Option<OpenBlock> = None;
    // The last line outside a block that starts like a BEGIN line but is not one.
    let mut damaged_begin: Option<usize> = None;
    for (index, raw) in text.split('\n').enumerate() {
        let number = index + 1;
        let line = raw.trim_matches(|c: char| c == '\r' || c == ' ' || c == '\t');
        match delimiter(line) {
            Some(Delimiter::Begin(label)) => {
                if let Some(block) = open.take() {
                    out.push(block.unterminated(Some(number)));
                }
                blocks += 1;
                open = Some(OpenBlock::new(blocks, number, label));
            }
            Some(Delimiter::End(label)) => match open.take() {
                Some(block) => out.push(block.end(label, number)),
                None => {
                    blocks += 1;
                    let hint = match damaged_begin {
                        Some(begin) => format!(" Line {begin} looks like a damaged BEGIN line."),
                        None => String::new(),
                    };
                    out.push(Scanned::Problem(Problem {
                        code: ProblemCode::MissingBegin,
                        block: blocks,
                        line: number,
                        message: format!(
                            "Block {blocks} (line {number}): -----END {}----- has no -----BEGIN {}----- line before it, \
                             so the lines above it are not read.{hint}",
                            shown_label(label),
                            shown_label(label)
                        ),
                    }));
                    damaged_begin = None;
                }
            },
            None => match open.as_mut() {
                Some(block) => {
                    if line.starts_with("-----END") {
                        if let Some(block) = open.take() {
                            out.push(block.damaged_end(number));
                        }
                    } else {
                        block.push_line(line, number);
                    }
                }
                None => {
                    if line.starts_with("-----BEGIN") {
                        damaged_begin = Some(number);
                    }
                }
            },
        }
    }
    if let Some(block) = open.take() {
        out.push(block.unterminated(None));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// From decoded certificates to the report.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Text,
    Der,
}

fn assemble(
    decoded: Vec<Decoded>,
    mut problems: Vec<Problem>,
    blocks_seen: usize,
    now: UnixTime,
    source: Source,
) -> BundleReport {
    let mut parsed: Vec<(&Decoded, Certificate<'_>)> = Vec::with_capacity(decoded.len());
    for found in &decoded {
        match Certificate::from_der(&found.der) {
            Ok(certificate) => parsed.push((found, certificate)),
            Err(CertificateError {
                defect: Defect::NotDer { reason, offset },
                ..
            }) => problems.push(not_der(found, &reason, offset, source)),
            Err(error) => problems.push(not_a_certificate(found, &error.to_string(), source)),
        }
    }

    let mut certificates: Vec<CertificateReport> = Vec::with_capacity(parsed.len());
    let mut first_by_fingerprint: HashMap<[u8; 32], usize> = HashMap::with_capacity(parsed.len());
    let mut self_signed = Vec::with_capacity(parsed.len());
    for (index, (found, certificate)) in parsed.iter().enumerate() {
        let sha256: [u8; 32] = Sha256::digest(certificate.der).into();
        let sha1: [u8; 20] = Sha1::digest(certificate.der).into();
        let is_self_signed = certificate.is_self_signed();
        self_signed.push(is_self_signed);
        let mut report = CertificateReport {
            index,
            block: found.block,
            line: found.line,
            end_line: found.end_line,
            subject: certificate.subject_name.clone(),
            issuer: certificate.issuer_name.clone(),
            serial: certificate.serial_hex(),
            not_before: certificate.not_before.rfc3339.clone(),
            not_after: certificate.not_after.rfc3339.clone(),
            days_left: time::whole_days_until(certificate.not_after.unix, now),
            sha256_fingerprint: fingerprint(&sha256),
            sha1_fingerprint: fingerprint(&sha1),
            public_key: PublicKeyInfo {
                algorithm: certificate.key_facts.algorithm.clone(),
                bits: certificate.key_facts.bits,
                curve: certificate.key_facts.curve.clone(),
            },
            signature_algorithm: signature::algorithm_name(
                certificate.signature_algorithm.oid.as_bytes(),
            ),
            is_ca: certificate.basic_constraints.is_some_and(|b| b.ca),
            path_len: certificate.basic_constraints.and_then(|b| b.path_len),
            key_usage: certificate
                .key_usage
                .map(crate::certificate::key_usage_names)
                .unwrap_or_default(),
            subject_alt_names: certificate.subject_alt_names.clone().unwrap_or_default(),
            self_signed: is_self_signed,
            issued_by: None,
            warnings: Vec::new(),
        };
        report.warnings = warnings(certificate, &report, now);
        match first_by_fingerprint.get(&sha256) {
            Some(first) => {
                if let Some(original) = certificates.get(*first) {
                    report.warnings.push(Warning {
                        code: WarningCode::Duplicate,
                        message: format!(
                            "The same certificate as certificate {} (block {}, line {}): identical SHA-256 fingerprint. \
                             Remove one of the two copies.",
                            original.index + 1,
                            original.block,
                            original.line
                        ),
                    });
                }
            }
            None => {
                first_by_fingerprint.insert(sha256, index);
            }
        }
        certificates.push(report);
    }

    link_issuers(&parsed, &self_signed, &mut certificates);

    if certificates.is_empty() {
        let message = if blocks_seen == 0 {
            "No certificate found: the text has no -----BEGIN CERTIFICATE----- block.".to_owned()
        } else if blocks_seen == 1 {
            "No certificate could be read: the only block has a problem (see above).".to_owned()
        } else {
            format!("No certificate could be read: each of the {blocks_seen} blocks has a problem (see above).")
        };
        problems.push(Problem {
            code: ProblemCode::NoCertificates,
            block: 0,
            line: 0,
            message,
        });
    }
    // Problems in block order; the whole-bundle problem last.
    problems.sort_by_key(|p| {
        if p.block == 0 {
            (usize::MAX, 0)
        } else {
            (p.block, p.line)
        }
    });
    BundleReport {
        certificates,
        problems,
    }
}

/// How many candidate issuers (same subject, key identifiers not disagreeing) of one certificate have
/// their key tried on its signature: a bundle of N certificates sharing a subject would otherwise cost
/// N·(N−1) signature checks (issue 14). Real bundles have one or two (a CA and its renewal).
pub const MAX_ISSUER_CANDIDATES_VERIFIED: usize = 3;

/// Sets `issued_by`: for each certificate that is not self-signed, the first other certificate whose
/// subject is its issuer, whose subject key identifier does not disagree with its authority key
/// identifier (compared before any signature check), and whose key verifies its signature; at most
/// [`MAX_ISSUER_CANDIDATES_VERIFIED`] candidates are verified.
fn link_issuers(
    parsed: &[(&Decoded, Certificate<'_>)],
    self_signed: &[bool],
    reports: &mut [CertificateReport],
) {
    if self_signed.iter().all(|s| *s) {
        return;
    }
    let mut by_subject: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
    for (index, (_, certificate)) in parsed.iter().enumerate() {
        if let Ok(key) = dn::canonical(certificate.subject) {
            by_subject.entry(key).or_default().push(index);
        }
    }
    for (index, (_, certificate)) in parsed.iter().enumerate() {
        if self_signed.get(index).copied().unwrap_or(true) {
            continue;
        }
        let Ok(issuer) = dn::canonical(certificate.issuer) else {
            continue;
        };
        let Some(candidates) = by_subject.get(&issuer) else {
            continue;
        };
        let found = candidates
            .iter()
            .copied()
            .filter(|c| *c != index)
            .filter(|candidate| {
                parsed
                    .get(*candidate)
                    .is_some_and(|(_, issuer)| key_ids_agree(issuer, certificate))
            })
            .take(MAX_ISSUER_CANDIDATES_VERIFIED)
            .find(|candidate| {
                parsed.get(*candidate).is_some_and(|(_, issuer)| {
                    match signature::verify(&issuer.public_key, certificate) {
                        Ok(verified) => verified,
                        // A build without signature verification (the browser's): the name matched,
                        // and the key identifiers must agree where both certificates have one.
                        Err(signature::VerifyError::NotInThisBuild) => {
                            key_ids_agree(issuer, certificate)
                        }
                        Err(_) => false,
                    }
                })
            });
        if let Some(report) = reports.get_mut(index) {
            report.issued_by = found;
        }
    }
}

/// Whether `certificate`'s authorityKeyIdentifier names `issuer`'s subjectKeyIdentifier, or either is
/// absent (then only the names link them).
pub(crate) fn key_ids_agree(issuer: &Certificate<'_>, certificate: &Certificate<'_>) -> bool {
    let authority = certificate
        .authority_key_id
        .as_ref()
        .and_then(|a| a.key_id.as_deref());
    match (authority, issuer.subject_key_id.as_deref()) {
        (Some(authority), Some(subject)) => authority == subject,
        _ => true,
    }
}

fn warnings(
    certificate: &Certificate<'_>,
    report: &CertificateReport,
    now: UnixTime,
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let not_after = certificate.not_after.unix;
    let not_before = certificate.not_before.unix;
    let days = report.days_left;
    if now >= not_after {
        // days_left is -1 during the first day after expiry, -2 during the second, ...
        let when = match days.saturating_neg().saturating_sub(1) {
            ..=0 => "less than a day ago".to_owned(),
            1 => "1 day ago".to_owned(),
            n => format!("{n} days ago"),
        };
        warnings.push(Warning {
            code: WarningCode::Expired,
            message: format!(
                "Expired on {} ({when}). Atlas refuses a CA bundle that holds an expired certificate: remove it or \
                 replace it with its renewed version.",
                report.not_after
            ),
        });
    } else if not_after.saturating_sub(now) < EXPIRES_SOON_DAYS * 86_400 {
        let when = match days {
            0 => "in less than a day".to_owned(),
            1 => "in 1 day".to_owned(),
            n => format!("in {n} days"),
        };
        warnings.push(Warning {
            code: WarningCode::ExpiresSoon,
            message: format!(
                "Expires on {} ({when}). Add its renewed version to the bundle before then, or client certificates \
                 it issued will stop being accepted.",
                report.not_after
            ),
        });
    }
    if now < not_before {
        let until = time::whole_days_until(not_before, now);
        let when = match until {
            0 => "in less than a day".to_owned(),
            1 => "in 1 day".to_owned(),
            n => format!("in {n} days"),
        };
        warnings.push(Warning {
            code: WarningCode::NotYetValid,
            message: format!(
                "Not valid yet: valid from {} ({when}). Until then, client certificates it issued are refused.",
                report.not_before
            ),
        });
    }
    if !report.is_ca {
        let why = match certificate.basic_constraints {
            None => "it has no basicConstraints extension",
            Some(_) => "its basicConstraints extension says cA=FALSE",
        };
        warnings.push(Warning {
            code: WarningCode::NotACa,
            message: format!(
                "Not a CA certificate: {why}, so it cannot be used to verify client certificates. A CA bundle \
                 should hold the certificates of the CAs that issue them."
            ),
        });
    }
    let facts = &certificate.key_facts;
    if let Some(bits) = facts.bits {
        let weak = match facts.kind {
            KeyKind::Rsa | KeyKind::RsaPss | KeyKind::Dsa => bits < 2048,
            KeyKind::Ec => bits < 256,
            _ => false,
        };
        if weak {
            let advice = if facts.kind == KeyKind::Ec {
                "use P-256 or a larger curve"
            } else {
                "use at least 2048 bits"
            };
            let curve = facts
                .curve
                .as_deref()
                .map(|c| format!(" on {c}"))
                .unwrap_or_default();
            warnings.push(Warning {
                code: WarningCode::WeakKey,
                message: format!(
                    "Weak key: the {} key{curve} has only {bits} bits; {advice}.",
                    facts.algorithm
                ),
            });
        }
    }
    if let Some(hash) = signature::weak_hash(certificate.signature_algorithm.oid.as_bytes()) {
        let message = if report.self_signed {
            format!(
                "Weak signature: self-signed with {}, which relies on {hash}, a hash that is no longer safe \
                 against forgery. openssl does not check a trusted root's own signature, so it still works, but \
                 prefer a root signed with SHA-256 or stronger.",
                report.signature_algorithm
            )
        } else {
            format!(
                "Weak signature: signed with {}, which relies on {hash}, a hash that is no longer safe against \
                 forgery; OpenSSL 3 refuses such a signature in a chain at its default security level (\"CA \
                 signature digest algorithm too weak\"). Reissue it with SHA-256 or stronger.",
                report.signature_algorithm
            )
        };
        warnings.push(Warning {
            code: WarningCode::WeakSignature,
            message,
        });
    }
    warnings
}

/// Uppercase hex, colon-separated.
fn fingerprint(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        dn::push_hex_upper(&mut out, std::slice::from_ref(b));
    }
    out
}

/// The problem for a certificate block whose DER is not a usable certificate, saying what the data
/// looks like when it is something else (a private key is reported as such).
/// A certificate `x509-cert` refuses for DER's strictness.
fn not_der(found: &Decoded, reason: &str, offset: Option<usize>, source: Source) -> Problem {
    let where_ = match source {
        Source::Text => format!("Block {} (line {})", found.block, found.line),
        Source::Der => "The file".to_owned(),
    };
    let at = offset.map_or_else(String::new, |o| format!(" at byte {o}"));
    Problem {
        code: ProblemCode::NotDer,
        block: found.block,
        line: found.line,
        message: format!(
            "{where_}: the certificate is not valid DER{at}: {reason}. openssl (and so MongoDB) may read it, \
             but rustls, Go and Java clients refuse it: re-issue the certificate."
        ),
    }
}

fn not_a_certificate(found: &Decoded, error: &str, source: Source) -> Problem {
    let where_ = match source {
        Source::Text => format!("Block {} (line {})", found.block, found.line),
        Source::Der => "The file".to_owned(),
    };
    let (code, message) = match guess(&found.der) {
        Guess::PrivateKey => (
            ProblemCode::PrivateKey,
            format!(
                "{where_}: this holds a private key, not a certificate. A CA bundle holds only certificates, and a \
                 private key must never be uploaded: remove it and keep the key secret."
            ),
        ),
        Guess::Pkcs12 => (
            ProblemCode::NotACertificate,
            format!(
                "{where_}: this is a PKCS #12 (.p12/.pfx) file, which may hold private keys. Extract the CA \
                 certificates with `openssl pkcs12 -in file.p12 -cacerts -nokeys -out ca.pem` and use those."
            ),
        ),
        Guess::Pkcs7 => (
            ProblemCode::NotACertificate,
            format!(
                "{where_}: this is a PKCS #7 container, not a certificate. Extract its certificates with \
                 `openssl pkcs7 -inform DER -in file.p7b -print_certs -out certs.pem` and use those."
            ),
        ),
        Guess::CertificateRequest => (
            ProblemCode::NotACertificate,
            format!(
                "{where_}: this is a certificate signing request (CSR), not a certificate. Sign it with your CA \
                 first and use the resulting certificate."
            ),
        ),
        Guess::Crl => (
            ProblemCode::NotACertificate,
            format!("{where_}: this is a certificate revocation list (CRL), not a certificate: remove it."),
        ),
        Guess::Unknown => (
            ProblemCode::NotACertificate,
            format!("{where_}: the data is not a usable X.509 certificate: {error}."),
        ),
    };
    Problem {
        code,
        block: found.block,
        line: found.line,
        message,
    }
}

enum Guess {
    PrivateKey,
    Pkcs12,
    Pkcs7,
    CertificateRequest,
    Crl,
    Unknown,
}

/// The identifier octet of a SEQUENCE: DER that starts with it may be a certificate.
const SEQUENCE: u8 = 0x30;

/// The first `max` elements of `content`, in order, as far as `der` reads them.
fn elements(content: &[u8], max: usize) -> Vec<AnyRef<'_>> {
    let mut out = Vec::new();
    if let Ok(mut reader) = SliceReader::new(content) {
        while out.len() < max && !reader.is_finished() {
            match reader.decode::<AnyRef<'_>>() {
                Ok(element) => out.push(element),
                Err(_) => break,
            }
        }
    }
    out
}

/// What DER that is not a certificate most likely is, from the shape of its first elements (read by
/// `der` as `AnyRef`s: only their tags and a version's value are looked at).
fn guess(der: &[u8]) -> Guess {
    let Some(outer) = elements(der, 1).pop() else {
        return Guess::Unknown;
    };
    if outer.tag() != Tag::Sequence {
        return Guess::Unknown;
    }
    let fields = elements(outer.value(), 11);
    let Some(first) = fields.first() else {
        return Guess::Unknown;
    };
    let tags: Vec<Tag> = fields.iter().map(|field| field.tag()).collect();
    let integers = tags.iter().filter(|t| **t == Tag::Integer).count();
    match (
        first.tag(),
        first.value(),
        tags.get(1).copied(),
        tags.get(2).copied(),
    ) {
        // PKCS #8 PrivateKeyInfo / OneAsymmetricKey: version, algorithm, key.
        (Tag::Integer, [0 | 1], Some(Tag::Sequence), Some(Tag::OctetString)) => Guess::PrivateKey,
        // RSAPrivateKey (9 integers) and DSA private keys (6).
        (Tag::Integer, [0], Some(Tag::Integer), _) if integers >= 6 => Guess::PrivateKey,
        // ECPrivateKey: version 1, private key octets.
        (Tag::Integer, [1], Some(Tag::OctetString), _) => Guess::PrivateKey,
        // PFX: version 3, authSafe ContentInfo.
        (Tag::Integer, [3], Some(Tag::Sequence), _) => Guess::Pkcs12,
        // ContentInfo: contentType OID, [0] content.
        (Tag::ObjectIdentifier, oid, _, _)
            if oid == known::PKCS7_SIGNED_DATA || oid == known::PKCS7_DATA =>
        {
            Guess::Pkcs7
        }
        // EncryptedPrivateKeyInfo: algorithm, encrypted data.
        (Tag::Sequence, _, Some(Tag::OctetString), None) => Guess::PrivateKey,
        (Tag::Sequence, _, Some(Tag::Sequence), Some(Tag::BitString)) => {
            // A signed structure: look at the start of the signed part.
            let inner = elements(first.value(), 4);
            let tag = |i: usize| inner.get(i).map(|element| element.tag());
            // CertificationRequestInfo's attributes: [0] IMPLICIT SET OF.
            let attributes = Tag::ContextSpecific {
                constructed: true,
                number: ::der::TagNumber::N0,
            };
            match (tag(0), tag(1), tag(2)) {
                // CertificationRequestInfo: version 0, subject Name, SubjectPublicKeyInfo, [0].
                (Some(Tag::Integer), Some(Tag::Sequence), Some(Tag::Sequence))
                    if inner.first().map(|v| v.value()) == Some(&[0][..])
                        && tag(3) == Some(attributes) =>
                {
                    Guess::CertificateRequest
                }
                // TBSCertList: [version,] signature, issuer, thisUpdate.
                (Some(Tag::Sequence), Some(Tag::Sequence), Some(t)) if is_time(t) => Guess::Crl,
                (Some(Tag::Integer), Some(Tag::Sequence), Some(Tag::Sequence))
                    if tag(3).is_some_and(is_time) =>
                {
                    Guess::Crl
                }
                _ => Guess::Unknown,
            }
        }
        _ => Guess::Unknown,
    }
}

fn is_time(tag: Tag) -> bool {
    tag == Tag::UtcTime || tag == Tag::GeneralizedTime
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Text of UTF-16 bytes with a byte order mark (Windows "Unicode" files).
fn utf16_text(bytes: &[u8]) -> Option<String> {
    let (big_endian, body) = match bytes {
        [0xFF, 0xFE, rest @ ..] => (false, rest),
        [0xFE, 0xFF, rest @ ..] => (true, rest),
        _ => return None,
    };
    let units = body.chunks_exact(2).map(|pair| match pair {
        [a, b] if big_endian => u16::from_be_bytes([*a, *b]),
        [a, b] => u16::from_le_bytes([*a, *b]),
        _ => 0xFFFD,
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

#[cfg(test)]
mod tests;
