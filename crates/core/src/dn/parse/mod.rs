//! Distinguished names typed by hand (`CN=Jane Doe, O=MongoDB, C=US`): parsed with RFC 4514 / 2253
//! syntax, encoded as `openssl req -utf8` (string_mask `utf8only`) would encode them in a certificate,
//! and printed back with [`rfc2253`](super::rfc2253). The printed string is the canonical name: it is
//! what openssl shows for a certificate with that subject, which is what MongoDB compares.

use std::borrow::Cow;
use std::fmt;

use super::attribute_types::ATTRIBUTE_TYPES;
use super::{attribute_short_name, check_value, for_each_char, kind, push_dump, ValueKind};
use super::{rfc2253, ValueProblem};
use crate::asn1::{push_length, tag, Reader, TagName, TlvError};

mod slash_form;

/// Longest input accepted, in bytes.
pub const MAX_DN_INPUT_BYTES: usize = 64 * 1024;

/// A parsed distinguished name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistinguishedName {
    canonical: String,
    der: Vec<u8>,
    changes: Vec<Normalisation>,
    /// `(short name or dotted OID, value text)` in printed order.
    attributes: Vec<(String, String)>,
    common_name: Option<usize>,
    reversed_from: Option<OpensslForm>,
}

impl DistinguishedName {
    /// openssl's RFC 2253 string for a certificate with this subject.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }

    /// DER of the `Name` (SEQUENCE OF RDN SET).
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// Why [`canonical`](Self::canonical) differs from the typed input (empty if identical).
    pub fn changes(&self) -> &[Normalisation] {
        &self.changes
    }

    /// The form the name was typed in when it was written most significant attribute first (as
    /// openssl prints names by default) and so was reversed into RFC 2253 order.
    pub fn reversed_from(&self) -> Option<OpensslForm> {
        self.reversed_from
    }

    /// The first CN value as printed, unescaped; `None` without a CN (or a CN that is not a string).
    pub fn common_name(&self) -> Option<&str> {
        self.common_name
            .and_then(|i| self.attributes.get(i))
            .map(|(_, value)| value.as_str())
    }

    /// `(short name, value text)` in printed order. Values that are not strings, and values of
    /// types openssl has no name for, are `#` + hex of their DER, as printed.
    pub fn attributes(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.attributes
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }
}

impl fmt::Display for DistinguishedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical)
    }
}

/// Why a typed name is refused, and at which character (0-based, in `char`s).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("character {}: {kind}", self.position + 1)]
pub struct DnParseError {
    /// The 0-based position, in `char`s of the input, where the problem is (the message shows it
    /// 1-based).
    pub position: usize,
    /// What is wrong there.
    pub kind: DnParseErrorKind,
}

/// What is wrong with a typed name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DnParseErrorKind {
    /// The input is empty or only spaces.
    #[error("the name is empty: write it as type=value pairs, e.g. CN=Jane Doe,O=Example,C=US")]
    Empty,
    /// The input is over [`MAX_DN_INPUT_BYTES`].
    #[error("the name is longer than {max} bytes")]
    TooLong {
        /// The limit, in bytes.
        max: usize,
    },
    /// Two separators with nothing between them, or a separator at the start or end.
    #[error("expected type=value here, found '{separator}': there is nothing between two separators, or a separator at the start or end")]
    EmptyRdn {
        /// The separator found (`,` or `+`).
        separator: char,
    },
    /// An attribute type is not followed by `=`.
    #[error("expected '=' after the attribute type \"{attribute}\"")]
    MissingEquals {
        /// The attribute type as typed.
        attribute: String,
    },
    /// `=` with no attribute type before it.
    #[error("the attribute type before '=' is missing")]
    EmptyType,
    /// A character that cannot be part of an attribute type (a keyword or a dotted OID).
    #[error("'{found}' cannot appear in an attribute type: use a name such as CN or a dotted identifier such as 2.5.4.3")]
    TypeCharacter {
        /// The character.
        found: char,
    },
    /// A keyword openssl does not know as an attribute type.
    #[error("unknown attribute type \"{attribute}\"{}", suggestion.map(|s| format!(": did you mean {s}?")).unwrap_or_default())]
    UnknownType {
        /// The keyword as typed.
        attribute: String,
        /// The known type closest to it, offered as "did you mean".
        suggestion: Option<&'static str>,
    },
    /// A keyword that matches no type exactly and two types' keywords when letter case is ignored.
    #[error("the attribute type \"{attribute}\" is ambiguous: write {first} or {second}")]
    AmbiguousType {
        /// The keyword as typed.
        attribute: String,
        /// One of the types it may mean.
        first: &'static str,
        /// The other.
        second: &'static str,
    },
    /// A dotted attribute type that is not a valid object identifier (RFC 4514 `numericoid`).
    #[error("\"{attribute}\" is not a valid object identifier: {reason}")]
    BadOid {
        /// The dotted text as typed.
        attribute: String,
        /// Why it is not an OID (e.g. a leading zero in an arc).
        reason: &'static str,
    },
    /// An attribute with an empty value, which openssl never puts in a certificate.
    #[error(
        "{attribute} has an empty value: openssl does not put empty attributes in a certificate"
    )]
    EmptyValue {
        /// The attribute type.
        attribute: String,
    },
    /// The value ends with a backslash that escapes nothing.
    #[error("the value ends with a lone backslash: write \\\\ for a backslash")]
    TrailingBackslash,
    /// A backslash followed by a character RFC 4514 does not let be escaped (nor two hex digits).
    #[error("'\\{found}' is not an escape: after a backslash write one of , + \" \\ < > ; # = space, or two hex digits")]
    BadEscape {
        /// The character after the backslash.
        found: char,
    },
    /// A `\` hex escape without two hex digits.
    #[error("a hex escape needs two hex digits (e.g. \\2C)")]
    BadHexEscape,
    /// The bytes of the hex escapes are not UTF-8.
    #[error("the hex escapes do not form valid UTF-8")]
    InvalidUtf8,
    /// A quoted value without its closing `"`.
    #[error("the quoted value is not closed: add a '\"'")]
    UnterminatedQuote,
    /// Text between a closing quote and the next separator.
    #[error(
        "'{found}' after the closing quote: a quoted value must be followed by ',', '+' or the end"
    )]
    TextAfterQuote {
        /// The first such character.
        found: char,
    },
    /// A `<`, `>` or `"` written bare in a value (RFC 4514 requires them escaped).
    #[error("'{found}' must be escaped as \\{found} (or the whole value quoted)")]
    UnescapedCharacter {
        /// The character.
        found: char,
    },
    /// An unescaped `;`: RFC 2253 allowed it between RDNs, RFC 4514 and openssl's RFC 2253 output do
    /// not.
    #[error("';' is not a separator here: use ',' between RDNs, or write \\; for a semicolon in a value")]
    Semicolon,
    /// A `#hex` value (RFC 4514: the DER of the value) holds a character that is not a hex digit.
    #[error("'{found}' is not a hex digit: a value starting with # is the hex of its DER encoding (write \\# for a literal #)")]
    HexValueCharacter {
        /// The character.
        found: char,
    },
    /// A `#hex` value with an odd number of hex digits.
    #[error("the #hex value has an odd number of hex digits")]
    HexValueOddLength,
    /// A `#hex` value whose bytes are not one DER value a name may hold.
    #[error("the #hex value is not a DER value a name can hold: {problem}")]
    BerValue {
        /// What is wrong with the bytes.
        problem: BerProblem,
    },
    /// A character the attribute's string type cannot hold (e.g. `C` is a PrintableString, as
    /// `openssl req -utf8` encodes it).
    #[error("{attribute} cannot contain '{found}': openssl allows only {allowed} there")]
    ValueCharacter {
        /// The attribute type.
        attribute: String,
        /// The character.
        found: char,
        /// The characters the type allows, in words.
        allowed: &'static str,
    },
    /// The value is shorter or longer than openssl's bound for the attribute (e.g. `C` is exactly 2
    /// characters, `CN` at most 64).
    #[error("{attribute} {} (found {length}): openssl refuses it", length_rule(*min, *max))]
    ValueLength {
        /// The attribute type.
        attribute: String,
        /// The value's length, in characters.
        length: usize,
        /// The least length allowed.
        min: usize,
        /// The greatest length allowed.
        max: usize,
    },
}

