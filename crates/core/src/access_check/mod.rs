//! Access Check: "will this certificate get in, and what may it do?" The checks a connection meets, in
//! order, written once for the page, the API (`POST /groups/{groupId}/accessCheck`) and the CLI
//! (`access-console check`):
//!
//! 1. the certificate: readable, not expired, not yet valid, a warning within 30 days of expiry;
//! 2. client use: keyUsage digitalSignature and extendedKeyUsage clientAuth, when present ([`steps`]);
//! 3. the chain: which stored CA issued it (name, then signature), or why none did;
//! 4. the cluster-member rule ([`crate::cluster_member`]): a subject with the same O, OU and DC as a
//!    cluster's member certificates is taken as a cluster member, not as a user (a fail: see
//!    [`steps::cluster_member`]);
//! 5. the user: the RFC 2253 username, the user of that name, or the nearest ones ([`nearest`]);
//!    temporary users past `deleteAfterDate`, users whose scopes exclude the cluster;
//! 6. authorization ([`authorization`]): each action allowed with its grant paths, or denied with what
//!    the user holds and which roles would grant it; without an operation, the effective privileges.
//!
//! Resource rules in [`resource`]; privileges of a user's roles in [`grants`] (on the role catalog and
//! the custom roles' own flattening).

pub mod authorization;
pub mod grants;
pub mod nearest;
pub mod resource;
pub mod steps;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::catalog::{self, ActionInfo};
use crate::certificate::Certificate;
use crate::client_certificate::read_client_certificate;
use crate::cluster::Cluster;
use crate::custom_role::CustomDbRole;
use crate::database_user::DatabaseUser;
use crate::dn::{parse_dn, DnParseError};
use crate::field_issue::FieldError;
use crate::names::{
    validate_collection_name, validate_database_name, CollectionNameError, DatabaseNameError,
    SystemCollections,
};
use crate::pem_bundle::{self, UnixTime};

pub use authorization::{Authorization, DenialCode, GrantPath, Missing, Suggestion};
pub use nearest::{nearest_users, Difference, NearUser};
pub use resource::Target;

/// Largest certificate file accepted, in bytes (a client certificate with its chain is a few KB).
pub const MAX_CERTIFICATE_BYTES: usize = 64 * 1024;
/// Most actions in one check.
pub const MAX_ACTIONS: usize = 64;

/// What to check (the API's body; the page and the CLI build the same).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessCheckRequest {
    /// A PEM client certificate (a private key in it is never read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
    /// A distinguished name, instead of a certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The cluster the connection is made to (a name of the project's clusters): scopes and version
    /// gates are checked against it; absent or empty, every cluster is considered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// Atlas action names (`FIND`), as in custom roles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(max_items = 64))]
    pub actions: Vec<String>,
    /// The database the actions act on; needed by every action that is not cluster-wide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// The collection the actions act on, within `database`; absent, the whole database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection: Option<String>,
}

/// A request that cannot be checked, at `field`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RequestError {
    /// Neither `certificate` nor `username` was given (`ACCESS_CHECK_INPUT_REQUIRED`).
    #[error("give a client certificate or a username (distinguished name)")]
    InputRequired,
    /// Both `certificate` and `username` were given (`ACCESS_CHECK_TWO_INPUTS`).
    #[error("give a client certificate or a username, not both")]
    BothInputs,
    /// `certificate` is over [`MAX_CERTIFICATE_BYTES`] (`ACCESS_CHECK_CERTIFICATE_TOO_LARGE`).
    #[error("the certificate is {bytes} bytes; at most {MAX_CERTIFICATE_BYTES} are accepted")]
    CertificateTooLarge {
        /// The certificate's size, in bytes.
        bytes: usize,
    },
    /// `username` is not a distinguished name (`INVALID_DN`, with the character position).
    #[error("username: {0}")]
    Username(DnParseError),
    /// `cluster` names no cluster of the project (`CLUSTER_NOT_FOUND`); holds the name as sent.
    #[error("this project has no cluster named \"{0}\"")]
    UnknownCluster(String),
    /// More than [`MAX_ACTIONS`] actions (`ACCESS_CHECK_TOO_MANY_ACTIONS`).
    #[error("{count} actions given; at most {MAX_ACTIONS} are checked at once")]
    TooManyActions {
        /// How many actions were sent.
        count: usize,
    },
    /// An action is not an assignable privilege action of the catalog (`UNKNOWN_ACTION`).
    #[error("\"{name}\" is not a privilege action{}", .suggestion.map(|s| format!(" (did you mean {s}?)")).unwrap_or_default())]
    UnknownAction {
        /// Its 0-based position in `actions`.
        index: usize,
        /// The action as sent.
        name: String,
        /// The catalog action whose name is closest, offered as "did you mean".
        suggestion: Option<&'static str>,
    },
    /// A database or collection action without `database` (`DATABASE_REQUIRED`); holds the action
    /// name.
    #[error("{0} applies to a database or collection: give a database")]
    DatabaseRequired(String),
    /// `collection` without `database` (`DATABASE_REQUIRED`).
    #[error("a collection needs a database")]
    CollectionWithoutDatabase,
    /// `database` breaks MongoDB's database-name rules (the code of [`DatabaseNameError`]).
    #[error("database: {0}")]
    Database(DatabaseNameError),
    /// `collection` breaks MongoDB's collection-name rules (the code of [`CollectionNameError`]).
    #[error("collection: {0}")]
    Collection(CollectionNameError),
}

