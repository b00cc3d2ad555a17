//! Every error the API answers, as the Atlas error envelope
//! `{"detail", "error", "errorCode", "parameters", "reason"}` (plus `problems` for CA bundles).
//!
//! The `errorCode`s are stable; clients may match on them. Every error body also carries `requestId`
//! (the `X-Request-Id` of the answer), added by [`crate::telemetry`] on its way out.
//!
//! Each variant of [`ApiError`] names its status and code beside it (`#[atlas(STATUS, CODE)]`, see
//! `api_errors!`); [`ApiError::FIXED_CODES`] is the list they make, and the test
//! `the_table_of_codes_is_the_list_of_fixed_codes` keeps the first table below equal to it (same codes,
//! same statuses; a code may have a row per context). A 5xx is logged by [`log_server_errors`], a layer of
//! the API router, with the request id, from the [`ServerFault`] the answer carries.
//!
//! ### Codes of the variants
//!
//! | errorCode                        | status | when                                                                  | parameters        |
//! |----------------------------------|--------|-----------------------------------------------------------------------|-------------------|
//! | `INVALID_GROUP_ID`               | 400    | the `{groupId}` in the path is not 24 lowercase hex characters         | the id as sent    |
//! | `GROUP_NOT_FOUND`                | 404    | no project has that `groupId`, or the caller has no role in it (its existence is not disclosed) | the groupId |
//! | organizations and projects (`orgs`, `POST`/`PATCH`/`DELETE /groups`); rule failures list every broken rule in `errors` |||
//! | `INVALID_ORG_ID`                 | 400    | the `{orgId}` in the path, or a body's `orgId`, is not 24 lowercase hex characters | the id as sent |
//! | `ORG_NOT_FOUND`                  | 404    | no organization has that `orgId`, or the caller has no role in it      | the orgId         |
//! | `ORG_ID_REQUIRED`                | 400    | `POST /groups` without `orgId` by a caller in several organizations    | —                 |
//! | `INSUFFICIENT_ORG_ROLE`          | 403    | the caller's organization role does not allow the change (creating a project: `ORG_OWNER` or `ORG_GROUP_CREATOR`; the rest: `ORG_OWNER`) | the role |
//! | `GROUP_NAME_NOT_FOUND`           | 404    | `GET /groups/byName/{groupName}`: no project of that name the caller may see | the name |
//! | `GROUP_ALREADY_EXISTS`           | 409    | the organization has a project of that name already                    | the name          |
//! | `CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS` | 409 | `DELETE /groups/{groupId}` while the project has clusters (as Atlas) | the cluster count |
//! | `UNKNOWN_ORG_ROLE`               | 400    | an `orgRole` other than `ORG_OWNER`, `ORG_GROUP_CREATOR`, `ORG_READ_ONLY`, `ORG_MEMBER` | the role as sent |
//! | `EVENT_NOT_FOUND`                | 404    | `GET /orgs/{orgId}/events/{eventId}`, `GET /groups/{groupId}/events/{eventId}`: no event of that id there | the id |
//! | `LAST_ORG_OWNER`                 | 409    | demoting the organization's only owner                                 | the username      |
//! | `INVALID_JSON`                   | 400    | the body is empty or not JSON (detail: line and column)              | line, column      |
//! | `INVALID_ATTRIBUTE`              | 400    | valid JSON of the wrong shape: wrong type, unknown attribute (detail: field path, line, column) | the field path |
//! | `UNSUPPORTED_MEDIA_TYPE`         | 415    | the request's `Content-Type` is not JSON                              | the content type  |
//! | `INVALID_ACCEPT_HEADER`          | 406    | `Accept` asks for an Atlas media type other than `application/vnd.atlas.YYYY-MM-DD+json` | the media type |
//! | `INVALID_QUERY_PARAMETER`        | 400    | e.g. `pageNum=0`, `itemsPerPage=1000`, `includeCount=maybe`          | the parameter     |
//! | `RESOURCE_NOT_FOUND`             | 404    | no API resource at that path                                          | the path          |
//! | `METHOD_NOT_ALLOWED`             | 405    | the resource exists but not with that method (`Allow` header lists them) | method, path   |
//! | `PAYLOAD_TOO_LARGE`              | 413    | the body is larger than [`super::BODY_LIMIT_BYTES`]                   | the limit         |
//! | `INVALID_X509_CA_BUNDLE`         | 400    | the CA bundle has a problem that is not a private key (bad base64, missing END, ...) | — (see `problems`) |
//! | `PRIVATE_KEY_IN_X509_CA_BUNDLE`  | 400    | the CA bundle holds a private key (never echoed, never logged)       | — (see `problems`) |
//! | `NO_X509_CA_CERTIFICATE`         | 400    | the CA bundle holds no PEM block at all (e.g. empty)                 | — (see `problems`) |
//! | `X509_CA_BUNDLE_TOO_LARGE`       | 400    | the CA bundle is over 1 MiB or holds over 200 PEM blocks (`access_core::bundle_limits`); nothing of it is read | the limit |
//! | `EXPIRED_X509_CA_CERTIFICATE`    | 400    | the CA bundle holds an expired certificate (as Atlas refuses it)     | the expired subjects |
//! | clusters and database users (`clusters`, `databaseUsers`); rule failures list every broken rule in `errors` |||
//! | `DUPLICATE_CLUSTER_NAME`         | 409    | the project has a cluster of that name already                        | the name          |
//! | `CLUSTER_NOT_FOUND`              | 404    | no cluster of that name in the project                                | the name          |
//! | `CLUSTER_IN_USE`                 | 409    | DELETE of a cluster named in some user's `scopes` (detail names them) | the usernames     |
//! | `MISSING_ATTRIBUTE`              | 400    | a required attribute (`username`, `databaseName`, `name`) is absent   | the attribute     |
//! | `UNSUPPORTED_DATABASE_USER_TYPE` | 400    | the user is not a self-managed X.509 user (`password`, `awsIAMType`, `ldapAuthType`, `oidcAuthType`, `x509Type` not `CUSTOMER`) | the field |
//! | `INVALID_DATABASE_NAME_FOR_X509_USER` | 400 | `databaseName` of a certificate user is not `$external`          | the name          |
//! | `X509_AUTHENTICATION_NOT_ENABLED` | 409   | the project has self-managed X.509 off (no CA bundle)                 | the groupId       |
//! | `DUPLICATE_DATABASE_USERNAME`    | 409    | a user of the same canonical name exists (detail: its name as stored) | the username      |
//! | `USERNAME_NOT_FOUND`             | 404    | no (unexpired) user of that name in that database                     | username, database |
//! | `CANNOT_RENAME_DATABASE_USER`    | 400    | a PATCH body's `username` / `databaseName` differs from the path      | the field         |
//! | access check (`POST .../accessCheck`, `access_core::access_check::RequestError`); the rule is in `errors` |||
//! | `CLUSTER_NOT_FOUND`              | 404    | `cluster` is not a cluster of the project                             | the name          |
//! | activity feed and alerts (`events`, `alertConfigs`, `alerts`); rule failures list every broken rule in `errors` |||
//! | `INVALID_QUERY_PARAMETER`        | 400    | `eventType` not an event type, `minDate`/`maxDate` not RFC 3339, `status` not OPEN/CLOSED | the parameter |
//! | `ALERT_CONFIG_NOT_FOUND`         | 404    | no alert configuration of that id in the project                      | the id            |
//! | `NO_WEBHOOK_NOTIFICATION`        | 400    | `POST .../alertConfigs/{id}/test` on a configuration without WEBHOOK notification | the id |
//! | `ALERT_NOT_FOUND`                | 404    | no alert of that id in the project                                    | the id            |
//! | `ALERT_CLOSED`                   | 409    | acknowledging a CLOSED alert                                          | the id            |
//! | access control (every request but `GET /api/console/status`, `POST /api/console/setup`, `POST /api/console/signIn`) |||
//! | `NOT_AUTHENTICATED`              | 401    | no session (cookie or `Authorization: Bearer`) and no API key; `WWW-Authenticate` tells how | — |
//! | `SESSION_EXPIRED`                | 401    | the session token is unknown, expired or signed out                   | —                 |
//! | `INVALID_CREDENTIALS`            | 401    | sign-in with a wrong username or password (which one is not said)     | —                 |
//! | `TOO_MANY_SIGN_IN_ATTEMPTS`      | 429    | 5 failed sign-ins as that name within 15 minutes, or more sign-in attempts from one address than `--sign-in-rate-limit` per minute; `Retry-After` says when to try again | the username or the address |
//! | `SIGN_IN_BUSY`                   | 429    | every password hashing slot (`--max-concurrent-sign-ins`) is busy; `Retry-After: 1` | — |
//! | `INSUFFICIENT_PROJECT_ROLE`      | 403    | the caller's project role does not allow the change (detail: which roles do) | the role |
//! | `CONSOLE_SESSION_REQUIRED`       | 403    | the caller's session (`GET`/`DELETE /api/console/session`, password) asked with an API key | — |
//! | `INVALID_CSRF_TOKEN`             | 403    | a change sent with the session cookie lacks the session's `X-CSRF-Token` | —             |
//! | `SETUP_ALREADY_DONE`             | 409    | `POST /api/console/setup` when an account exists                      | —                 |
//! | `INVALID_SETUP_CODE`             | 403    | the first owner's setup code is not the one in the server's log       | —                 |
//! | `ACCOUNT_NOT_FOUND`              | 404    | no console account of that name in the project                        | the username      |
//! | `DUPLICATE_ACCOUNT_NAME`         | 409    | an account of that name exists (case ignored)                         | the username      |
//! | `LAST_PROJECT_OWNER`             | 409    | removing or demoting the project's only owner                         | the username      |
//! | concurrent edits: `ETag` and `If-Match` on one user, one custom role, `userSecurity` (PATCH, DELETE) |||
//! | `INVALID_IF_MATCH_HEADER`        | 400    | `If-Match` is neither `*` nor a list of entity tags (`"abc"`, `W/"abc"`) | —              |
//! | `RESOURCE_CHANGED`               | 412    | `If-Match` names none of the resource's current ETag: it changed since it was read (nothing was changed; weak tags never match) | the resource |
//! | programmatic API keys (`apiKeys`, their `accessList`); rule failures list every broken rule in `errors` |||
//! | `MISSING_ATTRIBUTE`              | 400    | a POST without `desc` or `roles`                                      | the attribute     |
//! | `API_KEY_NOT_FOUND`              | 404    | no key of that id has a role in the project                           | the id            |
//! | `ACCESS_LIST_ENTRY_NOT_FOUND`    | 404    | the key's access list has no such entry                               | the entry         |
//! | `API_KEY_UNAUTHORIZED`           | 401    | `Authorization: Digest` refused — unknown key, wrong response, stale nonce, replayed nc, ...: one detail for all, the reason is in the server's log only; `WWW-Authenticate` has a new challenge | — |
//! | `IP_ADDRESS_NOT_ON_ACCESS_LIST`  | 403    | an API key used from an address outside its access list              | key, address      |
//! | `RATE_LIMITED`                   | 429    | an API key sent more requests than `--api-key-rate-limit` per minute (`Retry-After` header) | requests per minute |
//! | export, import and drift (`export`, `import`, `drift`; extensions) |||
//! | `INVALID_QUERY_PARAMETER`        | 400    | `format` absent or not mongosh / terraform / ca-bundle / mongod-conf / json; `dryRun` not true/false | the parameter |
//! | `DRIFT_STATE_MALFORMED`          | 400    | the deployment state is not mongosh's `{users, roles}` output (detail: what and where, e.g. `roles[2].privileges[0].resource`) | the place |
//! | `UNEXPECTED_ERROR`               | 500    | a fault of the server itself (database unavailable, ...); logged     | —                 |
//! | `DATABASE_BUSY`                  | 503    | the database is busy (SQLite's write lock held past the busy timeout, no pooled connection in time, a PostgreSQL lock timeout); nothing changed; `Retry-After: 1`; logged | — |
//!
//! ### Codes chosen by the rule that failed
//!
//! `Rules`, `CustomRole`, `Export` and `Import` answer with the code of the first broken rule (all of them
//! are listed in `errors`, each with its `field`); these codes are defined by the rules, in core or in the
//! handler that checks them.
//!
//! | errorCode                        | status | when                                                                  | parameters        |
//! |----------------------------------|--------|-----------------------------------------------------------------------|-------------------|
//! | projects (`POST /groups`, `PATCH /groups/{groupId}`): `access_core::project_name::ProjectNameError` |||
//! | `INVALID_GROUP_NAME`             | 400    | a project name outside 1–64 letters, digits, spaces, `-`, `_` (detail names the character) | `name` |
//! | custom roles (`customDBRoles`): the codes of `access_core::custom_role::CustomRoleErrorKind`; `errors` lists every broken rule with its `field` |||
//! | `ROLE_NAME_REQUIRED`             | 400    | `roleName` (or an inherited `role`) is empty                           | the fields        |
//! | `INVALID_ROLE_NAME`              | 400    | `roleName` has a character other than letters, digits, `_`, `-`       | the fields        |
//! | `ROLE_NAME_IS_BUILT_IN_ROLE`     | 400    | `roleName` is a built-in role (`read`, `dbAdmin`, ...)                 | the fields        |
//! | `ROLE_NAME_IS_ATLAS_ADMIN`       | 400    | `roleName` is `atlasAdmin`                                             | the fields        |
//! | `ROLE_NAME_RESERVED_PREFIX`      | 400    | `roleName` starts with `xgen-`                                         | the fields        |
//! | `DUPLICATE_ATLAS_CUSTOM_ROLE_NAME` | 409  | the project has a custom role of that name already                    | the fields        |
//! | `CUSTOM_ROLE_EMPTY`              | 400    | neither `actions` nor `inheritedRoles`                                 | the fields        |
//! | `ATLAS_CUSTOM_ROLE_NOT_FOUND`    | 404    | no custom role of that name in the project                            | the role name     |
//! | `CUSTOM_ROLE_RENAME_NOT_ALLOWED` | 400    | a PATCH body's `roleName` differs from the path                       | the fields        |
//! | `ACTION_REQUIRED`, `UNKNOWN_ACTION`, `ACTION_NOT_ASSIGNABLE`, `DUPLICATE_ACTION` | 400 | an `actions[i].action` is empty, unknown, internal to MongoDB, or listed twice | the fields |
//! | `ACTION_RESOURCES_REQUIRED`, `DATABASE_REQUIRED`, `COLLECTION_REQUIRED`, `COLLECTION_NOT_ALLOWED` | 400 | a resource lacks what the action's category needs (or names a collection for a database action) | the fields |
//! | `CLUSTER_RESOURCE_REQUIRED`, `CLUSTER_RESOURCE_NOT_ALLOWED`, `CLUSTER_RESOURCE_WITH_NAMES` | 400 | a cluster-wide action without `{"cluster": true}`, or the reverse | the fields |
//! | database/collection name codes of `access_core::names`, `DUPLICATE_RESOURCE` | 400 | a resource's `db`/`collection` is not a valid name, or is listed twice | the fields |
//! | `ACTION_NOT_SUPPORTED_BY_CLUSTER_VERSION` | 400 | a cluster of the project runs a MongoDB version older than the action | the fields |
//! | `UNKNOWN_INHERITED_ROLE`, `ROLE_NOT_INHERITABLE`, `ROLE_REQUIRES_ADMIN_DATABASE`, `DUPLICATE_INHERITED_ROLE` | 400 | an `inheritedRoles[i]` is unknown, not inheritable, on the wrong database, or listed twice | the fields |
//! | `INHERITED_ROLE_CYCLE`           | 400    | inheriting the role would make a role inherit itself                  | the fields        |
//! | `CUSTOM_ROLE_IN_USE_BY_ROLES`    | 409    | DELETE would leave a role inheriting it with no parent roles or actions (detail names them) | the fields |
//! | `CUSTOM_ROLE_IN_USE_BY_USERS`    | 409    | DELETE would leave a database user with no roles (detail names them)  | the fields        |
//! | clusters and database users (`clusters`, `databaseUsers`); rule failures list every broken rule in `errors` |||
//! | `INVALID_CLUSTER_NAME`, `INVALID_MONGODB_VERSION` | 400 | a posted cluster's `name` / `mongoDBMajorVersion` is not valid | the fields |
//! | `CLUSTER_RENAME_NOT_ALLOWED`     | 400    | a PATCH body's `name` differs from the path                           | the fields        |
//! | `INVALID_DN`, `DN_NOT_IN_RFC2253_ORDER`, `INVALID_MEMBER_CERTIFICATE_SUBJECT` | 400 | a cluster's `memberCertificateSubject` is not a DN, is in openssl's most-significant-first form (detail: the RFC 2253 name to send), or has no O, OU or DC | the fields |
//! | `INVALID_DN`                     | 400    | `username` is not a distinguished name (detail: character position)   | the fields        |
//! | `DN_NOT_IN_RFC2253_ORDER`        | 400    | `username` is in one of openssl's most-significant-first forms (`C = US, O = Acme, CN = x`, `/C=US/CN=x`); detail: the RFC 2253 name to send | the fields |
//! | `NO_ROLES`, `ROLE_NAME_REQUIRED`, `UNKNOWN_ROLE`, `ROLE_REQUIRES_ADMIN_DATABASE`, `DATABASE_NOT_ALLOWED_FOR_ROLE`, `COLLECTION_NOT_ALLOWED_FOR_ROLE`, `CUSTOM_ROLE_MUST_BE_ONLY_ROLE`, `DUPLICATE_ROLE`, database/collection name codes | 400 | a rule of `access_core::privileges::validate_user_roles` on `roles` | the fields |
//! | `SCOPE_NAME_EMPTY`, `SCOPE_CLUSTER_NOT_FOUND`, `SCOPE_TYPE_NOT_SUPPORTED`, `DUPLICATE_SCOPE` | 400 | a rule of `access_core::database_user::validate_scopes` | the fields |
//! | `LABEL_KEY_EMPTY`, `DUPLICATE_LABEL_KEY`, `DESCRIPTION_TOO_LONG` | 400 | a label key is empty or repeated; `description` over 1024 characters | the fields |
//! | `INVALID_DELETE_AFTER_DATE`, `DELETE_AFTER_DATE_IN_PAST`, `DELETE_AFTER_DATE_TOO_FAR` | 400 | `deleteAfterDate` not RFC 3339, not in the future, or more than 1 week ahead | the fields |
//! | access check (`POST .../accessCheck`, `access_core::access_check::RequestError`); the rule is in `errors` |||
//! | `ACCESS_CHECK_INPUT_REQUIRED`, `ACCESS_CHECK_TWO_INPUTS` | 400 | neither `certificate` nor `username`, or both | the fields |
//! | `ACCESS_CHECK_CERTIFICATE_TOO_LARGE` | 400 | `certificate` over 64 KiB                                        | the fields        |
//! | `ACCESS_CHECK_TOO_MANY_ACTIONS`  | 400    | more than 64 `actions`                                                | the fields        |
//! | `INVALID_DN`, `UNKNOWN_ACTION`, `DATABASE_REQUIRED`, database/collection name codes | 400 | `username` is not a DN; an action is unknown; an action (or `collection`) without `database`; a bad name | the fields |
//! | activity feed and alerts (`events`, `alertConfigs`, `alerts`); rule failures list every broken rule in `errors` |||
//! | `UNSUPPORTED_ALERT_EVENT_TYPE`   | 400    | `eventTypeName` is not `CA_EXPIRING` (the only alert, our name), or a PUT changes it | the fields |
//! | `INVALID_ALERT_THRESHOLD`        | 400    | `threshold.operator` not `LESS_THAN`, `units` not `DAYS`, or `threshold` not 1..=365 | the fields |
//! | `ALERT_NOTIFICATIONS_REQUIRED`   | 400    | `notifications` absent or empty                                       | the fields        |
//! | `TOO_MANY_NOTIFICATIONS`         | 400    | more than 10 `notifications` (each webhook is a request the server makes) | the fields    |
//! | `UNSUPPORTED_NOTIFICATION_TYPE`  | 400    | a `notifications[i].typeName` is not `EMAIL` or `WEBHOOK`             | the fields        |
//! | `INVALID_NOTIFICATION_INTERVAL`, `INVALID_NOTIFICATION_DELAY` | 400 | `intervalMin` not 5..=525600, `delayMin` not 0..=525600 | the fields |
//! | `INVALID_EMAIL_ADDRESS`          | 400    | an `emailAddress` is not an address                                   | the fields        |
//! | `WEBHOOK_URL_REQUIRED`, `INVALID_WEBHOOK_URL` | 400 | a WEBHOOK notification without `webhookUrl`, or not an http(s) URL with a host | the fields |
//! | `NOTIFICATION_FIELD_NOT_ALLOWED` | 400    | `webhookUrl`/`webhookSecret` on an EMAIL notification, `emailAddress` on a WEBHOOK one | the fields |
//! | `WEBHOOK_SECRET_TOO_LONG`        | 400    | a `webhookSecret` over 1024 characters                                | the fields        |
//! | `INVALID_ACKNOWLEDGED_UNTIL`, `ACKNOWLEDGEMENT_COMMENT_TOO_LONG` | 400 | `acknowledgedUntil` not a future RFC 3339 time; a comment over 1024 characters | the fields |
//! | access control (every request but `GET /api/console/status`, `POST /api/console/setup`, `POST /api/console/signIn`) |||
//! | `ACCOUNT_NAME_INVALID`, `PASSWORD_TOO_SHORT`, `PASSWORD_TOO_LONG`, `UNKNOWN_PROJECT_ROLE` | 400 | a rule of `access_core::account` on a new account; sign-in: the name and the password's length, before anything is looked up | the fields |
//! | programmatic API keys (`apiKeys`, their `accessList`); rule failures list every broken rule in `errors` |||
//! | `INVALID_API_KEY_DESCRIPTION`    | 400    | `desc` empty or over 250 characters                                   | the fields        |
//! | `API_KEY_ROLES_REQUIRED`, `INVALID_ROLE_FOR_API_KEY` | 400 | `roles` empty, or a role not GROUP_OWNER / GROUP_DATABASE_ACCESS_ADMIN / GROUP_READ_ONLY | the fields |
//! | `INVALID_IP_ADDRESS_OR_CIDR_NOTATION`, `INVALID_CIDR_PREFIX`, `CIDR_HOST_BITS_SET` | 400 | an access list entry is not an address / block, has a bad prefix, or bits after it | the fields |
//! | export, import and drift (`export`, `import`, `drift`; extensions) |||
//! | `EXPORT_UNKNOWN_CLUSTER`         | 400    | `cluster` names no cluster of the project (detail lists them)          | the name          |
//! | `EXPORT_CLUSTER_NOT_APPLICABLE`  | 400    | `cluster` with a format other than mongosh                            | the format        |
//! | `EXPORT_NO_CA_BUNDLE`            | 409    | `ca-bundle` or `mongod-conf` while the project has no CA bundle       | —                 |
//! | `IMPORT_WRONG_FORMAT`, `IMPORT_UNSUPPORTED_VERSION`, `IMPORT_MALFORMED` | 400 | the document is not an Access Console project export, of another version, or not JSON (detail: line, column) | what was found |
//! | the rule codes above (clusters, custom roles, users, CA bundle, alert settings) | 400/409 | the imported document breaks a rule; `errors` name the field from the document's root (`databaseUsers[3].roles[0].roleName`) | the fields |
//!
//! A refused CA bundle is never saved: the stored bundle stays as it was.

