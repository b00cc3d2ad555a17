//! A project's access leaving the console and coming back (extensions, not in Atlas):
//!
//! - `GET /groups/{groupId}/export?format=mongosh|terraform|ca-bundle|mongod-conf|json[&cluster=NAME]`
//!   (every project role): the file, as `access_core::export` renders it, with `Content-Disposition:
//!   attachment`. For a Read Only caller the JSON document carries no webhook URL (a chat webhook's URL
//!   is its credential, as on `alertConfigs`).
//! - `POST /groups/{groupId}/import[?dryRun=true]` (Project Owner): a JSON document
//!   (`access_core::export::backup`) makes the project equal to it, in one transaction, every change with
//!   its event; the answer lists the changes (`dryRun`: what would change, nothing written). The whole
//!   document is checked first with the rules the other routes apply, fields named from its root
//!   (`databaseUsers[3].roles[0].roleName`).
//! - `POST /groups/{groupId}/drift` (every project role): what a deployment holds (mongosh's
//!   `usersInfo`/`rolesInfo` output) against the project; nothing is changed.
//!
//! The CLI's `export`, `import` and `drift` call the same functions on the database directly.

use std::collections::HashMap;

use access_core::cluster::{self, Cluster};
use access_core::custom_role::{validate_custom_role, CustomDbRole, Mode, Project};
use access_core::database_user::{DatabaseUser, X509Type};
use access_core::dn::parse_dn;
use access_core::export::backup::{
    self, AlertNotification, AlertSetting, Backup, Change, ChangeKind, ChangeTarget,
};
use access_core::export::{self, Format, ProjectAccess};
use access_core::pem_bundle;
use axum::extract::State;

use super::query_params::ApiQuery;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, AnyPool};

use super::alert_configs::{build, sees_webhook_hosts_only, AlertConfigIn};
use super::caller::{Actor, Principal};
use super::database_users::{check_user_rules, issue, EXTERNAL_DATABASE};
use super::user_security::{check_bundle, inspect, BundleSummary, X509_EVENT_TARGET};
use super::{groups, ApiError, AppState, GroupId, JsonBody};
use crate::storage::alert_configs::{self, AlertConfig};
use crate::storage::events::{self, Diff, EventType};
use crate::storage::{
    begin_write, clusters, custom_roles, database_users, now_unix, x509_settings,
};

/// Everything an export reads of a project, read in one go.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub users: Vec<DatabaseUser>,
    pub custom_roles: Vec<CustomDbRole>,
    pub clusters: Vec<Cluster>,
    pub ca_bundle: Option<String>,
    pub alert_configs: Vec<AlertConfig>,
}

impl Snapshot {
    pub fn access(&self) -> ProjectAccess<'_> {
        ProjectAccess {
            users: &self.users,
            custom_roles: &self.custom_roles,
            clusters: &self.clusters,
            ca_bundle: self.ca_bundle.as_deref(),
        }
    }

    /// The JSON document; `webhook_urls`: whether webhook URLs are included.
    pub fn backup(&self, webhook_urls: bool) -> Backup {
        let settings = self
            .alert_configs
            .iter()
            .map(|c| AlertSetting {
                event_type_name: c.event_type_name.clone(),
                enabled: c.enabled,
                threshold_days: c.threshold_days,
                notifications: c
                    .notifications
                    .iter()
                    .map(|n| AlertNotification {
                        type_name: n.type_name.name().to_owned(),
                        interval_min: n.interval_min,
                        delay_min: n.delay_min,
                        email_address: n.email_address.clone(),
                        webhook_url: n.webhook_url.clone().filter(|_| webhook_urls),
                    })
                    .collect(),
            })
            .collect();
        Backup::of(&self.access(), settings)
    }

    /// The file of `format` (`cluster`: the mongosh script of one cluster's users).
    pub fn render(
        &self,
        format: Format,
        cluster: Option<&str>,
        webhook_urls: bool,
    ) -> Result<String, export::ExportError> {
        match format {
            Format::Json if cluster.is_none() => Ok(self.backup(webhook_urls).to_json()),
            _ => export::render(format, &self.access(), cluster),
        }
    }
}

