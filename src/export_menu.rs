//! The Export menu of Database Access: each format of `GET .../export` as a download (the file is fetched
//! with the session's credentials, then saved through a Blob URL).

use access_core::export::Format;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;

/// What each entry of the menu says.
fn label(format: Format) -> &'static str {
    match format {
        Format::Mongosh => "mongosh script (self-managed deployment)",
        Format::Terraform => "Terraform (mongodbatlas provider)",
        Format::CaBundle => "CA bundle (PEM)",
        Format::MongodConf => "mongod.conf snippet and CA rotation",
        Format::Json => "Whole project (JSON, for import)",
    }
}

/// Saves `text` as `file_name` through a temporary object URL.
fn save(text: &str, file_name: &str, content_type: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let anchor: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

#[component]
pub fn ExportMenu(group_id: String) -> impl IntoView {
    let api = expect_context::<Api>();
    let error = RwSignal::new(None::<(Format, ApiError)>);
    let busy = RwSignal::new(None::<Format>);
    let download = move |format: Format| {
        let api = api.clone();
        let group_id = group_id.clone();
        busy.set(Some(format));
        error.set(None);
        leptos::task::spawn_local(async move {
            match api.export(&group_id, format.name()).await {
                Ok(text) => {
                    if let Err(message) = save(&text, format.file_name(), format.content_type()) {
                        leptos::logging::warn!("cannot save {}: {message}", format.file_name());
                    }
                }
                Err(e) => error.set(Some((format, e))),
            }
            busy.set(None);
        });
    };
    view! {
        <details class="export-menu" data-testid="export-menu">
            <summary class="button button-secondary">"Export"</summary>
            <ul class="export-menu-list" role="list">
                {Format::ALL
                    .map(|format| {
                        let download = download.clone();
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="export-menu-item"
                                    data-testid=format!("export-{}", format.name())
                                    disabled=move || busy.get().is_some()
                                    on:click=move |_| download(format)
                                >
                                    <span>{label(format)}</span>
                                    <span class="export-menu-file">{format.file_name()}</span>
                                </button>
                            </li>
                        }
                    })}
            </ul>
            {move || {
                error
                    .get()
                    .map(|(format, error)| {
                        view! {
                            <ApiErrorPanel title=format!("{} was not exported", format.file_name()) error />
                        }
                    })
            }}
        </details>
    }
}