use access_core::api::ApiErrorBody;
use access_core::error_code;
use access_core::pem_bundle::{Problem, ProblemCode};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

pub use crate::telemetry::{log_server_errors, ServerFault};

/// Declares [`ApiError`] with each variant's status and code beside it, in the spirit of axum's
/// `__define_rejection!`: `#[atlas(STATUS, CODE)]` (a [`StatusCode`] constant and the `errorCode`), or
/// `dynamic` in either place when the rule that failed decides ([`ApiError::rule_status`],
/// [`ApiError::rule_code`]). It writes `status()`, `code()` and [`ApiError::FIXED_CODES`], the list the
/// table of the module comment is tested against.
macro_rules! api_errors {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                #[atlas($status:tt, $code:tt)]
                $(#[$variant_meta:meta])*
                $variant:ident $({ $($struct_fields:tt)* })? $(( $($tuple_fields:tt)* ))?
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $(
                $(#[$variant_meta])*
                $variant $({ $($struct_fields)* })? $(( $($tuple_fields)* ))?,
            )+
        }

        impl $name {
            /// Every fixed `errorCode` with its status, one entry per variant, in declaration order
            /// (variants whose rule decides are left out).
            pub const FIXED_CODES: &'static [(&'static str, StatusCode)] = &{
                const ALL: &[Option<(&str, StatusCode)>] = &[$(api_errors!(@entry $status, $code)),+];
                const COUNT: usize = {
                    let mut count = 0;
                    let mut i = 0;
                    while i < ALL.len() {
                        if ALL[i].is_some() {
                            count += 1;
                        }
                        i += 1;
                    }
                    count
                };
                let mut fixed = [("", StatusCode::OK); COUNT];
                let (mut i, mut j) = (0, 0);
                while i < ALL.len() {
                    if let Some(entry) = ALL[i] {
                        fixed[j] = entry;
                        j += 1;
                    }
                    i += 1;
                }
                fixed
            };

            /// The HTTP status.
            pub fn status(&self) -> StatusCode {
                match self {
                    $(Self::$variant { .. } => api_errors!(@status self, $status),)+
                }
            }

            /// The stable `errorCode`.
            pub fn code(&self) -> &'static str {
                match self {
                    $(Self::$variant { .. } => api_errors!(@code self, $code),)+
                }
            }
        }
    };
    (@status $this:ident, dynamic) => { $this.rule_status() };
    (@status $this:ident, $status:ident) => { StatusCode::$status };
    (@code $this:ident, dynamic) => { $this.rule_code() };
    (@code $this:ident, $code:ident) => { error_code::$code };
    (@entry dynamic, $code:tt) => { None };
    (@entry $status:ident, dynamic) => { None };
    (@entry $status:ident, $code:ident) => { Some((error_code::$code, StatusCode::$status)) };
}

