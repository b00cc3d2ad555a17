//! The access list of a programmatic API key: the IP addresses and CIDR blocks (IPv4 or IPv6) a key may
//! be used from. An empty list lets the key be used from anywhere.

use std::fmt;
use std::net::IpAddr;

/// One entry: an address and a prefix length (32 / 128 for a single address).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccessListEntry {
    network: IpAddr,
    prefix: u8,
}

/// Why a text is not an access list entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessListError {
    /// The entry is empty (`INVALID_IP_ADDRESS_OR_CIDR_NOTATION`).
    #[error("the entry is empty: give an IP address (192.0.2.7) or a CIDR block (10.0.0.0/8)")]
    Empty,
    /// The text (before any `/`) is not an IPv4 or IPv6 address
    /// (`INVALID_IP_ADDRESS_OR_CIDR_NOTATION`).
    #[error("{text:?} is not an IPv4 or IPv6 address")]
    NotAnAddress {
        /// The entry as sent.
        text: String,
    },
    /// The prefix length after `/` is not a number from 0 to 32 (IPv4) or 128 (IPv6)
    /// (`INVALID_CIDR_PREFIX`).
    #[error("{text:?} has a prefix length that is not a number from 0 to {max}")]
    BadPrefix {
        /// The entry as sent.
        text: String,
        /// The largest prefix length of the address's family.
        max: u8,
    },
    /// The block has bits set after its prefix (`10.0.0.1/8`) (`CIDR_HOST_BITS_SET`).
    #[error("{text:?} has bits set after the first {prefix} bits; the block is {suggested}")]
    HostBitsSet {
        /// The entry as sent.
        text: String,
        /// The prefix length.
        prefix: u8,
        /// The block meant, with those bits cleared (`10.0.0.0/8`).
        suggested: String,
    },
}

impl AccessListError {
    /// The stable error code the API answers with.
    pub fn error_code(&self) -> &'static str {
        match self {
            Self::Empty | Self::NotAnAddress { .. } => "INVALID_IP_ADDRESS_OR_CIDR_NOTATION",
            Self::BadPrefix { .. } => "INVALID_CIDR_PREFIX",
            Self::HostBitsSet { .. } => "CIDR_HOST_BITS_SET",
        }
    }
}

impl AccessListEntry {
    /// Reads `192.0.2.7`, `2001:db8::1`, `10.0.0.0/8` or `2001:db8::/32` (surrounding spaces ignored). A
    /// block with bits set after its prefix (`10.0.0.1/8`) is refused, naming the block meant.
    pub fn parse(text: &str) -> Result<AccessListEntry, AccessListError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(AccessListError::Empty);
        }
        let (address, prefix) = match trimmed.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (trimmed, None),
        };
        let network: IpAddr = address.parse().map_err(|_| AccessListError::NotAnAddress {
            text: trimmed.to_owned(),
        })?;
        let max = max_prefix(network);
        let prefix = match prefix {
            None => max,
            Some(digits) => digits
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max && digits.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| AccessListError::BadPrefix {
                    text: trimmed.to_owned(),
                    max,
                })?,
        };
        let masked = mask(network, prefix);
        if masked != network {
            return Err(AccessListError::HostBitsSet {
                text: trimmed.to_owned(),
                prefix,
                suggested: format!("{masked}/{prefix}"),
            });
        }
        Ok(AccessListEntry { network, prefix })
    }

    /// Whether `address` is in this entry. An IPv4-mapped IPv6 address (`::ffff:192.0.2.7`, as a dual-stack
    /// listener reports IPv4 peers) is taken as the IPv4 address.
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        match (self.network, address) {
            (IpAddr::V4(_), IpAddr::V4(_)) | (IpAddr::V6(_), IpAddr::V6(_)) => {
                mask(address, self.prefix) == self.network
            }
            _ => false,
        }
    }

    /// A single address (a /32 or /128 entry).
    pub fn is_single_address(&self) -> bool {
        self.prefix == max_prefix(self.network)
    }

    /// The address (single address) or the network (block).
    pub fn address(&self) -> IpAddr {
        self.network
    }

    /// The prefix length: 32 (IPv4) or 128 (IPv6) for a single address.
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// The block in CIDR notation, also for a single address (`192.0.2.7/32`), as Atlas's `cidrBlock`.
    pub fn cidr_block(&self) -> String {
        format!("{}/{}", self.network, self.prefix)
    }
}

