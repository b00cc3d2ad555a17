//! The project's clusters as far as roles care: a name and a MongoDB major version.
//!
//! Atlas JSON (`GET|POST /api/atlas/v2/groups/{groupId}/clusters`): `{"name": "Cluster0",
//! "mongoDBMajorVersion": "7.0"}`. Custom roles must work on every cluster of the project, so the oldest
//! version decides which privilege actions may be used (see [`crate::catalog::action_availability`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::field_issue::FieldError;

/// A MongoDB release line, `major.minor` (Atlas calls it the major version: "6.0", "7.0", "8.0").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MongoVersion {
    /// The major version (the `8` of 8.0).
    pub major: u16,
    /// The minor version (the `0` of 8.0; 1 to 3 are rapid releases).
    pub minor: u16,
}

impl MongoVersion {
    /// The version `major.minor`.
    pub const fn new(major: u16, minor: u16) -> Self {
        Self { major, minor }
    }
}

impl fmt::Display for MongoVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl Serialize for MongoVersion {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MongoVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The MongoDB release lines a cluster may run, newest first: what the Clusters page offers. It covers every
/// version the action catalog records as an action's `since` (a unit test checks it), so every action of the
/// catalog can be enabled by some cluster; the rapid releases (x.1 to x.3) are Atlas's too.
pub const VERSIONS: &[MongoVersion] = &[
    MongoVersion::new(8, 3),
    MongoVersion::new(8, 2),
    MongoVersion::new(8, 1),
    MongoVersion::new(8, 0),
    MongoVersion::new(7, 3),
    MongoVersion::new(7, 2),
    MongoVersion::new(7, 1),
    MongoVersion::new(7, 0),
    MongoVersion::new(6, 3),
    MongoVersion::new(6, 2),
    MongoVersion::new(6, 1),
    MongoVersion::new(6, 0),
    MongoVersion::new(5, 3),
    MongoVersion::new(5, 2),
    MongoVersion::new(5, 1),
    MongoVersion::new(5, 0),
    MongoVersion::new(4, 4),
    MongoVersion::new(4, 2),
    MongoVersion::new(4, 0),
    MongoVersion::new(3, 6),
    MongoVersion::new(3, 4),
    MongoVersion::new(3, 2),
    MongoVersion::new(3, 0),
    MongoVersion::new(2, 6),
];

/// Why a `mongoDBMajorVersion` string is not a version.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VersionError {
    /// `mongoDBMajorVersion` is empty.
    #[error("the MongoDB version is empty; give it as major.minor, e.g. \"7.0\"")]
    Empty,
    /// Not `major.minor` (a patch part is tolerated); holds the text as sent.
    #[error("\"{0}\" is not a MongoDB version; give it as major.minor, e.g. \"7.0\" or \"8.0\"")]
    Malformed(String),
}

impl VersionError {
    /// `INVALID_MONGODB_VERSION`, for either.
    pub fn error_code(&self) -> &'static str {
        "INVALID_MONGODB_VERSION"
    }
}

impl FromStr for MongoVersion {
    type Err = VersionError;

    /// Accepts `major.minor` (what Atlas stores: "7.0"); a patch part ("7.0.12") is tolerated and ignored.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.is_empty() {
            return Err(VersionError::Empty);
        }
        let malformed = || VersionError::Malformed(text.to_owned());
        let mut parts = text.split('.');
        let number = |part: Option<&str>| -> Result<u16, VersionError> {
            match part {
                Some(p)
                    if !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    p.parse().map_err(|_| malformed())
                }
                _ => Err(malformed()),
            }
        };
        let major = number(parts.next())?;
        let minor = number(parts.next())?;
        if let Some(patch) = parts.next() {
            number(Some(patch))?;
        }
        if parts.next().is_some() || major == 0 {
            return Err(malformed());
        }
        Ok(Self { major, minor })
    }
}

/// A cluster of the project, in the Atlas JSON shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = ClusterSettings))]
pub struct Cluster {
    /// The cluster's name, unique in the project: ASCII letters, digits and `-`, at most
    /// [`MAX_CLUSTER_NAME_CHARS`].
    pub name: String,
    /// The MongoDB release line it runs, as Atlas writes it (`"7.0"`; `mongoDBMajorVersion` on the
    /// wire): gates the actions a custom role may use.
    #[serde(rename = "mongoDBMajorVersion")]
    pub mongo_db_major_version: String,
    /// An extension: the RFC 2253 subject of the deployment's member certificates (`net.tls.clusterFile`),
    /// for the cluster-member rule ([`crate::cluster_member`]). Absent when not recorded.
    #[serde(
        rename = "memberCertificateSubject",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub member_certificate_subject: Option<String>,
}

