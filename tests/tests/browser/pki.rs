//! Test certificates made by the real openssl CLI in a temporary directory: a root CA, an
//! intermediate CA it signed, CAs expiring soon or already expired, a private key, and openssl's own
//! reading of each (the reference the page is compared with).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use tempfile::TempDir;

const OPENSSL: &str = "/usr/bin/openssl";

/// A certificate (and its key) written by openssl.
#[derive(Debug, Clone)]
pub struct Cert {
    pub pem: String,
    pub path: PathBuf,
    pub key: PathBuf,
}

pub struct Pki {
    dir: TempDir,
    counter: AtomicUsize,
}

impl Pki {
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("e2e-pki-")
            .tempdir()
            .expect("temporary directory");
        let ca = dir.path().join("ca");
        std::fs::create_dir_all(ca.join("newcerts")).expect("ca directory");
        std::fs::write(ca.join("index.txt"), "").expect("index.txt");
        std::fs::write(ca.join("serial"), "1000\n").expect("serial");
        let config = format!(
            "[ ca ]\ndefault_ca = test_ca\n\
             [ test_ca ]\ndir = {}\ndatabase = $dir/index.txt\nnew_certs_dir = $dir/newcerts\nserial = $dir/serial\n\
             default_md = sha256\npolicy = policy_any\nunique_subject = no\nemail_in_dn = no\npreserve = yes\n\
             [ policy_any ]\ncommonName = supplied\norganizationName = optional\ncountryName = optional\n\
             [ v3_ca ]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n\
             subjectKeyIdentifier = hash\n\
             [ v3_intermediate ]\nbasicConstraints = critical, CA:TRUE, pathlen:0\nkeyUsage = critical, keyCertSign, cRLSign\n\
             subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n",
            ca.display()
        );
        std::fs::write(ca.join("ca.cnf"), config).expect("ca.cnf");
        Self {
            dir,
            counter: AtomicUsize::new(0),
        }
    }

    fn next(&self, what: &str) -> PathBuf {
        let n = self.counter.fetch_add(1, Ordering::SeqCst);
        self.dir.path().join(format!("{what}-{n}"))
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("ca").join("ca.cnf")
    }

    /// A self-signed RSA 2048 root CA, valid from now for `days` days.
    pub fn root(&self, subject: &str, days: u32) -> Cert {
        let base = self.next("root");
        let (cert, key) = (base.with_extension("pem"), base.with_extension("key"));
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            s(&key),
            "-subj",
            subject,
            "-days",
            &days.to_string(),
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-out",
            s(&cert),
        ]);
        Cert::read(cert, key)
    }

    /// An EC P-256 intermediate CA signed by `issuer`, valid from now for `days` days.
    pub fn intermediate(&self, issuer: &Cert, subject: &str, days: u32) -> Cert {
        let request = self.key_and_request("intermediate", subject, &[]);
        let config = self.config();
        request.sign(
            issuer,
            &days.to_string(),
            &["-extfile", s(&config), "-extensions", "v3_intermediate"],
        )
    }

    /// A self-signed EC P-256 CA valid from `not_before` to `not_after` (Unix seconds, past or future).
    pub fn dated(&self, subject: &str, not_before: i64, not_after: i64) -> Cert {
        let CertRequest { cert, key, csr } = self.key_and_request("dated", subject, &[]);
        let config = self.config();
        openssl(&[
            "ca",
            "-batch",
            "-config",
            s(&config),
            "-selfsign",
            "-preserveDN",
            "-keyfile",
            s(&key),
            "-in",
            s(&csr),
            "-startdate",
            &openssl_time(not_before),
            "-enddate",
            &openssl_time(not_after),
            "-extensions",
            "v3_ca",
            "-notext",
            "-out",
            s(&cert),
        ]);
        Cert::read(cert, key)
    }

    /// A client certificate (EC P-256, no CA flag) for `subject` issued by `issuer`, valid for `days`
    /// days from now, or already expired when `days` is -1 (`openssl x509 -days -1`).
    pub fn client(&self, issuer: &Cert, subject: &str, days: i64) -> Cert {
        self.key_and_request("client", subject, &["-utf8"])
            .sign(issuer, &days.to_string(), &[])
    }

    /// A new EC P-256 key and a certificate request for `subject` (`openssl req -new`, with `extra`
    /// arguments), in files named after `what`.
    fn key_and_request(&self, what: &str, subject: &str, extra: &[&str]) -> CertRequest {
        let base = self.next(what);
        let request = CertRequest {
            cert: base.with_extension("pem"),
            key: base.with_extension("key"),
            csr: base.with_extension("csr"),
        };
        let mut args = vec![
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            s(&request.key),
            "-subj",
            subject,
        ];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["-out", s(&request.csr)]);
        openssl(&args);
        request
    }

    /// A CA that expired in 2021.
    pub fn expired(&self, subject: &str) -> Cert {
        self.dated(subject, 1_577_836_800, 1_609_459_200)
    }

    /// A CA valid since yesterday that expires in `days` days (and a few hours).
    pub fn expiring_in(&self, subject: &str, days: i64) -> Cert {
        let now = now();
        self.dated(subject, now - 86_400, now + days * 86_400 + 6 * 3_600)
    }

    /// The DER form of a certificate (what a `.cer` file often holds).
    pub fn der(&self, cert: &Cert) -> Vec<u8> {
        let out = self.next("der").with_extension("cer");
        openssl(&[
            "x509",
            "-in",
            s(&cert.path),
            "-outform",
            "DER",
            "-out",
            s(&out),
        ]);
        std::fs::read(&out).expect("read DER certificate")
    }

    /// A PKCS #8 private key in PEM.
    pub fn private_key(&self) -> String {
        let key = self.next("key").with_extension("key");
        openssl(&[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            s(&key),
        ]);
        read(&key)
    }

    /// Writes `contents` to a file of the scratch directory.
    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let file = self.dir.path().join(name);
        std::fs::write(&file, contents).expect("write test file");
        file
    }
}