impl FieldError for RequestError {
    fn field(&self) -> &str {
        match self {
            Self::InputRequired | Self::BothInputs => "",
            Self::CertificateTooLarge { .. } => "certificate",
            Self::Username(_) => "username",
            Self::UnknownCluster(_) => "cluster",
            Self::TooManyActions { .. } | Self::UnknownAction { .. } => "actions",
            Self::DatabaseRequired(_) | Self::CollectionWithoutDatabase | Self::Database(_) => {
                "database"
            }
            Self::Collection(_) => "collection",
        }
    }

    fn error_code(&self) -> &'static str {
        match self {
            Self::InputRequired => "ACCESS_CHECK_INPUT_REQUIRED",
            Self::BothInputs => "ACCESS_CHECK_TWO_INPUTS",
            Self::CertificateTooLarge { .. } => "ACCESS_CHECK_CERTIFICATE_TOO_LARGE",
            Self::Username(_) => "INVALID_DN",
            Self::UnknownCluster(_) => "CLUSTER_NOT_FOUND",
            Self::TooManyActions { .. } => "ACCESS_CHECK_TOO_MANY_ACTIONS",
            Self::UnknownAction { .. } => "UNKNOWN_ACTION",
            Self::DatabaseRequired(_) | Self::CollectionWithoutDatabase => "DATABASE_REQUIRED",
            Self::Database(e) => e.error_code(),
            Self::Collection(e) => e.error_code(),
        }
    }
}

/// The step of the connection a result concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// Step 1: the certificate can be read, is a client (not CA) certificate, and is within its
    /// validity.
    Certificate,
    /// Step 2: keyUsage and extendedKeyUsage allow client authentication.
    ClientUse,
    /// Step 3: a CA of the project's bundle issued the certificate.
    Chain,
    /// Step 4: the subject is not taken for a cluster member's ([`crate::cluster_member`]).
    ClusterMember,
    /// Step 5: a database user of that username exists and may connect to the cluster.
    User,
    /// Step 6: the user's privileges allow the requested actions.
    Authorization,
}

/// How a step came out; a connection succeeds only when no step failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The step holds.
    Pass,
    /// The step holds but something is worth acting on (e.g. the certificate expires within 30
    /// days).
    Warn,
    /// The step fails: the connection is refused, or the operation denied.
    Fail,
}

