//! The API against the real server (free port, temporary SQLite file), with certificates made by openssl.

mod common;

use common::{assert_error, now, Pki, TestServer, DAY};
use reqwest::header::{ACCEPT, ACCEPT_ENCODING, ALLOW, CONTENT_ENCODING, CONTENT_TYPE};
use serde_json::{json, Value};

fn is_object_id(value: &Value) -> bool {
    value.as_str().is_some_and(|s| {
        s.len() == 24
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

#[tokio::test]
async fn lists_the_first_project_with_atlas_paging() {
    let t = TestServer::start().await;
    let (status, body) = t.send(t.client.get(t.url("/groups"))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["totalCount"], 1);
    let results = body["results"].as_array().expect("results");
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["name"], "Project 0");
    assert!(
        is_object_id(&results[0]["id"]) && is_object_id(&results[0]["orgId"]),
        "{body}"
    );
    assert_ne!(results[0]["id"], results[0]["orgId"]);
    assert!(
        results[0]["created"]
            .as_str()
            .is_some_and(|c| c.ends_with('Z') && c.len() == 20),
        "{body}"
    );
    assert_eq!(
        body["links"],
        json!([{"rel": "self", "href": format!("{}/api/atlas/v2/groups?pageNum=1&itemsPerPage=100", t.base)}])
    );

    let (status, body) = t
        .send(
            t.client
                .get(t.url("/groups?pageNum=2&itemsPerPage=1&includeCount=false")),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["results"], json!([]));
    assert!(
        body.get("totalCount").is_none(),
        "includeCount=false leaves totalCount out: {body}"
    );
    assert_eq!(body["links"][1]["rel"], "previous");
    assert!(
        body["links"][1]["href"]
            .as_str()
            .is_some_and(|h| h.ends_with("pageNum=1&itemsPerPage=1")),
        "{body}"
    );

    for query in [
        "pageNum=0",
        "itemsPerPage=501",
        "pageNum=abc",
        "includeCount=maybe",
    ] {
        let (status, body) = t
            .send(t.client.get(t.url(&format!("/groups?{query}"))))
            .await;
        assert_eq!(status, 400, "{query}: {body}");
        let detail = assert_error(&body, 400, "INVALID_QUERY_PARAMETER");
        let name = query.split('=').next().unwrap_or_default();
        assert!(detail.contains(name), "{detail}");
    }
    t.stop().await;
}

#[tokio::test]
async fn gets_a_project_and_refuses_unknown_or_malformed_ids() {
    let t = TestServer::start().await;
    let (status, body) = t
        .send(t.client.get(t.url(&format!("/groups/{}", t.group_id))))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["id"], t.group_id.as_str());
    assert_eq!(body["name"], "Project 0");

    let unknown = "0123456789abcdef01234567";
    for path in [
        format!("/groups/{unknown}"),
        format!("/groups/{unknown}/userSecurity"),
    ] {
        let (status, body) = t.send(t.client.get(t.url(&path))).await;
        assert_eq!(status, 404, "{path}: {body}");
        let detail = assert_error(&body, 404, "GROUP_NOT_FOUND");
        assert!(detail.contains(unknown), "{detail}");
        assert_eq!(body["parameters"], json!([unknown]));
    }
    let (status, body) = t
        .send(
            t.client
                .delete(t.url(&format!("/groups/{unknown}/userSecurity/customerX509"))),
        )
        .await;
    assert_eq!(status, 404, "{body}");
    assert_error(&body, 404, "GROUP_NOT_FOUND");

    for bad in [
        "not-a-group",
        "0123456789ABCDEF01234567",
        "0123456789abcdef0123456",
        "%FF%FE",
    ] {
        for path in [
            format!("/groups/{bad}"),
            format!("/groups/{bad}/userSecurity"),
        ] {
            let (status, body) = t.send(t.client.get(t.url(&path))).await;
            assert_eq!(status, 400, "{path}: {body}");
            let detail = assert_error(&body, 400, "INVALID_GROUP_ID");
            assert!(
                detail.contains("24 lowercase hexadecimal characters"),
                "{detail}"
            );
        }
    }
    let (status, body) = t
        .patch_on(
            "/groups/nope/userSecurity",
            json!({"customerX509": {"cas": "x"}}),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_error(&body, 400, "INVALID_GROUP_ID");
    t.stop().await;
}

#[tokio::test]
async fn saves_a_bundle_and_returns_it_byte_for_byte() {
    let pki = Pki::new();
    let t = TestServer::start().await;
    assert_eq!(
        t.stored_cas().await,
        None,
        "self-managed X.509 is off at first"
    );
    let (status, body) = t.send(t.client.get(t.user_security())).await;
    assert_eq!((status, body), (200, json!({"customerX509": {}})));

    let root = pki.self_signed("/CN=Test Root/O=Example Corp", 365);
    let other = pki.self_signed("/CN=Other Root", 3650);
    // As openssl writes bundles: text between blocks; CRLF line ends; trailing blanks.
    let bundle = format!(
        "Bag Attributes\r\nsubject=CN=Test Root\r\n{}\r\n{}  \r\n",
        root.pem.replace('\n', "\r\n"),
        other.pem.replace('\n', "\r\n")
    );
    let (status, body) = t.patch_cas(&bundle).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["customerX509"]["cas"].as_str(), Some(bundle.as_str()));
    assert!(body["customerX509"].get("warnings").is_none(), "{body}");
    assert_eq!(t.stored_cas().await.as_deref(), Some(bundle.as_str()));

    // A PATCH without customerX509.cas changes nothing.
    for unchanged in [
        json!({}),
        json!({"customerX509": {}}),
        json!({"customerX509": {"cas": null}, "ldap": {}}),
    ] {
        let (status, body) = t
            .patch_on(
                &format!("/groups/{}/userSecurity", t.group_id),
                unchanged.clone(),
            )
            .await;
        assert_eq!(status, 200, "{unchanged}: {body}");
        assert_eq!(body["customerX509"]["cas"].as_str(), Some(bundle.as_str()));
    }
    // The body read with GET can be sent back as it is.
    let (_, read) = t.send(t.client.get(t.user_security())).await;
    let (status, body) = t
        .patch_on(&format!("/groups/{}/userSecurity", t.group_id), read)
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(t.stored_cas().await.as_deref(), Some(bundle.as_str()));
    t.stop().await;
}

#[tokio::test]
async fn refuses_bad_bundles_and_keeps_the_stored_one() {
    let pki = Pki::new();
    let t = TestServer::start().await;
    let good = pki.self_signed("/CN=Stored Root", 365);
    let (status, body) = t.patch_cas(&good.pem).await;
    assert_eq!(status, 200, "{body}");

    let other = pki.self_signed("/CN=Second Root", 365);
    let lines: Vec<&str> = other.pem.lines().collect();
    let damaged = {
        let mut lines = lines.clone();
        lines[2] = "!!!! this is not base64 !!!!";
        format!("{}{}\n", good.pem, lines.join("\n"))
    };
    let missing_end = format!("{}{}\n", good.pem, lines[..lines.len() - 1].join("\n"));
    let key = pki.private_key();
    let with_key = format!("{}{}", good.pem, key);
    let expired = pki.expired("/CN=Old Root/O=Example");

    struct Case {
        name: &'static str,
        cas: String,
        code: &'static str,
        problem: Option<(&'static str, u64)>,
    }
    let good_lines = good.pem.lines().count() as u64;
    let cases = [
        Case {
            name: "bad base64",
            cas: damaged,
            code: "INVALID_X509_CA_BUNDLE",
            problem: Some(("bad_base64", good_lines + 3)),
        },
        Case {
            name: "missing END",
            cas: missing_end,
            code: "INVALID_X509_CA_BUNDLE",
            problem: Some(("missing_end", good_lines + 1)),
        },
        Case {
            name: "private key",
            cas: with_key,
            code: "PRIVATE_KEY_IN_X509_CA_BUNDLE",
            problem: Some(("private_key", good_lines + 1)),
        },
        Case {
            name: "only a private key",
            cas: key.clone(),
            code: "PRIVATE_KEY_IN_X509_CA_BUNDLE",
            problem: Some(("private_key", 1)),
        },
        Case {
            name: "empty",
            cas: String::new(),
            code: "NO_X509_CA_CERTIFICATE",
            problem: Some(("no_certificates", 0)),
        },
        Case {
            name: "no PEM block",
            cas: "just some text\n".to_owned(),
            code: "NO_X509_CA_CERTIFICATE",
            problem: Some(("no_certificates", 0)),
        },
        Case {
            name: "expired",
            cas: format!("{}{}", good.pem, expired.pem),
            code: "EXPIRED_X509_CA_CERTIFICATE",
            problem: None,
        },
    ];
    for case in cases {
        let (status, body) = t.patch_cas(&case.cas).await;
        assert_eq!(status, 400, "{}: {body}", case.name);
        let detail = assert_error(&body, 400, case.code);
        if let Some((code, line)) = case.problem {
            let problems = body["problems"].as_array().expect("problems listed");
            assert!(
                problems
                    .iter()
                    .any(|p| p["code"] == code && p["line"] == line),
                "{}: expected a {code} problem at line {line}: {body}",
                case.name
            );
            if code != "no_certificates" {
                assert!(
                    detail.contains(&format!("line {line}")),
                    "{}: detail names the line: {detail}",
                    case.name
                );
            }
        }
        assert_eq!(
            t.stored_cas().await.as_deref(),
            Some(good.pem.as_str()),
            "{}: stored bundle unchanged",
            case.name
        );
    }

    // The private key never comes back, in any part of the answer.
    let (_, body) = t.patch_cas(&format!("{}{}", good.pem, key)).await;
    let text = body.to_string();
    for line in key.lines().filter(|l| !l.starts_with("-----")) {
        assert!(!text.contains(line), "private key material echoed: {text}");
    }

    // Expired: Atlas's code and sentence, naming the certificate.
    let (_, body) = t.patch_cas(&format!("{}{}", good.pem, expired.pem)).await;
    let detail = body["detail"].as_str().unwrap_or_default();
    assert!(
        detail.starts_with("The X.509 CA certificate has expired."),
        "{detail}"
    );
    let subject = expired.subject();
    for part in [
        subject.as_str(),
        "ertificate 2 of 2 in the bundle",
        &format!("line {}", good_lines + 1),
        "2021-01-01T00:00:00Z",
    ] {
        assert!(detail.contains(part), "detail names {part:?}: {detail}");
    }
    assert_eq!(body["parameters"], json!([subject]));
    assert_eq!(t.stored_cas().await.as_deref(), Some(good.pem.as_str()));

    // Bodies that are not the JSON this resource takes.
    let path = format!("/groups/{}/userSecurity", t.group_id);
    let raw = |text: &'static str| {
        t.client
            .patch(t.user_security())
            .header(CONTENT_TYPE, "application/json")
            .body(text)
    };
    let (status, body) = t.send(raw("{\"customerX509\": {\"cas\": ")).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        assert_error(&body, 400, "INVALID_JSON").contains("line 1, column"),
        "{body}"
    );
    let (status, body) = t.send(raw("customerX509=x")).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        assert_error(&body, 400, "INVALID_JSON").contains("line 1, column 1"),
        "{body}"
    );
    let (status, body) = t.send(raw("")).await;
    assert_eq!(status, 400, "{body}");
    assert_error(&body, 400, "INVALID_JSON");
    for (wrong, field) in [
        (json!({"customerX509": {"cas": 42}}), "customerX509.cas"),
        (
            json!({"customerX509": {"cas": ["a", "b"]}}),
            "customerX509.cas",
        ),
        (
            json!({"customerX509": "-----BEGIN CERTIFICATE-----"}),
            "customerX509",
        ),
        (
            json!({"customerX509": {"ca": good.pem.clone()}}),
            "customerX509.ca",
        ),
        (
            json!({"customerx509": {"cas": good.pem.clone()}}),
            "customerx509",
        ),
        (json!([{"customerX509": {"cas": good.pem.clone()}}]), ""),
    ] {
        let (status, body) = t.patch_on(&path, wrong.clone()).await;
        assert_eq!(status, 400, "{wrong}: {body}");
        let detail = assert_error(&body, 400, "INVALID_ATTRIBUTE");
        assert!(
            detail.contains(field) && detail.contains("line 1, column"),
            "{wrong}: {detail}"
        );
        assert!(
            !detail.contains("BEGIN"),
            "string values are not echoed: {detail}"
        );
    }
    let (status, body) = t
        .send(
            t.client
                .patch(t.user_security())
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body("cas=x"),
        )
        .await;
    assert_eq!(status, 415, "{body}");
    assert_error(&body, 415, "UNSUPPORTED_MEDIA_TYPE");
    assert_eq!(
        t.stored_cas().await.as_deref(),
        Some(good.pem.as_str()),
        "stored bundle unchanged"
    );
    t.stop().await;
}

