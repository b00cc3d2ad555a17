//! The `access-console` binary as a user runs it: exit statuses, the report for people, the JSON report
//! (compared with the openssl CLI), and `serve` started and stopped with SIGTERM.

mod common;

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{now, openssl, Pki, DAY};
use serde_json::Value;

const BINARY: &str = env!("CARGO_BIN_EXE_access-console");

fn run(args: &[&str]) -> Output {
    Command::new(BINARY)
        .args(args)
        .output()
        .expect("run access-console")
}

fn status(output: &Output) -> i32 {
    output.status.code().expect("exited, not killed")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

#[test]
fn inspect_prints_each_certificate_and_exits_0() {
    let pki = Pki::new();
    // Half a day past 364 days: the days left do not depend on how long the test takes.
    let root = pki.dated(
        "/CN=Readable Root/O=Example Corp/C=US",
        now() - DAY,
        now() + 364 * DAY + DAY / 2,
    );
    let other = pki.self_signed("/CN=Second Root", 800);
    let file = pki.write(
        "bundle.pem",
        format!("{}\n{}", root.pem, other.pem).as_bytes(),
    );
    let output = run(&["inspect", path(&file)]);
    let text = stdout(&output);
    assert_eq!(status(&output), 0, "{text}{}", stderr(&output));
    let subject = root.subject();
    let sha256 = root.sha256();
    let serial = root.serial();
    for expected in [
        format!("{}: 2 certificates, 0 problems", path(&file)),
        "Certificate 1 of 2 (block 1, line 1)".to_owned(),
        format!(
            "Certificate 2 of 2 (block 2, line {})",
            root.pem.lines().count() + 2
        ),
        format!("Subject     {subject}"),
        format!("Issuer      {subject} (self-signed)"),
        format!("Serial      {serial}"),
        format!("SHA-256     {sha256}"),
        "Key         EC P-256 (256 bits)".to_owned(),
        "Signature   ecdsa-with-SHA256".to_owned(),
        "CA          yes".to_owned(),
        "(364 days left)".to_owned(),
        "Warnings    none".to_owned(),
        "Summary: 2 certificates, 0 problems: every block is a readable certificate.".to_owned(),
    ] {
        assert!(text.contains(&expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains("Problems"), "{text}");
}

#[test]
fn inspect_json_is_the_core_report() {
    let pki = Pki::new();
    let root = pki.dated(
        "/CN=Json Root/O=Example",
        now() - DAY,
        now() + 364 * DAY + DAY / 2,
    );
    let key = pki.private_key();
    let file = pki.write("bundle.pem", format!("{}{}", root.pem, key).as_bytes());
    let output = run(&["inspect", "--json", path(&file)]);
    assert_eq!(
        status(&output),
        1,
        "a private key is a problem: {}",
        stdout(&output)
    );
    let report: Value = serde_json::from_str(&stdout(&output)).expect("stdout is only JSON");
    let keys: Vec<&str> = report
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["certificates", "problems"]);

    let certificate = &report["certificates"][0];
    assert_eq!(certificate["index"], 0);
    assert_eq!(certificate["line"], 1);
    assert_eq!(certificate["subject"], root.subject());
    assert_eq!(
        certificate["issuer"],
        root.field(&["-issuer", "-nameopt", "RFC2253,-esc_msb"])
    );
    assert_eq!(certificate["serial"], root.serial());
    assert_eq!(certificate["sha256_fingerprint"], root.sha256());
    assert_eq!(
        certificate["sha1_fingerprint"],
        root.field(&["-fingerprint", "-sha1"])
    );
    assert_eq!(certificate["public_key"]["algorithm"], "EC");
    assert_eq!(certificate["signature_algorithm"], "ecdsa-with-SHA256");
    assert_eq!(certificate["is_ca"], true);
    assert_eq!(certificate["self_signed"], true);
    assert_eq!(certificate["days_left"], 364);
    assert!(
        certificate["warnings"]
            .as_array()
            .is_some_and(Vec::is_empty),
        "{certificate}"
    );

    let problem = &report["problems"][0];
    assert_eq!(problem["code"], "private_key");
    assert_eq!(problem["block"], 2);
    assert_eq!(problem["line"], root.pem.lines().count() + 1);
    let text = stdout(&output);
    for line in key.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!text.contains(line), "private key material printed");
    }
}