/// Stable code of a step's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StepCode {
    // certificate
    /// Within its validity, more than 30 days from expiry.
    Valid,
    /// Valid but expiring within 30 days (a warning; mongod logs one too).
    ExpiresSoon,
    /// The certificate expired (`notAfter` is past): the TLS handshake is refused.
    Expired,
    /// `notBefore` is still in the future.
    NotYetValid,
    /// The file holds no certificate (perhaps only a private key).
    NoCertificate,
    /// The file holds PEM or DER that is not a readable certificate.
    Unreadable,
    /// The file's certificate is a CA certificate, not one a client connects with.
    CaCertificate,
    // client_use
    /// The certificate may be used for client authentication (or does not restrict its use).
    ClientUseAllowed,
    /// keyUsage is present without digitalSignature.
    NoDigitalSignature,
    /// extendedKeyUsage is present without clientAuth.
    NoClientAuth,
    // chain
    /// Issued by a stored CA whose key verified the signature (pass).
    IssuedByStoredCa,
    /// A stored CA matches by name and key identifier but this build cannot check signatures
    /// (warn).
    SignatureNotChecked,
    /// The project holds no CA bundle: self-managed X.509 is off, so no certificate is accepted.
    NoCaBundle,
    /// No stored CA has the certificate's issuer name.
    NoCaOfIssuerName,
    /// Stored CAs have the issuer's name but none of their keys signed the certificate (another CA
    /// of that name, or a re-keyed CA).
    CaKeyDidNotSign,
    /// The issuing CA expired: MongoDB refuses every certificate it issued.
    CaExpired,
    /// The issuing CA is not valid yet.
    CaNotYetValid,
    /// The certificate was issued by an intermediate that the file carries but the bundle does not
    /// hold.
    IntermediateMissing,
    // cluster_member
    /// The subject's O, OU and DC differ from every cluster member's: it is taken as a user (pass).
    NotAClusterMember,
    /// The subject has a cluster's member O, OU and DC: the server takes it as a cluster member,
    /// not as this user (fail).
    TakenAsClusterMember,
    // user
    /// An unexpired `$external` user of that username exists and may connect.
    UserFound,
    /// No user has that username (the nearest usernames are in the answer).
    NoSuchUser,
    /// The user is temporary and its `deleteAfterDate` is past.
    UserExpired,
    /// The user's scopes do not include the chosen cluster, so it does not exist there.
    ClusterNotInScopes,
    /// The user is scoped to some clusters and no cluster was chosen (warn).
    LimitedToClusters,
    // authorization
    /// Every requested action is granted on its resource.
    Allowed,
    /// Some requested action is not granted (the answer's authorization says what is missing).
    Denied,
    /// No action was requested: the answer lists the user's effective privileges instead.
    EffectivePrivileges,
}

/// One step's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step {
    /// Which step of the connection this is.
    pub step: StepKind,
    /// How it came out.
    pub result: Outcome,
    /// Its stable code, for the page and scripts.
    pub code: StepCode,
    /// A sentence for people: what was found and, on a fail, what to do.
    pub detail: String,
}

impl Step {
    /// A step's result; `detail` is the sentence shown with it.
    pub fn new(step: StepKind, result: Outcome, code: StepCode, detail: impl Into<String>) -> Self {
        Self {
            step,
            result,
            code,
            detail: detail.into(),
        }
    }
}

/// One privilege of the user's effective privileges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EffectivePrivilegeOut {
    /// The Atlas API name (`FIND`) when the catalog knows the action, else MongoDB's name as
    /// stored.
    pub action: String,
    /// The resource it is granted on (`sales.*`, `sales.orders`, `*.*`, `cluster`).
    pub resource: String,
    /// Where it comes from: `[username, "role@db", "inherited@db", ...]`, the user's role first.
    pub path: Vec<String>,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = AccessCheck))]
#[serde(rename_all = "camelCase")]
pub struct AccessCheckAnswer {
    /// The username MongoDB derives (RFC 2253), when the input could be read.
    pub username: Option<String>,
    /// The database user of that username, when one exists.
    pub user: Option<DatabaseUser>,
    /// The steps, in the order a connection meets them; a certificate that cannot be read has only
    /// the first.
    pub steps: Vec<Step>,
    /// Allowed or denied per requested action; `None` without actions or when the user step failed.
    pub authorization: Option<Authorization>,
    /// When no action was requested and the user may connect: every privilege the user holds.
    pub effective_privileges: Vec<EffectivePrivilegeOut>,
    /// When no user has the username: the users whose names come closest.
    pub nearest_users: Vec<NearUser>,
    /// Every step passed or warned and the operation (if any) is allowed.
    pub connects_and_allowed: bool,
}

/// What the project holds that the check reads.
#[derive(Debug, Clone, Copy)]
pub struct ProjectData<'a> {
    /// The CA bundle, when self-managed X.509 is on.
    pub ca_bundle: Option<&'a str>,
    /// The project's clusters (for the cluster-member rule, scopes and version gates).
    pub clusters: &'a [Cluster],
    /// The project's custom roles, for the privileges a user's custom roles grant.
    pub custom_roles: &'a [CustomDbRole],
    /// Database users that may have the username (the server passes the one of that name, if any; a
    /// caller may pass them all).
    pub users: &'a [DatabaseUser],
    /// Every `$external` username of the project, for the nearest users.
    pub usernames: &'a [String],
}

