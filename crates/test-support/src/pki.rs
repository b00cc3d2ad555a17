//! A scratch PKI in a temporary directory, made by the real openssl CLI: self-signed roots (RSA or EC),
//! intermediates, client certificates, CAs with any validity dates (expired, expiring soon, not yet
//! valid), DER copies, private keys, and openssl's own reading of a certificate (subject, fingerprint,
//! serial: the reference what the server and the page show is compared with).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use tempfile::TempDir;

use crate::{now, DAY};

/// The openssl CLI every certificate is made with.
pub const OPENSSL: &str = "/usr/bin/openssl";

/// A certificate openssl wrote, and its private key.
#[derive(Debug, Clone)]
pub struct Cert {
    /// The certificate in PEM.
    pub pem: String,
    /// Its file.
    pub path: PathBuf,
    /// The private key's file.
    pub key: PathBuf,
    /// The private key in PEM.
    pub key_pem: String,
}

/// A scratch PKI: its files live in a temporary directory removed when it is dropped.
pub struct Pki {
    dir: TempDir,
    counter: AtomicUsize,
}

impl Default for Pki {
    fn default() -> Self {
        Self::new()
    }
}

impl Pki {
    /// Extensions of a TLS client certificate: digitalSignature, clientAuth (for
    /// [`Pki::client_with_extensions`]).
    pub const CLIENT_EXT: &'static str =
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n\
        extendedKeyUsage=clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n";

    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("test-pki-")
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

    /// The scratch directory (for a test's own openssl runs).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    fn next(&self, what: &str) -> PathBuf {
        let n = self.counter.fetch_add(1, Ordering::SeqCst);
        self.dir.path().join(format!("{what}-{n}"))
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("ca").join("ca.cnf")
    }

    /// A self-signed RSA 2048 root CA (basicConstraints CA, keyCertSign), valid from now for `days`
    /// days.
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

    /// A self-signed EC P-256 CA with openssl's default `req -x509` extensions, valid from now for
    /// `days` days (quicker to make than [`Pki::root`]).
    pub fn self_signed(&self, subject: &str, days: u32) -> Cert {
        let base = self.next("self-signed");
        let (cert, key) = (base.with_extension("pem"), base.with_extension("key"));
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            s(&key),
            "-subj",
            subject,
            "-days",
            &days.to_string(),
            "-out",
            s(&cert),
        ]);
        Cert::read(cert, key)
    }

    /// An EC P-256 intermediate CA (pathlen 0) signed by `issuer`, valid from now for `days` days.
    pub fn intermediate(&self, issuer: &Cert, subject: &str, days: u32) -> Cert {
        let request = self.key_and_request("intermediate", subject, &[]);
        let config = self.config();
        request.sign(
            issuer,
            &days.to_string(),
            &["-extfile", s(&config), "-extensions", "v3_intermediate"],
        )
    }

    /// A self-signed EC P-256 CA valid from `not_before` to `not_after` (Unix seconds, past or future:
    /// `openssl ca -selfsign -startdate -enddate`).
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

    /// A CA valid in 2020 only (expired since 2021-01-01).
    pub fn expired(&self, subject: &str) -> Cert {
        self.dated(subject, 1_577_836_800, 1_609_459_200)
    }

    /// A CA valid since yesterday that expires in `days` days (and a few hours).
    pub fn expiring_in(&self, subject: &str, days: i64) -> Cert {
        let now = now();
        self.dated(subject, now - DAY, now + days * DAY + 6 * 3_600)
    }

    /// A client certificate (EC P-256, no extensions given) for `subject` (UTF-8) issued by `issuer`,
    /// valid for `days` days from now, or already expired when `days` is -1 (`openssl x509 -days -1`).
    pub fn client(&self, issuer: &Cert, subject: &str, days: i64) -> Cert {
        self.key_and_request("client", subject, &["-utf8"])
            .sign(issuer, &days.to_string(), &[])
    }

    /// As [`Pki::client`], with the extension lines `extensions` (`openssl x509 -extfile`; e.g.
    /// [`Pki::CLIENT_EXT`]).
    pub fn client_with_extensions(
        &self,
        issuer: &Cert,
        subject: &str,
        days: i64,
        extensions: &str,
    ) -> Cert {
        let request = self.key_and_request("client", subject, &["-utf8"]);
        let extfile = request.cert.with_extension("ext");
        std::fs::write(&extfile, extensions).expect("extension file");
        request.sign(issuer, &days.to_string(), &["-extfile", s(&extfile)])
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

    /// A PKCS #8 EC private key in PEM (`openssl genpkey`).
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

    /// Writes `contents` to the file `name` of the scratch directory: its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
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
            key_pem: read(&key),
            path,
            key,
        }
    }

    /// The subject as MongoDB names an X.509 user: `openssl x509 -subject -nameopt RFC2253,-esc_msb`.
    pub fn subject(&self) -> String {
        self.field(&["-subject", "-nameopt", "RFC2253,-esc_msb"])
    }

    /// openssl's SHA-256 fingerprint (uppercase, colon-separated).
    pub fn sha256(&self) -> String {
        self.field(&["-fingerprint", "-sha256"])
    }

    /// openssl's serial number (uppercase hex).
    pub fn serial(&self) -> String {
        self.field(&["-serial"])
    }

    /// [`x509_field`] of this certificate.
    pub fn field(&self, args: &[&str]) -> String {
        x509_field(&self.path, args)
    }
}