#[tokio::test]
async fn saves_expiring_and_not_yet_valid_cas_with_warnings() {
    let pki = Pki::new();
    let t = TestServer::start().await;
    let soon = pki.self_signed("/CN=Soon Root", 10);
    let future = pki.dated("/CN=Future Root", now() + 5 * DAY, now() + 400 * DAY);
    let bundle = format!("{}{}", soon.pem, future.pem);
    let (status, body) = t.patch_cas(&bundle).await;
    assert_eq!(status, 200, "{body}");
    let (_, read) = t.send(t.client.get(t.user_security())).await;
    for body in [body, read] {
        assert_eq!(body["customerX509"]["cas"].as_str(), Some(bundle.as_str()));
        let warnings = body["customerX509"]["warnings"]
            .as_array()
            .expect("warnings")
            .clone();
        let found: Vec<(u64, &str, &str)> = warnings
            .iter()
            .map(|w| {
                (
                    w["certificate"].as_u64().unwrap_or(99),
                    w["subject"].as_str().unwrap_or(""),
                    w["code"].as_str().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            found,
            vec![
                (0, "CN=Soon Root", "expires_soon"),
                (1, "CN=Future Root", "not_yet_valid")
            ],
            "{body}"
        );
        assert!(
            warnings
                .iter()
                .all(|w| w["message"].as_str().is_some_and(|m| m.len() > 20)),
            "{body}"
        );
    }
    t.stop().await;
}

#[tokio::test]
async fn delete_turns_self_managed_x509_off() {
    let pki = Pki::new();
    let t = TestServer::start().await;
    let root = pki.self_signed("/CN=Root To Drop", 365);
    assert_eq!(t.patch_cas(&root.pem).await.0, 200);
    let off = t.url(&format!("/groups/{}/userSecurity/customerX509", t.group_id));
    for _ in 0..2 {
        let (status, body) = t.send(t.client.delete(&off)).await;
        assert_eq!((status, body), (200, json!({"customerX509": {}})));
        assert_eq!(t.stored_cas().await, None);
    }
    // And on again.
    assert_eq!(t.patch_cas(&root.pem).await.0, 200);
    assert_eq!(t.stored_cas().await.as_deref(), Some(root.pem.as_str()));
    t.stop().await;
}

#[tokio::test]
async fn serves_v1_and_echoes_the_versioned_media_type() {
    let t = TestServer::start().await;
    let v1 = format!(
        "{}/api/atlas/v1.0/groups/{}/userSecurity",
        t.base, t.group_id
    );
    let (status, body) = t.send(t.client.get(&v1)).await;
    assert_eq!((status, body), (200, json!({"customerX509": {}})));
    let (status, body) = t
        .send(t.client.get(format!("{}/api/atlas/v1.0/groups", t.base)))
        .await;
    assert_eq!(status, 200);
    assert!(
        body["links"][0]["href"]
            .as_str()
            .is_some_and(|h| h.contains("/api/atlas/v1.0/groups?")),
        "{body}"
    );

    let content_type = |accept: Option<&'static str>, path: String| {
        let mut request = t.client.get(path);
        if let Some(accept) = accept {
            request = request.header(ACCEPT, accept);
        }
        async move {
            let response = request.send().await.expect("request");
            let status = response.status().as_u16();
            let content_type = response
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            (status, content_type)
        }
    };
    let groups = t.url("/groups");
    let versioned = "application/vnd.atlas.2023-01-01+json";
    assert_eq!(
        content_type(Some(versioned), groups.clone()).await,
        (200, versioned.to_owned())
    );
    assert_eq!(
        content_type(Some("application/vnd.atlas.2024-08-05+json"), v1.clone()).await,
        (200, "application/vnd.atlas.2024-08-05+json".to_owned())
    );
    // Errors too.
    assert_eq!(
        content_type(Some(versioned), t.url("/groups/0123456789abcdef01234567")).await,
        (404, versioned.to_owned())
    );
    assert_eq!(
        content_type(Some("application/json"), groups.clone()).await,
        (200, "application/json".to_owned())
    );
    assert_eq!(
        content_type(None, groups.clone()).await,
        (200, "application/json".to_owned())
    );
    assert_eq!(
        content_type(Some("text/html,*/*;q=0.8"), groups.clone()).await,
        (200, "application/json".to_owned())
    );

    let (status, body) = t
        .send(
            t.client
                .get(&groups)
                .header(ACCEPT, "application/vnd.atlas.latest+json"),
        )
        .await;
    assert_eq!(status, 406, "{body}");
    assert_error(&body, 406, "INVALID_ACCEPT_HEADER");
    t.stop().await;
}

#[tokio::test]
async fn unknown_routes_and_wrong_methods_get_the_envelope() {
    let t = TestServer::start().await;
    for path in [
        "/api/atlas/v2/nothing",
        "/api/atlas/v2",
        "/api/atlas/v3/groups",
        "/api",
        "/api/other/thing",
    ] {
        let (status, body) = t.send(t.client.get(format!("{}{path}", t.base))).await;
        assert_eq!(status, 404, "{path}: {body}");
        let detail = assert_error(&body, 404, "RESOURCE_NOT_FOUND");
        assert!(detail.contains(path), "{detail}");
    }
    let group = format!("/groups/{}", t.group_id);
    for (method, path, allow) in [
        (
            reqwest::Method::DELETE,
            "/groups".to_owned(),
            "GET, HEAD, POST",
        ),
        (
            reqwest::Method::PUT,
            group.clone(),
            "DELETE, GET, HEAD, PATCH",
        ),
        (
            reqwest::Method::PUT,
            format!("{group}/userSecurity"),
            "GET, HEAD, PATCH",
        ),
        (
            reqwest::Method::GET,
            format!("{group}/userSecurity/customerX509"),
            "DELETE",
        ),
    ] {
        let response = t
            .client
            .request(method.clone(), t.url(&path))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 405, "{method} {path}");
        assert_eq!(
            response.headers().get(ALLOW).and_then(|v| v.to_str().ok()),
            Some(allow),
            "{method} {path}"
        );
        let body: Value = response.json().await.expect("JSON");
        let detail = assert_error(&body, 405, "METHOD_NOT_ALLOWED");
        assert!(
            detail.contains(method.as_str()) && detail.contains(allow),
            "{detail}"
        );
    }
    t.stop().await;
}

