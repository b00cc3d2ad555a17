//! The database: opening it, its migrations, and the first project.
//!
//! Two backends behind one code path (sqlx's `Any` driver; every query numbers its parameters `$1`,
//! `$2`, … which both bind by number):
//! * SQLite (`sqlite://path/to/file.db`, created on first start with its parent directory, WAL journal,
//!   foreign keys on), migrations from `migrations/sqlite/`;
//! * PostgreSQL (`postgres://user:password@host:port/database`, the database must exist), migrations
//!   from `migrations/postgres/`, which mirror the SQLite ones.
//!
//! Migrations are embedded and run at start. Where the SQL differs, [`Backend`] says how.

pub mod accounts;
pub mod alert_configs;
pub mod alerts;
pub mod api_keys;
pub mod clusters;
pub mod custom_roles;
pub mod database_users;
pub mod events;
pub mod organizations;
pub mod projects;
pub mod transfer;
pub mod x509_settings;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyConnection, AnyPool, ConnectOptions as _, Connection as _};

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error(
        "the database URL {url:?} is not supported: use sqlite://path/to/file.db or \
         postgres://user:password@host:port/database"
    )]
    UnsupportedUrl { url: String },
    #[error("the database URL {url:?} is not valid: {source}")]
    InvalidUrl { url: String, source: sqlx::Error },
    #[error("cannot create the database directory {}: {source}", path.display())]
    CreateDirectory {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the database {database}: {source}")]
    Open {
        database: String,
        source: sqlx::Error,
    },
    #[error("cannot migrate the database {database}: {source}")]
    Migrate {
        database: String,
        source: sqlx::migrate::MigrateError,
    },
    #[error("cannot create the first project in {database}: {source}")]
    Seed {
        database: String,
        source: sqlx::Error,
    },
}

/// Which database system a pool or connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend of an open connection.
    pub fn of(conn: &AnyConnection) -> Self {
        if conn.backend_name() == <sqlx::Postgres as sqlx::Database>::NAME {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }

    /// The backend of a pool.
    pub fn of_pool(pool: &AnyPool) -> Self {
        match pool.connect_options().database_url.scheme() {
            "postgres" | "postgresql" => Self::Postgres,
            _ => Self::Sqlite,
        }
    }

    /// The SQL expression of the next `seq` of an event table (`events`, `org_events`): SQLite's
    /// `MAX(seq) + 1` under its write lock (see [`begin_write`]), PostgreSQL's sequence `{table}_seq`.
    pub fn next_seq(self, table: &'static str) -> String {
        match self {
            Self::Sqlite => format!("(SELECT COALESCE(MAX(seq), 0) + 1 FROM {table})"),
            Self::Postgres => format!("nextval('{table}_seq')"),
        }
    }

    /// The SQL function `f(haystack, needle)` giving the 1-based position of `needle` (0: absent).
    pub fn position_function(self) -> &'static str {
        match self {
            Self::Sqlite => "instr",
            Self::Postgres => "strpos",
        }
    }
}

/// An open, migrated database.
#[derive(Debug, Clone)]
pub struct Database {
    pub pool: AnyPool,
    pub backend: Backend,
    /// The SQLite file (`:memory:` for an in-memory database); `None` for PostgreSQL.
    pub path: Option<PathBuf>,
    /// What to call the database in messages: the SQLite file, or the PostgreSQL URL without its password.
    pub location: String,
}

/// Opens and migrates the database at `url`, and creates "Project 0" when there is no project yet. An
/// SQLite file is created when missing; a PostgreSQL database must exist.
pub async fn open(url: &str, now: i64) -> Result<Database, StorageError> {
    let database = open_migrated(url).await?;
    projects::create_first_project(&database.pool, now)
        .await
        .map_err(|source| StorageError::Seed {
            database: database.location.clone(),
            source,
        })?;
    Ok(database)
}