/// An expired certificate of a refused bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiredCertificate {
    /// 1-based position among the certificates of the bundle.
    pub position: usize,
    /// 1-based line of its BEGIN line.
    pub line: usize,
    pub subject: String,
    /// RFC 3339.
    pub not_after: String,
}

api_errors! {
    /// Every error the API answers. `#[atlas(STATUS, CODE)]` on each variant is its HTTP status and
    /// `errorCode` (`dynamic`: decided by the rule that failed, see `ApiError::rule_status` and
    /// `ApiError::rule_code`); `thiserror`'s `#[error]` is its `detail`.
    #[derive(Debug, thiserror::Error)]
    pub enum ApiError {
        #[atlas(BAD_REQUEST, INVALID_GROUP_ID)]
        #[error(
            "The group ID {shown} is not valid: a group ID is 24 lowercase hexadecimal characters, \
             e.g. 5f1a2b3c4d5e6f7a8b9c0d1e.",
            shown = quoted(value)
        )]
        InvalidGroupId { value: String },

        #[atlas(NOT_FOUND, GROUP_NOT_FOUND)]
        #[error("No project with group ID {group_id} exists.")]
        GroupNotFound { group_id: String },

        #[atlas(BAD_REQUEST, INVALID_JSON)]
        #[error("{detail}")]
        InvalidJson {
            detail: String,
            line: usize,
            column: usize,
        },

        #[atlas(BAD_REQUEST, INVALID_ATTRIBUTE)]
        #[error("{detail}")]
        InvalidAttribute { path: String, detail: String },

        #[atlas(UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_MEDIA_TYPE)]
        #[error(
            "The request body is sent as {shown}; send it as JSON with the header Content-Type: application/json \
             (or application/vnd.atlas.2023-01-01+json).",
            shown = quoted(content_type)
        )]
        UnsupportedMediaType { content_type: String },

        #[atlas(NOT_ACCEPTABLE, INVALID_ACCEPT_HEADER)]
        #[error(
            "The Accept header asks for {shown}, which this API does not serve: ask for \
             application/vnd.atlas.YYYY-MM-DD+json (e.g. application/vnd.atlas.2023-01-01+json) or application/json.",
            shown = quoted(media_type)
        )]
        NotAcceptable { media_type: String },

        #[atlas(BAD_REQUEST, INVALID_QUERY_PARAMETER)]
        #[error("The query parameter {name} is not valid: {detail}")]
        InvalidQueryParameter { name: String, detail: String },

        #[atlas(NOT_FOUND, RESOURCE_NOT_FOUND)]
        #[error(
            "There is no API resource at {shown}. Resources are under /api/atlas/v2 (or /api/atlas/v1.0), e.g. \
             /api/atlas/v2/groups.",
            shown = shorten(path)
        )]
        ResourceNotFound { path: String },

        #[atlas(METHOD_NOT_ALLOWED, METHOD_NOT_ALLOWED)]
        #[error("The method {method} is not allowed on {shown}{allowed}.", shown = shorten(path), allowed = allowed_suffix(allowed))]
        MethodNotAllowed {
            method: String,
            path: String,
            allowed: Option<String>,
        },

        #[atlas(PAYLOAD_TOO_LARGE, PAYLOAD_TOO_LARGE)]
        #[error("The request body is larger than the limit of {limit} bytes.")]
        PayloadTooLarge { limit: usize },

        #[atlas(BAD_REQUEST, INVALID_X509_CA_BUNDLE)]
        #[error(
            "{}",
            bundle_detail(
                "The X.509 CA bundle was not saved because it cannot be read",
                problems
            )
        )]
        InvalidCaBundle { problems: Vec<Problem> },

        #[atlas(BAD_REQUEST, PRIVATE_KEY_IN_X509_CA_BUNDLE)]
        #[error(
            "{}",
            bundle_detail(
                "The X.509 CA bundle was not saved because it holds a private key",
                problems
            )
        )]
        PrivateKeyInCaBundle { problems: Vec<Problem> },

        #[atlas(BAD_REQUEST, NO_X509_CA_CERTIFICATE)]
        #[error(
            "The X.509 CA bundle was not saved because it holds no certificate: send the PEM text of your CA \
             certificates (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----). To turn self-managed X.509 \
             authentication off, send DELETE .../userSecurity/customerX509."
        )]
        NoCaCertificate { problems: Vec<Problem> },

        #[atlas(BAD_REQUEST, X509_CA_BUNDLE_TOO_LARGE)]
        #[error("The X.509 CA bundle was not saved: {0}. Send only the CA certificates that sign your client certificates.")]
        CaBundleTooLarge(access_core::bundle_limits::BundleTooLarge),

        #[atlas(BAD_REQUEST, EXPIRED_X509_CA_CERTIFICATE)]
        #[error("{}", expired_detail(expired, *certificate_count))]
        ExpiredCaCertificate {
            expired: Vec<ExpiredCertificate>,
            certificate_count: usize,
        },

        #[atlas(dynamic, dynamic)]
        /// A custom role breaks rules: the first decides the code and status, all are in `errors`.
        #[error("{}", custom_role_detail(first, more))]
        CustomRole {
            first: Box<access_core::custom_role::CustomRoleError>,
            more: Vec<access_core::custom_role::CustomRoleError>,
        },

        // Clusters and database users.
        #[atlas(BAD_REQUEST, dynamic)]
        /// Rule failures: the first decides the code, all are in `errors`.
        #[error("{}", issues_detail(issues))]
        Rules {
            code: &'static str,
            issues: Vec<access_core::field_issue::FieldIssue>,
        },
        #[atlas(dynamic, dynamic)]
        #[error("The export cannot be made: {0}.")]
        Export(access_core::export::ExportError),
        #[atlas(BAD_REQUEST, dynamic)]
        #[error("The document was not imported: {0}.")]
        Import(access_core::export::backup::BackupError),
        #[atlas(BAD_REQUEST, DRIFT_STATE_MALFORMED)]
        #[error("The deployment state cannot be read: {0}.")]
        Drift(access_core::drift::DriftParseError),
        #[atlas(CONFLICT, DUPLICATE_CLUSTER_NAME)]
        #[error("A cluster named {name:?} already exists in this project.")]
        DuplicateClusterName { name: String },
        #[atlas(NOT_FOUND, CLUSTER_NOT_FOUND)]
        #[error("No cluster named {shown} exists in this project.", shown = quoted(name))]
        ClusterNotFound { name: String },
        #[atlas(CONFLICT, CLUSTER_IN_USE)]
        #[error("The cluster {name:?} cannot be deleted: the database user(s) {} name it in their scopes; remove it from their scopes first.", users.join("; "))]
        ClusterInUse { name: String, users: Vec<String> },
        #[atlas(BAD_REQUEST, MISSING_ATTRIBUTE)]
        #[error("The attribute {name} is required.")]
        MissingAttribute { name: &'static str },
        #[atlas(BAD_REQUEST, UNSUPPORTED_DATABASE_USER_TYPE)]
        #[error("This server manages self-managed X.509 (certificate) database users only, with x509Type CUSTOMER; {field} makes this {kind}.")]
        UnsupportedDatabaseUserType {
            field: &'static str,
            kind: &'static str,
        },
        #[atlas(BAD_REQUEST, INVALID_DATABASE_NAME_FOR_X509_USER)]
        #[error("A self-managed X.509 (certificate) user lives in the $external database, not in {shown}: set databaseName to \"$external\".", shown = quoted(database))]
        InvalidDatabaseNameForX509User { database: String },
        #[atlas(CONFLICT, X509_AUTHENTICATION_NOT_ENABLED)]
        #[error("Self-managed X.509 authentication is off for this project: upload your CA certificates first (Security → Advanced in the console, or PATCH .../groups/{group_id}/userSecurity with customerX509.cas).")]
        X509AuthenticationNotEnabled { group_id: String },
        #[atlas(CONFLICT, DUPLICATE_DATABASE_USERNAME)]
        #[error("A database user named {existing:?} already exists in $external{}.", typed.as_ref().map(|t| format!(" (you typed {}, which is the same distinguished name)", quoted(t))).unwrap_or_default())]
        DuplicateDatabaseUsername {
            existing: String,
            typed: Option<String>,
        },
        #[atlas(NOT_FOUND, USERNAME_NOT_FOUND)]
        #[error("No user with username {shown} exists in {database}{hint}.", shown = quoted(username), database = quoted(database))]
        UsernameNotFound {
            username: String,
            database: String,
            hint: String,
        },
        #[atlas(BAD_REQUEST, CANNOT_RENAME_DATABASE_USER)]
        #[error("The {field} of a database user cannot be changed (the path names the user); create a new user and delete this one instead.")]
        CannotRenameDatabaseUser { field: &'static str },

        // Alerts.
        #[atlas(NOT_FOUND, ALERT_CONFIG_NOT_FOUND)]
        #[error("No alert configuration with id {shown} exists in this project.", shown = quoted(id))]
        AlertConfigNotFound { id: String },
        #[atlas(BAD_REQUEST, NO_WEBHOOK_NOTIFICATION)]
        #[error("The alert configuration {id} has no WEBHOOK notification to test; add one (typeName WEBHOOK, webhookUrl) and save it first.")]
        NoWebhookNotification { id: String },
        #[atlas(NOT_FOUND, ALERT_NOT_FOUND)]
        #[error("No alert with id {shown} exists in this project.", shown = quoted(id))]
        AlertNotFound { id: String },
        #[atlas(CONFLICT, ALERT_CLOSED)]
        #[error("The alert {id} is closed: only an open alert can be acknowledged.")]
        AlertClosed { id: String },

        // Access control.
        #[atlas(FORBIDDEN, CONSOLE_SESSION_REQUIRED)]
        #[error("This resource is a console session's; a programmatic API key has none.")]
        ConsoleSessionRequired,
        #[atlas(UNAUTHORIZED, NOT_AUTHENTICATED)]
        #[error("This API needs authentication: sign in to the console, or send a programmatic API key with HTTP Digest authentication (its public key as the username, its private key as the password).")]
        NotAuthenticated,
        #[atlas(UNAUTHORIZED, SESSION_EXPIRED)]
        #[error("The console session has expired or was signed out: sign in again.")]
        SessionExpired,
        #[atlas(UNAUTHORIZED, INVALID_CREDENTIALS)]
        #[error("The username or password is wrong.")]
        InvalidCredentials,
        #[atlas(TOO_MANY_REQUESTS, TOO_MANY_SIGN_IN_ATTEMPTS)]
        #[error("Too many failed sign-ins as {username:?}: try again in {} (or ask a project owner to reset the password).", wait(*retry_after_secs))]
        TooManySignInAttempts {
            username: String,
            retry_after_secs: u64,
        },
        #[atlas(TOO_MANY_REQUESTS, TOO_MANY_SIGN_IN_ATTEMPTS)]
        #[error("Too many sign-in attempts from {address}: try again in {}.", wait(*retry_after_secs))]
        TooManySignInsFromAddress {
            address: String,
            retry_after_secs: u64,
        },
        #[atlas(TOO_MANY_REQUESTS, SIGN_IN_BUSY)]
        #[error("The server is busy checking other sign-ins: try again in {}.", wait(*retry_after_secs))]
        SignInBusy { retry_after_secs: u64 },
        #[atlas(FORBIDDEN, INSUFFICIENT_PROJECT_ROLE)]
        #[error("Your role, {}, may not {}: that needs {}.", role.label(), permission.describe(), needed(*permission))]
        InsufficientProjectRole {
            role: access_core::project_role::ProjectRole,
            permission: access_core::project_role::Permission,
        },
        #[atlas(BAD_REQUEST, INVALID_ORG_ID)]
        #[error("{value:?} is not an organization ID: an ID is 24 lowercase hexadecimal characters.")]
        InvalidOrgId { value: String },
        #[atlas(NOT_FOUND, ORG_NOT_FOUND)]
        #[error("No organization with ID {org_id} exists.")]
        OrgNotFound { org_id: String },
        #[atlas(BAD_REQUEST, ORG_ID_REQUIRED)]
        #[error("You belong to several organizations: say in which one the project goes (orgId).")]
        OrgIdRequired,
        #[atlas(FORBIDDEN, INSUFFICIENT_ORG_ROLE)]
        #[error("Your organization role, {}, may not do this: creating a project needs Organization Owner or Organization Project Creator; changing the organization needs Organization Owner.", role.label())]
        InsufficientOrgRole {
            role: access_core::org_role::OrgRole,
        },
        #[atlas(NOT_FOUND, GROUP_NAME_NOT_FOUND)]
        #[error("No project named {name:?} exists.")]
        GroupNameNotFound { name: String },
        #[atlas(CONFLICT, GROUP_ALREADY_EXISTS)]
        #[error("The organization has a project named {name:?} already: choose another name.")]
        GroupAlreadyExists { name: String },
        #[atlas(CONFLICT, CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS)]
        #[error("The project has {clusters} cluster(s): delete them on its Clusters page first, then delete the project.")]
        GroupHasClusters { clusters: u64 },
        #[atlas(BAD_REQUEST, UNKNOWN_ORG_ROLE)]
        #[error("{role:?} is not an organization role: use ORG_OWNER, ORG_GROUP_CREATOR, ORG_READ_ONLY or ORG_MEMBER.")]
        UnknownOrgRole { role: String },
        #[atlas(NOT_FOUND, EVENT_NOT_FOUND)]
        #[error("No event with ID {id} exists in this organization.")]
        EventNotFound { id: String },
        #[atlas(CONFLICT, LAST_ORG_OWNER)]
        #[error("{username:?} is the organization's only owner: make another account an Organization Owner first.")]
        LastOrgOwner { username: String },
        #[atlas(FORBIDDEN, INVALID_CSRF_TOKEN)]
        #[error("A change made with the console's session cookie must carry the session's CSRF token in the X-CSRF-Token header; reload the console.")]
        InvalidCsrfToken,
        #[atlas(CONFLICT, SETUP_ALREADY_DONE)]
        #[error("The console already has an account: sign in, or ask a project owner for an account.")]
        SetupAlreadyDone,
        #[atlas(FORBIDDEN, INVALID_SETUP_CODE)]
        #[error("The setup code is wrong: it is printed in the server's log when the server starts with no account (or create the first owner with `access-console accounts create --owner`).")]
        InvalidSetupCode,
        #[atlas(NOT_FOUND, ACCOUNT_NOT_FOUND)]
        #[error("No console account named {shown} has a role in this project.", shown = quoted(username))]
        AccountNotFound { username: String },
        #[atlas(CONFLICT, DUPLICATE_ACCOUNT_NAME)]
        #[error("A console account named {existing:?} already exists (names are compared without regard to case).")]
        DuplicateAccountName { existing: String },
        #[atlas(CONFLICT, LAST_PROJECT_OWNER)]
        #[error(
            "{username:?} is the project's only owner: make another account a Project Owner first."
        )]
        LastProjectOwner { username: String },
        // Concurrent edits.
        #[atlas(BAD_REQUEST, INVALID_IF_MATCH_HEADER)]
        #[error("The If-Match header is not valid: {detail}. Send the ETag of the resource as read (e.g. If-Match: \"abc\"), or *.")]
        InvalidIfMatch { detail: String },
        #[atlas(PRECONDITION_FAILED, RESOURCE_CHANGED)]
        #[error("The {resource} changed since it was read (If-Match does not name its current ETag), so nothing was changed: read it again, then reapply the change.")]
        ResourceChanged { resource: String },
        // API keys.
        #[atlas(UNAUTHORIZED, API_KEY_UNAUTHORIZED)]
        /// Every refusal of Digest credentials says the same (the reason is logged only): an answer must not
        /// tell whether a public key exists.
        #[error("The API key's credentials were refused. Send the public key and private key of an API key with HTTP Digest authentication.")]
        ApiKeyUnauthorized { stale: bool },
        #[atlas(NOT_FOUND, API_KEY_NOT_FOUND)]
        #[error("No API key with id {shown} exists in this project.", shown = quoted(id))]
        ApiKeyNotFound { id: String },
        #[atlas(NOT_FOUND, ACCESS_LIST_ENTRY_NOT_FOUND)]
        #[error("The API key's access list has no entry {shown}{}.", reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default(), shown = quoted(entry))]
        AccessListEntryNotFound {
            entry: String,
            reason: Option<String>,
        },
        #[atlas(FORBIDDEN, IP_ADDRESS_NOT_ON_ACCESS_LIST)]
        #[error("The API key {public_key} may not be used from {address}: that address is not on the key's access list. Add it (POST .../apiKeys/{{apiUserId}}/accessList) or use the key from an address on the list.")]
        IpAddressNotOnAccessList { public_key: String, address: String },
        #[atlas(TOO_MANY_REQUESTS, RATE_LIMITED)]
        #[error("The API key {public_key} sent more than {per_minute} requests in a minute; retry in {retry_after_secs} seconds.")]
        RateLimited {
            public_key: String,
            per_minute: u32,
            retry_after_secs: u64,
        },

        #[atlas(SERVICE_UNAVAILABLE, DATABASE_BUSY)]
        #[error("The database is busy with other changes; nothing was changed by this request: retry in a second.")]
        DatabaseBusy { cause: sqlx::Error },

        #[atlas(INTERNAL_SERVER_ERROR, UNEXPECTED_ERROR)]
        #[error("An unexpected error occurred on the server; it has been logged.")]
        Database(sqlx::Error),

        #[atlas(INTERNAL_SERVER_ERROR, UNEXPECTED_ERROR)]
        #[error("An unexpected error occurred on the server; it has been logged.")]
        Internal { what: String },
    }
}

