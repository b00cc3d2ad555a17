//! Single DER elements of a distinguished name, handed out exactly as they are encoded. Only names use
//! this module: [`crate::dn`] (printing a name as openssl does, comparing two names) and
//! [`crate::dn::parse_dn`] (reading a typed name and encoding it). Everything else is read by `der` and
//! `x509-cert` (certificates, extensions and keys in [`crate::certificate`], the shape of non-certificate
//! DER in [`crate::pem_bundle`]).
//!
//! Why `der` cannot read names for us, in two points:
//! - `der` sorts a `SET OF` when it decodes one (`SetOfVec` runs `der_sort`), while openssl prints a
//!   multi-valued RDN in the order its bytes hold it; a printed name must match openssl's byte for byte.
//! - `der::Tag` refuses an identifier octet it does not know (`ErrorKind::TagUnknown`): a name value
//!   may carry any universal tag openssl accepts and prints (ObjectDescriptor, VideotexString,
//!   GraphicString, tag 29, ...).
//!
//! So the identifier octet is read here (one byte, low tag numbers only, as names use), the length by
//! [`der::Length`]'s decoder (DER's rules: definite, minimal, at most four octets), and the content is
//! sliced from the input, with its offset for messages. [`push_length`] writes lengths with `der` for
//! the DER [`crate::dn::parse_dn`] builds (and the tests' hand-made certificates).

use std::fmt;

use der::{Decode as _, Encode as _, Reader as _};

/// One element: its identifier octet, its content, and the whole encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The identifier octet (class, constructed bit and tag number below 31).
    pub tag: u8,
    /// The content octets.
    pub value: &'a [u8],
    /// Identifier, length and content octets, as they appear in the input.
    pub raw: &'a [u8],
    /// Offset of the identifier octet from the start of the outermost input.
    pub offset: usize,
}

/// Why an element could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TlvError {
    /// The input ends inside an element's identifier or length.
    #[error("the data ends in the middle of an element (byte {offset})")]
    Truncated {
        /// The byte (of the outermost input) where the element starts.
        offset: usize,
    },
    /// An element's length is larger than what is left of the input.
    #[error(
        "the element at byte {offset} declares {declared} bytes of content but only {available} follow: the data is cut short"
    )]
    CutShort {
        /// The byte (of the outermost input) where the element starts.
        offset: usize,
        /// The content length the element declares, in bytes.
        declared: usize,
        /// The bytes that are left after its header.
        available: usize,
    },
    /// A tag number above 30 (the multi-byte form), which names never use.
    #[error("an element uses a tag number above 30, which certificates never use (byte {offset})")]
    HighTagNumber {
        /// The byte (of the outermost input) where the element starts.
        offset: usize,
    },
    /// The BER indefinite length (`0x80`), which DER forbids.
    #[error("an element has an indefinite length, which DER does not allow (byte {offset})")]
    IndefiniteLength {
        /// The byte (of the outermost input) where the element starts.
        offset: usize,
    },
    /// A length `der` cannot take: more than four length octets, or more than this machine can address.
    #[error("an element declares a length too large to be real (byte {offset})")]
    LengthTooLarge {
        /// The byte (of the outermost input) where the element starts.
        offset: usize,
    },
    /// A length not written in its shortest form, which DER forbids.
    #[error("an element's length is not written in its shortest form, which DER does not allow (byte {offset})")]
    NonMinimalLength {
        /// The byte (of the outermost input) where the element starts.
        offset: usize,
    },
}

