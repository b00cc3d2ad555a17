//! Entity tags (RFC 9110 §8.8.3) of the resources a console user edits, and the `If-Match`
//! precondition that stops one edit from silently overwriting another.
//!
//! A tag is a strong validator computed from the stored representation: `"` + base64url (no padding) of
//! the SHA-256 of the resource's JSON + `"`. The server sends it in `ETag`; the UI computes the same tag
//! from a list item (lists carry no `ETag`), so both must call these functions.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::custom_role::CustomDbRole;
use crate::database_user::DatabaseUser;

/// An entity tag: its opaque text (without quotes) and whether it is weak (`W/"..."`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntityTag {
    /// Whether it is weak (`W/"..."`); weak tags never match under `If-Match`'s strong comparison.
    pub weak: bool,
    /// The text between the quotes (the tags this server makes: base64url of a SHA-256).
    pub opaque: String,
}

impl EntityTag {
    /// A strong tag for `opaque` (which must hold no `"`).
    pub fn strong(opaque: impl Into<String>) -> Self {
        Self {
            weak: false,
            opaque: opaque.into(),
        }
    }

    /// RFC 9110 strong comparison: both strong and the same opaque text.
    pub fn strong_eq(&self, other: &Self) -> bool {
        !self.weak && !other.weak && self.opaque == other.opaque
    }

    /// The tag as a header value: `"abc"` or `W/"abc"`.
    pub fn header_value(&self) -> String {
        if self.weak {
            format!("W/\"{}\"", self.opaque)
        } else {
            format!("\"{}\"", self.opaque)
        }
    }
}

impl std::fmt::Display for EntityTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.header_value())
    }
}

/// The strong tag of a value's JSON (serde's field order is the struct's, so it is stable).
fn of_json<T: Serialize>(value: &T) -> EntityTag {
    // Serializing these plain structs cannot fail; an empty input would still give a valid tag.
    let json = serde_json::to_vec(value).unwrap_or_default();
    let digest = Sha256::digest(&json);
    use base64ct::Encoding as _;
    EntityTag::strong(base64ct::Base64UrlUnpadded::encode_string(&digest))
}

/// The tag of a database user as the API answers it (`GET .../databaseUsers/$external/{username}`).
pub fn of_database_user(user: &DatabaseUser) -> EntityTag {
    of_json(user)
}

/// The tag of a custom role as the API answers it.
pub fn of_custom_role(role: &CustomDbRole) -> EntityTag {
    of_json(role)
}

/// The tag of a project's `userSecurity`: its stored CA bundle (`None` or blank: self-managed X.509 is
/// off). The warnings, computed at each read, are not part of it.
pub fn of_user_security(cas: Option<&str>) -> EntityTag {
    #[derive(Serialize)]
    struct Stored<'a> {
        cas: Option<&'a str>,
    }
    of_json(&Stored {
        cas: cas.filter(|c| !c.trim().is_empty()),
    })
}

/// An `If-Match` header (all of a request's `If-Match` lines, joined with `,`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    /// `*`: any current representation.
    Any,
    /// One or more tags; the resource must currently have one of them (strong comparison).
    Tags(Vec<EntityTag>),
}

/// Why an `If-Match` value is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidIfMatch {
    /// The header is empty.
    #[error("it is empty")]
    Empty,
    /// Something other than a tag where one must start.
    #[error("character {position}: an entity tag starts with \" (or W/\"), e.g. \"abc\"")]
    ExpectedTag {
        /// The 1-based byte position in the header value.
        position: usize,
    },
    /// A tag whose closing `"` is missing.
    #[error("character {position}: the entity tag is not closed with \"")]
    Unclosed {
        /// The 1-based byte position of its opening `"`.
        position: usize,
    },
    /// A tag holds a character RFC 9110 does not allow (`etagc`: visible ASCII but `"`, or
    /// obs-text).
    #[error("character {position}: an entity tag holds visible characters other than \" only")]
    BadCharacter {
        /// The 1-based byte position of the character.
        position: usize,
    },
    /// Two tags not separated by a comma.
    #[error("character {position}: entity tags are separated by commas")]
    ExpectedComma {
        /// The 1-based byte position where the comma is missing.
        position: usize,
    },
    /// `*` listed with entity tags: it stands alone.
    #[error("* cannot be listed with entity tags")]
    StarInList,
}