/// Reads the project on a connection (inside a transaction when it must agree with a write).
pub async fn snapshot(
    conn: &mut AnyConnection,
    project_id: &str,
    now: i64,
) -> Result<Snapshot, sqlx::Error> {
    Ok(Snapshot {
        users: database_users::all_in(conn, project_id, now).await?,
        custom_roles: custom_roles::list(conn, project_id).await?,
        clusters: clusters::list(conn, project_id).await?,
        ca_bundle: x509_settings::find_in(conn, project_id)
            .await?
            .and_then(|s| s.active_bundle().map(str::to_owned)),
        alert_configs: alert_configs::list(conn, project_id).await?,
    })
}

/// The query of an export, as the OpenAPI document states it.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ExportParams {
    /// The file to make: `mongosh`, `terraform`, `ca-bundle`, `mongod-conf` or `json`.
    #[param(pattern = "^(mongosh|terraform|ca-bundle|mongod-conf|json)$")]
    format: String,
    /// mongosh only: just the users that may use this cluster of the project.
    cluster: Option<String>,
}

/// The query of an import, as the OpenAPI document states it.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ImportParams {
    /// Only list what would change; write nothing.
    #[param(rename = "dryRun", default = false)]
    dry_run: Option<bool>,
}

/// The body of a drift check: what `mongosh --eval 'EJSON.stringify({users:
/// db.getSiblingDB("$external").getUsers(), roles: db.getSiblingDB("admin").getRoles({showPrivileges:
/// true, showBuiltinRoles: false})})'` prints (read by `access_core::drift::parse_state`, which names
/// the place of any error).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct DeploymentState {
    /// `{"users": [...], "ok": 1}` or a bare array.
    users: serde_json::Value,
    /// `{"roles": [...], "ok": 1}` or a bare array.
    roles: serde_json::Value,
}

#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    cluster: Option<String>,
}

/// The format named by `?format=`, or `INVALID_QUERY_PARAMETER` listing the formats.
pub fn parse_format(name: Option<&str>) -> Result<Format, ApiError> {
    let known = || {
        Format::ALL
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let name = name.ok_or_else(|| ApiError::InvalidQueryParameter {
        name: "format".to_owned(),
        detail: format!("it is required: one of {}.", known()),
    })?;
    Format::parse(name).ok_or_else(|| ApiError::InvalidQueryParameter {
        name: "format".to_owned(),
        detail: format!("{name:?} is not a format: use one of {}.", known()),
    })
}

#[utoipa::path(
    get,
    path = "/groups/{groupId}/export",
    tag = "Export and Import",
    operation_id = "exportProject",
    summary = "Extension: the project's access as a file: `mongosh` (a script that makes a self-managed deployment match), `terraform` (HCL for the mongodbatlas provider), `ca-bundle` (PEM), `mongod-conf` (TLS snippet and CA rotation steps) or `json` (the whole project, for backup and import).",
    params(
        super::group_id::GroupPath,
        ExportParams,
    ),
    responses(
        (status = 200, description = "The file (`Content-Disposition: attachment`).", content(
            (String = "text/javascript; charset=utf-8"),
            (String = "text/plain; charset=utf-8"),
            (String = "application/x-pem-file"),
            (access_core::export::backup::Backup = "application/json"),
        )),
        (status = 400, description = "Bad Request"),
        (status = 409, description = "Conflict"),
    )
)]
pub async fn export(
    State(state): State<AppState>,
    principal: Principal,
    group_id: GroupId,
    ApiQuery(query): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let format = parse_format(query.format.as_deref())?;
    let mut conn = state.pool.acquire().await?;
    let snapshot = snapshot(&mut conn, &project.id, now_unix()).await?;
    drop(conn);
    let webhook_urls = !sees_webhook_hosts_only(&principal, &project.id);
    let body = snapshot
        .render(format, query.cluster.as_deref(), webhook_urls)
        .map_err(ApiError::Export)?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(value) =
        HeaderValue::from_str(&format!("attachment; filename=\"{}\"", format.file_name()))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// The answer of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportResult {
    /// `true`: nothing was written.
    pub dry_run: bool,
    /// What changed (or would change), in the order applied.
    pub changes: Vec<Change>,
}