/// A single address prints as the address, a block in CIDR notation.
impl fmt::Display for AccessListEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_single_address() {
            write!(f, "{}", self.network)
        } else {
            write!(f, "{}/{}", self.network, self.prefix)
        }
    }
}

/// Whether a key with this access list may be used from `address`: yes when the list is empty.
pub fn allows(entries: &[AccessListEntry], address: IpAddr) -> bool {
    entries.is_empty() || entries.iter().any(|entry| entry.contains(address))
}

fn max_prefix(address: IpAddr) -> u8 {
    match address {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

fn mask(address: IpAddr, prefix: u8) -> IpAddr {
    match address {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4((bits & mask).into())
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6((bits & mask).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("test address")
    }

    #[test]
    fn reads_addresses_and_blocks_of_both_families() {
        let single = AccessListEntry::parse(" 192.0.2.7 ").expect("address");
        assert!(single.is_single_address());
        assert_eq!(single.to_string(), "192.0.2.7");
        assert_eq!(single.cidr_block(), "192.0.2.7/32");
        let block = AccessListEntry::parse("10.0.0.0/8").expect("block");
        assert_eq!(
            (block.to_string(), block.prefix()),
            ("10.0.0.0/8".into(), 8)
        );
        let v6 = AccessListEntry::parse("2001:db8::/32").expect("v6 block");
        assert_eq!(v6.cidr_block(), "2001:db8::/32");
        assert_eq!(
            AccessListEntry::parse("::1").expect("v6").cidr_block(),
            "::1/128"
        );
        assert_eq!(
            AccessListEntry::parse("0.0.0.0/0")
                .expect("all")
                .to_string(),
            "0.0.0.0/0"
        );
    }

    #[test]
    fn refuses_what_is_not_an_entry_with_a_reason() {
        assert_eq!(AccessListEntry::parse("  "), Err(AccessListError::Empty));
        for text in ["10.0.0", "example.com", "10.0.0.0/8/8", "1.2.3.4.5", "/8"] {
            let error = AccessListEntry::parse(text).expect_err(text);
            assert_eq!(
                error.error_code(),
                if text.contains("/8/") {
                    "INVALID_CIDR_PREFIX"
                } else {
                    "INVALID_IP_ADDRESS_OR_CIDR_NOTATION"
                },
                "{text}: {error}"
            );
        }
        for text in [
            "10.0.0.0/33",
            "10.0.0.0/",
            "10.0.0.0/+8",
            "::/129",
            "10.0.0.0/x",
        ] {
            assert!(
                matches!(
                    AccessListEntry::parse(text),
                    Err(AccessListError::BadPrefix { .. })
                ),
                "{text}"
            );
        }
        let error = AccessListEntry::parse("10.1.2.3/8").expect_err("host bits");
        assert_eq!(
            error.to_string(),
            "\"10.1.2.3/8\" has bits set after the first 8 bits; the block is 10.0.0.0/8"
        );
        assert!(matches!(
            AccessListEntry::parse("2001:db8::1/32"),
            Err(AccessListError::HostBitsSet { suggested, .. }) if suggested == "2001:db8::/32"
        ));
    }

    #[test]
    fn contains_matches_the_block_and_maps_ipv4_in_ipv6() {
        let block = AccessListEntry::parse("10.0.0.0/8").expect("block");
        assert!(block.contains(ip("10.255.0.1")));
        assert!(block.contains(ip("::ffff:10.1.2.3")));
        assert!(!block.contains(ip("11.0.0.1")));
        assert!(!block.contains(ip("::1")));
        let v6 = AccessListEntry::parse("2001:db8::/32").expect("v6");
        assert!(v6.contains(ip("2001:db8:ffff::1")));
        assert!(!v6.contains(ip("2001:db9::1")));
        assert!(!v6.contains(ip("10.0.0.1")));
        let all = AccessListEntry::parse("0.0.0.0/0").expect("all");
        assert!(all.contains(ip("203.0.113.9")));
        assert!(allows(&[], ip("203.0.113.9")), "an empty list allows all");
        assert!(!allows(&[block], ip("127.0.0.1")));
        assert!(allows(&[block, v6], ip("2001:db8::5")));
    }
}