impl ApiError {
    /// The status of a variant marked `#[atlas(dynamic, ...)]`: its rule decides.
    fn rule_status(&self) -> StatusCode {
        match self {
            Self::CustomRole { first, .. } => {
                StatusCode::from_u16(first.kind.http_status()).unwrap_or(StatusCode::BAD_REQUEST)
            }
            Self::Export(access_core::export::ExportError::NoCaBundle) => StatusCode::CONFLICT,
            // Every other variant has its status in its `#[atlas]`, which is used instead.
            _ => StatusCode::BAD_REQUEST,
        }
    }

    /// The code of a variant marked `#[atlas(..., dynamic)]`: the code of the (first) broken rule.
    fn rule_code(&self) -> &'static str {
        match self {
            Self::Rules { code, .. } => code,
            Self::CustomRole { first, .. } => first.error_code(),
            Self::Export(e) => e.error_code(),
            Self::Import(e) => e.error_code(),
            // Every other variant has its code in its `#[atlas]`, which is used instead.
            _ => "UNEXPECTED_ERROR",
        }
    }

    fn parameters(&self) -> Vec<serde_json::Value> {
        use serde_json::Value;
        match self {
            Self::InvalidGroupId { value } => vec![Value::from(shorten(value))],
            Self::GroupNotFound { group_id } => vec![Value::from(group_id.as_str())],
            Self::InvalidJson { line, column, .. } => {
                vec![Value::from(*line), Value::from(*column)]
            }
            Self::InvalidAttribute { path, .. } => vec![Value::from(path.as_str())],
            Self::UnsupportedMediaType { content_type } => vec![Value::from(shorten(content_type))],
            Self::NotAcceptable { media_type } => vec![Value::from(shorten(media_type))],
            Self::InvalidQueryParameter { name, .. } => vec![Value::from(shorten(name))],
            Self::ResourceNotFound { path } => vec![Value::from(shorten(path))],
            Self::MethodNotAllowed { method, path, .. } => {
                vec![Value::from(method.as_str()), Value::from(shorten(path))]
            }
            Self::PayloadTooLarge { limit } => vec![Value::from(*limit)],
            Self::CaBundleTooLarge(too_large) => vec![Value::from(match too_large {
                access_core::bundle_limits::BundleTooLarge::Bytes { .. } => {
                    access_core::bundle_limits::MAX_BUNDLE_BYTES
                }
                access_core::bundle_limits::BundleTooLarge::Certificates { .. } => {
                    access_core::bundle_limits::MAX_BUNDLE_CERTIFICATES
                }
            })],
            Self::ExpiredCaCertificate { expired, .. } => expired
                .iter()
                .map(|c| Value::from(c.subject.as_str()))
                .collect(),
            Self::CustomRole { first, more } => match &first.kind {
                access_core::custom_role::CustomRoleErrorKind::NotFound(name) => {
                    vec![Value::from(shorten(name))]
                }
                _ => std::iter::once(first.as_ref())
                    .chain(more)
                    .map(|e| Value::from(shorten(&e.field)))
                    .collect(),
            },
            Self::Rules { issues, .. } => issues
                .iter()
                .map(|i| Value::from(shorten(&i.field)))
                .collect(),
            Self::DuplicateClusterName { name } | Self::ClusterNotFound { name } => {
                vec![Value::from(shorten(name))]
            }
            Self::ClusterInUse { users, .. } => {
                users.iter().map(|u| Value::from(u.as_str())).collect()
            }
            Self::MissingAttribute { name } => vec![Value::from(*name)],
            Self::UnsupportedDatabaseUserType { field, .. }
            | Self::CannotRenameDatabaseUser { field } => vec![Value::from(*field)],
            Self::InvalidDatabaseNameForX509User { database } => {
                vec![Value::from(shorten(database))]
            }
            Self::X509AuthenticationNotEnabled { group_id } => vec![Value::from(group_id.as_str())],
            Self::DuplicateDatabaseUsername { existing, .. } => {
                vec![Value::from(existing.as_str())]
            }
            Self::UsernameNotFound {
                username, database, ..
            } => {
                vec![
                    Value::from(shorten(username)),
                    Value::from(shorten(database)),
                ]
            }
            Self::AlertConfigNotFound { id }
            | Self::NoWebhookNotification { id }
            | Self::AlertNotFound { id }
            | Self::AlertClosed { id }
            | Self::ApiKeyNotFound { id } => vec![Value::from(shorten(id))],
            Self::AccessListEntryNotFound { entry, .. } => vec![Value::from(shorten(entry))],
            Self::IpAddressNotOnAccessList {
                public_key,
                address,
            } => vec![
                Value::from(public_key.as_str()),
                Value::from(address.as_str()),
            ],
            Self::RateLimited { per_minute, .. } => vec![Value::from(*per_minute)],
            Self::ApiKeyUnauthorized { .. } => Vec::new(),
            Self::TooManySignInAttempts { username, .. }
            | Self::AccountNotFound { username }
            | Self::LastProjectOwner { username } => vec![Value::from(shorten(username))],
            Self::DuplicateAccountName { existing } => vec![Value::from(shorten(existing))],
            Self::TooManySignInsFromAddress { address, .. } => vec![Value::from(address.as_str())],
            Self::SignInBusy { .. } => Vec::new(),
            Self::InsufficientProjectRole { role, .. } => vec![Value::from(role.atlas_name())],
            Self::InvalidOrgId { value } => vec![Value::from(shorten(value))],
            Self::OrgNotFound { org_id } => vec![Value::from(shorten(org_id))],
            Self::OrgIdRequired => Vec::new(),
            Self::InsufficientOrgRole { role } => vec![Value::from(role.atlas_name())],
            Self::GroupAlreadyExists { name } | Self::GroupNameNotFound { name } => {
                vec![Value::from(shorten(name))]
            }
            Self::GroupHasClusters { clusters } => vec![Value::from(*clusters)],
            Self::UnknownOrgRole { role } => vec![Value::from(shorten(role))],
            Self::LastOrgOwner { username } => vec![Value::from(shorten(username))],
            Self::EventNotFound { id } => vec![Value::from(shorten(id))],
            Self::ResourceChanged { resource } => vec![Value::from(shorten(resource))],
            Self::Export(access_core::export::ExportError::UnknownCluster { name, .. }) => {
                vec![Value::from(shorten(name))]
            }
            Self::Export(access_core::export::ExportError::ClusterNotApplicable { format }) => {
                vec![Value::from(*format)]
            }
            Self::Export(access_core::export::ExportError::NoCaBundle) => Vec::new(),
            Self::Import(access_core::export::backup::BackupError::WrongFormat { found }) => {
                vec![Value::from(shorten(found))]
            }
            Self::Import(access_core::export::backup::BackupError::UnsupportedVersion {
                found,
            }) => vec![Value::from(*found)],
            Self::Import(access_core::export::backup::BackupError::Malformed {
                line,
                column,
                ..
            }) => vec![Value::from(*line), Value::from(*column)],
            Self::Drift(e) => vec![Value::from(shorten(&e.place))],
            Self::InvalidCaBundle { .. }
            | Self::InvalidIfMatch { .. }
            | Self::PrivateKeyInCaBundle { .. }
            | Self::NoCaCertificate { .. }
            | Self::NotAuthenticated
            | Self::SessionExpired
            | Self::InvalidCredentials
            | Self::InvalidCsrfToken
            | Self::ConsoleSessionRequired
            | Self::SetupAlreadyDone
            | Self::InvalidSetupCode
            | Self::Database(_)
            | Self::DatabaseBusy { .. }
            | Self::Internal { .. } => Vec::new(),
        }
    }

    fn problems(self) -> Vec<Problem> {
        match self {
            Self::InvalidCaBundle { problems }
            | Self::PrivateKeyInCaBundle { problems }
            | Self::NoCaCertificate { problems } => problems,
            _ => Vec::new(),
        }
    }

    /// Every rule error, with its field, for the `errors` extension.
    fn field_issues(&self) -> Vec<access_core::field_issue::FieldIssue> {
        use access_core::field_issue::FieldError as _;
        match self {
            Self::CustomRole { first, more } => std::iter::once(first.as_ref())
                .chain(more)
                .map(|e| e.to_issue())
                .collect(),
            Self::Rules { issues, .. } => issues.clone(),
            // A conflict over a field: named, so a form shows it next to that field.
            Self::DuplicateClusterName { .. } => vec![access_core::field_issue::FieldIssue {
                field: "name".to_owned(),
                error_code: self.code().to_owned(),
                detail: self.to_string(),
            }],
            Self::DuplicateDatabaseUsername { .. } => vec![access_core::field_issue::FieldIssue {
                field: "username".to_owned(),
                error_code: self.code().to_owned(),
                detail: self.to_string(),
            }],
            Self::GroupAlreadyExists { .. } => vec![access_core::field_issue::FieldIssue {
                field: "name".to_owned(),
                error_code: self.code().to_owned(),
                detail: self.to_string(),
            }],
            _ => Vec::new(),
        }
    }

    /// The envelope this error is answered with.
    pub fn body(self) -> ApiErrorBody {
        let status = self.status();
        let errors = self.field_issues();
        ApiErrorBody {
            detail: self.to_string(),
            error: status.as_u16(),
            error_code: self.code().to_owned(),
            parameters: self.parameters(),
            reason: status.canonical_reason().unwrap_or("Error").to_owned(),
            problems: self.problems(),
            errors,
        }
    }
}

