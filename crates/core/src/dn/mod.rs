//! Distinguished names, written exactly as `openssl x509 -noout -subject -nameopt RFC2253,-esc_msb`
//! writes them, and compared as openssl compares them.
//!
//! MongoDB identifies an X.509 user by this string, so it must match openssl byte for byte. The
//! rules below follow OpenSSL 3.0's `do_name_ex`, `do_print_ex`, `do_buf` and `do_esc_char`
//! (crypto/asn1/a_strex.c) with the flags `XN_FLAG_RFC2253` minus `ASN1_STRFLGS_ESC_MSB`:
//!
//! - attributes in reverse order of the encoding, `,` between RDNs and `+` inside a multi-valued RDN
//!   (the reversal applies inside the RDN too: openssl flattens the name and prints it backwards);
//! - openssl's short names (`CN`, `street`, `emailAddress`, ...); an identifier openssl does not know
//!   prints in dotted form and its value as `#` + hex of the value's DER;
//! - string values converted to UTF-8 (BMPString and UniversalString from UCS-2/UCS-4, the 8-bit
//!   types as Latin-1), UTF-8 kept as it is;
//! - `\` before `, + " \ < > ;`, before a leading `#` (unless the value is that one character), before
//!   a leading or trailing space, and `\XX` for control characters and DEL;
//! - values that are not strings (BIT STRING, SEQUENCE, rare universal types) as `#` + hex of DER.
//!
//! Values openssl refuses to load (an INTEGER or OCTET STRING as a value, invalid UTF-8, an odd-length
//! BMPString, a code point beyond Unicode, ...) are errors here too.

mod attribute_types;
mod parse;

pub use parse::{
    parse_dn, BerProblem, DistinguishedName, DnParseError, DnParseErrorKind, Normalisation,
    OpensslForm, MAX_DN_INPUT_BYTES,
};

use crate::asn1::{tag, Reader, TagName, Tlv, TlvError};
use crate::oid;

/// Why a name cannot be read. openssl refuses certificates with such names as well.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// The bytes are not well-formed DER elements.
    #[error("{0}")]
    Encoding(#[from] TlvError),
    /// An element of another type than the name's structure (a SEQUENCE OF RDN SETs of attribute
    /// SEQUENCEs) needs there.
    #[error("expected {expected}, found {}", TagName(*found))]
    UnexpectedTag {
        /// The element expected, in words (`a SEQUENCE of RDNs`, `an attribute (a SEQUENCE)`).
        expected: &'static str,
        /// The identifier octet found.
        found: u8,
    },
    /// An attribute's type is not an OBJECT IDENTIFIER.
    #[error("attribute {index}: its type is not a valid object identifier")]
    BadAttributeType {
        /// The attribute's 1-based position in the name, in encoding order.
        index: usize,
    },
    /// An attribute is not a SEQUENCE of a type and a value.
    #[error("attribute {index}: expected a type and a value, found something else")]
    BadAttribute {
        /// The attribute's 1-based position in the name, in encoding order.
        index: usize,
    },
    /// An attribute's value has a universal type openssl does not print in a name.
    #[error("attribute {index} ({attribute}): a name cannot hold a value of type {}", TagName(*tag))]
    ValueType {
        /// The attribute's 1-based position in the name, in encoding order.
        index: usize,
        /// The attribute type, as openssl names it (or its dotted OID).
        attribute: String,
        /// The value's identifier octet.
        tag: u8,
    },
    /// An attribute's value breaks its string type's rules (e.g. a BMPString of an odd length).
    #[error("attribute {index} ({attribute}): {problem}")]
    BadValue {
        /// The attribute's 1-based position in the name, in encoding order.
        index: usize,
        /// The attribute type, as openssl names it (or its dotted OID).
        attribute: String,
        /// What is wrong, in words.
        problem: &'static str,
    },
}

/// One attribute of a name, in encoding order.
struct Entry<'a> {
    /// Content octets of the attribute type.
    oid: &'a [u8],
    value: Tlv<'a>,
    /// 0-based RDN the attribute belongs to.
    rdn: usize,
}

