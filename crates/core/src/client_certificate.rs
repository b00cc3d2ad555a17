//! A client certificate dropped on the Add User dialog: its subject (the user's name), its validity, and
//! which of the project's CAs may have issued it.
//!
//! The candidates are the stored CAs whose subject is the certificate's issuer (as openssl compares
//! names) and whose key identifier agrees with the certificate's authority key identifier. Whether a
//! candidate's key really signed the certificate is [`crate::signature::verifies`]: the browser runs it
//! in a worker (see `crates/signature-worker`), to keep the crypto out of the first load.

use crate::certificate::Certificate;
use crate::pem_bundle::{self, CertificateReport, ProblemCode, UnixTime};

/// What the dialog shows about a dropped client certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCertificate {
    /// Subject (openssl's RFC 2253: the user's name), issuer, validity, warnings.
    pub report: CertificateReport,
    /// The certificate, for the signature check.
    pub der: Vec<u8>,
    /// Indexes into the CA bundle's certificates of the CAs that may have issued it (name and key
    /// identifier match); empty when none of the project's CAs did.
    pub issuer_candidates: Vec<usize>,
    /// The file also held a private key. It was not read further and is never sent.
    pub private_key_in_file: bool,
    /// Other certificates in the file (a chain after the client certificate), not used.
    pub other_certificates: usize,
}

/// Why a dropped file gives no client certificate (the message is shown as is).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientCertificateError {
    /// The file holds no certificate.
    #[error("No certificate found in this file: drop the client certificate (.pem, .crt, .cer or .der).{}", key_note(*private_key))]
    NoCertificate {
        /// Whether it held a private key (not read, never sent; the message says so).
        private_key: bool,
    },
    /// The file holds something that is not a readable certificate; holds why.
    #[error("The certificate cannot be read: {0}")]
    Unreadable(String),
    /// The file's certificate is a CA (basicConstraints `cA=TRUE`), not one a client connects with.
    #[error("This is a CA certificate ({subject}), not a client certificate: drop the certificate the user connects with.")]
    CaCertificate {
        /// The CA's subject (RFC 2253).
        subject: String,
    },
}

fn key_note(private_key: bool) -> &'static str {
    if private_key {
        " The file holds a private key: it was not read and is not sent anywhere."
    } else {
        ""
    }
}

/// Reads the client certificate in `file` (the first certificate that is not a CA, else the first) and
/// finds its issuer candidates among the certificates of `ca_bundle` (the project's stored PEM bundle).
pub fn read_client_certificate(
    file: &[u8],
    ca_bundle: &str,
    now: UnixTime,
) -> Result<ClientCertificate, ClientCertificateError> {
    let report = pem_bundle::inspect_bytes(file, now);
    let private_key_in_file = report
        .problems
        .iter()
        .any(|p| p.code == ProblemCode::PrivateKey);
    let ders = pem_bundle::certificate_ders(file);
    let Some(chosen) = report
        .certificates
        .iter()
        .find(|c| !c.is_ca)
        .or_else(|| report.certificates.first())
    else {
        return Err(
            match report.problems.iter().find(|p| {
                p.code == ProblemCode::NotACertificate || p.code == ProblemCode::BadBase64
            }) {
                Some(problem) => ClientCertificateError::Unreadable(problem.message.clone()),
                None => ClientCertificateError::NoCertificate {
                    private_key: private_key_in_file,
                },
            },
        );
    };
    if chosen.is_ca {
        return Err(ClientCertificateError::CaCertificate {
            subject: chosen.subject.clone(),
        });
    }
    // `index` counts readable certificates; `ders` holds every certificate block, readable or not.
    let der = ders
        .into_iter()
        .filter(|der| Certificate::from_der(der).is_ok())
        .nth(chosen.index)
        .ok_or_else(|| ClientCertificateError::Unreadable("its encoding changed".to_owned()))?;
    let certificate = Certificate::from_der(&der)
        .map_err(|e| ClientCertificateError::Unreadable(e.to_string()))?;
    let issuer_candidates = pem_bundle::certificate_ders(ca_bundle.as_bytes())
        .iter()
        .filter_map(|ca_der| Certificate::from_der(ca_der).ok())
        .enumerate()
        .filter(|(_, ca)| {
            crate::dn::same_name(ca.subject, certificate.issuer).unwrap_or(false)
                && pem_bundle::key_ids_agree(ca, &certificate)
        })
        .map(|(index, _)| index)
        .collect();
    Ok(ClientCertificate {
        report: chosen.clone(),
        issuer_candidates,
        private_key_in_file,
        other_certificates: report.certificates.len().saturating_sub(1),
        der,
    })
}

