//! Bundles built from certificates the openssl CLI generates, compared with what openssl itself
//! prints about them.

use super::*;
use crate::test_certificates::{der, exists, now, pem_blocks, KeyType, Spec, Workdir};

const SYSTEM_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

fn codes(report: &BundleReport) -> Vec<(ProblemCode, usize, usize)> {
    report
        .problems
        .iter()
        .map(|p| (p.code, p.block, p.line))
        .collect()
}

fn warning_codes(report: &CertificateReport) -> Vec<WarningCode> {
    report.warnings.iter().map(|w| w.code).collect()
}

/// Inspects `pem` (one certificate, just made) now, checks it against openssl, and returns its
/// report.
fn inspect_one(dir: &Workdir, stem: &str, pem: &str) -> CertificateReport {
    let report = inspect_bundle(pem, now());
    assert_eq!(report.problems, [], "{stem}");
    assert_eq!(report.certificates.len(), 1, "{stem}");
    let certificate = report.certificates.into_iter().next().unwrap();
    dir.openssl_facts(&format!("{stem}.pem"), false)
        .assert_matches(&certificate);
    certificate
}

#[test]
fn every_certificate_of_the_system_bundle_matches_openssl() {
    if !exists(SYSTEM_BUNDLE) {
        return;
    }
    let text = std::fs::read_to_string(SYSTEM_BUNDLE).unwrap();
    let report = inspect_bundle(&text, now());
    assert_eq!(report.problems, []);
    let blocks = pem_blocks(&text);
    assert_eq!(report.certificates.len(), blocks.len());
    assert!(
        blocks.len() > 50,
        "the system bundle holds {} certificates",
        blocks.len()
    );
    let dir = Workdir::new("system-bundle");
    for (certificate, block) in report.certificates.iter().zip(&blocks) {
        dir.write("one.pem", block);
        dir.openssl_facts("one.pem", false)
            .assert_matches(certificate);
    }
    // Roots only: each is self-signed (openssl agrees, below) and so issued by none of the others.
    for (certificate, block) in report.certificates.iter().zip(&blocks).take(10) {
        dir.write("one.pem", block);
        assert_eq!(
            certificate.self_signed,
            openssl_says_self_signed(&dir, "one.pem"),
            "{}",
            certificate.subject
        );
    }
    assert!(report.certificates.iter().all(|c| c.issued_by.is_none()));
}

/// `openssl verify` with no trust store stops at a self-signed certificate with error 18, and at any
/// other with error 20 (issuer not found).
fn openssl_says_self_signed(dir: &Workdir, file: &str) -> bool {
    let (_, stdout, stderr) =
        dir.openssl_status(&["verify", "-no-CAfile", "-no-CApath", "-no-CAstore", file]);
    let output = format!("{stdout}{stderr}");
    if output.contains("error 18 ") {
        return true;
    }
    assert!(
        output.contains("error 20 "),
        "unexpected verify output: {output}"
    );
    false
}

#[test]
fn keys_and_signature_algorithms_match_openssl() {
    let dir = Workdir::new("keys");
    // (file stem, key, digest, algorithm, bits, curve, warnings)
    type Case<'a> = (
        &'a str,
        KeyType,
        &'a str,
        &'a str,
        Option<u32>,
        Option<&'a str>,
        &'a [WarningCode],
    );
    let cases: &[Case<'_>] = &[
        (
            "rsa1024",
            KeyType::Rsa(1024),
            "-sha256",
            "RSA",
            Some(1024),
            None,
            &[WarningCode::WeakKey],
        ),
        (
            "rsa2048",
            KeyType::Rsa(2048),
            "-sha1",
            "RSA",
            Some(2048),
            None,
            &[WarningCode::WeakSignature],
        ),
        (
            "rsa2048b",
            KeyType::Rsa(2048),
            "-sha384",
            "RSA",
            Some(2048),
            None,
            &[],
        ),
        (
            "rsa4096",
            KeyType::Rsa(4096),
            "-sha512",
            "RSA",
            Some(4096),
            None,
            &[],
        ),
        (
            "p224",
            KeyType::Ec("P-224"),
            "-sha256",
            "EC",
            Some(224),
            Some("P-224"),
            &[WarningCode::WeakKey],
        ),
        (
            "p256",
            KeyType::Ec("P-256"),
            "-sha256",
            "EC",
            Some(256),
            Some("P-256"),
            &[],
        ),
        (
            "p384",
            KeyType::Ec("P-384"),
            "-sha384",
            "EC",
            Some(384),
            Some("P-384"),
            &[],
        ),
        (
            "p521",
            KeyType::Ec("P-521"),
            "-sha512",
            "EC",
            Some(521),
            Some("P-521"),
            &[],
        ),
        (
            "p256sha1",
            KeyType::Ec("P-256"),
            "-sha1",
            "EC",
            Some(256),
            Some("P-256"),
            &[WarningCode::WeakSignature],
        ),
        ("ed25519", KeyType::Ed25519, "", "Ed25519", None, None, &[]),
        ("ed448", KeyType::Ed448, "", "Ed448", None, None, &[]),
    ];
    for (stem, key, digest, algorithm, bits, curve, warnings) in cases {
        let subject = format!("/O=Keys/CN={stem}");
        let spec = Spec {
            digest,
            ..Spec::ca(*key, &subject)
        };
        let pem = dir.self_signed(stem, &spec);
        let report = inspect_one(&dir, stem, &pem);
        assert_eq!(report.public_key.algorithm, *algorithm, "{stem}");
        assert_eq!(report.public_key.bits, *bits, "{stem}");
        assert_eq!(report.public_key.curve.as_deref(), *curve, "{stem}");
        assert_eq!(warning_codes(&report), *warnings, "{stem}");
        assert!(report.self_signed, "{stem}");
        assert!(
            openssl_says_self_signed(&dir, &format!("{stem}.pem")),
            "{stem}"
        );
        assert_eq!(
            report.key_usage,
            ["Digital Signature", "Certificate Sign", "CRL Sign"],
            "{stem}"
        );
        // 365 days minus the moments since openssl wrote it: 364 whole days, or 365 within the same second.
        assert!(
            (364..=365).contains(&report.days_left),
            "{stem}: {}",
            report.days_left
        );
        assert_eq!(report.issued_by, None, "{stem}");
    }
    let weak = inspect_bundle(&dir.read_text("rsa1024.pem"), now())
        .certificates
        .remove(0);
    assert!(
        weak.warnings[0].message.contains("1024 bits"),
        "{}",
        weak.warnings[0].message
    );
    let sha1 = inspect_bundle(&dir.read_text("rsa2048.pem"), now())
        .certificates
        .remove(0);
    assert!(
        sha1.warnings[0].message.contains("sha1WithRSAEncryption")
            && sha1.warnings[0].message.contains("SHA-1")
    );
}

