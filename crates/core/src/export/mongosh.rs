//! The mongosh script: run unchanged with `mongosh "mongodb://..." --tls ... --file access.js` against a
//! self-managed deployment, it creates or updates the project's custom roles in `admin` (a role after the
//! roles it inherits) and its certificate users in `$external` (each with exactly its roles). What the
//! deployment holds beyond the project is printed as comments, and dropped only when `prune` (the first
//! statement of the script) is set to `true`. A second run changes nothing.
//!
//! The data comes first, one `role(...)`/`user(...)` statement each with its notes (Atlas names that
//! became something else, a temporary user's expiry, a user's clusters) as comments; the code that applies
//! it (`mongosh_runtime.js`) follows.

use super::self_managed::{privileges_json, target_state, RoleSource, TargetState};
use super::{comment_text, ExportError, ProjectAccess};

const RUNTIME: &str = include_str!("mongosh_runtime.js");

/// The script for the project, or for the users that may use `cluster`.
pub fn script(project: &ProjectAccess<'_>, cluster: Option<&str>) -> Result<String, ExportError> {
    let state = target_state(project, cluster)?;
    Ok(render(&state, cluster))
}

/// A JavaScript string literal (JSON's is one, U+2028/2029 included since ES2019).
fn js_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

fn roles_js(roles: &std::collections::BTreeSet<super::self_managed::RoleRef>) -> String {
    serde_json::to_string(roles).unwrap_or_else(|_| "[]".to_owned())
}

/// Renders a target state as the script.
pub fn render(state: &TargetState, cluster: Option<&str>) -> String {
    let mut out = String::new();
    out.push_str(
        "// Access Console: make this self-managed deployment's X.509 access match the project.\n\
         // Run: mongosh \"mongodb://HOST/?tls=true\" --tls --tlsCertificateKeyFile admin.pem --tlsCAFile ca.pem --file access.js\n\
         // Idempotent: a second run changes nothing. Users and roles the deployment has and the project\n\
         // has not are listed as comments; set prune to true to remove them.\n",
    );
    match cluster {
        Some(c) => out.push_str(&format!(
            "// Only the users that may use the cluster {} (run it against that deployment).\n",
            comment_text(c)
        )),
        None => out.push_str(
            "// Every user of the project; users restricted to some clusters say which (export with\n\
             // --cluster NAME for the users of one deployment only).\n",
        ),
    }
    out.push_str("const prune = false;\n\nconst wantedRoles = [];\nconst wantedUsers = [];\n");
    out.push_str(
        "function role(name, privileges, roles) { wantedRoles.push({ role: name, privileges, roles }); }\n\
         function user(name, roles) { wantedUsers.push({ user: name, roles }); }\n\n",
    );
    out.push_str(&format!(
        "// Custom roles in admin, a role after the roles it inherits ({}).\n",
        state.roles.len()
    ));
    for role in &state.roles {
        if let RoleSource::Generated { stands_for } = &role.source {
            out.push_str(&format!(
                "// {}: stands for {} (not a role of self-managed MongoDB)\n",
                comment_text(&role.name),
                comment_text(stands_for)
            ));
        }
        for note in &role.notes {
            out.push_str(&format!(
                "// {}: {}\n",
                comment_text(&role.name),
                comment_text(note)
            ));
        }
        out.push_str(&format!(
            "role({}, {}, {});\n",
            js_string(&role.name),
            privileges_json(&role.privileges),
            roles_js(&role.roles)
        ));
    }
    out.push_str(&format!(
        "\n// Certificate users in $external ({}).\n",
        state.users.len()
    ));
    for user in &state.users {
        if let Some(expiry) = &user.delete_after {
            out.push_str(&format!(
                "// temporary: Access Console deletes it at {}; a self-managed server has no expiry, drop it then\n",
                comment_text(expiry)
            ));
        }
        if !user.clusters.is_empty() {
            out.push_str(&format!(
                "// only on the clusters: {}\n",
                comment_text(&user.clusters.join(", "))
            ));
        }
        out.push_str(&format!(
            "user({}, {});\n",
            js_string(&user.name),
            roles_js(&user.roles)
        ));
    }
    out.push('\n');
    out.push_str(RUNTIME);
    out
}