#[derive(Debug, Deserialize)]
pub struct ImportQuery {
    #[serde(default, rename = "dryRun")]
    dry_run: Option<String>,
}

#[utoipa::path(
    post,
    path = "/groups/{groupId}/import",
    tag = "Export and Import",
    operation_id = "importProject",
    summary = "Extension: makes the project equal to a `json` export, in one transaction (`dryRun=true`: only says what would change).",
    params(
        super::group_id::GroupPath,
        ImportParams,
    ),
    request_body(content = Backup, example = json!({ "format": "access-console-project", "version": 1, "caBundle": null, "clusters": [{ "name": "Cluster0", "mongoDBMajorVersion": "8.0" }], "customRoles": [], "databaseUsers": [], "alertSettings": [] })),
    responses(
        (status = 200, description = "OK", body = ImportResult),
        (status = 409, description = "Conflict"),
    )
)]
pub async fn import(
    State(state): State<AppState>,
    actor: Actor,
    group_id: GroupId,
    ApiQuery(query): ApiQuery<ImportQuery>,
    JsonBody(document): JsonBody<Backup>,
) -> Result<Json<ImportResult>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let dry_run = match query.dry_run.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ApiError::InvalidQueryParameter {
                name: "dryRun".to_owned(),
                detail: format!("{other:?} is not true or false."),
            })
        }
    };
    let result = apply(&state.pool, &project.id, document, dry_run, actor.name()).await?;
    tracing::info!(group_id = %project.id, dry_run, changes = result.changes.len(), "imported a project document");
    Ok(Json(result))
}

