//! The database: opening it, its migrations, and the first project.
//!
//! SQLite today (`sqlite://path/to/file.db`, created on first start with its parent directory, WAL
//! journal, foreign keys on). Migrations are embedded from `migrations/sqlite/` and run at start.

pub mod accounts;
pub mod alert_configs;
pub mod alerts;
pub mod api_keys;
pub mod clusters;
pub mod custom_roles;
pub mod database_users;
pub mod events;
pub mod projects;
pub mod x509_settings;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error(
        "the database URL {url:?} is not supported: use sqlite://path/to/file.db (PostgreSQL is not supported yet)"
    )]
    UnsupportedUrl { url: String },
    #[error("the database URL {url:?} is not valid: {source}")]
    InvalidUrl { url: String, source: sqlx::Error },
    #[error("cannot create the database directory {}: {source}", path.display())]
    CreateDirectory {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the database {}: {source}", path.display())]
    Open { path: PathBuf, source: sqlx::Error },
    #[error("cannot migrate the database {}: {source}", path.display())]
    Migrate {
        path: PathBuf,
        source: sqlx::migrate::MigrateError,
    },
    #[error("cannot create the first project in {}: {source}", path.display())]
    Seed { path: PathBuf, source: sqlx::Error },
}

/// An open, migrated database.
#[derive(Debug, Clone)]
pub struct Database {
    pub pool: SqlitePool,
    /// The SQLite file (`:memory:` for an in-memory database).
    pub path: PathBuf,
}

/// Opens (creating if missing) and migrates the database at `url`, and creates "Project 0" when there is
/// no project yet.
pub async fn open(url: &str, now: i64) -> Result<Database, StorageError> {
    if !url.starts_with("sqlite:") {
        return Err(StorageError::UnsupportedUrl {
            url: url.to_owned(),
        });
    }
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| StorageError::InvalidUrl {
            url: url.to_owned(),
            source,
        })?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let path = options.get_filename().to_path_buf();
    let in_memory = path.as_os_str() == ":memory:" || path.as_os_str().is_empty();
    if !in_memory {
        create_parent(&path)?;
    }
    let pool = SqlitePoolOptions::new()
        // An in-memory database lives in one connection; keep exactly that one.
        .max_connections(if in_memory { 1 } else { 8 })
        .min_connections(if in_memory { 1 } else { 0 })
        .idle_timeout(if in_memory {
            None
        } else {
            Some(Duration::from_secs(600))
        })
        .max_lifetime(if in_memory {
            None
        } else {
            Some(Duration::from_secs(3600))
        })
        .connect_with(options)
        .await
        .map_err(|source| StorageError::Open {
            path: path.clone(),
            source,
        })?;
    let path = if in_memory {
        path
    } else {
        std::fs::canonicalize(&path).unwrap_or(path)
    };
    sqlx::migrate!("./migrations/sqlite")
        .run(&pool)
        .await
        .map_err(|source| StorageError::Migrate {
            path: path.clone(),
            source,
        })?;
    projects::create_first_project(&pool, now)
        .await
        .map_err(|source| StorageError::Seed {
            path: path.clone(),
            source,
        })?;
    Ok(Database { pool, path })
}

fn create_parent(path: &Path) -> Result<(), StorageError> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => {
            std::fs::create_dir_all(parent).map_err(|source| StorageError::CreateDirectory {
                path: parent.to_path_buf(),
                source,
            })
        }
        _ => Ok(()),
    }
}

/// Begins a transaction for a change: it takes SQLite's write lock at once (`BEGIN IMMEDIATE`), so the
/// checks it reads first see the state the change is saved on, and two writers queue on the busy timeout
/// instead of one failing with "database is locked" when its read transaction tries to become a write.
pub async fn begin_write(
    pool: &SqlitePool,
) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// A new identifier: 24 random lowercase hex characters (the shape of an Atlas ObjectId).
pub fn new_id() -> String {
    use rand::Rng as _;
    let bytes: [u8; 12] = rand::thread_rng().gen();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Seconds since the Unix epoch, now.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}
