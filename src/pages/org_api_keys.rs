//! Organization API Keys (`#/orgs/{orgId}/api-keys`): the organization's programmatic API keys, each
//! with its organization role, the projects it is assigned to (and its role in each) and its access
//! list. An Organization Owner creates a key (its private key shown once), edits its description,
//! organization role and access list, assigns it to a project with a project role, takes it out of a
//! project, and deletes it; every other role reads (the server refuses their changes with 403 anyway).

use std::collections::HashMap;

use access_core::api::{ApiKeyInfo, NewApiKey, ProjectSummary};
use access_core::field_issue::FieldIssue;
use access_core::org_role::OrgRole;
use access_core::project_role::ProjectRole;
use access_core::time::display_rfc3339;
use leptos::prelude::*;

use super::api_keys::{access_text, project_role_label, read_access_list};
use crate::api::{ApiError, KeyScope};
use crate::api_error_panel::ApiErrorPanel;
use crate::api_key_dialog::{description_issue, role_choices, EditApiKeyDialog, PrivateKeyOnce};
use crate::confirm_dialog::{confirmed_delete, ConfirmDialog};
use crate::field_feedback::{errors_id, reveal_first_invalid};
use crate::form_dialog::{save_in_background, DialogActions};
use crate::modal::Modal;
use crate::page_scope::{loaded, PageScope};
use crate::pages::organization::OrgTabs;
use crate::route::OrgPage;
use crate::session::role_in_org;

/// The create dialog's form, for the ids of its fields' errors.
const FORM: &str = "org-api-key-form";

/// What the last change did, said in the page's live region.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Updated(String),
    Assigned {
        key: String,
        project: String,
    },
    Removed {
        key: String,
        project: String,
        deleted: bool,
    },
    Deleted(String),
    Refused(&'static str, ApiError),
}

/// A key taken out of a project: the key, the project's id and name.
#[derive(Debug, Clone, PartialEq)]
struct Removal {
    key: ApiKeyInfo,
    group_id: String,
    project: String,
}

fn org_role_label(key: &ApiKeyInfo) -> String {
    match key.org_role() {
        Some(name) => {
            OrgRole::from_atlas_name(name).map_or(name.to_owned(), |r| r.label().to_owned())
        }
        None => "—".to_owned(),
    }
}

/// Whether the server deletes `key` when it is taken out of `group_id`: an `ORG_MEMBER` key with a
/// role in no other project ([`OrgRole::keeps_a_key_without_projects`]).
fn goes_with(key: &ApiKeyInfo, group_id: &str) -> bool {
    let keeps = key
        .org_role()
        .and_then(OrgRole::from_atlas_name)
        .is_none_or(OrgRole::keeps_a_key_without_projects);
    !keeps && key.project_roles().all(|(group, _)| group == group_id)
}