impl From<sqlx::Error> for ApiError {
    /// A database that is busy (SQLite's write lock held past the busy timeout, no pooled connection
    /// free in time, a PostgreSQL lock timeout or serialization failure) is 503 `DATABASE_BUSY` with
    /// `Retry-After`: the request changed nothing and may be sent again. Every other database error is
    /// 500.
    fn from(error: sqlx::Error) -> Self {
        if is_busy(&error) {
            ApiError::DatabaseBusy { cause: error }
        } else {
            ApiError::Database(error)
        }
    }
}

/// Whether the database refused for being busy, not for the request.
fn is_busy(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(database) => {
            // SQLite: SQLITE_BUSY (5) and its extended codes, SQLITE_LOCKED (6); PostgreSQL:
            // serialization_failure, deadlock_detected, lock_not_available.
            matches!(
                database.code().as_deref(),
                Some("5" | "261" | "517" | "773" | "6" | "262" | "40001" | "40P01" | "55P03")
            ) || database.message().contains("database is locked")
        }
        _ => false,
    }
}

impl IntoResponse for ApiError {
    /// The envelope, with the headers some errors need. A 5xx carries a [`ServerFault`] (what went
    /// wrong, never in the body) for [`log_server_errors`] to log.
    fn into_response(self) -> Response {
        let status = self.status();
        let fault = status.is_server_error().then(|| match &self {
            Self::Database(error) => ServerFault::new("database error", error.to_string()),
            Self::DatabaseBusy { cause } => ServerFault::new("database busy", cause.to_string()),
            Self::Internal { what } => ServerFault::new("internal error", what.clone()),
            other => ServerFault::new("server error", other.to_string()),
        });
        let allow = match &self {
            Self::MethodNotAllowed {
                allowed: Some(allowed),
                ..
            } => HeaderValue::from_str(allowed).ok(),
            _ => None,
        };
        let retry_after = match &self {
            Self::RateLimited {
                retry_after_secs, ..
            }
            | Self::TooManySignInAttempts {
                retry_after_secs, ..
            }
            | Self::TooManySignInsFromAddress {
                retry_after_secs, ..
            }
            | Self::SignInBusy { retry_after_secs } => Some(HeaderValue::from(*retry_after_secs)),
            Self::DatabaseBusy { .. } => Some(HeaderValue::from(1u64)),
            _ => None,
        };
        let challenge = matches!(self, Self::NotAuthenticated | Self::SessionExpired);
        let mut response = (status, Json(self.body())).into_response();
        if let Some(allow) = allow {
            response.headers_mut().insert(header::ALLOW, allow);
        }
        if let Some(retry_after) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after);
        }
        if challenge {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(crate::access::BEARER_CHALLENGE),
            );
        }
        if let Some(fault) = fault {
            response.extensions_mut().insert(fault);
        }
        response
    }
}