/// `openssl x509 -noout <args>` on the certificate file `cert`: the first line, without its `label=`
/// prefix.
pub fn x509_field(cert: &Path, args: &[&str]) -> String {
    let mut all = vec!["x509", "-noout", "-in", s(cert)];
    all.extend_from_slice(args);
    let out = openssl(&all);
    let line = out.lines().next().unwrap_or_default().to_owned();
    line.split_once('=')
        .map(|(_, value)| value.to_owned())
        .unwrap_or(line)
}

/// Runs the openssl CLI: its standard output. A failure fails the test with openssl's own message.
pub fn openssl(args: &[&str]) -> String {
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

/// `YYYYMMDDHHMMSSZ`, as `openssl ca -startdate/-enddate` takes it (from core's RFC 3339 form).
fn openssl_time(unix: i64) -> String {
    access_core::time::format_rfc3339(unix)
        .chars()
        .filter(char::is_ascii_digit)
        .chain(['Z'])
        .collect()
}

fn read(file: &Path) -> String {
    std::fs::read_to_string(file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()))
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temporary path")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dates openssl writes are the ones asked for (core's formatting, read back by openssl).
    #[test]
    fn dated_certificates_carry_the_dates_asked_for() {
        let pki = Pki::new();
        let cert = pki.expired("/CN=Dated");
        assert_eq!(cert.field(&["-startdate"]), "Jan  1 00:00:00 2020 GMT");
        assert_eq!(cert.field(&["-enddate"]), "Jan  1 00:00:00 2021 GMT");
        assert_eq!(cert.subject(), "CN=Dated");
    }

    /// A client certificate chains to its issuer, and its extensions are the ones given.
    #[test]
    fn clients_chain_to_their_issuer() {
        let pki = Pki::new();
        let root = pki.root("/O=Test/CN=Root", 30);
        let issuing = pki.intermediate(&root, "/O=Test/CN=Issuing", 30);
        let client = pki.client_with_extensions(&issuing, "/CN=svc", 30, Pki::CLIENT_EXT);
        let chain = pki.write("chain.pem", format!("{}{}", root.pem, issuing.pem));
        let verified = openssl(&["verify", "-CAfile", s(&chain), s(&client.path)]);
        assert!(verified.contains(": OK"), "{verified}");
        let text = openssl(&[
            "x509",
            "-noout",
            "-ext",
            "extendedKeyUsage",
            "-in",
            s(&client.path),
        ]);
        assert!(text.contains("TLS Web Client Authentication"), "{text}");
    }
}