fn length_rule(min: usize, max: usize) -> String {
    if min == max {
        format!("must be exactly {min} characters long")
    } else {
        format!("can be at most {max} characters long")
    }
}

/// Why a `#hex` value is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BerProblem {
    /// The bytes are not a well-formed TLV (tag, length, value).
    #[error("{0}")]
    Encoding(TlvError),
    /// Bytes follow the first value.
    #[error("bytes follow the value: it must be exactly one element")]
    TrailingBytes,
    /// The value's universal tag is not a type a name value can be.
    #[error("a name cannot hold a value of type {}", TagName(*tag))]
    ValueType {
        /// The tag octet.
        tag: u8,
    },
    /// The content breaks its type's rules (in words).
    #[error("{0}")]
    Content(&'static str),
    /// A string value with no characters.
    #[error("the string is empty")]
    EmptyString,
}

impl DnParseError {
    /// A stable code for the kind of error.
    pub fn error_code(&self) -> &'static str {
        use DnParseErrorKind as K;
        match self.kind {
            K::Empty => "INVALID_DN_EMPTY",
            K::TooLong { .. } => "INVALID_DN_TOO_LONG",
            K::EmptyRdn { .. } => "INVALID_DN_EMPTY_RDN",
            K::MissingEquals { .. } => "INVALID_DN_MISSING_EQUALS",
            K::EmptyType => "INVALID_DN_EMPTY_TYPE",
            K::TypeCharacter { .. } => "INVALID_DN_TYPE_CHARACTER",
            K::UnknownType { .. } => "INVALID_DN_UNKNOWN_TYPE",
            K::AmbiguousType { .. } => "INVALID_DN_AMBIGUOUS_TYPE",
            K::BadOid { .. } => "INVALID_DN_BAD_OID",
            K::EmptyValue { .. } => "INVALID_DN_EMPTY_VALUE",
            K::TrailingBackslash => "INVALID_DN_TRAILING_BACKSLASH",
            K::BadEscape { .. } => "INVALID_DN_BAD_ESCAPE",
            K::BadHexEscape => "INVALID_DN_BAD_HEX_ESCAPE",
            K::InvalidUtf8 => "INVALID_DN_INVALID_UTF8",
            K::UnterminatedQuote => "INVALID_DN_UNTERMINATED_QUOTE",
            K::TextAfterQuote { .. } => "INVALID_DN_TEXT_AFTER_QUOTE",
            K::UnescapedCharacter { .. } => "INVALID_DN_UNESCAPED_CHARACTER",
            K::Semicolon => "INVALID_DN_SEMICOLON",
            K::HexValueCharacter { .. } => "INVALID_DN_HEX_VALUE_CHARACTER",
            K::HexValueOddLength => "INVALID_DN_HEX_VALUE_ODD_LENGTH",
            K::BerValue { .. } => "INVALID_DN_BER_VALUE",
            K::ValueCharacter { .. } => "INVALID_DN_VALUE_CHARACTER",
            K::ValueLength { .. } => "INVALID_DN_VALUE_LENGTH",
        }
    }
}

/// One way the canonical name differs from what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Normalisation {
    /// The name was written most significant attribute first, in one of openssl's other forms, and
    /// its order was reversed into RFC 2253's.
    OrderReversed {
        /// The form it was typed in.
        form: OpensslForm,
    },
    /// A leading `subject=` or `issuer=`, as `openssl x509 -subject` prints, is not part of the name.
    PrefixRemoved {
        /// The prefix removed (`subject=`, `issuer=`).
        prefix: String,
    },
    /// Unescaped spaces around `,` `+` `=` or at the ends were dropped.
    SpacesRemoved,
    /// An attribute type was written as openssl's short name.
    TypeRenamed {
        /// The type as typed (`commonName`, `2.5.4.3`).
        from: String,
        /// The short name printed (`CN`).
        to: String,
    },
    /// A quoted value was rewritten with backslash escapes.
    QuotesReplaced,
    /// Hex escapes were decoded, or escapes openssl does not write were removed.
    EscapesSimplified,
    /// Backslash escapes were added where openssl escapes.
    EscapesAdded,
    /// The attributes of a multi-valued RDN are printed in the certificate's encoding order.
    RdnReordered,
    /// A `#hex` string value is printed as its text.
    HexValueShownAsText,
    /// The value of an attribute type openssl has no name for is printed as `#hex`.
    ValueHexEncoded {
        /// The attribute type, as printed: its dotted OID.
        attribute: String,
    },
    /// A `#hex` value is printed in upper case, as openssl re-encodes it.
    HexValueRewritten,
}

