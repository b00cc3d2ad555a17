//! Project → Project Settings (`#/projects/{groupId}/settings`): the project's name (rename, checked as
//! typed) and Delete, which asks for the project's name typed out. Only a Project Owner changes them
//! (an Organization Owner is one in every project); everyone else reads. Delete is refused by the
//! server while the project has clusters (409 `CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS`): the page
//! says so and links to the Clusters page. After a delete the console opens the organization's page.

use access_core::api::Group;
use access_core::project_role::Permission;
use access_core::time::display_rfc3339;
use leptos::prelude::*;

use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;
use crate::field_feedback::reveal_first_invalid;
use crate::lazy_page::TellConsole;
use crate::modal::Modal;
use crate::project_name_field::{name_problem, name_refusal, ProjectNameField};
use crate::route::{self, OrgPage, Page, Route};
use crate::session::may;

#[derive(Debug, Clone, PartialEq)]
enum Loaded {
    Loading,
    Failed(ApiError),
    Ready(Group),
}

#[component]
pub fn ProjectSettingsPage(
    group_id: String,
    project_name: Signal<Option<String>>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let tell = TellConsole::from_context();
    let may_change = may(group_id.clone(), Permission::ManageProject);
    let project = RwSignal::new(Loaded::Loading);
    let name = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<String>);
    let renaming = RwSignal::new(false);
    let renamed = RwSignal::new(None::<String>);
    let rename_failure = RwSignal::new(None::<ApiError>);
    let deleting = RwSignal::new(false);

    {
        let (api, group_id) = (api.clone(), group_id.clone());
        leptos::task::spawn_local(async move {
            let loaded = match api.project(&group_id).await {
                Ok(group) => {
                    name.try_set(group.name.clone());
                    Loaded::Ready(group)
                }
                Err(error) => Loaded::Failed(error),
            };
            project.try_set(loaded);
        });
    }
    let current = move || match project.get() {
        Loaded::Ready(group) => Some(group),
        _ => None,
    };
    let unchanged = move || current().is_some_and(|g| name.with(|n| *n == g.name));

    let rename = {
        let (api, group_id) = (api.clone(), group_id.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            renamed.set(None);
            rename_failure.set(None);
            let wanted = name.get_untracked();
            if let Some(problem) = name_problem(&wanted) {
                refused.set(Some(problem));
                reveal_first_invalid(".project-rename");
                return;
            }
            renaming.set(true);
            let (api, group_id) = (api.clone(), group_id.clone());
            leptos::task::spawn_local(async move {
                let result = api.rename_project(&group_id, &wanted).await;
                renaming.try_set(false);
                match result {
                    Ok(group) => {
                        renamed.try_set(Some(group.name.clone()));
                        name.try_set(group.name.clone());
                        project.try_set(Loaded::Ready(group));
                        if let Some(tell) = tell {
                            tell.projects_changed();
                        }
                    }
                    Err(error) => match name_refusal(&error) {
                        Some(said) => {
                            refused.try_set(Some(said));
                            reveal_first_invalid(".project-rename");
                        }
                        None => {
                            rename_failure.try_set(Some(error));
                        }
                    },
                }
            });
        }
    };

    let clusters_href = Route::project(group_id.clone(), Page::Clusters).href();
    let on_deleted = Callback::new(move |org_id: String| {
        deleting.set(false);
        if let Some(tell) = tell {
            tell.projects_changed();
        }
        route::navigate(&Route::org(org_id, OrgPage::Projects));
    });

    let body = move || match project.get() {
        Loaded::Loading => view! { <p class="loading">"Loading the project…"</p> }.into_any(),
        Loaded::Failed(error) => {
            view! { <ApiErrorPanel title="The project could not be read" error /> }.into_any()
        }
        Loaded::Ready(group) => {
            let clusters_href = clusters_href.clone();
            view! {
                <section class="panel project-settings-panel" data-testid="project-settings-page">
                    <h2>"General"</h2>
                    <dl class="facts">
                        <dt>"Project ID"</dt><dd class="mono" data-testid="project-id">{group.id.clone()}</dd>
                        <dt>"Created"</dt><dd>{display_rfc3339(&group.created)}</dd>
                    </dl>
                    <Show when=move || !may_change.get()>
                        <p class="notice" data-testid="project-settings-read-only">"Only a Project Owner (or an Organization Owner) may rename or delete this project."</p>
                    </Show>
                    <form class="project-rename" on:submit=rename.clone()>
                        <ProjectNameField form="project-rename" id="project-rename-name" value=name refused
                            disabled=Signal::derive(move || !may_change.get()) />
                        <Show when=move || may_change.get()>
                            <button type="submit" class="button button-primary" data-testid="project-rename-save"
                                disabled=move || renaming.get() || unchanged()>
                                {move || if renaming.get() { "Saving…" } else { "Rename" }}
                            </button>
                        </Show>
                    </form>
                    <div class="live-region" aria-live="polite">
                        {move || renamed.get().map(|n| view! { <p class="notice notice-success" data-testid="project-renamed">"The project is now named " <strong>{n}</strong> "."</p> })}
                        {move || rename_failure.get().map(|error| view! { <ApiErrorPanel title="The project was not renamed" error /> })}
                    </div>
                </section>
                <Show when=move || may_change.get()>
                    <section class="panel panel-danger" data-testid="project-delete-panel">
                        <h2>"Delete project"</h2>
                        <p>"Deletes the project with its CAs, database users, custom roles, alert settings and API key assignments. A project with clusters cannot be deleted: remove them on the "
                            <a href=clusters_href.clone()>"Clusters page"</a> " first."</p>
                        <button type="button" class="button button-danger" data-testid="project-delete"
                            on:click=move |_| deleting.set(true)>
                            "Delete Project"
                        </button>
                    </section>
                </Show>
            }
            .into_any()
        }
    };

    view! {
        <header class="page-header">
            <p class="page-eyebrow">{move || project_name.get().map(|name| format!("{name} · Project")).unwrap_or_default()}</p>
            <h1>"Project Settings"</h1>
        </header>
        {body}
        {move || deleting.get().then(current).flatten().map(|group| view! {
            <DeleteProjectDialog group on_close=Callback::new(move |()| deleting.set(false)) on_deleted />
        })}
    }
}