/// How openssl shows a value: which text conversion applies, or a hex dump.
#[derive(Clone, Copy)]
enum ValueKind {
    /// UTF8String: kept as it is.
    Utf8,
    /// NumericString, PrintableString, T61String, IA5String: one byte per character (Latin-1).
    Latin1,
    /// BMPString: UCS-2, big-endian.
    Ucs2,
    /// UniversalString: UCS-4, big-endian.
    Ucs4,
    /// Anything else openssl accepts: `#` + hex of its DER.
    Dump,
}

/// openssl's short name for an attribute type, if it has one.
pub fn attribute_short_name(oid_content: &[u8]) -> Option<&'static str> {
    attribute_types::ATTRIBUTE_TYPES
        .binary_search_by(|(key, _)| (*key).cmp(oid_content))
        .ok()
        .and_then(|i| attribute_types::ATTRIBUTE_TYPES.get(i))
        .map(|(_, name)| *name)
}

/// The name (the DER of a `Name`, a SEQUENCE of RDN sets) as openssl's RFC 2253 output, e.g.
/// `CN=Example Root CA,O=Example\, Inc.,C=US`.
pub fn rfc2253(name_der: &[u8]) -> Result<String, NameError> {
    let entries = entries(name_der)?;
    let mut out = String::with_capacity(name_der.len());
    let mut previous_rdn = None;
    for entry in entries.iter().rev() {
        if let Some(previous) = previous_rdn {
            out.push(if previous == entry.rdn { '+' } else { ',' });
        }
        previous_rdn = Some(entry.rdn);
        match attribute_short_name(entry.oid) {
            Some(short_name) => {
                out.push_str(short_name);
                out.push('=');
                push_value(&mut out, &entry.value);
            }
            None => {
                // openssl writes the dotted form into an 80-byte buffer: at most 79 characters.
                let mut dotted = oid::dotted(entry.oid);
                dotted.truncate(79);
                out.push_str(&dotted);
                out.push('=');
                push_dump(&mut out, &entry.value);
            }
        }
    }
    Ok(out)
}

/// Whether two names are the same name for openssl (`X509_NAME_cmp` == 0): string values compared
/// after conversion to UTF-8, ASCII case folding, trimming and collapsing of white space, and
/// multi-valued RDNs compared as sets.
pub fn same_name(a_der: &[u8], b_der: &[u8]) -> Result<bool, NameError> {
    if a_der == b_der {
        // Still a valid name?
        entries(a_der)?;
        return Ok(true);
    }
    Ok(canonical(a_der)? == canonical(b_der)?)
}

/// A byte string equal for two names exactly when openssl considers them the same name.
pub(crate) fn canonical(name_der: &[u8]) -> Result<Vec<u8>, NameError> {
    let entries = entries(name_der)?;
    let mut out = Vec::with_capacity(name_der.len() + 8);
    let mut scratch = String::new();
    let mut index = 0;
    while let Some(first) = entries.get(index) {
        let rdn = first.rdn;
        let mut encoded: Vec<Vec<u8>> = Vec::new();
        while let Some(entry) = entries.get(index).filter(|e| e.rdn == rdn) {
            let mut one = Vec::with_capacity(entry.oid.len() + entry.value.value.len() + 8);
            push_len_prefixed(&mut one, entry.oid);
            canonical_value(&mut one, &entry.value, &mut scratch);
            encoded.push(one);
            index += 1;
        }
        encoded.sort_unstable();
        out.push(0xFF);
        for one in encoded {
            push_len_prefixed(&mut out, &one);
        }
    }
    Ok(out)
}

