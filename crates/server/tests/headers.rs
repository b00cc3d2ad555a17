//! Security headers on every response, and CORS only for the `--cors-origin` origins, against the real
//! server.

mod common;

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use access_console::{spawn, ServeError, ServeOptions, Spawned};
use reqwest::header::HeaderMap;
use reqwest::Method;

const OPENSSL: &str = "/usr/bin/openssl";
const CONSOLE: &str = "https://console.example.com";

/// Trunk's shape: an inline module script that starts the app (CRLF line ends, as an editor on
/// Windows may leave them: the browser hashes the text with `\n`).
const INLINE_SCRIPT: &str =
    "\r\nimport init from './app.js';\r\nawait init({ module_or_path: './app_bg.wasm' });\r\n";

async fn start(dist: Option<&Path>, cors_origins: &[&str]) -> Result<Spawned, ServeError> {
    spawn(ServeOptions {
        dist: dist.map(Path::to_path_buf),
        cors_origins: cors_origins.iter().map(|o| (*o).to_owned()).collect(),
        ..ServeOptions::local("sqlite::memory:".to_owned())
    })
    .await
}

fn dist(api_base: &str) -> tempfile::TempDir {
    let dist = tempfile::tempdir().expect("dist");
    let index = format!(
        "<!DOCTYPE html>\n<html><head><script type=\"module\">{INLINE_SCRIPT}</script>\
         <script src=\"./other.js\"></script></head><body></body></html>\n"
    );
    std::fs::write(dist.path().join("index.html"), index).expect("index.html");
    std::fs::write(
        dist.path().join("config.json"),
        format!("{{\"apiBase\": \"{api_base}\"}}"),
    )
    .expect("config.json");
    std::fs::write(
        dist.path().join("app.js"),
        "export default function init() {}\n",
    )
    .expect("app.js");
    dist
}

