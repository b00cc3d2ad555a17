//! Certificates for the tests: generated with the openssl CLI (the reference the tests compare with)
//! in a temporary directory, or built byte by byte when a test needs DER openssl would not write.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::pem_bundle::CertificateReport;

pub const OPENSSL: &str = "/usr/bin/openssl";

/// Seconds since the Unix epoch, now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A temporary directory, removed when dropped.
pub struct Workdir {
    path: PathBuf,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The `openssl req` configuration: the distinguished-name section it needs, the string types it may
/// use for names (`string_mask`), and the extension sections the tests ask for.
fn req_config(string_mask: &str) -> String {
    format!(
        "[req]\ndistinguished_name = dn\nstring_mask = {string_mask}\nutf8 = yes\nprompt = no\n[dn]\n\
         [ca_ext]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign, digitalSignature\n\
         subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always\n\
         [ca_pathlen_ext]\nbasicConstraints = critical, CA:TRUE, pathlen:2\nkeyUsage = critical, keyCertSign, cRLSign\n\
         subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always\n\
         [leaf_ext]\nbasicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment, keyAgreement, encipherOnly, decipherOnly\n\
         subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n\
         [no_bc_ext]\nsubjectKeyIdentifier = hash\n"
    )
}

/// Key types the tests generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    Rsa(u32),
    Ec(&'static str),
    Ed25519,
    Ed448,
}

impl KeyType {
    fn genpkey_args(self) -> Vec<String> {
        match self {
            KeyType::Rsa(bits) => vec![
                "-algorithm".into(),
                "RSA".into(),
                "-pkeyopt".into(),
                format!("rsa_keygen_bits:{bits}"),
            ],
            KeyType::Ec(curve) => vec![
                "-algorithm".into(),
                "EC".into(),
                "-pkeyopt".into(),
                format!("ec_paramgen_curve:{curve}"),
                "-pkeyopt".into(),
                "ec_param_enc:named_curve".into(),
            ],
            KeyType::Ed25519 => vec!["-algorithm".into(), "ED25519".into()],
            KeyType::Ed448 => vec!["-algorithm".into(), "ED448".into()],
        }
    }

    /// EdDSA signs the message itself: openssl refuses a digest option for it.
    fn takes_digest(self) -> bool {
        matches!(self, KeyType::Rsa(_) | KeyType::Ec(_))
    }
}

/// How to issue a certificate with `openssl`.
#[derive(Debug, Clone)]
pub struct Spec<'a> {
    pub key: KeyType,
    /// `-subj` argument, e.g. `/O=Example/CN=Root`.
    pub subject: &'a str,
    /// Extension section of [`req_config`], or `None` for a version 1 certificate without extensions.
    pub extensions: Option<&'a str>,
    /// `-sha256`, `-sha1`, ... (ignored for EdDSA keys).
    pub digest: &'a str,
    pub days: i64,
    pub string_mask: &'a str,
    pub multivalue_rdn: bool,
    pub serial: Option<&'a str>,
}

impl<'a> Spec<'a> {
    pub fn ca(key: KeyType, subject: &'a str) -> Self {
        Spec {
            key,
            subject,
            extensions: Some("ca_ext"),
            digest: "-sha256",
            days: 365,
            string_mask: "utf8only",
            multivalue_rdn: false,
            serial: None,
        }
    }
}

