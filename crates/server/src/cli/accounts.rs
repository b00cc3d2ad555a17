//! `access-console accounts create|list|set-password`: console accounts from the command line (the first
//! owner, and a way back in when every owner has lost their password).

use std::io::BufRead as _;

use access_core::project_role::ProjectRole;

use super::{exit, AccountsCommand};
use crate::access::{password, session};
use crate::storage::{self, accounts as store, now_unix};

pub fn run(command: &AccountsCommand) -> u8 {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("access-console accounts: cannot start the async runtime: {error}");
            return exit::PROBLEMS;
        }
    };
    runtime.block_on(async {
        let database_url = match command {
            AccountsCommand::Create(args) => &args.database.url,
            AccountsCommand::List(args) => &args.database.url,
            AccountsCommand::SetPassword(args) => &args.database.url,
        };
        let database = match storage::open(database_url, now_unix()).await {
            Ok(database) => database,
            Err(error) => {
                eprintln!("access-console accounts: {error}");
                return exit::PROBLEMS;
            }
        };
        let status = match command {
            AccountsCommand::Create(args) => create(&database.pool, args).await,
            AccountsCommand::List(_) => list(&database.pool).await,
            AccountsCommand::SetPassword(args) => set_password(&database.pool, args).await,
        };
        database.pool.close().await;
        status
    })
}

/// The password from standard input (its first line), or a new random one to print.
fn password_from(stdin: bool) -> Result<(String, bool), String> {
    if !stdin {
        // 24 characters of a 32-letter alphabet: 120 bits.
        let code = format!("{}{}", session::new_setup_code(), session::new_setup_code());
        return Ok((code, true));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false))
}

async fn create(pool: &sqlx::AnyPool, args: &super::AccountsCreateArgs) -> u8 {
    let role = if args.owner {
        ProjectRole::Owner
    } else {
        match access_core::account::parse_role(&args.role) {
            Ok(role) => role,
            Err(error) => {
                eprintln!("access-console accounts create: --role: {error}");
                return exit::USAGE;
            }
        }
    };
    let (password, generated) = match password_from(args.password_stdin) {
        Ok(password) => password,
        Err(error) => {
            eprintln!("access-console accounts create: {error}");
            return exit::USAGE;
        }
    };
    match store::create_account(pool, &args.username, &password, role, "access-console CLI").await {
        Ok(account) => {
            println!(
                "Created the console account {} ({} of {} project(s)).",
                account.username,
                role.label(),
                account.roles.len()
            );
            if generated {
                println!("Password (shown once, change it after signing in): {password}");
            }
            exit::OK
        }
        Err(store::CreateAccountError::Rules(errors)) => {
            for error in errors {
                eprintln!(
                    "access-console accounts create: {}: {error}",
                    access_core::field_issue::FieldError::field(&error)
                );
            }
            exit::USAGE
        }
        Err(error) => {
            eprintln!("access-console accounts create: {error}");
            exit::PROBLEMS
        }
    }
}

async fn list(pool: &sqlx::AnyPool) -> u8 {
    let result = async {
        let mut conn = pool.acquire().await?;
        let mut rows = Vec::new();
        for project in store::project_ids(&mut conn).await? {
            for account in store::list_in_project(&mut conn, &project).await? {
                let role = account.roles.get(&project).map_or("", |r| r.atlas_name());
                rows.push(format!("{:<32} {:<28} {project}", account.username, role));
            }
        }
        Ok::<_, sqlx::Error>(rows)
    }
    .await;
    match result {
        Ok(rows) if rows.is_empty() => {
            println!("No console account yet: create the first owner with `access-console accounts create --owner --username NAME`.");
            exit::OK
        }
        Ok(rows) => {
            println!("{:<32} {:<28} PROJECT", "USERNAME", "ROLE");
            for row in rows {
                println!("{row}");
            }
            exit::OK
        }
        Err(error) => {
            eprintln!("access-console accounts list: {error}");
            exit::PROBLEMS
        }
    }
}

async fn set_password(pool: &sqlx::AnyPool, args: &super::AccountsSetPasswordArgs) -> u8 {
    let (password, generated) = match password_from(args.password_stdin) {
        Ok(password) => password,
        Err(error) => {
            eprintln!("access-console accounts set-password: {error}");
            return exit::USAGE;
        }
    };
    if let Err(error) = access_core::account::validate_password(&password) {
        eprintln!("access-console accounts set-password: password: {error}");
        return exit::USAGE;
    }
    let result = async {
        let hash = password::hash(password::shared_slots(), password.clone())
            .await
            .map_err(|e| e.to_string())?;
        let mut tx = storage::begin_write(pool)
            .await
            .map_err(|e| e.to_string())?;
        let account = store::find(&mut tx, &args.username)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("no console account is named {:?}", args.username))?;
        store::set_password(&mut tx, &account, &hash, "access-console CLI", now_unix())
            .await
            .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        Ok::<_, String>(account)
    }
    .await;
    match result {
        Ok(account) => {
            println!(
                "Set the password of {}; its sessions were signed out.",
                account.username
            );
            if generated {
                println!("Password (shown once): {password}");
            }
            exit::OK
        }
        Err(error) => {
            eprintln!("access-console accounts set-password: {error}");
            exit::PROBLEMS
        }
    }
}
