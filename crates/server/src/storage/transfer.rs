//! Moving a console's data from one database to another (`access-console migrate-db`), SQLite to
//! PostgreSQL or back.
//!
//! Both schemas are migrated to this build's latest first. Then every table of [`TABLES`] is copied,
//! row by row, in one transaction on the target, parents before children; the target must be empty
//! (no row in any table). Before the commit each table of the target is read back and compared with
//! the source: the row count and a checksum that does not depend on row order (the wrapping sum of the
//! SHA-256 of each row's values, which are the same values on both backends: text, integers, booleans,
//! bytes). A mismatch rolls everything back.

use futures_util::TryStreamExt as _;
use sha2::{Digest as _, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row as _};

use super::Backend;

/// Every table of the schema, parents before children (the order of the migrations).
pub const TABLES: &[&str] = &[
    "organizations",
    "projects",
    "project_x509_settings",
    "clusters",
    "custom_roles",
    "database_users",
    "database_user_roles",
    "events",
    "org_events",
    "alert_configs",
    "alerts",
    "webhook_deliveries",
    "accounts",
    "account_project_roles",
    "account_org_roles",
    "sessions",
    "sign_in_failures",
    "api_keys",
    "api_key_roles",
    "api_key_access_list",
    "digest_nonce_secret",
    "sign_in_throttled",
];

#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("the target database is not empty: {table} has {rows} rows (migrate-db copies into an empty database only)")]
    TargetNotEmpty { table: &'static str, rows: i64 },
    #[error("the {side} database has tables this build does not know or lacks some: {tables:?} (is it from another version of Access Console?)")]
    UnknownTables {
        side: &'static str,
        tables: Vec<String>,
    },
    #[error("the column {column} of {table} has the type {kind:?}, which migrate-db cannot copy")]
    UnknownColumnType {
        table: &'static str,
        column: String,
        kind: String,
    },
    #[error("the columns of {table} differ between the databases: {source_columns:?} and {target_columns:?}")]
    ColumnsDiffer {
        table: &'static str,
        source_columns: Vec<String>,
        target_columns: Vec<String>,
    },
    #[error("{table} differs after copying: {source_rows} rows (checksum {source_checksum}) in the source, {target_rows} rows (checksum {target_checksum}) in the target; nothing was committed")]
    Mismatch {
        table: &'static str,
        source_rows: u64,
        source_checksum: String,
        target_rows: u64,
        target_checksum: String,
    },
    #[error("{table}: {source}")]
    Database {
        table: &'static str,
        source: sqlx::Error,
    },
}

/// What was copied into one table, and found again in the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    pub table: &'static str,
    pub rows: u64,
    /// 32 hex digits.
    pub checksum: String,
}

/// The kinds of values a column holds (the same on both backends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Integer,
    Boolean,
    Bytes,
}

#[derive(Debug, Clone)]
struct Column {
    name: String,
    kind: Kind,
}

/// One value, as read from either backend.
#[derive(Debug, Clone)]
enum Value {
    Text(Option<String>),
    Integer(Option<i64>),
    Boolean(Option<bool>),
    Bytes(Option<Vec<u8>>),
}

impl Value {
    /// Tag, presence, length and bytes: no two different rows give the same stream.
    fn hash_into(&self, hasher: &mut Sha256) {
        let (tag, bytes): (u8, Option<Vec<u8>>) = match self {
            Value::Text(v) => (1, v.as_ref().map(|v| v.as_bytes().to_vec())),
            Value::Integer(v) => (2, v.map(|v| v.to_be_bytes().to_vec())),
            Value::Boolean(v) => (3, v.map(|v| vec![u8::from(v)])),
            Value::Bytes(v) => (4, v.clone()),
        };
        hasher.update([tag]);
        match bytes {
            None => hasher.update([0]),
            Some(bytes) => {
                hasher.update([1]);
                hasher.update((bytes.len() as u64).to_be_bytes());
                hasher.update(&bytes);
            }
        }
    }
}

/// The order-independent sum of row hashes, and the row count.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Checksum {
    rows: u64,
    sum: u128,
}

impl Checksum {
    fn add(&mut self, row: &[Value]) {
        let mut hasher = Sha256::new();
        for value in row {
            value.hash_into(&mut hasher);
        }
        let digest = hasher.finalize();
        let mut first = [0u8; 16];
        first.copy_from_slice(&digest[..16]);
        self.sum = self.sum.wrapping_add(u128::from_be_bytes(first));
        self.rows += 1;
    }