#[test]
fn other_key_types_match_openssl() {
    let dir = Workdir::new("other-keys");
    dir.openssl(&[
        "genpkey",
        "-algorithm",
        "RSA-PSS",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        "pss.key",
    ]);
    dir.openssl(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        "rsa.key",
    ]);
    dir.openssl(&[
        "genpkey",
        "-genparam",
        "-algorithm",
        "DSA",
        "-pkeyopt",
        "dsa_paramgen_bits:1024",
        "-out",
        "dsa.params",
    ]);
    dir.openssl(&["genpkey", "-paramfile", "dsa.params", "-out", "dsa.key"]);
    dir.openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:brainpoolP256r1",
        "-pkeyopt",
        "ec_param_enc:named_curve",
        "-out",
        "bp.key",
    ]);
    dir.openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:secp256k1",
        "-pkeyopt",
        "ec_param_enc:named_curve",
        "-out",
        "k1.key",
    ]);
    // (file stem, key file, extra req options, signature algorithm, key algorithm, bits, curve, warnings)
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a [&'a str],
        &'a str,
        &'a str,
        Option<u32>,
        Option<&'a str>,
        &'a [WarningCode],
    );
    let cases: &[Case<'_>] = &[
        (
            "pss",
            "pss.key",
            &[],
            "rsassaPss",
            "RSA-PSS",
            Some(2048),
            None,
            &[],
        ),
        (
            "rsa-pss-signature",
            "rsa.key",
            &["-sigopt", "rsa_padding_mode:pss"],
            "rsassaPss",
            "RSA",
            Some(2048),
            None,
            &[],
        ),
        (
            "dsa",
            "dsa.key",
            &["-sha256"],
            "dsa_with_SHA256",
            "DSA",
            Some(1024),
            None,
            &[WarningCode::WeakKey],
        ),
        (
            "brainpool",
            "bp.key",
            &["-sha256"],
            "ecdsa-with-SHA256",
            "EC",
            Some(256),
            Some("brainpoolP256r1"),
            &[],
        ),
        (
            "secp256k1",
            "k1.key",
            &["-sha256"],
            "ecdsa-with-SHA256",
            "EC",
            Some(256),
            Some("secp256k1"),
            &[],
        ),
    ];
    for (stem, key, extra, signature, algorithm, bits, curve, warnings) in cases {
        let out = format!("{stem}.pem");
        let subject = format!("/CN={stem}");
        let mut args = vec![
            "req",
            "-x509",
            "-new",
            "-key",
            key,
            "-subj",
            &subject,
            "-days",
            "20",
            "-out",
            &out,
            "-addext",
            "basicConstraints=critical,CA:TRUE",
        ];
        args.extend_from_slice(extra);
        dir.openssl(&args);
        let report = inspect_one(&dir, stem, &dir.read_text(&out));
        assert_eq!(report.signature_algorithm, *signature, "{stem}");
        assert_eq!(
            (
                report.public_key.algorithm.as_str(),
                report.public_key.bits,
                report.public_key.curve.as_deref()
            ),
            (*algorithm, *bits, *curve),
            "{stem}"
        );
        let mut expected = vec![WarningCode::ExpiresSoon];
        expected.extend_from_slice(warnings);
        assert_eq!(warning_codes(&report), expected, "{stem}");
        assert_eq!(
            report.self_signed,
            openssl_says_self_signed(&dir, &out),
            "{stem}"
        );
    }
    // RSASSA-PSS is named but not verified here: a certificate it signs gets no issued_by.
    let root = dir.read_text("rsa-pss-signature.pem");
    dir.openssl(&[
        "req",
        "-new",
        "-key",
        "bp.key",
        "-subj",
        "/CN=pss leaf",
        "-out",
        "leaf.csr",
    ]);
    dir.openssl(&[
        "x509",
        "-req",
        "-in",
        "leaf.csr",
        "-CA",
        "rsa-pss-signature.pem",
        "-CAkey",
        "rsa.key",
        "-sigopt",
        "rsa_padding_mode:pss",
        "-out",
        "leaf.pem",
    ]);
    let report = inspect_bundle(&format!("{}{root}", dir.read_text("leaf.pem")), now());
    assert_eq!(
        (
            report.certificates[0].issued_by,
            report.certificates[0].signature_algorithm.as_str()
        ),
        (None, "rsassaPss")
    );
    dir.openssl(&[
        "x509", "-in", "leaf.pem", "-outform", "DER", "-out", "leaf.der",
    ]);
    dir.openssl(&[
        "x509",
        "-in",
        "rsa-pss-signature.pem",
        "-outform",
        "DER",
        "-out",
        "root.der",
    ]);
    assert!(matches!(
        crate::signature::verifies(&dir.read("root.der"), &dir.read("leaf.der")),
        Err(crate::signature::VerifyError::UnsupportedAlgorithm(name)) if name == "rsassaPss"
    ));
}

#[test]
fn names_written_by_openssl_match() {
    let dir = Workdir::new("names");
    let cases: &[(&str, &str, &str, bool)] = &[
        ("plain", "/C=US/ST=New York/L=Brooklyn/O=Example\\, Inc./OU=Ops+Sec/CN=Root CA/emailAddress=ca@example.com", "utf8only", false),
        ("multivalued", "/O=org/CN=zz+CN=a+OU=b", "utf8only", true),
        ("escapes", "/CN=#lead/O= spaced out /OU=a;b<c>d\"e\\\\f=g", "utf8only", false),
        ("utf8", "/CN=Zoë 日本 😀/O=Ünïcödé, Ltd", "utf8only", false),
        ("bmp", "/CN=Zoë 日本/O=plain", "pkix", false),
        ("t61", "/CN=Zoë Ångström/O=plain", "default", false),
        ("unknown-oid", "/1.2.3.4=custom value/CN=x", "utf8only", false),
        ("pilot", "/DC=com/DC=example/UID=jdoe/street=1 Main St/serialNumber=42/title=Dr/GN=Jane/SN=Doe/CN=Jane Doe", "utf8only", false),
        ("control", "/CN=a\u{1}b\u{7f}c", "utf8only", false),
        ("trailing-space", "/CN=trailing /O=#", "utf8only", false),
    ];
    for (stem, subject, mask, multivalue) in cases {
        let spec = Spec {
            string_mask: mask,
            multivalue_rdn: *multivalue,
            ..Spec::ca(KeyType::Ed25519, subject)
        };
        let pem = dir.self_signed(stem, &spec);
        let report = inspect_one(&dir, stem, &pem);
        assert_eq!(report.subject, report.issuer, "{stem}");
    }
    let multivalued = inspect_bundle(&dir.read_text("multivalued.pem"), now())
        .certificates
        .remove(0);
    assert_eq!(multivalued.subject, "CN=zz+OU=b+CN=a,O=org");
    let bmp = dir.openssl(&["asn1parse", "-in", "bmp.pem"]);
    assert!(
        bmp.contains("BMPSTRING"),
        "the pkix mask writes a BMPString: {bmp}"
    );
    let t61 = dir.openssl(&["asn1parse", "-in", "t61.pem"]);
    assert!(
        t61.contains("T61STRING"),
        "the default mask writes a T61String: {t61}"
    );
}

#[test]
fn empty_subject_serials_and_v1_certificates_match_openssl() {
    let dir = Workdir::new("serials");
    for (stem, serial) in [
        ("zero", "0"),
        ("small", "1"),
        ("high-bit", "0x80"),
        ("long", "0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"),
        ("negative", "-5"),
    ] {
        let spec = Spec {
            serial: Some(serial),
            extensions: None,
            ..Spec::ca(KeyType::Ec("P-256"), "/CN=serial")
        };
        let pem = dir.self_signed(stem, &spec);
        let report = inspect_one(&dir, stem, &pem);
        assert!(report.has_warning(WarningCode::NotACa), "{stem}");
        assert!(
            report
                .warnings
                .iter()
                .any(|w| w.message.contains("no basicConstraints")),
            "{stem}"
        );
    }
    // An empty subject, written byte by byte (openssl's commands refuse to make one).
    let empty = der::name(&[]);
    dir.write("empty.der", der::certificate(&empty, &empty));
    let report = inspect_bytes(&dir.read("empty.der"), now());
    assert_eq!(report.problems, []);
    dir.openssl_facts("empty.der", true)
        .assert_matches(&report.certificates[0]);
    assert_eq!(report.certificates[0].subject, "");
}