impl IfMatch {
    /// Parses `"*"` or a comma-separated list of entity tags (`"a", W/"b"`). Positions are 1-based.
    pub fn parse(value: &str) -> Result<Self, InvalidIfMatch> {
        let trimmed = value.trim_matches([' ', '\t']);
        if trimmed == "*" {
            return Ok(Self::Any);
        }
        let bytes = value.as_bytes();
        let mut tags = Vec::new();
        let mut i = 0;
        loop {
            // Empty list elements and whitespace are allowed around commas (RFC 9110 §5.6.1).
            while let Some(b' ' | b'\t' | b',') = bytes.get(i) {
                i += 1;
            }
            let Some(&first) = bytes.get(i) else { break };
            if first == b'*' {
                return Err(InvalidIfMatch::StarInList);
            }
            let weak = bytes.get(i..i + 2) == Some(b"W/");
            if weak {
                i += 2;
            }
            if bytes.get(i) != Some(&b'"') {
                return Err(InvalidIfMatch::ExpectedTag { position: i + 1 });
            }
            let start = i + 1;
            let mut end = start;
            loop {
                match bytes.get(end) {
                    None => return Err(InvalidIfMatch::Unclosed { position: i + 1 }),
                    Some(b'"') => break,
                    // etagc = %x21 / %x23-7E / obs-text
                    Some(&c) if c == 0x21 || (0x23..=0x7E).contains(&c) || c >= 0x80 => end += 1,
                    Some(_) => return Err(InvalidIfMatch::BadCharacter { position: end + 1 }),
                }
            }
            tags.push(EntityTag {
                weak,
                opaque: value.get(start..end).unwrap_or_default().to_owned(),
            });
            i = end + 1;
            while let Some(b' ' | b'\t') = bytes.get(i) {
                i += 1;
            }
            match bytes.get(i) {
                None => break,
                Some(b',') => {}
                Some(_) => return Err(InvalidIfMatch::ExpectedComma { position: i + 1 }),
            }
        }
        if tags.is_empty() {
            Err(InvalidIfMatch::Empty)
        } else {
            Ok(Self::Tags(tags))
        }
    }

