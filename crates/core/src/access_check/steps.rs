//! The checks a connection meets before authorization: the certificate, its client use, its chain to a
//! stored CA, and the database user.

use crate::certificate::{Certificate, ANY_EXTENDED_KEY_USAGE, CLIENT_AUTH, DIGITAL_SIGNATURE};
use crate::client_certificate::{self, ClientCertificate, ClientCertificateError};
use crate::cluster::Cluster;
use crate::database_user::{DatabaseUser, ScopeType};
use crate::pem_bundle::{self, UnixTime, WarningCode, EXPIRES_SOON_DAYS};
use crate::signature::{self, VerifyError};
use crate::{dn, time};

use super::{Outcome, Step, StepCode, StepKind};

/// The certificate step for a file that could not be read as a client certificate.
pub fn unreadable(error: &ClientCertificateError) -> Step {
    let code = match error {
        ClientCertificateError::NoCertificate { .. } => StepCode::NoCertificate,
        ClientCertificateError::Unreadable(_) => StepCode::Unreadable,
        ClientCertificateError::CaCertificate { .. } => StepCode::CaCertificate,
    };
    Step::new(
        StepKind::Certificate,
        Outcome::Fail,
        code,
        error.to_string(),
    )
}

/// Expired, not yet valid, or expiring within 30 days (mongod logs a warning then too).
pub fn certificate(client: &ClientCertificate) -> Step {
    let report = &client.report;
    let key_note = if client.private_key_in_file {
        " The file also held a private key: it was not read further and is not sent."
    } else {
        ""
    };
    let (outcome, code, detail) = if report.has_warning(WarningCode::Expired) {
        (
            Outcome::Fail,
            StepCode::Expired,
            format!(
                "The certificate expired on {} ({} days ago): MongoDB refuses it. Issue a new one.",
                report.not_after, -report.days_left
            ),
        )
    } else if report.has_warning(WarningCode::NotYetValid) {
        (
            Outcome::Fail,
            StepCode::NotYetValid,
            format!(
                "The certificate is not valid before {}: MongoDB refuses it until then.",
                report.not_before
            ),
        )
    } else if report.days_left < EXPIRES_SOON_DAYS {
        (
            Outcome::Warn,
            StepCode::ExpiresSoon,
            format!(
                "The certificate expires on {} ({} days left; mongod logs a warning from 30 days before expiry). Issue its successor.",
                report.not_after, report.days_left
            ),
        )
    } else {
        (
            Outcome::Pass,
            StepCode::Valid,
            format!(
                "Valid until {} ({} days left).",
                report.not_after, report.days_left
            ),
        )
    };
    Step::new(
        StepKind::Certificate,
        outcome,
        code,
        format!("{detail}{key_note}"),
    )
}

fn purpose_name(oid: &der::oid::ObjectIdentifier) -> String {
    match oid.to_string().as_str() {
        "1.3.6.1.5.5.7.3.1" => "serverAuth".to_owned(),
        "1.3.6.1.5.5.7.3.2" => "clientAuth".to_owned(),
        "1.3.6.1.5.5.7.3.3" => "codeSigning".to_owned(),
        "1.3.6.1.5.5.7.3.4" => "emailProtection".to_owned(),
        "1.3.6.1.5.5.7.3.8" => "timeStamping".to_owned(),
        "1.3.6.1.5.5.7.3.9" => "OCSPSigning".to_owned(),
        other => other.to_owned(),
    }
}

/// keyUsage must allow digitalSignature and extendedKeyUsage clientAuth, when present (RFC 5280 4.2.1.3,
/// 4.2.1.12; openssl's `X509_check_purpose(..., X509_PURPOSE_SSL_CLIENT)`, which MongoDB's TLS layer
/// applies to client certificates).
pub fn client_use(certificate: &Certificate<'_>) -> Step {
    if let Some(usage) = certificate.key_usage {
        if usage & DIGITAL_SIGNATURE == 0 {
            let has = crate::certificate::key_usage_names(usage).join(", ");
            return Step::new(
                StepKind::ClientUse,
                Outcome::Fail,
                StepCode::NoDigitalSignature,
                format!(
                    "keyUsage allows only {has}, not Digital Signature: a TLS client signs the handshake with its key, so MongoDB refuses the certificate. Re-issue it with keyUsage = digitalSignature."
                ),
            );
        }
    }
    if let Some(purposes) = &certificate.extended_key_usage {
        if !purposes
            .iter()
            .any(|p| *p == CLIENT_AUTH || *p == ANY_EXTENDED_KEY_USAGE)
        {
            let has: Vec<String> = purposes.iter().map(purpose_name).collect();
            return Step::new(
                StepKind::ClientUse,
                Outcome::Fail,
                StepCode::NoClientAuth,
                format!(
                    "extendedKeyUsage lists {} but not clientAuth: MongoDB refuses it as a client certificate. Re-issue it with extendedKeyUsage = clientAuth.",
                    if has.is_empty() { "nothing".to_owned() } else { has.join(", ") }
                ),
            );
        }
    }
    let detail = match (&certificate.key_usage, &certificate.extended_key_usage) {
        (None, None) => "No keyUsage or extendedKeyUsage extension: any use is allowed.",
        (Some(_), None) => "keyUsage allows Digital Signature.",
        (None, Some(_)) => "extendedKeyUsage allows clientAuth.",
        (Some(_), Some(_)) => "keyUsage allows Digital Signature and extendedKeyUsage clientAuth.",
    };
    Step::new(
        StepKind::ClientUse,
        Outcome::Pass,
        StepCode::ClientUseAllowed,
        detail,
    )
}