impl fmt::Display for Normalisation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OrderReversed { form: OpensslForm::Default } => f.write_str(
                "Written as openssl x509 -subject prints it by default: most significant attribute first, with \" = \". MongoDB compares the RFC 2253 form, which lists the same attributes the other way round (least significant first), so the order was reversed.",
            ),
            Self::OrderReversed { form: OpensslForm::Slashes } => f.write_str(
                "Written in the /C=…/O=…/CN=… form of older openssl versions: most significant attribute first. MongoDB compares the RFC 2253 form, which lists the same attributes the other way round (least significant first), so the order was reversed.",
            ),
            Self::PrefixRemoved { prefix } => write!(
                f,
                "\"{prefix}\", which openssl prints before the name, is not part of it and was left out."
            ),
            Self::SpacesRemoved => f.write_str(
                "Spaces around separators were removed: MongoDB compares the subject exactly as openssl prints it, without them.",
            ),
            Self::TypeRenamed { from, to } => write!(
                f,
                "\"{from}\" is written \"{to}\", the name openssl prints for that attribute."
            ),
            Self::QuotesReplaced => f.write_str(
                "Quoted values are written with backslash escapes instead, as openssl prints them.",
            ),
            Self::EscapesSimplified => f.write_str(
                "Escapes are written as openssl prints them: plain characters where no escape is needed, \\XX in upper case.",
            ),
            Self::EscapesAdded => f.write_str(
                "Backslashes were added before the characters openssl escapes, as it prints them.",
            ),
            Self::RdnReordered => f.write_str(
                "The attributes joined with + were reordered: openssl prints them in the order of the certificate's encoding.",
            ),
            Self::HexValueShownAsText => f.write_str(
                "A #hex value holding a string is shown as its text, as openssl prints it.",
            ),
            Self::ValueHexEncoded { attribute } => write!(
                f,
                "The value of {attribute} is shown as # and the hex of its encoding: openssl has no name for that attribute type."
            ),
            Self::HexValueRewritten => f.write_str(
                "A #hex value was rewritten in upper case, as openssl prints it.",
            ),
        }
    }
}

/// Parses a typed distinguished name and computes its canonical form.
pub fn parse_dn(input: &str) -> Result<DistinguishedName, DnParseError> {
    if input.len() > MAX_DN_INPUT_BYTES {
        let mut end = MAX_DN_INPUT_BYTES;
        while !input.is_char_boundary(end) {
            end -= 1;
        }
        return Err(DnParseError {
            position: input.get(..end).map_or(0, |s| s.chars().count()),
            kind: DnParseErrorKind::TooLong {
                max: MAX_DN_INPUT_BYTES,
            },
        });
    }
    let (prefix, offset) = openssl_prefix(input);
    let rest = input.get(prefix.map_or(0, str::len)..).unwrap_or_default();
    let shift = |e: DnParseError| DnParseError {
        position: e.position + offset,
        ..e
    };
    let mut dn = match rest.trim_start_matches(' ').strip_prefix('/') {
        Some(_) => {
            let leading = rest.chars().take_while(|c| *c == ' ').count();
            let slashed = rest.get(leading..).unwrap_or_default();
            let converted = slash_form::to_rfc4514(slashed).map_err(|e| {
                shift(DnParseError {
                    position: e.position + leading,
                    ..e
                })
            })?;
            let mut dn = parse_typed(&converted.text, false).map_err(|e| {
                shift(DnParseError {
                    position: converted.original_position(e.position) + leading,
                    ..e
                })
            })?;
            dn.changes.retain(|c| *c != Normalisation::SpacesRemoved);
            dn.changes.insert(
                0,
                Normalisation::OrderReversed {
                    form: OpensslForm::Slashes,
                },
            );
            dn.reversed_from = Some(OpensslForm::Slashes);
            dn
        }
        None => parse_typed(rest, true).map_err(shift)?,
    };
    if let Some(prefix) = prefix {
        dn.changes.insert(
            0,
            Normalisation::PrefixRemoved {
                prefix: prefix.trim_end_matches(' ').to_owned(),
            },
        );
    }
    Ok(dn)
}

/// The forms other than RFC 2253 in which openssl prints a name, most significant attribute first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpensslForm {
    /// `C = US, O = Acme, CN = Jane Doe`: `openssl x509 -subject` without `-nameopt` (OpenSSL 1.1+).
    Default,
    /// `/C=US/O=Acme/CN=Jane Doe`: OpenSSL 1.0's default, `-nameopt compat`, `X509_NAME_oneline`.
    Slashes,
}

