//! `access-console export|import|drift`: the API's export, import and drift (`crate::api::transfer`),
//! on the database directly.

use std::io::Read;
use std::path::Path;

use access_core::export::backup::{Backup, ChangeKind};

use super::cli_error::{project_id, CliError};
use super::{exit, DriftArgs, ExportArgs, ImportArgs};
use crate::api::transfer::{self, parse_format};
use crate::api::ApiError;
use crate::storage::{self, now_unix};

/// Who the events of CLI changes name.
const ACTOR: &str = "cli";

impl From<ApiError> for CliError {
    fn from(error: ApiError) -> Self {
        let status = error.status();
        let code = error.code();
        let body = error.body();
        let mut message = format!("{code}: {}", body.detail);
        for issue in &body.errors {
            message.push_str(&format!("\n  {}: {}", issue.field, issue.detail));
        }
        if status.is_server_error() || code == "EXPORT_NO_CA_BUNDLE" {
            CliError::Failed(message)
        } else {
            CliError::Usage(message)
        }
    }
}

/// Runs `work` on the database with a current-thread runtime; prints errors as `access-console NAME: ...`.
fn with_database<F>(name: &str, database_url: &str, work: F) -> u8
where
    F: AsyncFnOnce(&sqlx::AnyPool) -> Result<u8, CliError>,
{
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("access-console {name}: cannot start the async runtime: {error}");
            return exit::PROBLEMS;
        }
    };
    runtime.block_on(async {
        let database = match storage::open(database_url, now_unix()).await {
            Ok(database) => database,
            Err(error) => {
                eprintln!("access-console {name}: {error}");
                return exit::PROBLEMS;
            }
        };
        let result = work(&database.pool).await;
        database.pool.close().await;
        match result {
            Ok(code) => code,
            Err(error) => error.report(name),
        }
    })
}

fn read_input(file: &Path) -> Result<String, CliError> {
    let mut text = String::new();
    let read = if file == Path::new("-") {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(file).map(|t| text = t)
    };
    read.map_err(|e| CliError::Usage(format!("cannot read {}: {e}", file.display())))?;
    Ok(text)
}

async fn snapshot(pool: &sqlx::AnyPool, project: &str) -> Result<transfer::Snapshot, CliError> {
    let mut conn = pool.acquire().await?;
    Ok(transfer::snapshot(&mut conn, project, now_unix()).await?)
}

pub fn export(args: &ExportArgs) -> u8 {
    with_database("export", &args.database.url, async |pool| {
        let format = parse_format(Some(&args.format))?;
        let project = project_id(pool, args.group_id.as_deref()).await?;
        let snapshot = snapshot(pool, &project).await?;
        let text = snapshot
            .render(format, args.cluster.as_deref(), true)
            .map_err(ApiError::Export)?;
        match &args.output {
            Some(path) => std::fs::write(path, text)
                .map_err(|e| CliError::Failed(format!("cannot write {}: {e}", path.display())))?,
            None => print!("{text}"),
        }
        Ok(exit::OK)
    })
}

pub fn import(args: &ImportArgs) -> u8 {
    with_database("import", &args.database.url, async |pool| {
        let text = read_input(&args.file)?;
        let document = Backup::parse(&text)
            .map_err(|e| CliError::Usage(format!("{}: {e}", args.file.display())))?;
        let project = project_id(pool, args.group_id.as_deref()).await?;
        let result = transfer::apply(pool, &project, document, args.dry_run, ACTOR).await?;
        let verb = |kind: ChangeKind| match (kind, args.dry_run) {
            (ChangeKind::Add, false) => "added",
            (ChangeKind::Update, false) => "updated",
            (ChangeKind::Remove, false) => "removed",
            (ChangeKind::Add, true) => "would add",
            (ChangeKind::Update, true) => "would update",
            (ChangeKind::Remove, true) => "would remove",
        };
        for change in &result.changes {
            let target = serde_json::to_value(change.target)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            println!("{} {target} {}", verb(change.change), change.name);
        }
        if result.changes.is_empty() {
            println!("nothing to change: the project already equals the document");
        }
        Ok(exit::OK)
    })
}

pub fn drift(args: &DriftArgs) -> u8 {
    with_database("drift", &args.database.url, async |pool| {
        let text = read_input(&args.file)?;
        let project = project_id(pool, args.group_id.as_deref()).await?;
        let snapshot = snapshot(pool, &project).await?;
        let drift = transfer::drift_of(&snapshot, &text, args.cluster.as_deref())?;
        if args.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&drift).unwrap_or_default()
            );
        } else {
            print!("{}", report(&drift));
        }
        Ok(if drift.is_empty() {
            exit::OK
        } else {
            exit::EXPIRING
        })
    })
}

/// The drift as text: each side, each difference, then the fix.
fn report(drift: &access_core::drift::Drift) -> String {
    use access_core::drift::{Detail, Kind, Side};
    let kind = |k: Kind| match k {
        Kind::User => "user",
        Kind::Role => "role",
    };
    let side = |s: Side| match s {
        Side::OnlyInProject => "only in the project",
        Side::OnlyInDeployment => "only in the deployment",
    };
    if drift.is_empty() {
        return "no drift: the deployment holds exactly the project's users and roles\n".to_owned();
    }
    let mut out = String::new();
    for entry in &drift.only_in_project {
        out.push_str(&format!(
            "only in the project: {} {}\n",
            kind(entry.kind),
            entry.name
        ));
    }
    for entry in &drift.only_in_deployment {
        out.push_str(&format!(
            "only in the deployment: {} {}\n",
            kind(entry.kind),
            entry.name
        ));
    }
    for difference in &drift.different {
        out.push_str(&format!(
            "different: {} {}\n",
            kind(difference.kind),
            difference.name
        ));
        for detail in &difference.details {
            match detail {
                Detail::Action {
                    side: s,
                    action,
                    resource,
                } => out.push_str(&format!("  {action} on {resource}: {}\n", side(*s))),
                Detail::Role { side: s, role } => {
                    out.push_str(&format!("  role {role}: {}\n", side(*s)))
                }
            }
        }
    }
    out.push_str("\nfix (mongosh):\n");
    out.push_str(&drift.fix);
    out
}
