//! The custom role name (seed: "Custom Role Name" → Important).
//!
//! A name can only contain letters, digits, underscores and dashes, and may not be: a name already used by
//! a custom role of the project, the name of a built-in role, `atlasAdmin`, or a name starting with `xgen-`.
//! Each failure has its own message and code. Letters are ASCII letters: MongoDB role names are
//! case-sensitive, so `Read` is not the built-in `read`; the reserved `xgen-` prefix is refused in any case.

use super::CustomRoleErrorKind;
use crate::catalog;

/// Checks `name` for a new role of a project whose custom roles are named `existing`. Reports the first
/// broken rule, in the order of the seed.
pub fn validate_role_name<S: AsRef<str>>(
    name: &str,
    existing: &[S],
) -> Result<(), CustomRoleErrorKind> {
    if name.is_empty() {
        return Err(CustomRoleErrorKind::NameEmpty);
    }
    if let Some((i, ch)) = name
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        return Err(CustomRoleErrorKind::NameInvalidCharacter {
            ch,
            position: i + 1,
        });
    }
    if existing.iter().any(|e| e.as_ref() == name) {
        return Err(CustomRoleErrorKind::NameTaken(name.to_owned()));
    }
    if name == "atlasAdmin" {
        return Err(CustomRoleErrorKind::NameIsAtlasAdmin);
    }
    if catalog::role(name).is_some() {
        return Err(CustomRoleErrorKind::NameIsBuiltIn(name.to_owned()));
    }
    if name
        .get(..5)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case("xgen-"))
    {
        return Err(CustomRoleErrorKind::NameReservedPrefix);
    }
    Ok(())
}