/// A leading `subject=` or `issuer=` (any case, spaces around `=`), and the number of characters it
/// takes with the spaces after it.
fn openssl_prefix(input: &str) -> (Option<&str>, usize) {
    let trimmed = input.trim_start_matches(' ');
    let lead = input.len() - trimmed.len();
    for word in ["subject", "issuer"] {
        let Some(head) = trimmed.get(..word.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(word) {
            continue;
        }
        let after_word = trimmed.get(word.len()..).unwrap_or_default();
        let Some(after_equals) = after_word.trim_start_matches(' ').strip_prefix('=') else {
            continue;
        };
        let value = after_equals.trim_start_matches(' ');
        let taken = input.len() - value.len();
        let prefix = input.get(lead..taken).unwrap_or_default();
        let chars = input.get(..taken).map_or(0, |p| p.chars().count());
        return (Some(prefix), chars);
    }
    (None, 0)
}

/// How significant an attribute type is in a name's hierarchy (0 = the most: country, domain), for
/// telling openssl's default form (most significant first) from RFC 2253 typed with spaces.
fn significance(type_text: &str) -> u8 {
    match type_text.to_ascii_lowercase().as_str() {
        "c" | "countryname" | "2.5.4.6" | "dc" | "domaincomponent" => 0,
        "st" | "stateorprovincename" | "s" | "l" | "localityname" => 1,
        "o" | "organizationname" => 2,
        "ou" | "organizationalunitname" => 3,
        _ => 4,
    }
}

/// Whether the name is in openssl's default form: `type = value` everywhere, more than one RDN, and
/// not visibly least significant first already (`CN = x, O = y` typed in RFC 2253 order with spaces).
fn written_most_significant_first(raw: &[Vec<RawAttr>]) -> bool {
    if raw.len() < 2 || !raw.iter().flatten().all(|a| a.spaced_equals) {
        return false;
    }
    let rank = |rdn: Option<&Vec<RawAttr>>| {
        rdn.and_then(|r| r.first())
            .map_or(4, |a| significance(&a.type_text))
    };
    rank(raw.first()) <= rank(raw.last())
}

/// Parses RFC 4514 syntax; with `detect_openssl_order`, a name in openssl's default form is reversed.
fn parse_typed(input: &str, detect_openssl_order: bool) -> Result<DistinguishedName, DnParseError> {
    let chars: Vec<char> = input.chars().collect();
    let mut lexer = Lexer {
        chars: &chars,
        pos: 0,
        spaces_removed: false,
    };
    let mut raw = lexer.rdns()?;
    let spaces_removed = lexer.spaces_removed;
    let reversed = detect_openssl_order && written_most_significant_first(&raw);
    if reversed {
        raw.reverse();
    }

    // Resolve and encode every attribute, in typed order.
    let mut rdns: Vec<Vec<Attribute>> = Vec::with_capacity(raw.len());
    for raw_rdn in &raw {
        let mut rdn = Vec::with_capacity(raw_rdn.len());
        for attr in raw_rdn {
            rdn.push(resolve(attr)?);
        }
        rdns.push(rdn);
    }

    // DER: the first typed RDN is the last of the SEQUENCE; each SET sorted by encoding.
    let mut printed_order: Vec<Vec<usize>> = Vec::with_capacity(rdns.len());
    let mut content = Vec::new();
    for rdn in &rdns {
        let mut order: Vec<usize> = (0..rdn.len()).collect();
        order.sort_by(|a, b| {
            let x = rdn.get(*a).map(|v| v.encoding.as_slice());
            let y = rdn.get(*b).map(|v| v.encoding.as_slice());
            x.cmp(&y)
        });
        // openssl prints the set backwards.
        order.reverse();
        printed_order.push(order);
    }
    for (rdn, order) in rdns.iter().zip(&printed_order).rev() {
        let mut set = Vec::new();
        for i in order.iter().rev() {
            if let Some(attr) = rdn.get(*i) {
                set.extend_from_slice(&attr.encoding);
            }
        }
        content.push(tag::SET);
        push_length(&mut content, set.len());
        content.extend_from_slice(&set);
    }
    let mut der = vec![tag::SEQUENCE];
    push_length(&mut der, content.len());
    der.extend_from_slice(&content);

    let canonical = rfc2253(&der).map_err(|_| DnParseError {
        position: 0,
        kind: DnParseErrorKind::BerValue {
            problem: BerProblem::Content("the name cannot be encoded"),
        },
    })?;

    let mut attributes = Vec::new();
    let mut common_name = None;
    for (rdn, order) in rdns.iter().zip(&printed_order) {
        for i in order {
            if let Some(attr) = rdn.get(*i) {
                if common_name.is_none() && *attr.oid == *CN_OID && attr.is_string {
                    common_name = Some(attributes.len());
                }
                attributes.push((attr.name.clone(), attr.text.clone()));
            }
        }
    }

    let mut changes = if canonical == input {
        Vec::new()
    } else {
        normalisations(&raw, &rdns, &printed_order, &canonical, spaces_removed)
    };
    if reversed {
        changes.insert(
            0,
            Normalisation::OrderReversed {
                form: OpensslForm::Default,
            },
        );
    }

    Ok(DistinguishedName {
        canonical,
        der,
        changes,
        attributes,
        common_name,
        reversed_from: reversed.then_some(OpensslForm::Default),
    })
}

const CN_OID: &[u8] = &[0x55, 0x04, 0x03];

fn normalisations(
    raw: &[Vec<RawAttr>],
    rdns: &[Vec<Attribute>],
    printed_order: &[Vec<usize>],
    canonical: &str,
    spaces_removed: bool,
) -> Vec<Normalisation> {
    let mut out = Vec::new();
    let mut add = |n: Normalisation| {
        if !out.contains(&n) {
            out.push(n);
        }
    };
    if spaces_removed {
        add(Normalisation::SpacesRemoved);
    }
    for (raw_rdn, rdn) in raw.iter().zip(rdns) {
        for (typed, attr) in raw_rdn.iter().zip(rdn) {
            if typed.type_text != attr.name {
                add(Normalisation::TypeRenamed {
                    from: typed.type_text.clone(),
                    to: attr.name.clone(),
                });
            }
        }
    }
    if printed_order
        .iter()
        .any(|order| order.iter().enumerate().any(|(i, j)| i != *j))
    {
        add(Normalisation::RdnReordered);
    }
    // The canonical string, split the same way, says how each value is printed.
    let canonical_chars: Vec<char> = canonical.chars().collect();
    let mut lexer = Lexer {
        chars: &canonical_chars,
        pos: 0,
        spaces_removed: false,
    };
    let Ok(printed) = lexer.rdns() else {
        return out;
    };
    for (((raw_rdn, rdn), order), printed_rdn) in
        raw.iter().zip(rdns).zip(printed_order).zip(&printed)
    {
        for (printed_index, typed_index) in order.iter().enumerate() {
            if let (Some(typed), Some(shown), Some(attr)) = (
                raw_rdn.get(*typed_index),
                printed_rdn.get(printed_index),
                rdn.get(*typed_index),
            ) {
                compare_values(&typed.value, &shown.value, attr, &mut add);
            }
        }
    }
    out
}

fn compare_values(
    typed: &RawValue,
    shown: &RawValue,
    attr: &Attribute,
    add: &mut impl FnMut(Normalisation),
) {
    match (typed.syntax, shown.syntax) {
        (Syntax::Quoted, shown_syntax) => {
            add(Normalisation::QuotesReplaced);
            if shown_syntax == Syntax::Hex {
                add(Normalisation::ValueHexEncoded {
                    attribute: attr.name.clone(),
                });
            }
        }
        (Syntax::Hex, Syntax::Hex) => {
            if typed.bytes != shown.bytes || !typed.hex_upper {
                add(Normalisation::HexValueRewritten);
            }
        }
        (Syntax::Hex, _) => add(Normalisation::HexValueShownAsText),
        (_, Syntax::Hex) => add(Normalisation::ValueHexEncoded {
            attribute: attr.name.clone(),
        }),
        _ => {
            for (a, b) in char_forms(typed).zip(char_forms(shown)) {
                match (a, b) {
                    (Form::Plain, Form::Plain) | (Form::Escaped, Form::Escaped) => {}
                    (Form::Plain, _) => add(Normalisation::EscapesAdded),
                    (Form::Hex { upper: true }, Form::Hex { .. }) => {}
                    _ => add(Normalisation::EscapesSimplified),
                }
            }
        }
    }
}

/// The form of each character of a plain or quoted value.
fn char_forms(value: &RawValue) -> impl Iterator<Item = Form> + '_ {
    let text = std::str::from_utf8(&value.bytes).unwrap_or("");
    text.char_indices()
        .filter_map(|(i, _)| value.forms.get(i).map(|(_, form)| *form))
}

