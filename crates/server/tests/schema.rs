//! The PostgreSQL migrations mirror the SQLite ones: a twin file for each, and after migrating, the same
//! tables, columns and indexes on both.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

fn migration_names(backend: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

#[test]
fn every_sqlite_migration_has_its_postgres_twin() {
    assert_eq!(migration_names("sqlite"), migration_names("postgres"));
}

async fn rows(pool: &sqlx::AnyPool, sql: &str) -> BTreeSet<(String, String)> {
    let rows: Vec<(String, String)> = sqlx::query_as(sql)
        .fetch_all(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.into_iter().collect()
}

/// Needs the test cluster: runs with `ACCESS_CONSOLE_TEST_BACKEND=postgres` (make test's second run).
#[tokio::test]
async fn both_backends_have_the_same_tables_columns_and_indexes() {
    if common::test_backend() != common::TestBackend::Postgres {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let sqlite_url = format!("sqlite://{}/schema.db", dir.path().display());
    let sqlite = common::open_database(&sqlite_url).await;
    let postgres = common::open_database(&common::new_database_url(dir.path()).await).await;

    let sqlite_columns = rows(
        &sqlite,
        "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
    )
    .await;
    let postgres_columns = rows(
        &postgres,
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .await;
    assert!(sqlite_columns.len() > 50, "{sqlite_columns:?}");
    assert_eq!(sqlite_columns, postgres_columns);

    // Indexes made by CREATE INDEX (not those of keys and UNIQUE constraints).
    let sqlite_indexes = rows(
        &sqlite,
        "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL",
    )
    .await;
    let postgres_indexes = rows(
        &postgres,
        "SELECT tablename::text, indexname::text FROM pg_indexes WHERE schemaname = 'public' \
         AND indexname NOT IN (SELECT conname FROM pg_constraint)",
    )
    .await;
    assert!(sqlite_indexes.len() > 10, "{sqlite_indexes:?}");
    assert_eq!(sqlite_indexes, postgres_indexes);

    sqlite.close().await;
    postgres.close().await;
}
