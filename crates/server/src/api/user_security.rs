//! `GET|PATCH /groups/{groupId}/userSecurity` and `DELETE /groups/{groupId}/userSecurity/customerX509`:
//! the project's self-managed X.509 certificate authorities.
//!
//! A PATCH with `customerX509.cas` runs the core inspection on the bundle first, and saves it (exactly as
//! sent) only when every block reads as a certificate and none has expired; see [`check_bundle`]. A PATCH
//! without `customerX509.cas` changes nothing. Warnings about the stored certificates (expiring soon, not
//! yet valid, ...) are computed at each read and returned in `customerX509.warnings`.
//!
//! A saved bundle writes an `X509_CA_BUNDLE_UPDATED` event and turning X.509 off an
//! `X509_AUTHENTICATION_DISABLED` one, in the transaction of the change, with each certificate's subject,
//! SHA-256 fingerprint and expiry before/after (never the PEM); a request that changes nothing writes none.
//! The first bundle of a project also creates its `CA_EXPIRING` alert configuration (30 days, EMAIL every
//! 24 hours) when it has none.

use access_core::api::{CaWarning, CustomerX509, UserSecurity};
use access_core::etag::of_user_security;
use access_core::pem_bundle::{self, BundleReport, ProblemCode};
use axum::extract::State;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::caller::Actor;
use super::error::ExpiredCertificate;
use super::etag::{Precondition, Tagged};
use super::{groups, ApiError, AppState, GroupId, JsonBody};
use crate::storage::alert_configs::{self, AlertConfig};
use crate::storage::events::{self, Diff, EventType};
use crate::storage::{now_unix, x509_settings};

/// The target of the X.509 events.
pub const X509_EVENT_TARGET: &str = "customerX509";

/// What the X.509 events keep of a bundle: each certificate's subject, SHA-256 fingerprint and expiry
/// (never the PEM).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleSummary {
    pub certificates: Vec<CertificateSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertificateSummary {
    pub subject: String,
    pub sha256: String,
    pub not_after: String,
}

impl BundleSummary {
    pub fn of(report: &BundleReport) -> Self {
        Self {
            certificates: report
                .certificates
                .iter()
                .map(|c| CertificateSummary {
                    subject: c.subject.clone(),
                    sha256: c.sha256_fingerprint.clone(),
                    not_after: c.not_after.clone(),
                })
                .collect(),
        }
    }
}

/// The body of `PATCH .../userSecurity`: a JSON object (never an array, which serde's derive would also
/// take). Unknown attributes are refused, so that a misspelt `customerX509` is not silently ignored;
/// `ldap` and the read-only `customerX509.warnings` are accepted and ignored, so that a body read with
/// GET can be sent back.
#[derive(Debug, Default)]
pub struct UserSecurityPatch {
    customer_x509: Option<CustomerX509Patch>,
}

#[derive(Debug, Default)]
struct CustomerX509Patch {
    cas: Option<String>,
}

/// The schema of [`UserSecurityPatch`] in the OpenAPI document (its deserializer is written by hand, to
/// refuse an array; this is what it takes).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[allow(dead_code)]
struct UserSecurityUpdate {
    customer_x509: Option<CustomerX509Update>,
    /// Accepted and ignored.
    #[schema(value_type = Option<Value>)]
    ldap: Option<IgnoredAny>,
}

/// `customerX509` of a PATCH: the bundle (`null` or `""`: X.509 off).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct CustomerX509Update {
    cas: Option<String>,
    /// Read-only; accepted and ignored.
    #[schema(value_type = Option<Value>)]
    warnings: Option<IgnoredAny>,
}

impl<'de> Deserialize<'de> for UserSecurityPatch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Object;
        impl<'de> Visitor<'de> for Object {
            type Value = UserSecurityPatch;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object like {\"customerX509\": {\"cas\": \"<PEM>\"}}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                const FIELDS: &[&str] = &["customerX509", "ldap"];
                let mut patch = UserSecurityPatch::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "customerX509" => patch.customer_x509 = map.next_value()?,
                        "ldap" => {
                            map.next_value::<IgnoredAny>()?;
                        }
                        other => return Err(de::Error::unknown_field(other, FIELDS)),
                    }
                }
                Ok(patch)
            }
        }
        deserializer.deserialize_map(Object)
    }
}