/// "12 minutes", "40 seconds".
fn wait(seconds: u64) -> String {
    match seconds {
        0..=1 => "a second".to_owned(),
        2..=90 => format!("{seconds} seconds"),
        _ => format!("{} minutes", seconds.div_ceil(60)),
    }
}

/// "Project Owner or Project Database Access Admin".
fn needed(permission: access_core::project_role::Permission) -> String {
    let labels: Vec<&str> = permission.granted_by().map(|r| r.label()).collect();
    labels.join(" or ")
}

/// The first rule error as a sentence, and how many more `errors` lists.
fn custom_role_detail(
    first: &access_core::custom_role::CustomRoleError,
    more: &[access_core::custom_role::CustomRoleError],
) -> String {
    let message = first.to_string();
    let mut chars = message.chars();
    let mut detail: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !detail.ends_with('.') {
        detail.push('.');
    }
    match more.len() {
        0 => {}
        1 => detail.push_str(" 1 more problem is listed in `errors`."),
        n => detail.push_str(&format!(" {n} more problems are listed in `errors`.")),
    }
    detail
}

/// "Invalid <field>: <first problem>." and how many more `errors` lists.
fn issues_detail(issues: &[access_core::field_issue::FieldIssue]) -> String {
    let Some(first) = issues.first() else {
        return "The request breaks a rule.".to_owned();
    };
    let mut detail = if first.field.is_empty() {
        first.detail.clone()
    } else {
        format!("Invalid {}: {}", first.field, first.detail)
    };
    if !detail.ends_with('.') {
        detail.push('.');
    }
    match issues.len() - 1 {
        0 => {}
        1 => detail.push_str(" 1 more problem is listed in `errors`."),
        n => detail.push_str(&format!(" {n} more problems are listed in `errors`.")),
    }
    detail
}