fn push_len_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// openssl's `asn1_string_canon`: the string types become lower-cased, trimmed, space-collapsed
/// UTF-8; other values are kept as they are.
fn canonical_value(out: &mut Vec<u8>, value: &Tlv<'_>, scratch: &mut String) {
    let canonical_string = matches!(
        value.tag,
        tag::UTF8_STRING
            | tag::BMP_STRING
            | tag::UNIVERSAL_STRING
            | tag::PRINTABLE_STRING
            | tag::T61_STRING
            | tag::IA5_STRING
    );
    if !canonical_string {
        out.push(b'D');
        let mut dumped = String::new();
        push_dump(&mut dumped, value);
        push_len_prefixed(out, dumped.as_bytes());
        return;
    }
    scratch.clear();
    for_each_char(value, |c, _, _| scratch.push(c));
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
    let bytes = scratch.as_bytes();
    let start = bytes
        .iter()
        .position(|b| !is_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |i| i + 1);
    let trimmed = bytes.get(start..end).unwrap_or(&[]);
    let mut text = Vec::with_capacity(trimmed.len());
    let mut in_space = false;
    for b in trimmed {
        if is_space(b) {
            if !in_space {
                text.push(b' ');
            }
            in_space = true;
        } else {
            in_space = false;
            text.push(b.to_ascii_lowercase());
        }
    }
    out.push(b'S');
    push_len_prefixed(out, &text);
}

/// Reads the attributes of a name in encoding order, checking each value as openssl does.
fn entries(name_der: &[u8]) -> Result<Vec<Entry<'_>>, NameError> {
    let mut outer = Reader::new(name_der);
    let name = outer.read()?;
    if name.tag != tag::SEQUENCE {
        return Err(NameError::UnexpectedTag {
            expected: "a SEQUENCE of RDNs",
            found: name.tag,
        });
    }
    let mut entries = Vec::with_capacity(8);
    let mut rdns = Reader::inside(&name);
    let mut rdn = 0;
    while !rdns.is_empty() {
        let set = rdns.read()?;
        if set.tag != tag::SET {
            return Err(NameError::UnexpectedTag {
                expected: "an RDN (a SET)",
                found: set.tag,
            });
        }
        let mut attributes = Reader::inside(&set);
        while !attributes.is_empty() {
            let index = entries.len() + 1;
            let attribute = attributes.read()?;
            if attribute.tag != tag::SEQUENCE {
                return Err(NameError::UnexpectedTag {
                    expected: "an attribute (a SEQUENCE)",
                    found: attribute.tag,
                });
            }
            let mut parts = Reader::inside(&attribute);
            let oid = parts.read()?;
            if oid.tag != tag::OID {
                return Err(NameError::BadAttribute { index });
            }
            if !oid::is_valid(oid.value) {
                return Err(NameError::BadAttributeType { index });
            }
            let value = parts.read()?;
            if !parts.is_empty() {
                return Err(NameError::BadAttribute { index });
            }
            check_value(&value).map_err(|problem| {
                let attribute = attribute_short_name(oid.value)
                    .map_or_else(|| oid::dotted(oid.value), str::to_owned);
                match problem {
                    ValueProblem::Type => NameError::ValueType {
                        index,
                        attribute,
                        tag: value.tag,
                    },
                    ValueProblem::Content(problem) => NameError::BadValue {
                        index,
                        attribute,
                        problem,
                    },
                }
            })?;
            entries.push(Entry {
                oid: oid.value,
                value,
                rdn,
            });
        }
        rdn += 1;
    }
    if !outer.is_empty() {
        return Err(NameError::UnexpectedTag {
            expected: "the end of the name",
            found: outer.peek_tag().unwrap_or(0),
        });
    }
    Ok(entries)
}

