//! The Custom Roles tab: the list from the server, Add / Edit / Delete, and the effective privileges.

use access_core::cluster::{clusters_by_version, Cluster};
use access_core::custom_role::CustomDbRole;
use leptos::prelude::*;

use super::delete_consequences::RoleDeleteConsequences;
use super::effective_privileges::EffectivePrivilegesDialog;
use super::role_dialog::{DialogMode, RoleDialog};
use super::role_table::RoleTable;
use crate::api::ApiError;
use crate::api_error_panel::ApiErrorPanel;
use crate::confirm_dialog::{confirmed_delete, ConfirmDialog};
use crate::page_scope::{loaded, PageScope};
use crate::route::{Page, Route};

/// What the last action did, said once above the table.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Added(String),
    Updated(String),
    Deleted(String),
    /// The server refused the delete (a child role or a user would be left without roles).
    DeleteRefused(ApiError),
}

#[component]
pub fn CustomRolesTab() -> impl IntoView {
    let scope = PageScope::get();
    let clusters = RwSignal::new(Vec::<Cluster>::new());
    // The clusters first: the role dialog offers actions as the oldest cluster allows.
    let roles = LocalResource::new(move || {
        let (api, group_id) = scope.call();
        async move {
            if let Ok(list) = api.clusters(&group_id).await {
                clusters.try_set(list);
            }
            api.custom_roles(&group_id).await
        }
    });
    let dialog = RwSignal::new(None::<DialogMode>);
    let effective = RwSignal::new(None::<CustomDbRole>);
    let deleting = RwSignal::new(None::<String>);
    let delete_busy = RwSignal::new(false);
    let delete_refused = RwSignal::new(true);
    let outcome = RwSignal::new(None::<Outcome>);

    let loaded_roles = Signal::derive(move || {
        roles.with(|read| match read {
            Some(Ok(list)) => list.clone(),
            _ => Vec::new(),
        })
    });

    let on_saved = Callback::new(move |(role, added): (CustomDbRole, bool)| {
        dialog.set(None);
        outcome.set(Some(if added {
            Outcome::Added(role.role_name)
        } else {
            Outcome::Updated(role.role_name)
        }));
        roles.refetch();
    });
    // After a conflicting change: the dialog reopens on the current version, and the list is read again.
    let on_reload = Callback::new(move |role: CustomDbRole| {
        dialog.set(Some(DialogMode::Edit(role)));
        roles.refetch();
    });
    let confirm_delete = confirmed_delete(
        deleting,
        delete_busy,
        move |name: String| {
            let (api, group_id) = scope.call();
            // The tag of the role as listed (a role missing from the list gets one that matches
            // nothing: the server then says what happened to it).
            let listed = loaded_roles
                .with_untracked(|list| list.iter().find(|r| r.role_name == name).cloned());
            let tag = access_core::etag::of_custom_role(&listed.unwrap_or_default());
            async move { api.delete_custom_role(&group_id, &name, &tag).await }
        },
        move |name, result| {
            outcome.try_set(Some(match result {
                Ok(()) => Outcome::Deleted(name),
                Err(error) => Outcome::DeleteRefused(error),
            }));
            roles.refetch();
        },
    );

    let open = move |mode: DialogMode| {
        outcome.set(None);
        dialog.set(Some(mode));
    };
    let clusters_href = Route::project(scope.id(), Page::Clusters).href();
    let version_note = move || {
        clusters.with(|list| {
            clusters_by_version(list)
                .first()
                .map(|(name, version)| format!("Actions are offered as the oldest cluster allows: {name} runs MongoDB {version}."))
        })
    };

    let table = move |list: Vec<CustomDbRole>| {
        if list.is_empty() {
            return view! {
                <div class="empty-state" data-testid="roles-empty">
                    <h2>"No custom roles yet"</h2>
                    <p>"Create a custom role when the built-in roles cannot describe the privileges you need: choose actions and roles, and the databases and collections they apply to."</p>
                </div>
            }
            .into_any();
        }
        view! {
            <RoleTable
                roles=list
                on_edit=Callback::new(move |role| open(DialogMode::Edit(role)))
                on_delete=Callback::new(move |name| { outcome.set(None); deleting.set(Some(name)) })
                on_effective=Callback::new(move |role| effective.set(Some(role)))
            />
        }
        .into_any()
    };

    view! {
        <section class="panel roles-panel" data-testid="custom-roles">
            <div class="toolbar">
                <p class="toolbar-note">
                    "Custom roles apply to every cluster of the project. "
                    <span data-testid="roles-version-note">{version_note}</span>
                    " "
                    <a href=clusters_href data-testid="roles-clusters-link">"Clusters"</a>
                </p>
                <span class="toolbar-spacer"></span>
                <button
                    type="button"
                    class="button button-primary"
                    data-testid="add-role" data-needs="database-access"
                    disabled=move || !roles.with(|read| matches!(read, Some(Ok(_))))
                    on:click=move |_| open(DialogMode::Add)
                >
                    "+ Add New Custom Role"
                </button>
            </div>
            // A live region that stays on the page, so that what it comes to say is announced.
            <div class="live-region" aria-live="polite" data-testid="roles-live">
            {move || outcome.get().map(|o| match o {
                Outcome::Added(name) => done("Added ", name, "roles-outcome"),
                Outcome::Updated(name) => done("Updated ", name, "roles-outcome"),
                Outcome::Deleted(name) => done("Deleted ", name, "roles-outcome"),
                Outcome::DeleteRefused(error) => view! { <DeleteRefused error /> }.into_any(),
            })}
            </div>
            {loaded(roles, "Loading custom roles…", "The custom roles could not be read", table)}
        </section>
        {move || dialog.get().map(|mode| view! {
            <RoleDialog
                mode
                group_id=scope.id()
                roles=loaded_roles.get_untracked()
                clusters=clusters.get_untracked()
                on_close=Callback::new(move |()| dialog.set(None))
                on_saved
                on_reload
            />
        })}
        {move || effective.get().map(|role| view! {
            <EffectivePrivilegesDialog
                role
                roles=loaded_roles.get_untracked()
                on_close=Callback::new(move |()| effective.set(None))
            />
        })}
        {move || deleting.get().map(|name| view! {
            <ConfirmDialog
                title="Delete custom role?"
                confirm_label="Delete"
                busy=delete_busy
                refused=delete_refused
                on_confirm=confirm_delete
                on_cancel=Callback::new(move |()| deleting.set(None))
            >
                <p>"The custom role " <code>{name.clone()}</code> " will be deleted. This cannot be undone."</p>
                <RoleDeleteConsequences group_id=scope.id() role_name=name.clone() refused=delete_refused />
            </ConfirmDialog>
        })}
    }
}

/// "Added `name`.": what the last action did.
pub fn done(what: &'static str, name: String, test_id: &'static str) -> AnyView {
    view! {
        <div class="notice notice-success" role="status" data-testid=test_id>
            <div class="notice-body">{what} <code>{name}</code> "."</div>
        </div>
    }
    .into_any()
}

/// A delete the server refused: every reason it gave (the roles or users in the way).
#[component]
fn DeleteRefused(error: ApiError) -> impl IntoView {
    let reasons: Vec<String> = error
        .field_issues()
        .iter()
        .map(|i| i.detail.clone())
        .collect();
    if reasons.is_empty() {
        return view! { <ApiErrorPanel title="The role was not deleted" error /> }.into_any();
    }
    let code = error.error_code().map(str::to_owned);
    view! {
        <div class="notice notice-danger" role="alert" data-testid="roles-delete-refused" data-error-code=code>
            <div class="notice-body">
                <h3>"The role was not deleted"</h3>
                <ul>
                    {reasons.into_iter().map(|r| view! { <li data-testid="roles-delete-reason">{r}</li> }).collect_view()}
                </ul>
            </div>
        </div>
    }
    .into_any()
}
