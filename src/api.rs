//! Every call the console makes to the server: the Atlas Admin API v2 subset, over gloo-net.
//!
//! Errors are an [`ApiError`]: the Atlas error body when the server sent one (its `detail`, `errorCode`
//! and, for a refused CA bundle, its `problems`), else what went wrong on the way.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use access_core::api::{
    ApiErrorBody, ApiKeyAccessEntry, ApiKeyInfo, Group, GroupNameChange, NewApiKey, NewGroup,
    Organization, Paginated, ProjectSummary, UserSecurity,
};
use access_core::cluster::Cluster;
use access_core::custom_role::{CustomDbRole, CustomDbRoleUpdate};
use access_core::database_user::DatabaseUser;
use access_core::error_code;
use access_core::etag::EntityTag;
use access_core::org_role::OrgRole;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;

use access_core::project_role::ProjectRole;

use crate::alerts::{Alert, AlertConfig, WebhookTest};
pub use crate::session::{ConsoleStatus, Session};
pub use access_core::api::Account;
pub use access_core::api::OrgMember;

/// Whose programmatic API keys a call is about: a project's (`/groups/{groupId}/apiKeys`, roles in
/// that project) or an organization's (`/orgs/{orgId}/apiKeys`, its organization role).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyScope {
    Project(String),
    Org(String),
}

/// The API version this console speaks; the server echoes it in `Content-Type`.
const ACCEPT: &str = "application/vnd.atlas.2023-01-01+json";
const PREFIX: &str = "/api/atlas/v2";
const CONSOLE_PREFIX: &str = "/api/console";

/// How this browser proves who it is: the session cookie (sent by the browser; changes carry the CSRF
/// token) when the API is on the page's origin, or a bearer token when it is on another origin (a static
/// host), where a SameSite=Strict cookie would not be sent.
#[derive(Default)]
struct Credentials {
    csrf_token: Option<String>,
    bearer: Option<String>,
    /// Called when the server says the session is gone (401), so the console asks to sign in again.
    on_signed_out: Option<Arc<dyn Fn() + Send + Sync>>,
}

/// Where a bearer token is kept for the tab's life (reloads keep the session, closing the tab ends it).
const TOKEN_KEY: &str = "access-console-session";

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The server refused the request and said why, in the Atlas error envelope.
    #[error("{}", .body.detail)]
    Refused { request: String, body: ApiErrorBody },
    /// The server answered an HTTP error without an Atlas error body (e.g. a proxy in between).
    #[error("{request} answered HTTP {status} {status_text}.")]
    Status {
        request: String,
        status: u16,
        status_text: String,
    },
    /// No answer at all: the server is down, the address is wrong, or the browser blocked the call.
    #[error("No answer from the API for {request}: {message}. Check that the server is running and that apiBase in config.json points to it.")]
    Unreachable { request: String, message: String },
    /// An answer that is not the JSON expected.
    #[error(
        "{request} answered HTTP {status} with a body that is not the expected JSON: {message}."
    )]
    UnexpectedBody {
        request: String,
        status: u16,
        message: String,
    },
}

impl ApiError {
    /// The Atlas `errorCode`, when the server gave one.
    pub fn error_code(&self) -> Option<&str> {
        match self {
            ApiError::Refused { body, .. } => Some(&body.error_code),
            _ => None,
        }
    }

    /// What the server said about each field of the request (rule errors), e.g. `roles[1].databaseName`.
    pub fn field_issues(&self) -> &[access_core::field_issue::FieldIssue] {
        match self {
            ApiError::Refused { body, .. } => &body.errors,
            _ => &[],
        }
    }

    /// `GET /api/atlas/v2/groups`, as shown to the user.
    pub fn request(&self) -> &str {
        match self {
            ApiError::Refused { request, .. }
            | ApiError::Status { request, .. }
            | ApiError::Unreachable { request, .. }
            | ApiError::UnexpectedBody { request, .. } => request,
        }
    }
}

/// The API client: where the API is (from `config.json`), and the session's credentials, which it adds
/// to every call. Clones share the credentials.
#[derive(Clone)]
pub struct Api(Arc<Client>);

/// One `Arc` for both, so that a closure holding the client stays as small as one holding an address.
struct Client {
    base: String,
    credentials: Mutex<Credentials>,
}

impl Api {
    /// `api_base`: origin (and optional prefix) without a trailing `/`; empty for the page's origin.
    pub fn new(api_base: &str) -> Self {
        let mut credentials = Credentials::default();
        if Self::is_cross_origin(api_base) {
            // A session of this tab, from before a reload.
            credentials.bearer =
                session_storage().and_then(|s| s.get_item(TOKEN_KEY).ok().flatten());
        }
        Self(Arc::new(Client {
            base: api_base.to_owned(),
            credentials: Mutex::new(credentials),
        }))
    }