enum ValueProblem {
    Type,
    Content(&'static str),
}

fn kind(tag: u8) -> ValueKind {
    match tag {
        tag::UTF8_STRING => ValueKind::Utf8,
        0x12 | tag::PRINTABLE_STRING | tag::T61_STRING | tag::IA5_STRING => ValueKind::Latin1,
        tag::BMP_STRING => ValueKind::Ucs2,
        tag::UNIVERSAL_STRING => ValueKind::Ucs4,
        _ => ValueKind::Dump,
    }
}

/// openssl reads a name value as an `ASN1_PRINTABLE`: a universal string type, BIT STRING, SEQUENCE,
/// or a universal tag it has no type for; and it must be able to convert the strings to UTF-8.
fn check_value(value: &Tlv<'_>) -> Result<(), ValueProblem> {
    match value.tag {
        // SEQUENCE (kept whole) and the primitive types openssl accepts.
        tag::SEQUENCE | 0x07 | 0x08 | 0x09 | 0x0B | 0x0D | 0x0E | 0x0F | 0x1D => Ok(()),
        0x12 | tag::PRINTABLE_STRING | tag::T61_STRING | tag::IA5_STRING => Ok(()),
        tag::UTF8_STRING => match std::str::from_utf8(value.value) {
            Ok(_) => Ok(()),
            Err(_) => Err(ValueProblem::Content("the UTF8String is not valid UTF-8")),
        },
        tag::BMP_STRING => {
            if !value.value.len().is_multiple_of(2) {
                return Err(ValueProblem::Content(
                    "the BMPString has an odd number of bytes",
                ));
            }
            if value
                .value
                .chunks_exact(2)
                .any(|c| char::from_u32(u32::from(u16::from_be_bytes([c[0], c[1]]))).is_none())
            {
                return Err(ValueProblem::Content(
                    "the BMPString holds a surrogate code unit, which is not a character",
                ));
            }
            Ok(())
        }
        tag::UNIVERSAL_STRING => {
            if !value.value.len().is_multiple_of(4) {
                return Err(ValueProblem::Content(
                    "the UniversalString length is not a multiple of 4 bytes",
                ));
            }
            if value
                .value
                .chunks_exact(4)
                .any(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])).is_none())
            {
                return Err(ValueProblem::Content(
                    "the UniversalString holds a value that is not a Unicode character",
                ));
            }
            Ok(())
        }
        tag::BIT_STRING => match value.value.first() {
            None => Err(ValueProblem::Content("the BIT STRING is empty")),
            Some(unused) if *unused > 7 => Err(ValueProblem::Content(
                "the BIT STRING declares more than 7 unused bits",
            )),
            Some(_) => Ok(()),
        },
        _ => Err(ValueProblem::Type),
    }
}

/// Calls `f(character, is_first, is_last)` for each character of a string value.
fn for_each_char(value: &Tlv<'_>, mut f: impl FnMut(char, bool, bool)) {
    let bytes = value.value;
    match kind(value.tag) {
        ValueKind::Utf8 => {
            let text = std::str::from_utf8(bytes).unwrap_or("");
            let last = text.len().saturating_sub(1);
            for (i, c) in text.char_indices() {
                f(c, i == 0, i == last);
            }
        }
        ValueKind::Latin1 => {
            let last = bytes.len().saturating_sub(1);
            for (i, b) in bytes.iter().enumerate() {
                f(char::from(*b), i == 0, i == last);
            }
        }
        ValueKind::Ucs2 => {
            let count = bytes.len() / 2;
            for (i, c) in bytes.chunks_exact(2).enumerate() {
                if let Some(c) = char::from_u32(u32::from(u16::from_be_bytes([c[0], c[1]]))) {
                    f(c, i == 0, i + 1 == count);
                }
            }
        }
        ValueKind::Ucs4 => {
            let count = bytes.len() / 4;
            for (i, c) in bytes.chunks_exact(4).enumerate() {
                if let Some(c) = char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])) {
                    f(c, i == 0, i + 1 == count);
                }
            }
        }
        ValueKind::Dump => {}
    }
}

fn push_value(out: &mut String, value: &Tlv<'_>) {
    match kind(value.tag) {
        ValueKind::Dump => push_dump(out, value),
        // Fast path: UTF-8 (or ASCII in an 8-bit type) copied in runs between the characters to escape.
        ValueKind::Utf8 => push_utf8_escaped(out, std::str::from_utf8(value.value).unwrap_or("")),
        ValueKind::Latin1 if value.value.is_ascii() => {
            push_utf8_escaped(out, std::str::from_utf8(value.value).unwrap_or(""))
        }
        _ => for_each_char(value, |c, first, last| push_escaped(out, c, first, last)),
    }
}

/// [`push_escaped`] over a whole string, copying the runs that need no escape at once. Only ASCII
/// characters are ever escaped, so runs split only at character boundaries.
fn push_utf8_escaped(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let last = bytes.len().saturating_sub(1);
    let mut run_start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let special = match b {
            b',' | b'+' | b'"' | b'\\' | b'<' | b'>' | b';' | 0x00..=0x1F | 0x7F => true,
            b'#' => i == 0 && i != last,
            b' ' => i == 0 || i == last,
            _ => false,
        };
        if special {
            out.push_str(text.get(run_start..i).unwrap_or(""));
            push_escaped(out, char::from(*b), i == 0, i == last);
            run_start = i + 1;
        }
    }
    out.push_str(text.get(run_start..).unwrap_or(""));
}