/// A resolved, encoded attribute.
struct Attribute {
    oid: Cow<'static, [u8]>,
    /// Short name, or dotted identifier when openssl has none.
    name: String,
    /// DER of the AttributeTypeAndValue.
    encoding: Vec<u8>,
    /// The value as displayed: text for strings, `#hex` otherwise.
    text: String,
    is_string: bool,
}

fn resolve(attr: &RawAttr) -> Result<Attribute, DnParseError> {
    let (oid, name) = resolve_type(&attr.type_text).map_err(|kind| DnParseError {
        position: attr.type_pos,
        kind,
    })?;
    let value_error = |position, kind| DnParseError { position, kind };
    let value = match attr.value.syntax {
        Syntax::Hex => {
            let mut reader = Reader::new(&attr.value.bytes);
            let tlv = reader.read().map_err(|e| {
                value_error(
                    attr.value_pos,
                    DnParseErrorKind::BerValue {
                        problem: BerProblem::Encoding(e),
                    },
                )
            })?;
            let problem = if !reader.is_empty() {
                Some(BerProblem::TrailingBytes)
            } else {
                match check_value(&tlv) {
                    Err(ValueProblem::Type) => Some(BerProblem::ValueType { tag: tlv.tag }),
                    Err(ValueProblem::Content(c)) => Some(BerProblem::Content(c)),
                    Ok(()) if tlv.value.is_empty() && !matches!(kind(tlv.tag), ValueKind::Dump) => {
                        Some(BerProblem::EmptyString)
                    }
                    Ok(()) => None,
                }
            };
            if let Some(problem) = problem {
                return Err(value_error(
                    attr.value_pos,
                    DnParseErrorKind::BerValue { problem },
                ));
            }
            let mut text = String::new();
            let is_string = !matches!(kind(tlv.tag), ValueKind::Dump) && name_is_short(&name);
            if is_string {
                for_each_char(&tlv, |c, _, _| text.push(c));
            } else {
                push_dump(&mut text, &tlv);
            }
            (tlv.raw.to_vec(), text, is_string)
        }
        Syntax::Plain | Syntax::Quoted => {
            let text = std::str::from_utf8(&attr.value.bytes).map_err(|e| {
                let position = attr
                    .value
                    .forms
                    .get(e.valid_up_to())
                    .map_or(attr.value_pos, |(p, _)| *p);
                value_error(position, DnParseErrorKind::InvalidUtf8)
            })?;
            if text.is_empty() {
                return Err(value_error(
                    attr.value_pos,
                    DnParseErrorKind::EmptyValue {
                        attribute: name.clone(),
                    },
                ));
            }
            let encoded = encode_string(&oid, &name, text, &attr.value, attr.value_pos)?;
            let is_string = name_is_short(&name);
            let shown = if is_string {
                text.to_owned()
            } else {
                let mut shown = String::new();
                let mut reader = Reader::new(&encoded);
                if let Ok(tlv) = reader.read() {
                    push_dump(&mut shown, &tlv);
                }
                shown
            };
            (encoded, shown, is_string)
        }
    };
    let (value, text, is_string) = value;
    let mut content = vec![tag::OID];
    push_length(&mut content, oid.len());
    content.extend_from_slice(&oid);
    content.extend_from_slice(&value);
    let mut encoding = vec![tag::SEQUENCE];
    push_length(&mut encoding, content.len());
    encoding.extend_from_slice(&content);
    Ok(Attribute {
        oid,
        name,
        encoding,
        text,
        is_string,
    })
}

/// Whether openssl has a name for the type (else it prints the value as `#hex`).
fn name_is_short(name: &str) -> bool {
    !name.starts_with(|c: char| c.is_ascii_digit())
}

#[derive(Clone, Copy)]
enum Charset {
    Utf8,
    Printable,
    Ia5,
    Numeric,
    Bmp,
}

/// openssl's `ASN1_STRING_TABLE` (crypto/asn1/a_strnid.c) under `utf8only`: string type, minimum
/// and maximum length in characters. Other types are UTF8String of any length.
fn string_rule(oid: &[u8]) -> (Charset, usize, usize) {
    const NONE: usize = usize::MAX;
    const EMAIL: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01];
    const FRIENDLY_NAME: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x14];
    const DC: &[u8] = &[0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x19];
    const MAIL: &[u8] = &[0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x03];
    const JURISDICTION_C: &[u8] = &[
        0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3C, 0x02, 0x01, 0x03,
    ];
    match oid {
        [0x55, 0x04, 0x03] | [0x55, 0x04, 0x0A] | [0x55, 0x04, 0x0B] => (Charset::Utf8, 1, 64),
        [0x55, 0x04, 0x06] => (Charset::Printable, 2, 2),
        _ if oid == JURISDICTION_C => (Charset::Printable, 2, 2),
        _ if oid == MAIL => (Charset::Ia5, 1, 256),
        [0x55, 0x04, 0x07] | [0x55, 0x04, 0x08] => (Charset::Utf8, 1, 128),
        [0x55, 0x04, 0x04] | [0x55, 0x04, 0x2A] | [0x55, 0x04, 0x2B] | [0x55, 0x04, 0x29] => {
            (Charset::Utf8, 1, 32768)
        }
        [0x55, 0x04, 0x05] => (Charset::Printable, 1, 64),
        [0x55, 0x04, 0x2E] => (Charset::Printable, 0, NONE),
        [0x55, 0x04, 0x62] => (Charset::Printable, 3, 3),
        [0x55, 0x04, 0x63] => (Charset::Numeric, 3, 3),
        [0x2A, 0x85, 0x03, 0x03, 0x81, 0x03, 0x01, 0x01] => (Charset::Numeric, 1, 12),
        [0x2A, 0x85, 0x03, 0x64, 0x01] => (Charset::Numeric, 1, 13),
        [0x2A, 0x85, 0x03, 0x64, 0x03] => (Charset::Numeric, 1, 11),
        _ if oid == EMAIL => (Charset::Ia5, 1, 128),
        _ if oid == DC => (Charset::Ia5, 0, NONE),
        _ if oid == FRIENDLY_NAME => (Charset::Bmp, 0, NONE),
        _ => (Charset::Utf8, 0, NONE),
    }
}

fn is_printable(c: char) -> bool {
    c.is_ascii_alphanumeric() || " '()+,-./:=?".contains(c)
}