    fn credentials(&self) -> MutexGuard<'_, Credentials> {
        // Never poisoned: nothing panics while holding it (and a panic aborts the Wasm module).
        self.0
            .credentials
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Remembers the session's CSRF token (and, cross-origin, its bearer token) for every later call.
    pub fn use_session(&self, csrf_token: &str, bearer: Option<&str>) {
        let mut c = self.credentials();
        c.csrf_token = Some(csrf_token.to_owned());
        if let Some(token) = bearer {
            c.bearer = Some(token.to_owned());
            if let Some(storage) = session_storage() {
                let _ = storage.set_item(TOKEN_KEY, token);
            }
        }
    }

    /// Forgets the session (after sign-out, or when the server no longer knows it).
    pub fn forget_session(&self) {
        let mut c = self.credentials();
        c.csrf_token = None;
        c.bearer = None;
        if let Some(storage) = session_storage() {
            let _ = storage.remove_item(TOKEN_KEY);
        }
    }

    /// What to do when a call finds the session gone.
    pub fn on_signed_out(&self, callback: impl Fn() + Send + Sync + 'static) {
        self.credentials().on_signed_out = Some(Arc::new(callback));
    }

    /// The session is gone: forget it and say so.
    pub(crate) fn signed_out(&self) {
        self.forget_session();
        // Called outside the lock: the callback may start new calls.
        let callback = self.credentials().on_signed_out.clone();
        if let Some(callback) = callback {
            callback();
        }
    }

    fn with_credentials(&self, method: &str, builder: RequestBuilder) -> RequestBuilder {
        let c = self.credentials();
        if let Some(token) = &c.bearer {
            builder.header("Authorization", &format!("Bearer {token}"))
        } else if let (Some(csrf), false) = (&c.csrf_token, method == "GET") {
            builder.header("X-CSRF-Token", csrf)
        } else {
            builder
        }
    }

    /// The API base address this client calls (empty: the page's origin).
    pub fn base(&self) -> &str {
        &self.0.base
    }

    /// Whether the API is on another origin than the page (then sessions are bearer tokens).
    fn is_cross_origin(api_base: &str) -> bool {
        if api_base.is_empty() {
            return false;
        }
        let page = web_sys::window().and_then(|w| w.location().origin().ok());
        let api = web_sys::Url::new(api_base).ok().map(|url| url.origin());
        page != api
    }