/// Checks `document` (format, version, every rule) and makes the project equal to it in one
/// transaction; with `dry_run`, only says what would change.
pub async fn apply(
    pool: &AnyPool,
    project_id: &str,
    mut document: Backup,
    dry_run: bool,
    actor: &str,
) -> Result<ImportResult, ApiError> {
    if document.format != backup::FORMAT {
        return Err(ApiError::Import(backup::BackupError::WrongFormat {
            found: document.format.clone(),
        }));
    }
    if document.version != backup::VERSION {
        return Err(ApiError::Import(backup::BackupError::UnsupportedVersion {
            found: document.version,
        }));
    }
    let now = now_unix();
    let bundle_report = match &document.ca_bundle {
        Some(cas) => {
            access_core::bundle_limits::check_bundle_size(cas)
                .map_err(ApiError::CaBundleTooLarge)?;
            let (_, report) = inspect(cas.clone(), now).await?;
            check_bundle(&report)?;
            Some(report)
        }
        None => None,
    };
    check_document(&mut document, now)?;

    let mut tx = begin_write(pool).await?;
    database_users::remove_expired_in(&mut tx, now).await?;
    let current = snapshot(&mut tx, project_id, now).await?;
    let incoming_alerts = alert_settings_of(&document, &current, project_id, now)?;
    let current_doc = current.backup(true);
    let mut changes = backup::plan(&current_doc, &document);
    // Alert settings are compared as built (a webhook secret kept for its URL is no change).
    changes.retain(|c| c.target != ChangeTarget::AlertSetting);
    let alert_changes = alert_plan(&current.alert_configs, &incoming_alerts);
    changes.extend(alert_changes.iter().map(|(change, _, _)| change.clone()));
    if dry_run || changes.is_empty() {
        return Ok(ImportResult { dry_run, changes });
    }

    let tx_conn: &mut AnyConnection = &mut tx;
    // CA bundle first (users need it), removal last.
    if let (Some(cas), Some(report)) = (&document.ca_bundle, &bundle_report) {
        if current.ca_bundle.as_deref() != Some(cas.as_str()) {
            x509_settings::save_bundle(tx_conn, project_id, cas, now).await?;
            let before = current
                .ca_bundle
                .as_deref()
                .map(|pem| BundleSummary::of(&pem_bundle::inspect_bundle(pem, now)));
            events::record(
                tx_conn,
                project_id,
                EventType::X509CaBundleUpdated,
                actor,
                X509_EVENT_TARGET,
                &Diff {
                    before: before.as_ref(),
                    after: Some(&BundleSummary::of(report)),
                },
                now,
            )
            .await?;
        }
    }
    for cluster in &document.clusters {
        if !current.clusters.iter().any(|c| c.name == cluster.name) {
            clusters::insert(tx_conn, project_id, cluster, actor, now).await?;
        }
    }
    for role in &document.custom_roles {
        let before = current
            .custom_roles
            .iter()
            .find(|r| r.role_name == role.role_name);
        let event = match before {
            None => {
                custom_roles::insert(tx_conn, project_id, role, now).await?;
                EventType::MongodbRoleAdded
            }
            Some(b) if b != role => {
                custom_roles::update(tx_conn, project_id, role, now).await?;
                EventType::MongodbRoleUpdated
            }
            Some(_) => continue,
        };
        events::record(
            tx_conn,
            project_id,
            event,
            actor,
            &role.role_name,
            &Diff {
                before,
                after: Some(role),
            },
            now,
        )
        .await?;
    }
    let current_users: HashMap<&str, &DatabaseUser> = current
        .users
        .iter()
        .map(|u| (u.username.as_str(), u))
        .collect();
    let document_users: std::collections::HashSet<&str> = document
        .database_users
        .iter()
        .map(|u| u.username.as_str())
        .collect();
    for user in &document.database_users {
        match current_users.get(user.username.as_str()).copied() {
            None => database_users::insert(tx_conn, project_id, user, actor, now).await?,
            Some(before) => {
                let mut comparable = before.clone();
                comparable.group_id = None;
                if comparable != *user {
                    database_users::update(tx_conn, project_id, before, user, actor, now).await?;
                }
            }
        }
    }
    for user in &current.users {
        if !document_users.contains(user.username.as_str()) {
            database_users::delete(
                tx_conn,
                project_id,
                user,
                EventType::MongodbUserDeleted,
                actor,
                now,
            )
            .await?;
        }
    }
    for role in &current.custom_roles {
        if !document
            .custom_roles
            .iter()
            .any(|r| r.role_name == role.role_name)
        {
            custom_roles::delete(tx_conn, project_id, &role.role_name).await?;
            events::record(
                tx_conn,
                project_id,
                EventType::MongodbRoleDeleted,
                actor,
                &role.role_name,
                &Diff {
                    before: Some(role),
                    after: None,
                },
                now,
            )
            .await?;
        }
    }
    for cluster in &current.clusters {
        if !document.clusters.iter().any(|c| c.name == cluster.name) {
            clusters::delete(tx_conn, project_id, &cluster.name, actor, now).await?;
        }
    }
    if document.ca_bundle.is_none() {
        if let Some(pem) = &current.ca_bundle {
            x509_settings::disable(tx_conn, project_id, now).await?;
            events::record(
                tx_conn,
                project_id,
                EventType::X509AuthenticationDisabled,
                actor,
                X509_EVENT_TARGET,
                &Diff::<BundleSummary> {
                    before: Some(&BundleSummary::of(&pem_bundle::inspect_bundle(pem, now))),
                    after: None,
                },
                now,
            )
            .await?;
        }
    }
    for (_, before, after) in &alert_changes {
        match (before, after) {
            (None, Some(after)) => alert_configs::insert(tx_conn, after, actor, now).await?,
            (Some(before), Some(after)) => {
                alert_configs::update(tx_conn, before, after, actor, now).await?
            }
            (Some(before), None) => alert_configs::delete(tx_conn, before, actor, now).await?,
            (None, None) => {}
        }
    }
    tx.commit().await?;
    if document.ca_bundle != current.ca_bundle {
        crate::alerts::open_and_close_project(pool, project_id, now).await?;
    }
    Ok(ImportResult {
        dry_run: false,
        changes,
    })
}