#[test]
fn validity_windows_give_warnings_with_dates() {
    let dir = Workdir::new("validity");
    let expired = dir.self_signed(
        "expired",
        &Spec {
            days: -1,
            ..Spec::ca(KeyType::Ed25519, "/CN=expired")
        },
    );
    let report = inspect_one(&dir, "expired", &expired);
    assert_eq!(warning_codes(&report), [WarningCode::Expired]);
    assert!(
        (-2..=-1).contains(&report.days_left),
        "{}",
        report.days_left
    );
    assert!(
        report.warnings[0].message.contains(&report.not_after),
        "{}",
        report.warnings[0].message
    );

    let soon = dir.self_signed(
        "soon",
        &Spec {
            days: 10,
            ..Spec::ca(KeyType::Ed25519, "/CN=soon")
        },
    );
    let report = inspect_one(&dir, "soon", &soon);
    assert_eq!(warning_codes(&report), [WarningCode::ExpiresSoon]);
    assert!((9..=10).contains(&report.days_left), "{}", report.days_left);
    let in_days = format!("in {} days", report.days_left);
    assert!(
        report.warnings[0].message.contains(&in_days),
        "{}",
        report.warnings[0].message
    );

    let later = dir.self_signed(
        "later",
        &Spec {
            days: 31,
            ..Spec::ca(KeyType::Ed25519, "/CN=later")
        },
    );
    let report = inspect_one(&dir, "later", &later);
    assert_eq!(warning_codes(&report), []);
    assert!(
        (30..=31).contains(&report.days_left),
        "{}",
        report.days_left
    );
    assert!(report.expires_within(32) && !report.expires_within(30));

    // Arbitrary dates, including GeneralizedTime after 2049, through `openssl ca`.
    dir.key("ca", KeyType::Ec("P-256"));
    dir.self_signed("ca", &Spec::ca(KeyType::Ec("P-256"), "/CN=Dated CA"));
    dir.write(
        "ca.cnf",
        "[ca]\ndefault_ca = own\n[own]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\ndefault_md = sha256\n\
         policy = any\nunique_subject = no\n[any]\ncommonName = supplied\n[ext]\nbasicConstraints = critical, CA:TRUE\n",
    );
    dir.write("index.txt", "");
    dir.write("serial", "1000\n");
    dir.issued(
        "future-request",
        &Spec {
            extensions: None,
            ..Spec::ca(KeyType::Ec("P-256"), "/CN=future")
        },
        "ca",
    );
    dir.openssl(&[
        "ca",
        "-batch",
        "-config",
        "ca.cnf",
        "-cert",
        "ca.pem",
        "-keyfile",
        "ca.key",
        "-in",
        "future-request.csr",
        "-out",
        "future.pem",
        "-startdate",
        "20600101000000Z",
        "-enddate",
        "20700615120000Z",
        "-notext",
        "-extensions",
        "ext",
        "-extfile",
        "ca.cnf",
    ]);
    let future = dir.read_text("future.pem");
    let report = inspect_one(&dir, "future", &future);
    assert_eq!(
        (report.not_before.as_str(), report.not_after.as_str()),
        ("2060-01-01T00:00:00Z", "2070-06-15T12:00:00Z")
    );
    assert_eq!(warning_codes(&report), [WarningCode::NotYetValid]);
    assert!(report.warnings[0].message.contains("2060-01-01T00:00:00Z"));
    dir.openssl(&[
        "ca",
        "-batch",
        "-config",
        "ca.cnf",
        "-cert",
        "ca.pem",
        "-keyfile",
        "ca.key",
        "-in",
        "future-request.csr",
        "-out",
        "old.pem",
        "-startdate",
        "19990101000000Z",
        "-enddate",
        "20010101000000Z",
        "-notext",
        "-extensions",
        "ext",
        "-extfile",
        "ca.cnf",
    ]);
    let old = dir.read_text("old.pem");
    let report = inspect_one(&dir, "old", &old);
    assert_eq!(report.not_after, "2001-01-01T00:00:00Z");
    assert_eq!(warning_codes(&report), [WarningCode::Expired]);

    // The same certificate at other moments: `now` is a parameter.
    let at = |at: i64| inspect_bundle(&future, at).certificates.remove(0);
    let not_after = 3_170_059_200; // 2070-06-15T12:00:00Z
    let report = at(not_after - 86_400 * 29 - 3600);
    assert_eq!(
        (warning_codes(&report), report.days_left),
        (vec![WarningCode::ExpiresSoon], 29)
    );
    let report = at(not_after);
    assert_eq!(
        (warning_codes(&report), report.days_left),
        (vec![WarningCode::Expired], 0)
    );
    let report = at(not_after + 86_400 * 5 + 1);
    assert_eq!(
        (warning_codes(&report), report.days_left),
        (vec![WarningCode::Expired], -6)
    );
    assert!(
        report.warnings[0].message.contains("5 days ago"),
        "{}",
        report.warnings[0].message
    );
    assert_eq!(warning_codes(&at(not_after - 86_400 * 30)), []);
}

#[test]
fn ca_flags_key_usage_and_path_length_match_openssl() {
    let dir = Workdir::new("flags");
    dir.self_signed(
        "root",
        &Spec {
            extensions: Some("ca_pathlen_ext"),
            ..Spec::ca(KeyType::Ec("P-256"), "/CN=Root")
        },
    );
    let root = inspect_one(&dir, "root", &dir.read_text("root.pem"));
    assert_eq!((root.is_ca, root.path_len), (true, Some(2)));
    let leaf = dir.issued(
        "leaf",
        &Spec {
            extensions: Some("leaf_ext"),
            ..Spec::ca(KeyType::Ec("P-256"), "/CN=Leaf")
        },
        "root",
    );
    let report = inspect_one(&dir, "leaf", &leaf);
    assert_eq!(warning_codes(&report), [WarningCode::NotACa]);
    assert!(report.warnings[0].message.contains("cA=FALSE"));
    let usage = [
        "Digital Signature",
        "Non Repudiation",
        "Key Encipherment",
        "Data Encipherment",
        "Key Agreement",
        "Encipher Only",
        "Decipher Only",
    ];
    assert_eq!(report.key_usage, usage);
    assert!(!report.self_signed);
    assert!(!openssl_says_self_signed(&dir, "leaf.pem"));
}

/// A certificate that is BER but not DER (here a critical flag written as 0x01, not 0xFF): openssl reads
/// it, `x509-cert` refuses it, and the problem says what that means (issue 13).
#[test]
fn a_certificate_that_is_not_der_is_its_own_problem() {
    let dir = Workdir::new("not-der");
    let pem = dir.self_signed("ca", &Spec::ca(KeyType::Ed25519, "/CN=BER CA"));
    let mut der = base64_body(&pem);
    let critical = der
        .windows(3)
        .position(|w| w == [0x01, 0x01, 0xFF])
        .expect("a critical extension");
    der[critical + 2] = 0x01;
    dir.write("ber.der", &der);
    let (openssl_reads, _, _) =
        dir.openssl_status(&["x509", "-inform", "DER", "-in", "ber.der", "-noout"]);
    assert!(openssl_reads);
    let report = inspect_bundle(&der_to_pem(&der), now());
    assert_eq!(
        codes(&report),
        [
            (ProblemCode::NotDer, 1, 1),
            (ProblemCode::NoCertificates, 0, 0)
        ]
    );
    let message = &report.problems[0].message;
    assert!(
        message.starts_with("Block 1 (line 1): the certificate is not valid DER at byte "),
        "{message}"
    );
    assert!(message.contains("BOOLEAN"), "{message}");
    assert!(
        message.contains("rustls, Go and Java") && message.contains("re-issue"),
        "{message}"
    );
}

#[test]
fn duplicates_name_the_first_copy() {
    let dir = Workdir::new("duplicates");
    let a = dir.self_signed("a", &Spec::ca(KeyType::Ed25519, "/CN=A"));
    let b = dir.self_signed("b", &Spec::ca(KeyType::Ed25519, "/CN=B"));
    let text = format!("{a}{b}\n{a}");
    let report = inspect_bundle(&text, now());
    assert_eq!(report.certificates.len(), 3);
    assert_eq!(warning_codes(&report.certificates[0]), []);
    assert_eq!(
        warning_codes(&report.certificates[2]),
        [WarningCode::Duplicate]
    );
    let message = &report.certificates[2].warnings[0].message;
    assert!(
        message.contains("certificate 1 (block 1, line 1)"),
        "{message}"
    );
    assert_eq!(
        report.certificates[2].sha256_fingerprint,
        report.certificates[0].sha256_fingerprint
    );
}

/// Builds root -> intermediate -> leaf with these keys and returns the three PEMs.
fn chain(dir: &Workdir, prefix: &str, keys: [KeyType; 3], digest: &'static str) -> [String; 3] {
    let root_subject = format!("/O=Chains/CN={prefix} Root");
    let intermediate_subject = format!("/O=Chains/CN={prefix} Intermediate");
    let leaf_subject = format!("/O=Chains/CN={prefix} Leaf");
    let root = dir.self_signed(
        &format!("{prefix}-root"),
        &Spec {
            digest,
            ..Spec::ca(keys[0], &root_subject)
        },
    );
    let intermediate = dir.issued(
        &format!("{prefix}-intermediate"),
        &Spec {
            digest,
            ..Spec::ca(keys[1], &intermediate_subject)
        },
        &format!("{prefix}-root"),
    );
    let leaf = dir.issued(
        &format!("{prefix}-leaf"),
        &Spec {
            digest,
            extensions: Some("leaf_ext"),
            ..Spec::ca(keys[2], &leaf_subject)
        },
        &format!("{prefix}-intermediate"),
    );
    [root, intermediate, leaf]
}