/// [`open`] without creating the first project: the target of `migrate-db`, which must stay empty.
pub async fn open_migrated(url: &str) -> Result<Database, StorageError> {
    sqlx::any::install_default_drivers();
    let (pool, backend, path, location) = if url.starts_with("sqlite:") {
        open_sqlite(url).await?
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        open_postgres(url).await?
    } else {
        return Err(StorageError::UnsupportedUrl {
            url: without_password(url),
        });
    };
    let migrated = migrator(backend).run(&pool).await;
    migrated.map_err(|source| StorageError::Migrate {
        database: location.clone(),
        source,
    })?;
    Ok(Database {
        pool,
        backend,
        path,
        location,
    })
}

/// The migrations of `backend`'s schema.
pub fn migrator(backend: Backend) -> &'static sqlx::migrate::Migrator {
    static SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
    static POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");
    match backend {
        Backend::Sqlite => &SQLITE,
        Backend::Postgres => &POSTGRES,
    }
}

/// Why the database is not ready to serve (`GET /readyz`).
#[derive(Debug, thiserror::Error)]
pub enum NotReady {
    #[error("the database does not answer: {0}")]
    NoAnswer(#[from] sqlx::Error),
    #[error("{applied} of the {known} migrations are applied")]
    Migrations { applied: i64, known: usize },
}

/// Whether the database answers and every migration this build knows is applied (by any instance).
pub async fn check_ready(pool: &AnyPool) -> Result<(), NotReady> {
    let backend = Backend::of_pool(pool);
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(pool)
        .await?;
    let known = migrator(backend).iter().count();
    if usize::try_from(applied).is_ok_and(|applied| applied >= known) {
        Ok(())
    } else {
        Err(NotReady::Migrations { applied, known })
    }
}

type Opened = (AnyPool, Backend, Option<PathBuf>, String);

async fn open_sqlite(url: &str) -> Result<Opened, StorageError> {
    let invalid = |source| StorageError::InvalidUrl {
        url: url.to_owned(),
        source,
    };
    let options = SqliteConnectOptions::from_str(url)
        .map_err(invalid)?
        .create_if_missing(true);
    let path = options.get_filename().to_path_buf();
    // (sqlx names an in-memory database `file:sqlx-in-memory-N`.)
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let in_memory =
        rest.starts_with(":memory:") || rest.contains("mode=memory") || path.as_os_str().is_empty();
    let path = if in_memory {
        PathBuf::from(":memory:")
    } else {
        path
    };
    if !in_memory {
        create_parent(&path)?;
    }
    // The `Any` driver takes a URL: the file (and `mode=rwc`) go there, the pragmas run on connect.
    let any_url = if in_memory {
        url.to_owned()
    } else {
        options.to_url_lossy().to_string()
    };
    let any_options = AnyConnectOptions::from_str(&any_url).map_err(invalid)?;
    let pool = AnyPoolOptions::new()
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
        // No ping before each acquire: a connection to a local file does not go away, and the ping is
        // a round trip to the connection's worker thread on every acquire (a few per API request;
        // issue 19). PostgreSQL pings only connections idle for a while (see `open_postgres`).
        .test_before_acquire(false)
        .after_connect(|conn, _| {
            Box::pin(async move {
                // Foreign keys are on and the busy timeout is 5 s by sqlx's defaults.
                sqlx::query("PRAGMA journal_mode = WAL")
                    .execute(&mut *conn)
                    .await?;
                sqlx::query("PRAGMA synchronous = NORMAL")
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            })
        })
        .connect_with(any_options)
        .await
        .map_err(|source| StorageError::Open {
            database: path.display().to_string(),
            source,
        })?;
    let path = if in_memory {
        path
    } else {
        std::fs::canonicalize(&path).unwrap_or(path)
    };
    let location = path.display().to_string();
    Ok((pool, Backend::Sqlite, Some(path), location))
}

async fn open_postgres(url: &str) -> Result<Opened, StorageError> {
    let location = without_password(url);
    let any_options =
        AnyConnectOptions::from_str(url).map_err(|source| StorageError::InvalidUrl {
            url: location.clone(),
            source,
        })?;
    let open_error = |source| StorageError::Open {
        database: location.clone(),
        source,
    };
    // One connection first: its error (refused, password, no such database) at once, where the pool
    // would retry until its acquire timeout and then report a timeout.
    AnyConnection::connect_with(&any_options)
        .await
        .map_err(open_error)?
        .close()
        .await
        .map_err(open_error)?;
    let pool = AnyPoolOptions::new()
        .max_connections(10)
        .min_connections(0)
        .acquire_timeout(Duration::from_secs(10))
        .idle_timeout(Some(Duration::from_secs(600)))
        .max_lifetime(Some(Duration::from_secs(3600)))
        // A connection idle for more than a second is pinged before use, so one that a PostgreSQL
        // restart closed is replaced instead of failing a request; one in use a moment ago is not
        // (sqlx pings every acquire by default: a round trip to PostgreSQL per query of a busy
        // server, issue 19).
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > POSTGRES_PING_AFTER_IDLE {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
        .connect_with(any_options)
        .await
        .map_err(open_error)?;
    Ok((pool, Backend::Postgres, None, location))
}

/// How long a PostgreSQL connection may sit idle in the pool before it is pinged on its next use.
const POSTGRES_PING_AFTER_IDLE: Duration = Duration::from_secs(1);

/// `url` with the password of its user info (`scheme://user:password@host…`) replaced by `***`, for
/// messages and logs. Text only: it works on a URL too broken to parse.
fn without_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let Some(at) = authority.rfind('@') else {
        return url.to_owned();
    };
    match authority[..at].find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &url[..scheme_end],
            &authority[..colon],
            &url[scheme_end + at..]
        ),
        None => url.to_owned(),
    }
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

