//! Project → API Keys: an owner creates a key (the access list checked as typed), sees its private key
//! once, the key works with HTTP Digest, and is deleted.

use serde_json::json;

use crate::harness::{artifacts_dir, browser_test, Ctx, Error};

/// The status of `GET path` sent with the key (HTTP Digest: ask, read the challenge, answer it).
pub(crate) async fn status_with_key(
    base: &str,
    path: &str,
    public: &str,
    private: &str,
) -> Result<u16, Error> {
    use access_console::access::digest::{expected_response, ha1, REALM};
    let http = reqwest::Client::new();
    let url = format!("{base}{path}");
    let challenge = http.get(&url).send().await?;
    let header = challenge
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .ok_or("no challenge")?
        .to_owned();
    let nonce = header
        .split("nonce=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or("no nonce")?;
    let response = expected_response(&ha1(public, private), nonce, "00000001", "c1", "GET", path);
    let authorization = format!(
        "Digest username=\"{public}\", realm=\"{REALM}\", nonce=\"{nonce}\", uri=\"{path}\", \
         response=\"{response}\", qop=auth, nc=00000001, cnonce=\"c1\", algorithm=MD5"
    );
    Ok(http
        .get(&url)
        .header("authorization", authorization)
        .send()
        .await?
        .status()
        .as_u16())
}

#[tokio::test]
async fn an_owner_creates_a_key_sees_its_private_key_once_and_deletes_it() {
    browser_test(
        "an_owner_creates_a_key_sees_its_private_key_once_and_deletes_it",
        |Ctx { ui, api }| async move {
            let group_id = api.group_id().await?;
            ui.open(&format!("#/projects/{group_id}/api-keys")).await?;
            ui.wait_text("h1", "API Keys").await?;
            ui.find("[data-testid=api-keys-empty]").await?;

            // The access list is read as typed, with the reason and the block meant.
            ui.type_into("[data-testid=api-key-desc]", "CI reader")
                .await?;
            ui.type_into("[data-testid=api-key-access-list]", "10.1.0.0/8")
                .await?;
            ui.wait_text("[data-testid=api-key-error]", "the block is 10.0.0.0/8")
                .await?;
            ui.click("[data-testid=create-api-key]").await?;
            assert!(
                api.get(&format!("/groups/{group_id}/apiKeys")).await?["results"]
                    .as_array()
                    .is_some_and(Vec::is_empty)
            );
            ui.type_into("[data-testid=api-key-access-list]", "10.0.0.0/8, 192.0.2.7")
                .await?;
            ui.choose("[data-testid=api-key-role]", "GROUP_READ_ONLY")
                .await?;
            ui.click("[data-testid=create-api-key]").await?;

            // The private key, this once, with copy buttons.
            ui.find("[data-testid=api-key-created]").await?;
            let public = ui.text("[data-testid=created-public-key]").await?;
            let private = ui.text("[data-testid=created-private-key]").await?;
            assert!(
                public.len() == 8 && public.bytes().all(|b| b.is_ascii_lowercase()),
                "{public}"
            );
            assert_eq!(private.len(), 36, "{private}");
            assert!(ui
                .text("[data-testid=api-key-created]")
                .await?
                .contains("Copy"));
            ui.wait_count("[data-testid=api-key-row]", 1).await?;
            ui.wait_text("[data-testid=api-key-roles]", "Project Read Only")
                .await?;
            ui.wait_text("[data-testid=api-key-access]", "10.0.0.0/8, 192.0.2.7")
                .await?;
            ui.full_page_screenshot(&artifacts_dir().join("api-keys.png"))
                .await?;
            let masked = ui.text("[data-testid=api-key-masked]").await?;
            assert_eq!(
                masked,
                format!("********-****-****-{}", private.get(24..).unwrap_or(""))
            );

            // The key works (its Digest response is right), from an address on its list only: 403 here.
            let path = format!("/api/atlas/v2/groups/{group_id}/databaseUsers");
            assert_eq!(
                status_with_key(&ui.base, &path, &public, &private).await?,
                403
            );
            let id = api.get(&format!("/groups/{group_id}/apiKeys")).await?["results"][0]["id"]
                .as_str()
                .ok_or("id")?
                .to_owned();
            api.post(
                &format!("/groups/{group_id}/apiKeys/{id}/accessList"),
                &json!([{"cidrBlock": "127.0.0.0/8"}]),
            )
            .await?;
            assert_eq!(
                status_with_key(&ui.base, &path, &public, &private).await?,
                200
            );

            // Gone once acknowledged, and after a reload.
            ui.click("[data-testid=api-key-created-done]").await?;
            assert!(!ui.is_shown("[data-testid=api-key-created]").await?);
            ui.reload().await?;
            ui.wait_count("[data-testid=api-key-row]", 1).await?;
            assert!(!ui.text("body").await?.contains(&private));

            // Deleted: the key is refused from then on.
            ui.click_and_confirm("[data-testid=api-key-delete]").await?;
            ui.wait_text("[data-testid=api-keys-outcome]", &public)
                .await?;
            ui.find("[data-testid=api-keys-empty]").await?;
            assert_eq!(
                status_with_key(&ui.base, &path, &public, &private).await?,
                401
            );
            Ok(())
        },
    )
    .await;
}

#[tokio::test]
async fn an_owner_edits_a_keys_description_role_and_access_list() {
    browser_test(
        "an_owner_edits_a_keys_description_role_and_access_list",
        |Ctx { ui, api }| async move {
            let group_id = api.group_id().await?;
            let key = api
                .post(
                    &format!("/groups/{group_id}/apiKeys"),
                    &json!({"desc": "nightly export", "roles": ["GROUP_READ_ONLY"],
                            "accessList": [{"ipAddress": "192.0.2.7"}]}),
                )
                .await?;
            let id = key["id"].as_str().ok_or("no id")?.to_owned();
            ui.open(&format!("#/projects/{group_id}/api-keys")).await?;
            ui.wait_count("[data-testid=api-key-row]", 1).await?;
            ui.click("[data-testid=api-key-edit]").await?;
            ui.find("[data-testid=api-key-dialog]").await?;
            let shown = ui.find("[data-testid=api-key-edit-access]").await?;
            assert_eq!(shown.prop("value").await?.as_deref(), Some("192.0.2.7"));
            let desc = ui.find("[data-testid=api-key-edit-desc]").await?;
            assert_eq!(desc.prop("value").await?.as_deref(), Some("nightly export"));

            // What it had is what the dialog shows; a wrong entry is refused as typed.
            ui.choose("[data-testid=api-key-edit-desc]", "").await?;
            ui.type_into("[data-testid=api-key-edit-desc]", "nightly export (v2)")
                .await?;
            ui.choose(
                "[data-testid=api-key-edit-role]",
                "GROUP_DATABASE_ACCESS_ADMIN",
            )
            .await?;
            ui.choose("[data-testid=api-key-edit-access]", "").await?;
            ui.wait_text("[data-testid=api-key-edit-any-address]", "any address")
                .await?;
            ui.type_into(
                "[data-testid=api-key-edit-access]",
                "10.0.0.0/8\n10.0.0.300",
            )
            .await?;
            ui.wait_text(
                "[data-testid=api-key-edit-error][data-field=accessList]",
                "10.0.0.300",
            )
            .await?;
            let save = ui.find("[data-testid=api-key-edit-save]").await?;
            assert!(
                !save.is_enabled().await?,
                "Save must wait for a valid access list"
            );
            ui.choose("[data-testid=api-key-edit-access]", "").await?;
            ui.type_into(
                "[data-testid=api-key-edit-access]",
                "10.0.0.0/8\n2001:db8::/32",
            )
            .await?;
            ui.click("[data-testid=api-key-edit-save]").await?;
            ui.wait_text("[data-testid=api-keys-outcome]", "Updated API key")
                .await?;
            assert!(!ui.is_shown("[data-testid=api-key-dialog]").await?);

            // The server holds what the dialog showed, and the table says so.
            let stored = api.get(&format!("/groups/{group_id}/apiKeys/{id}")).await?;
            assert_eq!(stored["desc"], "nightly export (v2)", "{stored}");
            assert_eq!(
                stored["roles"][0]["roleName"], "GROUP_DATABASE_ACCESS_ADMIN",
                "{stored}"
            );
            let mut blocks: Vec<String> = stored["accessList"]
                .as_array()
                .ok_or("no accessList")?
                .iter()
                .filter_map(|e| e["cidrBlock"].as_str().map(str::to_owned))
                .collect();
            blocks.sort();
            assert_eq!(blocks, ["10.0.0.0/8", "2001:db8::/32"], "{stored}");
            ui.wait_text("[data-testid=api-key-roles]", "Database Access Admin")
                .await?;
            ui.wait_text("[data-testid=api-key-access]", "2001:db8::/32")
                .await?;
            Ok(())
        },
    )
    .await;
}
