//! Names in the form `/C=US/O=Acme/CN=Jane Doe`, as OpenSSL 1.0 printed them by default and as
//! `-nameopt compat` (`X509_NAME_oneline`) still does: most significant RDN first, `/` before each RDN
//! and `+` between the attributes of one, values unescaped except `\xHH` for bytes that are not
//! printable and, since OpenSSL 3, `\/`, `\+` and `\\`. No crate reads this form, so it is rewritten here into RFC 4514 syntax, least significant
//! RDN first, for the one RFC 4514 parser to read.
//!
//! Older versions wrote no escapes for `/` and `+`, so an unescaped `/` or `+` starts a new attribute
//! only where an attribute type and `=` follow it (`/CN=a/b` is the one attribute `CN=a/b`).

use super::{error, DnParseError, DnParseErrorKind};

/// The name rewritten in RFC 4514 syntax, with where each attribute came from.
pub(super) struct Converted {
    pub text: String,
    /// `(character in text, character in the typed name)` at the start of each attribute.
    starts: Vec<(usize, usize)>,
}

impl Converted {
    /// The position in the typed name of the attribute holding character `position` of the text.
    pub fn original_position(&self, position: usize) -> usize {
        self.starts
            .iter()
            .rev()
            .find(|(converted, _)| *converted <= position)
            .map_or(0, |(_, original)| *original)
    }
}

/// One attribute as typed: its type, value and where it starts.
struct Attr {
    text: String,
    start: usize,
}

/// Rewrites `typed` (which starts with `/`) into RFC 4514 syntax, RDNs reversed.
pub(super) fn to_rfc4514(typed: &str) -> Result<Converted, DnParseError> {
    // Spaces after the name (a paste's) are not part of its last value.
    let chars: Vec<char> = typed.trim_end().chars().collect();
    let mut rdns: Vec<Vec<Attr>> = Vec::new();
    let mut pos = 0;
    while let Some(&separator) = chars.get(pos) {
        // At a separator: '/' starts an RDN, '+' another attribute of the same one.
        let start = pos + 1;
        let type_end = attribute_type_end(&chars, start).ok_or_else(|| {
            if matches!(chars.get(start), None | Some('/') | Some('+')) {
                error(pos, DnParseErrorKind::EmptyRdn { separator })
            } else {
                let attribute: String = chars
                    .get(start..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|c| !matches!(c, '=' | '/' | '+'))
                    .collect();
                error(start, DnParseErrorKind::MissingEquals { attribute })
            }
        })?;
        let mut end = type_end + 1;
        while end < chars.len() && !starts_attribute(&chars, end) {
            // OpenSSL 3 writes `\/`, `\+` and `\\` in values: the next character is the value's.
            end += if chars.get(end) == Some(&'\\') { 2 } else { 1 };
        }
        let end = end.min(chars.len());
        let attribute_type: String = chars
            .get(start..type_end)
            .unwrap_or_default()
            .iter()
            .collect();
        let value = chars.get(type_end + 1..end).unwrap_or_default();
        let text = format!("{attribute_type}={}", escape(value));
        let attr = Attr { text, start };
        match (separator, rdns.last_mut()) {
            ('+', Some(rdn)) => rdn.push(attr),
            _ => rdns.push(vec![attr]),
        }
        pos = end;
    }
    let mut text = String::new();
    let mut starts = Vec::new();
    for (i, rdn) in rdns.iter().rev().enumerate() {
        for (j, attr) in rdn.iter().enumerate() {
            if i > 0 || j > 0 {
                text.push(if j > 0 { '+' } else { ',' });
            }
            starts.push((text.chars().count(), attr.start));
            text.push_str(&attr.text);
        }
    }
    Ok(Converted { text, starts })
}

/// Whether a separator at `pos` starts an attribute: `/` or `+`, then a type, then `=`.
fn starts_attribute(chars: &[char], pos: usize) -> bool {
    matches!(chars.get(pos), Some('/') | Some('+')) && attribute_type_end(chars, pos + 1).is_some()
}

/// The position of the `=` after an attribute type starting at `start`: a name (`CN`, `emailAddress`)
/// or a dotted identifier (`2.5.4.3`).
fn attribute_type_end(chars: &[char], start: usize) -> Option<usize> {
    let first = chars.get(start)?;
    let allowed: fn(char) -> bool = if first.is_ascii_digit() {
        |c| c.is_ascii_digit() || c == '.'
    } else if first.is_ascii_alphabetic() {
        |c| c.is_ascii_alphanumeric() || c == '-'
    } else {
        return None;
    };
    let mut pos = start;
    while chars.get(pos).is_some_and(|c| allowed(*c)) {
        pos += 1;
    }
    (chars.get(pos) == Some(&'=')).then_some(pos)
}

/// A value of this form in RFC 4514 syntax: `\xHH` as `\HH`, the special characters escaped, and a
/// leading `#` or space and a trailing space escaped.
fn escape(value: &[char]) -> String {
    let mut out = String::with_capacity(value.len() + 4);
    let mut i = 0;
    while let Some(&c) = value.get(i) {
        let hex_escape = c == '\\'
            && value.get(i + 1) == Some(&'x')
            && value.get(i + 2).is_some_and(char::is_ascii_hexdigit)
            && value.get(i + 3).is_some_and(char::is_ascii_hexdigit);
        if hex_escape {
            out.push('\\');
            out.extend(value.get(i + 2..i + 4).unwrap_or_default());
            i += 4;
            continue;
        }
        // `\/`, `\+`, `\\` (OpenSSL 3): the character itself.
        let (c, width) = match (c, value.get(i + 1)) {
            ('\\', Some(next)) => (*next, 2),
            _ => (c, 1),
        };
        let edge_space = c == ' ' && (i == 0 || i + width == value.len());
        if matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || edge_space
            || (c == '#' && i == 0)
        {
            out.push('\\');
        }
        out.push(c);
        i += width;
    }
    out
}
