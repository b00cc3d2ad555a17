//! The diagnosis of damaged PEM base64: a streaming reader that says which character is wrong, so a
//! problem can name its line and column.
//!
//! It never decodes good input: `pem-rfc7468` decodes every PEM block, and `base64ct` encodes. This
//! reader runs only on a block the crate refused, to say where and why in the words the page shows
//! (the crate's errors carry no position in the original, unwrapped text).

const INVALID: u8 = 0xFF;

/// Sextet value of each byte, or `INVALID`.
static DECODE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let alphabet = ALPHABET;
    let mut i = 0;
    while i < 64 {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table
};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base64Error {
    /// A byte outside the base64 alphabet.
    InvalidCharacter(u8),
    /// `=` where it cannot be: before the last group, or as the first or second character of one.
    MisplacedPadding,
    /// Data after the padding that ends the base64 text.
    DataAfterPadding,
    /// The text ends one character into a group of four, which cannot encode anything.
    Truncated,
}

/// Decodes base64 fed one character at a time.
#[derive(Debug, Default)]
pub(crate) struct Decoder {
    out: Vec<u8>,
    group: u32,
    /// Characters of the current group seen (data and padding).
    count: u8,
    padding: u8,
    /// A padded group has ended the data.
    ended: bool,
}

impl Decoder {
    pub fn push(&mut self, c: u8) -> Result<(), Base64Error> {
        if c == b'=' {
            if self.ended || self.count < 2 {
                return Err(Base64Error::MisplacedPadding);
            }
            self.padding += 1;
            self.count += 1;
            if self.count == 4 {
                self.flush();
            }
            return Ok(());
        }
        if self.ended || self.padding > 0 {
            return Err(Base64Error::DataAfterPadding);
        }
        let value = DECODE.get(usize::from(c)).copied().unwrap_or(INVALID);
        if value == INVALID {
            return Err(Base64Error::InvalidCharacter(c));
        }
        self.group = (self.group << 6) | u32::from(value);
        self.count += 1;
        if self.count == 4 {
            self.flush();
        }
        Ok(())
    }

    /// Feeds a line of text, skipping blanks (space, tab, CR, VT, FF). On error, also gives the byte
    /// offset in `bytes` of the offending character.
    pub fn push_line(&mut self, bytes: &[u8]) -> Result<(), (usize, Base64Error)> {
        let mut i = 0;
        while let Some(&byte) = bytes.get(i) {
            // Fast path: four alphabet characters at a group boundary.
            if self.count == 0 && !self.ended {
                if let Some(&[a, b, c, d]) = bytes.get(i..i + 4) {
                    let sextets = [a, b, c, d]
                        .map(|x| DECODE.get(usize::from(x)).copied().unwrap_or(INVALID));
                    if sextets.iter().all(|v| *v != INVALID) {
                        let group = sextets
                            .iter()
                            .fold(0u32, |acc, v| (acc << 6) | u32::from(*v));
                        self.out.extend_from_slice(&[
                            (group >> 16) as u8,
                            (group >> 8) as u8,
                            group as u8,
                        ]);
                        i += 4;
                        continue;
                    }
                }
            }
            if !matches!(byte, b' ' | b'\t' | b'\r' | 0x0B | 0x0C) {
                self.push(byte).map_err(|e| (i, e))?;
            }
            i += 1;
        }
        Ok(())
    }

    /// Emits the bytes of a complete (possibly padded) group.
    fn flush(&mut self) {
        let data_chars = self.count - self.padding;
        let group = self.group << (6 * u32::from(4 - data_chars));
        let bytes = [(group >> 16) as u8, (group >> 8) as u8, group as u8];
        let n = usize::from(data_chars.saturating_sub(1));
        self.out.extend_from_slice(bytes.get(..n).unwrap_or(&[]));
        if self.padding > 0 {
            self.ended = true;
        }
        self.group = 0;
        self.count = 0;
        self.padding = 0;
    }

    /// The decoded bytes. An unpadded last group of two or three characters is accepted.
    pub fn finish(mut self) -> Result<Vec<u8>, Base64Error> {
        match self.count {
            0 => Ok(self.out),
            1 => Err(Base64Error::Truncated),
            _ if self.padding > 0 => Err(Base64Error::Truncated),
            _ => {
                self.flush();
                Ok(self.out)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The encoder is `base64ct`'s.
    fn encode(bytes: &[u8]) -> String {
        use base64ct::Encoding as _;
        base64ct::Base64::encode_string(bytes)
    }

    fn decode(text: &str) -> Result<Vec<u8>, Base64Error> {
        let mut d = Decoder::default();
        let mut bytewise = Ok(());
        for c in text.bytes().filter(|c| !c.is_ascii_whitespace()) {
            bytewise = d.push(c);
            if bytewise.is_err() {
                break;
            }
        }
        let bytewise = bytewise.and_then(|()| d.finish());
        // Line by line (fast path) gives the same result.
        let mut lines = Decoder::default();
        let mut error = None;
        for line in text.as_bytes().chunks(7) {
            if let Err((_, e)) = lines.push_line(line) {
                error = Some(e);
                break;
            }
        }
        let by_line = match error {
            Some(e) => Err(e),
            None => lines.finish(),
        };
        assert_eq!(bytewise, by_line, "{text}");
        bytewise
    }

    #[test]
    fn round_trips() {
        for len in 0..40usize {
            let data: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let text = encode(&data);
            assert_eq!(decode(&text).unwrap(), data, "{text}");
            assert_eq!(
                decode(text.trim_end_matches('=')).unwrap(),
                data,
                "unpadded {text}"
            );
        }
        assert_eq!(encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(encode(b"fo"), "Zm8=");
    }

    #[test]
    fn refuses_bad_text() {
        assert_eq!(decode("Zm9v!"), Err(Base64Error::InvalidCharacter(b'!')));
        assert_eq!(decode("Zm8=Zm8="), Err(Base64Error::DataAfterPadding));
        assert_eq!(decode("Z==="), Err(Base64Error::MisplacedPadding));
        assert_eq!(decode("Zm9vY"), Err(Base64Error::Truncated));
        assert_eq!(decode("Zm="), Err(Base64Error::Truncated));
        assert_eq!(decode("Zm=a"), Err(Base64Error::DataAfterPadding));
        assert_eq!(decode("Zm9v YmFy\t"), Ok(b"foobar".to_vec()));
    }
}