/// The identifier octets (universal class) that names and their encoding use.
pub mod tag {
    /// BIT STRING (universal 3).
    pub const BIT_STRING: u8 = 0x03;
    /// OBJECT IDENTIFIER (universal 6).
    pub const OID: u8 = 0x06;
    /// UTF8String (universal 12): the string type `openssl req -utf8` gives most attributes.
    pub const UTF8_STRING: u8 = 0x0C;
    /// PrintableString (universal 19): `C`, `serialNumber` and `dnQualifier` values.
    pub const PRINTABLE_STRING: u8 = 0x13;
    /// TeletexString (universal 20), read as Latin-1 by openssl.
    pub const T61_STRING: u8 = 0x14;
    /// IA5String (universal 22): ASCII, for `emailAddress` and `DC`.
    pub const IA5_STRING: u8 = 0x16;
    /// UniversalString (universal 28): UCS-4, big-endian.
    pub const UNIVERSAL_STRING: u8 = 0x1C;
    /// BMPString (universal 30): UCS-2, big-endian.
    pub const BMP_STRING: u8 = 0x1E;
    /// SEQUENCE / SEQUENCE OF, constructed (0x30).
    pub const SEQUENCE: u8 = 0x30;
    /// SET / SET OF, constructed (0x31): one RDN.
    pub const SET: u8 = 0x31;
}

/// Reads consecutive elements from a slice.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    /// Offset of `data` within the outermost input, for error messages.
    base: usize,
}

impl<'a> Reader<'a> {
    /// A reader over a whole input, at its start.
    pub fn new(data: &'a [u8]) -> Self {
        Self {
            data,
            pos: 0,
            base: 0,
        }
    }

    /// A reader over the content of `tlv`.
    pub fn inside(tlv: &Tlv<'a>) -> Self {
        let header = tlv.raw.len().saturating_sub(tlv.value.len());
        Self {
            data: tlv.value,
            pos: 0,
            base: tlv.offset.saturating_add(header),
        }
    }

    /// Whether every element has been read.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// Offset (from the start of the outermost input) of the next element.
    fn offset(&self) -> usize {
        self.base.saturating_add(self.pos)
    }

    /// The identifier octet of the next element, if any.
    pub fn peek_tag(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// Reads the next element: the identifier octet here, the length by `der`.
    pub fn read(&mut self) -> Result<Tlv<'a>, TlvError> {
        let start = self.pos;
        let offset = self.offset();
        let truncated = TlvError::Truncated { offset };
        let rest = self.data.get(start..).unwrap_or(&[]);
        let (&tag, after_tag) = rest.split_first().ok_or(truncated)?;
        if tag & 0x1F == 0x1F {
            return Err(TlvError::HighTagNumber { offset });
        }
        // Only the length octets are handed to `der` (at most five bytes).
        let length_octets = after_tag.get(..after_tag.len().min(5)).unwrap_or(&[]);
        let mut reader = der::SliceReader::new(length_octets)
            .map_err(|_| TlvError::LengthTooLarge { offset })?;
        let length = der::Length::decode(&mut reader).map_err(|e| match e.kind() {
            der::ErrorKind::IndefiniteLength => TlvError::IndefiniteLength { offset },
            der::ErrorKind::Incomplete { .. } => truncated,
            der::ErrorKind::Overlength
                if length_octets
                    .first()
                    .is_some_and(|first| (0x81..=0x84).contains(first)) =>
            {
                TlvError::NonMinimalLength { offset }
            }
            _ => TlvError::LengthTooLarge { offset },
        })?;
        let length = usize::try_from(length).map_err(|_| TlvError::LengthTooLarge { offset })?;
        let length_len = usize::try_from(reader.position()).unwrap_or(usize::MAX);
        let header = length_len.saturating_add(1);
        let end = start
            .checked_add(header)
            .and_then(|v| v.checked_add(length))
            .ok_or(TlvError::LengthTooLarge { offset })?;
        let raw = self.data.get(start..end).ok_or(TlvError::CutShort {
            offset,
            declared: length,
            available: self.data.len().saturating_sub(start + header),
        })?;
        let value = raw.get(header..).ok_or(truncated)?;
        self.pos = end;
        Ok(Tlv {
            tag,
            value,
            raw,
            offset,
        })
    }
}

/// Plain name of an identifier octet, for messages: `SEQUENCE`, `INTEGER`, `[3]`, ...
pub struct TagName(pub u8);