/// The request, checked: the operations per action and the chosen cluster.
#[derive(Debug, Clone)]
pub struct CheckedRequest<'r> {
    /// The certificate or the canonical username to check.
    pub input: Input<'r>,
    /// The cluster chosen by `cluster`, when one was named.
    pub cluster: Option<Cluster>,
    /// Each requested action with the resource it acts on.
    pub operations: Vec<authorization::Operation>,
}

/// What the connection presents: a certificate, or a username typed instead.
#[derive(Debug, Clone)]
pub enum Input<'r> {
    /// PEM text of a client certificate (with its chain, perhaps).
    Certificate(&'r str),
    /// The canonical RFC 2253 form of the typed name.
    Username(String),
}

/// The resource `action` acts on, given the request's database and collection.
fn target_of(
    action: &ActionInfo,
    database: Option<&str>,
    collection: Option<&str>,
) -> Result<Target, RequestError> {
    let applies = action.applies;
    let cluster_only = applies.cluster() && !applies.database() && !applies.collection();
    if cluster_only {
        return Ok(Target::Cluster);
    }
    match (database, collection) {
        (Some(db), Some(c)) if applies.collection() => Ok(Target::Collection {
            db: db.to_owned(),
            collection: c.to_owned(),
        }),
        (Some(db), _) => Ok(Target::Database { db: db.to_owned() }),
        (None, _) if applies.cluster() => Ok(Target::Cluster),
        (None, _) => Err(RequestError::DatabaseRequired(action.api_name.to_owned())),
    }
}

/// Checks the request's shape against the project (cluster names, action names, database names).
pub fn check_request<'r>(
    request: &'r AccessCheckRequest,
    clusters: &[Cluster],
) -> Result<CheckedRequest<'r>, RequestError> {
    let input = match (&request.certificate, &request.username) {
        (Some(_), Some(_)) => return Err(RequestError::BothInputs),
        (None, None) => return Err(RequestError::InputRequired),
        (Some(pem), None) => {
            if pem.len() > MAX_CERTIFICATE_BYTES {
                return Err(RequestError::CertificateTooLarge { bytes: pem.len() });
            }
            Input::Certificate(pem)
        }
        (None, Some(name)) => {
            let parsed = parse_dn(name).map_err(RequestError::Username)?;
            Input::Username(parsed.canonical().to_owned())
        }
    };
    let cluster = match request.cluster.as_deref().filter(|c| !c.is_empty()) {
        Some(name) => Some(
            clusters
                .iter()
                .find(|c| c.name == name)
                .cloned()
                .ok_or_else(|| RequestError::UnknownCluster(name.to_owned()))?,
        ),
        None => None,
    };
    if request.actions.len() > MAX_ACTIONS {
        return Err(RequestError::TooManyActions {
            count: request.actions.len(),
        });
    }
    let database = request.database.as_deref().filter(|d| !d.is_empty());
    let collection = request.collection.as_deref().filter(|c| !c.is_empty());
    if let Some(db) = database {
        validate_database_name(db).map_err(RequestError::Database)?;
    }
    if let Some(c) = collection {
        let Some(db) = database else {
            return Err(RequestError::CollectionWithoutDatabase);
        };
        validate_collection_name(db, c, SystemCollections::Allowed)
            .map_err(RequestError::Collection)?;
    }
    let mut operations = Vec::with_capacity(request.actions.len());
    for (index, name) in request.actions.iter().enumerate() {
        let action = catalog::action_by_api_name(name)
            .filter(|a| a.assignable)
            .ok_or_else(|| RequestError::UnknownAction {
                index,
                name: name.clone(),
                suggestion: catalog::suggest_action(name).map(|a| a.api_name),
            })?;
        operations.push(authorization::Operation {
            action,
            target: target_of(action, database, collection)?,
        });
    }
    Ok(CheckedRequest {
        input,
        cluster,
        operations,
    })
}

