//! `access-console migrate-db --from URL --to URL`: copies a console's data to another database (see
//! [`crate::storage::transfer`]) and prints what it copied.

use super::{exit, MigrateDbArgs};
use crate::storage::{self, transfer};

pub fn run(args: &MigrateDbArgs) -> u8 {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("access-console migrate-db: cannot start the async runtime: {error}");
            return exit::PROBLEMS;
        }
    };
    runtime.block_on(async {
        let open = |url: &str| {
            let url = url.to_owned();
            async move { storage::open_migrated(&url).await }
        };
        let from = match open(&args.from).await {
            Ok(database) => database,
            Err(error) => {
                eprintln!("access-console migrate-db: the source: {error}");
                return exit::PROBLEMS;
            }
        };
        let to = match open(&args.to).await {
            Ok(database) => database,
            Err(error) => {
                eprintln!("access-console migrate-db: the target: {error}");
                from.pool.close().await;
                return exit::PROBLEMS;
            }
        };
        if from.location == to.location {
            eprintln!(
                "access-console migrate-db: --from and --to are the same database ({})",
                from.location
            );
            return exit::USAGE;
        }
        println!("From: {}", from.location);
        println!("To:   {}", to.location);
        let copied = transfer::copy_all(&from.pool, &to.pool).await;
        from.pool.close().await;
        to.pool.close().await;
        match copied {
            Ok(tables) => {
                let width = tables.iter().map(|t| t.table.len()).max().unwrap_or(0);
                for table in &tables {
                    println!(
                        "  {:<width$}  {:>8} rows  checksum {}",
                        table.table, table.rows, table.checksum
                    );
                }
                let rows: u64 = tables.iter().map(|t| t.rows).sum();
                println!(
                    "Copied {rows} rows in {} tables in one transaction; each table's count and checksum \
                     match in the target.",
                    tables.len()
                );
                exit::OK
            }
            Err(error) => {
                eprintln!("access-console migrate-db: {error}");
                exit::PROBLEMS
            }
        }
    })
}