/// Delete Project: enabled once the project's name is typed exactly.
#[component]
fn DeleteProjectDialog(
    group: Group,
    on_close: Callback<()>,
    /// With the organization of the deleted project.
    on_deleted: Callback<String>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let typed = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let matches = {
        let name = group.name.clone();
        move || typed.with(|t| *t == name)
    };
    let clusters_href = Route::project(group.id.clone(), Page::Clusters).href();
    let confirm = {
        let (api, group_id, org_id) = (api.clone(), group.id.clone(), group.org_id.clone());
        let matches = matches.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if !matches() {
                return;
            }
            busy.set(true);
            failure.set(None);
            let (api, group_id, org_id) = (api.clone(), group_id.clone(), org_id.clone());
            leptos::task::spawn_local(async move {
                let result = api.delete_project(&group_id).await;
                busy.try_set(false);
                match result {
                    Ok(()) => on_deleted.run(org_id),
                    Err(error) => {
                        failure.try_set(Some(error));
                    }
                }
            });
        }
    };
    let name = group.name.clone();
    view! {
        <Modal role="alertdialog" labelled_by="delete-project-title" described_by="delete-project-body"
            test_id="delete-project-dialog" busy on_close>
            <form on:submit=confirm>
                <h2 id="delete-project-title">"Delete project?"</h2>
                <div id="delete-project-body" class="dialog-body">
                    <p><strong>{name.clone()}</strong> " and everything in it (CAs, database users, custom roles, alert settings, API key assignments) will be deleted. This cannot be undone."</p>
                </div>
                <div class="field">
                    <label class="field-label" for="delete-project-name">"Type the project's name to confirm: " <code>{name.clone()}</code></label>
                    <input id="delete-project-name" class="text-input" type="text" autocomplete="off" spellcheck="false"
                        data-testid="delete-project-name" data-autofocus=""
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev)) />
                </div>
                {move || failure.get().map(|error| {
                    if error.error_code() == Some(access_core::error_code::CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS) {
                        view! {
                            <div class="notice notice-danger" role="alert" data-testid="project-has-clusters" data-error-code=access_core::error_code::CANNOT_CLOSE_GROUP_ACTIVE_ATLAS_CLUSTERS>
                                <p><strong>"This project still has clusters."</strong> " A project with clusters cannot be deleted. Remove them on its "
                                    <a href=clusters_href.clone() data-testid="project-clusters-link">"Clusters page"</a> ", then delete the project."</p>
                            </div>
                        }
                        .into_any()
                    } else {
                        view! { <ApiErrorPanel title="The project was not deleted" error /> }.into_any()
                    }
                })}
                <div class="dialog-actions">
                    <button type="button" class="button button-secondary" data-testid="delete-project-cancel"
                        disabled=busy on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class="button button-danger" data-testid="delete-project-confirm"
                        disabled=move || busy.get() || !matches()>
                        {move || if busy.get() { "Deleting…" } else { "Delete Project" }}
                    </button>
                </div>
            </form>
        </Modal>
    }
}