/// Every rule on the document as a whole: clusters, custom roles (against the document's other roles and
/// its clusters), users (against its custom roles and clusters). Usernames are canonicalised.
fn check_document(document: &mut Backup, now: i64) -> Result<(), ApiError> {
    let prefixed = |prefix: String, error: ApiError| match error {
        ApiError::Rules { code, issues } => ApiError::Rules {
            code,
            issues: issues
                .into_iter()
                .map(|mut i| {
                    i.field = join_field(&prefix, &i.field);
                    i
                })
                .collect(),
        },
        other => other,
    };
    for (i, c) in document.clusters.iter().enumerate() {
        if let Err(errors) = cluster::validate_cluster(c, &document.clusters[..i]) {
            return Err(prefixed(
                format!("clusters[{i}]"),
                super::clusters::rules(&errors),
            ));
        }
    }
    let mut roles = document.custom_roles.clone();
    let last = roles.len().saturating_sub(1);
    for i in 0..roles.len() {
        roles.swap(i, last);
        let project = Project {
            roles: &roles[..last],
            clusters: &document.clusters,
        };
        if let Err(mut errors) = validate_custom_role(&roles[last], &project, Mode::Create) {
            for e in &mut errors {
                e.field = join_field(&format!("customRoles[{i}]"), &e.field);
            }
            return Err(super::custom_roles::refused(errors));
        }
        roles.swap(i, last);
    }
    let custom: Vec<String> = roles.into_iter().map(|r| r.role_name).collect();
    if !document.database_users.is_empty() && document.ca_bundle.is_none() {
        return Err(ApiError::Rules {
            code: "X509_AUTHENTICATION_NOT_ENABLED",
            issues: vec![
                issue(
                    "caBundle",
                    "X509_AUTHENTICATION_NOT_ENABLED",
                    "the document has database users but no CA bundle: certificate users need self-managed X.509 on".to_owned(),
                )
                .1,
            ],
        });
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, user) in document.database_users.iter_mut().enumerate() {
        let at = format!("databaseUsers[{i}]");
        let fail = |field: &str, code: &'static str, detail: String| ApiError::Rules {
            code,
            issues: vec![issue(&join_field(&at, field), code, detail).1],
        };
        if user.database_name != EXTERNAL_DATABASE {
            return Err(fail(
                "databaseName",
                "INVALID_DATABASE_NAME_FOR_X509_USER",
                format!(
                    "a certificate user's databaseName is $external, not {:?}",
                    user.database_name
                ),
            ));
        }
        if user.x509_type != X509Type::Customer {
            return Err(fail(
                "x509Type",
                "UNSUPPORTED_DATABASE_USER_TYPE",
                "this server manages self-managed X.509 users only (x509Type CUSTOMER)".to_owned(),
            ));
        }
        match parse_dn(&user.username) {
            Ok(dn) if dn.reversed_from().is_none() => user.username = dn.canonical().to_owned(),
            Ok(dn) => {
                return Err(fail(
                    "username",
                    "DN_NOT_IN_RFC2253_ORDER",
                    format!(
                        "the username is written most significant attribute first: send \"{}\"",
                        dn.canonical()
                    ),
                ))
            }
            Err(error) => {
                return Err(fail(
                    "username",
                    "INVALID_DN",
                    format!("the username is not a distinguished name: {error}"),
                ))
            }
        }
        if let Some(first) = seen.insert(user.username.clone(), i) {
            return Err(fail(
                "username",
                "DUPLICATE_DATABASE_USERNAME",
                format!(
                    "databaseUsers[{first}] has the same name ({})",
                    user.username
                ),
            ));
        }
        user.group_id = None;
        check_user_rules(user, &custom, &document.clusters, None, now)
            .map_err(|e| prefixed(at.clone(), e))?;
    }
    document
        .database_users
        .sort_by(|a, b| a.username.cmp(&b.username));
    Ok(())
}

fn join_field(prefix: &str, field: &str) -> String {
    if field.is_empty() {
        prefix.to_owned()
    } else if field.starts_with('[') {
        format!("{prefix}{field}")
    } else {
        format!("{prefix}.{field}")
    }
}