/// The DER of each certificate of the project's CA bundle, in the order of
/// [`ClientCertificate::issuer_candidates`].
pub fn ca_certificates(ca_bundle: &str) -> Vec<Vec<u8>> {
    pem_bundle::certificate_ders(ca_bundle.as_bytes())
        .into_iter()
        .filter(|der| Certificate::from_der(der).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pem_bundle::WarningCode;
    use crate::test_certificates::{exists, now, KeyType, Spec, Workdir, OPENSSL};

    fn leaf(subject: &str) -> Spec<'_> {
        Spec {
            extensions: Some("leaf_ext"),
            ..Spec::ca(KeyType::Ec("P-256"), subject)
        }
    }

    #[test]
    fn finds_the_issuing_ca_among_same_named_ones_and_verifies_it() {
        if !exists(OPENSSL) {
            eprintln!("skipped: {OPENSSL} is not installed");
            return;
        }
        let dir = Workdir::new("client-issuer");
        let other = dir.self_signed(
            "other",
            &Spec::ca(KeyType::Rsa(2048), "/O=Other/CN=Other CA"),
        );
        // Two CAs with the same name but different keys: only the key identifier tells them apart.
        let twin = dir.self_signed(
            "twin",
            &Spec::ca(KeyType::Ec("P-256"), "/O=Acme/CN=Acme CA"),
        );
        let real = dir.self_signed(
            "real",
            &Spec::ca(KeyType::Ec("P-384"), "/O=Acme/CN=Acme CA"),
        );
        dir.issued("jane", &leaf("/O=Acme/OU=Billing/CN=Jane Doe"), "real");
        let bundle = format!("{other}{twin}{real}");

        let client = read_client_certificate(&dir.read("jane.pem"), &bundle, now()).unwrap();
        assert_eq!(client.report.subject, "CN=Jane Doe,OU=Billing,O=Acme");
        assert_eq!(client.issuer_candidates, [2]);
        assert!(!client.private_key_in_file);
        let cas = ca_certificates(&bundle);
        assert_eq!(cas.len(), 3);
        assert_eq!(crate::signature::verifies(&cas[2], &client.der), Ok(true));
        assert_eq!(crate::signature::verifies(&cas[1], &client.der), Ok(false));

        // None of the project's CAs issued it.
        let none = read_client_certificate(&dir.read("jane.pem"), &other, now()).unwrap();
        assert!(none.issuer_candidates.is_empty());
    }

    #[test]
    fn reads_der_files_and_reports_expiry_and_a_private_key_never_read() {
        if !exists(OPENSSL) {
            eprintln!("skipped: {OPENSSL} is not installed");
            return;
        }
        let dir = Workdir::new("client-files");
        let ca = dir.self_signed("ca", &Spec::ca(KeyType::Ec("P-256"), "/CN=Issuing CA"));
        dir.issued(
            "old",
            &Spec {
                days: -1,
                ..leaf("/CN=old.example")
            },
            "ca",
        );
        let old = read_client_certificate(&dir.read("old.pem"), &ca, now()).unwrap();
        assert!(old.report.has_warning(WarningCode::Expired));
        assert_eq!(old.issuer_candidates, [0]);

        dir.issued("app", &leaf("/DC=com/DC=example/CN=app"), "ca");
        dir.openssl(&[
            "x509", "-in", "app.pem", "-outform", "DER", "-out", "app.der",
        ]);
        let der = read_client_certificate(&dir.read("app.der"), &ca, now()).unwrap();
        assert_eq!(der.report.subject, "CN=app,DC=example,DC=com");

        // A .pem with the key first and a chain after the client certificate.
        let mut combined = dir.read("app.key");
        combined.extend(dir.read("app.pem"));
        combined.extend(ca.as_bytes());
        let with_key = read_client_certificate(&combined, &ca, now()).unwrap();
        assert!(with_key.private_key_in_file);
        assert_eq!(with_key.other_certificates, 1);
        assert_eq!(with_key.report.subject, "CN=app,DC=example,DC=com");

        assert_eq!(
            read_client_certificate(&dir.read("app.key"), &ca, now()),
            Err(ClientCertificateError::NoCertificate { private_key: true })
        );
        assert!(matches!(
            read_client_certificate(ca.as_bytes(), &ca, now()),
            Err(ClientCertificateError::CaCertificate { .. })
        ));
        assert_eq!(
            read_client_certificate(b"hello", &ca, now()),
            Err(ClientCertificateError::NoCertificate { private_key: false })
        );
    }
}