#[component]
pub fn OrgApiKeysPage() -> impl IntoView {
    let org = PageScope::get();
    let role = role_in_org(move || Some(org.id()));
    let may_manage = Signal::derive(move || role().is_some_and(OrgRole::may_manage_organization));
    let keys = LocalResource::new(move || {
        let (api, org_id) = org.call();
        async move { api.api_keys(&KeyScope::Org(org_id)).await }
    });
    // For the projects' names and the Assign dialog (none if they cannot be read).
    let projects = LocalResource::new(move || {
        let (api, org_id) = org.call();
        async move { api.org_projects(&org_id).await.unwrap_or_default() }
    });
    let outcome = RwSignal::new(None::<Outcome>);
    let creating = RwSignal::new(false);
    let created = RwSignal::new(None::<ApiKeyInfo>);
    let editing = RwSignal::new(None::<ApiKeyInfo>);
    let assigning = RwSignal::new(None::<ApiKeyInfo>);
    let removing = RwSignal::new(None::<Removal>);
    let deleting = RwSignal::new(None::<(String, String)>);
    let busy = RwSignal::new(false);

    let project_name = move |group_id: &str| {
        projects.with(|all| {
            all.iter()
                .flatten()
                .find(|p| p.id == group_id)
                .map_or_else(|| group_id.to_owned(), |p| p.name.clone())
        })
    };

    let on_created = Callback::new(move |key: ApiKeyInfo| {
        creating.set(false);
        created.set(Some(key));
        keys.refetch();
    });
    let on_saved = Callback::new(move |public_key: String| {
        editing.set(None);
        outcome.set(Some(Outcome::Updated(public_key)));
        keys.refetch();
    });
    let on_assigned = Callback::new(move |(key, project): (String, String)| {
        assigning.set(None);
        outcome.set(Some(Outcome::Assigned { key, project }));
        keys.refetch();
    });
    let confirm_remove = confirmed_delete(
        removing,
        busy,
        move |removal: Removal| {
            let (api, _) = org.call();
            async move {
                api.delete_api_key(&KeyScope::Project(removal.group_id), &removal.key.id)
                    .await
            }
        },
        move |removal, result| match result {
            // The keys read again here: whether the key is left says if the server deleted it.
            Ok(()) => {
                let (api, org_id) = org.call();
                leptos::task::spawn_local(async move {
                    let answer = api.api_keys(&KeyScope::Org(org_id)).await;
                    if let Ok(list) = &answer {
                        let deleted = !list.iter().any(|k| k.id == removal.key.id);
                        outcome.try_set(Some(Outcome::Removed {
                            key: removal.key.public_key,
                            project: removal.project,
                            deleted,
                        }));
                    }
                    keys.try_set(Some(answer));
                });
            }
            Err(error) => {
                outcome.try_set(Some(Outcome::Refused(
                    "The key was not taken out of the project",
                    error,
                )));
                keys.refetch();
            }
        },
    );
    let confirm_delete = confirmed_delete(
        deleting,
        busy,
        move |(id, _): (String, String)| {
            let (api, org_id) = org.call();
            async move { api.delete_api_key(&KeyScope::Org(org_id), &id).await }
        },
        move |(_, public_key), result| {
            outcome.try_set(Some(match result {
                Ok(()) => Outcome::Deleted(public_key),
                Err(error) => Outcome::Refused("The API key was not deleted", error),
            }));
            keys.refetch();
        },
    );

    let row = move |key: ApiKeyInfo| {
        let manage = may_manage.get();
        let assigned: Vec<(String, String)> = key
            .project_roles()
            .map(|(group, role)| (group.to_owned(), role.to_owned()))
            .collect();
        let projects_cell = if assigned.is_empty() {
            view! { <span class="muted">"None"</span> }.into_any()
        } else {
            view! {
                <ul class="chips">
                    {assigned.into_iter().map(|(group_id, role)| {
                        let name = project_name(&group_id);
                        let removal = Removal { key: key.clone(), group_id: group_id.clone(), project: name.clone() };
                        view! {
                            <li class="chip-removable chip" data-testid="org-api-key-project" data-group-id=group_id.clone()>
                                <span>{format!("{name}: {}", project_role_label(&role))}</span>
                                {manage.then(|| view! {
                                    <button type="button" class="chip-remove" data-testid="org-api-key-remove"
                                        aria-label=format!("Take {} out of {name}", key.public_key)
                                        title=format!("Take the key out of {name}")
                                        on:click=move |_| { outcome.set(None); removing.set(Some(removal.clone())) }>
                                        "×"
                                    </button>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        };
        let target = (key.id.clone(), key.public_key.clone());
        view! {
            <tr data-testid="org-api-key-row" data-public-key=key.public_key.clone()>
                <td><code>{key.public_key.clone()}</code></td>
                <td>{key.desc.clone()}</td>
                <td data-testid="org-api-key-role">{org_role_label(&key)}</td>
                <td data-testid="org-api-key-projects">{projects_cell}</td>
                <td data-testid="org-api-key-access">{access_text(&key)}</td>
                <td>{display_rfc3339(&key.created)} <span class="muted">{format!(" by {}", key.created_by)}</span></td>
                <td class="row-actions">
                    {manage.then(|| view! {
                        <button type="button" class="button button-secondary button-small" data-testid="org-api-key-assign"
                            on:click={let key = key.clone(); move |_| { outcome.set(None); assigning.set(Some(key.clone())) }}>
                            "Assign to Project"
                        </button>
                        " "
                        <button type="button" class="button button-secondary button-small" data-testid="org-api-key-edit"
                            on:click={let key = key.clone(); move |_| { outcome.set(None); editing.set(Some(key.clone())) }}>
                            "Edit"
                        </button>
                        " "
                        <button type="button" class="button button-quiet button-small danger-text" data-testid="org-api-key-delete"
                            on:click=move |_| { outcome.set(None); deleting.set(Some(target.clone())) }>
                            "Delete"
                        </button>
                    })}
                </td>
            </tr>
        }
    };

    let table = move |list: Vec<ApiKeyInfo>| {
        if list.is_empty() {
            return view! { <p class="empty-search" data-testid="org-api-keys-empty">"The organization has no API keys yet."</p> }.into_any();
        }
        view! {
            <div class="table-scroll"><table class="table api-keys-table" data-testid="org-api-keys-table">
                <thead>
                    <tr>
                        <th scope="col">"Public Key"</th>
                        <th scope="col">"Description"</th>
                        <th scope="col">"Organization Role"</th>
                        <th scope="col">"Projects"</th>
                        <th scope="col">"Access List"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{list.into_iter().map(row).collect_view()}</tbody>
            </table></div>
        }
        .into_any()
    };

    view! {
        <header class="page-header page-header-with-actions">
            <div>
                <p class="page-eyebrow">"Organization"</p>
                <h1>"Organization API Keys"</h1>
            </div>
            <Show when=move || may_manage.get()>
                <button type="button" class="button button-primary" data-testid="new-org-api-key"
                    on:click=move |_| { outcome.set(None); created.set(None); creating.set(true) }>
                    "+ Create API Key"
                </button>
            </Show>
        </header>
        <OrgTabs org_id=org.id() current=OrgPage::ApiKeys />
        <section class="panel" data-testid="org-api-keys-page">
            <p class="panel-description">
                "The organization's programmatic API keys, for scripts and Atlas API clients (HTTP Digest: the "
                "public key is the user name, the private key the password). A key's organization role works as a "
                "person's: Owner and Read Only reach into every project, a Member only into the projects it is "
                "assigned to, with the role it has there."
            </p>
            {move || created.get().map(|key| view! {
                <PrivateKeyOnce key on_done=Callback::new(move |()| created.set(None)) />
            })}
            <div class="live-region" aria-live="polite" data-testid="org-api-keys-live">
                {move || outcome.get().map(|o| {
                    let said = |text: String| view! {
                        <div class="notice notice-success" role="status" data-testid="org-api-keys-outcome">
                            <div class="notice-body">{text}</div>
                        </div>
                    }
                    .into_any();
                    match o {
                        Outcome::Updated(key) => said(format!("Updated API key {key}.")),
                        Outcome::Assigned { key, project } => said(format!("Assigned API key {key} to {project}.")),
                        Outcome::Removed { key, project, deleted: false } => said(format!("Took API key {key} out of {project}.")),
                        Outcome::Removed { key, project, deleted: true } => said(format!(
                            "Took API key {key} out of {project}; it could reach nothing else, and was deleted."
                        )),
                        Outcome::Deleted(key) => said(format!("Deleted API key {key}.")),
                        Outcome::Refused(title, error) => view! { <ApiErrorPanel title error /> }.into_any(),
                    }
                })}
            </div>
            <div class="api-keys-list">{loaded(keys, "Loading API keys…", "The API keys could not be read", table)}</div>
        </section>
        {move || creating.get().then(|| view! {
            <NewOrgApiKeyDialog on_close=Callback::new(move |()| creating.set(false)) on_created />
        })}
        {move || editing.get().map(|key| view! {
            <EditApiKeyDialog keys=KeyScope::Org(org.id()) key on_close=Callback::new(move |()| editing.set(None)) on_saved />
        })}
        {move || assigning.get().map(|key| view! {
            <AssignApiKeyDialog key projects=projects.get().unwrap_or_default() on_close=Callback::new(move |()| assigning.set(None)) on_assigned />
        })}
        {move || removing.get().map(|removal| {
            let deletes = goes_with(&removal.key, &removal.group_id);
            view! {
                <ConfirmDialog
                    title=format!("Take the key out of {}?", removal.project)
                    confirm_label=if deletes { "Remove and Delete" } else { "Remove" }
                    busy
                    on_confirm=confirm_remove
                    on_cancel=Callback::new(move |()| removing.set(None))
                >
                    <p>"Clients using " <code>{removal.key.public_key.clone()}</code> " lose its project role in "
                        <strong>{removal.project.clone()}</strong> "."</p>
                    {deletes.then(|| view! {
                        <p data-testid="org-api-key-remove-deletes"><strong>"The key is deleted too: "</strong>
                            "it is an Organization Member in no other project, so it could reach nothing. "
                            "Clients using it will be refused from then on."</p>
                    })}
                </ConfirmDialog>
            }
        })}
        {move || deleting.get().map(|(_, public_key)| view! {
            <ConfirmDialog
                title="Delete API key?"
                confirm_label="Delete"
                busy
                on_confirm=confirm_delete
                on_cancel=Callback::new(move |()| deleting.set(None))
            >
                <p>"The key " <code>{public_key}</code> " is deleted from the organization and from every project "
                    "it is assigned to: clients using it will be refused from now on."</p>
            </ConfirmDialog>
        })}
    }
}

/// Create API Key: description, organization role and access list (read as typed with core's rule);
/// the server's refusals are shown at their fields.
#[component]
fn NewOrgApiKeyDialog(on_close: Callback<()>, on_created: Callback<ApiKeyInfo>) -> impl IntoView {
    let org = PageScope::get();
    let description = RwSignal::new(String::new());
    let role = RwSignal::new(OrgRole::Member.atlas_name().to_owned());
    let access_list = RwSignal::new(String::new());
    let issues = RwSignal::new(Vec::<FieldIssue>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let saving = RwSignal::new(false);
    let choices = role_choices(&KeyScope::Org(org.id()));
    let access_errors =
        move || access_list.with(|text| read_access_list(text).err().unwrap_or_default());

    let save = Callback::new(move |()| {
        let desc = description.get_untracked().trim().to_owned();
        let problems: Vec<FieldIssue> = description_issue(&desc).into_iter().collect();
        let entries = read_access_list(&access_list.get_untracked());
        let invalid = !problems.is_empty() || entries.is_err();
        issues.set(problems);
        let (false, Ok(entries)) = (invalid, entries) else {
            // The access list's errors are under it already, as typed.
            reveal_first_invalid(".org-api-key-dialog");
            return;
        };
        failure.set(None);
        let key = NewApiKey {
            desc,
            roles: vec![role.get_untracked()],
            access_list: entries,
        };
        let (api, org_id) = org.call();
        save_in_background(
            saving,
            false,
            async move { api.create_api_key(&KeyScope::Org(org_id), &key).await },
            Callback::new(move |(key, _)| on_created.run(key)),
            move |error| {
                let placed = error.field_issues().to_vec();
                if placed.is_empty() {
                    failure.try_set(Some(error));
                } else {
                    issues.try_set(placed);
                    reveal_first_invalid(".org-api-key-dialog");
                }
            },
        );
    });

    let at = move |field: &'static str| {
        move |issue: &FieldIssue| {
            issue.field == field || issue.field.starts_with(&format!("{field}["))
        }
    };
    let field_errors = move |field: &'static str| {
        let errors = move || {
            issues.with(|all| {
                all.iter()
                    .filter(|i| at(field)(i))
                    .map(|i| view! { <p class="field-error" data-testid="org-api-key-error" data-field=field>{i.detail.clone()}</p> })
                    .collect_view()
            })
        };
        view! { <div id=errors_id(FORM, field) class="field-errors">{errors}</div> }
    };
    // A field's refusal (the check on Create, or the server's) goes once the field is changed.
    let forget = move |field: &'static str| issues.update(|all| all.retain(|i| !at(field)(i)));
    let invalid =
        move |field: &'static str| move || issues.with(|all| all.iter().any(at(field))).to_string();

    view! {
        <Modal labelled_by="org-api-key-title" test_id="org-api-key-dialog" busy=saving on_close>
            <form class="org-api-key-dialog" on:submit=move |ev| { ev.prevent_default(); save.run(()) }>
                <h2 id="org-api-key-title">"Create API Key"</h2>
                <p class="muted">"The private key is shown once, when the key is created. Assign the key to projects afterwards."</p>
                <div class="field">
                    <label class="field-label" for="org-api-key-desc">"Description"</label>
                    <input id="org-api-key-desc" class="text-input" type="text" autocomplete="off" maxlength="250"
                        placeholder="CI pipeline" data-testid="org-api-key-desc" data-autofocus=""
                        aria-describedby=errors_id(FORM, "desc") aria-invalid=invalid("desc")
                        prop:value=move || description.get()
                        on:input=move |ev| { description.set(event_target_value(&ev)); forget("desc") } />
                    {field_errors("desc")}
                </div>
                <div class="field">
                    <label class="field-label" for="org-api-key-role">"Organization Role"</label>
                    <select id="org-api-key-role" class="select" data-testid="org-api-key-role"
                        aria-describedby=errors_id(FORM, "roles") aria-invalid=invalid("roles")
                        prop:value=move || role.get()
                        on:change=move |ev| { role.set(event_target_value(&ev)); forget("roles") }>
                        {choices.into_iter().map(|(name, label)| view! { <option value=name>{label}</option> }).collect_view()}
                    </select>
                    <p class="field-help">"Organization Member: only the projects it is assigned to. Read Only: reads every project. Owner: everything."</p>
                    {field_errors("roles")}
                </div>
                <div class="field">
                    <label class="field-label" for="org-api-key-access">"Access List (optional)"</label>
                    <textarea id="org-api-key-access" class="text-input" rows="2" spellcheck="false"
                        placeholder="10.0.0.0/8, 192.0.2.7" data-testid="org-api-key-access-list"
                        aria-describedby=format!("org-api-key-access-help {}", errors_id(FORM, "accessList"))
                        aria-invalid=move || (!access_errors().is_empty() || invalid("accessList")() == "true").to_string()
                        prop:value=move || access_list.get()
                        on:input=move |ev| { access_list.set(event_target_value(&ev)); forget("accessList") }></textarea>
                    <p class="field-help" id="org-api-key-access-help">"IP addresses or CIDR blocks (IPv4 or IPv6), one per line or comma. Empty: any address."</p>
                    {move || access_errors().into_iter().map(|e| view! { <p class="field-error" data-testid="org-api-key-error" data-field="accessList">{e}</p> }).collect_view()}
                    {field_errors("accessList")}
                </div>
                {move || failure.get().map(|error| view! { <ApiErrorPanel title="The API key was not created" error /> })}
                <DialogActions test_id="org-api-key-create" saving save_label="Create API Key"
                    on_cancel=on_close on_save=move || save.run(()) />
            </form>
        </Modal>
    }
}

/// Assign to Project: a project of the organization and the key's role there (assigning again to a
/// project it is in replaces its role there).
#[component]
fn AssignApiKeyDialog(
    key: ApiKeyInfo,
    projects: Vec<ProjectSummary>,
    on_close: Callback<()>,
    /// The key's public key and the project's name, once assigned.
    on_assigned: Callback<(String, String)>,
) -> impl IntoView {
    let org = PageScope::get();
    let current: HashMap<String, String> = key
        .project_roles()
        .map(|(group, role)| (group.to_owned(), role.to_owned()))
        .collect();
    // Projects the key is not in first: assigning is what the dialog is mostly for.
    let mut projects = projects;
    projects.sort_by_key(|p| current.contains_key(&p.id));
    let first = projects.first().map(|p| p.id.clone()).unwrap_or_default();
    let role_of = {
        let current = current.clone();
        move |group: &str| {
            current
                .get(group)
                .cloned()
                .unwrap_or_else(|| ProjectRole::ReadOnly.atlas_name().to_owned())
        }
    };
    let project = RwSignal::new(first.clone());
    let role = RwSignal::new(role_of(&first));
    let failure = RwSignal::new(None::<ApiError>);
    let saving = RwSignal::new(false);
    let names: HashMap<String, String> = projects
        .iter()
        .map(|p| (p.id.clone(), p.name.clone()))
        .collect();
    let none = projects.is_empty();

    let save = {
        let (id, public_key) = (key.id.clone(), key.public_key.clone());
        Callback::new(move |()| {
            let group_id = project.get_untracked();
            let Some(wanted) = ProjectRole::from_atlas_name(&role.get_untracked()) else {
                return;
            };
            if group_id.is_empty() {
                return;
            }
            failure.set(None);
            let name = names
                .get(&group_id)
                .cloned()
                .unwrap_or_else(|| group_id.clone());
            let ((api, _), id, public_key) = (org.call(), id.clone(), public_key.clone());
            save_in_background(
                saving,
                false,
                async move { api.assign_api_key(&group_id, &id, wanted).await },
                Callback::new(move |(_, _): (ApiKeyInfo, bool)| {
                    on_assigned.run((public_key.clone(), name.clone()))
                }),
                move |error| {
                    failure.try_set(Some(error));
                },
            );
        })
    };

    view! {
        <Modal labelled_by="assign-api-key-title" test_id="assign-api-key-dialog" busy=saving on_close>
            <form on:submit=move |ev| { ev.prevent_default(); save.run(()) }>
                <h2 id="assign-api-key-title">"Assign " <code>{key.public_key.clone()}</code> " to a Project"</h2>
                {none.then(|| view! { <p class="muted">"The organization has no project you may see."</p> })}
                <div class="field">
                    <label class="field-label" for="assign-api-key-project">"Project"</label>
                    <select id="assign-api-key-project" class="select" data-testid="assign-api-key-project" data-autofocus=""
                        prop:value=move || project.get()
                        on:change=move |ev| {
                            let group = event_target_value(&ev);
                            role.set(role_of(&group));
                            project.set(group);
                        }>
                        {projects.into_iter().map(|p| {
                            let label = match current.get(&p.id) {
                                Some(now) => format!("{} (now {})", p.name, project_role_label(now)),
                                None => p.name.clone(),
                            };
                            view! { <option value=p.id.clone()>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label class="field-label" for="assign-api-key-role">"Project Role"</label>
                    <select id="assign-api-key-role" class="select" data-testid="assign-api-key-role"
                        prop:value=move || role.get()
                        on:change=move |ev| role.set(event_target_value(&ev))>
                        {ProjectRole::ALL.map(|r| view! { <option value=r.atlas_name()>{r.label()}</option> })}
                    </select>
                </div>
                {move || failure.get().map(|error| view! { <ApiErrorPanel title="The key was not assigned" error /> })}
                <DialogActions test_id="assign-api-key" saving save_label="Assign"
                    on_cancel=on_close on_save=move || save.run(()) />
            </form>
        </Modal>
    }
}
