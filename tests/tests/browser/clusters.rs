//! The Clusters page's Edit dialog (issue 21 item 11, issue 16 item 4): change a cluster's MongoDB version
//! and record its member certificate subject; the API holds them; the Access Check flags a client name with
//! the same O, OU and DC (the cluster-member rule), and the Add User dialog warns about it. The subject can
//! also be read from a dropped member certificate file (certificate, chain and key, as mongod's
//! certificateKeyFile holds them).

use crate::harness::{artifacts_dir, browser_test, Ctx};
use test_support::pki::Pki;

#[tokio::test]
async fn edit_a_cluster_version_and_member_subject_then_member_like_names_are_flagged() {
    browser_test(
        "edit_a_cluster_version_and_member_subject_then_member_like_names_are_flagged",
        |Ctx { ui, api }| async move {
            let group_id = api.group_id().await?;
            let ca = Pki::new().root("/O=Acme/CN=Acme Users CA", 365);
            api.save_cas(&group_id, &ca.pem).await?;
            api.create_cluster(&group_id, "Cluster0", "7.0").await?;
            ui.open(&format!("#/projects/{group_id}/clusters")).await?;
            ui.wait_text("[data-testid=cluster-row] [data-testid=cluster-version]", "7.0").await?;

            ui.click("[data-testid=cluster-edit]").await?;
            ui.find("[data-testid=cluster-dialog]").await?;
            ui.choose("[data-testid=cluster-edit-version]", "8.3").await?;
            // A name without O, OU or DC is refused as you type; a pasted one is shown in the RFC 2253 form
            // that will be saved.
            ui.type_into("[data-testid=cluster-edit-member]", "CN=node1").await?;
            ui.wait_text("[data-testid=cluster-edit-member-saved]", "no O, OU or DC").await?;
            ui.type_into("[data-testid=cluster-edit-member]", "CN=node1, OU=Servers, O=Acme").await?;
            ui.wait_text("[data-testid=cluster-edit-member-saved]", "Saved as CN=node1,OU=Servers,O=Acme").await?;
            ui.screenshot(&artifacts_dir().join("cluster-edit-dialog.png")).await?;
            ui.click("[data-testid=cluster-dialog-save]").await?;
            ui.wait_text("[data-testid=clusters-outcome]", "Saved Cluster0").await?;
            ui.wait_text("[data-testid=cluster-row] [data-testid=cluster-version]", "8.3").await?;
            ui.wait_text("[data-testid=cluster-row] [data-testid=cluster-member-subject]", "CN=node1,OU=Servers,O=Acme").await?;
            let clusters = api.clusters(&group_id).await?;
            assert_eq!(clusters.len(), 1, "{clusters:?}");
            assert_eq!(clusters[0]["mongoDBMajorVersion"], "8.3", "{clusters:?}");
            assert_eq!(clusters[0]["memberCertificateSubject"], "CN=node1,OU=Servers,O=Acme", "{clusters:?}");


            // The Access Check: a client name with the same O and OU (another CN, another order) fails.
            ui.open(&format!("#/projects/{group_id}/database-access/check")).await?;
            ui.type_into("[data-testid=check-username]", "CN=app,O=Acme,OU=Servers").await?;
            ui.find("[data-testid=check-step][data-step='Cluster member'][data-result=fail][data-code=taken_as_cluster_member]").await?;
            ui.wait_text("[data-testid=check-step][data-step='Cluster member']", "Cluster0").await?;
            ui.type_into("[data-testid=check-username]", "CN=app,OU=Clients,O=Acme").await?;
            ui.find("[data-testid=check-step][data-step='Cluster member'][data-result=pass]").await?;

            // The Add User dialog warns (and the user may still be saved).
            ui.open(&format!("#/projects/{group_id}/database-access")).await?;
            ui.click("[data-testid=add-user]").await?;
            ui.find("[data-testid=user-dialog]").await?;
            ui.type_into("[data-testid=user-dn-input]", "CN=app,OU=Servers,O=Acme").await?;
            ui.wait_text("[data-testid=cluster-member-warning]", "Cluster Cluster0").await?;
            ui.wait_text("[data-testid=cluster-member-warning]", "O=Acme, OU=Servers").await?;
            ui.type_into("[data-testid=user-dn-input]", "CN=app,OU=Clients,O=Acme").await?;
            ui.until(
                "the warning gone",
                "return !document.querySelector('[data-testid=cluster-member-warning]');",
                vec![],
            )
            .await?;

            // Dropping a member's certificateKeyFile (its certificate, the issuing CA, its key) fills the
            // subject from the first certificate, as openssl prints it; the key is not read.
            let pki = Pki::new();
            let members_ca = pki.root("/O=Acme/CN=Acme Members CA", 365);
            let member = pki.client(&members_ca, "/DC=com/DC=acme/O=Acme/OU=Servers, East/CN=node2", 365);
            let key = std::fs::read_to_string(&member.key)?;
            let file = pki.write("node2.pem", format!("{}{}{key}", member.pem, members_ca.pem));
            ui.open(&format!("#/projects/{group_id}/clusters")).await?;
            ui.click("[data-testid=cluster-edit]").await?;
            ui.find("[data-testid=cluster-dialog]").await?;
            ui.find("[data-testid=cluster-member-drop] [data-testid=bundle-file-input]")
                .await?
                .send_keys(&file.display().to_string())
                .await?;
            ui.wait_text("[data-testid=cluster-member-drop-note]", "Subject read from node2.pem (its first certificate; the one after it is its chain). The file's private key was not read and is never sent.").await?;
            assert_eq!(member.subject(), "CN=node2,OU=Servers\\, East,O=Acme,DC=acme,DC=com");
            assert_eq!(ui.find("[data-testid=cluster-edit-member]").await?.prop("value").await?.as_deref(), Some(member.subject().as_str()));
            ui.wait_text("[data-testid=cluster-edit-member-saved]", &format!("Saved as {}", member.subject())).await?;
            // A file without a certificate leaves the subject as it was and says so.
            let not_a_certificate = pki.write("notes.txt", "node2 is in rack 4\n");
            ui.find("[data-testid=cluster-member-drop] [data-testid=bundle-file-input]")
                .await?
                .send_keys(&not_a_certificate.display().to_string())
                .await?;
            ui.wait_text("[data-testid=cluster-member-drop-error]", "notes.txt").await?;
            assert_eq!(ui.find("[data-testid=cluster-edit-member]").await?.prop("value").await?.as_deref(), Some(member.subject().as_str()));
            ui.click("[data-testid=cluster-dialog-save]").await?;
            ui.wait_text("[data-testid=cluster-row] [data-testid=cluster-member-subject]", &member.subject()).await?;
            assert_eq!(api.clusters(&group_id).await?[0]["memberCertificateSubject"], member.subject().as_str());
            Ok(())
        },
    )
    .await;
}