impl<'de> Deserialize<'de> for CustomerX509Patch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Object;
        impl<'de> Visitor<'de> for Object {
            type Value = CustomerX509Patch;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object like {\"cas\": \"<PEM>\"}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                const FIELDS: &[&str] = &["cas", "warnings"];
                let mut patch = CustomerX509Patch::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "cas" => patch.cas = map.next_value()?,
                        "warnings" => {
                            map.next_value::<IgnoredAny>()?;
                        }
                        other => return Err(de::Error::unknown_field(other, FIELDS)),
                    }
                }
                Ok(patch)
            }
        }
        deserializer.deserialize_map(Object)
    }
}

/// The answer with its `ETag`, which names the stored bundle (not the warnings computed at each read).
fn tagged(security: UserSecurity) -> Tagged<UserSecurity> {
    Tagged(
        of_user_security(security.customer_x509.cas.as_deref()),
        security,
    )
}

/// 412 unless the stored bundle (`None`: X.509 off) meets the request's `If-Match`.
fn check_unchanged(precondition: &Precondition, stored: Option<&str>) -> Result<(), ApiError> {
    precondition.check(&of_user_security(stored), || {
        "project's X.509 settings (userSecurity)".to_owned()
    })
}

#[utoipa::path(
    get,
    path = "/groups/{groupId}/userSecurity",
    tag = "X.509 Authentication",
    operation_id = "getDatabaseUserSecurity",
    summary = "The project's self-managed X.509 CA bundle and warnings about it.",
    params(
        super::group_id::GroupPath,
    ),
    responses(
        (status = 200, description = "OK", body = UserSecurity),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    group_id: GroupId,
) -> Result<Tagged<UserSecurity>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    current(&state, &project.id).await.map(tagged)
}

#[utoipa::path(
    patch,
    path = "/groups/{groupId}/userSecurity",
    tag = "X.509 Authentication",
    operation_id = "updateDatabaseUserSecurity",
    summary = "Saves the CA bundle (`customerX509.cas`) after checking every certificate.",
    params(
        super::group_id::GroupPath,
    ),
    request_body(content = UserSecurityUpdate, example = json!({ "customerX509": { "cas": "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n" } })),
    responses(
        (status = 200, description = "OK", body = UserSecurity),
        (status = 412, description = "Precondition Failed"),
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    actor: Actor,
    group_id: GroupId,
    precondition: Precondition,
    JsonBody(body): JsonBody<UserSecurityPatch>,
) -> Result<Tagged<UserSecurity>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    if let Some(cas) = body.customer_x509.and_then(|x| x.cas) {
        let now = now_unix();
        // The size first: a bundle's inspection costs work for each certificate.
        access_core::bundle_limits::check_bundle_size(&cas).map_err(ApiError::CaBundleTooLarge)?;
        let (cas, report) = inspect(cas, now).await?;
        if let Err(refusal) = check_bundle(&report) {
            // The code only: problem messages stay out of the log.
            tracing::info!(group_id = %project.id, error_code = refusal.code(), "refused an X.509 CA bundle");
            return Err(refusal);
        }
        let mut tx = crate::storage::begin_write(&state.pool).await?;
        let stored = x509_settings::find_in(&mut tx, &project.id).await?;
        let previous = stored
            .as_ref()
            .and_then(|s| s.active_bundle())
            .map(str::to_owned);
        check_unchanged(&precondition, previous.as_deref())?;
        if previous.as_deref() == Some(cas.as_str()) {
            // The same bundle: no change, no event.
            return Ok(tagged(user_security(Some(cas), &report)));
        }
        x509_settings::save_bundle(&mut tx, &project.id, &cas, now).await?;
        let before = previous.map(|pem| BundleSummary::of(&pem_bundle::inspect_bundle(&pem, now)));
        let after = BundleSummary::of(&report);
        events::record(
            &mut tx,
            &project.id,
            EventType::X509CaBundleUpdated,
            actor.name(),
            X509_EVENT_TARGET,
            &Diff {
                before: before.as_ref(),
                after: Some(&after),
            },
            now,
        )
        .await?;
        // The first bundle of a project brings the CA-expiry alert (30 days, every 24 hours), unless the
        // project has one already.
        let first = stored.as_ref().and_then(|s| s.cas_pem.as_ref()).is_none();
        if first
            && !alert_configs::exists_of_type(&mut tx, &project.id, alert_configs::CA_EXPIRING)
                .await?
        {
            let config = AlertConfig::default_ca_expiry(&project.id, now);
            alert_configs::insert(&mut tx, &config, events::SYSTEM, now).await?;
            tracing::info!(group_id = %project.id, alert_config_id = %config.id, "created the CA-expiry alert configuration");
        }
        tx.commit().await?;
        tracing::info!(group_id = %project.id, certificates = report.certificates.len(), "saved the X.509 CA bundle");
        let security = user_security(Some(cas), &report);
        state.inspections.put(&project.id, &security, now);
        // Its CA-expiry alerts open (or close) now, not at the next periodic evaluation.
        evaluate_alerts_of(&state, &project.id, now).await;
        return Ok(tagged(security));
    }
    // Nothing to change: the current settings (if they meet the precondition).
    let security = current(&state, &project.id).await?;
    check_unchanged(&precondition, security.customer_x509.cas.as_deref())?;
    Ok(tagged(security))
}