/// The document's alert settings as configurations, each built (and checked) by the rules of
/// `alertConfigs`, over the project's configuration at the same position (so its id, and a webhook's
/// secret for the same URL, are kept).
fn alert_settings_of(
    document: &Backup,
    current: &Snapshot,
    project_id: &str,
    now: i64,
) -> Result<Vec<AlertConfig>, ApiError> {
    document
        .alert_settings
        .iter()
        .enumerate()
        .map(|(i, setting)| {
            let body = serde_json::json!({
                "eventTypeName": setting.event_type_name,
                "enabled": setting.enabled,
                "threshold": {"operator": "LESS_THAN", "units": "DAYS", "threshold": setting.threshold_days},
                "notifications": setting.notifications,
            });
            let body: AlertConfigIn =
                serde_json::from_value(body).map_err(|e| ApiError::InvalidAttribute {
                    path: format!("alertSettings[{i}]"),
                    detail: format!("alertSettings[{i}]: {e}"),
                })?;
            build(body, current.alert_configs.get(i), false, project_id, now).map_err(|e| {
                match e {
                    ApiError::Rules { code, issues } => ApiError::Rules {
                        code,
                        issues: issues
                            .into_iter()
                            .map(|mut x| {
                                x.field = join_field(&format!("alertSettings[{i}]"), &x.field);
                                x
                            })
                            .collect(),
                    },
                    other => other,
                }
            })
        })
        .collect()
}

type AlertStep = (Change, Option<AlertConfig>, Option<AlertConfig>);

/// Position by position: update what differs, add the surplus of the document, remove the rest.
fn alert_plan(current: &[AlertConfig], incoming: &[AlertConfig]) -> Vec<AlertStep> {
    let same = |a: &AlertConfig, b: &AlertConfig| {
        a.event_type_name == b.event_type_name
            && a.enabled == b.enabled
            && a.threshold_days == b.threshold_days
            && a.notifications == b.notifications
    };
    let mut steps = Vec::new();
    for i in 0..current.len().max(incoming.len()) {
        let change = |kind| Change {
            target: ChangeTarget::AlertSetting,
            name: incoming
                .get(i)
                .or(current.get(i))
                .map(|c| format!("{} #{}", c.event_type_name, i + 1))
                .unwrap_or_default(),
            change: kind,
        };
        match (current.get(i), incoming.get(i)) {
            (Some(c), Some(n)) if !same(c, n) => steps.push((
                change(ChangeKind::Update),
                Some(c.clone()),
                Some(AlertConfig {
                    id: c.id.clone(),
                    created_at: c.created_at.clone(),
                    ..n.clone()
                }),
            )),
            (None, Some(n)) => steps.push((change(ChangeKind::Add), None, Some(n.clone()))),
            (Some(c), None) => steps.push((change(ChangeKind::Remove), Some(c.clone()), None)),
            _ => {}
        }
    }
    steps
}

/// `POST .../drift`: the deployment's state (the one-liner's output) against the project; `?cluster=`
/// compares with the users of that cluster only.
#[utoipa::path(
    post,
    path = "/groups/{groupId}/drift",
    tag = "Export and Import",
    operation_id = "getDeploymentDrift",
    summary = "Extension: what a self-managed deployment holds (mongosh's usersInfo/rolesInfo output) against the project; changes nothing.",
    params(
        super::group_id::GroupPath,
        ("cluster" = Option<String>, Query, description = "Only the users that may use this cluster of the project."),
    ),
    request_body(content = DeploymentState, example = json!({ "users": { "users": [{ "user": "CN=Jane Doe,O=Acme", "db": "$external", "roles": [{ "role": "read", "db": "sales" }] }], "ok": 1 }, "roles": { "roles": [], "ok": 1 } })),
    responses(
        (status = 200, description = "OK", body = access_core::drift::Drift),
    )
)]
pub async fn drift(
    State(state): State<AppState>,
    group_id: GroupId,
    ApiQuery(query): ApiQuery<ExportQuery>,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<Json<access_core::drift::Drift>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let mut conn = state.pool.acquire().await?;
    let snapshot = snapshot(&mut conn, &project.id, now_unix()).await?;
    drop(conn);
    drift_of(&snapshot, &body.to_string(), query.cluster.as_deref()).map(Json)
}

/// Drift of a deployment state (text) against a project's snapshot.
pub fn drift_of(
    snapshot: &Snapshot,
    state_text: &str,
    cluster: Option<&str>,
) -> Result<access_core::drift::Drift, ApiError> {
    let deployment = access_core::drift::parse_state(state_text).map_err(ApiError::Drift)?;
    let target = export::self_managed::target_state(&snapshot.access(), cluster)
        .map_err(ApiError::Export)?;
    Ok(access_core::drift::diff(&target, &deployment))
}