/// The username a certificate (PEM) gives, without the other checks: what the server looks the user up
/// by. `None` when no client certificate can be read from it.
pub fn username_of(checked: &CheckedRequest<'_>, now: UnixTime) -> Option<String> {
    match &checked.input {
        Input::Username(name) => Some(name.clone()),
        Input::Certificate(pem) => read_client_certificate(pem.as_bytes(), "", now)
            .ok()
            .map(|c| c.report.subject),
    }
}

/// Runs every check, in the order a connection meets them.
pub fn check(
    checked: &CheckedRequest<'_>,
    project: &ProjectData<'_>,
    now: UnixTime,
) -> AccessCheckAnswer {
    let mut steps = Vec::new();
    let username = match &checked.input {
        Input::Username(name) => name.clone(),
        Input::Certificate(pem) => {
            let client =
                match read_client_certificate(pem.as_bytes(), project.ca_bundle.unwrap_or(""), now)
                {
                    Ok(client) => client,
                    Err(error) => {
                        return AccessCheckAnswer {
                            username: None,
                            user: None,
                            steps: vec![steps::unreadable(&error)],
                            authorization: None,
                            effective_privileges: Vec::new(),
                            nearest_users: Vec::new(),
                            connects_and_allowed: false,
                        }
                    }
                };
            steps.push(steps::certificate(&client));
            match Certificate::from_der(&client.der) {
                Ok(certificate) => {
                    steps.push(steps::client_use(&certificate));
                    let others: Vec<Vec<u8>> = pem_bundle::certificate_ders(pem.as_bytes())
                        .into_iter()
                        .filter(|der| *der != client.der)
                        .collect();
                    steps.push(steps::chain(&certificate, project.ca_bundle, &others, now));
                }
                Err(error) => steps.push(Step::new(
                    StepKind::Certificate,
                    Outcome::Fail,
                    StepCode::Unreadable,
                    error.to_string(),
                )),
            }
            client.report.subject
        }
    };
    steps.push(steps::cluster_member(
        &username,
        checked.cluster.as_ref(),
        project.clusters,
    ));
    let user = project
        .users
        .iter()
        .find(|u| u.username == username && u.database_name == "$external");
    let nearest = if user.is_none() {
        nearest_users(&username, project.usernames)
    } else {
        Vec::new()
    };
    let user_step = steps::user(&username, user, checked.cluster.as_ref(), now, &nearest);
    let user_ok = user_step.result != Outcome::Fail;
    steps.push(user_step);

    let mut authorization_out = None;
    let mut effective = Vec::new();
    if let (Some(user), true) = (user, user_ok) {
        let held = grants::user_privileges(user, project.custom_roles);
        if checked.operations.is_empty() {
            effective = held
                .iter()
                .map(|p| EffectivePrivilegeOut {
                    action: p.display_action().to_owned(),
                    resource: p.resource.to_string(),
                    path: p.path.clone(),
                })
                .collect();
            steps.push(Step::new(
                StepKind::Authorization,
                Outcome::Pass,
                StepCode::EffectivePrivileges,
                format!(
                    "No operation given: the user's {} privileges, inheritance flattened.",
                    effective.len()
                ),
            ));
        } else {
            let version = checked
                .cluster
                .as_ref()
                .and_then(|c| c.version().ok().map(|v| (c, v)));
            let answer =
                authorization::authorize(&checked.operations, &held, version, project.custom_roles);
            steps.push(if answer.allowed {
                Step::new(
                    StepKind::Authorization,
                    Outcome::Pass,
                    StepCode::Allowed,
                    format!(
                        "Allowed: {} grant{} found.",
                        answer.grants.len(),
                        if answer.grants.len() == 1 { "" } else { "s" }
                    ),
                )
            } else {
                Step::new(
                    StepKind::Authorization,
                    Outcome::Fail,
                    StepCode::Denied,
                    answer
                        .missing
                        .iter()
                        .map(|m| m.detail.clone())
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            });
            authorization_out = Some(answer);
        }
    }
    let connects_and_allowed = steps.iter().all(|s| s.result != Outcome::Fail)
        && authorization_out.as_ref().is_none_or(|a| a.allowed)
        && user.is_some();
    AccessCheckAnswer {
        username: Some(username),
        user: user.cloned(),
        steps,
        authorization: authorization_out,
        effective_privileges: effective,
        nearest_users: nearest,
        connects_and_allowed,
    }
}
