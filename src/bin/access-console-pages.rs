//! The pages module: the console's pages most sessions never open, loaded on demand (see the library's
//! `lazy_page` module). Its exports are what the console calls; it starts nothing by itself.

// Production code states why it cannot fail instead of unwrapping (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use wasm_bindgen::prelude::*;

/// A mounted page: the console calls `unmount` when the page is left.
#[wasm_bindgen]
pub struct MountedPage(Option<access_console_ui::lazy_page::mount::Mounted>);

#[wasm_bindgen]
impl MountedPage {
    pub fn unmount(&mut self) {
        self.0 = None;
    }

    pub fn set_project_name(&self, name: Option<String>) {
        if let Some(mounted) = &self.0 {
            mounted.set_project_name(name);
        }
    }
}

/// Renders the page of `props` (JSON: `access_console_ui::lazy_page::Props`) into `element`.
#[wasm_bindgen]
pub fn mount_page(element: web_sys::HtmlElement, props: &str) -> Result<MountedPage, JsError> {
    console_error_panic_hook::set_once();
    access_console_ui::lazy_page::mount::mount(element, props)
        .map(|mounted| MountedPage(Some(mounted)))
        .map_err(|error| JsError::new(&error.to_string()))
}

fn main() {}
