//! Project → Clusters: the clusters the project records, each a name and a MongoDB version. Custom roles
//! must work on every one of them (the oldest decides which actions the role dialog offers), and database
//! users may be restricted to some of them.

use access_core::cluster::{member_subject, validate_cluster, Cluster, VERSIONS};
use access_core::field_issue::{FieldError, FieldIssue};
use leptos::prelude::*;

use crate::api::ApiError;
use crate::api_error_panel::ApiErrorPanel;
use crate::confirm_dialog::{confirmed_delete, ConfirmDialog};
use crate::custom_roles::done;
use crate::field_feedback::{errors_id, reveal_first_invalid};
use crate::modal::Modal;
use crate::page_scope::{loaded, PageScope};

use super::member_certificate_drop::MemberCertificateDrop;

/// The add form, for the ids of its fields' errors.
const FORM: &str = "cluster-form";

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Added(String),
    Updated(String),
    Deleted(String),
    DeleteRefused(ApiError),
}

#[component]
pub fn ClustersPage(project_name: Signal<Option<String>>) -> impl IntoView {
    let scope = PageScope::get();
    let clusters = LocalResource::new(move || {
        let (api, group_id) = scope.call();
        async move { api.clusters(&group_id).await }
    });
    let name = RwSignal::new(String::new());
    let version = RwSignal::new(VERSIONS[0].to_string());
    let issues = RwSignal::new(Vec::<FieldIssue>::new());
    let adding = RwSignal::new(false);
    let add_failure = RwSignal::new(None::<ApiError>);
    let deleting = RwSignal::new(None::<String>);
    let delete_busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    let editing = RwSignal::new(None::<Cluster>);

    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        add_failure.set(None);
        let cluster = Cluster::new(name.get_untracked().trim(), version.get_untracked());
        let existing = clusters.with_untracked(|read| match read {
            Some(Ok(list)) => list.clone(),
            _ => Vec::new(),
        });
        if let Err(errors) = validate_cluster(&cluster, &existing) {
            issues.set(errors.iter().map(FieldError::to_issue).collect());
            reveal_first_invalid(".cluster-form");
            return;
        }
        issues.set(Vec::new());
        adding.set(true);
        let (api, group_id) = scope.call();
        leptos::task::spawn_local(async move {
            let result = api.create_cluster(&group_id, &cluster).await;
            adding.try_set(false);
            match result {
                Ok(saved) => {
                    name.try_set(String::new());
                    outcome.try_set(Some(Outcome::Added(saved.name)));
                    clusters.refetch();
                }
                Err(error) => {
                    let placed = error.field_issues().to_vec();
                    if placed.is_empty() {
                        add_failure.try_set(Some(error));
                    } else {
                        reveal_first_invalid(".cluster-form");
                    }
                    issues.try_set(placed);
                }
            }
        });
    };
    let confirm_delete = confirmed_delete(
        deleting,
        delete_busy,
        move |cluster: String| {
            let (api, group_id) = scope.call();
            async move { api.delete_cluster(&group_id, &cluster).await }
        },
        move |cluster, result| {
            outcome.try_set(Some(match result {
                Ok(()) => Outcome::Deleted(cluster),
                Err(error) => Outcome::DeleteRefused(error),
            }));
            clusters.refetch();
        },
    );
    let field_errors = move |field: &'static str| {
        let errors = move || {
            issues.with(|all| {
                all.iter()
                    .filter(|i| i.field == field)
                    .map(|i| view! { <p class="field-error" data-testid="cluster-error" data-field=field>{i.detail.clone()}</p> })
                    .collect_view()
            })
        };
        view! { <div id=errors_id(FORM, field) class="field-errors">{errors}</div> }
    };
    let invalid = move |field: &'static str| {
        move || {
            issues
                .with(|all| all.iter().any(|i| i.field == field))
                .to_string()
        }
    };

    let table = move |list: Vec<Cluster>| {
        if list.is_empty() {
            return view! { <p class="empty-search" data-testid="clusters-empty">"This project records no clusters yet: custom roles may use every action."</p> }.into_any();
        }
        view! {
            <div class="table-scroll"><table class="table clusters-table" data-testid="clusters-table">
                <thead>
                    <tr>
                        <th scope="col">"Cluster"</th>
                        <th scope="col">"MongoDB Version"</th>
                        <th scope="col">"Member Certificate Subject"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|cluster| {
                        let name = cluster.name.clone();
                        let edited = cluster.clone();
                        view! {
                            <tr data-testid="cluster-row" data-cluster-name=cluster.name.clone()>
                                <td><strong>{cluster.name.clone()}</strong></td>
                                <td data-testid="cluster-version">{cluster.mongo_db_major_version.clone()}</td>
                                <td data-testid="cluster-member-subject"><code>{cluster.member_certificate_subject.clone().unwrap_or_default()}</code></td>
                                <td class="row-actions">
                                    <button type="button" class="button button-quiet button-small" data-testid="cluster-edit" data-needs="project"
                                        on:click=move |_| { outcome.set(None); editing.set(Some(edited.clone())) }>
                                        "Edit"
                                    </button>
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
        .into_any()
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
                        aria-describedby=errors_id(FORM, "name") aria-invalid=invalid("name")
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                    {field_errors("name")}
                </div>
                <div class="field">
                    <label class="field-label" for="cluster-version">"MongoDB Version"</label>
                    <select id="cluster-version" class="select" data-testid="cluster-version-select"
                        aria-describedby=errors_id(FORM, "mongoDBMajorVersion") aria-invalid=invalid("mongoDBMajorVersion")
                        prop:value=move || version.get()
                        on:change=move |ev| version.set(event_target_value(&ev))>
                        {VERSIONS
                            .iter()
                            .map(|v| {
                                let (value, label) = (v.to_string(), v.to_string());
                                view! { <option value=value>{label}</option> }
                            })
                            .collect_view()}
                    </select>
                    {field_errors("mongoDBMajorVersion")}
                </div>
                <button type="submit" class="button button-primary" data-testid="add-cluster" data-needs="project" disabled=adding>
                    "+ Add Cluster"
                </button>
            </form>
            {move || add_failure.get().map(|error| view! { <ApiErrorPanel title="The cluster was not added" error /> })}
            // A live region that stays on the page, so that what it comes to say is announced.
            <div class="live-region" aria-live="polite" data-testid="clusters-live">
            {move || outcome.get().map(|o| match o {
                Outcome::Added(name) => done("Added ", name, "clusters-outcome"),
                Outcome::Updated(name) => done("Saved ", name, "clusters-outcome"),
                Outcome::Deleted(name) => done("Deleted ", name, "clusters-outcome"),
                Outcome::DeleteRefused(error) => view! { <ApiErrorPanel title="The cluster was not deleted" error /> }.into_any(),
            })}
            </div>
            <div class="clusters-list">{loaded(clusters, "Loading clusters…", "The clusters could not be read", table)}</div>
        </section>
        {move || editing.get().map(|cluster| view! {
            <ClusterDialog cluster
                on_close=Callback::new(move |()| editing.set(None))
                on_saved=Callback::new(move |name: String| {
                    editing.set(None);
                    outcome.set(Some(Outcome::Updated(name)));
                    clusters.refetch();
                })
            />
        })}
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

/// "Edit cluster": the MongoDB version and the member certificate subject (pasted, or read from a dropped
/// member certificate; shown in the RFC 2253 form that will be saved, or why it cannot be).
#[component]
fn ClusterDialog(
    cluster: Cluster,
    on_close: Callback<()>,
    on_saved: Callback<String>,
) -> impl IntoView {
    let scope = PageScope::get();
    let version = RwSignal::new(cluster.mongo_db_major_version.clone());
    let subject = RwSignal::new(
        cluster
            .member_certificate_subject
            .clone()
            .unwrap_or_default(),
    );
    let saving = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let reading =
        Memo::new(move |_| subject.with(|s| member_subject(Some(s)).map_err(|e| e.to_string())));
    let name = cluster.name.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(saved_subject) = reading.get_untracked() else {
            return;
        };
        saving.set(true);
        failure.set(None);
        let ((api, group_id), name) = (scope.call(), name.clone());
        let version = version.get_untracked();
        leptos::task::spawn_local(async move {
            let result = api
                .update_cluster(&group_id, &name, &version, saved_subject.as_deref())
                .await;
            saving.try_set(false);
            match result {
                Ok(saved) => on_saved.run(saved.name),
                Err(error) => {
                    failure.try_set(Some(error));
                }
            }
        });
    };
    let title = format!("Edit cluster {}", cluster.name);
    view! {
        <Modal labelled_by="cluster-dialog-title" test_id="cluster-dialog" busy=saving on_close>
            <h2 id="cluster-dialog-title">{title}</h2>
            <form class="dialog-body" on:submit=save>
                <div class="field">
                    <label class="field-label" for="cluster-edit-version">"MongoDB Version"</label>
                    <select id="cluster-edit-version" class="select" data-testid="cluster-edit-version"
                        prop:value=move || version.get()
                        on:change=move |ev| version.set(event_target_value(&ev))>
                        {VERSIONS
                            .iter()
                            .map(|v| {
                                let (value, label) = (v.to_string(), v.to_string());
                                view! { <option value=value>{label}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label class="field-label" for="cluster-edit-member">"Member Certificate Subject"</label>
                    <input id="cluster-edit-member" class="text-input" type="text" autocomplete="off" spellcheck="false"
                        placeholder="CN=node1,OU=Servers,O=Acme" data-testid="cluster-edit-member"
                        aria-describedby="cluster-edit-member-help"
                        prop:value=move || subject.get()
                        on:input=move |ev| subject.set(event_target_value(&ev))
                    />
                    <p class="field-help" id="cluster-edit-member-help" data-testid="cluster-edit-member-saved">
                        {move || match reading.get() {
                            Ok(Some(canonical)) => format!("Saved as {canonical}"),
                            Ok(None) => "Empty: no member subject is recorded (the cluster-member rule is not checked).".to_owned(),
                            Err(reason) => reason,
                        }}
                    </p>
                    <MemberCertificateDrop subject />
                </div>
                {move || failure.get().map(|error| view! { <ApiErrorPanel title="The cluster was not saved" error /> })}
                <div class="dialog-actions">
                    <button type="button" class="button" data-testid="cluster-dialog-cancel" on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class="button button-primary" data-testid="cluster-dialog-save"
                        disabled=move || saving.get() || reading.with(Result::is_err)>
                        "Save"
                    </button>
                </div>
            </form>
        </Modal>
    }
}
