//! Project → Clusters: the clusters the project records, each a name and a MongoDB version. Custom roles
//! must work on every one of them (the oldest decides which actions the role dialog offers), and database
//! users may be restricted to some of them.

use access_core::cluster::{validate_cluster, Cluster};
use access_core::field_issue::{FieldError, FieldIssue};
use leptos::prelude::*;

use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;
use crate::confirm_dialog::{confirmed_delete, ConfirmDialog};
use crate::custom_roles::done;

/// The versions offered when adding a cluster, newest first.
const VERSIONS: [&str; 5] = ["8.0", "7.0", "6.0", "5.0", "4.4"];

#[derive(Debug, Clone, PartialEq)]
enum ClustersState {
    Loading,
    Failed(ApiError),
    Loaded(Vec<Cluster>),
}

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Added(String),
    Deleted(String),
    DeleteRefused(ApiError),
}

#[component]
pub fn ClustersPage(group_id: String, project_name: Signal<Option<String>>) -> impl IntoView {
    let api = expect_context::<Api>();
    let clusters = RwSignal::new(ClustersState::Loading);
    let name = RwSignal::new(String::new());
    let version = RwSignal::new(VERSIONS[0].to_owned());
    let issues = RwSignal::new(Vec::<FieldIssue>::new());
    let adding = RwSignal::new(false);
    let add_failure = RwSignal::new(None::<ApiError>);
    let deleting = RwSignal::new(None::<String>);
    let delete_busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);

    let load = {
        let api = api.clone();
        let group_id = group_id.clone();
        move || {
            let api = api.clone();
            let group_id = group_id.clone();
            leptos::task::spawn_local(async move {
                clusters.try_set(match api.clusters(&group_id).await {
                    Ok(list) => ClustersState::Loaded(list),
                    Err(error) => ClustersState::Failed(error),
                });
            });
        }
    };
    load();

    let add = {
        let api = api.clone();
        let group_id = group_id.clone();
        let load = load.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            outcome.set(None);
            add_failure.set(None);
            let cluster = Cluster::new(name.get_untracked().trim(), version.get_untracked());
            let existing = clusters.with_untracked(|state| match state {
                ClustersState::Loaded(list) => list.clone(),
                _ => Vec::new(),
            });
            if let Err(errors) = validate_cluster(&cluster, &existing) {
                issues.set(errors.iter().map(FieldError::to_issue).collect());
                return;
            }
            issues.set(Vec::new());
            adding.set(true);
            let api = api.clone();
            let group_id = group_id.clone();
            let load = load.clone();
            leptos::task::spawn_local(async move {
                let result = api.create_cluster(&group_id, &cluster).await;
                adding.try_set(false);
                match result {
                    Ok(saved) => {
                        name.try_set(String::new());
                        outcome.try_set(Some(Outcome::Added(saved.name)));
                        load();
                    }
                    Err(error) => {
                        let placed = error.field_issues().to_vec();
                        if placed.is_empty() {
                            add_failure.try_set(Some(error));
                        }
                        issues.try_set(placed);
                    }
                }
            });
        }
    };
    let confirm_delete = {
        let api = api.clone();
        let group_id = group_id.clone();
        confirmed_delete(
            deleting,
            delete_busy,
            move |cluster: String| {
                let (api, group_id) = (api.clone(), group_id.clone());
                async move { api.delete_cluster(&group_id, &cluster).await }
            },
            move |cluster, result| {
                outcome.try_set(Some(match result {
                    Ok(()) => Outcome::Deleted(cluster),
                    Err(error) => Outcome::DeleteRefused(error),
                }));
                load();
            },
        )
    };
    let field_errors = move |field: &'static str| {
        move || {
            issues.with(|all| {
                all.iter()
                    .filter(|i| i.field == field)
                    .map(|i| view! { <p class="field-error" data-testid="cluster-error" data-field=field>{i.detail.clone()}</p> })
                    .collect_view()
            })
        }
    };

    let table = move || {
        match clusters.get() {
        ClustersState::Loading => view! { <p class="loading">"Loading clusters…"</p> }.into_any(),
        ClustersState::Failed(error) => view! { <ApiErrorPanel title="The clusters could not be read" error /> }.into_any(),
        ClustersState::Loaded(list) if list.is_empty() => view! {
            <p class="empty-search" data-testid="clusters-empty">"This project records no clusters yet: custom roles may use every action."</p>
        }
        .into_any(),
        ClustersState::Loaded(list) => view! {
            <div class="table-scroll"><table class="table clusters-table" data-testid="clusters-table">
                <thead>
                    <tr>
                        <th scope="col">"Cluster"</th>
                        <th scope="col">"MongoDB Version"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|cluster| {
                        let name = cluster.name.clone();
                        view! {
                            <tr data-testid="cluster-row" data-cluster-name=cluster.name.clone()>
                                <td><strong>{cluster.name.clone()}</strong></td>
                                <td data-testid="cluster-version">{cluster.mongo_db_major_version.clone()}</td>
                                <td class="row-actions">
                                    <button type="button" class="button button-quiet button-small danger-text" data-testid="cluster-delete" data-needs="project"
                                        on:click=move |_| { outcome.set(None); deleting.set(Some(name.clone())) }>
                                        "Delete"
                                    </button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table></div>
        }
        .into_any(),
    }
    };

    view! {
        <header class="page-header">
            <p class="page-eyebrow">{move || project_name.get().map(|name| format!("{name} · Project")).unwrap_or_default()}</p>
            <h1>"Clusters"</h1>
        </header>
        <section class="panel" data-testid="clusters-page">
            <p class="panel-description">"The project's clusters and the MongoDB version each runs. Custom roles must work on every cluster: actions newer than the oldest cluster are disabled in the role dialog."</p>
            <form class="cluster-form" data-needs="project" on:submit=add>
                <div class="field">
                    <label class="field-label" for="cluster-name">"Cluster Name"</label>
                    <input id="cluster-name" class="text-input" type="text" autocomplete="off" spellcheck="false"
                        placeholder="Cluster0" data-testid="cluster-name"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                    {field_errors("name")}
                </div>
                <div class="field">
                    <label class="field-label" for="cluster-version">"MongoDB Version"</label>
                    <select id="cluster-version" class="select" data-testid="cluster-version-select"
                        prop:value=move || version.get()
                        on:change=move |ev| version.set(event_target_value(&ev))>
                        {VERSIONS.map(|v| view! { <option value=v>{v}</option> })}
                    </select>
                    {field_errors("mongoDBMajorVersion")}
                </div>
                <button type="submit" class="button button-primary" data-testid="add-cluster" data-needs="project" disabled=adding>
                    "+ Add Cluster"
                </button>
            </form>
            {move || add_failure.get().map(|error| view! { <ApiErrorPanel title="The cluster was not added" error /> })}
            {move || outcome.get().map(|o| match o {
                Outcome::Added(name) => done("Added ", name, "clusters-outcome"),
                Outcome::Deleted(name) => done("Deleted ", name, "clusters-outcome"),
                Outcome::DeleteRefused(error) => view! { <ApiErrorPanel title="The cluster was not deleted" error /> }.into_any(),
            })}
            <div class="clusters-list">{table}</div>
        </section>
        {move || deleting.get().map(|cluster| view! {
            <ConfirmDialog
                title="Delete cluster?"
                confirm_label="Delete"
                busy=delete_busy
                on_confirm=confirm_delete
                on_cancel=Callback::new(move |()| deleting.set(None))
            >
                <p>"The project will no longer record " <code>{cluster}</code> "."</p>
            </ConfirmDialog>
        })}
    }
}
