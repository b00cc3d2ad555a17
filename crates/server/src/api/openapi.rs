//! The OpenAPI 3.0 document of the API, served at `/api/atlas/v2/openapi.json` (and under `/api/atlas/v1.0`).
//!
//! Written by hand with `serde_json` in this one module (no derive macros in `access-core`, so the
//! UI's Wasm is unchanged). It lists every route of [`super::router`] (a unit test compares them), every
//! status an operation answers, and the Atlas error envelope; `scripts/api-conformance` runs schemathesis
//! against the real server with it, so a response that drifts from the document fails `make test`.
//! Authentication (HTTP Digest with an API key, or a console session's bearer token) is declared as
//! security schemes, with 401 and 403 on every operation but this document itself.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::paging::MAX_ITEMS_PER_PAGE;

/// The versioned Atlas media type documented next to `application/json`.
pub const ATLAS_MEDIA_TYPE: &str = "application/vnd.atlas.2023-01-01+json";

static DOCUMENT: LazyLock<String> = LazyLock::new(|| document().to_string());

/// `GET /openapi.json`.
pub async fn serve() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
        .into_response()
}

/// The whole document.
pub fn document() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Access Console API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "A compatible subset of the MongoDB Atlas Admin API v2: self-managed X.509 \
                certificate authorities, certificate database users, custom roles, clusters, the activity \
                feed and CA-expiry alerts. Every error is the Atlas error envelope (`ApiError`). Send \
                `Accept: application/vnd.atlas.2023-01-01+json` (echoed back) or `application/json`."
        },
        "servers": [
            {"url": "/api/atlas/v2"},
            {"url": "/api/atlas/v1.0", "description": "the same resources, for older clients"}
        ],
        "security": [{"digestAuth": []}, {"bearerAuth": []}],
        "tags": [
            {"name": "Organizations"}, {"name": "Projects"}, {"name": "X.509 Authentication"}, {"name": "Database Users"},
            {"name": "Custom Database Roles"}, {"name": "Clusters"}, {"name": "Events"},
            {"name": "Alert Configurations"}, {"name": "Alerts"}, {"name": "Export and Import"},
            {"name": "Document"}
        ],
        "paths": paths(),
        "components": {
            "securitySchemes": {
                "digestAuth": {
                    "type": "http",
                    "scheme": "digest",
                    "description": "HTTP Digest with an API key: the public key as user name, the private key as password."
                },
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The token of a console session."
                }
            },
            "parameters": parameters(),
            "responses": error_responses(),
            "schemas": schemas()
        }
    })
}

/// `(path, method)` of every operation, in document order.
pub fn operations(document: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(paths) = document.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            if let Some(item) = item.as_object() {
                for method in item.keys() {
                    out.push((path.clone(), method.clone()));
                }
            }
        }
    }
    out
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn parameter_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/parameters/{name}") })
}

/// The same schema under both JSON media types.
fn content(schema: Value) -> Value {
    json!({
        "application/json": { "schema": schema.clone() },
        ATLAS_MEDIA_TYPE: { "schema": schema }
    })
}

/// The Atlas list envelope of `item`.
fn list_of(item: &str) -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["results", "links"],
        "properties": {
            "results": { "type": "array", "items": schema_ref(item) },
            "totalCount": {
                "type": "integer", "minimum": 0,
                "description": "Absent with `includeCount=false`."
            },
            "links": { "type": "array", "items": schema_ref("Link") }
        }
    })
}

/// What an operation answers when it succeeds.
enum Success {
    /// 200 or 201 with a JSON body.
    Json(u16, Value),
    /// 204 without a body.
    NoContent,
}

/// A request body, required, of `schema` with an example.
fn body(schema: &str, example: Value) -> Value {
    let mut media = Map::new();
    for media_type in ["application/json", ATLAS_MEDIA_TYPE] {
        media.insert(
            media_type.to_owned(),
            json!({ "schema": schema_ref(schema), "example": example.clone() }),
        );
    }
    json!({ "required": true, "content": media })
}

/// One operation. `errors`: the statuses of its own refusals; 401, 403, 406, 429, 500 and 503 are added to every
/// operation, 400, 413 and 415 to those with a body, 400 and 404 to those under `/groups/{groupId}`.
fn operation(
    tag: &str,
    id: &str,
    summary: &str,
    parameters: &[&str],
    request: Option<Value>,
    success: Success,
    errors: &[u16],
) -> Value {
    let mut responses = Map::new();
    match success {
        Success::Json(status, schema) => {
            responses.insert(
                status.to_string(),
                json!({ "description": "OK", "content": content(schema) }),
            );
        }
        Success::NoContent => {
            responses.insert("204".to_owned(), json!({ "description": "Done; no body." }));
        }
    }
    let mut statuses: Vec<u16> = errors.to_vec();
    statuses.extend([401, 403, 406, 429, 500, 503]);
    if request.is_some() {
        statuses.extend([400, 413, 415]);
    }
    if parameters.contains(&"groupId") || parameters.contains(&"orgId") {
        statuses.extend([400, 404]);
    }
    statuses.sort_unstable();
    statuses.dedup();
    for status in statuses {
        responses.insert(
            status.to_string(),
            json!({ "$ref": format!("#/components/responses/Error{status}") }),
        );
    }
    let mut op = json!({
        "tags": [tag],
        "operationId": id,
        "summary": summary,
        "parameters": parameters.iter().map(|p| parameter_ref(p)).collect::<Vec<_>>(),
        "responses": responses,
    });
    if let Some(request) = request {
        op["requestBody"] = request;
    }
    op
}

fn paths() -> Value {
    let mut all = base_paths();
    for more in [transfer_paths(), org_paths()] {
        if let (Value::Object(all), Value::Object(more)) = (&mut all, more) {
            all.extend(more);
        }
    }
    all
}