    fn session_kind(&self) -> &'static str {
        if Self::is_cross_origin(&self.0.base) {
            "bearer"
        } else {
            "cookie"
        }
    }

    /// `GET /api/console/status`: whether the console still needs its first owner.
    pub async fn console_status(&self) -> Result<ConsoleStatus, ApiError> {
        let url = self.console_url("/status");
        self.send("GET", &url, Request::get(&url)).await
    }

    /// `GET /api/console/session`: who is signed in (an error when no one is).
    pub async fn session(&self) -> Result<Session, ApiError> {
        let url = self.console_url("/session");
        let session: Session = self.send("GET", &url, Request::get(&url)).await?;
        self.use_session(&session.csrf_token, None);
        Ok(session)
    }

    /// `POST /api/console/signIn`.
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<Session, ApiError> {
        let url = self.console_url("/signIn");
        let body =
            json!({"username": username, "password": password, "session": self.session_kind()});
        let session: Session = self
            .send_json("POST", &url, Request::post(&url), &body)
            .await?;
        self.use_session(&session.csrf_token, session.token.as_deref());
        Ok(session)
    }

    /// `POST /api/console/setup`: the first owner, with the setup code from the server's log.
    pub async fn set_up(
        &self,
        setup_code: &str,
        username: &str,
        password: &str,
    ) -> Result<Session, ApiError> {
        let url = self.console_url("/setup");
        let body = json!({"setupCode": setup_code, "username": username, "password": password,
                          "session": self.session_kind()});
        let session: Session = self
            .send_json("POST", &url, Request::post(&url), &body)
            .await?;
        self.use_session(&session.csrf_token, session.token.as_deref());
        Ok(session)
    }

    /// `POST /api/console/signOut`.
    pub async fn sign_out(&self) -> Result<(), ApiError> {
        let url = self.console_url("/signOut");
        let result = self
            .send::<serde_json::Value>("POST", &url, Request::post(&url))
            .await;
        self.forget_session();
        result.map(drop)
    }

    /// `GET /api/console/groups/{groupId}/accounts`.
    pub async fn accounts(&self, group_id: &str) -> Result<Vec<Account>, ApiError> {
        let url = self.console_url(&format!("/groups/{}/accounts", segment(group_id)));
        let list: Paginated<Account> = self.send("GET", &url, Request::get(&url)).await?;
        Ok(list.results)
    }

    /// `POST /api/console/groups/{groupId}/accounts`.
    pub async fn create_account(
        &self,
        group_id: &str,
        username: &str,
        password: &str,
        role: ProjectRole,
    ) -> Result<Account, ApiError> {
        let url = self.console_url(&format!("/groups/{}/accounts", segment(group_id)));
        let body =
            json!({"username": username, "password": password, "roleName": role.atlas_name()});
        self.send_json("POST", &url, Request::post(&url), &body)
            .await
    }

    /// `PATCH /api/console/groups/{groupId}/accounts/{username}`: the account's role here.
    pub async fn set_account_role(
        &self,
        group_id: &str,
        username: &str,
        role: ProjectRole,
    ) -> Result<Account, ApiError> {
        let url = self.account_url(group_id, username);
        let body = json!({"roleName": role.atlas_name()});
        self.send_json("PATCH", &url, Request::patch(&url), &body)
            .await
    }

    /// `DELETE /api/console/groups/{groupId}/accounts/{username}`.
    pub async fn delete_account(&self, group_id: &str, username: &str) -> Result<(), ApiError> {
        let url = self.account_url(group_id, username);
        self.send::<serde_json::Value>("DELETE", &url, Request::delete(&url))
            .await
            .map(drop)
    }

    fn account_url(&self, group_id: &str, username: &str) -> String {
        self.console_url(&format!(
            "/groups/{}/accounts/{}",
            segment(group_id),
            segment(username)
        ))
    }

    fn console_url(&self, path: &str) -> String {
        format!("{}{CONSOLE_PREFIX}{path}", self.0.base)
    }

    /// `GET /groups`: the projects.
    pub async fn projects(&self) -> Result<Vec<Group>, ApiError> {
        let url = self.url("/groups");
        let list: Paginated<Group> = self.send("GET", &url, Request::get(&url)).await?;
        Ok(list.results)
    }

    /// `GET /groups/{groupId}`: one project.
    pub async fn project(&self, group_id: &str) -> Result<Group, ApiError> {
        let url = self.url(&format!("/groups/{}", segment(group_id)));
        self.send("GET", &url, Request::get(&url)).await
    }

    /// `POST /groups`: a new project in the organization `org_id` (its creator becomes its Owner).
    pub async fn create_project(&self, org_id: &str, name: &str) -> Result<Group, ApiError> {
        let url = self.url("/groups");
        let body = NewGroup {
            name: name.to_owned(),
            org_id: Some(org_id.to_owned()),
        };
        self.send_json("POST", &url, Request::post(&url), &body)
            .await
    }

    /// `PATCH /groups/{groupId}`: the project's new name.
    pub async fn rename_project(&self, group_id: &str, name: &str) -> Result<Group, ApiError> {
        let url = self.url(&format!("/groups/{}", segment(group_id)));
        let body = GroupNameChange {
            name: name.to_owned(),
        };
        self.send_json("PATCH", &url, Request::patch(&url), &body)
            .await
    }

    /// `DELETE /groups/{groupId}` (409 `CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS` while it has clusters).
    pub async fn delete_project(&self, group_id: &str) -> Result<(), ApiError> {
        let url = self.url(&format!("/groups/{}", segment(group_id)));
        self.send::<serde_json::Value>("DELETE", &url, Request::delete(&url))
            .await
            .map(drop)
    }

    /// `GET /orgs/{orgId}`.
    pub async fn org(&self, org_id: &str) -> Result<Organization, ApiError> {
        let url = self.url(&format!("/orgs/{}", segment(org_id)));
        self.send("GET", &url, Request::get(&url)).await
    }

    /// `GET /api/console/orgs/{orgId}/projects`: every project of the organization the caller may
    /// see, by name, with what the organization page shows of each.
    pub async fn org_projects(&self, org_id: &str) -> Result<Vec<ProjectSummary>, ApiError> {
        let url = self.console_url(&format!("/orgs/{}/projects", segment(org_id)));
        let list: Paginated<ProjectSummary> = self.send("GET", &url, Request::get(&url)).await?;
        Ok(list.results)
    }

    /// `GET /api/console/orgs/{orgId}/accounts`: the organization's accounts and their roles.
    pub async fn org_accounts(&self, org_id: &str) -> Result<Vec<OrgMember>, ApiError> {
        let url = self.console_url(&format!("/orgs/{}/accounts", segment(org_id)));
        let list: Paginated<OrgMember> = self.send("GET", &url, Request::get(&url)).await?;
        Ok(list.results)
    }

    /// `PATCH /api/console/orgs/{orgId}/accounts/{username}`: the account's organization role (409
    /// `LAST_ORG_OWNER` when it would leave the organization without an owner).
    pub async fn set_org_role(
        &self,
        org_id: &str,
        username: &str,
        role: OrgRole,
    ) -> Result<OrgMember, ApiError> {
        let url = self.console_url(&format!(
            "/orgs/{}/accounts/{}",
            segment(org_id),
            segment(username)
        ));
        let body = json!({ "orgRole": role.atlas_name() });
        self.send_json("PATCH", &url, Request::patch(&url), &body)
            .await
    }

    /// `GET /groups/{groupId}/userSecurity`.
    pub async fn user_security(&self, group_id: &str) -> Result<UserSecurity, ApiError> {
        let url = self.url(&format!("/groups/{}/userSecurity", segment(group_id)));
        self.send("GET", &url, Request::get(&url)).await
    }

    /// `PATCH /groups/{groupId}/userSecurity` with the CA bundle: turns self-managed X.509 on (or
    /// replaces its CAs), if the settings are still `if_match` (else 412 `RESOURCE_CHANGED`).
    pub async fn save_cas(
        &self,
        group_id: &str,
        cas: &str,
        if_match: &EntityTag,
    ) -> Result<UserSecurity, ApiError> {
        let url = self.url(&format!("/groups/{}/userSecurity", segment(group_id)));
        let body = json!({ "customerX509": { "cas": cas } });
        let builder = with_if_match(Request::patch(&url), if_match);
        self.send_json("PATCH", &url, builder, &body).await
    }

    /// `DELETE /groups/{groupId}/userSecurity/customerX509`: turns self-managed X.509 off, if the
    /// settings are still `if_match`.
    pub async fn disable_x509(
        &self,
        group_id: &str,
        if_match: &EntityTag,
    ) -> Result<UserSecurity, ApiError> {
        let url = self.url(&format!(
            "/groups/{}/userSecurity/customerX509",
            segment(group_id)
        ));
        let builder = with_if_match(Request::delete(&url), if_match);
        self.send("DELETE", &url, builder).await
    }

    /// `GET /groups/{groupId}/databaseUsers`: one page of users whose name contains `filter`.
    pub async fn database_users(
        &self,
        group_id: &str,
        page_num: u64,
        items_per_page: u64,
        filter: &str,
    ) -> Result<Paginated<DatabaseUser>, ApiError> {
        let mut url = self.url(&format!(
            "/groups/{}/databaseUsers?pageNum={page_num}&itemsPerPage={items_per_page}",
            segment(group_id)
        ));
        if !filter.is_empty() {
            url.push_str("&username=");
            url.push_str(&segment(filter));
        }
        self.send("GET", &url, Request::get(&url)).await
    }

    /// `POST /groups/{groupId}/databaseUsers`.
    pub async fn create_database_user(
        &self,
        group_id: &str,
        user: &DatabaseUser,
    ) -> Result<DatabaseUser, ApiError> {
        let url = self.url(&format!("/groups/{}/databaseUsers", segment(group_id)));
        self.send_json("POST", &url, Request::post(&url), user)
            .await
    }

    /// `GET /groups/{groupId}/databaseUsers/{databaseName}/{username}`.
    pub async fn database_user(
        &self,
        group_id: &str,
        database_name: &str,
        username: &str,
    ) -> Result<DatabaseUser, ApiError> {
        let url = self.user_url(group_id, database_name, username);
        self.send("GET", &url, Request::get(&url)).await
    }

    /// `PATCH /groups/{groupId}/databaseUsers/{databaseName}/{username}` with the whole user, if it is
    /// still `if_match`. A PATCH changes only the fields it carries, so an emptied description or a
    /// removed expiry is sent as `null` (which clears it), not left out.
    pub async fn update_database_user(
        &self,
        group_id: &str,
        user: &DatabaseUser,
        if_match: &EntityTag,
    ) -> Result<DatabaseUser, ApiError> {
        let url = self.user_url(group_id, &user.database_name, &user.username);
        let mut body = json!(user);
        if let Some(fields) = body.as_object_mut() {
            for cleared in ["description", "deleteAfterDate"] {
                fields.entry(cleared).or_insert(serde_json::Value::Null);
            }
        }
        let builder = with_if_match(Request::patch(&url), if_match);
        self.send_json("PATCH", &url, builder, &body).await
    }

    /// `DELETE /groups/{groupId}/databaseUsers/{databaseName}/{username}`, if it is still `if_match`.
    pub async fn delete_database_user(
        &self,
        group_id: &str,
        database_name: &str,
        username: &str,
        if_match: &EntityTag,
    ) -> Result<(), ApiError> {
        let url = self.user_url(group_id, database_name, username);
        self.send::<serde_json::Value>(
            "DELETE",
            &url,
            with_if_match(Request::delete(&url), if_match),
        )
        .await
        .map(drop)
    }

    /// The names of the project's custom roles (`GET /groups/{groupId}/customDBRoles/roles`).
    pub async fn custom_role_names(&self, group_id: &str) -> Result<Vec<String>, ApiError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Named {
            role_name: String,
        }
        /// Atlas answers this one with a bare array; accept the list envelope too.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Roles {
            Array(Vec<Named>),
            Envelope(Paginated<Named>),
        }
        let url = self.url(&format!(
            "/groups/{}/customDBRoles/roles",
            segment(group_id)
        ));
        let roles: Roles = self.send("GET", &url, Request::get(&url)).await?;
        let named = match roles {
            Roles::Array(list) => list,
            Roles::Envelope(page) => page.results,
        };
        Ok(named.into_iter().map(|n| n.role_name).collect())
    }

    /// `GET /groups/{groupId}/clusters`: the clusters a user's access can be restricted to.
    pub async fn clusters(&self, group_id: &str) -> Result<Vec<Cluster>, ApiError> {
        let url = self.url(&format!(
            "/groups/{}/clusters?itemsPerPage=500",
            segment(group_id)
        ));
        let list: Paginated<Cluster> = self.send("GET", &url, Request::get(&url)).await?;
        Ok(list.results)
    }

    /// `GET /groups/{groupId}/customDBRoles/roles`: the project's custom roles (a bare array, as in Atlas).
    pub async fn custom_roles(&self, group_id: &str) -> Result<Vec<CustomDbRole>, ApiError> {
        let url = self.url(&format!(
            "/groups/{}/customDBRoles/roles",
            segment(group_id)
        ));
        self.send("GET", &url, Request::get(&url)).await
    }

    /// `POST /groups/{groupId}/customDBRoles/roles`.
    pub async fn create_custom_role(
        &self,
        group_id: &str,
        role: &CustomDbRole,
    ) -> Result<CustomDbRole, ApiError> {
        let url = self.url(&format!(
            "/groups/{}/customDBRoles/roles",
            segment(group_id)
        ));
        self.send_json("POST", &url, Request::post(&url), role)
            .await
    }

    /// `GET /groups/{groupId}/customDBRoles/roles/{roleName}`.
    pub async fn custom_role(
        &self,
        group_id: &str,
        role_name: &str,
    ) -> Result<CustomDbRole, ApiError> {
        let url = self.custom_role_url(group_id, role_name);
        self.send("GET", &url, Request::get(&url)).await
    }

    /// `PATCH /groups/{groupId}/customDBRoles/roles/{roleName}`: replaces the role's actions and
    /// inherited roles (its name never changes), if it is still `if_match`.
    pub async fn update_custom_role(
        &self,
        group_id: &str,
        role: &CustomDbRole,
        if_match: &EntityTag,
    ) -> Result<CustomDbRole, ApiError> {
        let url = self.custom_role_url(group_id, &role.role_name);
        let body = CustomDbRoleUpdate {
            role_name: None,
            actions: Some(role.actions.clone()),
            inherited_roles: Some(role.inherited_roles.clone()),
        };
        let builder = with_if_match(Request::patch(&url), if_match);
        self.send_json("PATCH", &url, builder, &body).await
    }

    /// `DELETE /groups/{groupId}/customDBRoles/roles/{roleName}`, if it is still `if_match`.
    pub async fn delete_custom_role(
        &self,
        group_id: &str,
        role_name: &str,
        if_match: &EntityTag,
    ) -> Result<(), ApiError> {
        let url = self.custom_role_url(group_id, role_name);
        self.send::<serde_json::Value>(
            "DELETE",
            &url,
            with_if_match(Request::delete(&url), if_match),
        )
        .await
        .map(drop)
    }

    /// `POST /groups/{groupId}/accessCheck`: would this certificate (or name) connect, and may it act.
    pub async fn access_check(
        &self,
        group_id: &str,
        request: &access_core::access_check::AccessCheckRequest,
    ) -> Result<access_core::access_check::AccessCheckAnswer, ApiError> {
        let url = self.url(&format!("/groups/{}/accessCheck", segment(group_id)));
        self.send_json("POST", &url, Request::post(&url), request)
            .await
    }

    /// `POST /groups/{groupId}/clusters`: records a cluster (name and MongoDB version).
    pub async fn create_cluster(
        &self,
        group_id: &str,
        cluster: &Cluster,
    ) -> Result<Cluster, ApiError> {
        let url = self.url(&format!("/groups/{}/clusters", segment(group_id)));
        self.send_json("POST", &url, Request::post(&url), cluster)
            .await
    }

    /// `PATCH /groups/{groupId}/clusters/{clusterName}`: the MongoDB version and the member certificate
    /// subject (`None` clears it).
    pub async fn update_cluster(
        &self,
        group_id: &str,
        name: &str,
        version: &str,
        member_certificate_subject: Option<&str>,
    ) -> Result<Cluster, ApiError> {
        let url = self.url(&format!(
            "/groups/{}/clusters/{}",
            segment(group_id),
            segment(name)
        ));
        let body = serde_json::json!({
            "mongoDBMajorVersion": version,
            "memberCertificateSubject": member_certificate_subject,
        });
        self.send_json("PATCH", &url, Request::patch(&url), &body)
            .await
    }

    /// `DELETE /groups/{groupId}/clusters/{clusterName}`.
    pub async fn delete_cluster(&self, group_id: &str, name: &str) -> Result<(), ApiError> {
        let url = self.url(&format!(
            "/groups/{}/clusters/{}",
            segment(group_id),
            segment(name)
        ));
        self.send::<serde_json::Value>("DELETE", &url, Request::delete(&url))
            .await
            .map(drop)
    }

    /// `GET {keys}`: the programmatic API keys of a project (its roles there) or of an organization
    /// (every role), private keys masked.
    pub async fn api_keys(&self, keys: &KeyScope) -> Result<Vec<ApiKeyInfo>, ApiError> {
        let url = format!("{}?itemsPerPage=500", self.keys_url(keys));
        let list: Paginated<ApiKeyInfo> = self.send("GET", &url, Request::get(&url)).await?;
        Ok(list.results)
    }

    /// `POST {keys}`: the answer holds the private key, this once. A project's key gets project roles,
    /// an organization's an organization role.
    pub async fn create_api_key(
        &self,
        keys: &KeyScope,
        key: &NewApiKey,
    ) -> Result<ApiKeyInfo, ApiError> {
        let url = self.keys_url(keys);
        self.send_json("POST", &url, Request::post(&url), key).await
    }

    /// `PATCH {keys}/{apiUserId}`: the description and the key's role in the scope (a project role, or
    /// its organization role).
    pub async fn update_api_key(
        &self,
        keys: &KeyScope,
        id: &str,
        desc: &str,
        role: &str,
    ) -> Result<ApiKeyInfo, ApiError> {
        let url = self.key_url(keys, id);
        let body = json!({ "desc": desc, "roles": [role] });
        self.send_json("PATCH", &url, Request::patch(&url), &body)
            .await
    }

    /// `POST {keys}/{apiUserId}/accessList`: adds entries.
    pub async fn add_api_key_access(
        &self,
        keys: &KeyScope,
        id: &str,
        entries: &[ApiKeyAccessEntry],
    ) -> Result<(), ApiError> {
        let url = format!("{}/accessList", self.key_url(keys, id));
        self.send_json::<serde_json::Value>("POST", &url, Request::post(&url), &entries)
            .await
            .map(drop)
    }

    /// `DELETE {keys}/{apiUserId}/accessList/{entry}` (an address or CIDR block).
    pub async fn delete_api_key_access(
        &self,
        keys: &KeyScope,
        id: &str,
        entry: &str,
    ) -> Result<(), ApiError> {
        let url = format!("{}/accessList/{}", self.key_url(keys, id), segment(entry));
        self.send::<serde_json::Value>("DELETE", &url, Request::delete(&url))
            .await
            .map(drop)
    }

    /// `DELETE {keys}/{apiUserId}`: from a project, takes the key out of it (the server deletes an
    /// `ORG_MEMBER` key left in no project); from the organization, deletes it everywhere.
    pub async fn delete_api_key(&self, keys: &KeyScope, id: &str) -> Result<(), ApiError> {
        let url = self.key_url(keys, id);
        self.send::<serde_json::Value>("DELETE", &url, Request::delete(&url))
            .await
            .map(drop)
    }

    /// `POST /groups/{groupId}/apiKeys/{apiUserId}` `{"roles": [role]}`: assigns an organization's key
    /// to the project with this project role (replacing the roles it had there).
    pub async fn assign_api_key(
        &self,
        group_id: &str,
        id: &str,
        role: ProjectRole,
    ) -> Result<ApiKeyInfo, ApiError> {
        let url = self.key_url(&KeyScope::Project(group_id.to_owned()), id);
        let body = json!({ "roles": [role.atlas_name()] });
        self.send_json("POST", &url, Request::post(&url), &body)
            .await
    }

    fn keys_url(&self, keys: &KeyScope) -> String {
        match keys {
            KeyScope::Project(group_id) => {
                self.url(&format!("/groups/{}/apiKeys", segment(group_id)))
            }
            KeyScope::Org(org_id) => self.url(&format!("/orgs/{}/apiKeys", segment(org_id))),
        }
    }

    fn key_url(&self, keys: &KeyScope, id: &str) -> String {
        format!("{}/{}", self.keys_url(keys), segment(id))
    }

    /// `GET /groups/{groupId}/events`: one page of the activity feed, newest first (no total count,
    /// which would cost a count of every matching event).
    pub async fn events(
        &self,
        group_id: &str,
        query: &crate::activity::EventQuery,
        page_num: u64,
        items_per_page: u64,
    ) -> Result<Vec<crate::activity::Event>, ApiError> {
        let mut url = self.url(&format!(
            "/groups/{}/events?pageNum={page_num}&itemsPerPage={items_per_page}&includeCount=false",
            segment(group_id)
        ));
        for event_type in &query.event_types {
            url.push_str("&eventType=");
            url.push_str(&segment(event_type));
        }
        for (name, date) in [("minDate", &query.min_date), ("maxDate", &query.max_date)] {
            if let Some(date) = date {
                url.push_str(&format!("&{name}={}", segment(date)));
            }
        }
        let text = query.text.trim();
        if !text.is_empty() {
            url.push_str("&text=");
            url.push_str(&segment(text));
        }
        let page: Paginated<crate::activity::Event> =
            self.send("GET", &url, Request::get(&url)).await?;
        Ok(page.results)
    }

    /// `GET /groups/{groupId}/alerts?status=OPEN`: the open alerts, newest first.
    pub async fn open_alerts(&self, group_id: &str) -> Result<Vec<Alert>, ApiError> {
        let url = self.url(&format!(
            "/groups/{}/alerts?status=OPEN&itemsPerPage=500",
            segment(group_id)
        ));
        let page: Paginated<Alert> = self.send("GET", &url, Request::get(&url)).await?;
        Ok(page.results)
    }

    /// `PATCH /groups/{groupId}/alerts/{alertId}`: acknowledges the alert until `until` (RFC 3339).
    pub async fn acknowledge_alert(
        &self,
        group_id: &str,
        alert_id: &str,
        until: &str,
        comment: &str,
    ) -> Result<Alert, ApiError> {
        let url = self.url(&format!(
            "/groups/{}/alerts/{}",
            segment(group_id),
            segment(alert_id)
        ));
        let body = json!({ "acknowledgedUntil": until, "acknowledgementComment": comment });
        self.send_json("PATCH", &url, Request::patch(&url), &body)
            .await
    }

    /// `GET /groups/{groupId}/alertConfigs`.
    pub async fn alert_configs(&self, group_id: &str) -> Result<Vec<AlertConfig>, ApiError> {
        let url = self.url(&format!(
            "/groups/{}/alertConfigs?itemsPerPage=500",
            segment(group_id)
        ));
        let page: Paginated<AlertConfig> = self.send("GET", &url, Request::get(&url)).await?;
        Ok(page.results)
    }

    /// `PUT /groups/{groupId}/alertConfigs/{id}`: replaces the configuration.
    pub async fn save_alert_config(
        &self,
        group_id: &str,
        config: &AlertConfig,
    ) -> Result<AlertConfig, ApiError> {
        let url = self.alert_config_url(group_id, &config.id);
        self.send_json("PUT", &url, Request::put(&url), config)
            .await
    }

    /// `PATCH /groups/{groupId}/alertConfigs/{id}` with `{"enabled"}`.
    pub async fn enable_alert_config(
        &self,
        group_id: &str,
        id: &str,
        enabled: bool,
    ) -> Result<AlertConfig, ApiError> {
        let url = self.alert_config_url(group_id, id);
        self.send_json(
            "PATCH",
            &url,
            Request::patch(&url),
            &json!({ "enabled": enabled }),
        )
        .await
    }

    /// `POST /groups/{groupId}/alertConfigs/{id}/test`: sends a test POST to each webhook now.
    pub async fn test_webhooks(&self, group_id: &str, id: &str) -> Result<WebhookTest, ApiError> {
        let url = format!("{}/test", self.alert_config_url(group_id, id));
        self.send("POST", &url, Request::post(&url)).await
    }

    fn alert_config_url(&self, group_id: &str, id: &str) -> String {
        self.url(&format!(
            "/groups/{}/alertConfigs/{}",
            segment(group_id),
            segment(id)
        ))
    }

    fn custom_role_url(&self, group_id: &str, role_name: &str) -> String {
        self.url(&format!(
            "/groups/{}/customDBRoles/roles/{}",
            segment(group_id),
            segment(role_name)
        ))
    }

    fn user_url(&self, group_id: &str, database_name: &str, username: &str) -> String {
        self.url(&format!(
            "/groups/{}/databaseUsers/{}/{}",
            segment(group_id),
            segment(database_name),
            segment(username)
        ))
    }

    fn url(&self, path: &str) -> String {
        format!("{}{PREFIX}{path}", self.0.base)
    }
}