#[test]
fn chains_link_each_certificate_to_its_verified_issuer() {
    let dir = Workdir::new("chains");
    let chains = [
        chain(
            &dir,
            "rsa",
            [KeyType::Rsa(2048), KeyType::Ec("P-384"), KeyType::Ed25519],
            "-sha256",
        ),
        chain(
            &dir,
            "ed",
            [KeyType::Ed25519, KeyType::Ec("P-256"), KeyType::Rsa(2048)],
            "-sha384",
        ),
        chain(
            &dir,
            "sha1",
            [KeyType::Rsa(2048), KeyType::Rsa(2048), KeyType::Ec("P-256")],
            "-sha1",
        ),
        chain(
            &dir,
            "sha512",
            [
                KeyType::Ec("P-384"),
                KeyType::Rsa(2048),
                KeyType::Ec("P-256"),
            ],
            "-sha512",
        ),
    ];
    for (n, [root, intermediate, leaf]) in chains.iter().enumerate() {
        // Leaf first, root last: order in the bundle does not matter.
        let report = inspect_bundle(&format!("{leaf}{intermediate}{root}"), now());
        assert_eq!(report.problems, [], "chain {n}");
        let links: Vec<_> = report
            .certificates
            .iter()
            .map(|c| (c.issued_by, c.self_signed))
            .collect();
        assert_eq!(
            links,
            [(Some(1), false), (Some(2), false), (None, true)],
            "chain {n}"
        );
        for (stem, certificate) in ["leaf", "intermediate", "root"]
            .iter()
            .zip(&report.certificates)
        {
            let file = format!("{}-{stem}.pem", ["rsa", "ed", "sha1", "sha512"][n]);
            dir.openssl_facts(&file, false).assert_matches(certificate);
        }
    }

    // SHA-1: openssl refuses it for the intermediate, not for the root's own signature (at TLS's default
    // security level 1; `openssl verify` checks no level unless asked).
    let sha1 = inspect_bundle(&format!("{}{}", chains[2][1], chains[2][0]), now());
    let message = |i: usize| {
        sha1.certificates[i]
            .warnings
            .iter()
            .find(|w| w.code == WarningCode::WeakSignature)
            .map(|w| w.message.clone())
            .unwrap_or_default()
    };
    assert!(message(0).contains("OpenSSL 3 refuses"), "{}", message(0));
    assert!(
        message(1).contains("trusted root's own signature"),
        "{}",
        message(1)
    );
    // At TLS's default security level 1 (`openssl verify` checks none unless asked).
    let (_, out, err) = dir.openssl_status(&[
        "verify",
        "-auth_level",
        "1",
        "-CAfile",
        "sha1-root.pem",
        "sha1-intermediate.pem",
    ]);
    assert!(
        format!("{out}{err}").contains("digest algorithm too weak"),
        "{out}{err}"
    );

    // An impostor: the intermediate's name, another key. It comes first, and must not be chosen.
    let impostor = dir.self_signed(
        "impostor",
        &Spec::ca(KeyType::Ec("P-384"), "/O=Chains/CN=rsa Intermediate"),
    );
    let [root, intermediate, leaf] = &chains[0];
    let report = inspect_bundle(&format!("{impostor}{leaf}{intermediate}{root}"), now());
    let links: Vec<_> = report.certificates.iter().map(|c| c.issued_by).collect();
    assert_eq!(links, [None, Some(2), Some(3), None]);
    let report = inspect_bundle(&format!("{impostor}{leaf}"), now());
    assert_eq!(report.certificates[1].issued_by, None);

    // openssl agrees on who issued whom.
    let (ok, _, _) = dir.openssl_status(&[
        "verify",
        "-partial_chain",
        "-CAfile",
        "rsa-intermediate.pem",
        "rsa-leaf.pem",
    ]);
    assert!(ok);
    let (ok, _, _) = dir.openssl_status(&[
        "verify",
        "-partial_chain",
        "-CAfile",
        "impostor.pem",
        "rsa-leaf.pem",
    ]);
    assert!(!ok);

    // The public functions the Add User dialog uses.
    let der_of = |stem: &str| {
        dir.openssl(&[
            "x509",
            "-in",
            &format!("{stem}.pem"),
            "-outform",
            "DER",
            "-out",
            &format!("{stem}.der"),
        ]);
        dir.read(&format!("{stem}.der"))
    };
    for prefix in ["rsa", "ed", "sha1", "sha512"] {
        let (root, intermediate, leaf) = (
            der_of(&format!("{prefix}-root")),
            der_of(&format!("{prefix}-intermediate")),
            der_of(&format!("{prefix}-leaf")),
        );
        assert_eq!(
            crate::signature::verifies(&intermediate, &leaf),
            Ok(true),
            "{prefix}"
        );
        assert_eq!(
            crate::signature::verifies(&root, &intermediate),
            Ok(true),
            "{prefix}"
        );
        assert_eq!(
            crate::signature::verifies(&root, &root),
            Ok(true),
            "{prefix}"
        );
        assert_eq!(
            crate::signature::issued(&intermediate, &leaf),
            Ok(true),
            "{prefix}"
        );
        assert_eq!(
            crate::signature::issued(&root, &leaf),
            Ok(false),
            "{prefix}"
        );
    }
    let impostor_der = der_of("impostor");
    assert_eq!(
        crate::signature::verifies(&impostor_der, &der_of("rsa-leaf")),
        Ok(false)
    );
    assert_eq!(
        crate::signature::issued(&impostor_der, &der_of("rsa-leaf")),
        Ok(false)
    );
    dir.self_signed("ed448", &Spec::ca(KeyType::Ed448, "/CN=ed448"));
    let ed448 = der_of("ed448");
    assert!(matches!(
        crate::signature::verifies(&ed448, &ed448),
        Err(crate::signature::VerifyError::UnsupportedAlgorithm(_))
    ));
    assert!(matches!(
        crate::signature::verifies(b"junk", &ed448),
        Err(crate::signature::VerifyError::Issuer(_))
    ));
}

#[test]
fn issuer_names_match_as_openssl_matches_them() {
    use crate::test_certificates::der::{ava, name, rdn, signed, tbs, tlv, utf8};
    let dir = Workdir::new("name-matching");
    let ca = dir.self_signed("ca", &Spec::ca(KeyType::Ed25519, "/O=Example Org/CN=My CA"));
    dir.key("leaf", KeyType::Ed25519);
    dir.openssl(&[
        "pkey",
        "-in",
        "leaf.key",
        "-pubout",
        "-outform",
        "DER",
        "-out",
        "leaf.spki",
    ]);
    let spki = dir.read("leaf.spki");
    let subject = name(&[rdn(&[ava("2.5.4.3", &utf8("leaf"))])]);
    let variants = [
        (
            "same bytes",
            name(&[
                rdn(&[ava("2.5.4.10", &utf8("Example Org"))]),
                rdn(&[ava("2.5.4.3", &utf8("My CA"))]),
            ]),
            true,
        ),
        (
            "case, spaces and string types",
            name(&[
                rdn(&[ava("2.5.4.10", &tlv(0x13, b"  example   ORG "))]),
                rdn(&[ava("2.5.4.3", &tlv(0x1E, b"\x00m\x00y\x00 \x00c\x00a"))]),
            ]),
            true,
        ),
        (
            "another name",
            name(&[
                rdn(&[ava("2.5.4.10", &utf8("Example Org"))]),
                rdn(&[ava("2.5.4.3", &utf8("My CA 2"))]),
            ]),
            false,
        ),
        (
            "RDNs merged",
            name(&[rdn(&[
                ava("2.5.4.10", &utf8("Example Org")),
                ava("2.5.4.3", &utf8("My CA")),
            ])]),
            false,
        ),
    ];
    for (what, issuer, matches) in variants {
        dir.write("leaf.tbs", tbs(&issuer, &subject, &spki));
        dir.openssl(&[
            "pkeyutl", "-sign", "-rawin", "-inkey", "ca.key", "-in", "leaf.tbs", "-out", "leaf.sig",
        ]);
        let leaf = der_to_pem(&signed(&dir.read("leaf.tbs"), &dir.read("leaf.sig")));
        dir.write("leaf.pem", &leaf);
        let (openssl_ok, out, err) =
            dir.openssl_status(&["verify", "-partial_chain", "-CAfile", "ca.pem", "leaf.pem"]);
        assert_eq!(openssl_ok, matches, "{what}: openssl says {out}{err}");
        let report = inspect_bundle(&format!("{leaf}{ca}"), now());
        assert_eq!(report.problems, [], "{what}");
        assert_eq!(
            report.certificates[0].issued_by,
            matches.then_some(1),
            "{what}"
        );
    }
}