/// The key of the PostgreSQL advisory lock every write transaction takes (any constant: "ACCESS C").
const WRITE_LOCK_KEY: i64 = 0x4143_4345_5353_2043;

/// Begins a transaction for a change. Writers take turns, so the checks a change reads first (name
/// taken? role in use?) still hold when it is saved, and no write is lost:
/// * SQLite: the write lock at once (`BEGIN IMMEDIATE`); two writers queue on the busy timeout instead of
///   one failing with "database is locked" when its read transaction tries to become a write.
/// * PostgreSQL: a transaction-scoped advisory lock (`pg_advisory_xact_lock`), the same turn-taking
///   across every server instance on the database. Statements after it see every change committed
///   before (READ COMMITTED), so there is no serialization failure to retry and no deadlock between
///   writers (they wait on this one lock before touching any row).
pub async fn begin_write(
    pool: &AnyPool,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    match Backend::of_pool(pool) {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Backend::Postgres => {
            let mut tx = pool.begin().await?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(WRITE_LOCK_KEY)
                .execute(&mut *tx)
                .await?;
            Ok(tx)
        }
    }
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

#[cfg(test)]
mod tests {
    use super::without_password;

    #[test]
    fn passwords_are_not_shown() {
        for (url, shown) in [
            (
                "postgres://console:s3cret@db:5432/console",
                "postgres://console:***@db:5432/console",
            ),
            (
                "postgres://console:p@ss:word@db/x?sslmode=require",
                "postgres://console:***@db/x?sslmode=require",
            ),
            (
                "postgres://a:b@host:notaport",
                "postgres://a:***@host:notaport",
            ),
            (
                "postgres://console@db/console",
                "postgres://console@db/console",
            ),
            (
                "postgres://localhost/db?host=/run/postgresql",
                "postgres://localhost/db?host=/run/postgresql",
            ),
            ("sqlite://data/a@b:c.db", "sqlite://data/a@b:c.db"),
            ("no scheme", "no scheme"),
        ] {
            assert_eq!(without_password(url), shown, "{url}");
        }
    }
}
