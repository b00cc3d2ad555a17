//! The Add / Edit Database User dialog as the Users tab opens it: the dialog itself (with the DN parser,
//! the privileges editor and the certificate reader) is in the pages module, loaded the first time a
//! dialog is opened, so the first load carries only the list (issue 19; see `lazy_page`).

use access_core::database_user::DatabaseUser;
use leptos::prelude::*;

use crate::lazy_page::{LazyMount, LazyView, ViewEvent};

#[derive(Debug, Clone, PartialEq)]
pub enum DialogMode {
    Add,
    Edit(DatabaseUser),
}

#[component]
pub fn LazyUserDialog(
    mode: DialogMode,
    group_id: String,
    /// The project's stored CA bundle, for a dropped client certificate.
    ca_bundle: String,
    on_close: Callback<()>,
    /// Called with the saved user and whether it was new.
    on_saved: Callback<(DatabaseUser, bool)>,
    /// "Reload" after a conflicting change: reopen the dialog on this (current) version.
    on_reload: Callback<DatabaseUser>,
) -> impl IntoView {
    let user = match mode {
        DialogMode::Add => None,
        DialogMode::Edit(user) => Some(user.username),
    };
    let view = LazyView::UserDialog {
        group_id,
        user,
        ca_bundle,
    };
    let on_event = Callback::new(move |event: ViewEvent| match event {
        ViewEvent::Closed => on_close.run(()),
        ViewEvent::UserSaved { user, added } => on_saved.run((user, added)),
        ViewEvent::UserReloaded { user } => on_reload.run(user),
        // Not from this dialog.
        ViewEvent::ProjectsChanged => {}
    });
    view! { <LazyMount view on_event /> }
}