/// A new key and its certificate request, and where the certificate is to be written.
struct CertRequest {
    cert: PathBuf,
    key: PathBuf,
    csr: PathBuf,
}

impl CertRequest {
    /// The certificate `issuer` signs for this request (`openssl x509 -req`), valid for `days` days
    /// from now, with `extensions` arguments.
    fn sign(self, issuer: &Cert, days: &str, extensions: &[&str]) -> Cert {
        let mut args = vec![
            "x509",
            "-req",
            "-in",
            s(&self.csr),
            "-CA",
            s(&issuer.path),
            "-CAkey",
            s(&issuer.key),
            "-CAcreateserial",
            "-days",
            days,
            "-sha256",
        ];
        args.extend_from_slice(extensions);
        args.extend_from_slice(&["-out", s(&self.cert)]);
        openssl(&args);
        Cert::read(self.cert, self.key)
    }
}

impl Cert {
    /// The certificate openssl wrote to `path`, with its key.
    fn read(path: PathBuf, key: PathBuf) -> Self {
        Self {
            pem: read(&path),
            path,
            key,
        }
    }

    /// The subject as MongoDB names an X.509 user: `openssl x509 -subject -nameopt RFC2253,-esc_msb`.
    pub fn subject(&self) -> String {
        field(&self.path, &["-subject", "-nameopt", "RFC2253,-esc_msb"])
    }

    /// openssl's SHA-256 fingerprint (uppercase, colon-separated).
    pub fn sha256(&self) -> String {
        field(&self.path, &["-fingerprint", "-sha256"])
    }

    /// openssl's serial number (uppercase hex).
    pub fn serial(&self) -> String {
        field(&self.path, &["-serial"])
    }
}

/// `openssl x509 -noout <args>`: the first line, without its `label=` prefix.
fn field(cert: &Path, args: &[&str]) -> String {
    let mut all = vec!["x509", "-noout", "-in", s(cert)];
    all.extend_from_slice(args);
    let out = openssl(&all);
    let line = out.lines().next().unwrap_or_default().to_owned();
    line.split_once('=')
        .map(|(_, value)| value.to_owned())
        .unwrap_or(line)
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// `YYYYMMDDHHMMSSZ` for `openssl ca -startdate/-enddate`.
fn openssl_time(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}{:02}{:02}{:02}Z",
        secs / 3_600,
        secs % 3_600 / 60,
        secs % 60
    )
}

fn read(file: &Path) -> String {
    std::fs::read_to_string(file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()))
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temporary path")
}

/// Runs the openssl CLI; a failure fails the test with openssl's own message.
fn openssl(args: &[&str]) -> String {
    let output = Command::new(OPENSSL)
        .args(args)
        .output()
        .expect("run /usr/bin/openssl");
    assert!(
        output.status.success(),
        "openssl {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}