/// openssl's `do_esc_char` with `ESC_2253 | ESC_CTRL`. `first`/`last` mark the first and last
/// character; for a one-character value openssl only applies the "last" rule.
fn push_escaped(out: &mut String, c: char, first: bool, last: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    match c {
        ',' | '+' | '"' | '\\' | '<' | '>' | ';' => {
            out.push('\\');
            out.push(c);
        }
        '#' if first && !last => out.push_str("\\#"),
        ' ' if first || last => out.push_str("\\ "),
        '\0'..='\x1f' | '\x7f' => {
            let b = c as u32 as usize;
            out.push('\\');
            out.push(char::from(HEX[(b >> 4) & 0xF]));
            out.push(char::from(HEX[b & 0xF]));
        }
        _ => out.push(c),
    }
}

/// `#` + uppercase hex of the value's DER, as openssl re-encodes it: a SEQUENCE as it was read, a
/// BIT STRING with its unused bits cleared, anything else with a minimal length.
fn push_dump(out: &mut String, value: &Tlv<'_>) {
    let mut der = Vec::with_capacity(value.raw.len());
    if value.tag == tag::SEQUENCE {
        der.extend_from_slice(value.raw);
    } else if value.tag == tag::BIT_STRING {
        let unused = value.value.first().copied().unwrap_or(0) & 7;
        let bits = value.value.get(1..).unwrap_or(&[]);
        der.push(tag::BIT_STRING);
        if bits.is_empty() {
            der.extend_from_slice(&[0x01, 0x00]);
        } else {
            crate::asn1::push_length(&mut der, bits.len() + 1);
            der.push(unused);
            der.extend_from_slice(bits);
            if let Some(last) = der.last_mut() {
                *last &= 0xFFu8 << unused;
            }
        }
    } else {
        der.push(value.tag);
        crate::asn1::push_length(&mut der, value.value.len());
        der.extend_from_slice(value.value);
    }
    out.push('#');
    push_hex_upper(out, &der);
}

pub(crate) fn push_hex_upper(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.reserve(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xF)]));
    }
}

/// The first CN of a name already printed in this module's RFC 2253 form (a stored username), its
/// value unescaped; `None` without a CN that is a string (a `#` + hex value is not).
///
/// A reader of printed names only, not a parser of typed ones ([`parse_dn`] is): the list of database
/// users shows each user's CN, and the console's first load should not carry the whole parser for it
/// (issue 19). The property tests check it against [`DistinguishedName::common_name`] on every name the
/// parser prints.
pub fn common_name_of_printed(printed: &str) -> Option<String> {
    let mut rest = printed;
    loop {
        let (name, after_name) = rest.split_once('=')?;
        let (raw_value, next) = split_value(after_name);
        // A `#` starts a hex value, except a value that is `#` alone (printed unescaped).
        let hex = raw_value.starts_with('#') && raw_value.len() > 1;
        if name.eq_ignore_ascii_case("CN") && !hex {
            if let Some(value) = unescape_printed(raw_value) {
                return Some(value);
            }
        }
        rest = next?;
    }
}

/// The escaped value up to the first unescaped `,` or `+`, and what follows that separator.
fn split_value(text: &str) -> (&str, Option<&str>) {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ',' | '+' => return (&text[..i], text.get(i + 1..)),
            _ => {}
        }
    }
    (text, None)
}

/// `\X` and `\XX` (hex) escapes undone; `None` if the bytes are not UTF-8.
fn unescape_printed(raw: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0; 4];
            bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let first = chars.next()?;
        match (
            first.to_digit(16),
            chars.peek().and_then(|c| c.to_digit(16)),
        ) {
            (Some(high), Some(low)) => {
                chars.next();
                bytes.push((high * 16 + low) as u8);
            }
            _ => {
                let mut buf = [0; 4];
                bytes.extend_from_slice(first.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests;