#[tokio::test]
async fn refuses_a_body_over_the_limit() {
    let t = TestServer::start().await;
    let huge = format!(
        "{{\"customerX509\": {{\"cas\": \"{}\"}}}}",
        "A".repeat(access_console::api::BODY_LIMIT_BYTES + 1)
    );
    let (status, body) = t
        .send(
            t.client
                .patch(t.user_security())
                .header(CONTENT_TYPE, "application/json")
                .body(huge),
        )
        .await;
    assert_eq!(status, 413, "{body}");
    assert_error(&body, 413, "PAYLOAD_TOO_LARGE");
    assert_eq!(t.stored_cas().await, None);
    t.stop().await;
}

#[tokio::test]
async fn keeps_projects_and_bundles_across_restarts() {
    let pki = Pki::new();
    let t = TestServer::start().await;
    let root = pki.self_signed("/CN=Persistent Root", 365);
    assert_eq!(t.patch_cas(&root.pem).await.0, 200);
    let group_id = t.group_id.clone();
    match common::test_backend() {
        common::TestBackend::Sqlite => {
            let database = t.server.database_path().expect("an SQLite file");
            assert!(
                database.is_file() && database.ends_with("data/access-console.db"),
                "{}",
                database.display()
            );
        }
        common::TestBackend::Postgres => assert_eq!(t.server.database_path(), None),
    }

    let t = t.restart().await;
    assert_eq!(
        t.group_id, group_id,
        "the same first project, not a new one"
    );
    let (_, groups) = t.send(t.client.get(t.url("/groups"))).await;
    assert_eq!(groups["totalCount"], 1);
    assert_eq!(t.stored_cas().await.as_deref(), Some(root.pem.as_str()));
    t.stop().await;
}

