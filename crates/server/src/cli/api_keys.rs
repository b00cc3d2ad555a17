//! `access-console api-keys create|list|delete`: programmatic API keys, on the database directly (so the
//! first key can be made before anyone can sign in).

use access_core::access_list::AccessListEntry;
use access_core::project_role::ProjectRole;

use super::cli_error::{project_id, CliError};
use super::{exit, ApiKeysCommand, ApiKeysCreateArgs, ApiKeysDeleteArgs, ApiKeysListArgs};
use crate::storage::api_keys::{self, ApiKey};
use crate::storage::{self, now_unix};

/// Who the events of CLI changes name.
pub const ACTOR: &str = "cli";

pub fn run(command: &ApiKeysCommand) -> u8 {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("access-console api-keys: cannot start the async runtime: {error}");
            return exit::PROBLEMS;
        }
    };
    runtime.block_on(async {
        let database_url = match command {
            ApiKeysCommand::Create(args) => &args.database.url,
            ApiKeysCommand::List(args) => &args.database.url,
            ApiKeysCommand::Delete(args) => &args.database.url,
        };
        let database = match storage::open(database_url, now_unix()).await {
            Ok(database) => database,
            Err(error) => {
                eprintln!("access-console api-keys: {error}");
                return exit::PROBLEMS;
            }
        };
        let result = match command {
            ApiKeysCommand::Create(args) => create(&database.pool, args).await,
            ApiKeysCommand::List(args) => list(&database.pool, args).await,
            ApiKeysCommand::Delete(args) => delete(&database.pool, args).await,
        };
        database.pool.close().await;
        match result {
            Ok(()) => exit::OK,
            Err(error) => error.report("api-keys"),
        }
    })
}

async fn create(pool: &sqlx::AnyPool, args: &ApiKeysCreateArgs) -> Result<(), CliError> {
    let mut roles = Vec::new();
    for name in &args.roles {
        roles.push(ProjectRole::from_atlas_name(name).ok_or_else(|| {
            CliError::Usage(format!(
                "{name:?} is not a project role: use GROUP_OWNER, GROUP_DATABASE_ACCESS_ADMIN or GROUP_READ_ONLY"
            ))
        })?);
    }
    let org_role = access_core::org_role::OrgRole::from_atlas_name(&args.org_role).ok_or_else(|| {
        CliError::Usage(format!(
            "{:?} is not an organization role: use ORG_MEMBER, ORG_READ_ONLY, ORG_GROUP_CREATOR or ORG_OWNER",
            args.org_role
        ))
    })?;
    let description = args.description.trim();
    let length = description.chars().count();
    if length == 0 || length > crate::api::API_KEY_MAX_DESCRIPTION_CHARS {
        return Err(CliError::Usage(format!(
            "the description must be 1 to {} characters",
            crate::api::API_KEY_MAX_DESCRIPTION_CHARS
        )));
    }
    let mut entries = Vec::new();
    for text in &args.access_list {
        entries.push(
            AccessListEntry::parse(text)
                .map_err(|error| CliError::Usage(format!("--access-list: {error}")))?,
        );
    }
    let project = project_id(pool, args.group_id.as_deref()).await?;
    let now = now_unix();
    let mut tx = storage::begin_write(pool).await?;
    let created = api_keys::insert(
        &mut tx,
        api_keys::KeyScope::Project(&project),
        description,
        &roles,
        org_role,
        &entries,
        ACTOR,
        now,
    )
    .await?;
    tx.commit().await?;
    if args.json {
        let mut value = serde_json::to_value(&created.key)
            .map_err(|e| CliError::Failed(format!("cannot print JSON: {e}")))?;
        if let Some(object) = value.as_object_mut() {
            object.insert(
                "privateKey".to_owned(),
                serde_json::Value::from(created.private_key.as_str()),
            );
        }
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
    } else {
        println!(
            "Created API key {} ({}).",
            created.key.public_key, created.key.desc
        );
        println!("Public key:  {}", created.key.public_key);
        println!("Private key: {}", created.private_key);
        println!("The private key is shown this once: store it now.");
        println!("Roles: {}", roles_text(&created.key));
        println!("Access list: {}", access_text(&created.key));
    }
    Ok(())
}

fn roles_text(key: &ApiKey) -> String {
    key.roles
        .iter()
        .map(|r| r.role_name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn access_text(key: &ApiKey) -> String {
    if key.access_list.is_empty() {
        "any address".to_owned()
    } else {
        key.access_entries()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

async fn list(pool: &sqlx::AnyPool, args: &ApiKeysListArgs) -> Result<(), CliError> {
    let keys = match &args.group_id {
        Some(id) => {
            let project = project_id(pool, Some(id)).await?;
            api_keys::list(pool, &project).await?
        }
        None => api_keys::list_all(pool).await?,
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&keys).unwrap_or_default()
        );
        return Ok(());
    }
    if keys.is_empty() {
        println!("No API keys.");
        return Ok(());
    }
    for key in &keys {
        println!(
            "{}  {}  roles: {}  access list: {}  created {} by {}",
            key.public_key,
            key.desc,
            roles_text(key),
            access_text(key),
            key.created,
            key.created_by
        );
    }
    Ok(())
}

async fn delete(pool: &sqlx::AnyPool, args: &ApiKeysDeleteArgs) -> Result<(), CliError> {
    let now = now_unix();
    let mut tx = storage::begin_write(pool).await?;
    let key = api_keys::find_by_public_key(&mut tx, &args.public_key)
        .await?
        .ok_or_else(|| {
            CliError::Failed(format!(
                "no API key has the public key {:?}",
                args.public_key
            ))
        })?;
    api_keys::delete_key(&mut tx, &key.id, ACTOR, now).await?;
    tx.commit().await?;
    println!("Deleted API key {}.", key.public_key);
    Ok(())
}
