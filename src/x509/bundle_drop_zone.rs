//! Where a CA file is dropped, or picked with the Upload button. Hands the files to the editor.

use leptos::html;
use leptos::prelude::*;

/// The file types offered by the file picker (any file can still be dropped; its content decides).
const ACCEPT: &str = ".pem,.crt,.cer,.der,.txt,application/x-pem-file,application/x-x509-ca-cert,application/pkix-cert";

#[component]
pub fn BundleDropZone(
    /// Called with the dropped or picked files, in order.
    on_files: Callback<Vec<web_sys::File>>,
) -> impl IntoView {
    let input = NodeRef::<html::Input>::new();
    let dragging = RwSignal::new(false);

    // A file dropped beside the zone must not replace the console with the file's content.
    let stop_navigation = window_event_listener(leptos::ev::dragover, |ev| ev.prevent_default());
    let stop_drop = window_event_listener(leptos::ev::drop, |ev| ev.prevent_default());
    on_cleanup(move || {
        stop_navigation.remove();
        stop_drop.remove();
    });

    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let files = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .map(files_of)
            .unwrap_or_default();
        if !files.is_empty() {
            on_files.run(files);
        }
    };
    let on_picked = move |_| {
        let Some(element) = input.get() else { return };
        let files = element.files().map(files_of).unwrap_or_default();
        // Reset, so that picking the same file again is seen as a change.
        element.set_value("");
        if !files.is_empty() {
            on_files.run(files);
        }
    };

    view! {
        <div
            class="drop-zone"
            class:dragging=dragging
            data-testid="bundle-drop-zone"
            on:dragenter=move |ev| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragover=move |ev| {
                ev.prevent_default();
                if let Some(dt) = ev.data_transfer() {
                    dt.set_drop_effect("copy");
                }
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <span class="drop-zone-icon" aria-hidden="true"></span>
            <p class="drop-zone-text">
                <strong>"Drop a .pem, .crt or .cer file here"</strong>
                <span class="drop-zone-or">" or "</span>
            </p>
            <button
                type="button"
                class="button button-secondary"
                data-testid="bundle-upload"
                on:click=move |_| {
                    if let Some(element) = input.get() {
                        element.click();
                    }
                }
            >
                "Upload"
            </button>
            <input
                node_ref=input
                type="file"
                class="visually-hidden"
                id="bundle-file"
                data-testid="bundle-file-input"
                accept=ACCEPT
                multiple=true
                tabindex="-1"
                aria-label="Upload CA certificate files"
                on:change=on_picked
            />
            <p class="drop-zone-hint">
                "Files are read in your browser. Several CAs may be concatenated in one file; a DER .cer is converted to PEM."
            </p>
        </div>
    }
}

fn files_of(list: web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}