/// `DELETE .../userSecurity/customerX509`; its `If-Match` names the `ETag` of `userSecurity`.
#[utoipa::path(
    delete,
    path = "/groups/{groupId}/userSecurity/customerX509",
    tag = "X.509 Authentication",
    operation_id = "disableCustomerManagedX509",
    summary = "Turns self-managed X.509 authentication off.",
    params(
        super::group_id::GroupPath,
    ),
    responses(
        (status = 200, description = "OK", body = UserSecurity),
        (status = 412, description = "Precondition Failed"),
    )
)]
pub async fn delete_customer_x509(
    State(state): State<AppState>,
    actor: Actor,
    group_id: GroupId,
    precondition: Precondition,
) -> Result<Tagged<UserSecurity>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let now = now_unix();
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    let stored = x509_settings::find_in(&mut tx, &project.id).await?;
    let active = stored.as_ref().and_then(|s| s.active_bundle());
    check_unchanged(&precondition, active)?;
    let Some(previous) = active.map(str::to_owned) else {
        // Off already: no change, no event.
        return Ok(tagged(UserSecurity::default()));
    };
    x509_settings::disable(&mut tx, &project.id, now).await?;
    let before = BundleSummary::of(&pem_bundle::inspect_bundle(&previous, now));
    events::record(
        &mut tx,
        &project.id,
        EventType::X509AuthenticationDisabled,
        actor.name(),
        X509_EVENT_TARGET,
        &Diff::<BundleSummary> {
            before: Some(&before),
            after: None,
        },
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(group_id = %project.id, "turned self-managed X.509 authentication off");
    // Its open CA-expiry alerts close now.
    evaluate_alerts_of(&state, &project.id, now).await;
    Ok(tagged(UserSecurity::default()))
}

/// Opens and closes the project's CA-expiry alerts after its bundle changed (issue 14, item 7). The
/// bundle is saved whatever happens here: a failure is logged, and the periodic evaluation catches up.
async fn evaluate_alerts_of(state: &AppState, project_id: &str, now: i64) {
    match crate::alerts::open_and_close_project(&state.pool, project_id, now).await {
        Ok(report) => tracing::info!(
            group_id = %project_id,
            opened = report.opened.len(),
            closed = report.closed.len(),
            "evaluated the CA-expiry alerts of the changed bundle"
        ),
        Err(error) => {
            tracing::warn!(%error, group_id = %project_id, "cannot evaluate the alerts of the changed bundle")
        }
    }
}

