//! Field errors people can find (issue 21, item 5): the errors of a field sit in an element of a known
//! id ([`errors_id`]) that the field names in `aria-describedby` (with `aria-invalid` while it has
//! one), so a screen reader reads them with the field; and when a save is refused over a field (by the
//! page's own check or by the server's `errors[].field`), [`reveal_first_invalid`] scrolls that field
//! into view and puts focus on it, next to its error.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The id of the element holding the errors of `field` in the form named `form`.
pub fn errors_id(form: &str, field: &str) -> String {
    let safe: String = field
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{form}-{safe}-errors")
}

/// Once the errors are on the page: the first field under `container` (a CSS selector) marked
/// `aria-invalid="true"` is scrolled into view and focused.
pub fn reveal_first_invalid(container: &'static str) {
    request_animation_frame(move || {
        let selector = format!("{container} [aria-invalid=true]");
        if let Ok(Some(field)) = document().query_selector(&selector) {
            field.scroll_into_view_with_bool(false);
            if let Ok(field) = field.dyn_into::<web_sys::HtmlElement>() {
                let _ = field.focus();
            }
        }
    });
}
