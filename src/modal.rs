//! A modal dialog as keyboard and screen-reader users expect one: focus moves into it when it opens
//! (to the element marked `data-autofocus`, else the first control), Tab and Shift+Tab stay inside it,
//! Escape closes it wherever the focus is, and focus returns to the control that opened it. Every
//! dialog of the console is one of these.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What can take focus inside a dialog.
const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]):not([tabindex='-1']), \
    select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

/// The attribute that marks the control to return focus to (one dialog open at a time has it).
const RETURN_FOCUS: &str = "data-return-focus";

#[component]
pub fn Modal(
    /// `dialog`, or `alertdialog` for a confirmation.
    #[prop(default = "dialog")]
    role: &'static str,
    /// The dialog's classes (`dialog`, `dialog dialog-wide`).
    #[prop(default = "dialog")]
    class: &'static str,
    /// The id of the dialog's title.
    labelled_by: &'static str,
    #[prop(optional)] described_by: Option<&'static str>,
    test_id: &'static str,
    /// While true (e.g. saving), Escape does not close the dialog.
    #[prop(into, optional)]
    busy: Signal<bool>,
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<html::Div>::new();

    // Remember the opener, and move focus in.
    let opener = document()
        .active_element()
        .filter(|e| e.tag_name() != "BODY");
    if let Some(opener) = &opener {
        let _ = opener.set_attribute(RETURN_FOCUS, "");
    }
    Effect::new(move |_| {
        if let Some(element) = dialog.get() {
            let target = element
                .query_selector("[data-autofocus]")
                .ok()
                .flatten()
                .or_else(|| element.query_selector(FOCUSABLE).ok().flatten());
            if let Some(target) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = target.focus();
            }
        }
    });

    let keys = window_event_listener(ev::keydown, move |event: web_sys::KeyboardEvent| {
        let Some(element) = dialog.get_untracked() else {
            return;
        };
        if !is_topmost(&element) {
            return;
        }
        match event.key().as_str() {
            "Escape" if !busy.get_untracked() => {
                event.prevent_default();
                on_close.run(());
            }
            "Tab" => keep_focus_inside(&element, &event),
            _ => {}
        }
    });
    on_cleanup(move || {
        keys.remove();
        // Back to the control that opened the dialog, if it is still on the page.
        if let Ok(Some(opener)) = document().query_selector(&format!("[{RETURN_FOCUS}]")) {
            let _ = opener.remove_attribute(RETURN_FOCUS);
            if let Ok(opener) = opener.dyn_into::<web_sys::HtmlElement>() {
                let _ = opener.focus();
            }
        }
    });

    view! {
        <div class="dialog-backdrop">
            <div
                node_ref=dialog
                class=class
                role=role
                aria-modal="true"
                aria-labelledby=labelled_by
                aria-describedby=described_by
                data-testid=test_id
            >
                {children()}
            </div>
        </div>
    }
}

/// Whether `element` is the last modal dialog on the page (the one a key press is for).
fn is_topmost(element: &web_sys::HtmlDivElement) -> bool {
    let all = document().query_selector_all("[aria-modal=true]").ok();
    let last = all.and_then(|list| list.item(list.length().saturating_sub(1)));
    last.is_some_and(|last| last.is_same_node(Some(element)))
}

/// Tab from the last control goes to the first, Shift+Tab from the first to the last, and Tab with
/// the focus outside the dialog goes into it.
fn keep_focus_inside(element: &web_sys::HtmlDivElement, event: &web_sys::KeyboardEvent) {
    let Ok(list) = element.query_selector_all(FOCUSABLE) else {
        return;
    };
    let focusable: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        // Shown on the page (not in a closed <details>, not display: none).
        .filter(|e| e.get_client_rects().length() > 0)
        .collect();
    let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else {
        event.prevent_default();
        return;
    };
    let active = document().active_element();
    let inside = active
        .as_ref()
        .is_some_and(|a| element.contains(Some(a.unchecked_ref())));
    let at = |e: &web_sys::HtmlElement| active.as_ref().is_some_and(|a| a.is_same_node(Some(e)));
    let target = if !inside {
        Some(if event.shift_key() { last } else { first })
    } else if event.shift_key() && at(first) {
        Some(last)
    } else if !event.shift_key() && at(last) {
        Some(first)
    } else {
        None
    };
    if let Some(target) = target {
        event.prevent_default();
        let _ = target.focus();
    }
}