/// Whether a bundle may be saved, as Atlas decides it plus our stricter reading: no problem of any kind
/// (a private key is named as such), at least one certificate, and no expired certificate.
pub fn check_bundle(report: &BundleReport) -> Result<(), ApiError> {
    let problems = &report.problems;
    if problems.iter().any(|p| p.code == ProblemCode::PrivateKey) {
        return Err(ApiError::PrivateKeyInCaBundle {
            problems: problems.clone(),
        });
    }
    if !problems.is_empty() {
        let only_no_certificates = problems
            .iter()
            .all(|p| p.code == ProblemCode::NoCertificates);
        return Err(if only_no_certificates {
            ApiError::NoCaCertificate {
                problems: problems.clone(),
            }
        } else {
            ApiError::InvalidCaBundle {
                problems: problems.clone(),
            }
        });
    }
    if report.certificates.is_empty() {
        return Err(ApiError::NoCaCertificate {
            problems: Vec::new(),
        });
    }
    let expired: Vec<ExpiredCertificate> = report
        .expired()
        .map(|c| ExpiredCertificate {
            position: c.index + 1,
            line: c.line,
            subject: c.subject.clone(),
            not_after: c.not_after.clone(),
        })
        .collect();
    if !expired.is_empty() {
        return Err(ApiError::ExpiredCaCertificate {
            expired,
            certificate_count: report.certificates.len(),
        });
    }
    Ok(())
}

/// The stored settings, with warnings computed now.
async fn current(state: &AppState, project_id: &str) -> Result<UserSecurity, ApiError> {
    let settings = x509_settings::find(&state.pool, project_id).await?;
    match settings.as_ref().and_then(|s| s.active_bundle()) {
        Some(cas) => {
            let now = now_unix();
            if let Some(known) = state.inspections.get(project_id, cas, now) {
                return Ok(known);
            }
            let (cas, report) = inspect(cas.to_owned(), now).await?;
            let security = user_security(Some(cas), &report);
            state.inspections.put(project_id, &security, now);
            Ok(security)
        }
        None => Ok(UserSecurity::default()),
    }
}

/// The inspection of each project's bundle, kept for [`Inspections::FRESH_SECS`] so that reads (any
/// Read Only user, in a loop) do not inspect the bundle again each time (issue 14). Keyed by the
/// bundle's SHA-256: a bundle changed by another instance is inspected anew.
#[derive(Debug, Default)]
pub struct Inspections {
    by_project: std::sync::Mutex<std::collections::HashMap<String, Inspected>>,
    /// What the organization page shows of a bundle, by its SHA-256: facts of the certificates alone,
    /// true whenever they are read (see [`Inspections::facts`]).
    facts: std::sync::Mutex<std::collections::HashMap<Vec<u8>, BundleFacts>>,
}

/// A bundle's CA count and its soonest `notAfter` (RFC 3339).
pub type BundleFacts = (u32, Option<String>);

/// A bundle's SHA-256, when it was inspected (Unix seconds), and the answer made of it.
type Inspected = (Vec<u8>, i64, UserSecurity);

impl Inspections {
    /// How long an inspection is reused: its days left and expiry warnings are counted in days.
    pub const FRESH_SECS: i64 = 60;

    fn key(cas: &str) -> Vec<u8> {
        use sha2::Digest as _;
        sha2::Sha256::digest(cas.as_bytes()).to_vec()
    }

    fn get(&self, project_id: &str, cas: &str, now: i64) -> Option<UserSecurity> {
        let map = self.by_project.lock().unwrap_or_else(|p| p.into_inner());
        let (key, at, security) = map.get(project_id)?;
        (*key == Self::key(cas) && now - *at < Self::FRESH_SECS).then(|| security.clone())
    }

    /// The [`BundleFacts`] of each bundle, inspecting (off the async workers, all at once) only those
    /// not seen before. At most [`Self::MAX_FACTS`] are kept (then the memory starts again).
    pub async fn facts(&self, bundles: &[&str], now: i64) -> Result<Vec<BundleFacts>, ApiError> {
        let keys: Vec<Vec<u8>> = bundles.iter().map(|cas| Self::key(cas)).collect();
        let missing: Vec<(Vec<u8>, String)> = {
            let known = self.facts.lock().unwrap_or_else(|p| p.into_inner());
            keys.iter()
                .zip(bundles)
                .filter(|(key, _)| !known.contains_key(*key))
                .map(|(key, cas)| (key.clone(), (*cas).to_owned()))
                .collect()
        };
        if !missing.is_empty() {
            let inspected = tokio::task::spawn_blocking(move || {
                missing
                    .into_iter()
                    .map(|(key, cas)| {
                        let report = pem_bundle::inspect_bundle(&cas, now);
                        let count = u32::try_from(report.certificates.len()).unwrap_or(u32::MAX);
                        let soonest = report
                            .certificates
                            .iter()
                            .map(|c| c.not_after.clone())
                            .min();
                        (key, (count, soonest))
                    })
                    .collect::<Vec<_>>()
            })
            .await
            .map_err(|error| ApiError::Internal {
                what: format!("CA bundle inspection failed: {error}"),
            })?;
            let mut known = self.facts.lock().unwrap_or_else(|p| p.into_inner());
            if known.len() + inspected.len() > Self::MAX_FACTS {
                known.clear();
            }
            known.extend(inspected);
        }
        let known = self.facts.lock().unwrap_or_else(|p| p.into_inner());
        Ok(keys
            .iter()
            .map(|key| known.get(key).cloned().unwrap_or((0, None)))
            .collect())
    }

