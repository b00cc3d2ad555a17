//! `GET|POST /groups/{groupId}/databaseUsers` and
//! `GET|PATCH|DELETE /groups/{groupId}/databaseUsers/{databaseName}/{username}`: the project's
//! self-managed X.509 (certificate) database users, in the Atlas JSON shape.
//!
//! The username is a distinguished name; it is stored, answered and looked up in its canonical form
//! (`access_core::dn::parse_dn`), so `CN=Jane Doe, O=Acme` and `CN=Jane Doe,O=Acme` are one user. A name
//! in one of openssl's most-significant-first forms (`C = US, O = Acme, CN = Jane`, `/C=US/O=Acme/CN=Jane`)
//! is refused with 400 `DN_NOT_IN_RFC2253_ORDER` naming the name to send, never stored reversed in
//! silence (the console converts it, and shows why, before sending). A user whose `deleteAfterDate`
//! has passed is never answered (see [`crate::storage::database_users`]).

use access_core::database_user::{
    self, AwsIamType, DatabaseUser, LdapAuthType, OidcAuthType, UserLabel, UserRole, UserScope,
    X509Type,
};
use access_core::dn::parse_dn;
use access_core::etag::of_database_user;
use access_core::field_issue::{FieldError as _, FieldIssue};
use access_core::privileges;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse as _;
use axum::Json;
use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer};

use super::caller::Actor;
use super::etag::{Precondition, Tagged};
use super::{groups, page_cache, ApiError, AppState, GroupId, JsonBody, Paging};
use crate::storage::{clusters, database_users, events, now_unix, x509_settings};

/// The database of every certificate user.
pub const EXTERNAL_DATABASE: &str = "$external";
/// Longest `description`, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 1024;
/// How far ahead a `deleteAfterDate` may be (Atlas: one week).
pub const MAX_DELETE_AFTER_SECONDS: i64 = 7 * 86_400;

/// A POST or PATCH body: the Atlas user, every attribute optional (a POST requires `databaseName` and
/// `username`). The read-only `groupId` and `links` are accepted and ignored, so a GET body can be sent
/// back; unknown attributes are refused.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = DatabaseUserRequest)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UserIn {
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    group_id: Option<IgnoredAny>,
    #[allow(dead_code)]
    #[schema(value_type = Option<Value>)]
    links: Option<IgnoredAny>,
    database_name: Option<String>,
    username: Option<String>,
    x509_type: Option<X509Type>,
    #[serde(rename = "awsIAMType")]
    aws_iam_type: Option<AwsIamType>,
    ldap_auth_type: Option<LdapAuthType>,
    oidc_auth_type: Option<OidcAuthType>,
    #[schema(value_type = Option<Value>)]
    password: Option<IgnoredAny>,
    roles: Option<Vec<UserRole>>,
    scopes: Option<Vec<UserScope>>,
    labels: Option<Vec<UserLabel>>,
    #[serde(default, deserialize_with = "present")]
    description: Option<Option<String>>,
    /// Absent: unchanged; `null`: no expiry.
    #[serde(default, deserialize_with = "present")]
    delete_after_date: Option<Option<String>>,
}

/// `Some(value)` for a present attribute, `null` included.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Refuses every kind of user but self-managed X.509 ones, naming the field that made it another kind.
/// `creating`: an absent `x509Type` means `NONE` (a password user), as in Atlas.
fn check_kind(body: &UserIn, creating: bool) -> Result<(), ApiError> {
    let refuse = |field, kind| Err(ApiError::UnsupportedDatabaseUserType { field, kind });
    if body.password.is_some() {
        return refuse("password", "a password (SCRAM) user");
    }
    if body.aws_iam_type.is_some_and(|t| t != AwsIamType::None) {
        return refuse("awsIAMType", "an AWS IAM user");
    }
    if body.ldap_auth_type.is_some_and(|t| t != LdapAuthType::None) {
        return refuse("ldapAuthType", "an LDAP user");
    }
    if body.oidc_auth_type.is_some_and(|t| t != OidcAuthType::None) {
        return refuse("oidcAuthType", "an OIDC user");
    }
    match body.x509_type {
        Some(X509Type::Customer) => Ok(()),
        Some(X509Type::Managed) => refuse("x509Type", "an Atlas-managed X.509 user"),
        Some(X509Type::None) => refuse("x509Type", "a password (SCRAM) user"),
        None if creating => refuse(
            "x509Type",
            "a password (SCRAM) user (x509Type absent means NONE)",
        ),
        None => Ok(()),
    }
}

