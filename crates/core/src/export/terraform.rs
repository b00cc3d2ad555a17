//! HCL for the `mongodbatlas` Terraform provider that recreates the project's X.509 access in an Atlas
//! project: `mongodbatlas_x509_authentication_database_user` with `customer_x509_cas` (the CA bundle),
//! one `mongodbatlas_custom_db_role` per custom role (`depends_on` the custom roles it inherits), one
//! `mongodbatlas_database_user` per user (`auth_database_name = "$external"`, `x509_type = "CUSTOMER"`,
//! roles, scopes, labels; `depends_on` its custom role), and a `project_id` variable. Names stay Atlas's
//! (`FIND`, `atlasAdmin`): Atlas knows them.
//!
//! Resource names are derived from the role's name or the user's CN: lower case, characters other than
//! letters, digits, `_` and `-` replaced by `_`, a leading `_` when the name would not start with a letter
//! or `_`, and `_2`, `_3`, ... when two names meet.

use std::collections::HashSet;

use super::ProjectAccess;
use crate::database_user::{DatabaseUser, ScopeType};

/// The HCL.
pub fn hcl(project: &ProjectAccess<'_>) -> String {
    let mut out = String::new();
    out.push_str(
        "# Access Console: this project's X.509 access for the mongodbatlas provider.\n\
         # terraform init && terraform apply -var project_id=<your Atlas project id>\n\n\
         terraform {\n  required_providers {\n    mongodbatlas = {\n      source = \"mongodb/mongodbatlas\"\n    }\n  }\n}\n\n\
         variable \"project_id\" {\n  type        = string\n  description = \"The Atlas project to create the users and roles in\"\n}\n\n",
    );
    let mut names = Identifiers::default();
    if let Some(cas) = project.ca_bundle.filter(|c| !c.trim().is_empty()) {
        out.push_str(&format!(
            "resource \"mongodbatlas_x509_authentication_database_user\" \"customer_cas\" {{\n  project_id        = var.project_id\n  customer_x509_cas = {}\n}}\n\n",
            heredoc(cas)
        ));
    }
    let role_ids: Vec<(String, String)> = project
        .custom_roles
        .iter()
        .map(|r| {
            (
                r.role_name.clone(),
                names.take(&format!("role_{}", r.role_name)),
            )
        })
        .collect();
    let role_id = |name: &str| {
        role_ids
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, id)| id.clone())
    };
    for (role, (_, id)) in project.custom_roles.iter().zip(&role_ids) {
        out.push_str(&format!(
            "resource \"mongodbatlas_custom_db_role\" \"{id}\" {{\n  project_id = var.project_id\n  role_name  = {}\n",
            string(&role.role_name)
        ));
        for action in &role.actions {
            out.push_str(&format!(
                "\n  actions {{\n    action = {}\n",
                string(&action.action)
            ));
            for resource in &action.resources {
                if resource.is_cluster() {
                    out.push_str("    resources {\n      cluster = true\n    }\n");
                } else {
                    out.push_str(&format!(
                        "    resources {{\n      database_name   = {}\n      collection_name = {}\n    }}\n",
                        string(resource.db_name().unwrap_or("")),
                        string(resource.collection_name().unwrap_or(""))
                    ));
                }
            }
            out.push_str("  }\n");
        }
        let mut depends = Vec::new();
        for inherited in &role.inherited_roles {
            out.push_str(&format!(
                "\n  inherited_roles {{\n    role_name     = {}\n    database_name = {}\n  }}\n",
                string(&inherited.role),
                string(&inherited.db)
            ));
            if let Some(id) = role_id(&inherited.role) {
                depends.push(format!("mongodbatlas_custom_db_role.{id}"));
            }
        }
        push_depends_on(&mut out, depends);
        out.push_str("}\n\n");
    }
    for user in project.users {
        let id = names.take(&format!("user_{}", user_label(user)));
        out.push_str(&format!(
            "resource \"mongodbatlas_database_user\" \"{id}\" {{\n  project_id         = var.project_id\n  username           = {}\n  auth_database_name = \"$external\"\n  x509_type          = \"CUSTOMER\"\n",
            string(&user.username)
        ));
        // The provider's documentation seen here lists no description argument: kept as a comment.
        if let Some(description) = &user.description {
            out.push_str(&format!(
                "  # description: {}\n",
                super::comment_text(description)
            ));
        }
        if let Some(expiry) = &user.delete_after_date {
            out.push_str(&format!(
                "  # temporary: Access Console deletes it at {}\n",
                super::comment_text(expiry)
            ));
        }
        let mut depends = Vec::new();
        for role in &user.roles {
            out.push_str(&format!(
                "\n  roles {{\n    role_name     = {}\n    database_name = {}\n",
                string(&role.role_name),
                string(&role.database_name)
            ));
            if let Some(c) = role.collection() {
                out.push_str(&format!("    collection_name = {}\n", string(c)));
            }
            out.push_str("  }\n");
            if let Some(id) = role_id(&role.role_name) {
                depends.push(format!("mongodbatlas_custom_db_role.{id}"));
            }
        }
        for scope in &user.scopes {
            let kind = match scope.scope_type {
                ScopeType::Cluster => "CLUSTER",
                ScopeType::DataLake => "DATA_LAKE",
            };
            out.push_str(&format!(
                "\n  scopes {{\n    name = {}\n    type = \"{kind}\"\n  }}\n",
                string(&scope.name)
            ));
        }
        for label in &user.labels {
            out.push_str(&format!(
                "\n  labels {{\n    key   = {}\n    value = {}\n  }}\n",
                string(&label.key),
                string(&label.value)
            ));
        }
        if project.ca_bundle.is_some_and(|c| !c.trim().is_empty()) {
            depends.push("mongodbatlas_x509_authentication_database_user.customer_cas".to_owned());
        }
        push_depends_on(&mut out, depends);
        out.push_str("}\n\n");
    }
    out
}

fn push_depends_on(out: &mut String, mut depends: Vec<String>) {
    depends.sort();
    depends.dedup();
    if !depends.is_empty() {
        out.push_str(&format!("\n  depends_on = [{}]\n", depends.join(", ")));
    }
}

/// The user's CN when it has one, else its whole name.
fn user_label(user: &DatabaseUser) -> String {
    crate::dn::parse_dn(&user.username)
        .ok()
        .and_then(|dn| dn.common_name().map(str::to_owned))
        .unwrap_or_else(|| user.username.clone())
}

/// Unique, valid Terraform identifiers.
#[derive(Default)]
struct Identifiers {
    taken: HashSet<String>,
}

impl Identifiers {
    fn take(&mut self, wanted: &str) -> String {
        let mut base: String = wanted
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        if !base.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            base.insert(0, '_');
        }
        let mut candidate = base.clone();
        let mut n = 2;
        while !self.taken.insert(candidate.clone()) {
            candidate = format!("{base}_{n}");
            n += 1;
        }
        candidate
    }
}

/// An HCL quoted string: `"`, `\` and control characters escaped, and `${`/`%{` doubled so no template
/// interpolation happens.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A heredoc for the PEM (no `${` can occur in base64 PEM, but escape anyway by falling back to a string).
fn heredoc(pem: &str) -> String {
    let body = pem.trim_end_matches('\n');
    if body.lines().any(|l| l.trim() == "EOT") || body.contains("${") || body.contains("%{") {
        return string(pem);
    }
    format!("<<-EOT\n{body}\nEOT")
}