impl Api {
    /// `GET /groups/{groupId}/export?format=...`: the file's text.
    pub async fn export(&self, group_id: &str, format: &str) -> Result<String, ApiError> {
        let url = self.url(&format!(
            "/groups/{}/export?format={}",
            segment(group_id),
            segment(format)
        ));
        let builder = self.with_credentials("GET", Request::get(&url));
        self.receive("GET", &url, builder.send())
            .await
            .map(|(_, text)| text)
    }

    /// `POST /groups/{groupId}/drift`: the pasted state against the project.
    pub async fn drift(
        &self,
        group_id: &str,
        state: &serde_json::Value,
    ) -> Result<access_core::drift::Drift, ApiError> {
        let url = self.url(&format!("/groups/{}/drift", segment(group_id)));
        self.send_json("POST", &url, Request::post(&url), state)
            .await
    }
}

/// The write applies only to the version the editor opened (`If-Match`); else the server answers 412
/// `RESOURCE_CHANGED`.
fn with_if_match(builder: RequestBuilder, tag: &EntityTag) -> RequestBuilder {
    builder.header("If-Match", &tag.header_value())
}

fn segment(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

impl Api {
    async fn send<T: DeserializeOwned>(
        &self,
        method: &str,
        url: &str,
        builder: RequestBuilder,
    ) -> Result<T, ApiError> {
        let builder = self.with_credentials(method, builder.header("Accept", ACCEPT));
        self.send_built(method, url, builder.send()).await
    }

    async fn send_json<T: DeserializeOwned>(
        &self,
        method: &str,
        url: &str,
        builder: RequestBuilder,
        body: &impl serde::Serialize,
    ) -> Result<T, ApiError> {
        let request = self
            .with_credentials(method, builder.header("Accept", ACCEPT))
            .json(body)
            .map_err(|error| ApiError::Unreachable {
                request: format!("{method} {url}"),
                message: error.to_string(),
            })?;
        self.send_built(method, url, request.send()).await
    }

    async fn send_built<T: DeserializeOwned>(
        &self,
        method: &str,
        url: &str,
        sent: impl std::future::Future<Output = Result<Response, gloo_net::Error>>,
    ) -> Result<T, ApiError> {
        let request = format!("{method} {url}");
        let (status, text) = self.receive(method, url, sent).await?;
        // 204 No Content (a deletion): read as JSON null.
        let text = if text.is_empty() {
            "null"
        } else {
            text.as_str()
        };
        serde_json::from_str(text).map_err(|error| ApiError::UnexpectedBody {
            request,
            status,
            message: error.to_string(),
        })
    }

    /// The status and text of a successful answer, or the error of any other.
    async fn receive(
        &self,
        method: &str,
        url: &str,
        sent: impl std::future::Future<Output = Result<Response, gloo_net::Error>>,
    ) -> Result<(u16, String), ApiError> {
        let request = format!("{method} {url}");
        let response = sent.await.map_err(|error| ApiError::Unreachable {
            request: request.clone(),
            message: unreachable_message(&error),
        })?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|error| ApiError::UnexpectedBody {
                request: request.clone(),
                status,
                message: error.to_string(),
            })?;
        if response.ok() {
            return Ok((status, text));
        }
        match serde_json::from_str::<ApiErrorBody>(&text) {
            Ok(body) => {
                // The session ended (expired, signed out elsewhere, account deleted): ask to sign in again.
                // A sign-in's own refusal (INVALID_CREDENTIALS) is the form's to show.
                if matches!(
                    body.error_code.as_str(),
                    error_code::SESSION_EXPIRED | error_code::NOT_AUTHENTICATED
                ) {
                    self.signed_out();
                }
                Err(ApiError::Refused { request, body })
            }
            Err(_) => Err(ApiError::Status {
                request,
                status,
                status_text: response.status_text(),
            }),
        }
    }
}

/// The browser says only "Failed to fetch" (the details are in its console, for security reasons).
fn unreachable_message(error: &gloo_net::Error) -> String {
    match error {
        gloo_net::Error::JsError(js) => js.message.clone(),
        other => other.to_string(),
    }
}