/// A text with one block of each kind, and what inspection must say about it.
#[test]
fn every_problem_names_its_block_and_line() {
    let dir = Workdir::new("problems");
    let good_a = dir.self_signed("a", &Spec::ca(KeyType::Ed25519, "/CN=Good A"));
    let good_b = dir.self_signed("b", &Spec::ca(KeyType::Ed25519, "/CN=Good B"));
    dir.key("pkcs8", KeyType::Ec("P-256"));
    let pkcs8 = dir.read_text("pkcs8.key");
    let rsa_key = dir.openssl(&["genrsa", "-traditional", "1024"]);
    let ec_key = dir.openssl(&["ec", "-in", "pkcs8.key"]);
    let encrypted_key = dir.openssl(&[
        "pkcs8",
        "-topk8",
        "-in",
        "pkcs8.key",
        "-v2",
        "aes-256-cbc",
        "-passout",
        "pass:secret",
    ]);
    let csr = dir.openssl(&["req", "-new", "-key", "pkcs8.key", "-subj", "/CN=request"]);
    let public_key = dir.openssl(&["pkey", "-in", "pkcs8.key", "-pubout"]);
    let trusted = dir.openssl(&[
        "x509",
        "-in",
        "a.pem",
        "-trustout",
        "-addtrust",
        "clientAuth",
    ]);
    let pkcs7 = dir.openssl(&["crl2pkcs7", "-nocrl", "-certfile", "a.pem"]);
    dir.openssl(&[
        "pkey",
        "-in",
        "pkcs8.key",
        "-outform",
        "DER",
        "-out",
        "key.der",
    ]);
    let key_as_certificate = der_to_pem(&dir.read("key.der"));
    let a_der = base64_body(&good_a);
    let truncated = der_to_pem(&a_der[..a_der.len() / 2]);
    let not_der = der_to_pem(b"hello, this is not DER");

    let mut text = String::new();
    let mut expected = Vec::new();
    let mut certificates = Vec::new();
    let mut block = 0;
    let mut add = |text: &mut String, body: &str, expect: Option<(ProblemCode, usize)>| {
        let first_line = text.lines().count() + 1;
        if body.starts_with("-----BEGIN") || body.starts_with("-----END") {
            block += 1;
        }
        match expect {
            Some((code, offset)) => expected.push((code, block, first_line + offset)),
            None => {
                if body.starts_with("-----BEGIN CERTIFICATE") {
                    certificates.push((block, first_line));
                }
            }
        }
        text.push_str(body);
        if !body.ends_with('\n') {
            text.push('\n');
        }
    };
    add(
        &mut text,
        "Bag Attributes\n    friendlyName: Good A\nsubject=CN = Good A\nissuer=CN = Good A",
        None,
    );
    add(&mut text, &good_a, None);
    let mut damaged: Vec<String> = good_b.lines().map(str::to_owned).collect();
    damaged[3].replace_range(10..11, "!");
    add(
        &mut text,
        &damaged.join("\n"),
        Some((ProblemCode::BadBase64, 3)),
    );
    add(&mut text, &good_b, None);
    add(
        &mut text,
        &good_b.replace("-----END CERTIFICATE-----", "-----END X509 CRL-----"),
        Some((ProblemCode::LabelMismatch, good_b.lines().count() - 1)),
    );
    add(&mut text, &pkcs8, Some((ProblemCode::PrivateKey, 0)));
    add(&mut text, &rsa_key, Some((ProblemCode::PrivateKey, 0)));
    add(&mut text, &ec_key, Some((ProblemCode::PrivateKey, 0)));
    add(
        &mut text,
        &encrypted_key,
        Some((ProblemCode::PrivateKey, 0)),
    );
    add(&mut text, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", Some((ProblemCode::PrivateKey, 0)));
    add(
        &mut text,
        &key_as_certificate,
        Some((ProblemCode::PrivateKey, 0)),
    );
    add(&mut text, &csr, Some((ProblemCode::UnsupportedBlock, 0)));
    add(
        &mut text,
        &public_key,
        Some((ProblemCode::UnsupportedBlock, 0)),
    );
    add(
        &mut text,
        &trusted,
        Some((ProblemCode::UnsupportedBlock, 0)),
    );
    add(&mut text, &pkcs7, Some((ProblemCode::UnsupportedBlock, 0)));
    add(
        &mut text,
        &truncated,
        Some((ProblemCode::NotACertificate, 0)),
    );
    add(&mut text, &not_der, Some((ProblemCode::NotACertificate, 0)));
    add(
        &mut text,
        "-----BEGIN CERTIFICATE-----\nMIIB",
        Some((ProblemCode::MissingEnd, 0)),
    );
    add(
        &mut text,
        "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----",
        Some((ProblemCode::NotACertificate, 0)),
    );
    add(
        &mut text,
        "-----BEGIN CERTIFICATE----\nMIIB\n-----END CERTIFICATE-----",
        Some((ProblemCode::MissingBegin, 2)),
    );
    add(&mut text, &good_a, None);
    add(
        &mut text,
        "-----BEGIN CERTIFICATE-----\nMIIB",
        Some((ProblemCode::MissingEnd, 0)),
    );

    for text in [
        text.clone(),
        text.replace('\n', "\r\n"),
        format!("\n\n  {}\n\n", text.replace('\n', " \n")),
    ] {
        let offset = if text.starts_with("\n\n") { 2 } else { 0 };
        let report = inspect_bundle(&text, now());
        let found: Vec<_> = report
            .problems
            .iter()
            .map(|p| (p.code, p.block, p.line - offset))
            .collect();
        assert_eq!(found, expected, "{:#?}", report.problems);
        let read: Vec<_> = report
            .certificates
            .iter()
            .map(|c| (c.block, c.line - offset))
            .collect();
        assert_eq!(read, certificates);
        for problem in report.problems.iter().filter(|p| p.block > 0) {
            assert!(
                problem
                    .message
                    .starts_with(&format!("Block {} (line ", problem.block)),
                "{}",
                problem.message
            );
            assert!(
                problem.message.contains(&format!("line {}", problem.line)),
                "{}",
                problem.message
            );
        }
    }

    let report = inspect_bundle(&text, now());
    let message = |code: ProblemCode, nth: usize| {
        report
            .problems
            .iter()
            .filter(|p| p.code == code)
            .nth(nth)
            .unwrap()
            .message
            .clone()
    };
    assert!(
        message(ProblemCode::BadBase64, 0).contains("column 11: '!' is not a base64 character"),
        "{}",
        message(ProblemCode::BadBase64, 0)
    );
    assert!(message(ProblemCode::LabelMismatch, 0).contains("-----END X509 CRL-----"));
    assert!(message(ProblemCode::UnsupportedBlock, 0).contains("openssl x509 -req"));
    assert!(message(ProblemCode::UnsupportedBlock, 2).contains("openssl x509 -in"));
    assert!(message(ProblemCode::UnsupportedBlock, 3).contains("openssl pkcs7"));
    assert!(
        message(ProblemCode::NotACertificate, 0).contains("the data is cut short"),
        "{}",
        message(ProblemCode::NotACertificate, 0)
    );
    assert!(message(ProblemCode::MissingEnd, 0).contains("the next block begins on line"));
    assert!(message(ProblemCode::MissingEnd, 1).contains("the text ends"));
    assert!(message(ProblemCode::NotACertificate, 2).contains("the block is empty"));
    assert!(message(ProblemCode::MissingBegin, 0).contains("damaged BEGIN"));
    // No line of any private key may appear in any message.
    let key_lines: Vec<&str> = [&pkcs8, &rsa_key, &ec_key, &encrypted_key]
        .iter()
        .flat_map(|k| k.lines())
        .filter(|l| !l.starts_with("-----") && !l.contains(':') && l.len() > 16)
        .collect();
    assert!(key_lines.len() > 10);
    for problem in &report.problems {
        for line in &key_lines {
            assert!(
                !problem.message.contains(line),
                "key material in {}",
                problem.message
            );
        }
    }
    assert_eq!(report.certificates.len(), 3);
}

fn base64_body(pem: &str) -> Vec<u8> {
    let report = inspect_bundle(pem, 0);
    assert_eq!(report.problems, []);
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let mut decoder = crate::base64::Decoder::default();
    for c in body.bytes() {
        decoder.push(c).unwrap();
    }
    decoder.finish().unwrap()
}

#[test]
fn no_certificates_is_reported_for_the_whole_bundle() {
    for text in [
        "",
        "   \n\r\n",
        "just some notes\nand more",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    ] {
        let report = inspect_bundle(text, 0);
        assert!(report.certificates.is_empty());
        let last = report.problems.last().unwrap();
        assert_eq!(
            (last.code, last.block, last.line),
            (ProblemCode::NoCertificates, 0, 0),
            "{text:?}"
        );
    }
}

#[test]
fn reads_what_openssl_writes_between_and_around_blocks() {
    let dir = Workdir::new("layouts");
    dir.self_signed("ca", &Spec::ca(KeyType::Ec("P-256"), "/CN=Layout CA"));
    dir.issued(
        "leaf",
        &Spec {
            extensions: Some("leaf_ext"),
            ..Spec::ca(KeyType::Ec("P-256"), "/CN=Layout Leaf")
        },
        "ca",
    );
    dir.openssl(&[
        "pkcs12",
        "-export",
        "-in",
        "leaf.pem",
        "-inkey",
        "leaf.key",
        "-certfile",
        "ca.pem",
        "-out",
        "bundle.p12",
        "-passout",
        "pass:x",
    ]);
    let from_p12 = dir.openssl(&[
        "pkcs12",
        "-in",
        "bundle.p12",
        "-nokeys",
        "-passin",
        "pass:x",
    ]);
    assert!(from_p12.contains("Bag Attributes"));
    let report = inspect_bundle(&from_p12, now());
    assert_eq!(report.problems, []);
    assert_eq!(report.certificates.len(), 2);
    assert_eq!(report.certificates[0].issued_by, Some(1));

    let with_text = dir.openssl(&["x509", "-in", "ca.pem", "-text"]);
    let report = inspect_bundle(&with_text, now());
    assert_eq!((report.problems.len(), report.certificates.len()), (0, 1));
    assert_eq!(report.certificates[0].subject, "CN=Layout CA");

    // One long base64 line, CRLF line ends, blank lines and indentation around it.
    let ca = dir.read_text("ca.pem");
    let body: String = ca.lines().filter(|l| !l.starts_with("-----")).collect();
    let long = format!(
        "\r\n\r\n   -----BEGIN CERTIFICATE-----\r\n{body}\r\n\t-----END CERTIFICATE-----  \r\n\r\n"
    );
    let report = inspect_bundle(&long, now());
    assert_eq!(report.problems, []);
    assert_eq!(
        (report.certificates[0].line, report.certificates[0].end_line),
        (3, 5)
    );
    assert_eq!(
        report.certificates[0].sha256_fingerprint,
        inspect_bundle(&ca, now()).certificates[0].sha256_fingerprint
    );

    // Legacy headers inside the block are skipped, as openssl's PEM reader skips them.
    let headers = ca.replacen(
        "-----\n",
        "-----\nProc-Type: 4,NOTE\nComment: made by hand\n\n",
        1,
    );
    assert_eq!(inspect_bundle(&headers, now()).problems, []);
}

#[test]
fn inspect_bytes_reads_der_utf16_and_non_utf8_text() {
    let dir = Workdir::new("bytes");
    let pem = dir.self_signed("ca", &Spec::ca(KeyType::Rsa(2048), "/CN=Bytes CA/O=Zoë"));
    // One moment for every inspection, so that reports compare equal.
    let at = now();
    let from_pem = inspect_bundle(&pem, at);
    dir.openssl(&["x509", "-in", "ca.pem", "-outform", "DER", "-out", "ca.der"]);
    let der = dir.read("ca.der");
    let from_der = inspect_bytes(&der, at);
    assert_eq!(from_der.problems, []);
    assert_eq!(
        from_der.certificates[0].sha256_fingerprint,
        from_pem.certificates[0].sha256_fingerprint
    );
    dir.openssl_facts("ca.der", true)
        .assert_matches(&from_der.certificates[0]);

    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(pem.encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(
        inspect_bytes(&utf16, at).certificates,
        from_pem.certificates
    );
    let mut latin1 = b"# Caf\xE9 CA bundle\n".to_vec();
    latin1.extend_from_slice(pem.as_bytes());
    let report = inspect_bytes(&latin1, at);
    assert_eq!((report.problems.len(), report.certificates[0].line), (0, 2));
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(pem.as_bytes());
    assert_eq!(inspect_bytes(&bom, at).certificates, from_pem.certificates);

    dir.key("key", KeyType::Ec("P-256"));
    dir.openssl(&[
        "pkey", "-in", "key.key", "-outform", "DER", "-out", "key.der",
    ]);
    let report = inspect_bytes(&dir.read("key.der"), at);
    assert_eq!(
        codes(&report),
        [
            (ProblemCode::PrivateKey, 1, 1),
            (ProblemCode::NoCertificates, 0, 0)
        ]
    );
    let report = inspect_bytes(&der[..200], at);
    assert_eq!(report.problems[0].code, ProblemCode::NotACertificate);
    assert!(
        report.problems[0].message.starts_with("The file: "),
        "{}",
        report.problems[0].message
    );
    // Containers people upload by mistake are named, with the command that extracts certificates.
    dir.openssl(&[
        "pkcs12", "-export", "-in", "ca.pem", "-inkey", "ca.key", "-out", "ca.p12", "-passout",
        "pass:x",
    ]);
    let report = inspect_bytes(&dir.read("ca.p12"), at);
    assert!(
        report.problems[0].message.contains("PKCS #12"),
        "{}",
        report.problems[0].message
    );
    assert!(report.problems[0].message.contains("openssl pkcs12"));
    dir.openssl(&[
        "crl2pkcs7",
        "-nocrl",
        "-certfile",
        "ca.pem",
        "-outform",
        "DER",
        "-out",
        "ca.p7b",
    ]);
    let report = inspect_bytes(&dir.read("ca.p7b"), at);
    assert!(
        report.problems[0].message.contains("PKCS #7"),
        "{}",
        report.problems[0].message
    );
    dir.openssl(&[
        "req", "-new", "-key", "ca.key", "-subj", "/CN=r", "-outform", "DER", "-out", "ca.csr",
    ]);
    let report = inspect_bytes(&dir.read("ca.csr"), at);
    assert!(
        report.problems[0].message.contains("signing request"),
        "{}",
        report.problems[0].message
    );
    let report = inspect_bytes(&[0x00, 0xFF, 0xFE, 0x80, 0x81], at);
    assert_eq!(codes(&report), [(ProblemCode::NoCertificates, 0, 0)]);
}

#[test]
fn der_to_pem_writes_what_openssl_reads() {
    let dir = Workdir::new("der-to-pem");
    dir.self_signed("ca", &Spec::ca(KeyType::Rsa(2048), "/CN=Round trip"));
    dir.openssl(&["x509", "-in", "ca.pem", "-outform", "DER", "-out", "ca.der"]);
    let pem = der_to_pem(&dir.read("ca.der"));
    assert_eq!(pem, dir.read_text("ca.pem"), "openssl writes the same PEM");
    assert!(pem.lines().all(|l| l.len() <= 64) && pem.ends_with("-----END CERTIFICATE-----\n"));
    dir.write("again.pem", &pem);
    dir.openssl(&[
        "x509",
        "-in",
        "again.pem",
        "-outform",
        "DER",
        "-out",
        "again.der",
    ]);
    assert_eq!(dir.read("again.der"), dir.read("ca.der"));
    assert_eq!(
        inspect_bundle(&pem, 0).certificates[0].sha256_fingerprint,
        inspect_bytes(&dir.read("ca.der"), 0).certificates[0].sha256_fingerprint
    );
}

#[test]
fn without_certificates_keeps_everything_else() {
    let dir = Workdir::new("drop");
    let expired = dir.self_signed(
        "expired",
        &Spec {
            days: -1,
            ..Spec::ca(KeyType::Ed25519, "/CN=Old")
        },
    );
    let current = dir.self_signed("current", &Spec::ca(KeyType::Ed25519, "/CN=Current"));
    let text = format!(
        "# our CAs\r\n{}\r\n# the current one\r\n{}",
        expired.replace('\n', "\r\n"),
        current.replace('\n', "\r\n")
    );
    let report = inspect_bundle(&text, now());
    assert_eq!(report.expired().count(), 1);
    let kept = without_certificates(&text, &report, |c| c.has_warning(WarningCode::Expired));
    assert_eq!(
        kept,
        format!(
            "# our CAs\r\n\r\n# the current one\r\n{}",
            current.replace('\n', "\r\n")
        )
    );
    let again = inspect_bundle(&kept, now());
    assert_eq!(
        (
            again.certificates.len(),
            again.problems.len(),
            again.expired().count()
        ),
        (1, 0, 0)
    );
    assert_eq!(without_certificates(&text, &report, |_| false), text);
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    /// A real bundle: two certificates of different key types, a key, a CSR, with text around them.
    fn sample() -> &'static str {
        static SAMPLE: OnceLock<String> = OnceLock::new();
        SAMPLE.get_or_init(|| {
            let dir = Workdir::new("proptest");
            let a = dir.self_signed("a", &Spec::ca(KeyType::Ec("P-256"), "/O=Zoë+OU=x/CN=A"));
            let b = dir.issued("b", &Spec { multivalue_rdn: true, ..Spec::ca(KeyType::Rsa(1024), "/CN=B+OU=y") }, "a");
            let csr = dir.read_text("b.csr");
            format!("subject=CN = A\n{a}\r\n{b}\nBag Attributes\n{csr}-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        })
    }

    fn sample_der() -> &'static [u8] {
        static DER: OnceLock<Vec<u8>> = OnceLock::new();
        DER.get_or_init(|| base64_body(&pem_blocks(sample())[0]))
    }

    /// DER of every certificate of the system bundle (empty when there is none).
    fn system_ders() -> &'static [Vec<u8>] {
        static DERS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
        DERS.get_or_init(|| {
            std::fs::read_to_string(SYSTEM_BUNDLE)
                .map(|text| pem_blocks(&text).iter().map(|b| base64_body(b)).collect())
                .unwrap_or_default()
        })
    }

    // No `cases` here: `PROPTEST_CASES` sets it (256 by default; `make fuzz` runs many more).
    proptest! {
        #[test]
        fn on_any_text(text in any::<String>()) {
            let report = inspect_bundle(&text, 0);
            prop_assert!(!report.problems.is_empty() || !report.certificates.is_empty());
        }

        #[test]
        fn at_any_moment(now in any::<i64>()) {
            let report = inspect_bundle(sample(), now);
            prop_assert_eq!(report.certificates.len(), 2);
        }

        #[test]
        fn on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = inspect_bytes(&bytes, 0);
            let _ = Certificate::from_der(&bytes);
        }

        #[test]
        fn on_pem_like_text(lines in proptest::collection::vec("(-----(BEGIN|END) (CERTIFICATE|X509 CRL|PRIVATE KEY)-----|[A-Za-z0-9+/=]{0,70}|[ -~]{0,20})", 0..30)) {
            let text = lines.join("\n");
            let report = inspect_bundle(&text, 0);
            prop_assert!(report.problems.iter().all(|p| p.block == 0 || p.line >= 1));
        }

        #[test]
        fn on_a_real_bundle_with_flipped_bytes(flips in proptest::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 1..8)) {
            let mut bytes = sample().as_bytes().to_vec();
            for (index, mask) in flips {
                let i = index.index(bytes.len());
                bytes[i] ^= mask;
            }
            let _ = inspect_bytes(&bytes, 0);
        }

        #[test]
        fn on_a_real_bundle_with_lines_cut(cuts in proptest::collection::vec((any::<prop::sample::Index>(), 1usize..6), 1..4)) {
            let mut lines: Vec<&str> = sample().split('\n').collect();
            for (index, count) in cuts {
                if lines.is_empty() { break; }
                let start = index.index(lines.len());
                let end = (start + count).min(lines.len());
                lines.drain(start..end);
            }
            let text = lines.join("\n");
            let report = inspect_bundle(&text, 0);
            let dropped = without_certificates(&text, &report, |_| true);
            prop_assert!(dropped.len() <= text.len());
        }

        #[test]
        fn on_damaged_certificate_der(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6), cut in any::<prop::sample::Index>()) {
            let mut der = sample_der().to_vec();
            for (index, value) in flips {
                let i = index.index(der.len());
                der[i] = value;
            }
            let _ = inspect_bundle(&der_to_pem(&der), 0);
            let end = cut.index(der.len());
            let _ = inspect_bytes(&der[..end], 0);
        }

        #[test]
        fn on_mutated_system_certificates(which in any::<prop::sample::Index>(), flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6), insert in proptest::option::of((any::<prop::sample::Index>(), proptest::collection::vec(any::<u8>(), 1..8))), cut in any::<prop::sample::Index>()) {
            let ders = system_ders();
            let mut der = if ders.is_empty() { sample_der().to_vec() } else { ders[which.index(ders.len())].clone() };
            for (index, value) in flips {
                let i = index.index(der.len());
                der[i] = value;
            }
            if let Some((at, bytes)) = insert {
                let at = at.index(der.len() + 1);
                der.splice(at..at, bytes);
            }
            if let Ok(certificate) = Certificate::from_der(&der) {
                let _ = certificate.is_self_signed();
                let _ = certificate.serial_hex();
            }
            let _ = Certificate::from_der(&der[..cut.index(der.len() + 1)]);
            let _ = inspect_bytes(&der, 0);
        }
    }
}