#[tokio::test]
async fn serves_the_ui_with_a_single_page_app_fallback() {
    let dist = tempfile::tempdir().expect("dist");
    let index = format!(
        "<!doctype html><title>Access Console</title>{}",
        "<!-- padding -->".repeat(200)
    );
    std::fs::write(dist.path().join("index.html"), &index).expect("index.html");
    std::fs::write(dist.path().join("config.json"), "{\"apiBase\": \"\"}").expect("config.json");
    std::fs::create_dir(dist.path().join("pkg")).expect("pkg");
    std::fs::write(
        dist.path().join("pkg/app.js"),
        "console.log('app');\n".repeat(100),
    )
    .expect("app.js");
    let t = TestServer::start_with(Some(dist.path().to_path_buf())).await;

    for path in ["/", "/advanced", "/groups/abc/database-access"] {
        let response = t
            .client
            .get(format!("{}{path}", t.base))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert!(response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html")));
        assert_eq!(response.text().await.expect("body"), index, "{path}");
    }
    let config: Value = t
        .client
        .get(format!("{}/config.json", t.base))
        .send()
        .await
        .expect("config")
        .json()
        .await
        .expect("JSON");
    assert_eq!(config, json!({"apiBase": ""}));
    let missing = t
        .client
        .get(format!("{}/pkg/missing.wasm", t.base))
        .send()
        .await
        .expect("request");
    assert_eq!(missing.status().as_u16(), 404);
    let gzipped = t
        .client
        .get(format!("{}/pkg/app.js", t.base))
        .header(ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .expect("request");
    assert_eq!(
        gzipped
            .headers()
            .get(CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok()),
        Some("gzip")
    );
    // A file with a .gz beside it (scripts/precompress, run by `make ui`) is sent as that file, not
    // compressed again; a client that does not accept gzip gets the file itself.
    let wasm: Vec<u8> = (0..60_000u32)
        .flat_map(|i| (i % 251).to_le_bytes())
        .collect();
    std::fs::write(dist.path().join("pkg/app_bg.wasm"), &wasm).expect("app_bg.wasm");
    let precompress = std::process::Command::new("../../scripts/precompress")
        .arg(dist.path())
        .status()
        .expect("scripts/precompress runs");
    assert!(precompress.success());
    let gz = std::fs::read(dist.path().join("pkg/app_bg.wasm.gz")).expect("the .gz written");
    assert!(dist.path().join("pkg/app.js.gz").is_file());
    assert!(
        !dist.path().join("config.json.gz").exists(),
        "config.json is left alone"
    );
    let response = t
        .client
        .get(format!("{}/pkg/app_bg.wasm", t.base))
        .header(ACCEPT_ENCODING, "gzip, deflate, br")
        .send()
        .await
        .expect("request");
    let header = |r: &reqwest::Response, name| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(header(&response, CONTENT_ENCODING).as_deref(), Some("gzip"));
    assert_eq!(
        header(&response, CONTENT_TYPE).as_deref(),
        Some("application/wasm")
    );
    assert_eq!(
        response.bytes().await.expect("body").as_ref(),
        gz.as_slice()
    );
    let plain = t
        .client
        .get(format!("{}/pkg/app_bg.wasm", t.base))
        .send()
        .await
        .expect("request");
    assert_eq!(header(&plain, CONTENT_ENCODING), None);
    assert_eq!(plain.bytes().await.expect("body").as_ref(), wasm.as_slice());
    // The API is still the API.
    let (status, body) = t.send(t.client.get(t.url("/nothing"))).await;
    assert_eq!(status, 404);
    assert_error(&body, 404, "RESOURCE_NOT_FOUND");
    t.stop().await;

    let empty = tempfile::tempdir().expect("empty dist");
    let refused = access_console::spawn(access_console::ServeOptions {
        dist: Some(empty.path().to_path_buf()),
        ..access_console::ServeOptions::local("sqlite::memory:".to_owned())
    })
    .await;
    match refused {
        Err(access_console::ServeError::Ui(error)) => {
            assert!(error.to_string().contains("no index.html"), "{error}")
        }
        other => panic!("a dist without index.html is refused, got {other:?}"),
    }
}