fn hex_colons(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn aki_note(certificate: &Certificate<'_>) -> String {
    certificate
        .authority_key_id
        .as_ref()
        .and_then(|aki| aki.key_id.as_deref())
        .map(|id| format!(" (authority key id {})", hex_colons(id)))
        .unwrap_or_default()
}

/// Which stored CA issued the certificate (name match, then the CA's key verifies the signature), or why
/// none did. `file_chain`: the other certificates of the dropped file (a chain after the certificate).
pub fn chain(
    certificate: &Certificate<'_>,
    ca_bundle: Option<&str>,
    file_chain: &[Vec<u8>],
    now: UnixTime,
) -> Step {
    let fail = |code, detail: String| Step::new(StepKind::Chain, Outcome::Fail, code, detail);
    let Some(bundle) = ca_bundle else {
        return fail(
            StepCode::NoCaBundle,
            "Self-managed X.509 is off for this project: it holds no CA bundle, so no certificate is accepted.".to_owned(),
        );
    };
    let cas = client_certificate::ca_certificates(bundle);
    let named: Vec<(usize, Certificate<'_>)> = cas
        .iter()
        .enumerate()
        .filter_map(|(i, der)| Certificate::from_der(der).ok().map(|c| (i, c)))
        .filter(|(_, ca)| dn::same_name(ca.subject, certificate.issuer).unwrap_or(false))
        .collect();
    if named.is_empty() {
        let intermediate = file_chain
            .iter()
            .filter_map(|der| Certificate::from_der(der).ok())
            .find(|c| dn::same_name(c.subject, certificate.issuer).unwrap_or(false));
        return match intermediate {
            Some(intermediate) => fail(
                StepCode::IntermediateMissing,
                format!(
                    "The certificate was issued by the intermediate CA {}{}, which the file carries but the project's CA bundle does not hold. Add the intermediate (issued by {}) to the CA bundle.",
                    certificate.issuer_name,
                    aki_note(certificate),
                    intermediate.issuer_name
                ),
            ),
            None => fail(
                StepCode::NoCaOfIssuerName,
                format!(
                    "No CA in the project's bundle is named {}{}: a CA the project does not hold issued it. If {} is an intermediate CA, add it to the CA bundle with the CA that issued it.",
                    certificate.issuer_name,
                    aki_note(certificate),
                    certificate.issuer_name
                ),
            ),
        };
    }
    let mut unchecked = None;
    for (index, ca) in &named {
        let signed = match signature::verifies(ca.der, certificate.der) {
            Ok(verified) => verified,
            Err(VerifyError::NotInThisBuild) => {
                if pem_bundle::key_ids_agree(ca, certificate) {
                    unchecked.get_or_insert(*index);
                }
                false
            }
            Err(_) => false,
        };
        if signed {
            return signer_step(ca, *index, now, true);
        }
    }
    if let Some(index) = unchecked {
        if let Some((_, ca)) = named.iter().find(|(i, _)| *i == index) {
            return signer_step(ca, index, now, false);
        }
    }
    fail(
        StepCode::CaKeyDidNotSign,
        format!(
            "The bundle holds {} CA{} named {}, but {} key signed this certificate{}: another CA of the same name issued it, or the CA was re-keyed. Add the CA that issued it.",
            named.len(),
            if named.len() == 1 { "" } else { "s" },
            certificate.issuer_name,
            if named.len() == 1 { "its" } else { "none of their" },
            aki_note(certificate)
        ),
    )
}

fn signer_step(ca: &Certificate<'_>, index: usize, now: UnixTime, verified: bool) -> Step {
    let position = format!("certificate {} of the CA bundle", index + 1);
    if ca.not_after.unix < now {
        return Step::new(
            StepKind::Chain,
            Outcome::Fail,
            StepCode::CaExpired,
            format!(
                "Issued by {} ({position}), which expired on {}: MongoDB refuses every certificate it issued. Renew the CA and add it to the bundle.",
                ca.subject_name, ca.not_after.rfc3339
            ),
        );
    }
    if ca.not_before.unix > now {
        return Step::new(
            StepKind::Chain,
            Outcome::Fail,
            StepCode::CaNotYetValid,
            format!(
                "Issued by {} ({position}), which is not valid before {}.",
                ca.subject_name, ca.not_before.rfc3339
            ),
        );
    }
    if verified {
        Step::new(
            StepKind::Chain,
            Outcome::Pass,
            StepCode::IssuedByStoredCa,
            format!(
                "Issued by {} ({position}; signature verified; the CA is valid until {}).",
                ca.subject_name,
                time::format_date(ca.not_after.unix)
            ),
        )
    } else {
        Step::new(
            StepKind::Chain,
            Outcome::Warn,
            StepCode::SignatureNotChecked,
            format!(
                "Issued by {} ({position}) by name and key identifier; the signature was not checked in this build.",
                ca.subject_name
            ),
        )
    }
}

/// Whether the user exists and may connect (not expired; the chosen cluster in its scopes).
pub fn user(
    username: &str,
    user: Option<&DatabaseUser>,
    cluster: Option<&Cluster>,
    now: UnixTime,
    near: &[super::NearUser],
) -> Step {
    let Some(user) = user else {
        let detail = if near.is_empty() {
            format!("No database user is named {username}: MongoDB refuses the authentication. Add a user with exactly this name.")
        } else {
            let list: Vec<String> = near
                .iter()
                .map(|n| format!("{} ({})", n.username, n.detail))
                .collect();
            format!(
                "No database user is named {username}: MongoDB compares the name exactly. Nearest: {}.",
                list.join("; ")
            )
        };
        return Step::new(StepKind::User, Outcome::Fail, StepCode::NoSuchUser, detail);
    };
    if let Some(after) = user.delete_after_date.as_deref() {
        if time::parse_rfc3339(after).is_some_and(|t| t <= now) {
            return Step::new(
                StepKind::User,
                Outcome::Fail,
                StepCode::UserExpired,
                format!("{username} is a temporary user whose deleteAfterDate ({after}) has passed: it no longer exists on the clusters."),
            );
        }
    }
    let scoped: Vec<&str> = user
        .scopes
        .iter()
        .filter(|s| s.scope_type == ScopeType::Cluster)
        .map(|s| s.name.as_str())
        .collect();
    if !user.scopes.is_empty() {
        match cluster {
            Some(cluster) if !scoped.contains(&cluster.name.as_str()) => {
                return Step::new(
                    StepKind::User,
                    Outcome::Fail,
                    StepCode::ClusterNotInScopes,
                    format!(
                        "{username} exists, but its scopes limit it to {}: it is not created on cluster {}.",
                        if scoped.is_empty() { "Data Federation instances".to_owned() } else { scoped.join(", ") },
                        cluster.name
                    ),
                );
            }
            None => {
                return Step::new(
                    StepKind::User,
                    Outcome::Warn,
                    StepCode::LimitedToClusters,
                    format!(
                        "{username} exists, on clusters {} only (its scopes). Choose a cluster to check it.",
                        scoped.join(", ")
                    ),
                );
            }
            Some(_) => {}
        }
    }
    let temporary = user
        .delete_after_date
        .as_deref()
        .map(|d| format!(" It is temporary: deleted after {d}."))
        .unwrap_or_default();
    Step::new(
        StepKind::User,
        Outcome::Pass,
        StepCode::UserFound,
        format!(
            "Database user {username} ($external) exists with {} role{}.{temporary}",
            user.roles.len(),
            if user.roles.len() == 1 { "" } else { "s" }
        ),
    )
}

/// The cluster-member rule against the chosen cluster, or every cluster of the project when none is
/// chosen. A match fails: the connection would not be this database user at all (older servers take it as
/// a cluster member with full privileges, a warning only in mongod's log; servers enforcing
/// `enforceUserClusterSeparation`, the default, refuse it as a user), so neither the user's roles nor the
/// authorization below describe what happens.
pub fn cluster_member(username: &str, chosen: Option<&Cluster>, clusters: &[Cluster]) -> Step {
    let considered: &[Cluster] = match chosen {
        Some(cluster) => std::slice::from_ref(cluster),
        None => clusters,
    };
    let found = crate::cluster_member::collisions_of_username(username, considered);
    if let Some(first) = found.first() {
        let mut detail = first.reason();
        for other in &found[1..] {
            detail.push_str(&format!(
                " Cluster {} too ({}).",
                other.cluster, other.attributes
            ));
        }
        return Step::new(
            StepKind::ClusterMember,
            Outcome::Fail,
            StepCode::TakenAsClusterMember,
            detail,
        );
    }
    let recorded = considered
        .iter()
        .filter(|c| c.member_certificate_subject.is_some())
        .count();
    let detail = if recorded == 0 {
        "No member certificate subject is recorded for the cluster(s): nothing to compare (record it on the Clusters page).".to_owned()
    } else {
        format!(
            "The O, OU and DC differ from those of the member certificates of {recorded} cluster(s): MongoDB takes it as a client, not a cluster member."
        )
    };
    Step::new(
        StepKind::ClusterMember,
        Outcome::Pass,
        StepCode::NotAClusterMember,
        detail,
    )
}