#[test]
fn inspect_exits_1_and_names_block_and_line_of_each_problem() {
    let pki = Pki::new();
    let root = pki.self_signed("/CN=Good Root", 365);
    let broken = pki.self_signed("/CN=Broken Root", 365);
    let mut lines: Vec<String> = broken.pem.lines().map(str::to_owned).collect();
    lines[3] = "@@@@".to_owned();
    let root_lines = root.pem.lines().count();
    let file = pki.write(
        "bundle.pem",
        format!("{}{}\n", root.pem, lines.join("\n")).as_bytes(),
    );
    let output = run(&["inspect", path(&file)]);
    let text = stdout(&output);
    assert_eq!(status(&output), 1, "{text}");
    assert!(text.contains("1 certificate, 1 problem"), "{text}");
    assert!(text.contains("Problems\n  [bad_base64] Block 2"), "{text}");
    assert!(
        text.contains(&format!("line {}", root_lines + 4)),
        "the damaged line is named:\n{text}"
    );
    assert!(text.contains("the bundle has problems"), "{text}");

    let empty = pki.write("empty.pem", b"");
    let output = run(&["inspect", path(&empty)]);
    assert_eq!(status(&output), 1);
    assert!(
        stdout(&output).contains("[no_certificates]"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn inspect_exits_2_on_usage_and_read_errors() {
    let missing = run(&["inspect", "/nonexistent/ca.pem"]);
    assert_eq!(status(&missing), 2);
    assert!(
        stderr(&missing).contains("cannot read /nonexistent/ca.pem"),
        "{}",
        stderr(&missing)
    );
    assert!(stdout(&missing).is_empty());
    let directory = run(&["inspect", "/"]);
    assert_eq!(status(&directory), 2, "{}", stderr(&directory));
    for args in [
        &["inspect"][..],
        &["inspect", "--nope", "x.pem"],
        &["inspect", "--expires-within", "soon", "x.pem"],
        &["frobnicate"],
        &[],
    ] {
        let output = run(args);
        assert_eq!(status(&output), 2, "{args:?}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("Usage") || stderr(&output).contains("--help"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    let help = run(&["inspect", "--help"]);
    assert_eq!(status(&help), 0);
    assert!(stdout(&help).contains("Exit status:"), "{}", stdout(&help));
}

#[test]
fn inspect_exits_3_when_a_certificate_expires_within_the_window() {
    let pki = Pki::new();
    let soon = pki.dated("/CN=Soon Root", now() - DAY, now() + 9 * DAY + DAY / 2);
    let later = pki.self_signed("/CN=Later Root", 365);
    let bundle = pki.write(
        "bundle.pem",
        format!("{}{}", later.pem, soon.pem).as_bytes(),
    );
    let within = |days: &str| run(&["inspect", "--expires-within", days, path(&bundle)]);

    let output = within("30");
    assert_eq!(status(&output), 3, "{}", stdout(&output));
    assert!(
        stdout(&output).contains("1 certificate expires within 30 days or has expired: 2."),
        "{}",
        stdout(&output)
    );
    assert_eq!(
        status(&within("10")),
        3,
        "9 days and a half left is within 10 days"
    );
    let output = within("9");
    assert_eq!(status(&output), 0, "{}", stdout(&output));
    assert!(
        stdout(&output).contains("No certificate expires within 9 days."),
        "{}",
        stdout(&output)
    );
    assert_eq!(
        status(&run(&["inspect", path(&bundle)])),
        0,
        "without --expires-within, expiry does not fail"
    );

    // An expired certificate is caught by any window, even 0 days; --json keeps stdout pure JSON.
    let expired = pki.dated("/CN=Expired Root", now() - 400 * DAY, now() - DAY);
    let output = run(&[
        "inspect",
        "--json",
        "--expires-within",
        "0",
        path(&expired.path),
    ]);
    assert_eq!(status(&output), 3, "{}", stdout(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(report["certificates"][0]["warnings"][0]["code"], "expired");
    assert!(
        stderr(&output).contains("has expired"),
        "{}",
        stderr(&output)
    );

    // Problems take precedence over expiry.
    let with_problem = pki.write(
        "both.pem",
        format!("{}-----BEGIN CERTIFICATE-----\nAAAA\n", soon.pem).as_bytes(),
    );
    assert_eq!(
        status(&run(&[
            "inspect",
            "--expires-within",
            "30",
            path(&with_problem)
        ])),
        1
    );
}

#[test]
fn inspect_reads_standard_input_and_der() {
    let pki = Pki::new();
    let root = pki.self_signed("/CN=Piped Root", 365);
    let mut child = Command::new(BINARY)
        .args(["inspect", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(root.pem.as_bytes())
        .expect("write stdin");
    let output = child.wait_with_output().expect("wait");
    assert_eq!(status(&output), 0);
    let report: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(report["certificates"][0]["subject"], "CN=Piped Root");

    let der = pki.dir().join("root.der");
    openssl(&[
        "x509",
        "-in",
        path(&root.path),
        "-outform",
        "DER",
        "-out",
        path(&der),
    ]);
    let output = run(&["inspect", path(&der)]);
    assert_eq!(status(&output), 0, "{}", stdout(&output));
    assert!(
        stdout(&output).contains("Subject     CN=Piped Root"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn serve_prints_its_address_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let database = dir.path().join("nested/dir/console.db");
    let mut child = Command::new(BINARY)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &format!("sqlite://{}", database.display()),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let (lines, received) = mpsc::channel();
    let out = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let next = || {
        received
            .recv_timeout(Duration::from_secs(30))
            .expect("a line from serve")
    };
    let first = next();
    let url = first
        .strip_prefix("Access Console listening on ")
        .unwrap_or_else(|| panic!("first line: {first}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let second = next();
    let canonical = std::fs::canonicalize(&database).expect("database file created");
    assert_eq!(second, format!("Database: {}", canonical.display()));

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    // No account yet: the API refuses everyone, and the setup code printed makes the first owner.
    let ui_line = next();
    assert!(ui_line.starts_with("UI: not served"), "{ui_line}");
    let setup = next();
    let code = setup
        .strip_prefix("No console account yet. Setup code: ")
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("setup line: {setup}"))
        .to_owned();
    let groups: Value = runtime.block_on(async {
        let client = reqwest::Client::new();
        let refused = client
            .get(format!("{url}/api/atlas/v2/groups"))
            .send()
            .await
            .expect("GET");
        assert_eq!(refused.status().as_u16(), 401);
        let session: Value = client
            .post(format!("{url}/api/console/setup"))
            .json(&serde_json::json!({
                "setupCode": code.to_lowercase(),
                "username": "first.owner",
                "password": "a long enough password",
                "session": "bearer"
            }))
            .send()
            .await
            .expect("POST setup")
            .json()
            .await
            .expect("JSON");
        assert_eq!(session["roles"][0]["roleName"], "GROUP_OWNER", "{session}");
        let token = session["token"].as_str().expect("a bearer token");
        client
            .get(format!("{url}/api/atlas/v2/groups"))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET")
            .json()
            .await
            .expect("JSON")
    });
    assert_eq!(groups["results"][0]["name"], "Project 0");
    assert_eq!(next(), "Press Ctrl-C to stop.");

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let mut rest = Vec::new();
    while let Ok(line) = received.recv_timeout(Duration::from_secs(30)) {
        rest.push(line);
    }
    let exit = child.wait().expect("wait");
    assert_eq!(exit.code(), Some(0), "{rest:?}");
    assert_eq!(
        rest.last().map(String::as_str),
        Some("Stopped."),
        "{rest:?}"
    );
}

#[test]
fn serve_says_why_a_database_url_cannot_be_used() {
    let cases = [
        (
            "mysql://localhost/console",
            "the database URL \"mysql://localhost/console\" is not supported: use sqlite://path/to/file.db \
             or postgres://user:password@host:port/database",
        ),
        (
            "postgres://console:secret@localhost:notaport/console",
            "the database URL \"postgres://console:***@localhost:notaport/console\" is not valid: ",
        ),
        // Nothing listens on port 1: the password is not shown.
        (
            "postgres://console:secret@127.0.0.1:1/console",
            "cannot open the database postgres://console:***@127.0.0.1:1/console: ",
        ),
    ];
    for (url, message) in cases {
        let output = run(&["serve", "--listen", "127.0.0.1:0", "--database-url", url]);
        assert_eq!(status(&output), 1, "{url}: {}", stderr(&output));
        let said = stderr(&output);
        assert!(
            said.starts_with(&format!("access-console serve: {message}")),
            "{url}: {said}"
        );
        assert!(!said.contains("secret"), "{said}");
    }
}

/// `accounts …` with the password on standard input.
fn run_with_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BINARY)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start access-console");
    let mut input = child.stdin.take().expect("piped stdin");
    input.write_all(stdin.as_bytes()).expect("write stdin");
    drop(input);
    child.wait_with_output().expect("access-console ran")
}

/// `accounts create`, `list` and `set-password` on the test backend's database (a fresh PostgreSQL
/// database with `ACCESS_CONSOLE_TEST_BACKEND=postgres`), then a sign-in through the server with the new
/// password.
#[tokio::test]
async fn accounts_create_list_and_set_password() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = common::new_database_url(dir.path()).await;
    let db = ["--database-url", url.as_str()];

    let create = |name: &str, role: &[&str], password: &str| {
        let mut args = vec!["accounts", "create", "--username", name, "--password-stdin"];
        args.extend_from_slice(role);
        args.extend_from_slice(&db);
        run_with_stdin(&args, &format!("{password}\n"))
    };
    let output = create("Alice", &["--owner"], "alice's first password");
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    assert!(
        stdout(&output)
            .starts_with("Created the console account Alice (Project Owner of 1 project(s))"),
        "{}",
        stdout(&output)
    );
    let output = create("bob", &["--role", "GROUP_READ_ONLY"], "bob's long password");
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    // Names are unique whatever their case.
    let output = create("ALICE", &["--owner"], "another long password");
    assert_eq!(status(&output), 1, "{}", stdout(&output));
    assert!(
        stderr(&output).contains("already exists"),
        "{}",
        stderr(&output)
    );

    let mut args = vec!["accounts", "list"];
    args.extend_from_slice(&db);
    let output = run(&args);
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    let listed: Vec<Vec<String>> = stdout(&output)
        .lines()
        .skip(1)
        .map(|line| line.split_whitespace().take(2).map(str::to_owned).collect())
        .collect();
    assert_eq!(
        listed,
        [["Alice", "GROUP_OWNER"], ["bob", "GROUP_READ_ONLY"]],
        "{}",
        stdout(&output)
    );

    let mut args = vec![
        "accounts",
        "set-password",
        "--username",
        "alice",
        "--password-stdin",
    ];
    args.extend_from_slice(&db);
    let output = run_with_stdin(&args, "alice's second password\n");
    assert_eq!(status(&output), 0, "{}", stderr(&output));

    let server = access_console::spawn(access_console::ServeOptions::local(url.clone()))
        .await
        .expect("server starts");
    assert_eq!(server.setup_code(), None, "an account exists");
    let sign_in = |password: &'static str| {
        reqwest::Client::new()
            .post(format!("{}/api/console/signIn", server.url()))
            .json(&serde_json::json!({"username": "Alice", "password": password, "session": "bearer"}))
            .send()
    };
    let old = sign_in("alice's first password").await.expect("sign in");
    assert_eq!(old.status().as_u16(), 401);
    let new = sign_in("alice's second password").await.expect("sign in");
    assert_eq!(new.status().as_u16(), 200);
    server.shutdown().await;
}

/// `check` on the server's database: a certificate from the project's CA whose user may FIND exits 0, a
/// denied action 1 (the report names the role that would grant it), a certificate from another CA 1, and
/// usage errors 2; `--json` prints the API's answer.
#[tokio::test]
async fn check_exits_0_when_allowed_1_when_not_2_on_usage_errors() {
    let t = common::TestServer::start().await;
    let pki = Pki::new();
    let ca = pki.self_signed("/O=Acme/CN=Pipeline CA", 365);
    let (code, body) = t.patch_cas(&ca.pem).await;
    assert_eq!(code, 200, "{body}");
    let g = t.group_id.clone();
    let (code, body) = t
        .send(
            t.client
                .post(t.url(&format!("/groups/{g}/databaseUsers")))
                .json(&serde_json::json!({
                    "databaseName": "$external", "username": "CN=billing-svc,O=Acme", "x509Type": "CUSTOMER",
                    "roles": [{"roleName": "read", "databaseName": "sales"}]
                })),
        )
        .await;
    assert_eq!(code, 201, "{body}");
    let good = pki.client_with_extensions(&ca, "/O=Acme/CN=billing-svc", 365, Pki::CLIENT_EXT);
    let stranger_ca = pki.self_signed("/O=Else/CN=Other CA", 365);
    let foreign =
        pki.client_with_extensions(&stranger_ca, "/O=Acme/CN=billing-svc", 365, Pki::CLIENT_EXT);
    let url = t.database_url.clone();
    let check = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "--group-id",
            g.as_str(),
            "--database-url",
            url.as_str(),
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let good_path = path(&good.path).to_owned();

    let output = check(&[
        "--cert",
        &good_path,
        "--action",
        "FIND",
        "--db",
        "sales",
        "--collection",
        "orders",
    ]);
    assert_eq!(status(&output), 0, "{}{}", stdout(&output), stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("username  CN=billing-svc,O=Acme"), "{text}");
    assert!(text.contains("PASS  chain"), "{text}");
    assert!(
        text.contains("FIND on sales.* via CN=billing-svc,O=Acme → read@sales"),
        "{text}"
    );

    let output = check(&[
        "--cert",
        &good_path,
        "--action",
        "INSERT",
        "--db",
        "sales",
        "--collection",
        "orders",
    ]);
    assert_eq!(status(&output), 1, "{}", stdout(&output));
    assert!(
        stdout(&output).contains("readWrite@sales"),
        "{}",
        stdout(&output)
    );

    let output = check(&["--cert", path(&foreign.path), "--json"]);
    assert_eq!(status(&output), 1, "{}", stdout(&output));
    let answer: Value = serde_json::from_str(&stdout(&output)).expect("JSON answer");
    let chain = answer["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == "chain")
        .unwrap();
    assert_eq!(chain["code"], "no_ca_of_issuer_name", "{answer}");

    // By name, from standard input, and the usage errors.
    let output = check(&[
        "--username",
        "CN=billing-svc,O=Acme",
        "--action",
        "FIND",
        "--db",
        "sales",
    ]);
    assert_eq!(status(&output), 0, "{}{}", stdout(&output), stderr(&output));
    let mut args = vec![
        "check",
        "--group-id",
        g.as_str(),
        "--database-url",
        url.as_str(),
        "--cert",
        "-",
    ];
    args.extend(["--action", "FIND", "--db", "sales"]);
    let output = run_with_stdin(&args, &good.pem);
    assert_eq!(status(&output), 0, "{}{}", stdout(&output), stderr(&output));
    for extra in [
        &[
            "--username",
            "CN=x",
            "--action",
            "NOT_AN_ACTION",
            "--db",
            "x",
        ][..],
        &["--username", "CN=x", "--cert", &good_path][..],
        &["--cert", "/nonexistent/cert.pem"][..],
        &[][..],
    ] {
        let output = check(extra);
        assert_eq!(status(&output), 2, "{extra:?}: {}", stdout(&output));
    }
    let output = run(&[
        "check",
        "--group-id",
        "0123456789abcdef01234567",
        "--database-url",
        &url,
        "--username",
        "CN=x",
    ]);
    assert_eq!(status(&output), 2, "{}", stdout(&output));
    assert!(
        stderr(&output).contains("no project"),
        "{}",
        stderr(&output)
    );
    t.stop().await;
}

#[test]
fn inspect_lists_subject_alternative_names() {
    let pki = Pki::new();
    let key = pki.dir().join("san.key");
    let pem = pki.dir().join("san.pem");
    openssl(&["genpkey", "-algorithm", "ED25519", "-out", path(&key)]);
    openssl(&[
        "req",
        "-x509",
        "-new",
        "-key",
        path(&key),
        "-subj",
        "/CN=San Root",
        "-days",
        "90",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "subjectAltName=DNS:db.example.com,IP:192.0.2.7,IP:2001:db8::1,email:ops@example.com",
        "-out",
        path(&pem),
    ]);
    let output = run(&["inspect", path(&pem)]);
    assert_eq!(status(&output), 0, "{}", stdout(&output));
    assert!(
        stdout(&output).contains(
            "Alt names   DNS:db.example.com, IP Address:192.0.2.7, IP Address:2001:db8::1,"
        ),
        "{}",
        stdout(&output)
    );
    let output = run(&["inspect", "--json", path(&pem)]);
    let report: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(
        report["certificates"][0]["subject_alt_names"],
        serde_json::json!([
            {"kind": "dns", "value": "db.example.com"},
            {"kind": "ip", "value": "192.0.2.7"},
            {"kind": "ip", "value": "2001:db8::1"},
            {"kind": "email", "value": "ops@example.com"},
        ])
    );
}
