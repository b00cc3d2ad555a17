//! Object identifiers as they appear in certificates: validity as openssl checks it, dotted text as
//! openssl writes it, and the identifiers inspection looks for.

/// Whether `content` (the content octets of an OBJECT IDENTIFIER) is an encoding openssl accepts:
/// not empty, no sub-identifier starting with a `0x80` padding octet, and a last octet that ends
/// its sub-identifier.
pub(crate) fn is_valid(content: &[u8]) -> bool {
    let Some(last) = content.last() else {
        return false;
    };
    if last & 0x80 != 0 {
        return false;
    }
    let mut at_start = true;
    for byte in content {
        if at_start && *byte == 0x80 {
            return false;
        }
        at_start = byte & 0x80 == 0;
    }
    true
}

/// Dotted decimal form (`1.2.840.113549.1.1.11`) of a valid identifier, every arc at full precision.
pub(crate) fn dotted(content: &[u8]) -> String {
    let mut out = String::with_capacity(content.len() * 3);
    let mut first = true;
    let mut arc = Arc::default();
    for byte in content {
        arc.push7(byte & 0x7F);
        if byte & 0x80 != 0 {
            continue;
        }
        if first {
            first = false;
            // The first sub-identifier packs two arcs: 40 * X + Y, X in 0..=2.
            let (x, rest) = arc.split_first_arc();
            out.push(char::from(b'0' + x));
            out.push('.');
            rest.write_decimal(&mut out);
        } else {
            out.push('.');
            arc.write_decimal(&mut out);
        }
        arc = Arc::default();
    }
    out
}

/// One arc value; small ones in a `u64`, larger ones as base-10^9 limbs (openssl switches to a
/// BIGNUM as well, so arbitrarily large arcs print in full).
#[derive(Default)]
struct Arc {
    small: u64,
    /// Little-endian base 10^9 limbs; used once the value no longer fits in `small`.
    big: Vec<u32>,
}

const LIMB: u64 = 1_000_000_000;

impl Arc {
    fn push7(&mut self, bits: u8) {
        if self.big.is_empty() {
            if self.small >> 57 == 0 {
                self.small = (self.small << 7) | u64::from(bits);
                return;
            }
            let mut value = self.small;
            while value > 0 {
                self.big.push((value % LIMB) as u32);
                value /= LIMB;
            }
        }
        let mut carry = u64::from(bits);
        for limb in &mut self.big {
            let v = u64::from(*limb) * 128 + carry;
            *limb = (v % LIMB) as u32;
            carry = v / LIMB;
        }
        while carry > 0 {
            self.big.push((carry % LIMB) as u32);
            carry /= LIMB;
        }
    }

    /// Splits the first sub-identifier `40 * X + Y` into `X` and `Y`.
    fn split_first_arc(self) -> (u8, Arc) {
        if self.big.is_empty() {
            let v = self.small;
            return if v >= 80 {
                (
                    2,
                    Arc {
                        small: v - 80,
                        big: Vec::new(),
                    },
                )
            } else {
                (
                    (v / 40) as u8,
                    Arc {
                        small: v % 40,
                        big: Vec::new(),
                    },
                )
            };
        }
        // A big value is certainly >= 80: subtract 80 from the limbs.
        let mut big = self.big;
        let mut borrow = 80u64;
        for limb in &mut big {
            let v = u64::from(*limb);
            if v >= borrow {
                *limb = (v - borrow) as u32;
                break;
            }
            *limb = (v + LIMB - borrow) as u32;
            borrow = 1;
        }
        while big.len() > 1 && big.last() == Some(&0) {
            big.pop();
        }
        (2, Arc { small: 0, big })
    }

    fn write_decimal(&self, out: &mut String) {
        use std::fmt::Write;
        if self.big.is_empty() {
            let _ = write!(out, "{}", self.small);
            return;
        }
        let mut limbs = self.big.iter().rev();
        if let Some(top) = limbs.next() {
            let _ = write!(out, "{top}");
        }
        for limb in limbs {
            let _ = write!(out, "{limb:09}");
        }
    }
}

/// Content octets of the object identifiers inspection recognises.
pub(crate) mod known {
    // Public key algorithms.
    pub const RSA_ENCRYPTION: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
    pub const RSASSA_PSS: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A];
    pub const EC_PUBLIC_KEY: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
    pub const DSA: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x38, 0x04, 0x01];
    pub const X25519: &[u8] = &[0x2B, 0x65, 0x6E];
    pub const X448: &[u8] = &[0x2B, 0x65, 0x6F];
    pub const ED25519: &[u8] = &[0x2B, 0x65, 0x70];
    pub const ED448: &[u8] = &[0x2B, 0x65, 0x71];

    // Named curves.
    pub const PRIME192V1: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x01];
    pub const PRIME256V1: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
    pub const SECP224R1: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x21];
    pub const SECP384R1: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x22];
    pub const SECP521R1: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x23];
    pub const SECP256K1: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x0A];
    pub const BRAINPOOL_P256R1: &[u8] = &[0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07];
    pub const BRAINPOOL_P384R1: &[u8] = &[0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0B];
    pub const BRAINPOOL_P512R1: &[u8] = &[0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0D];

    // Certificate extensions.

    // Containers people paste by mistake.
    pub const PKCS7_SIGNED_DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02];
    pub const PKCS7_DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_matches_the_usual_forms() {
        assert_eq!(dotted(&[0x55, 0x04, 0x03]), "2.5.4.3");
        assert_eq!(dotted(known::RSA_ENCRYPTION), "1.2.840.113549.1.1.1");
        assert_eq!(dotted(&[0x2A, 0x03, 0x04]), "1.2.3.4");
        assert_eq!(dotted(&[0x00]), "0.0");
        assert_eq!(dotted(&[0x27]), "0.39");
        assert_eq!(dotted(&[0x50]), "2.0");
        // 2.999 encodes as a first sub-identifier of 1079.
        assert_eq!(dotted(&[0x88, 0x37]), "2.999");
    }

    #[test]
    fn dotted_prints_huge_arcs_in_full() {
        // 2^70 in base 128 is 1 followed by ten zero groups.
        let mut arc = vec![0x81u8];
        arc.extend(std::iter::repeat_n(0x80u8, 9));
        arc.push(0x00);
        let mut content = vec![0x2A];
        content.extend(&arc);
        assert_eq!(dotted(&content), format!("1.2.{}", 1u128 << 70));
        assert_eq!(dotted(&arc), format!("2.{}", (1u128 << 70) - 80));
    }

    #[test]
    fn validity_follows_openssl() {
        assert!(is_valid(&[0x55, 0x04, 0x03]));
        assert!(!is_valid(&[]));
        assert!(!is_valid(&[0x55, 0x84]));
        assert!(!is_valid(&[0x80, 0x01]));
        assert!(!is_valid(&[0x55, 0x80, 0x01]));
        assert!(is_valid(&[0x55, 0x81, 0x80, 0x01]));
    }
}
