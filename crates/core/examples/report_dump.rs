//! Prints, one JSON line per input, the `inspect_bundle` report of the system bundle, of each of its
//! certificates alone, and of mutated copies of them (a fixed pseudo-random sequence): run it before and
//! after a change to the certificate reader and diff the outputs (issue 13's differential check).
//!
//!     cargo run -p access-core --example report_dump -- /etc/ssl/certs/ca-certificates.crt > out.jsonl

use access_core::pem_bundle::{der_to_pem, inspect_bundle, inspect_bytes};

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/etc/ssl/certs/ca-certificates.crt".to_owned());
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let now = 1_800_000_000;
    let line = |what: &str, report: &access_core::pem_bundle::BundleReport| {
        println!(
            "{what}\t{}",
            serde_json::to_string(report).unwrap_or_default()
        );
    };
    line("bundle", &inspect_bundle(&text, now));
    let ders = access_core::pem_bundle::certificate_ders(text.as_bytes());
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for (i, der) in ders.iter().enumerate() {
        line(&format!("cert {i}"), &inspect_bytes(der, now));
        for m in 0..40 {
            let mut mutated = der.clone();
            for _ in 0..(next() % 3 + 1) {
                let at = (next() as usize) % mutated.len().max(1);
                if let Some(b) = mutated.get_mut(at) {
                    *b = next() as u8;
                }
            }
            let pem = der_to_pem(&mutated);
            let what = if std::env::var_os("REPORT_DUMP_PEM").is_some() {
                format!("cert {i} mutation {m}\t{}", pem.replace('\n', "|"))
            } else {
                format!("cert {i} mutation {m}")
            };
            line(&what, &inspect_bundle(&pem, now));
        }
    }
}
