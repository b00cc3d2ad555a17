//! Database and collection names, checked as MongoDB checks them.
//!
//! Source: MongoDB Manual, "MongoDB Limits and Thresholds" → Naming Restrictions (manual for 8.0):
//! - database names cannot be empty, cannot contain `/\. "$` (any platform) nor `*<>:|?` (Windows; refused
//!   here too so that a role works on every deployment) nor the null character, and must have fewer than
//!   64 bytes;
//! - collection names cannot be empty, cannot contain `$` nor the null character, cannot begin with
//!   `system.` (reserved), and the namespace `<database>.<collection>` is at most 255 bytes.

use thiserror::Error;

/// A database name has fewer than 64 bytes.
pub const MAX_DATABASE_NAME_BYTES: usize = 63;
/// `<database>.<collection>` is at most 255 bytes.
pub const MAX_NAMESPACE_BYTES: usize = 255;
/// Characters that no database name may contain.
pub const FORBIDDEN_DATABASE_CHARS: &[char] = &[
    '/', '\\', '.', ' ', '"', '$', '*', '<', '>', ':', '|', '?', '\0',
];
/// Databases that Atlas keeps for itself; "any database" roles exclude them.
pub const INTERNAL_DATABASES: &[&str] = &["local", "config"];

/// `true` for `local` and `config`.
pub fn is_internal_database(db: &str) -> bool {
    INTERNAL_DATABASES.contains(&db)
}

fn describe(ch: char) -> String {
    match ch {
        '\0' => "the null character".to_owned(),
        ' ' => "a space".to_owned(),
        c => format!("'{c}'"),
    }
}

/// Why a database name is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DatabaseNameError {
    /// The name is empty (`DATABASE_NAME_EMPTY`).
    #[error("the database name is empty")]
    Empty,
    /// The name holds a character MongoDB forbids in database names, [`FORBIDDEN_DATABASE_CHARS`]
    /// (`DATABASE_NAME_INVALID_CHARACTER`).
    #[error("a database name cannot contain {} (character {position}); not allowed: / \\ . space \" $ * < > : | ? and the null character", describe(*ch))]
    InvalidCharacter {
        /// The first forbidden character.
        ch: char,
        /// Its 1-based position in the name, in characters.
        position: usize,
    },
    /// The name has 64 bytes or more (`DATABASE_NAME_TOO_LONG`).
    #[error("the database name is {bytes} bytes long; it must be shorter than 64 bytes")]
    TooLong {
        /// Its length in bytes (UTF-8).
        bytes: usize,
    },
}

impl DatabaseNameError {
    /// The stable `errorCode` of the rule.
    pub fn error_code(&self) -> &'static str {
        match self {
            Self::Empty => "DATABASE_NAME_EMPTY",
            Self::InvalidCharacter { .. } => "DATABASE_NAME_INVALID_CHARACTER",
            Self::TooLong { .. } => "DATABASE_NAME_TOO_LONG",
        }
    }
}

/// Whether names beginning with `system.` are accepted: custom role privileges may name MongoDB's system
/// collections (`system.profile`, `system.js`); a user's role on a collection may not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemCollections {
    /// `system.*` names are accepted (custom role privileges).
    Allowed,
    /// `system.*` names are refused (a user's role on a collection).
    Refused,
}

/// Why a collection name is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CollectionNameError {
    /// The name is empty (`COLLECTION_NAME_EMPTY`).
    #[error("the collection name is empty")]
    Empty,
    /// The name holds `$` or the null character (`COLLECTION_NAME_INVALID_CHARACTER`).
    #[error("a collection name cannot contain {} (character {position})", describe(*ch))]
    InvalidCharacter {
        /// The first forbidden character.
        ch: char,
        /// Its 1-based position in the name, in characters.
        position: usize,
    },
    /// The name begins with `system.`, reserved for MongoDB (`COLLECTION_NAME_RESERVED`).
    #[error("collection names beginning with \"system.\" are reserved for MongoDB")]
    SystemPrefix,
    /// `<database>.<collection>` is over [`MAX_NAMESPACE_BYTES`] (`NAMESPACE_TOO_LONG`).
    #[error("the namespace \"<database>.<collection>\" is {bytes} bytes long; at most {MAX_NAMESPACE_BYTES} are allowed")]
    NamespaceTooLong {
        /// The namespace's length in bytes.
        bytes: usize,
    },
}

impl CollectionNameError {
    /// The stable `errorCode` of the rule.
    pub fn error_code(&self) -> &'static str {
        match self {
            Self::Empty => "COLLECTION_NAME_EMPTY",
            Self::InvalidCharacter { .. } => "COLLECTION_NAME_INVALID_CHARACTER",
            Self::SystemPrefix => "COLLECTION_NAME_RESERVED",
            Self::NamespaceTooLong { .. } => "NAMESPACE_TOO_LONG",
        }
    }
}