impl fmt::Display for TagName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let number = self.0 & 0x1F;
        match self.0 & 0xC0 {
            0x80 => return write!(f, "[{number}]"),
            0x40 => return write!(f, "[APPLICATION {number}]"),
            0xC0 => return write!(f, "[PRIVATE {number}]"),
            _ => {}
        }
        let name = match number {
            0 => "end-of-contents",
            1 => "BOOLEAN",
            2 => "INTEGER",
            3 => "BIT STRING",
            4 => "OCTET STRING",
            5 => "NULL",
            6 => "OBJECT IDENTIFIER",
            7 => "ObjectDescriptor",
            8 => "EXTERNAL",
            9 => "REAL",
            10 => "ENUMERATED",
            11 => "EMBEDDED PDV",
            12 => "UTF8String",
            13 => "RELATIVE-OID",
            16 => "SEQUENCE",
            17 => "SET",
            18 => "NumericString",
            19 => "PrintableString",
            20 => "T61String",
            21 => "VideotexString",
            22 => "IA5String",
            23 => "UTCTime",
            24 => "GeneralizedTime",
            25 => "GraphicString",
            26 => "VisibleString",
            27 => "GeneralString",
            28 => "UniversalString",
            30 => "BMPString",
            _ => return write!(f, "universal tag {number}"),
        };
        f.write_str(name)?;
        if self.0 & 0x20 != 0 && number != 16 && number != 17 {
            f.write_str(" (constructed)")?;
        }
        Ok(())
    }
}

/// Appends the DER length octets of `len`, encoded by `der`. Lengths above 4 GiB cannot occur here
/// (inputs are bounded far below that); one would append nothing.
pub fn push_length(out: &mut Vec<u8>, len: usize) {
    if let Ok(length) = der::Length::try_from(len) {
        let _ = length.encode_to_vec(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths() {
        let mut data = vec![0x04, 0x81, 0x80];
        data.extend(std::iter::repeat_n(7u8, 0x80));
        data.extend([0x05, 0x00]);
        let mut r = Reader::new(&data);
        let first = r.read().unwrap();
        assert_eq!(first.tag, 0x04);
        assert_eq!(first.value.len(), 0x80);
        assert_eq!(first.raw.len(), 0x83);
        let second = r.read().unwrap();
        assert_eq!(
            (second.tag, second.value, second.offset),
            (0x05, &[][..], 0x83)
        );
        assert!(r.is_empty());
    }

    #[test]
    fn refuses_truncated_indefinite_and_high_tags() {
        assert_eq!(
            Reader::new(&[0x30, 0x05, 0x01]).read(),
            Err(TlvError::CutShort {
                offset: 0,
                declared: 5,
                available: 1
            })
        );
        assert_eq!(
            Reader::new(&[0x30, 0x80, 0, 0]).read(),
            Err(TlvError::IndefiniteLength { offset: 0 })
        );
        assert_eq!(
            Reader::new(&[0x1F, 0x22, 0]).read(),
            Err(TlvError::HighTagNumber { offset: 0 })
        );
        assert_eq!(
            Reader::new(&[0x30, 0x85, 1, 1, 1, 1, 1]).read(),
            Err(TlvError::LengthTooLarge { offset: 0 })
        );
        assert!(matches!(
            Reader::new(&[0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]).read(),
            Err(TlvError::CutShort {
                offset: 0,
                available: 0,
                ..
            } | TlvError::LengthTooLarge { offset: 0 })
        ));
        assert_eq!(
            Reader::new(&[0x30]).read(),
            Err(TlvError::Truncated { offset: 0 })
        );
    }

    #[test]
    fn length_encoding_is_minimal() {
        for (len, expected) in [
            (0usize, vec![0u8]),
            (0x7F, vec![0x7F]),
            (0x80, vec![0x81, 0x80]),
            (0x1234, vec![0x82, 0x12, 0x34]),
        ] {
            let mut out = Vec::new();
            push_length(&mut out, len);
            assert_eq!(out, expected);
        }
    }
}
