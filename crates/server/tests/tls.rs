//! HTTPS (`serve --tls-cert --tls-key`): the real server with a certificate made by openssl, a client
//! that trusts its CA, one that does not, plain HTTP on the TLS port, `Secure` cookies, and the errors
//! for unusable files.

mod common;

use std::path::Path;
use std::process::Command;

use access_console::tls::TlsFiles;
use access_console::{spawn_with_tls, ServeOptions};
use common::{openssl, OWNER};

/// A CA and a server certificate for 127.0.0.1 (SAN IP) signed by it, in `dir`.
fn certificates(dir: &Path) -> (String, TlsFiles) {
    let p = |name: &str| dir.join(name).display().to_string();
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-days",
        "2",
        "-keyout",
        &p("ca.key"),
        "-out",
        &p("ca.pem"),
        "-subj",
        "/CN=TLS Test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        &p("server.key"),
        "-out",
        &p("server.csr"),
        "-subj",
        "/CN=127.0.0.1",
    ]);
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n",
    )
    .expect("ext.cnf");
    openssl(&[
        "x509",
        "-req",
        "-in",
        &p("server.csr"),
        "-CA",
        &p("ca.pem"),
        "-CAkey",
        &p("ca.key"),
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        &p("ext.cnf"),
        "-out",
        &p("server.pem"),
    ]);
    let ca = std::fs::read_to_string(dir.join("ca.pem")).expect("ca.pem");
    (
        ca,
        TlsFiles {
            cert: dir.join("server.pem"),
            key: dir.join("server.key"),
        },
    )
}

fn options(dir: &Path) -> ServeOptions {
    ServeOptions::local(format!("sqlite://{}/db.sqlite", dir.display()))
}

#[tokio::test]
async fn serves_https_with_secure_session_cookies() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (ca, files) = certificates(dir.path());
    let server = spawn_with_tls(options(dir.path()), Some(files))
        .await
        .expect("HTTPS server starts");
    let base = server.url();
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    common::owner_token(server.pool()).await;

    let trusting = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(ca.as_bytes()).expect("CA"))
        .build()
        .expect("client");
    let response = trusting
        .post(format!("{base}/api/console/signIn"))
        .json(&serde_json::json!({"username": OWNER.0, "password": OWNER.1}))
        .send()
        .await
        .expect("sign in over HTTPS");
    assert_eq!(response.status().as_u16(), 200);
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    // Issue 14, item 6: under TLS, browsers are told to come back over HTTPS only.
    let status = trusting
        .get(format!("{base}/api/console/status"))
        .send()
        .await
        .expect("status over HTTPS");
    assert_eq!(
        status
            .headers()
            .get("strict-transport-security")
            .and_then(|v| v.to_str().ok()),
        Some("max-age=31536000")
    );

    // A client that does not trust the CA refuses the server.
    let error = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .build()
        .expect("client")
        .get(format!("{base}/api/console/status"))
        .send()
        .await
        .expect_err("an untrusted certificate");
    assert!(error.is_connect(), "{error:?}");
    // Plain HTTP on the TLS port gets no HTTP answer.
    let plain = reqwest::get(format!("http://{}/api/console/status", server.addr)).await;
    assert!(plain.is_err() || plain.is_ok_and(|r| r.status().as_u16() >= 400));
    server.shutdown().await;
}

#[test]
fn unusable_tls_files_are_refused_at_start_with_the_reason() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (_, files) = certificates(dir.path());
    let binary = env!("CARGO_BIN_EXE_access-console");
    let serve = |cert: &Path, key: &Path| {
        Command::new(binary)
            .args(["serve", "--listen", "127.0.0.1:0", "--database-url"])
            .arg(format!("sqlite://{}/cli.sqlite", dir.path().display()))
            .arg("--tls-cert")
            .arg(cert)
            .arg("--tls-key")
            .arg(key)
            .output()
            .expect("run serve")
    };
    let missing = serve(&dir.path().join("nope.pem"), &files.key);
    assert_eq!(missing.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("cannot read the TLS certificate chain") && stderr.contains("nope.pem"),
        "{stderr}"
    );
    // The CA's key with the server's certificate.
    let mismatch = serve(&files.cert, &dir.path().join("ca.key"));
    assert_eq!(mismatch.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&mismatch.stderr);
    assert!(stderr.contains("do not go together"), "{stderr}");
    assert!(
        !dir.path().join("cli.sqlite").exists(),
        "no database was created"
    );
    // --tls-cert without --tls-key is a usage error.
    let alone = Command::new(binary)
        .args(["serve", "--tls-cert"])
        .arg(&files.cert)
        .output()
        .expect("run serve");
    assert_eq!(alone.status.code(), Some(2));
}