/// Organizations, and creating, renaming and deleting projects.
fn org_paths() -> Value {
    let paging = ["pageNum", "itemsPerPage", "includeCount"];
    let in_org = ["orgId", "pageNum", "itemsPerPage", "includeCount"];
    json!({
        "/orgs": {
            "get": operation("Organizations", "listOrganizations",
                "The organizations where the caller has a role.", &paging, None,
                Success::Json(200, list_of("Organization")), &[400])
        },
        "/orgs/{orgId}": {
            "get": operation("Organizations", "getOrganization", "One organization.", &["orgId"],
                None, Success::Json(200, schema_ref("Organization")), &[])
        },
        "/orgs/{orgId}/groups": {
            "get": operation("Organizations", "listOrganizationProjects",
                "The organization's projects the caller may see.", &in_org, None,
                Success::Json(200, list_of("Group")), &[])
        },
        "/orgs/{orgId}/apiKeys": {
            "get": operation("Programmatic API Keys", "listOrganizationApiKeys",
                "The organization's API keys (private keys masked).", &in_org, None,
                Success::Json(200, list_of("ApiKey")), &[]),
            "post": operation("Programmatic API Keys", "createOrganizationApiKey",
                "A key of the organization (`roles`: its organization role), in no project yet; the private key is in this answer only.",
                &["orgId"], Some(body("ApiKeyRequest", json!({ "desc": "terraform", "roles": ["ORG_MEMBER"] }))),
                Success::Json(201, schema_ref("ApiKey")), &[])
        },
        "/orgs/{orgId}/apiKeys/{apiUserId}": {
            "get": operation("Programmatic API Keys", "getOrganizationApiKey", "One key of the organization.",
                &["orgId", "apiUserId"], None, Success::Json(200, schema_ref("ApiKey")), &[]),
            "patch": operation("Programmatic API Keys", "updateOrganizationApiKey",
                "Changes the key's description or organization role.", &["orgId", "apiUserId"],
                Some(body("ApiKeyRequest", json!({ "roles": ["ORG_READ_ONLY"] }))),
                Success::Json(200, schema_ref("ApiKey")), &[]),
            "delete": operation("Programmatic API Keys", "deleteOrganizationApiKey",
                "Deletes the key, from every project: it is refused from then on.", &["orgId", "apiUserId"],
                None, Success::NoContent, &[])
        },
        "/orgs/{orgId}/apiKeys/{apiUserId}/accessList": {
            "get": operation("Programmatic API Keys", "listOrganizationApiKeyAccessListEntries",
                "The addresses the key may be used from.", &["orgId", "apiUserId", "pageNum", "itemsPerPage", "includeCount"],
                None, Success::Json(200, list_of("AccessListEntry")), &[]),
            "post": operation("Programmatic API Keys", "createOrganizationApiKeyAccessList",
                "Adds addresses or CIDR blocks; answers the whole list.", &["orgId", "apiUserId", "pageNum", "itemsPerPage", "includeCount"],
                Some(body("AccessListRequest", json!([{ "cidrBlock": "10.0.0.0/8" }]))),
                Success::Json(201, list_of("AccessListEntry")), &[])
        },
        "/orgs/{orgId}/apiKeys/{apiUserId}/accessList/{entry}": {
            "delete": operation("Programmatic API Keys", "deleteOrganizationApiKeyAccessListEntry",
                "Removes one entry.", &["orgId", "apiUserId", "entry"], None, Success::NoContent, &[])
        },
        "/orgs/{orgId}/events/{eventId}": {
            "get": operation("Organizations", "getOrganizationEvent", "One event of the organization.",
                &["orgId", "eventId"], None, Success::Json(200, schema_ref("OrgEvent")), &[404])
        },
        "/orgs/{orgId}/events": {
            "get": operation("Organizations", "listOrganizationEvents",
                "The organization's events (projects created, renamed, deleted; members' roles), newest first.",
                &in_org, None, Success::Json(200, list_of("OrgEvent")), &[])
        },
        "/groups": {
            "get": operation("Projects", "listProjects", "The projects the caller may see.",
                &paging, None, Success::Json(200, list_of("Group")), &[400]),
            "post": operation("Projects", "createProject",
                "A new project in an organization (ORG_OWNER or ORG_GROUP_CREATOR there); the caller becomes its Project Owner.",
                &[], Some(body("NewGroup", json!({ "name": "staging-eu", "orgId": "5f1a2b3c4d5e6f7a8b9c0d1f" }))),
                Success::Json(201, schema_ref("Group")), &[404, 409])
        },
        "/groups/byName/{groupName}": {
            "get": operation("Projects", "getProjectByName", "The project of that name.",
                &["groupName"], None, Success::Json(200, schema_ref("Group")), &[404])
        },
        "/groups/{groupId}": {
            "get": operation("Projects", "getProject", "One project.", &["groupId"], None,
                Success::Json(200, schema_ref("Group")), &[]),
            "patch": operation("Projects", "updateProject", "Renames the project (Project Owner).",
                &["groupId"], Some(body("GroupNameChange", json!({ "name": "production-eu" }))),
                Success::Json(200, schema_ref("Group")), &[409]),
            "delete": operation("Projects", "deleteProject",
                "Deletes the project with everything in it; refused while it has clusters (409).",
                &["groupId"], None, Success::NoContent, &[409])
        }
    })
}

/// Export, import and drift (extensions).
fn transfer_paths() -> Value {
    let mut export = operation("Export and Import", "exportProject",
        "Extension: the project's access as a file: `mongosh` (a script that makes a self-managed deployment match), \
         `terraform` (HCL for the mongodbatlas provider), `ca-bundle` (PEM), `mongod-conf` (TLS snippet and CA rotation \
         steps) or `json` (the whole project, for backup and import).",
        &["groupId", "exportFormat", "exportCluster"], None, Success::NoContent, &[400, 409]);
    let text = json!({ "schema": { "type": "string" } });
    export["responses"].as_object_mut().map(|r| r.remove("204"));
    export["responses"]["200"] = json!({
        "description": "The file (`Content-Disposition: attachment`).",
        "content": {
            "text/javascript; charset=utf-8": text.clone(),
            "text/plain; charset=utf-8": text.clone(),
            "application/x-pem-file": text,
            "application/json": { "schema": schema_ref("ProjectDocument") },
            ATLAS_MEDIA_TYPE: { "schema": schema_ref("ProjectDocument") }
        }
    });
    json!({
        "/groups/{groupId}/export": { "get": export },
        "/groups/{groupId}/import": {
            "post": operation("Export and Import", "importProject",
                "Extension: makes the project equal to a `json` export, in one transaction (`dryRun=true`: only says what would change).",
                &["groupId", "dryRun"],
                Some(body("ProjectDocument", json!({
                    "format": "access-console-project", "version": 1, "caBundle": null,
                    "clusters": [{ "name": "Cluster0", "mongoDBMajorVersion": "8.0" }],
                    "customRoles": [], "databaseUsers": [], "alertSettings": []
                }))),
                Success::Json(200, schema_ref("ImportResult")), &[409])
        },
        "/groups/{groupId}/drift": {
            "post": operation("Export and Import", "getDeploymentDrift",
                "Extension: what a self-managed deployment holds (mongosh's usersInfo/rolesInfo output) against the project; changes nothing.",
                &["groupId", "exportCluster"],
                Some(body("DeploymentState", json!({
                    "users": { "users": [{ "user": "CN=Jane Doe,O=Acme", "db": "$external", "roles": [{ "role": "read", "db": "sales" }] }], "ok": 1 },
                    "roles": { "roles": [], "ok": 1 }
                }))),
                Success::Json(200, schema_ref("Drift")), &[])
        }
    })
}

