//! The cluster-member rule: a client certificate whose subject has the same O, OU and DC attributes as the
//! deployment's member certificates is taken by MongoDB as a cluster member, not as a database user.
//!
//! Source: MongoDB Manual, "x.509" (core/security-x.509), Client Certificate Requirements: "At least one of
//! the following client certificate attributes must be different than the attributes in both the
//! net.tls.clusterFile and net.tls.certificateKeyFile server certificates: Organization (O), Organizational
//! Unit (OU), Domain Component (DC)", and: if a client certificate's subject matches the O, OU and DC
//! attributes of the member certificate exactly, the connection is accepted with full permissions (a
//! warning in the log); since `enforceUserClusterSeparation` (on by default) such a certificate cannot
//! authenticate as a `$external` user. Member Certificate Requirements: the member subject must have a
//! non-empty value for at least one of O, OU and DC, and all the O's, OU's and DC's must match.
//!
//! The attributes compare as multisets: every O, every OU and every DC, in any order, the same number
//! of times, values as printed in the RFC 2253 form.

use crate::cluster::Cluster;
use crate::dn::{parse_dn, DistinguishedName};

/// The attribute types the rule compares.
pub const MEMBER_ATTRIBUTES: [&str; 3] = ["O", "OU", "DC"];

/// A subject's O, OU and DC attributes, sorted (a multiset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberAttributes(Vec<(String, String)>);

impl MemberAttributes {
    /// The O, OU and DC attributes of `dn`, as printed, sorted.
    pub fn of(dn: &DistinguishedName) -> Self {
        let mut attributes: Vec<(String, String)> = dn
            .attributes()
            .filter(|(name, _)| MEMBER_ATTRIBUTES.contains(name))
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        attributes.sort();
        Self(attributes)
    }

    /// Whether the subject has no O, OU or DC at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `O=Acme, OU=Servers` (sorted by type, then value).
    pub fn describe(&self) -> String {
        self.0
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Whether MongoDB takes a client certificate of subject `client` as a member of a deployment whose member
/// certificates have subject `member`. A member subject without any O, OU or DC is not a valid member
/// subject (the manual requires one), so nothing matches it.
pub fn taken_as_member(client: &DistinguishedName, member: &DistinguishedName) -> bool {
    let member = MemberAttributes::of(member);
    !member.is_empty() && MemberAttributes::of(client) == member
}

/// A cluster whose member certificates a client subject would pass for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberCollision {
    /// The cluster's name.
    pub cluster: String,
    /// The shared O, OU and DC attributes, e.g. `O=Acme, OU=Servers`.
    pub attributes: String,
}

impl MemberCollision {
    /// The reason, for a step or a dialog warning.
    pub fn reason(&self) -> String {
        format!(
            "Cluster {}'s member certificates have the same O, OU and DC ({}): MongoDB takes a client certificate with this subject as a cluster member, not as this database user (older servers grant it full privileges, newer ones with enforceUserClusterSeparation refuse it as a user). Give the client certificate a different O, OU or DC.",
            self.cluster, self.attributes
        )
    }
}

/// The clusters (of `clusters`, with a readable member subject recorded) that would take a client
/// certificate of subject `client` as a member, in the order given.
pub fn collisions(client: &DistinguishedName, clusters: &[Cluster]) -> Vec<MemberCollision> {
    clusters
        .iter()
        .filter_map(|cluster| {
            let member = parse_dn(cluster.member_certificate_subject.as_deref()?).ok()?;
            taken_as_member(client, &member).then(|| MemberCollision {
                cluster: cluster.name.clone(),
                attributes: MemberAttributes::of(&member).describe(),
            })
        })
        .collect()
}

/// [`collisions`] for a typed or stored username; none when it is not a distinguished name.
pub fn collisions_of_username(username: &str, clusters: &[Cluster]) -> Vec<MemberCollision> {
    parse_dn(username)
        .map(|dn| collisions(&dn, clusters))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANUAL: &str =
        "MongoDB Manual, x.509 (core/security-x.509), Client Certificate Requirements";
    const MEMBER_REQS: &str =
        "MongoDB Manual, x.509 (core/security-x.509), Member Certificate Requirements";

    /// (client subject, member subject, taken as member, source)
    const CASES: &[(&str, &str, bool, &str)] = &[
        // The same O, OU and DC: a member, whatever the CN.
        (
            "CN=app,OU=Servers,O=Acme,DC=example,DC=com",
            "CN=node1,OU=Servers,O=Acme,DC=example,DC=com",
            true,
            MANUAL,
        ),
        // Attributes in another order are the same multiset.
        (
            "CN=app,O=Acme,OU=Servers",
            "OU=Servers,CN=node1,O=Acme",
            true,
            MANUAL,
        ),
        // Other attributes (C, L, ST) do not count.
        (
            "CN=app,OU=Servers,O=Acme,C=US",
            "CN=node1,OU=Servers,O=Acme,L=Paris",
            true,
            MANUAL,
        ),
        // One attribute differing (OU) is enough to be a user.
        (
            "CN=app,OU=Clients,O=Acme",
            "CN=node1,OU=Servers,O=Acme",
            false,
            MANUAL,
        ),
        // An O only in the member: differs.
        (
            "CN=app,OU=Servers",
            "CN=node1,OU=Servers,O=Acme",
            false,
            MANUAL,
        ),
        // An extra DC in the client: differs (multisets, not sets).
        (
            "CN=app,O=Acme,DC=example,DC=example",
            "CN=node1,O=Acme,DC=example",
            false,
            MEMBER_REQS,
        ),
        // Two OUs in both, in either order.
        (
            "CN=app,OU=b,OU=a,O=Acme",
            "CN=node1,OU=a,OU=b,O=Acme",
            true,
            MEMBER_REQS,
        ),
        // Values compare exactly as printed.
        ("CN=app,O=acme", "CN=node1,O=Acme", false, MANUAL),
        // A member subject with no O, OU or DC is not a valid member subject: nothing matches it.
        ("CN=app", "CN=node1", false, MEMBER_REQS),
        ("CN=app,C=US", "CN=node1,C=US", false, MEMBER_REQS),
    ];

    #[test]
    fn client_subjects_against_member_subjects() {
        for (client, member, expected, source) in CASES {
            let client_dn = parse_dn(client).unwrap();
            let member_dn = parse_dn(member).unwrap();
            assert_eq!(
                taken_as_member(&client_dn, &member_dn),
                *expected,
                "{client} vs {member} [{source}]"
            );
        }
    }

    #[test]
    fn collisions_name_the_cluster_and_the_attributes() {
        let mut members = Cluster::new("Cluster0", "8.0");
        members.member_certificate_subject = Some("CN=node1,OU=Servers,O=Acme".to_owned());
        let unrecorded = Cluster::new("Cluster1", "7.0");
        let mut other = Cluster::new("Cluster2", "7.0");
        other.member_certificate_subject = Some("CN=node1,OU=Other,O=Acme".to_owned());
        let clusters = [members, unrecorded, other];
        let found = collisions_of_username("CN=app,OU=Servers,O=Acme", &clusters);
        assert_eq!(
            found,
            [MemberCollision {
                cluster: "Cluster0".to_owned(),
                attributes: "O=Acme, OU=Servers".to_owned()
            }]
        );
        assert!(
            found[0].reason().contains("Cluster Cluster0"),
            "{}",
            found[0].reason()
        );
        assert!(collisions_of_username("CN=app,OU=Clients,O=Acme", &clusters).is_empty());
        assert!(collisions_of_username("not a dn", &clusters).is_empty());
    }
}
