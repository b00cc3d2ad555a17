//! Issue 14, item 4: what a CA bundle can cost. A Database Access Admin could save many certificates
//! sharing one subject with signatures no key of the bundle verifies: issuer linking tried every pair.
//! The work is now bounded (key identifiers compared first, at most
//! `MAX_ISSUER_CANDIDATES_VERIFIED` keys tried per certificate, RSA keys over 4096 bits not used), and a
//! bundle over the caps is refused before it is read. The test counts signature checks (the work); the
//! time is measured and printed, not asserted (speed targets belong in benchmarks).
//!
//! One test per file on purpose: the signature-check counter is process-wide.

mod common;

use std::time::Instant;

use access_core::bundle_limits::{MAX_BUNDLE_BYTES, MAX_BUNDLE_CERTIFICATES};
use access_core::pem_bundle::MAX_ISSUER_CANDIDATES_VERIFIED;
use access_core::signature::checks_so_far;
use common::{assert_error, openssl, Pki, TestServer};

/// `count` CA certificates, all with the subject and issuer `CN=Same`, the same RSA-4096 key, no subject
/// key identifier, signed by another key (not in the bundle): not self-signed, every other certificate a
/// candidate issuer, no candidate's key verifying any signature — the worst case for issuer linking.
fn worst_bundle(pki: &Pki, count: usize) -> String {
    let dir = pki.dir();
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
    openssl(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:4096",
        "-out",
        &path("k1.key"),
    ]);
    openssl(&[
        "req",
        "-new",
        "-key",
        &path("k1.key"),
        "-subj",
        "/CN=Same",
        "-out",
        &path("k1.csr"),
    ]);
    // The signer: a self-signed CA of the same name, not in the bundle.
    let signer = pki.self_signed("/CN=Same", 365);
    let signer_key = pki.write("k0.key", signer.key_pem.as_bytes());
    pki.write(
        "ext.cnf",
        b"[v3_x]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n\
          subjectKeyIdentifier = none\nauthorityKeyIdentifier = keyid:always\n",
    );
    let mut bundle = String::new();
    for serial in 1..=count {
        let out = path(&format!("c{serial}.pem"));
        openssl(&[
            "x509",
            "-req",
            "-in",
            &path("k1.csr"),
            "-CA",
            &signer.path.to_string_lossy(),
            "-CAkey",
            &signer_key.to_string_lossy(),
            "-set_serial",
            &serial.to_string(),
            "-days",
            "365",
            "-extfile",
            &path("ext.cnf"),
            "-extensions",
            "v3_x",
            "-out",
            &out,
        ]);
        bundle.push_str(&std::fs::read_to_string(&out).expect("certificate"));
    }
    bundle
}

#[tokio::test]
async fn the_worst_bundle_under_the_cap_costs_bounded_work_and_larger_ones_are_refused() {
    let t = TestServer::start().await;
    let pki = Pki::new();
    let bundle = worst_bundle(&pki, MAX_BUNDLE_CERTIFICATES);
    assert!(bundle.len() <= MAX_BUNDLE_BYTES);
    // Bounded: one inspection tries at most MAX_ISSUER_CANDIDATES_VERIFIED keys per certificate (none
    // for whether it is self-signed: its names match, its key identifiers do not). A save inspects the
    // bundle twice (its check, then its CA-expiry alerts'); a read reuses the save's inspection.
    let bound = MAX_BUNDLE_CERTIFICATES * MAX_ISSUER_CANDIDATES_VERIFIED;
    let before = checks_so_far();
    let started = Instant::now();
    let (status, body) = t.patch_cas(&bundle).await;
    let saved_in = started.elapsed();
    let save_checks = checks_so_far() - before;
    assert_eq!(status, 200, "{body}");
    assert!(
        save_checks <= 2 * bound,
        "{save_checks} signature checks to save (bound {})",
        2 * bound
    );

    let before = checks_so_far();
    let started = Instant::now();
    let stored = t.stored_cas().await;
    let read_in = started.elapsed();
    let read_checks = checks_so_far() - before;
    assert_eq!(stored.as_deref(), Some(bundle.as_str()));
    // The save's inspection is reused by reads for a minute: reading costs no signature check.
    assert_eq!(read_checks, 0, "a read inspects the bundle again");
    println!(
        "worst bundle of {MAX_BUNDLE_CERTIFICATES} certificates ({} bytes): saved in {saved_in:?} \
         ({save_checks} signature checks), read back in {read_in:?} ({read_checks} checks); \
         without the candidate cap: up to {} checks each (computed)",
        bundle.len(),
        MAX_BUNDLE_CERTIFICATES * (MAX_BUNDLE_CERTIFICATES - 1)
    );

    // One certificate more, or more bytes: 400 before anything is read; the stored bundle stays.
    let one_more = format!(
        "{bundle}{}",
        bundle
            .split_inclusive("-----END CERTIFICATE-----\n")
            .next()
            .unwrap_or("")
    );
    let before = checks_so_far();
    let (status, body) = t.patch_cas(&one_more).await;
    assert_eq!(status, 400, "{body}");
    let detail = assert_error(&body, 400, "X509_CA_BUNDLE_TOO_LARGE");
    assert!(detail.contains("at most 200 certificates"), "{detail}");
    assert_eq!(checks_so_far() - before, 0, "nothing of it was read");
    let (status, body) = t.patch_cas(&" ".repeat(MAX_BUNDLE_BYTES + 1)).await;
    assert_eq!(status, 400, "{body}");
    let detail = assert_error(&body, 400, "X509_CA_BUNDLE_TOO_LARGE");
    assert!(detail.contains("bytes"), "{detail}");
    assert_eq!(t.stored_cas().await.as_deref(), Some(bundle.as_str()));
    t.stop().await;
}
