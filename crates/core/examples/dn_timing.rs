//! Times `dn::parse_dn` (parse + canonicalise) per name, on the subjects of a PEM bundle typed back the
//! way people type them (lower-case types, spaces after commas) and as openssl prints them.
//!
//! `cargo run --release -p access-core --example dn_timing [-- FILE]`

use std::time::Instant;

use access_core::dn::parse_dn;
use access_core::pem_bundle::inspect_bundle;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/etc/ssl/certs/ca-certificates.crt".to_owned());
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("cannot read {path}");
        std::process::exit(2);
    };
    let canonical: Vec<String> = inspect_bundle(&text, 0)
        .certificates
        .into_iter()
        .map(|c| c.subject)
        .collect();
    let typed: Vec<String> = canonical
        .iter()
        .map(|s| {
            s.replace("CN=", "cn=")
                .replace(",O=", ", o=")
                .replace(",C=", ", C=")
        })
        .collect();
    for (what, names) in [
        ("as openssl prints them", &canonical),
        ("as typed (cn=, spaces)", &typed),
    ] {
        let ok = names.iter().filter(|n| parse_dn(n).is_ok()).count();
        let runs = 200;
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs {
            let start = Instant::now();
            for name in names {
                std::hint::black_box(parse_dn(std::hint::black_box(name)).ok());
            }
            times.push(start.elapsed() / names.len() as u32);
        }
        times.sort();
        println!(
            "{} names {what} ({ok} parsed): per name median {:?}, min {:?}, max {:?}",
            names.len(),
            times[runs / 2],
            times[0],
            times[runs - 1]
        );
    }
}
