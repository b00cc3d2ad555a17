//! The rules of a console account, checked by the console as the user types and by the server on save.

use crate::field_issue::FieldError;
use crate::project_role::ProjectRole;

/// Shortest password accepted (NIST SP 800-63B asks for at least 8; a console that manages database
/// access asks for more).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted, so that hashing a request body cannot be made arbitrarily slow.
pub const MAX_PASSWORD_BYTES: usize = 256;
/// Longest account name.
pub const MAX_USERNAME_CHARS: usize = 64;

/// A broken account rule, with the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountRuleError {
    /// The account name is not 1 to [`MAX_USERNAME_CHARS`] letters, digits or `. _ - @`
    /// (`ACCOUNT_NAME_INVALID`).
    #[error("a username is 1 to {MAX_USERNAME_CHARS} letters, digits or . _ - @ (e.g. jane.doe or jane@example.com)")]
    InvalidUsername,
    /// The password has fewer than [`MIN_PASSWORD_CHARS`] characters (`PASSWORD_TOO_SHORT`); holds
    /// its length.
    #[error("a password has at least {MIN_PASSWORD_CHARS} characters; this one has {0}")]
    PasswordTooShort(usize),
    /// The password has more than [`MAX_PASSWORD_BYTES`] bytes (`PASSWORD_TOO_LONG`).
    #[error("a password has at most {MAX_PASSWORD_BYTES} bytes")]
    PasswordTooLong,
    /// A `roleName` that is not a project role (`UNKNOWN_PROJECT_ROLE`); holds the role as sent.
    #[error("{0:?} is not a project role: use GROUP_OWNER, GROUP_DATABASE_ACCESS_ADMIN or GROUP_READ_ONLY")]
    UnknownProjectRole(String),
}

impl FieldError for AccountRuleError {
    fn field(&self) -> &str {
        match self {
            Self::InvalidUsername => "username",
            Self::PasswordTooShort(_) | Self::PasswordTooLong => "password",
            Self::UnknownProjectRole(_) => "roleName",
        }
    }

    fn error_code(&self) -> &'static str {
        match self {
            Self::InvalidUsername => "ACCOUNT_NAME_INVALID",
            Self::PasswordTooShort(_) => "PASSWORD_TOO_SHORT",
            Self::PasswordTooLong => "PASSWORD_TOO_LONG",
            Self::UnknownProjectRole(_) => "UNKNOWN_PROJECT_ROLE",
        }
    }
}

/// Checks an account name.
pub fn validate_username(username: &str) -> Result<(), AccountRuleError> {
    let count = username.chars().count();
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@');
    if count == 0 || count > MAX_USERNAME_CHARS || !username.chars().all(allowed) {
        return Err(AccountRuleError::InvalidUsername);
    }
    Ok(())
}

/// Checks a new password's length (in characters, as a person counts them).
pub fn validate_password(password: &str) -> Result<(), AccountRuleError> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(AccountRuleError::PasswordTooLong);
    }
    let count = password.chars().count();
    if count < MIN_PASSWORD_CHARS {
        return Err(AccountRuleError::PasswordTooShort(count));
    }
    Ok(())
}

/// What a sign-in must be before the server looks anything up (the console checks it as you type, the
/// server answers 400): a name that could be an account's, a password no longer than any account's.
/// The password's minimum length is not checked (older passwords may be shorter).
pub fn check_sign_in(username: &str, password: &str) -> Result<(), Vec<AccountRuleError>> {
    let mut errors = Vec::new();
    errors.extend(validate_username(username).err());
    if password.len() > MAX_PASSWORD_BYTES {
        errors.push(AccountRuleError::PasswordTooLong);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The project role of an Atlas role name.
pub fn parse_role(name: &str) -> Result<ProjectRole, AccountRuleError> {
    ProjectRole::from_atlas_name(name)
        .ok_or_else(|| AccountRuleError::UnknownProjectRole(name.to_owned()))
}

/// Every broken rule of a new account.
pub fn validate_new_account(
    username: &str,
    password: &str,
    role_name: &str,
) -> Result<ProjectRole, Vec<AccountRuleError>> {
    let mut errors = Vec::new();
    errors.extend(validate_username(username).err());
    errors.extend(validate_password(password).err());
    match parse_role(role_name) {
        Ok(role) if errors.is_empty() => Ok(role),
        Ok(_) => Err(errors),
        Err(error) => {
            errors.push(error);
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_ins_are_checked_before_any_lookup() {
        assert_eq!(check_sign_in("jane", "short"), Ok(()));
        assert_eq!(
            check_sign_in(&"a".repeat(4 << 20), "x"),
            Err(vec![AccountRuleError::InvalidUsername])
        );
        assert_eq!(
            check_sign_in("my password!", &"p".repeat(MAX_PASSWORD_BYTES + 1)),
            Err(vec![
                AccountRuleError::InvalidUsername,
                AccountRuleError::PasswordTooLong
            ])
        );
    }

    #[test]
    fn usernames() {
        for ok in ["jane", "jane.doe", "jane@example.com", "ops_1-a", "zoë"] {
            assert_eq!(validate_username(ok), Ok(()), "{ok}");
        }
        let long = "a".repeat(MAX_USERNAME_CHARS + 1);
        for bad in ["", "jane doe", "a/b", "x;drop", long.as_str()] {
            assert_eq!(
                validate_username(bad),
                Err(AccountRuleError::InvalidUsername),
                "{bad}"
            );
        }
    }

    #[test]
    fn passwords_count_characters_and_bound_bytes() {
        assert_eq!(
            validate_password("short"),
            Err(AccountRuleError::PasswordTooShort(5))
        );
        // 12 characters, 24 bytes.
        assert_eq!(validate_password("éééééééééééé"), Ok(()));
        assert_eq!(
            validate_password(&"x".repeat(MAX_PASSWORD_BYTES + 1)),
            Err(AccountRuleError::PasswordTooLong)
        );
    }

    #[test]
    fn a_new_account_reports_every_broken_rule_with_its_field() {
        let errors = validate_new_account("a b", "short", "GROUP_ADMIN").unwrap_err();
        let fields: Vec<(&str, &str)> =
            errors.iter().map(|e| (e.field(), e.error_code())).collect();
        assert_eq!(
            fields,
            [
                ("username", "ACCOUNT_NAME_INVALID"),
                ("password", "PASSWORD_TOO_SHORT"),
                ("roleName", "UNKNOWN_PROJECT_ROLE")
            ]
        );
        assert_eq!(
            validate_new_account("jane", "correct horse battery", "GROUP_READ_ONLY"),
            Ok(ProjectRole::ReadOnly)
        );
    }
}
