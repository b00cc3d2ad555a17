//! `config.json`, read at start from beside `index.html`: where the API lives.
//!
//! `{"apiBase": ""}` (or a missing or unreadable file) means the API is on the same origin as the page,
//! under `/api/atlas/v2`. `{"apiBase": "https://console.example.com"}` sends every call there instead (that
//! server must then allow this page's origin with CORS).

use serde::Deserialize;

/// The name of the file, resolved against the page's own address, so it is found whatever sub-path
/// `dist/` is served from.
const CONFIG_FILE: &str = "config.json";

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConsoleConfig {
    /// Origin (and optional path prefix) of the API, without a trailing `/`; empty for the page's origin.
    pub api_base: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConfigFile {
    #[serde(default)]
    api_base: String,
}

impl ConsoleConfig {
    /// Reads `config.json`; on any failure, warns in the browser console and uses the page's origin.
    pub async fn load() -> Self {
        match fetch().await {
            Ok(file) => Self::from_api_base(&file.api_base),
            Err(why) => {
                leptos::logging::warn!(
                    "Access Console: {why}; calling the API on this page's origin (/api/atlas/v2)."
                );
                Self::default()
            }
        }
    }

    fn from_api_base(api_base: &str) -> Self {
        Self {
            api_base: api_base.trim().trim_end_matches('/').to_owned(),
        }
    }
}

async fn fetch() -> Result<ConfigFile, String> {
    let response = gloo_net::http::Request::get(CONFIG_FILE)
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
        .map_err(|error| format!("cannot read {CONFIG_FILE}: {error}"))?;
    if !response.ok() {
        return Err(format!(
            "cannot read {CONFIG_FILE}: HTTP {} {}",
            response.status(),
            response.status_text()
        ));
    }
    let text = response
        .text()
        .await
        .map_err(|error| format!("cannot read {CONFIG_FILE}: {error}"))?;
    serde_json::from_str(&text).map_err(|error| {
        format!("{CONFIG_FILE} is not a JSON object like {{\"apiBase\": \"\"}} ({error})")
    })
}