    fn hex(self) -> String {
        format!("{:032x}", self.sum)
    }
}

/// Copies every table of `from` into `to` (both migrated, `to` empty) in one transaction on `to`.
pub async fn copy_all(from: &AnyPool, to: &AnyPool) -> Result<Vec<TableCopy>, TransferError> {
    let (from_backend, to_backend) = (Backend::of_pool(from), Backend::of_pool(to));
    check_tables(from, from_backend, "source").await?;
    check_tables(to, to_backend, "target").await?;
    let db = |table: &'static str| move |source| TransferError::Database { table, source };
    let mut source = from.begin().await.map_err(db("(begin on the source)"))?;
    let mut target = to.begin().await.map_err(db("(begin on the target)"))?;
    for table in TABLES {
        let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut *target)
            .await
            .map_err(db(table))?;
        if rows > 0 {
            return Err(TransferError::TargetNotEmpty { table, rows });
        }
    }
    let mut copies = Vec::new();
    for table in TABLES {
        let columns = table_columns(&mut source, from_backend, table).await?;
        let target_columns = table_columns(&mut target, to_backend, table).await?;
        let names = |cols: &[Column]| cols.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        let mut sorted = (names(&columns), names(&target_columns));
        sorted.0.sort();
        sorted.1.sort();
        if sorted.0 != sorted.1 {
            return Err(TransferError::ColumnsDiffer {
                table,
                source_columns: sorted.0,
                target_columns: sorted.1,
            });
        }
        let insert = format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            columns
                .iter()
                .map(|c| format!("\"{}\"", c.name))
                .collect::<Vec<_>>()
                .join(", "),
            (1..=columns.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut copied = Checksum::default();
        {
            let select = select_all(table, &columns, from_backend);
            let mut rows = sqlx::query(&select).fetch(&mut *source);
            // Rows are read one at a time from the source and written to the target at once.
            let mut batch = Vec::new();
            while let Some(row) = rows.try_next().await.map_err(db(table))? {
                batch.push(read_row(&row, &columns).map_err(db(table))?);
                if batch.len() == 500 {
                    write_rows(&mut target, &insert, &mut batch, &mut copied)
                        .await
                        .map_err(db(table))?;
                }
            }
            write_rows(&mut target, &insert, &mut batch, &mut copied)
                .await
                .map_err(db(table))?;
        }
        let mut found = Checksum::default();
        {
            let select = select_all(table, &columns, to_backend);
            let mut rows = sqlx::query(&select).fetch(&mut *target);
            while let Some(row) = rows.try_next().await.map_err(db(table))? {
                found.add(&read_row(&row, &columns).map_err(db(table))?);
            }
        }
        if found != copied {
            return Err(TransferError::Mismatch {
                table,
                source_rows: copied.rows,
                source_checksum: copied.hex(),
                target_rows: found.rows,
                target_checksum: found.hex(),
            });
        }
        copies.push(TableCopy {
            table,
            rows: copied.rows,
            checksum: copied.hex(),
        });
    }
    if to_backend == Backend::Postgres {
        // Events are numbered by a sequence on PostgreSQL: it continues after the copied ones.
        for (table, sequence) in [("events", "events_seq"), ("org_events", "org_events_seq")] {
            sqlx::query(&format!(
                "SELECT setval('{sequence}', (SELECT COALESCE(MAX(seq), 0) FROM {table}) + 1, false)"
            ))
            .execute(&mut *target)
            .await
            .map_err(db(table))?;
        }
    }
    target.commit().await.map_err(db("(commit)"))?;
    source.rollback().await.map_err(db("(source)"))?;
    Ok(copies)
}

async fn write_rows(
    target: &mut AnyConnection,
    insert: &str,
    batch: &mut Vec<Vec<Value>>,
    copied: &mut Checksum,
) -> Result<(), sqlx::Error> {
    for row in batch.drain(..) {
        let mut query = sqlx::query(insert);
        for value in &row {
            query = match value {
                Value::Text(v) => query.bind(v.clone()),
                Value::Integer(v) => query.bind(*v),
                Value::Boolean(v) => query.bind(*v),
                Value::Bytes(v) => query.bind(v.clone()),
            };
        }
        query.execute(&mut *target).await?;
        copied.add(&row);
    }
    Ok(())
}