fn encode_string(
    oid: &[u8],
    name: &str,
    text: &str,
    value: &RawValue,
    value_pos: usize,
) -> Result<Vec<u8>, DnParseError> {
    let (charset, min, max) = string_rule(oid);
    let (tag, allowed): (u8, &'static str) = match charset {
        Charset::Utf8 => (tag::UTF8_STRING, ""),
        Charset::Printable => (
            tag::PRINTABLE_STRING,
            "letters, digits, space and ' ( ) + , - . / : = ?",
        ),
        Charset::Ia5 => (tag::IA5_STRING, "ASCII characters"),
        Charset::Numeric => (0x12, "digits and spaces"),
        Charset::Bmp => (tag::BMP_STRING, "characters up to U+FFFF"),
    };
    let fits = |c: char| match charset {
        Charset::Utf8 => true,
        Charset::Printable => is_printable(c),
        Charset::Ia5 => c.is_ascii(),
        Charset::Numeric => c.is_ascii_digit() || c == ' ',
        Charset::Bmp => u32::from(c) <= 0xFFFF,
    };
    let mut length = 0;
    for (i, c) in text.char_indices() {
        length += 1;
        if !fits(c) {
            return Err(DnParseError {
                position: value.forms.get(i).map_or(value_pos, |(p, _)| *p),
                kind: DnParseErrorKind::ValueCharacter {
                    attribute: name.to_owned(),
                    found: c,
                    allowed,
                },
            });
        }
    }
    if length < min || length > max {
        return Err(DnParseError {
            position: value_pos,
            kind: DnParseErrorKind::ValueLength {
                attribute: name.to_owned(),
                length,
                min,
                max,
            },
        });
    }
    let content: Vec<u8> = match charset {
        Charset::Bmp => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        _ => text.as_bytes().to_vec(),
    };
    let mut out = vec![tag];
    push_length(&mut out, content.len());
    out.extend_from_slice(&content);
    Ok(out)
}

/// openssl's long names (and the RFC 4514 keywords) for types whose short name differs.
static LONG_NAMES: &[(&[u8], &str)] = &[
    (&[0x55, 0x04, 0x03], "commonName"),
    (&[0x55, 0x04, 0x04], "surname"),
    (&[0x55, 0x04, 0x06], "countryName"),
    (&[0x55, 0x04, 0x07], "localityName"),
    (&[0x55, 0x04, 0x08], "stateOrProvinceName"),
    (&[0x55, 0x04, 0x09], "streetAddress"),
    (&[0x55, 0x04, 0x0A], "organizationName"),
    (&[0x55, 0x04, 0x0B], "organizationalUnitName"),
    (&[0x55, 0x04, 0x2A], "givenName"),
    (&[0x55, 0x04, 0x62], "countryCode3c"),
    (&[0x55, 0x04, 0x63], "countryCode3n"),
    (
        &[0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x01],
        "userId",
    ),
    (
        &[0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x03],
        "rfc822Mailbox",
    ),
    (
        &[0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x19],
        "domainComponent",
    ),
    (
        &[0x09, 0x92, 0x26, 0x89, 0x93, 0xF2, 0x2C, 0x64, 0x01, 0x2C],
        "uniqueIdentifier",
    ),
    (
        &[
            0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3C, 0x02, 0x01, 0x01,
        ],
        "jurisdictionLocalityName",
    ),
    (
        &[
            0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3C, 0x02, 0x01, 0x02,
        ],
        "jurisdictionStateOrProvinceName",
    ),
    (
        &[
            0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3C, 0x02, 0x01, 0x03,
        ],
        "jurisdictionCountryName",
    ),
    (
        &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x09, 0x01],
        "dateOfBirth",
    ),
    (
        &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x09, 0x02],
        "placeOfBirth",
    ),
    (&[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x09, 0x03], "gender"),
    (
        &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x09, 0x04],
        "countryOfCitizenship",
    ),
    (
        &[0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x09, 0x05],
        "countryOfResidence",
    ),
];

/// Other spellings people use. `S` is deliberately not one (it is not openssl's).
static ALIASES: &[(&[u8], &str)] = &[
    (&[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01], "E"),
    (
        &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01],
        "EMAIL",
    ),
];

/// Every keyword with its identifier: short names, long names, aliases.
pub(super) fn keywords() -> impl Iterator<Item = (&'static [u8], &'static str)> {
    ATTRIBUTE_TYPES
        .iter()
        .chain(LONG_NAMES)
        .chain(ALIASES)
        .map(|(oid, name)| (*oid, *name))
}

/// The identifier and printed name of a typed attribute type.
fn resolve_type(text: &str) -> Result<(Cow<'static, [u8]>, String), DnParseErrorKind> {
    let dotted = text
        .get(..4)
        .filter(|prefix| prefix.eq_ignore_ascii_case("oid."))
        .and_then(|_| text.get(4..))
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        .or_else(|| Some(text).filter(|t| t.starts_with(|c: char| c.is_ascii_digit())));
    if let Some(dotted) = dotted {
        let oid = parse_oid(dotted).map_err(|reason| DnParseErrorKind::BadOid {
            attribute: text.to_owned(),
            reason,
        })?;
        if let Some((known, short)) = ATTRIBUTE_TYPES.iter().find(|(o, _)| *o == oid.as_slice()) {
            return Ok((Cow::Borrowed(*known), (*short).to_owned()));
        }
        return Ok((Cow::Owned(oid), dotted.to_owned()));
    }
    let short = |oid: &'static [u8]| attribute_short_name(oid).unwrap_or("").to_owned();
    if let Some((oid, _)) = keywords().find(|(_, k)| *k == text) {
        return Ok((Cow::Borrowed(oid), short(oid)));
    }
    let mut found: Option<(&'static [u8], &'static str)> = None;
    for (oid, keyword) in keywords() {
        if keyword.eq_ignore_ascii_case(text) {
            match found {
                Some((first, first_name)) if first != oid => {
                    return Err(DnParseErrorKind::AmbiguousType {
                        attribute: text.to_owned(),
                        first: first_name,
                        second: keyword,
                    })
                }
                _ => found = Some((oid, keyword)),
            }
        }
    }
    if let Some((oid, _)) = found {
        return Ok((Cow::Borrowed(oid), short(oid)));
    }
    Err(DnParseErrorKind::UnknownType {
        attribute: text.to_owned(),
        suggestion: suggestion(text),
    })
}

