//! Where a webhook may be sent (issue 14, SSRF): the server resolves a webhook's host when it sends,
//! and refuses to connect when any address it resolves to is not a public unicast address, unless it was
//! started with `--allow-private-webhooks` (on-premises receivers). One rule, here, over
//! [`std::net::IpAddr`]: the server checks every resolved address with it, and connects only to the
//! addresses it checked.
//!
//! Refused ([`is_private_address`]), for IPv4 and for the IPv4 forms inside IPv6 (`::ffff:a.b.c.d`
//! mapped, `::a.b.c.d` compatible, `64:ff9b::a.b.c.d` NAT64):
//!
//! | range | what |
//! |-------|------|
//! | `0.0.0.0/8`, `::` | "this network", unspecified |
//! | `127.0.0.0/8`, `::1` | loopback |
//! | `10/8`, `172.16/12`, `192.168/16` | private (RFC 1918) |
//! | `100.64.0.0/10` | carrier-grade NAT (RFC 6598) |
//! | `169.254.0.0/16`, `fe80::/10` | link-local (cloud metadata at 169.254.169.254) |
//! | `192.0.0.0/24` | IETF protocol assignments |
//! | `192.0.2/24`, `198.51.100/24`, `203.0.113/24`, `2001:db8::/32` | documentation |
//! | `198.18.0.0/15` | benchmarking |
//! | `224.0.0.0/4`, `ff00::/8` | multicast |
//! | `240.0.0.0/4`, `255.255.255.255` | reserved, broadcast |
//! | `fc00::/7` | unique-local |
//! | `fec0::/10` | site-local (deprecated) |

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What the test of a refused webhook says, and what its delivery records.
pub const REFUSED_PRIVATE_ADDRESS: &str = "refused: private address";

/// Whether `ip` is an address a webhook must not reach (see the module's table): everything but public
/// unicast.
pub fn is_private_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_private_v4(v4),
        IpAddr::V6(v6) => is_private_v6(v6),
    }
}

fn is_private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    a == 0
        || a == 127
        || a == 10
        || (a == 172 && (16..=31).contains(&b))
        || (a == 192 && b == 168)
        || (a == 100 && (64..=127).contains(&b))
        || (a == 169 && b == 254)
        || (a == 192 && b == 0 && c == 0)
        || (a == 192 && b == 0 && c == 2)
        || (a == 198 && b == 51 && c == 100)
        || (a == 203 && b == 0 && c == 113)
        || (a == 198 && (b == 18 || b == 19))
        // Multicast 224/4, reserved 240/4 and broadcast 255.255.255.255.
        || a >= 224
}

fn is_private_v6(ip: Ipv6Addr) -> bool {
    let segments = ip.segments();
    // IPv4-mapped (::ffff:a.b.c.d): checked as the IPv4 address it reaches.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_private_v4(v4);
    }
    // IPv4-compatible (::a.b.c.d, deprecated; `::` and `::1` included) and NAT64 (64:ff9b::a.b.c.d).
    let octets = ip.octets();
    let embedded = || Ipv4Addr::new(octets[12], octets[13], octets[14], octets[15]);
    if segments[..6].iter().all(|s| *s == 0) {
        return ip.is_unspecified() || ip.is_loopback() || is_private_v4(embedded());
    }
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_private_v4(embedded());
    }
    let first = segments[0];
    (first & 0xfe00) == 0xfc00 // unique-local fc00::/7
        || (first & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (first & 0xffc0) == 0xfec0 // site-local fec0::/10
        || (first & 0xff00) == 0xff00 // multicast ff00::/8
        || (first == 0x2001 && segments[1] == 0x0db8) // documentation 2001:db8::/32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_every_private_range_and_allows_public_addresses() {
        let table: &[(&str, bool)] = &[
            // IPv4
            ("0.0.0.0", true),
            ("0.1.2.3", true),
            ("127.0.0.1", true),
            ("127.255.255.254", true),
            ("10.0.0.1", true),
            ("172.16.0.1", true),
            ("172.31.255.255", true),
            ("172.15.255.255", false),
            ("172.32.0.1", false),
            ("192.168.1.1", true),
            ("100.64.0.1", true),
            ("100.127.255.255", true),
            ("100.63.255.255", false),
            ("100.128.0.1", false),
            ("169.254.169.254", true),
            ("192.0.0.8", true),
            ("192.0.2.1", true),
            ("198.51.100.7", true),
            ("203.0.113.9", true),
            ("198.18.0.1", true),
            ("198.19.255.255", true),
            ("224.0.0.1", true),
            ("239.255.255.250", true),
            ("240.0.0.1", true),
            ("255.255.255.255", true),
            ("8.8.8.8", false),
            ("1.1.1.1", false),
            ("93.184.216.34", false),
            ("192.0.1.1", false),
            ("192.169.0.1", false),
            // IPv6
            ("::", true),
            ("::1", true),
            ("fc00::1", true),
            ("fd12:3456::1", true),
            ("fe80::1", true),
            ("febf::1", true),
            ("fec0::1", true),
            ("ff02::1", true),
            ("2001:db8::1", true),
            ("2606:4700:4700::1111", false),
            ("2001:4860:4860::8888", false),
            // IPv4 inside IPv6
            ("::ffff:127.0.0.1", true),
            ("::ffff:169.254.169.254", true),
            ("::ffff:10.1.2.3", true),
            ("::ffff:8.8.8.8", false),
            ("::127.0.0.1", true),
            ("::8.8.8.8", false),
            ("64:ff9b::127.0.0.1", true),
            ("64:ff9b::a9fe:a9fe", true),
            ("64:ff9b::8.8.8.8", false),
        ];
        for (text, private) in table {
            let ip: IpAddr = text.parse().expect(text);
            assert_eq!(is_private_address(ip), *private, "{text}");
        }
    }
}