/// A rule failure on one field, for the `errors` list.
pub(crate) fn issue(field: &str, code: &'static str, detail: String) -> (&'static str, FieldIssue) {
    (
        code,
        FieldIssue {
            field: field.to_owned(),
            error_code: code.to_owned(),
            detail,
        },
    )
}

/// Checks everything but the username and the database; `delete_after` normalised to UTC on success.
async fn check_rules(
    conn: &mut sqlx::AnyConnection,
    project_id: &str,
    user: &mut DatabaseUser,
    username_issue: Option<(&'static str, FieldIssue)>,
    now: i64,
) -> Result<(), ApiError> {
    let custom = database_users::custom_role_names(conn, project_id).await?;
    let project_clusters = clusters::list(conn, project_id).await?;
    check_user_rules(user, &custom, &project_clusters, username_issue, now)
}

/// [`check_rules`] against given custom role names and clusters (an import checks a whole document).
pub(crate) fn check_user_rules(
    user: &mut DatabaseUser,
    custom: &[String],
    project_clusters: &[access_core::cluster::Cluster],
    username_issue: Option<(&'static str, FieldIssue)>,
    now: i64,
) -> Result<(), ApiError> {
    let mut issues: Vec<(&'static str, FieldIssue)> = username_issue.into_iter().collect();
    if let Err(errors) = privileges::validate_user_roles(&user.roles, custom) {
        issues.extend(errors.iter().map(|e| (e.error_code(), e.to_issue())));
    }
    if let Err(errors) = database_user::validate_scopes(&user.scopes, project_clusters) {
        issues.extend(errors.iter().map(|e| (e.error_code(), e.to_issue())));
    }
    for (i, label) in user.labels.iter().enumerate() {
        if label.key.is_empty() {
            issues.push(issue(
                &format!("labels[{i}].key"),
                "LABEL_KEY_EMPTY",
                "a label needs a key".to_owned(),
            ));
        } else if let Some(first) = user.labels.iter().take(i).position(|l| l.key == label.key) {
            issues.push(issue(
                &format!("labels[{i}].key"),
                "DUPLICATE_LABEL_KEY",
                format!(
                    "the label key \"{}\" is already used in labels[{first}]",
                    label.key
                ),
            ));
        }
    }
    if let Some(description) = &user.description {
        let chars = description.chars().count();
        if chars > MAX_DESCRIPTION_CHARS {
            issues.push(issue(
                "description",
                "DESCRIPTION_TOO_LONG",
                format!("the description has {chars} characters; at most {MAX_DESCRIPTION_CHARS} are allowed"),
            ));
        }
    }
    if let Some(date) = user.delete_after_date.clone() {
        match access_core::time::parse_rfc3339(&date) {
            None => issues.push(issue(
                "deleteAfterDate",
                "INVALID_DELETE_AFTER_DATE",
                "the date is not an RFC 3339 date-time, e.g. 2027-01-01T00:00:00Z".to_owned(),
            )),
            Some(at) if at <= now => issues.push(issue(
                "deleteAfterDate",
                "DELETE_AFTER_DATE_IN_PAST",
                format!(
                    "the date {} is not in the future (it is now {})",
                    access_core::time::format_rfc3339(at),
                    access_core::time::format_rfc3339(now)
                ),
            )),
            Some(at) if at > now.saturating_add(MAX_DELETE_AFTER_SECONDS) => issues.push(issue(
                "deleteAfterDate",
                "DELETE_AFTER_DATE_TOO_FAR",
                format!(
                    "a temporary user is deleted at most one week from now (before {})",
                    access_core::time::format_rfc3339(now.saturating_add(MAX_DELETE_AFTER_SECONDS))
                ),
            )),
            Some(at) => user.delete_after_date = Some(access_core::time::format_rfc3339(at)),
        }
    }
    match issues.first() {
        None => Ok(()),
        Some((code, _)) => Err(ApiError::Rules {
            code,
            issues: issues.into_iter().map(|(_, i)| i).collect(),
        }),
    }
}

/// Self-managed X.509 must be on to add certificate users.
async fn check_x509_on(state: &AppState, project_id: &str) -> Result<(), ApiError> {
    let settings = x509_settings::find(&state.pool, project_id).await?;
    if settings.as_ref().and_then(|s| s.active_bundle()).is_some() {
        Ok(())
    } else {
        Err(ApiError::X509AuthenticationNotEnabled {
            group_id: project_id.to_owned(),
        })
    }
}

fn check_database(database: &str) -> Result<(), ApiError> {
    if database == EXTERNAL_DATABASE {
        Ok(())
    } else {
        Err(ApiError::InvalidDatabaseNameForX509User {
            database: database.to_owned(),
        })
    }
}

#[utoipa::path(
    post,
    path = "/groups/{groupId}/databaseUsers",
    tag = "Database Users",
    operation_id = "createDatabaseUser",
    summary = "Adds a certificate user (self-managed X.509 must be on).",
    params(
        super::group_id::GroupPath,
    ),
    request_body(content = UserIn, example = json!({ "databaseName": "$external", "username": "CN=John Roe,OU=Reporting,O=Acme", "x509Type": "CUSTOMER", "roles": [{ "roleName": "readWrite", "databaseName": "sales" }] })),
    responses(
        (status = 201, description = "OK", body = DatabaseUser),
        (status = 409, description = "Conflict"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    group_id: GroupId,
    JsonBody(body): JsonBody<UserIn>,
) -> Result<(StatusCode, Tagged<DatabaseUser>), ApiError> {
    let project = groups::find(&state, &group_id).await?;
    check_kind(&body, true)?;
    let database = body
        .database_name
        .clone()
        .ok_or(ApiError::MissingAttribute {
            name: "databaseName",
        })?;
    let typed = body
        .username
        .clone()
        .ok_or(ApiError::MissingAttribute { name: "username" })?;
    check_database(&database)?;
    check_x509_on(&state, &project.id).await?;
    let (username, username_issue) = match parse_dn(&typed) {
        // Never stored reversed in silence: the client is told the name to send.
        Ok(dn) if dn.reversed_from().is_some() => (
            dn.canonical().to_owned(),
            Some(issue(
                "username",
                "DN_NOT_IN_RFC2253_ORDER",
                format!(
                    "the username is written most significant attribute first, as openssl prints names by default; MongoDB compares the RFC 2253 form, least significant first: send \"{}\"",
                    dn.canonical()
                ),
            )),
        ),
        Ok(dn) => (dn.canonical().to_owned(), None),
        Err(error) => (
            typed.clone(),
            Some(issue(
                "username",
                "INVALID_DN",
                format!("the username is not a distinguished name: {error}"),
            )),
        ),
    };
    let mut user = DatabaseUser {
        group_id: Some(project.id.clone()),
        database_name: database,
        username,
        x509_type: X509Type::Customer,
        aws_iam_type: AwsIamType::None,
        ldap_auth_type: LdapAuthType::None,
        oidc_auth_type: OidcAuthType::None,
        roles: body.roles.unwrap_or_default(),
        scopes: body.scopes.unwrap_or_default(),
        labels: body.labels.unwrap_or_default(),
        description: body.description.flatten(),
        delete_after_date: body.delete_after_date.flatten(),
        password: None,
    };
    let now = now_unix();
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    database_users::remove_expired_in(&mut tx, now).await?;
    check_rules(&mut tx, &project.id, &mut user, username_issue, now).await?;
    if let Some(existing) = database_users::find(
        &mut tx,
        &project.id,
        &user.database_name,
        &user.username,
        now,
    )
    .await?
    {
        return Err(ApiError::DuplicateDatabaseUsername {
            typed: (typed != existing.username).then_some(typed),
            existing: existing.username,
        });
    }
    database_users::insert(&mut tx, &project.id, &user, actor.name(), now).await?;
    tx.commit().await?;
    tracing::info!(group_id = %project.id, "added a database user");
    Ok((StatusCode::CREATED, Tagged(of_database_user(&user), user)))
}

/// The query of the list: paging plus `username` (a case-insensitive substring of the canonical name).
#[utoipa::path(
    get,
    path = "/groups/{groupId}/databaseUsers",
    tag = "Database Users",
    operation_id = "listDatabaseUsers",
    summary = "The certificate users, sorted by name.",
    params(
        super::group_id::GroupPath,
        super::paging::PagingParams,
        ("username" = Option<String>, Query, description = "Part of the user's name, case ignored."),
    ),
    responses(
        (status = 200, description = "OK", body = access_core::api::Paginated<DatabaseUser>),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    group_id: GroupId,
    paging: Paging,
    axum::extract::OriginalUri(uri): axum::extract::OriginalUri,
    headers: axum::http::HeaderMap,
    axum::extract::Query(query): axum::extract::Query<Vec<(String, String)>>,
) -> Result<axum::response::Response, ApiError> {
    let (project, version) = groups::find_with_version(&state, &group_id).await?;
    let key = page_cache::Key::new(page_cache::List::DatabaseUsers, &project.id, &uri);
    let now = now_unix();
    if let Some(answer) = state.pages.get(&key, version, now) {
        return Ok(answer.response(&headers));
    }
    let filter = query
        .iter()
        .rev()
        .find(|(k, _)| k == "username")
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty());
    let (results, total) = database_users::list(
        &state.pool,
        &project.id,
        filter,
        now,
        paging.offset(),
        paging.items_per_page,
        paging.include_count,
    )
    .await?;
    let page = paging.envelope_counted(results, total);
    let valid_until = database_users::next_expiry(&state.pool, &project.id, now).await?;
    Ok(match page_cache::Answer::new(&page, version, valid_until) {
        Some(answer) => state.pages.put(key, answer).response(&headers),
        None => Json(page).into_response(),
    })
}

/// The user named by the path (username canonicalised), or `USERNAME_NOT_FOUND`.
async fn find_in_path(
    conn: &mut sqlx::AnyConnection,
    project_id: &str,
    database: &str,
    username: &str,
    now: i64,
) -> Result<DatabaseUser, ApiError> {
    let not_found = |hint: String| ApiError::UsernameNotFound {
        username: username.to_owned(),
        database: database.to_owned(),
        hint,
    };
    if database != EXTERNAL_DATABASE {
        return Err(not_found(
            " (certificate users live in $external)".to_owned(),
        ));
    }
    let canonical = match parse_dn(username) {
        Ok(dn) if dn.reversed_from().is_some() => {
            return Err(not_found(format!(
                " (it is written most significant attribute first; in RFC 2253 order it is {:?})",
                dn.canonical()
            )))
        }
        Ok(dn) => dn.canonical().to_owned(),
        Err(error) => {
            return Err(not_found(format!(
                " (it is not a distinguished name: {error})"
            )))
        }
    };
    match database_users::find(conn, project_id, database, &canonical, now).await? {
        Some(user) => Ok(user),
        None if canonical != username => Err(not_found(format!(
            " (looked up as its canonical form {canonical:?})"
        ))),
        None => Err(not_found(String::new())),
    }
}

#[utoipa::path(
    get,
    path = "/groups/{groupId}/databaseUsers/{databaseName}/{username}",
    tag = "Database Users",
    operation_id = "getDatabaseUser",
    summary = "One user.",
    params(
        super::group_id::GroupPath,
        ("databaseName" = String, Path, description = "`$external` for certificate users.", min_length = 1, example = "$external"),
        ("username" = String, Path, description = "The user's distinguished name, percent-encoded; any typing of it finds the user.", min_length = 1, example = "CN=Jane Doe,O=Acme"),
    ),
    responses(
        (status = 200, description = "OK", body = DatabaseUser),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Path((_, database, username)): Path<(String, String, String)>,
    group_id: GroupId,
) -> Result<Tagged<DatabaseUser>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let mut conn = state.pool.acquire().await?;
    let user = find_in_path(&mut conn, &project.id, &database, &username, now_unix()).await?;
    Ok(Tagged(of_database_user(&user), user))
}

/// 412 unless `user` meets the request's `If-Match`.
fn check_unchanged(precondition: &Precondition, user: &DatabaseUser) -> Result<(), ApiError> {
    precondition.check(&of_database_user(user), || {
        format!("database user {}", user.username)
    })
}

#[utoipa::path(
    patch,
    path = "/groups/{groupId}/databaseUsers/{databaseName}/{username}",
    tag = "Database Users",
    operation_id = "updateDatabaseUser",
    summary = "Changes roles, scopes, labels, description or expiry; never the name.",
    params(
        super::group_id::GroupPath,
        ("databaseName" = String, Path, description = "`$external` for certificate users.", min_length = 1, example = "$external"),
        ("username" = String, Path, description = "The user's distinguished name, percent-encoded; any typing of it finds the user.", min_length = 1, example = "CN=Jane Doe,O=Acme"),
    ),
    request_body(content = UserIn, example = json!({ "description": "reporting job" })),
    responses(
        (status = 200, description = "OK", body = DatabaseUser),
        (status = 412, description = "Precondition Failed"),
    )
)]
pub async fn patch(
    State(state): State<AppState>,
    actor: Actor,
    Path((_, database, username)): Path<(String, String, String)>,
    group_id: GroupId,
    precondition: Precondition,
    JsonBody(body): JsonBody<UserIn>,
) -> Result<Tagged<DatabaseUser>, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    check_kind(&body, false)?;
    let now = now_unix();
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    database_users::remove_expired_in(&mut tx, now).await?;
    let before = find_in_path(&mut tx, &project.id, &database, &username, now).await?;
    check_unchanged(&precondition, &before)?;
    if body
        .database_name
        .as_ref()
        .is_some_and(|d| *d != before.database_name)
    {
        return Err(ApiError::CannotRenameDatabaseUser {
            field: "databaseName",
        });
    }
    if let Some(typed) = &body.username {
        let same = parse_dn(typed)
            .is_ok_and(|dn| dn.reversed_from().is_none() && dn.canonical() == before.username);
        if !same {
            return Err(ApiError::CannotRenameDatabaseUser { field: "username" });
        }
    }
    let mut after = before.clone();
    if let Some(roles) = body.roles {
        after.roles = roles;
    }
    if let Some(scopes) = body.scopes {
        after.scopes = scopes;
    }
    if let Some(labels) = body.labels {
        after.labels = labels;
    }
    if let Some(description) = body.description {
        after.description = description;
    }
    if let Some(date) = body.delete_after_date {
        after.delete_after_date = date;
    }
    check_rules(&mut tx, &project.id, &mut after, None, now).await?;
    if after != before {
        database_users::update(&mut tx, &project.id, &before, &after, actor.name(), now).await?;
        tx.commit().await?;
        tracing::info!(group_id = %project.id, "updated a database user");
    }
    Ok(Tagged(of_database_user(&after), after))
}