/// The keyword within edit distance 1 (same length preferred, then a common type), as its short name.
fn suggestion(text: &str) -> Option<&'static str> {
    let typed: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut same_length: Vec<&'static str> = Vec::new();
    let mut other: Vec<&'static str> = Vec::new();
    for (oid, keyword) in keywords() {
        let candidate: Vec<char> = keyword.chars().map(|c| c.to_ascii_lowercase()).collect();
        if within_one_edit(&typed, &candidate) {
            let short = attribute_short_name(oid).unwrap_or(keyword);
            let list = if candidate.len() == typed.len() {
                &mut same_length
            } else {
                &mut other
            };
            if !list.contains(&short) {
                list.push(short);
            }
        }
    }
    let pick = |list: &[&'static str]| match list {
        [one] => Some(*one),
        _ => {
            let mut common = list.iter().filter(|n| COMMON.contains(n));
            match (common.next(), common.next()) {
                (Some(one), None) => Some(*one),
                _ => None,
            }
        }
    };
    if same_length.is_empty() {
        pick(&other)
    } else {
        pick(&same_length)
    }
}

/// The types people usually write, preferred when several names are one edit away.
const COMMON: &[&str] = &[
    "CN",
    "O",
    "OU",
    "C",
    "L",
    "ST",
    "street",
    "DC",
    "UID",
    "emailAddress",
    "serialNumber",
    "title",
    "SN",
    "GN",
];

fn within_one_edit(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        short.get(prefix + 1..) == long.get(prefix + 1..)
    } else {
        short.get(prefix..) == long.get(prefix + 1..)
    }
}

/// Content octets of a dotted identifier (`2.5.4.3`), as openssl prints it back (at most 79 characters).
fn parse_oid(text: &str) -> Result<Vec<u8>, &'static str> {
    if text.len() > 79 {
        return Err("openssl prints at most 79 characters of an identifier");
    }
    let mut arcs = Vec::new();
    for arc in text.split('.') {
        if arc.is_empty() {
            return Err("an arc between dots is empty");
        }
        if !arc.bytes().all(|b| b.is_ascii_digit()) {
            return Err("arcs are decimal numbers separated by dots");
        }
        if arc.len() > 1 && arc.starts_with('0') {
            return Err("an arc has a leading zero");
        }
        arcs.push(arc.parse::<u128>().map_err(|_| "an arc is too large")?);
    }
    let (Some(first), Some(second)) = (arcs.first().copied(), arcs.get(1).copied()) else {
        return Err("an identifier has at least two arcs");
    };
    if first > 2 {
        return Err("the first arc must be 0, 1 or 2");
    }
    if first < 2 && second > 39 {
        return Err("the second arc must be below 40 when the first is 0 or 1");
    }
    let mut out = Vec::new();
    let mut push = |v: u128| {
        let mut groups = [0u8; 19];
        let mut n = 0;
        let mut v = v;
        loop {
            if let Some(g) = groups.get_mut(n) {
                *g = (v & 0x7F) as u8;
            }
            n += 1;
            v >>= 7;
            if v == 0 {
                break;
            }
        }
        for i in (0..n).rev() {
            let g = groups.get(i).copied().unwrap_or(0);
            out.push(if i == 0 { g } else { g | 0x80 });
        }
    };
    push(
        (first * 40)
            .checked_add(second)
            .ok_or("an arc is too large")?,
    );
    for arc in arcs.iter().skip(2) {
        push(*arc);
    }
    Ok(out)
}

// ---- Lexing -------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Plain,
    Quoted,
    Hex,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Plain,
    /// `\` + the character.
    Escaped,
    /// `\XX`; `upper` when no hex digit was lower case.
    Hex {
        upper: bool,
    },
}

#[derive(Debug)]
struct RawValue {
    syntax: Syntax,
    /// Plain and quoted: the UTF-8 bytes of the text (not yet validated). Hex: the DER.
    bytes: Vec<u8>,
    /// Plain and quoted: per byte, the input position and form of the token that wrote it.
    forms: Vec<(usize, Form)>,
    /// Hex: no digit was lower case.
    hex_upper: bool,
}

#[derive(Debug)]
struct RawAttr {
    type_text: String,
    type_pos: usize,
    value: RawValue,
    value_pos: usize,
    /// Written `type = value`, with a space on both sides of `=`, as openssl prints by default.
    spaced_equals: bool,
}

struct Lexer<'c> {
    chars: &'c [char],
    pos: usize,
    spaces_removed: bool,
}

fn error(position: usize, kind: DnParseErrorKind) -> DnParseError {
    DnParseError { position, kind }
}