impl Cluster {
    /// A cluster `name` running `version`, without a member certificate subject.
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            mongo_db_major_version: version.into(),
            member_certificate_subject: None,
        }
    }

    /// The release line, parsed.
    pub fn version(&self) -> Result<MongoVersion, VersionError> {
        self.mongo_db_major_version.parse()
    }
}

/// Longest cluster name Atlas accepts.
pub const MAX_CLUSTER_NAME_CHARS: usize = 64;

/// Why a cluster (as posted to the clusters API) is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ClusterError {
    /// The name is empty (`INVALID_CLUSTER_NAME`).
    #[error("the cluster name is empty")]
    NameEmpty,
    /// The name has more than [`MAX_CLUSTER_NAME_CHARS`] characters (`INVALID_CLUSTER_NAME`); holds
    /// the count.
    #[error("the cluster name has {0} characters; at most {MAX_CLUSTER_NAME_CHARS} are allowed")]
    NameTooLong(usize),
    /// The name has a character other than ASCII letters, digits and `-` (`INVALID_CLUSTER_NAME`).
    #[error("the cluster name may only contain ASCII letters, digits and hyphens; {ch:?} at character {position} is not allowed")]
    NameInvalidCharacter {
        /// The first character that is not allowed.
        ch: char,
        /// Its 1-based position in the name, in characters.
        position: usize,
    },
    /// `mongoDBMajorVersion` is not a version (`INVALID_MONGODB_VERSION`).
    #[error(transparent)]
    Version(#[from] VersionError),
    /// The project has a cluster of that name already (409 `DUPLICATE_CLUSTER_NAME`); holds the
    /// name.
    #[error("a cluster named \"{0}\" already exists in this project")]
    Duplicate(String),
    /// A PATCH body's `name` differs from the path: clusters are not renamed
    /// (`CLUSTER_RENAME_NOT_ALLOWED`).
    #[error("a cluster cannot be renamed: the body names {to:?}, the path {from:?}")]
    Rename {
        /// The name in the path.
        from: String,
        /// The name in the body.
        to: String,
    },
    /// `memberCertificateSubject` is not a distinguished name (`INVALID_DN`).
    #[error("memberCertificateSubject: {0}")]
    MemberSubject(crate::dn::DnParseError),
    /// `memberCertificateSubject` is in one of openssl's most-significant-first forms
    /// (`DN_NOT_IN_RFC2253_ORDER`): the subject must be sent in RFC 2253 order.
    #[error("memberCertificateSubject is written most significant attribute first (openssl's {form} form); send it in RFC 2253 order: {canonical}")]
    MemberSubjectReversed {
        /// The form it was written in, shown by example (`"C = US, O = Acme, CN = x"` or
        /// `"/C=US/O=Acme/CN=x"`).
        form: String,
        /// The same name in RFC 2253 order, to send instead.
        canonical: String,
    },
    /// `memberCertificateSubject` has no O, OU or DC: MongoDB requires member certificates to have
    /// at least one (`INVALID_MEMBER_CERTIFICATE_SUBJECT`); holds the subject.
    #[error("memberCertificateSubject {0} has no O, OU or DC attribute: MongoDB requires member certificates to have at least one")]
    MemberSubjectWithoutMemberAttributes(String),
}

impl ClusterError {
    /// The stable `errorCode` of the broken rule.
    pub fn error_code(&self) -> &'static str {
        match self {
            Self::NameEmpty | Self::NameTooLong(_) | Self::NameInvalidCharacter { .. } => {
                "INVALID_CLUSTER_NAME"
            }
            Self::Version(v) => v.error_code(),
            Self::Duplicate(_) => "DUPLICATE_CLUSTER_NAME",
            Self::Rename { .. } => "CLUSTER_RENAME_NOT_ALLOWED",
            Self::MemberSubject(_) => "INVALID_DN",
            Self::MemberSubjectReversed { .. } => "DN_NOT_IN_RFC2253_ORDER",
            Self::MemberSubjectWithoutMemberAttributes(_) => "INVALID_MEMBER_CERTIFICATE_SUBJECT",
        }
    }

    /// The field of the cluster's JSON that the error concerns (`name`, `mongoDBMajorVersion`,
    /// `memberCertificateSubject`).
    pub fn field(&self) -> &'static str {
        match self {
            Self::Version(_) => "mongoDBMajorVersion",
            Self::MemberSubject(_)
            | Self::MemberSubjectReversed { .. }
            | Self::MemberSubjectWithoutMemberAttributes(_) => "memberCertificateSubject",
            _ => "name",
        }
    }
}

