//! Criterion benchmarks of access-core's certificate inspection and DN parsing, next to the same work
//! done by the openssl CLI and by Python `cryptography`, in one run:
//!
//! `cargo bench -p access-core --bench inspect [-- --noplot]`
//!
//! Environment: `BENCH_BUNDLE` (default `/etc/ssl/certs/ca-certificates.crt`), `BENCH_OPENSSL`
//! (default `openssl`), `BENCH_PYTHON` (a Python with `cryptography`, default
//! `$ACCESS_CONSOLE_TOOLS/bench-venv/bin/python`; its benchmarks are skipped when it cannot run).
//! `scripts/bench core` runs this and writes the figures to docs/benchmarks.md.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use access_core::dn::parse_dn;
use access_core::pem_bundle::inspect_bundle;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

/// The Python side: loads the PEM file, then `iters` times reads every certificate and formats what
/// `inspect_bundle` reports of it (subject, issuer, validity, serial, SHA-256 fingerprint); prints the
/// nanoseconds those iterations took. With `print` it prints the fields once instead.
const PYTHON_INSPECT: &str = include_str!("python_inspect.py");

struct Inputs {
    bundle_path: PathBuf,
    bundle: String,
    one_path: PathBuf,
    one: String,
    openssl: String,
    python: Option<PathBuf>,
    python_script: PathBuf,
    now: i64,
}

fn fail(message: String) -> ! {
    eprintln!("bench inspect: {message}");
    std::process::exit(2);
}

fn inputs() -> Inputs {
    let bundle_path = PathBuf::from(
        std::env::var("BENCH_BUNDLE")
            .unwrap_or_else(|_| "/etc/ssl/certs/ca-certificates.crt".to_owned()),
    );
    let bundle = std::fs::read_to_string(&bundle_path)
        .unwrap_or_else(|e| fail(format!("cannot read {}: {e}", bundle_path.display())));
    let blocks: Vec<String> = pem_blocks(&bundle);
    let Some(first) = blocks.first() else {
        fail(format!("no certificate in {}", bundle_path.display()));
    };
    let dir = std::env::temp_dir().join(format!("access-core-bench-{}", std::process::id()));
    let write = |name: &str, text: &str| -> PathBuf {
        let path = dir.join(name);
        std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&path, text))
            .unwrap_or_else(|e| fail(format!("cannot write {}: {e}", path.display())));
        path
    };
    let one_path = write("one.pem", first);
    let python_script = write("python_inspect.py", PYTHON_INSPECT);
    let python = std::env::var_os("BENCH_PYTHON")
        .map(PathBuf::from)
        .or_else(|| {
            let tools = std::env::var_os("ACCESS_CONSOLE_TOOLS")
                .map(PathBuf::from)
                .or_else(|| {
                    std::env::var_os("HOME")
                        .map(|home| PathBuf::from(home).join(".cache/access-console/tools"))
                })?;
            Some(tools.join("bench-venv/bin/python"))
        })
        .filter(|python| {
            let works = Command::new(python)
                .args(["-c", "import cryptography"])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !works {
                eprintln!(
                    "bench inspect: {} cannot import cryptography: Python benchmarks skipped \
                     (scripts/bootstrap --with-bench installs it)",
                    python.display()
                );
            }
            works
        });
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    Inputs {
        bundle_path,
        one: first.clone(),
        bundle,
        one_path,
        openssl: std::env::var("BENCH_OPENSSL").unwrap_or_else(|_| "openssl".to_owned()),
        python,
        python_script,
        now,
    }
}

/// The `-----BEGIN CERTIFICATE-----` … `-----END CERTIFICATE-----` blocks of `text`.
fn pem_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with("-----BEGIN CERTIFICATE-----") {
            current = Some(String::new());
        }
        if let Some(block) = current.as_mut() {
            block.push_str(line);
            block.push('\n');
        }
        if line.starts_with("-----END CERTIFICATE-----") {
            blocks.extend(current.take());
        }
    }
    blocks
}

/// Runs `command` (stdin: the one set, else none), its output read to the end and dropped; a failure
/// ends the benchmark.
fn run(command: &mut Command) {
    match command.stderr(Stdio::null()).output() {
        Ok(output) if output.status.success() => {
            std::hint::black_box(output.stdout);
        }
        Ok(output) => fail(format!("{command:?}: {}", output.status)),
        Err(e) => fail(format!("{command:?}: {e}")),
    }
}

/// `openssl crl2pkcs7 -nocrl -certfile FILE | openssl pkcs7 -print_certs -noout [-text]`: two
/// processes, every certificate of FILE decoded; its subject and issuer printed, or with `text` all of
/// it (validity, serial, key, extensions, signature; no fingerprint).
fn openssl_print_certs(openssl: &str, file: &Path, text: bool) {
    let first = Command::new(openssl)
        .args(["crl2pkcs7", "-nocrl", "-certfile"])
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut first = first.unwrap_or_else(|e| fail(format!("{openssl} crl2pkcs7: {e}")));
    let Some(pipe) = first.stdout.take() else {
        fail("crl2pkcs7: no stdout".to_owned());
    };
    run(Command::new(openssl)
        .args(["pkcs7", "-print_certs", "-noout"])
        .args(text.then_some("-text"))
        .stdin(pipe));
    match first.wait() {
        Ok(status) if status.success() => {}
        other => fail(format!("{openssl} crl2pkcs7: {other:?}")),
    }
}

