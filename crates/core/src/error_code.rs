//! The stable `errorCode` of each answer of the API that is not decided by a rule (rules carry
//! their own codes: [`crate::field_issue::FieldError::error_code`]). The server's error enum
//! declares each of its variants with one of these; the console compares an answer's code with
//! them, never with a string of its own.
//!
//! Each constant's doc starts with the HTTP status it is answered with, then says when; the full
//! table (with each answer's `parameters`) is the module comment of the server's `api/error.rs`.

/// 404: the API key's access list has no such entry (`apiKeys/{id}/accessList/{entry}`).
pub const ACCESS_LIST_ENTRY_NOT_FOUND: &str = "ACCESS_LIST_ENTRY_NOT_FOUND";
/// 404: no console account of that name in the project.
pub const ACCOUNT_NOT_FOUND: &str = "ACCOUNT_NOT_FOUND";
/// 409: acknowledging an alert that is already CLOSED.
pub const ALERT_CLOSED: &str = "ALERT_CLOSED";
/// 404: no alert configuration of that id in the project.
pub const ALERT_CONFIG_NOT_FOUND: &str = "ALERT_CONFIG_NOT_FOUND";
/// 404: no alert of that id in the project.
pub const ALERT_NOT_FOUND: &str = "ALERT_NOT_FOUND";
/// 404: no programmatic API key of that id has a role in the project.
pub const API_KEY_NOT_FOUND: &str = "API_KEY_NOT_FOUND";
/// 401: an `Authorization: Digest` request was refused (unknown key, wrong response, stale nonce,
/// replayed nc, ...): one detail for all, the reason is in the server's log only;
/// `WWW-Authenticate` carries a new challenge.
pub const API_KEY_UNAUTHORIZED: &str = "API_KEY_UNAUTHORIZED";
/// 409: `DELETE /groups/{groupId}` while the project still has clusters, as Atlas refuses it.
pub const CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS: &str =
    "CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS";