impl FieldError for ClusterError {
    fn field(&self) -> &str {
        ClusterError::field(self)
    }
    fn error_code(&self) -> &'static str {
        ClusterError::error_code(self)
    }
}

/// A typed member certificate subject as it will be saved: `None` when empty (clears it), else its RFC 2253
/// form ([`crate::dn::parse_dn`]). Refused: not a DN, openssl's most-significant-first forms (over the API
/// the name is never stored reversed silently: the error names the name to send), and a subject without
/// O, OU or DC (MongoDB Manual, x.509, Member Certificate Requirements).
pub fn member_subject(input: Option<&str>) -> Result<Option<String>, ClusterError> {
    let Some(text) = input.filter(|t| !t.trim().is_empty()) else {
        return Ok(None);
    };
    let dn = crate::dn::parse_dn(text).map_err(ClusterError::MemberSubject)?;
    if let Some(form) = dn.reversed_from() {
        return Err(ClusterError::MemberSubjectReversed {
            form: match form {
                crate::dn::OpensslForm::Default => "\"C = US, O = Acme, CN = x\"",
                crate::dn::OpensslForm::Slashes => "\"/C=US/O=Acme/CN=x\"",
            }
            .to_owned(),
            canonical: dn.canonical().to_owned(),
        });
    }
    if crate::cluster_member::MemberAttributes::of(&dn).is_empty() {
        return Err(ClusterError::MemberSubjectWithoutMemberAttributes(
            dn.canonical().to_owned(),
        ));
    }
    Ok(Some(dn.canonical().to_owned()))
}

