//! Every call the console makes to the server: the Atlas Admin API v2 subset, over gloo-net.
//!
//! Errors are an [`ApiError`]: the Atlas error body when the server sent one (its `detail`, `errorCode`
//! and, for a refused CA bundle, its `problems`), else what went wrong on the way.

use std::sync::Arc;

use access_core::api::{ApiErrorBody, Group, Paginated, UserSecurity};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde_json::json;

/// The API version this console speaks; the server echoes it in `Content-Type`.
const ACCEPT: &str = "application/vnd.atlas.2023-01-01+json";
const PREFIX: &str = "/api/atlas/v2";

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

/// The API client: where the API is (from `config.json`).
#[derive(Debug, Clone)]
pub struct Api {
    base: Arc<str>,
}

impl Api {
    /// `api_base`: origin (and optional prefix) without a trailing `/`; empty for the page's origin.
    pub fn new(api_base: &str) -> Self {
        Self {
            base: Arc::from(api_base),
        }
    }

    /// `GET /groups`: the projects.
    pub async fn projects(&self) -> Result<Vec<Group>, ApiError> {
        let url = self.url("/groups");
        let list: Paginated<Group> = send("GET", &url, Request::get(&url)).await?;
        Ok(list.results)
    }

    /// `GET /groups/{groupId}/userSecurity`.
    pub async fn user_security(&self, group_id: &str) -> Result<UserSecurity, ApiError> {
        let url = self.url(&format!("/groups/{}/userSecurity", segment(group_id)));
        send("GET", &url, Request::get(&url)).await
    }

    /// `PATCH /groups/{groupId}/userSecurity` with the CA bundle: turns self-managed X.509 on (or
    /// replaces its CAs).
    pub async fn save_cas(&self, group_id: &str, cas: &str) -> Result<UserSecurity, ApiError> {
        let url = self.url(&format!("/groups/{}/userSecurity", segment(group_id)));
        let body = json!({ "customerX509": { "cas": cas } });
        let request = Request::patch(&url)
            .header("Accept", ACCEPT)
            .json(&body)
            .map_err(|error| ApiError::Unreachable {
                request: format!("PATCH {url}"),
                message: error.to_string(),
            })?;
        send_built("PATCH", &url, request.send()).await
    }

    /// `DELETE /groups/{groupId}/userSecurity/customerX509`: turns self-managed X.509 off.
    pub async fn disable_x509(&self, group_id: &str) -> Result<UserSecurity, ApiError> {
        let url = self.url(&format!(
            "/groups/{}/userSecurity/customerX509",
            segment(group_id)
        ));
        send("DELETE", &url, Request::delete(&url)).await
    }

    fn url(&self, path: &str) -> String {
        format!("{}{PREFIX}{path}", self.base)
    }
}

fn segment(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

async fn send<T: DeserializeOwned>(
    method: &str,
    url: &str,
    builder: RequestBuilder,
) -> Result<T, ApiError> {
    send_built(method, url, builder.header("Accept", ACCEPT).send()).await
}

async fn send_built<T: DeserializeOwned>(
    method: &str,
    url: &str,
    sent: impl std::future::Future<Output = Result<Response, gloo_net::Error>>,
) -> Result<T, ApiError> {
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
        return serde_json::from_str(&text).map_err(|error| ApiError::UnexpectedBody {
            request,
            status,
            message: error.to_string(),
        });
    }
    match serde_json::from_str::<ApiErrorBody>(&text) {
        Ok(body) => Err(ApiError::Refused { request, body }),
        Err(_) => Err(ApiError::Status {
            request,
            status,
            status_text: response.status_text(),
        }),
    }
}

/// The browser says only "Failed to fetch" (the details are in its console, for security reasons).
fn unreachable_message(error: &gloo_net::Error) -> String {
    match error {
        gloo_net::Error::JsError(js) => js.message.clone(),
        other => other.to_string(),
    }
}
