//! How a CLI command that reads or writes the database fails: a usage error (exit 2: the arguments, the
//! file or the document) or a failure (exit 1: the database, or nothing to do it on).

#[derive(Debug, thiserror::Error)]
pub(super) enum CliError {
    /// Exit 2: the arguments, the file or the document.
    #[error("{0}")]
    Usage(String),
    /// Exit 1: the database, or nothing to export.
    #[error("{0}")]
    Failed(String),
}

impl From<sqlx::Error> for CliError {
    fn from(error: sqlx::Error) -> Self {
        CliError::Failed(format!("database error: {error}"))
    }
}

impl CliError {
    /// Says what went wrong on standard error, as `access-console {command}: …`, and gives the exit status.
    pub(super) fn report(self, command: &str) -> u8 {
        let (message, code) = match self {
            CliError::Usage(message) => (message, super::exit::USAGE),
            CliError::Failed(message) => (message, super::exit::PROBLEMS),
        };
        eprintln!("access-console {command}: {message}");
        code
    }
}

/// The project named by `--group-id`, or the only (first) one.
pub(super) async fn project_id(
    pool: &sqlx::AnyPool,
    group_id: Option<&str>,
) -> Result<String, CliError> {
    use crate::storage::projects;
    match group_id {
        Some(id) => projects::find(pool, id)
            .await?
            .map(|p| p.id)
            .ok_or_else(|| CliError::Usage(format!("no project has the group ID {id:?}"))),
        None => projects::list(pool, 0, 1)
            .await?
            .into_iter()
            .next()
            .map(|p| p.id)
            .ok_or_else(|| CliError::Failed("the database has no project".to_owned())),
    }
}