/// At most 100 characters of something the client sent, for an error message.
fn shorten(text: &str) -> String {
    const MAX: usize = 100;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(MAX).collect();
        short.push('…');
        short
    }
}

/// Client input in a message: quoted, control characters escaped, shortened.
fn quoted(text: &str) -> String {
    format!("{:?}", shorten(text))
}

fn allowed_suffix(allowed: &Option<String>) -> String {
    match allowed {
        Some(allowed) if !allowed.is_empty() => format!("; it allows {allowed}"),
        _ => String::new(),
    }
}

/// "The X.509 CA bundle was not saved because ...: <the first problems>." The whole-bundle
/// `no_certificates` problem is left out when blocks have problems of their own (it only sums them up).
fn bundle_detail(lead: &str, problems: &[Problem]) -> String {
    const SHOWN: usize = 3;
    let own: Vec<&Problem> = problems
        .iter()
        .filter(|p| p.code != ProblemCode::NoCertificates)
        .collect();
    let listed: Vec<&Problem> = if own.is_empty() {
        problems.iter().collect()
    } else {
        own
    };
    let mut detail = lead.to_owned();
    match listed.as_slice() {
        [] => detail.push('.'),
        [only] => {
            detail.push_str(". ");
            detail.push_str(&only.message);
        }
        _ => {
            detail.push_str(&format!(" ({} problems). ", listed.len()));
            let shown: Vec<&str> = listed
                .iter()
                .take(SHOWN)
                .map(|p| p.message.as_str())
                .collect();
            detail.push_str(&shown.join(" "));
            if listed.len() > SHOWN {
                detail.push_str(&format!(
                    " And {} more, listed in `problems`.",
                    listed.len() - SHOWN
                ));
            }
        }
    }
    detail
}