/// `pem-rfc7468` decodes every block; our base64 reader only diagnoses the blocks it refuses. Where both
/// take a body they give the same bytes, a body our reader refuses the crate refuses too (so every
/// damaged body gets its line and column), and where only the crate refuses, the problem says the base64
/// is not in canonical form (issue 13's differential check, on rewrapped and damaged bodies).
mod pem_differential {
    use super::*;
    use proptest::prelude::*;

    fn ours(text: &str) -> Result<Vec<u8>, ()> {
        let mut decoder = crate::base64::Decoder::default();
        let body = text
            .lines()
            .skip_while(|l| !l.starts_with("-----BEGIN"))
            .skip(1)
            .take_while(|l| !l.starts_with("-----END"));
        for line in body {
            let line = line.trim_matches(|c: char| c == '\r' || c == ' ' || c == '\t');
            decoder.push_line(line.as_bytes()).map_err(|_| ())?;
        }
        decoder.finish().map_err(|_| ())
    }

    fn der() -> &'static [u8] {
        static DER: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        DER.get_or_init(|| {
            let dir = Workdir::new("pem-differential");
            base64_body(&dir.self_signed("a", &Spec::ca(KeyType::Ec("P-256"), "/CN=A")))
        })
    }

    proptest! {
        #[test]
        fn the_crate_and_our_reader_agree(
            width in 1usize..150,
            cut in 0usize..4,
            flips in proptest::collection::vec(
                (any::<prop::sample::Index>(), prop::sample::select(b"AZaz09+/=!-.\t ".to_vec())),
                0..3,
            ),
            crlf in any::<bool>(),
        ) {
            use base64ct::Encoding as _;
            let mut body = base64ct::Base64::encode_string(der()).into_bytes();
            body.truncate(body.len() - cut.min(body.len()));
            for (at, byte) in &flips {
                let i = at.index(body.len());
                body[i] = *byte;
            }
            let end = if crlf { "\r\n" } else { "\n" };
            let mut text = format!("notes{end}-----BEGIN CERTIFICATE-----{end}");
            for chunk in body.chunks(width) {
                text.push_str(std::str::from_utf8(chunk).unwrap());
                text.push_str(end);
            }
            text.push_str("-----END CERTIFICATE-----");
            text.push_str(end);
            let by_crate = certificate_ders(text.as_bytes()).into_iter().next();
            let report = inspect_bundle(&text, 0);
            match (ours(&text), by_crate) {
                (Ok(a), Some(b)) => prop_assert_eq!(a, b),
                (Err(()), Some(_)) => prop_assert!(false, "only the crate reads {}", text),
                (Ok(_), None) => {
                    prop_assert_eq!(report.problems[0].code, ProblemCode::BadBase64);
                    prop_assert!(report.problems[0].message.contains("canonical form"), "{}", report.problems[0].message);
                }
                (Err(()), None) => {
                    prop_assert_eq!(report.problems[0].code, ProblemCode::BadBase64);
                    prop_assert!(report.problems[0].message.contains("line "), "{}", report.problems[0].message);
                }
            }
        }
    }
}