/// Checks a database name. Reports the first problem: empty, then the first forbidden character, then length.
pub fn validate_database_name(name: &str) -> Result<(), DatabaseNameError> {
    if name.is_empty() {
        return Err(DatabaseNameError::Empty);
    }
    if let Some((i, ch)) = name
        .chars()
        .enumerate()
        .find(|(_, c)| FORBIDDEN_DATABASE_CHARS.contains(c))
    {
        return Err(DatabaseNameError::InvalidCharacter {
            ch,
            position: i + 1,
        });
    }
    if name.len() > MAX_DATABASE_NAME_BYTES {
        return Err(DatabaseNameError::TooLong { bytes: name.len() });
    }
    Ok(())
}

/// Checks a collection name within database `db` (the namespace length counts both).
pub fn validate_collection_name(
    db: &str,
    name: &str,
    system: SystemCollections,
) -> Result<(), CollectionNameError> {
    if name.is_empty() {
        return Err(CollectionNameError::Empty);
    }
    if let Some((i, ch)) = name
        .chars()
        .enumerate()
        .find(|(_, c)| *c == '$' || *c == '\0')
    {
        return Err(CollectionNameError::InvalidCharacter {
            ch,
            position: i + 1,
        });
    }
    if system == SystemCollections::Refused && name.starts_with("system.") {
        return Err(CollectionNameError::SystemPrefix);
    }
    let bytes = db.len() + 1 + name.len();
    if bytes > MAX_NAMESPACE_BYTES {
        return Err(CollectionNameError::NamespaceTooLong { bytes });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_database_names() {
        for ok in [
            "sales",
            "Sales_2024",
            "a",
            "reports-eu",
            "données",
            "admin",
            "local",
            &"d".repeat(63),
        ] {
            assert_eq!(validate_database_name(ok), Ok(()), "{ok:?}");
        }
    }

    #[test]
    fn refuses_each_forbidden_database_character() {
        for ch in FORBIDDEN_DATABASE_CHARS {
            let name = format!("ab{ch}c");
            assert_eq!(
                validate_database_name(&name),
                Err(DatabaseNameError::InvalidCharacter {
                    ch: *ch,
                    position: 3
                }),
                "{name:?}"
            );
        }
        let err = validate_database_name("$external").unwrap_err();
        assert_eq!(err.error_code(), "DATABASE_NAME_INVALID_CHARACTER");
        assert!(err.to_string().contains("'$' (character 1)"), "{err}");
        assert!(validate_database_name("a\0")
            .unwrap_err()
            .to_string()
            .contains("the null character"));
        assert!(validate_database_name("my db")
            .unwrap_err()
            .to_string()
            .contains("a space (character 3)"));
    }

    #[test]
    fn database_name_length_is_counted_in_bytes() {
        assert_eq!(
            validate_database_name(&"d".repeat(64)),
            Err(DatabaseNameError::TooLong { bytes: 64 })
        );
        // 32 two-byte characters = 64 bytes.
        let err = validate_database_name(&"é".repeat(32)).unwrap_err();
        assert_eq!(err, DatabaseNameError::TooLong { bytes: 64 });
        assert_eq!(err.error_code(), "DATABASE_NAME_TOO_LONG");
        assert_eq!(validate_database_name(""), Err(DatabaseNameError::Empty));
        assert_eq!(
            validate_database_name("").unwrap_err().error_code(),
            "DATABASE_NAME_EMPTY"
        );
    }

    #[test]
    fn collection_names() {
        let ok = |c: &str| validate_collection_name("sales", c, SystemCollections::Refused);
        assert_eq!(ok("orders"), Ok(()));
        assert_eq!(ok("orders.2024 archive"), Ok(()));
        assert_eq!(ok("_tmp"), Ok(()));
        assert_eq!(ok("systemic"), Ok(()));
        assert_eq!(ok(""), Err(CollectionNameError::Empty));
        assert_eq!(
            ok("a$b"),
            Err(CollectionNameError::InvalidCharacter {
                ch: '$',
                position: 2
            })
        );
        assert_eq!(
            ok("a\0"),
            Err(CollectionNameError::InvalidCharacter {
                ch: '\0',
                position: 2
            })
        );
        assert_eq!(ok("system.profile"), Err(CollectionNameError::SystemPrefix));
        assert_eq!(
            validate_collection_name("sales", "system.profile", SystemCollections::Allowed),
            Ok(())
        );
        for (input, code) in [
            ("", "COLLECTION_NAME_EMPTY"),
            ("$cmd", "COLLECTION_NAME_INVALID_CHARACTER"),
            ("system.js", "COLLECTION_NAME_RESERVED"),
        ] {
            assert_eq!(ok(input).unwrap_err().error_code(), code);
        }
    }

    #[test]
    fn namespace_length_includes_database_and_dot() {
        // "sales" (5) + "." (1) + 249 = 255: allowed; one more byte is refused.
        assert_eq!(
            validate_collection_name("sales", &"c".repeat(249), SystemCollections::Refused),
            Ok(())
        );
        let err = validate_collection_name("sales", &"c".repeat(250), SystemCollections::Refused)
            .unwrap_err();
        assert_eq!(err, CollectionNameError::NamespaceTooLong { bytes: 256 });
        assert_eq!(err.error_code(), "NAMESPACE_TOO_LONG");
    }

    #[test]
    fn local_and_config_are_internal() {
        assert!(is_internal_database("local"));
        assert!(is_internal_database("config"));
        assert!(!is_internal_database("admin"));
        assert!(!is_internal_database("Local"));
    }
}
