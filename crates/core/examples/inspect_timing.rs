//! Times `inspect_bundle` on a PEM bundle (default: the system CA bundle).
//!
//! `cargo run --release -p access-core --example inspect_timing [-- FILE]`

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use access_core::pem_bundle::inspect_bundle;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/etc/ssl/certs/ca-certificates.crt".to_owned());
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("cannot read {path}: {error}");
            std::process::exit(2);
        }
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let report = inspect_bundle(&text, now);
    let runs = 200;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let report = inspect_bundle(&text, now);
        times.push(start.elapsed());
        std::hint::black_box(report);
    }
    times.sort();
    let median = times[runs / 2];
    let best = times[0];
    println!(
        "{path}: {} certificates, {} problems, {} bytes; inspect_bundle median {:.3} ms, best {:.3} ms over {runs} runs",
        report.certificates.len(),
        report.problems.len(),
        text.len(),
        median.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e3,
    );
}