/// `openssl x509 -noout -nameopt RFC2253 -subject -issuer -dates -serial -fingerprint -sha256 -in
/// FILE`: one process, the first certificate of FILE, the same fields `inspect_bundle` reports.
fn openssl_x509(openssl: &str, file: &Path) {
    let mut command = Command::new(openssl);
    command
        .args([
            "x509", "-noout", "-nameopt", "RFC2253", "-subject", "-issuer",
        ])
        .args(["-dates", "-serial", "-fingerprint", "-sha256", "-in"])
        .arg(file);
    run(&mut command);
}

/// Times `iters` in-process iterations of the Python side on `file`, as measured by Python itself.
fn python_in_process(python: &Path, script: &Path, file: &Path, iters: u64) -> Duration {
    let output = Command::new(python)
        .arg(script)
        .arg(file)
        .arg(iters.to_string())
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| fail(format!("{}: {e}", python.display())));
    if !output.status.success() {
        let _ = std::io::stderr().write_all(&output.stderr);
        fail(format!("{}: {}", python.display(), output.status));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let nanos: u64 = text
        .trim()
        .parse()
        .unwrap_or_else(|e| fail(format!("python printed {text:?}: {e}")));
    Duration::from_nanos(nanos)
}

fn bundle(c: &mut Criterion) {
    let inputs = inputs();
    let count = inspect_bundle(&inputs.bundle, inputs.now)
        .certificates
        .len();
    println!(
        "{}: {count} certificates, {} bytes",
        inputs.bundle_path.display(),
        inputs.bundle.len()
    );
    let elements = Throughput::Elements(u64::try_from(count).unwrap_or(0));

    let mut group = c.benchmark_group("bundle");
    group.throughput(elements.clone());
    group.bench_function("access-core inspect_bundle", |b| {
        b.iter(|| inspect_bundle(std::hint::black_box(&inputs.bundle), inputs.now))
    });
    group.finish();

    // Other tools: one process per sample at least, so fewer samples. `openssl x509` reads one
    // certificate per process: over the bundle it costs as many times "one certificate/openssl x509"
    // (timing that loop here took minutes).
    let mut group = c.benchmark_group("bundle, other tools");
    group.throughput(elements);
    group.sample_size(10);
    if let Some(python) = &inputs.python {
        group.bench_function("python cryptography, in process", |b| {
            b.iter_custom(|iters| {
                python_in_process(python, &inputs.python_script, &inputs.bundle_path, iters)
            })
        });
        group.bench_function("python cryptography, whole process", |b| {
            b.iter(|| {
                run(Command::new(python)
                    .arg(&inputs.python_script)
                    .arg(&inputs.bundle_path)
                    .arg("print"))
            })
        });
    }
    for (name, text) in [
        ("openssl crl2pkcs7 | pkcs7 -print_certs", false),
        ("openssl crl2pkcs7 | pkcs7 -print_certs -text", true),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| openssl_print_certs(&inputs.openssl, &inputs.bundle_path, text))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("one certificate");
    group.throughput(Throughput::Elements(1));
    group.bench_function("access-core inspect_bundle", |b| {
        b.iter(|| inspect_bundle(std::hint::black_box(&inputs.one), inputs.now))
    });
    group.finish();

    let mut group = c.benchmark_group("one certificate, other tools");
    group.throughput(Throughput::Elements(1));
    group.sample_size(10);
    if let Some(python) = &inputs.python {
        group.bench_function("python cryptography, in process", |b| {
            b.iter_custom(|iters| {
                python_in_process(python, &inputs.python_script, &inputs.one_path, iters)
            })
        });
    }
    for (name, text) in [
        ("openssl crl2pkcs7 | pkcs7 -print_certs", false),
        ("openssl crl2pkcs7 | pkcs7 -print_certs -text", true),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| openssl_print_certs(&inputs.openssl, &inputs.one_path, text))
        });
    }
    group.bench_function("openssl x509", |b| {
        b.iter(|| openssl_x509(&inputs.openssl, &inputs.one_path))
    });
    group.bench_function("openssl version (process start only)", |b| {
        b.iter(|| run(Command::new(&inputs.openssl).arg("version")))
    });
    group.finish();

    if let Some(dir) = inputs.one_path.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn distinguished_names(c: &mut Criterion) {
    let inputs = inputs();
    let canonical: Vec<String> = inspect_bundle(&inputs.bundle, inputs.now)
        .certificates
        .into_iter()
        .map(|c| c.subject)
        .collect();
    // As people type them: lower-case types, spaces after commas.
    let typed: Vec<String> = canonical
        .iter()
        .map(|s| {
            s.replace("CN=", "cn=")
                .replace(",O=", ", o=")
                .replace(",C=", ", C=")
        })
        .collect();
    let mut group = c.benchmark_group("parse_dn");
    group.throughput(Throughput::Elements(
        u64::try_from(canonical.len()).unwrap_or(0),
    ));
    for (what, names) in [
        ("as openssl prints them", &canonical),
        ("as people type them", &typed),
    ] {
        group.bench_with_input(BenchmarkId::from_parameter(what), names, |b, names| {
            b.iter(|| {
                for name in names {
                    std::hint::black_box(parse_dn(std::hint::black_box(name)).ok());
                }
            })
        });
    }
    group.finish();
    if let Some(dir) = inputs.one_path.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = bundle, distinguished_names
}
criterion_main!(benches);