#[utoipa::path(
    delete,
    path = "/groups/{groupId}/databaseUsers/{databaseName}/{username}",
    tag = "Database Users",
    operation_id = "deleteDatabaseUser",
    summary = "Removes the user.",
    params(
        super::group_id::GroupPath,
        ("databaseName" = String, Path, description = "`$external` for certificate users.", min_length = 1, example = "$external"),
        ("username" = String, Path, description = "The user's distinguished name, percent-encoded; any typing of it finds the user.", min_length = 1, example = "CN=Jane Doe,O=Acme"),
    ),
    responses(
        (status = 204, description = "Done; no body."),
        (status = 412, description = "Precondition Failed"),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    actor: Actor,
    Path((_, database, username)): Path<(String, String, String)>,
    group_id: GroupId,
    precondition: Precondition,
) -> Result<StatusCode, ApiError> {
    let project = groups::find(&state, &group_id).await?;
    let now = now_unix();
    let mut tx = crate::storage::begin_write(&state.pool).await?;
    database_users::remove_expired_in(&mut tx, now).await?;
    let user = find_in_path(&mut tx, &project.id, &database, &username, now).await?;
    check_unchanged(&precondition, &user)?;
    database_users::delete(
        &mut tx,
        &project.id,
        &user,
        events::EventType::MongodbUserDeleted,
        actor.name(),
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(group_id = %project.id, "deleted a database user");
    Ok(StatusCode::NO_CONTENT)
}