/// Starts as Atlas's detail does, then names each expired certificate.
fn expired_detail(expired: &[ExpiredCertificate], certificate_count: usize) -> String {
    let describe = |c: &ExpiredCertificate| {
        format!(
            "certificate {} of {certificate_count} in the bundle (line {}), subject \"{}\", expired on {}",
            c.position, c.line, c.subject, c.not_after
        )
    };
    match expired {
        [only] => {
            let mut described = describe(only);
            if let Some(first) = described.get(..1) {
                described = first.to_uppercase() + described.get(1..).unwrap_or("");
            }
            format!(
                "The X.509 CA certificate has expired. {described}. Remove it from the bundle or replace it with its \
                 renewed version; the bundle was not saved."
            )
        }
        _ => format!(
            "The X.509 CA certificate has expired. {} certificates of the bundle have expired: {}. Remove them from \
             the bundle or replace them with their renewed versions; the bundle was not saved.",
            expired.len(),
            {
                const SHOWN: usize = 5;
                let mut listed = expired.iter().take(SHOWN).map(describe).collect::<Vec<_>>().join("; ");
                if expired.len() > SHOWN {
                    listed.push_str(&format!(
                        "; and {} more (all subjects are in `parameters`)",
                        expired.len() - SHOWN
                    ));
                }
                listed
            }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// The (code, status) pairs of the first table of the module comment; a row with a status must
    /// name its codes.
    fn documented_codes() -> BTreeSet<(String, u16)> {
        let rows: Vec<&str> = include_str!("error.rs")
            .lines()
            .skip_while(|line| *line != "//! ### Codes of the variants")
            .skip_while(|line| !line.starts_with("//! |"))
            .take_while(|line| line.starts_with("//! |"))
            .skip(2)
            .collect();
        assert!(rows.len() > 10, "the table was not found: {rows:?}");
        let mut documented = BTreeSet::new();
        for row in rows {
            let cells: Vec<&str> = row["//! |".len()..].split('|').collect();
            let Some(status) = cells.get(1).and_then(|s| s.trim().parse::<u16>().ok()) else {
                continue; // a section's heading
            };
            let codes: Vec<&str> = cells[0]
                .split('`')
                .skip(1)
                .step_by(2)
                .filter(|c| {
                    !c.is_empty()
                        && c.bytes()
                            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                })
                .collect();
            assert!(!codes.is_empty(), "a row without a code: {row}");
            documented.extend(codes.into_iter().map(|code| (code.to_owned(), status)));
        }
        documented
    }

    #[test]
    fn the_table_of_codes_is_the_list_of_fixed_codes() {
        let generated: BTreeSet<(String, u16)> = ApiError::FIXED_CODES
            .iter()
            .map(|(code, status)| ((*code).to_owned(), status.as_u16()))
            .collect();
        let documented = documented_codes();
        assert_eq!(
            documented.difference(&generated).collect::<Vec<_>>(),
            Vec::<&(String, u16)>::new(),
            "in the table, not in ApiError::FIXED_CODES"
        );
        assert_eq!(
            generated.difference(&documented).collect::<Vec<_>>(),
            Vec::<&(String, u16)>::new(),
            "in ApiError::FIXED_CODES, not in the table"
        );
    }

    #[test]
    fn a_fixed_code_has_one_status() {
        let mut statuses: BTreeMap<&str, BTreeSet<u16>> = BTreeMap::new();
        for (code, status) in ApiError::FIXED_CODES {
            statuses.entry(code).or_default().insert(status.as_u16());
        }
        assert!(statuses.len() > 40, "{statuses:?}");
        for (code, statuses) in statuses {
            assert_eq!(statuses.len(), 1, "{code} has the statuses {statuses:?}");
        }
    }

    #[test]
    fn a_variant_answers_with_the_status_and_code_beside_it() {
        let checks = [
            (
                ApiError::NotAcceptable {
                    media_type: "x".into(),
                },
                406,
                "INVALID_ACCEPT_HEADER",
            ),
            (
                ApiError::Internal { what: "x".into() },
                500,
                "UNEXPECTED_ERROR",
            ),
            (
                ApiError::Export(access_core::export::ExportError::NoCaBundle),
                409,
                "EXPORT_NO_CA_BUNDLE",
            ),
            (
                ApiError::Rules {
                    code: "INVALID_CLUSTER_NAME",
                    issues: Vec::new(),
                },
                400,
                "INVALID_CLUSTER_NAME",
            ),
        ];
        for (error, status, code) in checks {
            let body = error.body();
            assert_eq!((body.error, body.error_code.as_str()), (status, code));
        }
    }

    #[test]
    fn a_server_fault_is_carried_to_the_log_layer_not_into_the_body() {
        let response = ApiError::Internal {
            what: "the secret cause".into(),
        }
        .into_response();
        let fault = response
            .extensions()
            .get::<ServerFault>()
            .expect("a ServerFault");
        assert_eq!(
            (fault.kind, &*fault.cause),
            ("internal error", "the secret cause")
        );
        let refused = ApiError::NotAuthenticated.into_response();
        assert!(refused.extensions().get::<ServerFault>().is_none());
    }

    #[test]
    fn a_busy_database_is_503_with_retry_after() {
        let response = ApiError::from(sqlx::Error::PoolTimedOut).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response
                .headers()
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok()),
            Some("1")
        );
        assert!(matches!(
            ApiError::from(sqlx::Error::RowNotFound),
            ApiError::Database(_)
        ));
    }

    #[test]
    fn server_faults_are_500_without_their_internals() {
        let body = ApiError::Database(sqlx::Error::RowNotFound).body();
        assert_eq!(
            (body.error, body.error_code.as_str(), body.reason.as_str()),
            (500, "UNEXPECTED_ERROR", "Internal Server Error")
        );
        assert!(
            !body.detail.to_lowercase().contains("pool"),
            "{}",
            body.detail
        );
    }

    #[test]
    fn bundle_details_list_the_block_problems_first() {
        let problem = |code, block, line, message: &str| Problem {
            code,
            block,
            line,
            message: message.to_owned(),
        };
        let problems = vec![
            problem(ProblemCode::BadBase64, 1, 2, "Block 1 (line 1): damaged."),
            problem(
                ProblemCode::NoCertificates,
                0,
                0,
                "No certificate could be read.",
            ),
        ];
        let body = ApiError::InvalidCaBundle { problems }.body();
        assert_eq!(body.detail, "The X.509 CA bundle was not saved because it cannot be read. Block 1 (line 1): damaged.");
        assert_eq!(
            body.problems.len(),
            2,
            "every problem is listed in `problems`"
        );

        let many: Vec<Problem> = (1..=5)
            .map(|b| {
                problem(
                    ProblemCode::MissingEnd,
                    b,
                    b * 10,
                    &format!("Block {b}: no END."),
                )
            })
            .collect();
        let detail = ApiError::InvalidCaBundle { problems: many }.to_string();
        assert!(
            detail.contains(
                "(5 problems). Block 1: no END. Block 2: no END. Block 3: no END. And 2 more"
            ),
            "{detail}"
        );
    }

    #[test]
    fn expired_details_start_as_atlas_does_and_name_each_certificate() {
        let old = |position, subject: &str| ExpiredCertificate {
            position,
            line: position * 20 + 1,
            subject: subject.to_owned(),
            not_after: "2021-01-01T00:00:00Z".to_owned(),
        };
        let one = ApiError::ExpiredCaCertificate {
            expired: vec![old(2, "CN=Old")],
            certificate_count: 3,
        }
        .body();
        assert_eq!(
            one.detail,
            "The X.509 CA certificate has expired. Certificate 2 of 3 in the bundle (line 41), subject \"CN=Old\", \
             expired on 2021-01-01T00:00:00Z. Remove it from the bundle or replace it with its renewed version; the \
             bundle was not saved."
        );
        assert_eq!(one.parameters, vec![serde_json::Value::from("CN=Old")]);
        let two = ApiError::ExpiredCaCertificate {
            expired: vec![old(1, "CN=A"), old(3, "CN=B")],
            certificate_count: 3,
        };
        let detail = two.to_string();
        assert!(detail.starts_with("The X.509 CA certificate has expired. 2 certificates of the bundle have expired: certificate 1 of 3"), "{detail}");
        assert!(
            detail.contains("; certificate 3 of 3 in the bundle (line 61), subject \"CN=B\""),
            "{detail}"
        );
        let seven = ApiError::ExpiredCaCertificate {
            expired: (1..=7).map(|p| old(p, &format!("CN={p}"))).collect(),
            certificate_count: 9,
        }
        .body();
        assert!(
            seven.detail.contains("certificate 5 of 9")
                && !seven.detail.contains("certificate 6 of 9")
        );
        assert!(
            seven
                .detail
                .contains("; and 2 more (all subjects are in `parameters`)."),
            "{}",
            seven.detail
        );
        assert_eq!(seven.parameters.len(), 7);
    }
}
