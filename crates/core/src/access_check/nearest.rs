//! When no database user has the certificate's username: the users whose names come closest, and what
//! differs. MongoDB compares the RFC 2253 string exactly (Atlas "Set up Self-Managed X.509
//! Authentication": the username is the certificate's subject, as RFC 2253 prints it), so each of these
//! differences is enough for MongoDB to refuse the connection.

use serde::{Deserialize, Serialize};

/// How a stored username differs from the one MongoDB derives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = NameDifference))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Difference {
    /// The same attributes in another order.
    Order,
    /// The same attributes but for spacing or letter case in the values.
    SpacingOrCase,
    /// The stored name has one attribute the certificate's lacks.
    ExtraAttribute {
        /// The attribute as `TYPE=value`, printed as in the username (`OU=ops`).
        attribute: String,
    },
    /// The stored name lacks one attribute of the certificate's.
    MissingAttribute {
        /// The attribute as `TYPE=value`, printed as in the username (`OU=ops`).
        attribute: String,
    },
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Order => f.write_str("same attributes in another order"),
            Self::SpacingOrCase => f.write_str("differs only in spacing or letter case"),
            Self::ExtraAttribute { attribute } => {
                write!(f, "has {attribute}, which the certificate's subject lacks")
            }
            Self::MissingAttribute { attribute } => {
                write!(f, "lacks {attribute}, which the certificate's subject has")
            }
        }
    }
}

/// A stored user whose name comes close.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct NearUser {
    /// The stored username, in RFC 2253.
    pub username: String,
    /// How it differs from the certificate's username.
    pub difference: Difference,
    /// The difference in words.
    pub detail: String,
}

/// Most near users listed.
pub const MAX_NEAR_USERS: usize = 10;

type Attributes = Vec<(String, String)>;

/// The `(TYPE, value)` pairs of an RFC 2253 string as printed (both names compared are printed by
/// [`crate::dn`]: the certificate's subject, or a typed name's canonical form, and the stored names): split
/// at unescaped `,` and `+`, then at the first `=`; escapes are kept, so values compare as printed. A
/// light reading on purpose: the nearest users compare every stored name (10,000 in a large project).
fn attributes(dn: &str) -> Option<Attributes> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    let mut push = |part: &mut String| -> Option<()> {
        let (kind, value) = part.split_once('=')?;
        out.push((kind.trim().to_ascii_uppercase(), value.to_owned()));
        part.clear();
        Some(())
    };
    for ch in dn.chars() {
        if escaped {
            current.push(ch);
            escaped = false;
        } else if ch == '\\' {
            current.push(ch);
            escaped = true;
        } else if ch == ',' || ch == '+' {
            push(&mut current)?;
        } else {
            current.push(ch);
        }
    }
    if !current.is_empty() {
        push(&mut current)?;
    }
    (!out.is_empty()).then_some(out)
}

fn loose(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn sorted(mut a: Attributes) -> Attributes {
    a.sort();
    a
}

/// The one attribute `longer` has beyond `shorter`, when that is the only difference.
fn one_more(longer: &Attributes, shorter: &Attributes) -> Option<String> {
    if longer.len() != shorter.len() + 1 {
        return None;
    }
    let mut rest = sorted(longer.clone());
    for attribute in shorter {
        let at = rest.iter().position(|a| a == attribute)?;
        rest.remove(at);
    }
    rest.pop().map(|(t, v)| format!("{t}={v}"))
}

fn difference(wanted: &Attributes, stored: &Attributes) -> Option<Difference> {
    if wanted == stored {
        return None;
    }
    if sorted(wanted.clone()) == sorted(stored.clone()) {
        return Some(Difference::Order);
    }
    let lower =
        |a: &Attributes| -> Attributes { a.iter().map(|(t, v)| (t.clone(), loose(v))).collect() };
    if sorted(lower(wanted)) == sorted(lower(stored)) {
        return Some(Difference::SpacingOrCase);
    }
    if let Some(attribute) = one_more(stored, wanted) {
        return Some(Difference::ExtraAttribute { attribute });
    }
    if let Some(attribute) = one_more(wanted, stored) {
        return Some(Difference::MissingAttribute { attribute });
    }
    None
}

/// The stored usernames closest to `username` (at most [`MAX_NEAR_USERS`], in the order given), with what
/// differs. Names that cannot be read as distinguished names, and `username` itself, are skipped.
pub fn nearest_users<S: AsRef<str>>(username: &str, stored: &[S]) -> Vec<NearUser> {
    let Some(wanted) = attributes(username) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for name in stored {
        let name = name.as_ref();
        if name == username {
            continue;
        }
        let Some(theirs) = attributes(name) else {
            continue;
        };
        if let Some(difference) = difference(&wanted, &theirs) {
            out.push(NearUser {
                username: name.to_owned(),
                detail: difference.to_string(),
                difference,
            });
            if out.len() == MAX_NEAR_USERS {
                break;
            }
        }
    }
    out
}