/// Checks a cluster about to be added to a project whose clusters are `existing`. Returns every problem.
pub fn validate_cluster(cluster: &Cluster, existing: &[Cluster]) -> Result<(), Vec<ClusterError>> {
    let mut errors = Vec::new();
    let chars = cluster.name.chars().count();
    if chars == 0 {
        errors.push(ClusterError::NameEmpty);
    } else if let Some((i, ch)) = cluster
        .name
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        errors.push(ClusterError::NameInvalidCharacter {
            ch,
            position: i + 1,
        });
    } else if chars > MAX_CLUSTER_NAME_CHARS {
        errors.push(ClusterError::NameTooLong(chars));
    }
    if let Err(e) = cluster.version() {
        errors.push(e.into());
    }
    if let Err(e) = member_subject(cluster.member_certificate_subject.as_deref()) {
        errors.push(e);
    }
    if existing.iter().any(|c| c.name == cluster.name) {
        errors.push(ClusterError::Duplicate(cluster.name.clone()));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The clusters whose version could be read, oldest first (ties in name order). Clusters with an unreadable
/// version are left out: the clusters API refuses them, so none should be stored.
pub fn clusters_by_version(clusters: &[Cluster]) -> Vec<(&str, MongoVersion)> {
    let mut out: Vec<(&str, MongoVersion)> = clusters
        .iter()
        .filter_map(|c| c.version().ok().map(|v| (c.name.as_str(), v)))
        .collect();
    out.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_list_is_newest_first_and_covers_every_catalog_version() {
        assert!(VERSIONS.windows(2).all(|w| w[0] > w[1]), "{VERSIONS:?}");
        let mut mentioned: Vec<MongoVersion> = crate::catalog::actions()
            .iter()
            .filter_map(|a| a.since)
            .collect();
        mentioned.sort();
        mentioned.dedup();
        // The catalog does mention versions (so this test can fail), the newest being 8.3 (REWRITE_COLLECTION).
        assert!(mentioned.len() > 5, "{mentioned:?}");
        assert_eq!(mentioned.last(), Some(&MongoVersion::new(8, 3)));
        for version in mentioned {
            assert!(
                VERSIONS.contains(&version),
                "{version} is missing from VERSIONS"
            );
        }
        // Each parses back from the text the page sends.
        for version in VERSIONS {
            assert_eq!(version.to_string().parse::<MongoVersion>(), Ok(*version));
        }
    }

    #[test]
    fn parses_major_minor_and_tolerates_patch() {
        assert_eq!("7.0".parse(), Ok(MongoVersion::new(7, 0)));
        assert_eq!("8.3".parse(), Ok(MongoVersion::new(8, 3)));
        assert_eq!("6.0.12".parse(), Ok(MongoVersion::new(6, 0)));
        assert!(MongoVersion::new(6, 0) < MongoVersion::new(6, 3));
        assert!(MongoVersion::new(6, 3) < MongoVersion::new(7, 0));
    }

    #[test]
    fn refuses_malformed_versions() {
        for bad in [
            "", "7", "7.", ".0", "v7.0", "7.0.1.2", "seven", "7.x", "0.9", "7.0 ", " 7.0",
            "99999.0",
        ] {
            let err = bad.parse::<MongoVersion>().unwrap_err();
            assert_eq!(err.error_code(), "INVALID_MONGODB_VERSION", "{bad:?}");
        }
    }

    #[test]
    fn cluster_json_uses_atlas_field_names() {
        let json = r#"{"name":"Cluster0","mongoDBMajorVersion":"7.0"}"#;
        let c: Cluster = serde_json::from_str(json).unwrap();
        assert_eq!(c, Cluster::new("Cluster0", "7.0"));
        assert_eq!(serde_json::to_string(&c).unwrap(), json);
        assert_eq!(
            serde_json::to_string(&MongoVersion::new(8, 0)).unwrap(),
            "\"8.0\""
        );
    }

    #[test]
    fn validates_cluster_names_and_versions() {
        let existing = [Cluster::new("Cluster0", "7.0")];
        assert!(validate_cluster(&Cluster::new("analytics-1", "8.0"), &existing).is_ok());
        let codes = |c: Cluster| -> Vec<&'static str> {
            validate_cluster(&c, &existing)
                .unwrap_err()
                .iter()
                .map(|e| e.error_code())
                .collect()
        };
        assert_eq!(codes(Cluster::new("", "7.0")), ["INVALID_CLUSTER_NAME"]);
        assert_eq!(
            codes(Cluster::new("my_cluster", "7.0")),
            ["INVALID_CLUSTER_NAME"]
        );
        assert_eq!(
            codes(Cluster::new("a".repeat(65), "7.0")),
            ["INVALID_CLUSTER_NAME"]
        );
        assert!(validate_cluster(&Cluster::new("a".repeat(64), "7.0"), &existing).is_ok());
        assert_eq!(
            codes(Cluster::new("Cluster0", "latest")),
            ["INVALID_MONGODB_VERSION", "DUPLICATE_CLUSTER_NAME"]
        );
        let err = validate_cluster(&Cluster::new("bad name", "7.0"), &existing).unwrap_err();
        assert_eq!(err[0].field(), "name");
        assert!(
            err[0].to_string().contains("' ' at character 4"),
            "{}",
            err[0]
        );
    }

    #[test]
    fn member_subjects_are_saved_in_rfc2253_form_or_refused() {
        assert_eq!(member_subject(None), Ok(None));
        assert_eq!(member_subject(Some("")), Ok(None));
        assert_eq!(member_subject(Some("  ")), Ok(None));
        assert_eq!(
            member_subject(Some("CN=node1, OU=Servers, O=Acme")),
            Ok(Some("CN=node1,OU=Servers,O=Acme".to_owned()))
        );
        let code = |t: &str| member_subject(Some(t)).unwrap_err().error_code();
        assert_eq!(code("CN"), "INVALID_DN");
        assert_eq!(
            code("/O=Acme/OU=Servers/CN=node1"),
            "DN_NOT_IN_RFC2253_ORDER"
        );
        let reversed = member_subject(Some("/O=Acme/OU=Servers/CN=node1")).unwrap_err();
        assert!(
            reversed.to_string().contains("CN=node1,OU=Servers,O=Acme"),
            "{reversed}"
        );
        assert_eq!(code("CN=node1,C=US"), "INVALID_MEMBER_CERTIFICATE_SUBJECT");
        assert_eq!(
            member_subject(Some("CN")).unwrap_err().field(),
            "memberCertificateSubject"
        );
    }

    #[test]
    fn orders_clusters_oldest_first_and_skips_unreadable_versions() {
        let clusters = [
            Cluster::new("b", "8.0"),
            Cluster::new("x", "junk"),
            Cluster::new("a", "6.0"),
            Cluster::new("c", "6.0"),
        ];
        let got = clusters_by_version(&clusters);
        assert_eq!(
            got,
            [
                ("a", MongoVersion::new(6, 0)),
                ("c", MongoVersion::new(6, 0)),
                ("b", MongoVersion::new(8, 0))
            ]
        );
    }
}