/// `SELECT` of `columns` (SQLite booleans read as integers: the `Any` driver reads no SQLite BOOLEAN).
fn select_all(table: &str, columns: &[Column], backend: Backend) -> String {
    let list = columns
        .iter()
        .map(|c| match (c.kind, backend) {
            (Kind::Boolean, Backend::Sqlite) => format!("CAST(\"{}\" AS INTEGER)", c.name),
            _ => format!("\"{}\"", c.name),
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!("SELECT {list} FROM {table}")
}

fn read_row(row: &AnyRow, columns: &[Column]) -> Result<Vec<Value>, sqlx::Error> {
    columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            Ok(match column.kind {
                Kind::Text => Value::Text(row.try_get(i)?),
                Kind::Integer => Value::Integer(row.try_get(i)?),
                Kind::Boolean => Value::Boolean(match row.try_get::<Option<bool>, _>(i) {
                    Ok(value) => value,
                    Err(_) => row.try_get::<Option<i64>, _>(i)?.map(|v| v != 0),
                }),
                Kind::Bytes => Value::Bytes(row.try_get(i)?),
            })
        })
        .collect()
}

/// The tables of a database, but for sqlx's own; they must be [`TABLES`].
async fn check_tables(
    pool: &AnyPool,
    backend: Backend,
    side: &'static str,
) -> Result<(), TransferError> {
    let query = match backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> '_sqlx_migrations'"
        }
        Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             AND table_name <> '_sqlx_migrations'"
        }
    };
    let found: Vec<String> = sqlx::query_scalar(query)
        .fetch_all(pool)
        .await
        .map_err(|source| TransferError::Database {
            table: "(list of tables)",
            source,
        })?;
    let mut differ: Vec<String> = found
        .iter()
        .filter(|t| !TABLES.contains(&t.as_str()))
        .cloned()
        .collect();
    differ.extend(
        TABLES
            .iter()
            .filter(|t| !found.iter().any(|f| f == *t))
            .map(|t| (*t).to_owned()),
    );
    if differ.is_empty() {
        Ok(())
    } else {
        Err(TransferError::UnknownTables {
            side,
            tables: differ,
        })
    }
}

/// The columns of `table`, in order, with their kinds.
async fn table_columns(
    conn: &mut AnyConnection,
    backend: Backend,
    table: &'static str,
) -> Result<Vec<Column>, TransferError> {
    let rows: Vec<(String, String)> = match backend {
        Backend::Sqlite => {
            sqlx::query_as("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
                .bind(table)
                .fetch_all(&mut *conn)
                .await
        }
        Backend::Postgres => {
            sqlx::query_as(
                "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(table)
            .fetch_all(&mut *conn)
            .await
        }
    }
    .map_err(|source| TransferError::Database { table, source })?;
    rows.into_iter()
        .map(|(name, kind)| {
            let parsed = match kind.to_ascii_lowercase().as_str() {
                "text" => Kind::Text,
                "integer" | "bigint" => Kind::Integer,
                "boolean" => Kind::Boolean,
                "blob" | "bytea" => Kind::Bytes,
                _ => {
                    return Err(TransferError::UnknownColumnType {
                        table,
                        column: name,
                        kind,
                    })
                }
            };
            Ok(Column { name, kind: parsed })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_ignore_row_order_but_not_values() {
        let a = vec![Value::Text(Some("a".into())), Value::Integer(Some(1))];
        let b = vec![Value::Text(Some("b".into())), Value::Integer(None)];
        let (mut one, mut other) = (Checksum::default(), Checksum::default());
        one.add(&a);
        one.add(&b);
        other.add(&b);
        other.add(&a);
        assert_eq!(one, other);
        let mut changed = Checksum::default();
        changed.add(&a);
        changed.add(&[Value::Text(Some("b".into())), Value::Integer(Some(0))]);
        assert_ne!(one, changed);
        // NULL and empty differ.
        let (mut null, mut empty) = (Checksum::default(), Checksum::default());
        null.add(&[Value::Text(None)]);
        empty.add(&[Value::Text(Some(String::new()))]);
        assert_ne!(null, empty);
    }
}