fn hex_digit(c: char) -> Option<u8> {
    c.to_digit(16).map(|d| d as u8)
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, pos: usize) -> Option<char> {
        self.chars.get(pos).copied()
    }

    fn skip_spaces(&mut self) {
        let start = self.pos;
        while self.peek() == Some(' ') {
            self.pos += 1;
        }
        if self.pos != start {
            self.spaces_removed = true;
        }
    }

    fn rdns(&mut self) -> Result<Vec<Vec<RawAttr>>, DnParseError> {
        self.skip_spaces();
        if self.peek().is_none() {
            return Err(error(0, DnParseErrorKind::Empty));
        }
        let mut rdns = Vec::new();
        let mut rdn = Vec::new();
        let mut separator = None;
        loop {
            rdn.push(self.attribute(separator)?);
            match self.peek() {
                None => {
                    rdns.push(rdn);
                    return Ok(rdns);
                }
                Some(',') => rdns.push(std::mem::take(&mut rdn)),
                Some('+') => {}
                Some(found) => {
                    return Err(error(self.pos, DnParseErrorKind::TextAfterQuote { found }))
                }
            }
            separator = Some((self.pos, self.peek().unwrap_or(',')));
            self.pos += 1;
        }
    }

    fn attribute(&mut self, separator: Option<(usize, char)>) -> Result<RawAttr, DnParseError> {
        self.skip_spaces();
        let type_pos = self.pos;
        while let Some(c) = self.peek() {
            match c {
                '=' | ',' | '+' => break,
                ';' => return Err(error(self.pos, DnParseErrorKind::Semicolon)),
                _ => self.pos += 1,
            }
        }
        let mut type_end = self.pos;
        while type_end > type_pos && self.peek_at(type_end - 1) == Some(' ') {
            type_end -= 1;
            self.spaces_removed = true;
        }
        let type_chars = self.chars.get(type_pos..type_end).unwrap_or(&[]);
        if self.peek() != Some('=') {
            if type_chars.is_empty() {
                return Err(match self.peek() {
                    Some(found) => error(self.pos, DnParseErrorKind::EmptyRdn { separator: found }),
                    None => {
                        let (pos, sep) = separator.unwrap_or((0, ','));
                        error(pos, DnParseErrorKind::EmptyRdn { separator: sep })
                    }
                });
            }
            if let Some(i) = type_chars.iter().position(|c| *c == ' ') {
                return Err(error(
                    type_pos + i,
                    DnParseErrorKind::TypeCharacter { found: ' ' },
                ));
            }
            return Err(error(
                self.pos,
                DnParseErrorKind::MissingEquals {
                    attribute: type_chars.iter().collect(),
                },
            ));
        }
        if type_chars.is_empty() {
            return Err(error(self.pos, DnParseErrorKind::EmptyType));
        }
        let is_oid_like = type_chars.first().is_some_and(|c| c.is_ascii_digit())
            || (type_chars.len() > 4
                && type_chars
                    .iter()
                    .take(4)
                    .collect::<String>()
                    .eq_ignore_ascii_case("oid."));
        for (i, c) in type_chars.iter().enumerate() {
            let ok = c.is_ascii_alphanumeric() || *c == '-' || (is_oid_like && *c == '.');
            if !ok {
                return Err(error(
                    type_pos + i,
                    DnParseErrorKind::TypeCharacter { found: *c },
                ));
            }
        }
        let type_text: String = type_chars.iter().collect();
        let space_before = type_end < self.pos;
        self.pos += 1; // '='
        let space_after = self.peek() == Some(' ');
        self.skip_spaces();
        let value_pos = self.pos;
        let value = match self.peek() {
            Some('"') => self.quoted()?,
            Some('#') if !self.lone_hash() => self.hex()?,
            _ => self.plain()?,
        };
        Ok(RawAttr {
            type_text,
            type_pos,
            value,
            value_pos,
            spaced_equals: space_before && space_after,
        })
    }

    /// Whether the `#` at the cursor is the whole value (openssl prints a lone `#` unescaped).
    fn lone_hash(&self) -> bool {
        let mut p = self.pos + 1;
        while self.peek_at(p) == Some(' ') {
            p += 1;
        }
        matches!(self.peek_at(p), None | Some(',') | Some('+'))
    }

    fn push_char(value: &mut RawValue, c: char, pos: usize, form: Form) {
        let mut buf = [0u8; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            value.bytes.push(b);
            value.forms.push((pos, form));
        }
    }

    /// Reads the escape at the cursor (a backslash) into `value`.
    fn escape(&mut self, value: &mut RawValue) -> Result<(), DnParseError> {
        let start = self.pos;
        let Some(next) = self.peek_at(start + 1) else {
            return Err(error(start, DnParseErrorKind::TrailingBackslash));
        };
        if let Some(high) = hex_digit(next) {
            let Some(low) = self.peek_at(start + 2).and_then(hex_digit) else {
                return Err(error(start, DnParseErrorKind::BadHexEscape));
            };
            let upper = !next.is_ascii_lowercase()
                && !self
                    .peek_at(start + 2)
                    .is_some_and(|c| c.is_ascii_lowercase());
            value.bytes.push(high << 4 | low);
            value.forms.push((start, Form::Hex { upper }));
            self.pos += 3;
            return Ok(());
        }
        if matches!(
            next,
            ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '#' | '=' | ' '
        ) {
            Self::push_char(value, next, start, Form::Escaped);
            self.pos += 2;
            return Ok(());
        }
        Err(error(start, DnParseErrorKind::BadEscape { found: next }))
    }

    fn new_value(syntax: Syntax) -> RawValue {
        RawValue {
            syntax,
            bytes: Vec::new(),
            forms: Vec::new(),
            hex_upper: true,
        }
    }

    fn plain(&mut self) -> Result<RawValue, DnParseError> {
        let mut value = Self::new_value(Syntax::Plain);
        let mut pending_spaces: Vec<usize> = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                ',' | '+' => break,
                ' ' => {
                    pending_spaces.push(self.pos);
                    self.pos += 1;
                    continue;
                }
                ';' => return Err(error(self.pos, DnParseErrorKind::Semicolon)),
                '<' | '>' | '"' => {
                    return Err(error(
                        self.pos,
                        DnParseErrorKind::UnescapedCharacter { found: c },
                    ))
                }
                _ => {}
            }
            for p in pending_spaces.drain(..) {
                Self::push_char(&mut value, ' ', p, Form::Plain);
            }
            if c == '\\' {
                self.escape(&mut value)?;
            } else {
                Self::push_char(&mut value, c, self.pos, Form::Plain);
                self.pos += 1;
            }
        }
        if !pending_spaces.is_empty() {
            self.spaces_removed = true;
        }
        Ok(value)
    }

    fn quoted(&mut self) -> Result<RawValue, DnParseError> {
        let open = self.pos;
        self.pos += 1;
        let mut value = Self::new_value(Syntax::Quoted);
        loop {
            match self.peek() {
                None => return Err(error(open, DnParseErrorKind::UnterminatedQuote)),
                Some('"') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') => self.escape(&mut value)?,
                Some(c) => {
                    Self::push_char(&mut value, c, self.pos, Form::Plain);
                    self.pos += 1;
                }
            }
        }
        self.skip_spaces();
        match self.peek() {
            None | Some(',') | Some('+') => Ok(value),
            Some(found) => Err(error(self.pos, DnParseErrorKind::TextAfterQuote { found })),
        }
    }

    fn hex(&mut self) -> Result<RawValue, DnParseError> {
        let hash = self.pos;
        self.pos += 1;
        let mut value = Self::new_value(Syntax::Hex);
        let mut high: Option<u8> = None;
        while let Some(c) = self.peek() {
            if matches!(c, ',' | '+' | ' ') {
                break;
            }
            let Some(d) = hex_digit(c) else {
                return Err(error(
                    self.pos,
                    DnParseErrorKind::HexValueCharacter { found: c },
                ));
            };
            if c.is_ascii_lowercase() {
                value.hex_upper = false;
            }
            match high.take() {
                None => high = Some(d),
                Some(h) => value.bytes.push(h << 4 | d),
            }
            self.pos += 1;
        }
        self.skip_spaces();
        match self.peek() {
            None | Some(',') | Some('+') => {}
            Some(found) => {
                return Err(error(
                    self.pos,
                    DnParseErrorKind::HexValueCharacter { found },
                ))
            }
        }
        if high.is_some() {
            return Err(error(hash, DnParseErrorKind::HexValueOddLength));
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests;