/// 400: a PATCH body's `username` or `databaseName` differs from the user named in the path (a
/// database user cannot be renamed).
pub const CANNOT_RENAME_DATABASE_USER: &str = "CANNOT_RENAME_DATABASE_USER";
/// 409: deleting a cluster that some database user's `scopes` name (the detail lists those users).
pub const CLUSTER_IN_USE: &str = "CLUSTER_IN_USE";
/// 404: no cluster of that name in the project (also the Access Check's `cluster` when it names
/// none).
pub const CLUSTER_NOT_FOUND: &str = "CLUSTER_NOT_FOUND";
/// 403: the caller's own session (`GET`/`DELETE /api/console/session`, password change) was asked
/// for with an API key instead of a console session.
pub const CONSOLE_SESSION_REQUIRED: &str = "CONSOLE_SESSION_REQUIRED";
/// 503: the database is busy (SQLite's write lock held past the busy timeout, no pooled connection
/// in time, a PostgreSQL lock timeout); nothing changed, `Retry-After: 1`, logged.
pub const DATABASE_BUSY: &str = "DATABASE_BUSY";
/// 400: the deployment state posted to `drift` is not mongosh's `{users, roles}` output (the detail
/// says what and where, e.g. `roles[2].privileges[0].resource`).
pub const DRIFT_STATE_MALFORMED: &str = "DRIFT_STATE_MALFORMED";
/// 409: a console account of that name exists already (names compared ignoring case).
pub const DUPLICATE_ACCOUNT_NAME: &str = "DUPLICATE_ACCOUNT_NAME";
/// 409: the project has a cluster of that name already.
pub const DUPLICATE_CLUSTER_NAME: &str = "DUPLICATE_CLUSTER_NAME";
/// 409: a database user with the same canonical name exists (the detail gives its name as stored).
pub const DUPLICATE_DATABASE_USERNAME: &str = "DUPLICATE_DATABASE_USERNAME";
/// 404: `GET /orgs/{orgId}/events/{eventId}` or `GET /groups/{groupId}/events/{eventId}` names no event
/// of the organization or project.
pub const EVENT_NOT_FOUND: &str = "EVENT_NOT_FOUND";
/// 400: the CA bundle holds an expired certificate (Atlas refuses it too); the parameters are the
/// expired subjects.
pub const EXPIRED_X509_CA_CERTIFICATE: &str = "EXPIRED_X509_CA_CERTIFICATE";
/// 409: the organization has a project of that name already.
pub const GROUP_ALREADY_EXISTS: &str = "GROUP_ALREADY_EXISTS";
/// 404: `GET /groups/byName/{groupName}` finds no project of that name the caller may see.
pub const GROUP_NAME_NOT_FOUND: &str = "GROUP_NAME_NOT_FOUND";
/// 404: no project has that `groupId`, or the caller has no role in it (its existence is not
/// disclosed).
pub const GROUP_NOT_FOUND: &str = "GROUP_NOT_FOUND";
/// 403: the caller's organization role does not allow the change (creating a project needs
/// `ORG_OWNER` or `ORG_GROUP_CREATOR`, the rest `ORG_OWNER`).
pub const INSUFFICIENT_ORG_ROLE: &str = "INSUFFICIENT_ORG_ROLE";
/// 403: the caller's project role does not allow the change (the detail says which roles do).
pub const INSUFFICIENT_PROJECT_ROLE: &str = "INSUFFICIENT_PROJECT_ROLE";
/// 406: `Accept` asks for an Atlas media type other than `application/vnd.atlas.YYYY-MM-DD+json`.
pub const INVALID_ACCEPT_HEADER: &str = "INVALID_ACCEPT_HEADER";
/// 400: the body is valid JSON of the wrong shape (wrong type, unknown attribute); the detail gives
/// the field path, line and column.
pub const INVALID_ATTRIBUTE: &str = "INVALID_ATTRIBUTE";
/// 401: sign-in with a wrong username or password (which of the two is not said).
pub const INVALID_CREDENTIALS: &str = "INVALID_CREDENTIALS";
/// 403: a change sent with the session cookie lacks the session's `X-CSRF-Token`.
pub const INVALID_CSRF_TOKEN: &str = "INVALID_CSRF_TOKEN";
/// 400: the `databaseName` of a certificate (X.509) user is not `$external`, where MongoDB keeps
/// externally authenticated users.
pub const INVALID_DATABASE_NAME_FOR_X509_USER: &str = "INVALID_DATABASE_NAME_FOR_X509_USER";
/// 400: the `{groupId}` in the path is not 24 lowercase hexadecimal characters.
pub const INVALID_GROUP_ID: &str = "INVALID_GROUP_ID";
/// 400: `If-Match` is neither `*` nor a list of entity tags (`"abc"`, `W/"abc"`).
pub const INVALID_IF_MATCH_HEADER: &str = "INVALID_IF_MATCH_HEADER";
/// 400: the body is empty or not JSON (the detail gives line and column).
pub const INVALID_JSON: &str = "INVALID_JSON";
/// 400: the `{orgId}` in the path, or a body's `orgId`, is not 24 lowercase hexadecimal characters.
pub const INVALID_ORG_ID: &str = "INVALID_ORG_ID";
/// 400: a query parameter is out of range or of the wrong form (e.g. `pageNum=0`,
/// `itemsPerPage=1000`, `includeCount=maybe`, an unknown `eventType`, an export `format`).
pub const INVALID_QUERY_PARAMETER: &str = "INVALID_QUERY_PARAMETER";
/// 403: `POST /api/console/setup` with a setup code other than the one in the server's log.
pub const INVALID_SETUP_CODE: &str = "INVALID_SETUP_CODE";
/// 400: the CA bundle has a problem that is not a private key (bad base64, missing END line, ...);
/// the answer's `problems` list them.
pub const INVALID_X509_CA_BUNDLE: &str = "INVALID_X509_CA_BUNDLE";
/// 403: an API key was used from an address outside its access list.
pub const IP_ADDRESS_NOT_ON_ACCESS_LIST: &str = "IP_ADDRESS_NOT_ON_ACCESS_LIST";
/// 409: the change would demote the organization's only owner.
pub const LAST_ORG_OWNER: &str = "LAST_ORG_OWNER";
/// 409: the change would remove or demote the project's only owner.
pub const LAST_PROJECT_OWNER: &str = "LAST_PROJECT_OWNER";
/// 405: the resource exists but not with that method (the `Allow` header lists those it has).
pub const METHOD_NOT_ALLOWED: &str = "METHOD_NOT_ALLOWED";
/// 400: a required attribute is absent (`username`, `databaseName`, `name`; an API key's `desc` or
/// `roles`).
pub const MISSING_ATTRIBUTE: &str = "MISSING_ATTRIBUTE";
/// 401: no session (cookie or `Authorization: Bearer`) and no API key; `WWW-Authenticate` says how
/// to authenticate.
pub const NOT_AUTHENTICATED: &str = "NOT_AUTHENTICATED";
/// 400: `POST .../alertConfigs/{id}/test` on a configuration that has no WEBHOOK notification.
pub const NO_WEBHOOK_NOTIFICATION: &str = "NO_WEBHOOK_NOTIFICATION";
/// 400: the CA bundle holds no PEM block at all (e.g. it is empty).
pub const NO_X509_CA_CERTIFICATE: &str = "NO_X509_CA_CERTIFICATE";
/// 400: `POST /groups` without `orgId` by a caller who belongs to several organizations.
pub const ORG_ID_REQUIRED: &str = "ORG_ID_REQUIRED";
/// 404: no organization has that `orgId`, or the caller has no role in it.
pub const ORG_NOT_FOUND: &str = "ORG_NOT_FOUND";
/// 413: the request body is larger than the server's body limit.
pub const PAYLOAD_TOO_LARGE: &str = "PAYLOAD_TOO_LARGE";
/// 400: the CA bundle holds a private key (never echoed, never logged).
pub const PRIVATE_KEY_IN_X509_CA_BUNDLE: &str = "PRIVATE_KEY_IN_X509_CA_BUNDLE";
/// 429: an API key sent more requests than `--api-key-rate-limit` per minute (`Retry-After` says
/// when to try again).
pub const RATE_LIMITED: &str = "RATE_LIMITED";
/// 412: `If-Match` names none of the resource's current ETags: it changed since it was read, and
/// nothing was changed (weak tags never match).
pub const RESOURCE_CHANGED: &str = "RESOURCE_CHANGED";
/// 404: no API resource at that path.
pub const RESOURCE_NOT_FOUND: &str = "RESOURCE_NOT_FOUND";
/// 401: the session token is unknown, expired or signed out.
pub const SESSION_EXPIRED: &str = "SESSION_EXPIRED";
/// 409: `POST /api/console/setup` when a console account exists already.
pub const SETUP_ALREADY_DONE: &str = "SETUP_ALREADY_DONE";
/// 429: every password-hashing slot (`--max-concurrent-sign-ins`) is busy; `Retry-After: 1`.
pub const SIGN_IN_BUSY: &str = "SIGN_IN_BUSY";
/// 429: 5 failed sign-ins as one name within 15 minutes, or more sign-in attempts from one address
/// than `--sign-in-rate-limit` per minute; `Retry-After` says when to try again.
pub const TOO_MANY_SIGN_IN_ATTEMPTS: &str = "TOO_MANY_SIGN_IN_ATTEMPTS";
/// 500: a fault of the server itself (e.g. the database is unavailable); logged with the request
/// id.
pub const UNEXPECTED_ERROR: &str = "UNEXPECTED_ERROR";
/// 400: an `orgRole` other than `ORG_OWNER`, `ORG_GROUP_CREATOR`, `ORG_READ_ONLY`, `ORG_MEMBER`.
pub const UNKNOWN_ORG_ROLE: &str = "UNKNOWN_ORG_ROLE";
/// 400: the user is not a self-managed X.509 user (`password`, `awsIAMType`, `ldapAuthType`,
/// `oidcAuthType` set, or `x509Type` other than `CUSTOMER`): the only kind this console manages.
pub const UNSUPPORTED_DATABASE_USER_TYPE: &str = "UNSUPPORTED_DATABASE_USER_TYPE";
/// 415: the request's `Content-Type` is not JSON.
pub const UNSUPPORTED_MEDIA_TYPE: &str = "UNSUPPORTED_MEDIA_TYPE";
/// 404: no (unexpired) database user of that name in that database.
pub const USERNAME_NOT_FOUND: &str = "USERNAME_NOT_FOUND";
/// 409: the project has self-managed X.509 authentication off (no CA bundle), so a certificate user
/// cannot be added.
pub const X509_AUTHENTICATION_NOT_ENABLED: &str = "X509_AUTHENTICATION_NOT_ENABLED";
/// 400: the CA bundle is over 1 MiB or holds over 200 PEM blocks (`crate::bundle_limits`); nothing
/// of it is read.
pub const X509_CA_BUNDLE_TOO_LARGE: &str = "X509_CA_BUNDLE_TOO_LARGE";
