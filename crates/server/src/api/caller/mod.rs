//! Who is calling, for the API: the request [`guard`] (a session or a programmatic API key, then the
//! caller's project role), the [`Principal`] it puts in the request's extensions, and the extractors
//! handlers take ([`Actor`], [`Principal`]).
//!
//! Every route of the API but `GET /api/console/status`, `POST /api/console/setup` and
//! `POST /api/console/signIn` goes through [`guard::guard`]: it authenticates the caller (with
//! [`crate::access`]'s Digest and session secrets), finds the
//! [`Permission`](access_core::project_role::Permission) the request needs from its method and the route
//! axum matched, in the route table ([`super::routes`]; never from the words of the path), checks
//! the caller's role in the project of the path's `{groupId}`, and hands the [`Principal`] to the
//! handler (whose [`Actor`] names it in the activity feed).

pub mod api_key;
pub mod guard;

use std::collections::BTreeMap;

use access_core::org_role::OrgRole;
use access_core::project_role::ProjectRole;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::ApiError;

/// Who is calling, and their role in each project.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The name the activity feed shows: the account's username or the API key's public key.
    pub name: String,
    pub kind: PrincipalKind,
    /// Project id → role.
    pub roles: BTreeMap<String, ProjectRole>,
    /// Organization id → role.
    pub org_roles: BTreeMap<String, OrgRole>,
}

impl Principal {
    /// Whether some organization role of the caller reaches into every project of its organization
    /// (then the caller may see projects where it has no project role).
    pub fn reaches_into_projects(&self) -> bool {
        self.org_roles
            .values()
            .any(|role| role.in_every_project().is_some())
    }

    /// The caller's role in `project_id` of `org_id` ([`access_core::org_role::effective_project_role`]).
    pub fn role_in(&self, project_id: &str, org_id: &str) -> Option<ProjectRole> {
        access_core::org_role::effective_project_role(
            self.roles.get(project_id).copied(),
            self.org_roles.get(org_id).copied(),
        )
    }

    /// Which projects the caller may see, for storage queries.
    pub fn viewer(&self) -> crate::storage::projects::Viewer<'_> {
        match &self.kind {
            PrincipalKind::Session { account_id, .. } => {
                crate::storage::projects::Viewer::Account(account_id)
            }
            PrincipalKind::ApiKey { id } => crate::storage::projects::Viewer::ApiKey(id),
        }
    }
}

#[derive(Debug, Clone)]
pub enum PrincipalKind {
    /// A console account signed in; `token_sha256` names its session.
    Session {
        account_id: String,
        token_sha256: String,
        csrf_token: String,
        expires_at: String,
    },
    /// A programmatic API key verified with HTTP Digest; `name` is its public key.
    ApiKey { id: String },
}

/// The name the activity feed records for a change: the principal the guard let through.
#[derive(Debug, Clone)]
pub struct Actor(pub String);

impl Actor {
    pub fn name(&self) -> &str {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Principal>()
            .map(|principal| Actor(principal.name.clone()))
            .ok_or(ApiError::NotAuthenticated)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Principal>()
            .cloned()
            .ok_or(ApiError::NotAuthenticated)
    }
}