fn base_paths() -> Value {
    let paging = ["groupId", "pageNum", "itemsPerPage", "includeCount"];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        paging
            .iter()
            .copied()
            .chain(extra.iter().copied())
            .collect()
    };
    let user_example = json!({
        "databaseName": "$external",
        "username": "CN=John Roe,OU=Reporting,O=Acme",
        "x509Type": "CUSTOMER",
        "roles": [{ "roleName": "readWrite", "databaseName": "sales" }]
    });
    let role_example = json!({
        "roleName": "reporting",
        "actions": [{ "action": "FIND", "resources": [{ "db": "sales", "collection": "orders" }] }],
        "inheritedRoles": [{ "role": "read", "db": "reports" }]
    });
    let alert_config_example = json!({
        "eventTypeName": "CA_EXPIRING",
        "enabled": true,
        "threshold": { "operator": "LESS_THAN", "units": "DAYS", "threshold": 30 },
        "notifications": [{ "typeName": "EMAIL", "intervalMin": 1440, "delayMin": 0,
                            "emailAddress": "ops@example.com" }]
    });
    let user = ["groupId", "databaseName", "username"];
    let role = ["groupId", "roleName"];
    let alert_config = ["groupId", "alertConfigId"];
    let api_key = ["groupId", "apiUserId"];
    let api_key_example = json!({
        "desc": "deploy pipeline",
        "roles": ["GROUP_DATABASE_ACCESS_ADMIN"],
        "accessList": [{ "cidrBlock": "10.0.0.0/8" }]
    });
    json!({
        "/openapi.json": {
            "get": {
                "tags": ["Document"],
                "operationId": "getOpenApiDocument",
                "summary": "This document.",
                "security": [],
                "responses": {
                    "200": { "description": "OK", "content": content(json!({ "type": "object" })) },
                    "406": { "$ref": "#/components/responses/Error406" },
                    "500": { "$ref": "#/components/responses/Error500" }
                }
            }
        },
        "/groups/{groupId}/userSecurity": {
            "get": operation("X.509 Authentication", "getDatabaseUserSecurity",
                "The project's self-managed X.509 CA bundle and warnings about it.", &["groupId"], None,
                Success::Json(200, schema_ref("UserSecurity")), &[]),
            "patch": operation("X.509 Authentication", "updateDatabaseUserSecurity",
                "Saves the CA bundle (`customerX509.cas`) after checking every certificate.", &["groupId"],
                Some(body("UserSecurityUpdate", json!({ "customerX509": { "cas": "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n" } }))),
                Success::Json(200, schema_ref("UserSecurity")), &[])
        },
        "/groups/{groupId}/userSecurity/customerX509": {
            "delete": operation("X.509 Authentication", "disableCustomerManagedX509",
                "Turns self-managed X.509 authentication off.", &["groupId"], None,
                Success::Json(200, schema_ref("UserSecurity")), &[])
        },
        "/groups/{groupId}/databaseUsers": {
            "get": operation("Database Users", "listDatabaseUsers",
                "The certificate users, sorted by name.", &with(&["usernameFilter"]), None,
                Success::Json(200, list_of("DatabaseUser")), &[]),
            "post": operation("Database Users", "createDatabaseUser",
                "Adds a certificate user (self-managed X.509 must be on).", &["groupId"],
                Some(body("DatabaseUserRequest", user_example)),
                Success::Json(201, schema_ref("DatabaseUser")), &[409])
        },
        "/groups/{groupId}/databaseUsers/{databaseName}/{username}": {
            "get": operation("Database Users", "getDatabaseUser", "One user.", &user, None,
                Success::Json(200, schema_ref("DatabaseUser")), &[]),
            "patch": operation("Database Users", "updateDatabaseUser",
                "Changes roles, scopes, labels, description or expiry; never the name.", &user,
                Some(body("DatabaseUserRequest", json!({ "description": "reporting job" }))),
                Success::Json(200, schema_ref("DatabaseUser")), &[]),
            "delete": operation("Database Users", "deleteDatabaseUser", "Removes the user.", &user, None,
                Success::NoContent, &[])
        },
        "/groups/{groupId}/customDBRoles/roles": {
            "get": operation("Custom Database Roles", "listCustomDatabaseRoles",
                "Every custom role, ordered by name (a bare array, as Atlas).", &["groupId"], None,
                Success::Json(200, json!({ "type": "array", "items": schema_ref("CustomDbRole") })), &[]),
            "post": operation("Custom Database Roles", "createCustomDatabaseRole", "Adds a custom role.",
                &["groupId"], Some(body("CustomDbRoleRequest", role_example)),
                Success::Json(200, schema_ref("CustomDbRole")), &[409])
        },
        "/groups/{groupId}/customDBRoles/roles/{roleName}": {
            "get": operation("Custom Database Roles", "getCustomDatabaseRole", "One custom role.", &role, None,
                Success::Json(200, schema_ref("CustomDbRole")), &[]),
            "patch": operation("Custom Database Roles", "updateCustomDatabaseRole",
                "Replaces `actions` and/or `inheritedRoles`; never renames.", &role,
                Some(body("CustomDbRoleUpdate", json!({ "inheritedRoles": [{ "role": "read", "db": "sales" }] }))),
                Success::Json(200, schema_ref("CustomDbRole")), &[409]),
            "delete": operation("Custom Database Roles", "deleteCustomDatabaseRole",
                "Removes the role unless a role or user would be left with nothing.", &role, None,
                Success::NoContent, &[409])
        },
        "/groups/{groupId}/customDBRoles/roles/{roleName}/effectivePrivileges": {
            "get": operation("Custom Database Roles", "getCustomDatabaseRoleEffectivePrivileges",
                "Extension: every action the role grants, inheritance flattened.", &role, None,
                Success::Json(200, schema_ref("EffectivePrivileges")), &[])
        },
        "/groups/{groupId}/accessCheck": {
            "post": operation("Access Check", "checkAccess",
                "Extension: whether a client certificate (or a distinguished name) would connect, as which \
                 database user, and whether it may run the given actions. Changes nothing, records no event; \
                 every project role may call it.",
                &["groupId"],
                Some(body("AccessCheckRequest", json!({
                    "username": "CN=app,OU=billing,O=Acme",
                    "actions": ["FIND"], "database": "sales", "collection": "orders"
                }))),
                Success::Json(200, schema_ref("AccessCheck")), &[])
        },
        "/groups/{groupId}/clusters": {
            "get": operation("Clusters", "listClusters", "The project's clusters.", &with(&[]), None,
                Success::Json(200, list_of("Cluster")), &[]),
            "post": operation("Clusters", "createCluster", "Records a cluster (name and MongoDB major version).",
                &["groupId"], Some(body("ClusterRequest", json!({ "name": "Cluster1", "mongoDBMajorVersion": "8.0" }))),
                Success::Json(201, schema_ref("Cluster")), &[409])
        },
        "/groups/{groupId}/clusters/{clusterName}": {
            "get": operation("Clusters", "getCluster", "One cluster.", &["groupId", "clusterName"], None,
                Success::Json(200, schema_ref("Cluster")), &[]),
            "patch": operation("Clusters", "updateCluster",
                "Changes the MongoDB major version and (an extension) the member certificate subject; never the name.",
                &["groupId", "clusterName"],
                Some(body("ClusterRequest", json!({
                    "mongoDBMajorVersion": "8.3", "memberCertificateSubject": "CN=node1,OU=Servers,O=Acme"
                }))),
                Success::Json(200, schema_ref("Cluster")), &[]),
            "delete": operation("Clusters", "deleteCluster",
                "Removes the cluster unless a user's scopes name it.", &["groupId", "clusterName"], None,
                Success::NoContent, &[409])
        },
        "/groups/{groupId}/events": {
            "get": operation("Events", "listProjectEvents", "The activity feed, newest first.",
                &with(&["eventType", "minDate", "maxDate", "text"]), None,
                Success::Json(200, list_of("Event")), &[])
        },
        "/groups/{groupId}/alertConfigs": {
            "get": operation("Alert Configurations", "listAlertConfigurations", "The alert configurations.",
                &with(&[]), None, Success::Json(200, list_of("AlertConfig")), &[]),
            "post": operation("Alert Configurations", "createAlertConfiguration", "Adds an alert configuration.",
                &["groupId"], Some(body("AlertConfigRequest", alert_config_example.clone())),
                Success::Json(201, schema_ref("AlertConfig")), &[])
        },
        "/groups/{groupId}/alertConfigs/{alertConfigId}": {
            "get": operation("Alert Configurations", "getAlertConfiguration", "One alert configuration.",
                &alert_config, None, Success::Json(200, schema_ref("AlertConfig")), &[]),
            "put": operation("Alert Configurations", "updateAlertConfiguration", "Replaces the configuration.",
                &alert_config, Some(body("AlertConfigRequest", alert_config_example)),
                Success::Json(200, schema_ref("AlertConfig")), &[]),
            "patch": operation("Alert Configurations", "toggleAlertConfiguration",
                "Changes the attributes the body names.", &alert_config,
                Some(body("AlertConfigRequest", json!({ "enabled": false }))),
                Success::Json(200, schema_ref("AlertConfig")), &[]),
            "delete": operation("Alert Configurations", "deleteAlertConfiguration", "Removes the configuration.",
                &alert_config, None, Success::NoContent, &[])
        },
        "/groups/{groupId}/alertConfigs/{alertConfigId}/test": {
            "post": operation("Alert Configurations", "testAlertConfiguration",
                "Extension: sends a test delivery to each webhook of the configuration now.", &alert_config,
                None, Success::Json(200, schema_ref("WebhookTestResults")), &[400])
        },
        "/groups/{groupId}/alerts": {
            "get": operation("Alerts", "listAlerts", "The alerts, newest first.", &with(&["status"]), None,
                Success::Json(200, list_of("Alert")), &[])
        },
        "/groups/{groupId}/apiKeys": {
            "get": operation("Programmatic API Keys", "listProjectApiKeys",
                "The project's API keys (private keys masked).", &with(&[]), None,
                Success::Json(200, list_of("ApiKey")), &[]),
            "post": operation("Programmatic API Keys", "createProjectApiKey",
                "Creates an API key with project roles; the answer is the only one with the private key.",
                &["groupId"], Some(body("ApiKeyRequest", api_key_example.clone())),
                Success::Json(201, schema_ref("ApiKey")), &[])
        },
        "/groups/{groupId}/apiKeys/{apiUserId}": {
            "get": operation("Programmatic API Keys", "getProjectApiKey", "One API key (private key masked).",
                &api_key, None, Success::Json(200, schema_ref("ApiKey")), &[]),
            "patch": operation("Programmatic API Keys", "updateProjectApiKey",
                "Changes the key's description or project roles.", &api_key,
                Some(body("ApiKeyRequest", json!({ "roles": ["GROUP_OWNER"] }))),
                Success::Json(200, schema_ref("ApiKey")), &[]),
            "post": operation("Programmatic API Keys", "addProjectApiKey",
                "Assigns a key of the project's organization to the project with these project roles.",
                &api_key, Some(body("ApiKeyAssignment", json!({ "roles": ["GROUP_READ_ONLY"] }))),
                Success::Json(200, schema_ref("ApiKey")), &[]),
            "delete": operation("Programmatic API Keys", "removeProjectApiKey",
                "Takes the key out of the project (it stays its organization's).", &api_key, None,
                Success::NoContent, &[])
        },
        "/groups/{groupId}/apiKeys/{apiUserId}/accessList": {
            "get": operation("Programmatic API Keys", "listApiKeyAccessListEntries",
                "Extension (Atlas has it under /orgs): the addresses the key may be used from.",
                &with(&["apiUserId"]), None, Success::Json(200, list_of("AccessListEntry")), &[]),
            "post": operation("Programmatic API Keys", "createApiKeyAccessList",
                "Extension (Atlas has it under /orgs): adds addresses or CIDR blocks; answers the whole list.",
                &with(&["apiUserId"]),
                Some(body("AccessListRequest", json!([{ "cidrBlock": "10.0.0.0/8" }, { "ipAddress": "192.0.2.7" }]))),
                Success::Json(201, list_of("AccessListEntry")), &[])
        },
        "/groups/{groupId}/apiKeys/{apiUserId}/accessList/{entry}": {
            "delete": operation("Programmatic API Keys", "deleteApiKeyAccessListEntry",
                "Extension (Atlas has it under /orgs): removes one entry.",
                &["groupId", "apiUserId", "entry"], None, Success::NoContent, &[])
        },
        "/groups/{groupId}/alerts/{alertId}": {
            "get": operation("Alerts", "getAlert", "One alert.", &["groupId", "alertId"], None,
                Success::Json(200, schema_ref("Alert")), &[]),
            "patch": operation("Alerts", "acknowledgeAlert",
                "Acknowledges an open alert until a time (`null`: no longer acknowledged).",
                &["groupId", "alertId"],
                Some(body("AlertAcknowledgement", json!({ "acknowledgedUntil": "2030-01-01T00:00:00Z", "acknowledgementComment": "renewing" }))),
                Success::Json(200, schema_ref("Alert")), &[409])
        }
    })
}