    /// Whether a resource whose current tag is `current` meets the condition (`*` meets any).
    pub fn matches(&self, current: &EntityTag) -> bool {
        match self {
            Self::Any => true,
            Self::Tags(tags) => tags.iter().any(|t| t.strong_eq(current)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custom_role::{ActionResource, InheritedRole, RoleAction};
    use crate::database_user::UserRole;

    fn user() -> DatabaseUser {
        serde_json::from_value(serde_json::json!({
            "groupId": "5f1a2b3c4d5e6f7a8b9c0d1e",
            "databaseName": "$external",
            "username": "CN=Jane Doe,O=Acme",
            "x509Type": "CUSTOMER",
            "roles": [{"roleName": "readWrite", "databaseName": "sales"}],
            "description": "billing"
        }))
        .unwrap()
    }

    #[test]
    fn tags_are_quoted_base64url_of_sha256() {
        let tag = of_database_user(&user());
        let value = tag.header_value();
        assert_eq!(value.len(), 45, "{value}");
        assert!(value.starts_with('"') && value.ends_with('"'), "{value}");
        assert!(tag
            .opaque
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        // printf '{"cas":null}' | openssl dgst -sha256 -binary | basenc --base64url | tr -d =
        assert_eq!(
            of_user_security(None).opaque,
            "kJVVEqvOomJsLZ9Z69rP-fe2-ZetpfzE8tyGthD-1rE"
        );
    }

    #[test]
    fn tags_change_with_the_resource_and_only_with_it() {
        let a = user();
        assert_eq!(of_database_user(&a), of_database_user(&a.clone()));
        // What the UI reads back from the list JSON has the same tag.
        let read_back: DatabaseUser =
            serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(of_database_user(&read_back), of_database_user(&a));
        let mut b = a.clone();
        b.roles = vec![UserRole {
            role_name: "read".into(),
            database_name: "sales".into(),
            collection_name: None,
        }];
        assert_ne!(of_database_user(&a), of_database_user(&b));
        let mut c = a.clone();
        c.description = None;
        assert_ne!(of_database_user(&a), of_database_user(&c));

        let role = CustomDbRole {
            role_name: "analyst".into(),
            actions: vec![RoleAction {
                action: "FIND".into(),
                resources: vec![ActionResource {
                    db: Some("sales".into()),
                    collection: Some(String::new()),
                    cluster: None,
                }],
            }],
            inherited_roles: vec![],
        };
        let mut more = role.clone();
        more.inherited_roles
            .push(InheritedRole::new("read", "admin"));
        assert_ne!(of_custom_role(&role), of_custom_role(&more));

        assert_eq!(of_user_security(None), of_user_security(Some("  \n")));
        assert_ne!(of_user_security(None), of_user_security(Some("PEM")));
        assert_ne!(
            of_user_security(Some("PEM")),
            of_user_security(Some("PEM\n"))
        );
    }

    #[test]
    fn if_match_parses_as_rfc_9110_says() {
        let strong = |s: &str| EntityTag::strong(s);
        assert_eq!(IfMatch::parse("*"), Ok(IfMatch::Any));
        assert_eq!(IfMatch::parse(" * "), Ok(IfMatch::Any));
        assert_eq!(
            IfMatch::parse("\"abc\""),
            Ok(IfMatch::Tags(vec![strong("abc")]))
        );
        assert_eq!(
            IfMatch::parse("\"a,b\" , W/\"c\",,\"\""),
            Ok(IfMatch::Tags(vec![
                strong("a,b"),
                EntityTag {
                    weak: true,
                    opaque: "c".into()
                },
                strong(""),
            ]))
        );
        assert_eq!(IfMatch::parse(""), Err(InvalidIfMatch::Empty));
        assert_eq!(IfMatch::parse(" , "), Err(InvalidIfMatch::Empty));
        assert_eq!(
            IfMatch::parse("abc"),
            Err(InvalidIfMatch::ExpectedTag { position: 1 })
        );
        assert_eq!(
            IfMatch::parse("\"abc"),
            Err(InvalidIfMatch::Unclosed { position: 1 })
        );
        assert_eq!(
            IfMatch::parse("\"a b\""),
            Err(InvalidIfMatch::BadCharacter { position: 3 })
        );
        assert_eq!(
            IfMatch::parse("\"a\" \"b\""),
            Err(InvalidIfMatch::ExpectedComma { position: 5 })
        );
        assert_eq!(IfMatch::parse("\"a\", *"), Err(InvalidIfMatch::StarInList));
        assert_eq!(
            IfMatch::parse("w/\"a\""),
            Err(InvalidIfMatch::ExpectedTag { position: 1 })
        );
    }

    #[test]
    fn if_match_uses_strong_comparison() {
        let current = of_user_security(Some("PEM"));
        let header = current.header_value();
        assert!(IfMatch::parse(&header).unwrap().matches(&current));
        assert!(IfMatch::parse(&format!("\"x\", {header}"))
            .unwrap()
            .matches(&current));
        assert!(IfMatch::parse("*").unwrap().matches(&current));
        // A weak tag never matches, even with the same opaque text.
        assert!(!IfMatch::parse(&format!("W/{header}"))
            .unwrap()
            .matches(&current));
        assert!(!IfMatch::parse("\"x\"").unwrap().matches(&current));
    }
}
