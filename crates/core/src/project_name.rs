//! The rule of a project's name (Atlas's): 1 to 64 characters, each a letter, a digit, a space, `-` or
//! `_`. Checked by the console as the user types and by the server on create and rename.

use crate::field_issue::FieldError;

/// The longest name, in characters.
pub const MAX_PROJECT_NAME_CHARS: usize = 64;

/// Why a project name is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProjectNameError {
    /// The name is empty (`INVALID_GROUP_NAME`).
    #[error("a project needs a name")]
    Empty,
    /// The name has more than [`MAX_PROJECT_NAME_CHARS`] characters (`INVALID_GROUP_NAME`); holds
    /// its length.
    #[error("a project name has at most {MAX_PROJECT_NAME_CHARS} characters; this one has {0}")]
    TooLong(usize),
    /// The name holds a character other than letters, digits, spaces, `-` and `_`
    /// (`INVALID_GROUP_NAME`).
    #[error("a project name may hold only letters, digits, spaces, - and _; {character:?} (character {position}) is none of them")]
    InvalidCharacter {
        /// The first such character.
        character: char,
        /// 1-based, in characters.
        position: usize,
    },
}

impl FieldError for ProjectNameError {
    fn field(&self) -> &str {
        "name"
    }

    fn error_code(&self) -> &'static str {
        "INVALID_GROUP_NAME"
    }
}

/// Checks a project's name as typed (no trimming: a leading or trailing space is kept, as Atlas does).
pub fn validate_project_name(name: &str) -> Result<(), ProjectNameError> {
    let count = name.chars().count();
    if count == 0 || name.trim().is_empty() {
        return Err(ProjectNameError::Empty);
    }
    if count > MAX_PROJECT_NAME_CHARS {
        return Err(ProjectNameError::TooLong(count));
    }
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_');
    match name.chars().enumerate().find(|(_, c)| !allowed(*c)) {
        Some((index, character)) => Err(ProjectNameError::InvalidCharacter {
            character,
            position: index + 1,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_atlas_allows_them() {
        for ok in ["Project 0", "staging-eu_1", "Zürich", &"p".repeat(64)] {
            assert_eq!(validate_project_name(ok), Ok(()), "{ok}");
        }
        assert_eq!(validate_project_name(""), Err(ProjectNameError::Empty));
        assert_eq!(validate_project_name("   "), Err(ProjectNameError::Empty));
        assert_eq!(
            validate_project_name(&"p".repeat(65)),
            Err(ProjectNameError::TooLong(65))
        );
        let error = validate_project_name("prod/eu").unwrap_err();
        assert_eq!(
            error,
            ProjectNameError::InvalidCharacter {
                character: '/',
                position: 5
            }
        );
        assert_eq!(
            error.to_string(),
            "a project name may hold only letters, digits, spaces, - and _; '/' (character 5) is none of them"
        );
        assert_eq!(error.to_issue().field, "name");
    }
}