impl Workdir {
    pub fn new(test: &str) -> Self {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path =
            std::env::temp_dir().join(format!("access-core-{test}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Workdir { path }
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.path.join(file)
    }

    pub fn write(&self, file: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(file);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    pub fn read(&self, file: &str) -> Vec<u8> {
        std::fs::read(self.path(file)).unwrap()
    }

    pub fn read_text(&self, file: &str) -> String {
        String::from_utf8(self.read(file)).unwrap()
    }

    /// Runs openssl in this directory; panics with its error output if it fails.
    pub fn openssl<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> String {
        let (ok, stdout, stderr) = self.openssl_status(args);
        assert!(
            ok,
            "openssl {:?} failed: {stderr}",
            args.iter()
                .map(|a| a.as_ref().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
        );
        stdout
    }

    /// Runs openssl in this directory: (success, stdout, stderr).
    pub fn openssl_status<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> (bool, String, String) {
        let output = Command::new(OPENSSL)
            .args(args)
            .current_dir(&self.path)
            .output()
            .expect("run /usr/bin/openssl");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// Generates `{stem}.key` (unless it exists).
    pub fn key(&self, stem: &str, key: KeyType) {
        if self.path(&format!("{stem}.key")).exists() {
            return;
        }
        let mut args = vec!["genpkey".to_owned()];
        args.extend(key.genpkey_args());
        args.extend(["-out".to_owned(), format!("{stem}.key")]);
        self.openssl(&args);
    }

    fn config(&self, string_mask: &str) -> String {
        let file = format!("req-{}.cnf", string_mask.replace(':', "_"));
        if !self.path(&file).exists() {
            self.write(&file, req_config(string_mask));
        }
        file
    }

    /// A self-signed certificate `{stem}.pem` (key `{stem}.key`); returns its PEM. With `days` below 1
    /// the certificate has already expired (`openssl x509 -days -1`; `req` refuses that).
    pub fn self_signed(&self, stem: &str, spec: &Spec<'_>) -> String {
        if spec.days < 1 {
            return self.issued(stem, spec, stem);
        }
        self.key(stem, spec.key);
        let config = self.config(spec.string_mask);
        let mut args: Vec<String> = ["req", "-x509", "-new", "-config", &config, "-key"]
            .map(str::to_owned)
            .to_vec();
        args.push(format!("{stem}.key"));
        args.extend([
            "-subj".to_owned(),
            spec.subject.to_owned(),
            "-utf8".to_owned(),
            "-days".to_owned(),
            spec.days.to_string(),
        ]);
        args.extend(["-out".to_owned(), format!("{stem}.pem")]);
        if spec.key.takes_digest() {
            args.push(spec.digest.to_owned());
        }
        if spec.multivalue_rdn {
            args.push("-multivalue-rdn".to_owned());
        }
        if let Some(serial) = spec.serial {
            args.extend(["-set_serial".to_owned(), serial.to_owned()]);
        }
        match spec.extensions {
            Some(section) => args.extend(["-extensions".to_owned(), section.to_owned()]),
            None => args.extend(["-extensions".to_owned(), "no_bc_ext".to_owned()]),
        }
        self.openssl(&args);
        self.read_text(&format!("{stem}.pem"))
    }

    /// A certificate `{stem}.pem` (key `{stem}.key`) issued by `{issuer}.pem`/`{issuer}.key`.
    pub fn issued(&self, stem: &str, spec: &Spec<'_>, issuer: &str) -> String {
        self.key(stem, spec.key);
        let config = self.config(spec.string_mask);
        let mut request: Vec<String> = ["req", "-new", "-config", &config, "-key"]
            .map(str::to_owned)
            .to_vec();
        request.extend([
            format!("{stem}.key"),
            "-subj".into(),
            spec.subject.into(),
            "-utf8".into(),
            "-out".into(),
            format!("{stem}.csr"),
        ]);
        if spec.multivalue_rdn {
            request.push("-multivalue-rdn".to_owned());
        }
        self.openssl(&request);
        let mut args: Vec<String> = ["x509", "-req", "-in"].map(str::to_owned).to_vec();
        args.push(format!("{stem}.csr"));
        if issuer == stem {
            args.extend(["-signkey".into(), format!("{stem}.key")]);
        } else {
            args.extend([
                "-CA".into(),
                format!("{issuer}.pem"),
                "-CAkey".into(),
                format!("{issuer}.key"),
            ]);
        }
        args.extend([
            "-days".to_owned(),
            spec.days.to_string(),
            "-out".to_owned(),
            format!("{stem}.pem"),
        ]);
        if issuer != stem {
            args.extend([
                "-set_serial".to_owned(),
                spec.serial.unwrap_or("0x1234").to_owned(),
            ]);
        }
        if let Some(section) = spec.extensions {
            args.extend([
                "-extfile".to_owned(),
                config.clone(),
                "-extensions".to_owned(),
                section.to_owned(),
            ]);
        }
        if self.issuer_takes_digest(issuer) {
            args.push(spec.digest.to_owned());
        }
        self.openssl(&args);
        self.read_text(&format!("{stem}.pem"))
    }

    fn issuer_takes_digest(&self, issuer: &str) -> bool {
        let text = self.openssl(&["pkey", "-in", &format!("{issuer}.key"), "-noout", "-text"]);
        !(text.starts_with("ED25519") || text.starts_with("ED448"))
    }

    /// What openssl says about the first certificate of `file` (PEM, or DER when `der`).
    pub fn openssl_facts(&self, file: &str, der: bool) -> OpensslFacts {
        let form = if der { "DER" } else { "PEM" };
        let first = self.openssl(&[
            "x509",
            "-inform",
            form,
            "-in",
            file,
            "-noout",
            "-serial",
            "-subject",
            "-issuer",
            "-dates",
            "-dateopt",
            "iso_8601",
            "-nameopt",
            "RFC2253,-esc_msb",
            "-fingerprint",
            "-sha256",
        ]);
        let second = self.openssl(&[
            "x509",
            "-inform",
            form,
            "-in",
            file,
            "-noout",
            "-text",
            "-fingerprint",
            "-sha1",
            "-certopt",
            "no_subject,no_issuer",
        ]);
        OpensslFacts::parse(&first, &second)
    }
}

impl Drop for Workdir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The facts `openssl x509` prints about a certificate.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OpensslFacts {
    pub serial: String,
    pub subject: String,
    pub issuer: String,
    pub not_before: String,
    pub not_after: String,
    pub sha256: String,
    pub sha1: String,
    pub signature_algorithm: String,
    pub key_bits: Option<u32>,
    pub curve: Option<String>,
    pub is_ca: bool,
    pub path_len: Option<u32>,
    pub key_usage: Vec<String>,
    /// The line `openssl x509 -text` (and `-ext subjectAltName`) prints under
    /// "X509v3 Subject Alternative Name", if the certificate has one.
    pub subject_alt_names: Option<String>,
}

fn field<'a>(text: &'a str, prefix: &str) -> &'a str {
    text.lines()
        .find_map(|l| l.strip_prefix(prefix))
        .unwrap_or_else(|| panic!("no {prefix} in {text}"))
}

impl OpensslFacts {
    fn parse(first: &str, text: &str) -> Self {
        let iso = |s: &str| s.replacen(' ', "T", 1);
        let mut facts = OpensslFacts {
            serial: field(first, "serial=").to_owned(),
            subject: field(first, "subject=").to_owned(),
            issuer: field(first, "issuer=").to_owned(),
            not_before: iso(field(first, "notBefore=")),
            not_after: iso(field(first, "notAfter=")),
            sha256: field(first, "sha256 Fingerprint=").to_owned(),
            sha1: field(text, "sha1 Fingerprint=").to_owned(),
            signature_algorithm: field(text, "    Signature Algorithm: ").trim().to_owned(),
            ..Default::default()
        };
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let line = line.trim();
            if let Some(rest) = line
                .strip_prefix("Public-Key: (")
                .or_else(|| line.strip_prefix("RSA Public-Key: ("))
            {
                facts.key_bits = rest.split(' ').next().and_then(|b| b.parse().ok());
            }
            if let Some(curve) = line.strip_prefix("NIST CURVE: ") {
                facts.curve = Some(curve.to_owned());
            }
            if let Some(curve) = line.strip_prefix("ASN1 OID: ") {
                facts.curve.get_or_insert_with(|| curve.to_owned());
            }
            if line.starts_with("X509v3 Basic Constraints") {
                let value = lines[i + 1].trim();
                facts.is_ca = value.starts_with("CA:TRUE");
                facts.path_len = value.split("pathlen:").nth(1).and_then(|p| p.parse().ok());
            }
            if line.starts_with("X509v3 Key Usage") {
                facts.key_usage = lines[i + 1].trim().split(", ").map(str::to_owned).collect();
            }
            if line.starts_with("X509v3 Subject Alternative Name") {
                facts.subject_alt_names = Some(lines[i + 1].trim().to_owned());
            }
        }
        facts
    }

    /// Asserts that every fact openssl prints is what `report` says.
    pub fn assert_matches(&self, report: &CertificateReport) {
        let context = format!(
            "certificate {} (line {}), openssl says {self:#?}",
            report.index, report.line
        );
        assert_eq!(report.subject, self.subject, "subject of {context}");
        assert_eq!(report.issuer, self.issuer, "issuer of {context}");
        assert_eq!(report.serial, self.serial, "serial of {context}");
        assert_eq!(report.not_before, self.not_before, "notBefore of {context}");
        assert_eq!(report.not_after, self.not_after, "notAfter of {context}");
        assert_eq!(
            report.sha256_fingerprint, self.sha256,
            "SHA-256 of {context}"
        );
        assert_eq!(report.sha1_fingerprint, self.sha1, "SHA-1 of {context}");
        assert_eq!(
            report.signature_algorithm, self.signature_algorithm,
            "signature algorithm of {context}"
        );
        if report.public_key.algorithm != "Ed25519" && report.public_key.algorithm != "Ed448" {
            assert_eq!(
                report.public_key.bits, self.key_bits,
                "key size of {context}"
            );
        }
        if let Some(curve) = &self.curve {
            assert_eq!(
                report.public_key.curve.as_ref(),
                Some(curve),
                "curve of {context}"
            );
        }
        assert_eq!(report.is_ca, self.is_ca, "CA flag of {context}");
        assert_eq!(report.path_len, self.path_len, "path length of {context}");
        assert_eq!(report.key_usage, self.key_usage, "key usage of {context}");
        self.assert_alt_names_match(report, &context);
    }

    /// The report's subjectAltName entries are the ones openssl prints, in its order. openssl's line
    /// is `DNS:a, IP Address:192.0.2.1, ...` (IPv6 as eight uppercase groups); entries the report
    /// only names by kind are checked by openssl's prefix for that kind.
    fn assert_alt_names_match(&self, report: &CertificateReport, context: &str) {
        let Some(line) = &self.subject_alt_names else {
            assert!(
                report.subject_alt_names.is_empty(),
                "subjectAltName of {context}: openssl prints none, the report has {:?}",
                report.subject_alt_names
            );
            return;
        };
        let mut rest = line.as_str();
        for (i, name) in report.subject_alt_names.iter().enumerate() {
            if i > 0 {
                rest = rest.strip_prefix(", ").unwrap_or_else(|| {
                    panic!("subjectAltName of {context}: openssl's {line:?} ends before {name}")
                });
            }
            let (text, exact) = openssl_alt_name(name);
            assert!(
                rest.starts_with(&text),
                "subjectAltName of {context}: entry {i} is {name} ({text:?}), openssl prints {line:?}"
            );
            rest = &rest[text.len()..];
            if !exact {
                // Skip the value openssl prints for a kind the report does not print.
                let next = report
                    .subject_alt_names
                    .get(i + 1)
                    .map(|n| openssl_alt_name(n).0);
                rest = match next {
                    Some(next) => rest.find(&format!(", {next}")).map_or("", |at| &rest[at..]),
                    None => "",
                };
            }
        }
        assert_eq!(
            rest, "",
            "subjectAltName of {context}: openssl prints more than the report's {:?}: {line:?}",
            report.subject_alt_names
        );
    }
}

/// How openssl prints a subjectAltName entry (`GENERAL_NAME_print`), and whether that is the whole
/// text (`false`: only the prefix of a kind the report names without its value).
pub fn openssl_alt_name(name: &crate::certificate::AltName) -> (String, bool) {
    use crate::certificate::AltName;
    match name {
        AltName::Dns(name) => (format!("DNS:{name}"), true),
        AltName::Ip(std::net::IpAddr::V4(ip)) => (format!("IP Address:{ip}"), true),
        AltName::Ip(std::net::IpAddr::V6(ip)) => {
            let groups: Vec<String> = ip.segments().iter().map(|g| format!("{g:X}")).collect();
            (format!("IP Address:{}", groups.join(":")), true)
        }
        AltName::Email(address) => (format!("email:{address}"), true),
        AltName::Uri(uri) => (format!("URI:{uri}"), true),
        AltName::RegisteredId(oid) => (format!("Registered ID:{oid}"), true),
        AltName::OtherName => ("othername:".to_owned(), false),
        AltName::DirectoryName => ("DirName:".to_owned(), false),
        AltName::EdiPartyName => ("EdiPartyName:".to_owned(), false),
    }
}

/// DER built byte by byte, for names and structures openssl's commands do not write.
pub mod der {
    pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        crate::asn1::push_length(&mut out, content.len());
        out.extend_from_slice(content);
        out
    }

    pub fn oid(dotted: &str) -> Vec<u8> {
        let arcs: Vec<u128> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
        let mut content = Vec::new();
        let mut push = |mut v: u128| {
            let mut groups = vec![(v & 0x7F) as u8];
            v >>= 7;
            while v > 0 {
                groups.push(0x80 | (v & 0x7F) as u8);
                v >>= 7;
            }
            content.extend(groups.iter().rev());
        };
        push(arcs[0] * 40 + arcs[1]);
        for arc in &arcs[2..] {
            push(*arc);
        }
        tlv(0x06, &content)
    }

    /// An attribute: type and (already encoded) value.
    pub fn ava(oid_dotted: &str, value: &[u8]) -> Vec<u8> {
        let mut content = oid(oid_dotted);
        content.extend_from_slice(value);
        tlv(0x30, &content)
    }

    pub fn utf8(text: &str) -> Vec<u8> {
        tlv(0x0C, text.as_bytes())
    }

    pub fn rdn(avas: &[Vec<u8>]) -> Vec<u8> {
        tlv(0x31, &avas.concat())
    }

    pub fn name(rdns: &[Vec<u8>]) -> Vec<u8> {
        tlv(0x30, &rdns.concat())
    }

    /// The signed part of a v3 certificate without extensions, signed with Ed25519, valid 2020-2040.
    pub fn tbs(issuer: &[u8], subject: &[u8], spki: &[u8]) -> Vec<u8> {
        tbs_with_extensions(issuer, subject, spki, &[])
    }

    /// [`tbs`] with these extensions (each an encoded `Extension`), if any.
    pub fn tbs_with_extensions(
        issuer: &[u8],
        subject: &[u8],
        spki: &[u8],
        extensions: &[Vec<u8>],
    ) -> Vec<u8> {
        let extensions = if extensions.is_empty() {
            Vec::new()
        } else {
            tlv(0xA3, &tlv(0x30, &extensions.concat()))
        };
        let algorithm = tlv(0x30, &oid("1.3.101.112"));
        let validity = tlv(
            0x30,
            &[tlv(0x17, b"200101000000Z"), tlv(0x17, b"400101000000Z")].concat(),
        );
        tlv(
            0x30,
            &[
                tlv(0xA0, &tlv(0x02, &[2])),
                tlv(0x02, &[0x42]),
                algorithm,
                issuer.to_vec(),
                validity,
                subject.to_vec(),
                spki.to_vec(),
                extensions,
            ]
            .concat(),
        )
    }

    /// A certificate from its signed part and an Ed25519 signature.
    pub fn signed(tbs: &[u8], signature: &[u8]) -> Vec<u8> {
        let mut bits = vec![0u8];
        bits.extend_from_slice(signature);
        tlv(
            0x30,
            &[
                tbs.to_vec(),
                tlv(0x30, &oid("1.3.101.112")),
                tlv(0x03, &bits),
            ]
            .concat(),
        )
    }

    /// A v3 certificate with these names, an Ed25519 key of zeros and a zero signature: openssl prints
    /// it (it does not check signatures when printing), and inspection reads it.
    pub fn certificate(subject: &[u8], issuer: &[u8]) -> Vec<u8> {
        let algorithm = tlv(0x30, &oid("1.3.101.112"));
        let validity = tlv(
            0x30,
            &[tlv(0x17, b"200101000000Z"), tlv(0x17, b"300101000000Z")].concat(),
        );
        let mut key = vec![0u8];
        key.extend([0x11u8; 32]);
        let spki = tlv(0x30, &[algorithm.clone(), tlv(0x03, &key)].concat());
        let tbs = tlv(
            0x30,
            &[
                tlv(0xA0, &tlv(0x02, &[2])),
                tlv(0x02, &[1]),
                algorithm.clone(),
                issuer.to_vec(),
                validity,
                subject.to_vec(),
                spki,
            ]
            .concat(),
        );
        let mut signature = vec![0u8];
        signature.extend([0u8; 64]);
        tlv(0x30, &[tbs, algorithm, tlv(0x03, &signature)].concat())
    }
}

/// The certificate blocks of a PEM text, each with its BEGIN/END lines.
pub fn pem_blocks(text: &str) -> Vec<String> {
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
            if let Some(block) = current.take() {
                blocks.push(block);
            }
        }
    }
    blocks
}

/// `path` exists and is a file.
pub fn exists(path: &str) -> bool {
    Path::new(path).is_file()
}