    /// How many bundles' facts are kept.
    pub const MAX_FACTS: usize = 20_000;

    fn put(&self, project_id: &str, security: &UserSecurity, now: i64) {
        let Some(cas) = security.customer_x509.cas.as_deref() else {
            return;
        };
        let mut map = self.by_project.lock().unwrap_or_else(|p| p.into_inner());
        map.insert(
            project_id.to_owned(),
            (Self::key(cas), now, security.clone()),
        );
    }
}

/// Runs the core inspection off the async workers (a large bundle takes milliseconds).
pub(crate) async fn inspect(cas: String, now: i64) -> Result<(String, BundleReport), ApiError> {
    tokio::task::spawn_blocking(move || {
        let report = pem_bundle::inspect_bundle(&cas, now);
        (cas, report)
    })
    .await
    .map_err(|error| ApiError::Internal {
        what: format!("CA bundle inspection failed: {error}"),
    })
}

fn user_security(cas: Option<String>, report: &BundleReport) -> UserSecurity {
    let warnings = report
        .certificates
        .iter()
        .flat_map(|c| {
            c.warnings.iter().map(|w| CaWarning {
                certificate: c.index,
                subject: c.subject.clone(),
                code: w.code,
                message: w.message.clone(),
            })
        })
        .collect();
    UserSecurity {
        customer_x509: CustomerX509 { cas, warnings },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::json_body::parse;

    fn cas_of(body: &str) -> Result<Option<String>, String> {
        parse::<UserSecurityPatch>(body.as_bytes())
            .map(|patch| patch.customer_x509.and_then(|x| x.cas))
            .map_err(|e| format!("{} {}", e.code(), e))
    }

    #[test]
    fn reads_the_patch_body() {
        assert_eq!(
            cas_of(r#"{"customerX509": {"cas": "PEM"}}"#),
            Ok(Some("PEM".to_owned()))
        );
        assert_eq!(cas_of(r#"{"customerX509": {"cas": null}}"#), Ok(None));
        assert_eq!(cas_of(r#"{"customerX509": null}"#), Ok(None));
        assert_eq!(cas_of("{}"), Ok(None));
        // A body read with GET can be sent back.
        assert_eq!(
            cas_of(
                r#"{"customerX509": {"cas": "PEM", "warnings": [{"code": "expires_soon"}]}, "ldap": {"x": 1}}"#
            ),
            Ok(Some("PEM".to_owned()))
        );
    }

    #[test]
    fn refuses_arrays_and_unknown_attributes() {
        for body in [
            r#"[{"cas": "PEM"}]"#,
            r#"{"customerX509": ["PEM"]}"#,
            r#"{"customerX509": {"ca": "PEM"}}"#,
            r#""PEM""#,
        ] {
            let refusal = cas_of(body).err().unwrap_or_default();
            assert!(
                refusal.starts_with("INVALID_ATTRIBUTE"),
                "{body}: {refusal}"
            );
            assert!(!refusal.contains("PEM\""), "{body}: {refusal}");
        }
        let refusal = cas_of(r#"{"customerX509": ["PEM"]}"#)
            .err()
            .unwrap_or_default();
        assert!(
            refusal.contains(
                "Invalid attribute customerX509 (line 1, column 17): invalid type: sequence"
            ),
            "{refusal}"
        );
    }
}