/// The `openssl req` configuration for [`subject_alternative_names_are_reported_as_openssl_prints_them`]:
/// every kind of subjectAltName entry openssl writes, and a malformed one (an iPAddress of 5 bytes).
const SAN_CONFIG: &str = "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n\
    [every_kind]\nsubjectAltName = DNS:db.example.com, DNS:*.example.com, IP:192.0.2.7, IP:2001:db8::1, \
    email:ops@example.com, URI:https://example.com/x, RID:1.2.3.4, dirName:dir_sect, otherName:1.2.3.4;UTF8:hello, DNS:last.example\n\
    [dir_sect]\nC = US\nO = Acme, Inc\nCN = x\n\
    [dns_only]\nbasicConstraints = critical, CA:TRUE\nsubjectAltName = DNS:ca.example.com\n\
    [ip_five_bytes]\n2.5.29.17 = DER:3007870501020304FF\n";

#[test]
fn subject_alternative_names_are_reported_as_openssl_prints_them() {
    use crate::certificate::AltName;
    let dir = Workdir::new("subject-alt-names");
    dir.write("san.cnf", SAN_CONFIG);
    let make = |stem: &str, section: &str| {
        dir.key(stem, KeyType::Ec("P-256"));
        let key = format!("{stem}.key");
        let out = format!("{stem}.pem");
        let subject = format!("/CN={stem}");
        dir.openssl(&[
            "req",
            "-x509",
            "-new",
            "-config",
            "san.cnf",
            "-key",
            &key,
            "-subj",
            &subject,
            "-days",
            "90",
            "-extensions",
            section,
            "-out",
            &out,
        ]);
        dir.read_text(&out)
    };

    let every = make("every", "every_kind");
    let report = inspect_one(&dir, "every", &every);
    let ip = |s: &str| AltName::Ip(s.parse().unwrap());
    assert_eq!(
        report.subject_alt_names,
        [
            AltName::Dns("db.example.com".into()),
            AltName::Dns("*.example.com".into()),
            ip("192.0.2.7"),
            ip("2001:db8::1"),
            AltName::Email("ops@example.com".into()),
            AltName::Uri("https://example.com/x".into()),
            AltName::RegisteredId("1.2.3.4".into()),
            AltName::DirectoryName,
            AltName::OtherName,
            AltName::Dns("last.example".into()),
        ]
    );
    // And as `openssl x509 -ext subjectAltName` prints them, entry by entry.
    let printed = dir.openssl(&[
        "x509",
        "-in",
        "every.pem",
        "-noout",
        "-ext",
        "subjectAltName",
    ]);
    let line = printed.lines().nth(1).unwrap().trim();
    let ours: Vec<String> = report
        .subject_alt_names
        .iter()
        .map(|n| crate::test_certificates::openssl_alt_name(n).0)
        .collect();
    assert_eq!(
        line,
        format!(
            "{}, {}/C=US/O=Acme, Inc/CN=x, {} 1.2.3.4::hello, {}",
            ours[..7].join(", "),
            ours[7],
            ours[8],
            ours[9]
        )
    );
    // One typed field on the wire.
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json["subject_alt_names"].as_array().unwrap()[..4],
        [
            serde_json::json!({"kind": "dns", "value": "db.example.com"}),
            serde_json::json!({"kind": "dns", "value": "*.example.com"}),
            serde_json::json!({"kind": "ip", "value": "192.0.2.7"}),
            serde_json::json!({"kind": "ip", "value": "2001:db8::1"}),
        ]
    );
    assert_eq!(
        json["subject_alt_names"][7],
        serde_json::json!({"kind": "directory_name"})
    );
    let back: CertificateReport = serde_json::from_value(json).unwrap();
    assert_eq!(back, report);

    let ca = make("ca", "dns_only");
    let report = inspect_one(&dir, "ca", &ca);
    assert_eq!(
        report.subject_alt_names,
        [AltName::Dns("ca.example.com".into())]
    );
    assert!(report.is_ca);

    // Without the extension: none (openssl prints none either: inspect_one compares).
    let plain = dir.self_signed("plain", &Spec::ca(KeyType::Ec("P-256"), "/CN=plain"));
    assert_eq!(inspect_one(&dir, "plain", &plain).subject_alt_names, []);

    // A malformed entry: the certificate is a problem naming the extension, as for the others.
    let five = make("five", "ip_five_bytes");
    assert!(dir
        .openssl(&["x509", "-in", "five.pem", "-noout", "-text"])
        .contains("X509v3 Subject Alternative Name"));
    let report = inspect_bundle(&five, now());
    assert_eq!(report.certificates, []);
    assert_eq!(codes(&report)[0], (ProblemCode::NotACertificate, 1, 1));
    let message = &report.problems[0].message;
    assert!(
        message.contains("the subjectAltName extension")
            && message.contains("neither 4 bytes (IPv4) nor 16 bytes (IPv6)"),
        "{message}"
    );
}

