//! `access-console check`: the Access Check of the API (`POST /groups/{groupId}/accessCheck`) on the
//! database, for a deploy pipeline: exit 0 when the certificate (or name) would connect and be allowed.

use std::io::Read as _;

use access_core::access_check::{AccessCheckAnswer, AccessCheckRequest, Outcome};
use access_core::pem_bundle;

use super::{exit, CheckArgs};
use crate::api::access_check::run;
use crate::storage::{self, now_unix, projects};

/// Exit status when the certificate would not connect or the operation is not allowed.
pub const DENIED: u8 = 1;

/// The certificate file as PEM text: PEM as is, a DER certificate converted; `-` reads standard input.
fn read_certificate(file: &std::path::Path) -> Result<String, String> {
    let bytes = if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        bytes
    } else {
        std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?
    };
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => pem_bundle::der_to_pem(e.as_bytes()),
    })
}

pub fn run_check(args: &CheckArgs) -> u8 {
    let certificate = match &args.cert {
        Some(file) => match read_certificate(file) {
            Ok(text) => Some(text),
            Err(message) => {
                eprintln!("access-console check: {message}");
                return exit::USAGE;
            }
        },
        None => None,
    };
    let request = AccessCheckRequest {
        certificate,
        username: args.username.clone(),
        cluster: args.cluster.clone(),
        actions: args.actions.clone(),
        database: args.db.clone(),
        collection: args.collection.clone(),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("access-console check: cannot start the async runtime: {error}");
            return exit::USAGE;
        }
    };
    runtime.block_on(async {
        let now = now_unix();
        let database = match storage::open(&args.database.url, now).await {
            Ok(database) => database,
            Err(error) => {
                eprintln!("access-console check: {error}");
                return exit::USAGE;
            }
        };
        let result = match projects::find(&database.pool, &args.group_id).await {
            Ok(Some(project)) => run(&database.pool, &project.id, &request, now)
                .await
                .map_err(|e| e.to_string()),
            Ok(None) => Err(format!("no project has the group ID {}", args.group_id)),
            Err(error) => Err(error.to_string()),
        };
        database.pool.close().await;
        match result {
            Ok(answer) => {
                if args.json {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&answer).unwrap_or_default()
                    );
                } else {
                    print!("{}", describe(&answer));
                }
                if answer.connects_and_allowed {
                    exit::OK
                } else {
                    DENIED
                }
            }
            Err(message) => {
                eprintln!("access-console check: {message}");
                exit::USAGE
            }
        }
    })
}

/// The answer as lines of text.
pub fn describe(answer: &AccessCheckAnswer) -> String {
    let mut out = String::new();
    if let Some(username) = &answer.username {
        out.push_str(&format!("username  {username}\n"));
    }
    for step in &answer.steps {
        let result = match step.result {
            Outcome::Pass => "PASS",
            Outcome::Warn => "WARN",
            Outcome::Fail => "FAIL",
        };
        let name = serde_json::to_value(step.step)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        out.push_str(&format!("{result}  {name:<13} {}\n", step.detail));
    }
    for near in &answer.nearest_users {
        out.push_str(&format!(
            "      nearest user: {} ({})\n",
            near.username, near.detail
        ));
    }
    if let Some(auth) = &answer.authorization {
        for grant in &auth.grants {
            out.push_str(&format!(
                "      {} on {} via {}\n",
                grant.action,
                grant.resource,
                grant.path.join(" → ")
            ));
        }
        for missing in &auth.missing {
            out.push_str(&format!("      denied: {}", missing.detail));
            if !missing.held.is_empty() {
                out.push_str(&format!(" Held there: {}.", missing.held.join(", ")));
            }
            let roles: Vec<String> = auth
                .suggestions
                .iter()
                .filter(|s| s.action == missing.action)
                .map(|s| format!("{}@{}", s.role, s.db))
                .collect();
            if !roles.is_empty() {
                out.push_str(&format!(" Granted by: {}.", roles.join(", ")));
            }
            out.push('\n');
        }
    }
    for privilege in &answer.effective_privileges {
        out.push_str(&format!(
            "      {} on {} via {}\n",
            privilege.action,
            privilege.resource,
            privilege.path.join(" → ")
        ));
    }
    out.push_str(if answer.connects_and_allowed {
        "result    connects and is allowed\n"
    } else {
        "result    refused\n"
    });
    out
}