fn path_parameter(name: &str, description: &str, schema: Value, example: &str) -> Value {
    json!({
        "name": name, "in": "path", "required": true, "description": description,
        "schema": schema, "example": example
    })
}

fn query_parameter(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

fn parameters() -> Value {
    let text = json!({ "type": "string", "minLength": 1 });
    json!({
        "groupId": path_parameter("groupId", "The project: 24 lowercase hexadecimal characters.",
            json!({ "type": "string", "pattern": "^[0-9a-f]{24}$" }), "5f1a2b3c4d5e6f7a8b9c0d1e"),
        "orgId": path_parameter("orgId", "The organization: 24 lowercase hexadecimal characters.",
            json!({ "type": "string", "pattern": "^[0-9a-f]{24}$" }), "5f1a2b3c4d5e6f7a8b9c0d1f"),
        "groupName": path_parameter("groupName", "The project's name.", text.clone(), "Project 0"),
        "eventId": path_parameter("eventId", "An event's ID.", text.clone(), "5f1a2b3c4d5e6f7a8b9c0d20"),
        "databaseName": path_parameter("databaseName", "`$external` for certificate users.",
            text.clone(), "$external"),
        "username": path_parameter("username",
            "The user's distinguished name, percent-encoded; any typing of it finds the user.",
            text.clone(), "CN=Jane Doe,O=Acme"),
        "roleName": path_parameter("roleName", "The custom role's name.", text.clone(), "analyst"),
        "clusterName": path_parameter("clusterName", "The cluster's name.", text.clone(), "Cluster0"),
        "alertConfigId": path_parameter("alertConfigId", "The alert configuration.", text.clone(),
            "6a1b2c3d4e5f6a7b8c9d0e1f"),
        "alertId": path_parameter("alertId", "The alert.", text.clone(), "6a1b2c3d4e5f6a7b8c9d0e2a"),
        "apiUserId": path_parameter("apiUserId", "The API key's id (24 hexadecimal characters).",
            text.clone(), "6a1b2c3d4e5f6a7b8c9d0e3b"),
        "entry": path_parameter("entry",
            "An access list entry: an IP address or a CIDR block, percent-encoded (`10.0.0.0%2F8`).",
            text, "10.0.0.0%2F8"),
        "pageNum": query_parameter("pageNum", "The page, from 1.",
            json!({ "type": "integer", "minimum": 1, "maximum": u32::MAX, "default": 1 })),
        "itemsPerPage": query_parameter("itemsPerPage", "Items per page.",
            json!({ "type": "integer", "minimum": 1, "maximum": MAX_ITEMS_PER_PAGE, "default": 100 })),
        "includeCount": query_parameter("includeCount", "Whether the answer has `totalCount`.",
            json!({ "type": "boolean", "default": true })),
        "usernameFilter": query_parameter("username", "Part of the user's name, case ignored.",
            json!({ "type": "string" })),
        "eventType": {
            "name": "eventType", "in": "query", "required": false, "style": "form", "explode": true,
            "description": "Only events of these types (repeatable).",
            "schema": { "type": "array", "items": schema_ref("EventType") }
        },
        "minDate": query_parameter("minDate", "Only events at or after this time (RFC 3339).",
            json!({ "type": "string", "format": "date-time" })),
        "maxDate": query_parameter("maxDate", "Only events at or before this time (RFC 3339).",
            json!({ "type": "string", "format": "date-time" })),
        "text": query_parameter("text", "Extension: part of the event's target or actor, case ignored.",
            json!({ "type": "string", "maxLength": 200 })),
        "exportFormat": {
            "name": "format", "in": "query", "required": true, "description": "The file to make.",
            "schema": one_of(&["mongosh", "terraform", "ca-bundle", "mongod-conf", "json"])
        },
        "exportCluster": query_parameter("cluster",
            "mongosh (and drift) only: just the users that may use this cluster of the project.",
            json!({ "type": "string" })),
        "dryRun": query_parameter("dryRun", "Only list what would change; write nothing.",
            json!({ "type": "boolean", "default": false })),
        "status": query_parameter("status", "Only alerts in this status.",
            json!({ "type": "string", "enum": ["OPEN", "CLOSED"] }))
    })
}

fn error_responses() -> Value {
    let mut responses = Map::new();
    for (status, description) in [
        (
            400,
            "Bad Request: the path, query or body breaks a rule (`errorCode` says which).",
        ),
        (
            401,
            "Unauthorized: no valid credentials (HTTP Digest with an API key, or a session token).",
        ),
        (
            403,
            "Forbidden: the credentials do not allow this on this project.",
        ),
        (404, "Not Found: no such project or resource."),
        (
            406,
            "Not Acceptable: `Accept` asks for an Atlas media type this API does not serve.",
        ),
        (
            409,
            "Conflict: the change clashes with the project's state (duplicate, in use, X.509 off).",
        ),
        (413, "Payload Too Large: the body is over 4 MiB."),
        (
            429,
            "Too Many Requests: the API key sent more than its rate limit allows; `Retry-After` says when to \
             send again.",
        ),
        (415, "Unsupported Media Type: the body is not sent as JSON."),
        (
            500,
            "Internal Server Error: a fault of the server itself; logged.",
        ),
        (
            503,
            "Service Unavailable: the database is busy (`DATABASE_BUSY`); nothing was changed; `Retry-After` \
             says when to send again.",
        ),
    ] {
        let mut response =
            json!({ "description": description, "content": content(schema_ref("ApiError")) });
        if status == 401 {
            response["headers"] = json!({
                "WWW-Authenticate": {
                    "description": "The authentication schemes the server takes.",
                    "schema": { "type": "string" }
                }
            });
        }
        responses.insert(format!("Error{status}"), response);
    }
    Value::Object(responses)
}

/// A string enum.
fn one_of(values: &[&str]) -> Value {
    json!({ "type": "string", "enum": values })
}

/// An object that takes only `properties`, of which `required` must be present.
fn object(required: &[&str], properties: Value) -> Value {
    json!({ "type": "object", "additionalProperties": false, "required": required, "properties": properties })
}

fn string() -> Value {
    json!({ "type": "string" })
}

fn nullable_string() -> Value {
    json!({ "type": "string", "nullable": true })
}

fn array_of(item: Value) -> Value {
    json!({ "type": "array", "items": item })
}

fn schemas() -> Value {
    let mut all = Map::new();
    for part in [
        core_schemas(),
        user_schemas(),
        role_schemas(),
        access_check_schemas(),
        alert_schemas(),
        api_key_schemas(),
        transfer_schemas(),
    ] {
        if let Value::Object(part) = part {
            all.extend(part);
        }
    }
    Value::Object(all)
}

fn transfer_schemas() -> Value {
    let change = object(
        &["target", "name", "change"],
        json!({
            "target": one_of(&["CA_BUNDLE", "CLUSTER", "CUSTOM_ROLE", "DATABASE_USER", "ALERT_SETTING"]),
            "name": string(),
            "change": one_of(&["ADD", "UPDATE", "REMOVE"])
        }),
    );
    let entry = object(
        &["kind", "name"],
        json!({
            "kind": one_of(&["USER", "ROLE"]), "name": string(),
            "adopt": { "type": "object", "description": "The body of the create API that adopts it into the project." }
        }),
    );
    let detail = json!({
        "type": "object", "required": ["what", "side"],
        "properties": {
            "what": one_of(&["action", "role"]),
            "side": one_of(&["onlyInProject", "onlyInDeployment"]),
            "action": string(), "resource": string(), "role": string()
        }
    });
    json!({
        "ProjectDocument": {
            "type": "object",
            "required": ["format", "version", "caBundle", "clusters", "customRoles", "databaseUsers", "alertSettings"],
            "description": "A whole project (`access_core::export::backup`): never events, accounts, keys or webhook secrets.",
            "properties": {
                "format": { "type": "string", "enum": ["access-console-project"] },
                "version": { "type": "integer", "enum": [1] },
                "caBundle": nullable_string(),
                "clusters": array_of(json!({ "type": "object" })),
                "customRoles": array_of(json!({ "type": "object" })),
                "databaseUsers": array_of(json!({ "type": "object" })),
                "alertSettings": array_of(json!({ "type": "object" }))
            }
        },
        "ImportResult": object(&["dryRun", "changes"], json!({
            "dryRun": { "type": "boolean" }, "changes": array_of(change)
        })),
        "DeploymentState": {
            "type": "object", "required": ["users", "roles"],
            "description": "What `mongosh --eval 'EJSON.stringify({users: db.getSiblingDB(\"$external\").getUsers(), roles: db.getSiblingDB(\"admin\").getRoles({showPrivileges: true, showBuiltinRoles: false})})'` prints.",
            "properties": { "users": {}, "roles": {} }
        },
        "Drift": object(&["onlyInProject", "onlyInDeployment", "different", "fix"], json!({
            "onlyInProject": array_of(entry.clone()),
            "onlyInDeployment": array_of(entry),
            "different": array_of(object(&["kind", "name", "details"], json!({
                "kind": one_of(&["USER", "ROLE"]), "name": string(), "details": array_of(detail)
            }))),
            "fix": { "type": "string", "description": "mongosh lines that bring the deployment back (removals as comments)." }
        }))
    })
}

fn core_schemas() -> Value {
    json!({
        "ApiError": object(&["detail", "error", "errorCode", "parameters", "reason"], json!({
            "detail": string(),
            "error": { "type": "integer", "description": "The HTTP status." },
            "errorCode": { "type": "string", "description": "Stable; clients may match on it." },
            "parameters": { "type": "array", "items": {} },
            "reason": { "type": "string", "description": "The status's reason phrase." },
            "requestId": {
                "type": "string",
                "description": "Extension: the request's id (its X-Request-Id header), to quote when reporting."
            },
            "problems": {
                "type": "array", "items": schema_ref("BundleProblem"),
                "description": "Extension: what exactly is wrong with a refused CA bundle, block by block."
            },
            "errors": {
                "type": "array", "items": schema_ref("FieldIssue"),
                "description": "Extension: every rule the request breaks, each with its field."
            }
        })),
        "FieldIssue": object(&["field", "errorCode", "detail"], json!({
            "field": string(), "errorCode": string(), "detail": string()
        })),
        "BundleProblem": object(&["code", "block", "line", "message"], json!({
            "code": one_of(&["bad_base64", "missing_end", "missing_begin", "label_mismatch",
                "not_a_certificate", "not_der", "private_key", "unsupported_block", "no_certificates"]),
            "block": { "type": "integer", "minimum": 0 },
            "line": { "type": "integer", "minimum": 0 },
            "message": string()
        })),
        "Link": object(&["rel", "href"], json!({ "rel": string(), "href": string() })),
        "Group": object(&["id", "name", "orgId", "created", "clusterCount"], json!({
            "id": { "type": "string", "pattern": "^[0-9a-f]{24}$" },
            "name": string(),
            "orgId": string(),
            "created": { "type": "string", "format": "date-time" },
            "clusterCount": { "type": "integer", "minimum": 0 }
        })),
        "Organization": object(&["id", "name", "isDeleted"], json!({
            "id": { "type": "string", "pattern": "^[0-9a-f]{24}$" },
            "name": string(),
            "isDeleted": { "type": "boolean" }
        })),
        "NewGroup": {
            "type": "object",
            "required": ["name"],
            "description": "Other Atlas attributes (e.g. `withDefaultAlertsSettings`) are accepted and ignored.",
            "properties": {
                "name": { "type": "string", "minLength": 1, "maxLength": 64, "description": "Letters, digits, spaces, `-` and `_`." },
                "orgId": { "type": "string", "pattern": "^[0-9a-f]{24}$",
                    "description": "May be left out by a caller in one organization." }
            }
        },
        "GroupNameChange": {
            "type": "object",
            "required": ["name"],
            "properties": { "name": { "type": "string", "minLength": 1, "maxLength": 64 } }
        },
        "OrgEvent": object(&["id", "created", "eventTypeName", "orgId", "username", "target", "diff"], json!({
            "id": string(),
            "created": { "type": "string", "format": "date-time" },
            "eventTypeName": one_of(&["GROUP_CREATED", "GROUP_RENAMED", "GROUP_DELETED", "ORG_MEMBER_ROLE_CHANGED",
                "API_KEY_CREATED", "API_KEY_DELETED", "API_KEY_DESCRIPTION_CHANGED", "API_KEY_ROLES_CHANGED",
                "API_KEY_ACCESS_LIST_ENTRY_ADDED", "API_KEY_ACCESS_LIST_ENTRY_DELETED"]),
            "orgId": string(),
            "groupId": string(),
            "username": { "type": "string", "description": "Who made the change." },
            "target": string(),
            "diff": { "type": "object", "properties": { "before": {}, "after": {} } }
        })),
        "UserSecurity": object(&["customerX509"], json!({
            "customerX509": object(&[], json!({
                "cas": { "type": "string", "description": "The PEM bundle; absent when X.509 is off." },
                "warnings": array_of(schema_ref("CaWarning"))
            }))
        })),
        "CaWarning": object(&["certificate", "subject", "code", "message"], json!({
            "certificate": { "type": "integer", "minimum": 0 },
            "subject": string(),
            "code": one_of(&["expired", "not_yet_valid", "expires_soon", "not_a_ca", "weak_key",
                "weak_signature", "duplicate"]),
            "message": string()
        })),
        "UserSecurityUpdate": {
            "type": "object", "additionalProperties": false,
            "description": "`ldap` and `customerX509.warnings` are accepted and ignored.",
            "properties": {
                "customerX509": {
                    "type": "object", "nullable": true, "additionalProperties": false,
                    "properties": { "cas": nullable_string(), "warnings": {} }
                },
                "ldap": {}
            }
        },
        "Cluster": object(&["groupId", "name", "mongoDBMajorVersion"], json!({
            "groupId": string(), "name": string(), "mongoDBMajorVersion": string(),
            "memberCertificateSubject": { "type": "string",
                "description": "Extension: the RFC 2253 subject of the deployment's member certificates; absent when not recorded." }
        })),
        "ClusterRequest": object(&[], json!({
            "name": nullable_string(), "mongoDBMajorVersion": nullable_string(),
            "memberCertificateSubject": { "type": "string", "nullable": true,
                "description": "Extension: the member certificates' subject (RFC 2253); null or empty clears it." },
            "groupId": {}, "links": {}
        })),
        "EventType": one_of(&crate::storage::events::EventType::ALL.map(|t| t.name())),
        "Event": object(&["id", "created", "eventTypeName", "groupId", "username", "target", "diff"], json!({
            "id": string(),
            "created": { "type": "string", "format": "date-time" },
            "eventTypeName": schema_ref("EventType"),
            "groupId": string(),
            "orgId": { "type": "string", "description": "The project's organization." },
            "username": { "type": "string", "description": "Who made the change." },
            "target": string(),
            "diff": { "type": "object", "properties": { "before": {}, "after": {} } }
        }))
    })
}

fn user_schemas() -> Value {
    let kinds = |values: &[&str]| one_of(values);
    json!({
        "UserRole": object(&["roleName", "databaseName"], json!({
            "roleName": string(), "databaseName": string(), "collectionName": string()
        })),
        "UserScope": object(&["name", "type"], json!({
            "name": string(), "type": one_of(&["CLUSTER", "DATA_LAKE"])
        })),
        "UserLabel": object(&["key", "value"], json!({ "key": string(), "value": string() })),
        "DatabaseUser": object(&["groupId", "databaseName", "username", "x509Type", "awsIAMType",
            "ldapAuthType", "oidcAuthType", "roles", "scopes", "labels"], json!({
            "groupId": string(),
            "databaseName": string(),
            "username": string(),
            "x509Type": kinds(&["NONE", "CUSTOMER", "MANAGED"]),
            "awsIAMType": kinds(&["NONE", "USER", "ROLE"]),
            "ldapAuthType": kinds(&["NONE", "USER", "GROUP"]),
            "oidcAuthType": kinds(&["NONE", "IDP_GROUP", "USER"]),
            "roles": array_of(schema_ref("UserRole")),
            "scopes": array_of(schema_ref("UserScope")),
            "labels": array_of(schema_ref("UserLabel")),
            "description": string(),
            "deleteAfterDate": { "type": "string", "format": "date-time" }
        })),
        "DatabaseUserRequest": {
            "type": "object", "additionalProperties": false,
            "description": "A POST needs `databaseName`, `username` and `x509Type: CUSTOMER`; a PATCH changes \
                what it names. `groupId` and `links` are accepted and ignored.",
            "properties": {
                "groupId": {}, "links": {},
                "databaseName": nullable_string(),
                "username": nullable_string(),
                "x509Type": { "type": "string", "nullable": true, "enum": ["NONE", "CUSTOMER", "MANAGED", null] },
                "awsIAMType": { "type": "string", "nullable": true, "enum": ["NONE", "USER", "ROLE", null] },
                "ldapAuthType": { "type": "string", "nullable": true, "enum": ["NONE", "USER", "GROUP", null] },
                "oidcAuthType": { "type": "string", "nullable": true, "enum": ["NONE", "IDP_GROUP", "USER", null] },
                "password": { "description": "Refused: password users are not supported." },
                "roles": { "type": "array", "nullable": true, "items": schema_ref("UserRole") },
                "scopes": { "type": "array", "nullable": true, "items": schema_ref("UserScope") },
                "labels": { "type": "array", "nullable": true, "items": schema_ref("UserLabel") },
                "description": nullable_string(),
                "deleteAfterDate": nullable_string()
            }
        }
    })
}

fn role_schemas() -> Value {
    let resource = json!({
        "type": "object", "additionalProperties": false,
        "description": "`{\"db\", \"collection\"}`; `collection: \"\"` for a database; `{\"cluster\": true}`.",
        "properties": {
            "db": nullable_string(), "collection": nullable_string(),
            "cluster": { "type": "boolean", "nullable": true }
        }
    });
    let action = json!({
        "type": "object", "additionalProperties": false,
        "properties": {
            "action": { "type": "string", "description": "API name, e.g. FIND." },
            "resources": array_of(resource)
        }
    });
    let inherited = json!({
        "type": "object", "additionalProperties": false,
        "properties": { "role": string(), "db": string() }
    });
    json!({
        "CustomDbRole": object(&["roleName", "actions", "inheritedRoles"], json!({
            "roleName": string(),
            "actions": array_of(object(&["action", "resources"], json!({
                "action": string(),
                "resources": array_of(object(&[], json!({
                    "db": string(), "collection": string(), "cluster": { "type": "boolean" }
                })))
            }))),
            "inheritedRoles": array_of(object(&["role", "db"], json!({ "role": string(), "db": string() })))
        })),
        "CustomDbRoleRequest": {
            "type": "object", "additionalProperties": false,
            "properties": {
                "roleName": string(),
                "actions": array_of(action.clone()),
                "inheritedRoles": array_of(inherited.clone())
            }
        },
        "CustomDbRoleUpdate": {
            "type": "object", "additionalProperties": false,
            "description": "What is absent (or null) stays as it was; `roleName`, when sent, must be the role's.",
            "properties": {
                "roleName": nullable_string(),
                "actions": { "type": "array", "nullable": true, "items": action },
                "inheritedRoles": { "type": "array", "nullable": true, "items": inherited }
            }
        },
        "EffectivePrivileges": object(&["roleName", "privileges"], json!({
            "roleName": string(),
            "privileges": array_of(object(&["action", "resource", "via"], json!({
                "action": string(),
                "apiName": string(),
                "resource": object(&["kind"], json!({
                    "kind": one_of(&["cluster", "database", "collection", "anyDatabase",
                        "anyDatabaseCollection", "anyResource"]),
                    "db": string(),
                    "collection": string()
                })),
                "via": array_of(string())
            })))
        }))
    })
}

fn access_check_schemas() -> Value {
    let path = array_of(string());
    json!({
        "AccessCheckRequest": {
            "type": "object", "additionalProperties": false,
            "description": "`certificate` (PEM, at most 64 KiB; a private key in it is never read) or `username` \
                (a distinguished name), not both.",
            "properties": {
                "certificate": nullable_string(),
                "username": nullable_string(),
                "cluster": nullable_string(),
                "actions": { "type": "array", "maxItems": 64, "items": string(),
                    "description": "Atlas action names, as in custom roles (FIND, INSERT, ...)." },
                "database": nullable_string(),
                "collection": nullable_string()
            }
        },
        "AccessCheck": object(&["username", "user", "steps", "authorization", "effectivePrivileges",
            "nearestUsers", "connectsAndAllowed"], json!({
            "username": nullable_string(),
            "user": { "type": "object", "nullable": true, "description": "The database user (as GET answers it)." },
            "steps": array_of(object(&["step", "result", "code", "detail"], json!({
                "step": one_of(&["certificate", "client_use", "chain", "cluster_member", "user", "authorization"]),
                "result": one_of(&["pass", "warn", "fail"]),
                "code": string(),
                "detail": string()
            }))),
            "authorization": {
                "type": "object", "nullable": true, "additionalProperties": false,
                "required": ["allowed", "grants", "missing", "suggestions"],
                "properties": {
                    "allowed": { "type": "boolean" },
                    "grants": array_of(object(&["action", "resource", "path"], json!({
                        "action": string(), "resource": string(), "path": path.clone()
                    }))),
                    "missing": array_of(object(&["action", "resource", "code", "detail", "held"], json!({
                        "action": string(), "resource": string(),
                        "code": one_of(&["not_granted", "needs_newer_version"]),
                        "detail": string(), "held": array_of(string())
                    }))),
                    "suggestions": array_of(object(&["action", "role", "db", "builtIn"], json!({
                        "action": string(), "role": string(), "db": string(), "builtIn": { "type": "boolean" }
                    })))
                }
            },
            "effectivePrivileges": array_of(object(&["action", "resource", "path"], json!({
                "action": string(), "resource": string(), "path": path
            }))),
            "nearestUsers": array_of(object(&["username", "difference", "detail"], json!({
                "username": string(),
                "difference": object(&["kind"], json!({
                    "kind": one_of(&["order", "spacingOrCase", "extraAttribute", "missingAttribute"]),
                    "attribute": string()
                })),
                "detail": string()
            }))),
            "connectsAndAllowed": { "type": "boolean" }
        }))
    })
}

fn api_key_schemas() -> Value {
    let roles = one_of(&[
        "GROUP_OWNER",
        "GROUP_DATABASE_ACCESS_ADMIN",
        "GROUP_READ_ONLY",
    ]);
    let entry_in = json!({
        "type": "object", "additionalProperties": false,
        "description": "Exactly one of `ipAddress` and `cidrBlock`.",
        "properties": { "ipAddress": string(), "cidrBlock": string(), "created": {}, "links": {} }
    });
    json!({
        "ApiKeyRole": object(&["roleName"], json!({
            "groupId": { "type": "string", "description": "A project role's project." },
            "orgId": { "type": "string", "description": "An organization role's organization." },
            "roleName": { "type": "string", "enum": ["GROUP_OWNER", "GROUP_DATABASE_ACCESS_ADMIN",
                "GROUP_READ_ONLY", "ORG_OWNER", "ORG_GROUP_CREATOR", "ORG_READ_ONLY", "ORG_MEMBER"] }
        })),
        "ApiKeyAssignment": { "oneOf": [
            object(&["roles"], json!({ "roles": { "type": "array", "items": roles.clone() }, "apiUserId": nullable_string() })),
            { "type": "array", "items": object(&["roles"], json!({ "roles": { "type": "array", "items": roles.clone() }, "apiUserId": nullable_string() })) }
        ] },
        "AccessListEntry": object(&["cidrBlock", "created"], json!({
            "cidrBlock": string(), "ipAddress": string(),
            "created": { "type": "string", "format": "date-time" },
            "links": { "type": "array", "items": schema_ref("Link") }
        })),
        "ApiKey": object(&["id", "desc", "publicKey", "privateKey", "roles", "accessList", "links"], json!({
            "id": string(),
            "desc": string(),
            "publicKey": string(),
            "privateKey": { "type": "string",
                "description": "In full only in the answer to the POST that created the key; masked after." },
            "roles": array_of(schema_ref("ApiKeyRole")),
            "accessList": array_of(object(&["cidrBlock", "created"], json!({
                "cidrBlock": string(), "ipAddress": string(),
                "created": { "type": "string", "format": "date-time" }
            }))),
            "created": { "type": "string", "format": "date-time" },
            "createdBy": string(),
            "links": { "type": "array", "items": schema_ref("Link") }
        })),
        "ApiKeyRequest": {
            "type": "object", "additionalProperties": false,
            "description": "A POST needs `desc` and `roles`; a PATCH changes what it names. Read-only \
                attributes are accepted and ignored.",
            "properties": {
                "desc": nullable_string(),
                "roles": { "type": "array", "nullable": true, "items": { "oneOf": [
                    { "type": "string", "description": "A project role (project keys) or an organization role (organization keys)." },
                    { "type": "object", "required": ["roleName"], "properties": {
                        "roleName": string(), "groupId": nullable_string() } }
                ] } },
                "accessList": { "type": "array", "nullable": true, "items": entry_in.clone() },
                "id": {}, "publicKey": {}, "privateKey": {}, "links": {}, "created": {}, "createdBy": {}
            }
        },
        "AccessListRequest": array_of(entry_in)
    })
}

fn alert_schemas() -> Value {
    let notification_in = json!({
        "type": "object", "additionalProperties": false,
        "properties": {
            "typeName": nullable_string(),
            "intervalMin": { "type": "integer", "nullable": true, "format": "int64" },
            "delayMin": { "type": "integer", "nullable": true, "format": "int64" },
            "emailAddress": nullable_string(),
            "webhookUrl": nullable_string(),
            "webhookSecret": { "type": "string", "nullable": true, "description": "Write-only." },
            "webhookSecretSet": { "description": "Read-only; accepted and ignored." }
        }
    });
    json!({
        "AlertConfig": object(&["id", "groupId", "eventTypeName", "enabled", "threshold", "notifications",
            "created", "updated"], json!({
            "id": string(),
            "groupId": string(),
            "eventTypeName": one_of(&["CA_EXPIRING"]),
            "enabled": { "type": "boolean" },
            "threshold": object(&["operator", "units", "threshold"], json!({
                "operator": one_of(&["LESS_THAN"]),
                "units": one_of(&["DAYS"]),
                "threshold": { "type": "integer", "minimum": 1, "maximum": 365 }
            })),
            "notifications": array_of(object(&["typeName", "intervalMin", "delayMin"], json!({
                "typeName": one_of(&["EMAIL", "WEBHOOK", "GROUP"]),
                "intervalMin": { "type": "integer", "minimum": 0 },
                "delayMin": { "type": "integer", "minimum": 0 },
                "emailAddress": string(),
                "webhookUrl": string(),
                "webhookHost": { "type": "string", "description": "Instead of `webhookUrl` for a Read Only caller: the URL's host only (the URL of a chat webhook is its credential)." },
                "webhookSecretSet": { "type": "boolean" }
            }))),
            "created": { "type": "string", "format": "date-time" },
            "updated": { "type": "string", "format": "date-time" }
        })),
        "AlertConfigRequest": {
            "type": "object", "additionalProperties": false,
            "description": "POST needs `eventTypeName` and `notifications`; PUT replaces; PATCH changes what it \
                names. `id`, `groupId`, `created`, `updated` and `links` are accepted and ignored.",
            "properties": {
                "id": {}, "groupId": {}, "created": {}, "updated": {}, "links": {},
                "eventTypeName": nullable_string(),
                "enabled": { "type": "boolean", "nullable": true },
                "threshold": {
                    "type": "object", "nullable": true, "additionalProperties": false,
                    "properties": {
                        "operator": nullable_string(),
                        "units": nullable_string(),
                        "threshold": { "type": "integer", "nullable": true, "format": "int64" }
                    }
                },
                "notifications": { "type": "array", "nullable": true, "maxItems": 10, "items": notification_in }
            }
        },
        "WebhookTestResults": object(&["results"], json!({
            "results": array_of(object(&["notificationIndex", "webhookUrl", "delivered"], json!({
                "notificationIndex": { "type": "integer" },
                "webhookUrl": string(),
                "delivered": { "type": "boolean" },
                "statusCode": { "type": "integer" },
                "error": string()
            })))
        })),
        "Alert": object(&["id", "groupId", "alertConfigId", "eventTypeName", "status", "created", "updated",
            "ca"], json!({
            "id": string(),
            "groupId": string(),
            "alertConfigId": string(),
            "eventTypeName": one_of(&["CA_EXPIRING"]),
            "status": one_of(&["OPEN", "CLOSED"]),
            "created": { "type": "string", "format": "date-time" },
            "updated": { "type": "string", "format": "date-time" },
            "lastNotified": { "type": "string", "format": "date-time" },
            "resolved": { "type": "string", "format": "date-time" },
            "acknowledgedUntil": { "type": "string", "format": "date-time" },
            "acknowledgementComment": string(),
            "ca": object(&["subject", "sha256", "notAfter", "daysLeft"], json!({
                "subject": string(),
                "sha256": string(),
                "notAfter": { "type": "string", "format": "date-time" },
                "daysLeft": { "type": "integer" }
            }))
        })),
        "AlertAcknowledgement": {
            "type": "object", "additionalProperties": false,
            "properties": {
                "acknowledgedUntil": {
                    "type": "string", "nullable": true,
                    "description": "A future RFC 3339 time; `null`: no longer acknowledged."
                },
                "acknowledgementComment": { "type": "string", "nullable": true, "maxLength": 1024 }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// `(path, method)` of every Atlas route: the route table (which the router is built from, see
    /// [`super::super::routes::checked`]) and the public `/openapi.json`.
    fn router_routes() -> BTreeSet<(String, String)> {
        let mut routes = BTreeSet::new();
        for route in super::super::routes::ATLAS_ROUTES {
            for method in route.methods {
                routes.insert((route.path.to_owned(), method.to_lowercase()));
            }
        }
        routes.insert(("/openapi.json".to_owned(), "get".to_owned()));
        routes
    }

    #[test]
    fn lists_every_route_of_the_router() {
        let documented: BTreeSet<(String, String)> = operations(&document()).into_iter().collect();
        let routes = router_routes();
        assert!(routes.len() > 30, "{routes:?}");
        assert_eq!(documented, routes);
    }

    #[test]
    fn every_reference_resolves() {
        fn refs(value: &Value, out: &mut Vec<String>) {
            match value {
                Value::Object(map) => {
                    if let Some(Value::String(target)) = map.get("$ref") {
                        out.push(target.clone());
                    }
                    map.values().for_each(|v| refs(v, out));
                }
                Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
                _ => {}
            }
        }
        let document = document();
        let mut targets = Vec::new();
        refs(&document, &mut targets);
        assert!(!targets.is_empty());
        for target in targets {
            let pointer = target.strip_prefix('#').unwrap_or("not local");
            assert!(
                document.pointer(pointer).is_some(),
                "{target} does not resolve"
            );
        }
    }

    #[test]
    fn operation_ids_are_unique() {
        let document = document();
        let mut ids = BTreeSet::new();
        for (path, method) in operations(&document) {
            let id = document["paths"][&path][&method]["operationId"]
                .as_str()
                .unwrap_or("")
                .to_owned();
            assert!(!id.is_empty(), "{method} {path}");
            assert!(ids.insert(id.clone()), "{id} twice");
        }
    }
}