#[test]
fn a_repeated_subject_alternative_name_extension_is_a_problem() {
    let extension = |value: &[u8]| {
        der::tlv(
            0x30,
            &[der::oid("2.5.29.17"), der::tlv(0x04, value)].concat(),
        )
    };
    let dns = |name: &str| der::tlv(0x30, &der::tlv(0x82, name.as_bytes()));
    let build = |extensions: &[Vec<u8>]| {
        let name = der::name(&[der::rdn(&[der::ava("2.5.4.3", &der::utf8("san"))])]);
        let algorithm = der::tlv(0x30, &der::oid("1.3.101.112"));
        let mut key = vec![0u8];
        key.extend([0x11u8; 32]);
        let spki = der::tlv(0x30, &[algorithm, der::tlv(0x03, &key)].concat());
        let tbs = der::tbs_with_extensions(&name, &name, &spki, extensions);
        der::signed(&tbs, &[0u8; 64])
    };
    let once = build(&[extension(&dns("a.example"))]);
    let report = inspect_bytes(&once, now());
    assert_eq!(report.problems, []);
    assert_eq!(
        report.certificates[0].subject_alt_names,
        [crate::certificate::AltName::Dns("a.example".into())]
    );
    let twice = build(&[extension(&dns("a.example")), extension(&dns("b.example"))]);
    let report = inspect_bytes(&twice, now());
    assert_eq!(report.certificates, []);
    let message = &report.problems[0].message;
    assert_eq!(report.problems[0].code, ProblemCode::NotACertificate);
    assert!(
        message.contains("the subjectAltName extension cannot be read: it appears more than once"),
        "{message}"
    );
    // A SAN value that is not GeneralNames: der's reason, naming the extension.
    let broken = build(&[extension(&der::tlv(0x30, &der::tlv(0x82, &[0xFF])))]);
    let report = inspect_bytes(&broken, now());
    assert_eq!(report.certificates, []);
    assert!(
        report.problems[0]
            .message
            .contains("the subjectAltName extension"),
        "{}",
        report.problems[0].message
    );
}

#[test]
fn a_crl_in_place_of_a_certificate_is_named_with_or_without_its_version() {
    let name = der::name(&[der::rdn(&[der::ava("2.5.4.3", &der::utf8("CRL issuer"))])]);
    let algorithm = der::tlv(0x30, &der::oid("1.3.101.112"));
    let times = [
        der::tlv(0x17, b"250101000000Z"),
        der::tlv(0x17, b"250201000000Z"),
    ]
    .concat();
    for version in [vec![], der::tlv(0x02, &[1])] {
        let list = der::tlv(
            0x30,
            &[
                version.clone(),
                algorithm.clone(),
                name.clone(),
                times.clone(),
            ]
            .concat(),
        );
        let crl = der::tlv(
            0x30,
            &[list, algorithm.clone(), der::tlv(0x03, &[0; 65])].concat(),
        );
        let report = inspect_bytes(&crl, now());
        assert_eq!(report.problems[0].code, ProblemCode::NotACertificate);
        assert!(
            report.problems[0]
                .message
                .contains("certificate revocation list (CRL)"),
            "version {version:?}: {}",
            report.problems[0].message
        );
    }
}