/// `sha256-<base64>` of `text` by the openssl CLI.
fn openssl_sha256_base64(text: &str) -> String {
    let mut digest = Command::new(OPENSSL)
        .args(["dgst", "-sha256", "-binary"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("openssl dgst");
    digest
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write to openssl");
    let binary = digest.wait_with_output().expect("openssl dgst output");
    assert!(binary.status.success());
    let mut encode = Command::new(OPENSSL)
        .args(["base64", "-A"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("openssl base64");
    encode
        .stdin
        .take()
        .expect("stdin")
        .write_all(&binary.stdout)
        .expect("write to openssl");
    let encoded = encode.wait_with_output().expect("openssl base64 output");
    assert!(encoded.status.success());
    format!("sha256-{}", String::from_utf8_lossy(&encoded.stdout).trim())
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The CSP directive `name`'s sources.
fn directive<'a>(csp: &'a str, name: &str) -> Vec<&'a str> {
    csp.split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix(name).filter(|rest| rest.starts_with(' ')))
        .map(|sources| sources.split_whitespace().collect())
        .unwrap_or_default()
}

/// The security headers are there; returns the CSP.
fn assert_security_headers(headers: &HeaderMap, what: &str) -> String {
    assert_eq!(
        header(headers, "x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        header(headers, "referrer-policy"),
        Some("no-referrer"),
        "{what}"
    );
    assert_eq!(header(headers, "x-frame-options"), Some("DENY"), "{what}");
    let csp = header(headers, "content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"))
        .to_owned();
    assert_eq!(directive(&csp, "default-src"), ["'self'"], "{what}: {csp}");
    assert_eq!(
        directive(&csp, "frame-ancestors"),
        ["'none'"],
        "{what}: {csp}"
    );
    assert_eq!(directive(&csp, "base-uri"), ["'none'"], "{what}: {csp}");
    assert_eq!(directive(&csp, "object-src"), ["'none'"], "{what}: {csp}");
    assert_eq!(directive(&csp, "worker-src"), ["'self'"], "{what}: {csp}");
    assert_eq!(directive(&csp, "style-src"), ["'self'"], "{what}: {csp}");
    let scripts = directive(&csp, "script-src");
    assert!(
        scripts.contains(&"'self'") && scripts.contains(&"'wasm-unsafe-eval'"),
        "{what}: {csp}"
    );
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
        "{what}: {csp}"
    );
    csp
}

fn cors_headers(headers: &HeaderMap) -> Vec<String> {
    headers
        .keys()
        .map(|k| k.as_str().to_owned())
        .filter(|k| k.starts_with("access-control-"))
        .collect()
}

#[tokio::test]
async fn every_response_has_the_security_headers_and_the_csp_allows_the_inline_script() {
    let dist = dist("https://API.example.com:8443/");
    let server = start(Some(dist.path()), &[]).await.expect("server starts");
    let base = server.url();
    let unauthenticated = reqwest::Client::new()
        .get(format!("{base}/api/atlas/v2/groups"))
        .send()
        .await
        .expect("GET without credentials");
    assert_eq!(unauthenticated.status().as_u16(), 401);
    assert_security_headers(unauthenticated.headers(), "a 401");
    let client = common::client_with_token(&common::owner_token(server.pool()).await);
    let get = |path: &str| client.get(format!("{base}{path}")).send();

    let index = get("/").await.expect("index.html");
    assert_eq!(index.status().as_u16(), 200);
    let csp = assert_security_headers(index.headers(), "index.html");
    let hash = openssl_sha256_base64(&INLINE_SCRIPT.replace("\r\n", "\n"));
    let scripts = directive(&csp, "script-src");
    assert_eq!(
        scripts,
        ["'self'", "'wasm-unsafe-eval'", &format!("'{hash}'")],
        "only the inline script, by its hash: {csp}"
    );
    assert_eq!(
        directive(&csp, "connect-src"),
        ["'self'", "https://api.example.com:8443"],
        "the apiBase of config.json may be fetched: {csp}"
    );

    let mut seen = vec![("index.html", csp.clone())];
    for (path, status, what) in [
        ("/advanced", 200, "an app route (index.html)"),
        ("/app.js", 200, "a UI file"),
        ("/config.json", 200, "config.json"),
        ("/missing.wasm", 404, "a missing UI file"),
        ("/api/atlas/v2/groups", 200, "an API answer"),
        ("/api/atlas/v2/nothing", 404, "an API 404"),
        ("/api/atlas/v2/groups/zzz", 400, "an API error"),
    ] {
        let response = get(path).await.expect(what);
        assert_eq!(response.status().as_u16(), status, "{what}: {path}");
        seen.push((what, assert_security_headers(response.headers(), what)));
        assert!(cors_headers(response.headers()).is_empty(), "{what}");
    }
    let wrong_method = client
        .put(format!("{base}/api/atlas/v2/groups"))
        .send()
        .await
        .expect("PUT /groups");
    assert_eq!(wrong_method.status().as_u16(), 405);
    seen.push((
        "405",
        assert_security_headers(wrong_method.headers(), "a 405"),
    ));
    for (what, policy) in &seen {
        assert_eq!(policy, &csp, "one policy for everything ({what})");
    }
    server.shutdown().await;

    // API only: no inline script allowed at all.
    let server = start(None, &[]).await.expect("server starts");
    let response = reqwest::get(format!("{}/", server.url()))
        .await
        .expect("GET /");
    assert_eq!(response.status().as_u16(), 404);
    let csp = assert_security_headers(response.headers(), "the no-UI answer");
    assert_eq!(
        directive(&csp, "script-src"),
        ["'self'", "'wasm-unsafe-eval'"]
    );
    assert_eq!(directive(&csp, "connect-src"), ["'self'"]);
    server.shutdown().await;
}

#[tokio::test]
async fn cors_answers_the_configured_origins_only() {
    let other_console = "http://127.0.0.1:8081";
    let server = start(None, &[CONSOLE, other_console])
        .await
        .expect("server starts");
    let groups = format!("{}/api/atlas/v2/groups", server.url());
    let client = common::client_with_token(&common::owner_token(server.pool()).await);

    // Preflight of a PATCH with If-Match from the console.
    let preflight = client
        .request(Method::OPTIONS, &groups)
        .header("origin", CONSOLE)
        .header("access-control-request-method", "PATCH")
        .header("access-control-request-headers", "content-type,if-match")
        .send()
        .await
        .expect("preflight");
    assert!(
        [200, 204].contains(&preflight.status().as_u16()),
        "{}",
        preflight.status()
    );
    let headers = preflight.headers();
    assert_eq!(
        header(headers, "access-control-allow-origin"),
        Some(CONSOLE)
    );
    let methods = header(headers, "access-control-allow-methods").unwrap_or_default();
    for method in ["GET", "POST", "PATCH", "PUT", "DELETE"] {
        assert!(methods.split(',').any(|m| m.trim() == method), "{methods}");
    }
    let allowed = header(headers, "access-control-allow-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    for name in ["content-type", "accept", "if-match"] {
        assert!(allowed.split(',').any(|h| h.trim() == name), "{allowed}");
    }
    assert!(
        headers
            .get_all("vary")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.to_ascii_lowercase().contains("origin")),
        "Vary: Origin"
    );
    assert_security_headers(headers, "a preflight");

    // The request itself, from each configured origin.
    for origin in [CONSOLE, other_console] {
        let response = client
            .get(&groups)
            .header("origin", origin)
            .send()
            .await
            .expect("GET from the console");
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(
            header(response.headers(), "access-control-allow-origin"),
            Some(origin)
        );
        let exposed = header(response.headers(), "access-control-expose-headers")
            .unwrap_or_default()
            .to_ascii_lowercase();
        assert!(exposed.contains("etag"), "{exposed}");
        assert_security_headers(response.headers(), "a CORS answer");
    }

    // Another origin: no permission, for the preflight or the request.
    for method in [Method::OPTIONS, Method::GET] {
        let response = client
            .request(method.clone(), &groups)
            .header("origin", "https://evil.example.com")
            .header("access-control-request-method", "DELETE")
            .send()
            .await
            .expect("request from another origin");
        assert_eq!(
            header(response.headers(), "access-control-allow-origin"),
            None,
            "{method}"
        );
        assert_security_headers(response.headers(), "another origin");
    }
    server.shutdown().await;

    // No --cors-origin: no CORS header at all, even for a preflight.
    let server = start(None, &[]).await.expect("server starts");
    let groups = format!("{}/api/atlas/v2/groups", server.url());
    for method in [Method::OPTIONS, Method::GET] {
        let response = client
            .request(method.clone(), &groups)
            .header("origin", CONSOLE)
            .header("access-control-request-method", "GET")
            .send()
            .await
            .expect("request");
        assert!(
            cors_headers(response.headers()).is_empty(),
            "{method}: {:?}",
            response.headers()
        );
        assert!(response.headers().get("vary").is_none_or(|v| !v
            .to_str()
            .unwrap_or_default()
            .to_ascii_lowercase()
            .contains("origin")));
    }
    server.shutdown().await;
}

#[tokio::test]
async fn a_cors_origin_that_is_not_an_origin_is_refused_at_start() {
    for bad in [
        "console.example.com",
        "https://console.example.com/",
        "https://console.example.com/ui",
        "ftp://console.example.com",
        "https://console.example.com:70000",
    ] {
        match start(None, &[CONSOLE, bad]).await {
            Err(ServeError::CorsOrigin(error)) => {
                let message = error.to_string();
                assert!(
                    message.contains(bad) && message.contains("scheme://host[:port]"),
                    "{message}"
                );
            }
            Err(other) => panic!("{bad}: refused for another reason: {other}"),
            Ok(server) => {
                server.shutdown().await;
                panic!("{bad}: accepted");
            }
        }
    }

    // The command line says so too, and exits 1.
    let output = Command::new(env!("CARGO_BIN_EXE_access-console"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            "sqlite::memory:",
            "--cors-origin",
            "https://console.example.com/",
        ])
        .output()
        .expect("run access-console serve");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--cors-origin") && stderr.contains("no path"),
        "{stderr}"
    );
}
