//! Project → API Keys: programmatic API keys for Atlas clients (HTTP Digest). A new key's private key is
//! shown once, with copy buttons; afterwards only its masked form is known.

use access_core::access_list::AccessListEntry;
use access_core::api::{ApiKeyAccessEntry, ApiKeyInfo, NewApiKey};
use access_core::field_issue::FieldIssue;
use access_core::project_role::ProjectRole;
use access_core::time::display_rfc3339;
use leptos::prelude::*;

use crate::api::{ApiError, KeyScope};
use crate::api_error_panel::ApiErrorPanel;
use crate::api_key_dialog::{description_issue, EditApiKeyDialog, PrivateKeyOnce};
use crate::confirm_dialog::{confirmed_delete, ConfirmDialog};
use crate::custom_roles::done;
use crate::field_feedback::{errors_id, reveal_first_invalid};
use crate::page_scope::{loaded, PageScope};

/// The add form, for the ids of its fields' errors.
const FORM: &str = "api-key-form";

#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Updated(String),
    Deleted(String),
    DeleteRefused(ApiError),
}

/// The access list as typed (one entry per line or comma), each read with the core rule.
pub fn read_access_list(text: &str) -> Result<Vec<ApiKeyAccessEntry>, Vec<String>> {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for item in text
        .split(['\n', ','])
        .map(str::trim)
        .filter(|item| !item.is_empty())
    {
        match AccessListEntry::parse(item) {
            Ok(entry) if entry.is_single_address() => entries.push(ApiKeyAccessEntry {
                cidr_block: None,
                ip_address: Some(entry.to_string()),
            }),
            Ok(entry) => entries.push(ApiKeyAccessEntry {
                cidr_block: Some(entry.cidr_block()),
                ip_address: None,
            }),
            Err(error) => errors.push(error.to_string()),
        }
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

fn role_labels(key: &ApiKeyInfo, group_id: &str) -> String {
    key.project_roles()
        .filter(|(group, _)| *group == group_id)
        .map(|(_, name)| project_role_label(name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A project role's label ("Project Read Only"), or its Atlas name when it is not one of ours.
pub fn project_role_label(name: &str) -> String {
    ProjectRole::from_atlas_name(name)
        .map_or_else(|| name.to_owned(), |role| role.label().to_owned())
}

/// The access list in a cell: its entries, or "Any address".
pub fn access_text(key: &ApiKeyInfo) -> String {
    if key.access_list.is_empty() {
        return "Any address".to_owned();
    }
    key.access_list
        .iter()
        .filter_map(|e| e.ip_address.clone().or_else(|| e.cidr_block.clone()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub fn ApiKeysPage(project_name: Signal<Option<String>>) -> impl IntoView {
    let scope = PageScope::get();
    let keys = LocalResource::new(move || {
        let (api, group_id) = scope.call();
        async move { api.api_keys(&KeyScope::Project(group_id)).await }
    });
    let description = RwSignal::new(String::new());
    let role = RwSignal::new(ProjectRole::ReadOnly.atlas_name().to_owned());
    let access_list = RwSignal::new(String::new());
    let issues = RwSignal::new(Vec::<FieldIssue>::new());
    let creating = RwSignal::new(false);
    let create_failure = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<ApiKeyInfo>);
    let deleting = RwSignal::new(None::<(String, String)>);
    let delete_busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);

    let access_errors =
        move || access_list.with(|text| read_access_list(text).err().unwrap_or_default());

    let create = {
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            outcome.set(None);
            create_failure.set(None);
            created.set(None);
            let desc = description.get_untracked().trim().to_owned();
            let problems: Vec<FieldIssue> = description_issue(&desc).into_iter().collect();
            let entries = match read_access_list(&access_list.get_untracked()) {
                Ok(entries) => entries,
                Err(_) => {
                    // Shown under the field as it is typed.
                    issues.set(problems);
                    reveal_first_invalid(".api-key-form");
                    return;
                }
            };
            if !problems.is_empty() {
                issues.set(problems);
                reveal_first_invalid(".api-key-form");
                return;
            }
            issues.set(Vec::new());
            creating.set(true);
            let key = NewApiKey {
                desc,
                roles: vec![role.get_untracked()],
                access_list: entries,
            };
            let (api, group_id) = scope.call();
            leptos::task::spawn_local(async move {
                let result = api.create_api_key(&KeyScope::Project(group_id), &key).await;
                creating.try_set(false);
                match result {
                    Ok(key) => {
                        description.try_set(String::new());
                        access_list.try_set(String::new());
                        created.try_set(Some(key));
                        keys.refetch();
                    }
                    Err(error) => {
                        let placed = error.field_issues().to_vec();
                        if placed.is_empty() {
                            create_failure.try_set(Some(error));
                        } else {
                            reveal_first_invalid(".api-key-form");
                        }
                        issues.try_set(placed);
                    }
                }
            });
        }
    };

    let editing = RwSignal::new(None::<ApiKeyInfo>);
    let on_key_saved = Callback::new(move |public_key: String| {
        editing.set(None);
        outcome.set(Some(Outcome::Updated(public_key)));
        keys.refetch();
    });
    let confirm_delete = confirmed_delete(
        deleting,
        delete_busy,
        move |(id, _public_key): (String, String)| {
            let (api, group_id) = scope.call();
            async move { api.delete_api_key(&KeyScope::Project(group_id), &id).await }
        },
        move |(_, public_key), result| {
            outcome.try_set(Some(match result {
                Ok(()) => Outcome::Deleted(public_key),
                Err(error) => Outcome::DeleteRefused(error),
            }));
            keys.refetch();
        },
    );

    let field_errors = move |field: &'static str| {
        let errors = move || {
            issues.with(|all| {
                all.iter()
                    .filter(|i| i.field == field || i.field.starts_with(&format!("{field}[")))
                    .map(|i| view! { <p class="field-error" data-testid="api-key-error" data-field=field>{i.detail.clone()}</p> })
                    .collect_view()
            })
        };
        view! { <div id=errors_id(FORM, field) class="field-errors">{errors}</div> }
    };
    let invalid = move |field: &'static str| {
        move || {
            issues
                .with(|all| {
                    all.iter()
                        .any(|i| i.field == field || i.field.starts_with(&format!("{field}[")))
                })
                .to_string()
        }
    };

    let table = move |list: Vec<ApiKeyInfo>| {
        let group_id = scope.id();
        if list.is_empty() {
            return view! { <p class="empty-search" data-testid="api-keys-empty">"No API keys yet: create one for a script or an Atlas client."</p> }.into_any();
        }
        view! {
            <div class="table-scroll"><table class="table api-keys-table" data-testid="api-keys-table">
                <thead>
                    <tr>
                        <th scope="col">"Public Key"</th>
                        <th scope="col">"Private Key"</th>
                        <th scope="col">"Description"</th>
                        <th scope="col">"Project Roles"</th>
                        <th scope="col">"Access List"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|key| {
                        let target = (key.id.clone(), key.public_key.clone());
                        let roles = role_labels(&key, &group_id);
                        let access = access_text(&key);
                        let created = display_rfc3339(&key.created);
                        view! {
                            <tr data-testid="api-key-row" data-public-key=key.public_key.clone()>
                                <td><code>{key.public_key.clone()}</code></td>
                                <td><code class="masked" data-testid="api-key-masked">{key.private_key.clone()}</code></td>
                                <td>{key.desc.clone()}</td>
                                <td data-testid="api-key-roles">{roles}</td>
                                <td data-testid="api-key-access">{access}</td>
                                <td data-testid="api-key-created-at">{created} <span class="muted">{format!(" by {}", key.created_by)}</span></td>
                                <td class="row-actions">
                                    <button type="button" class="button button-secondary button-small" data-testid="api-key-edit" data-needs="project"
                                        on:click={let key = key.clone(); move |_| { outcome.set(None); editing.set(Some(key.clone())) }}>
                                        "Edit"
                                    </button>
                                    <button type="button" class="button button-quiet button-small danger-text" data-testid="api-key-delete" data-needs="project"
                                        on:click=move |_| { outcome.set(None); deleting.set(Some(target.clone())) }>
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
            <h1>"API Keys"</h1>
        </header>
        <section class="panel" data-testid="api-keys-page">
            <p class="panel-description">
                "Programmatic API keys let scripts and Atlas API clients call this project's API with HTTP Digest "
                "authentication: the public key is the user name, the private key the password. The private key "
                "is shown once, when the key is created."
            </p>
            <form class="api-key-form" on:submit=create data-needs="project">
                <div class="field">
                    <label class="field-label" for="api-key-desc">"Description"</label>
                    <input id="api-key-desc" aria-describedby=errors_id(FORM, "desc") aria-invalid=invalid("desc") class="text-input" type="text" autocomplete="off"
                        placeholder="CI pipeline" data-testid="api-key-desc" maxlength="250"
                        prop:value=move || description.get()
                        on:input=move |ev| description.set(event_target_value(&ev))
                    />
                    {field_errors("desc")}
                </div>
                <div class="field">
                    <label class="field-label" for="api-key-role">"Project Role"</label>
                    <select id="api-key-role" aria-describedby=errors_id(FORM, "roles") aria-invalid=invalid("roles") class="select" data-testid="api-key-role"
                        prop:value=move || role.get()
                        on:change=move |ev| role.set(event_target_value(&ev))>
                        {ProjectRole::ALL.map(|r| view! { <option value=r.atlas_name()>{r.label()}</option> })}
                    </select>
                    {field_errors("roles")}
                </div>
                <div class="field">
                    <label class="field-label" for="api-key-access">"Access List (optional)"</label>
                    <textarea id="api-key-access" aria-describedby=errors_id(FORM, "accessList") aria-invalid=invalid("accessList") class="text-input" rows="2" spellcheck="false"
                        placeholder="10.0.0.0/8, 192.0.2.7" data-testid="api-key-access-list"
                        prop:value=move || access_list.get()
                        on:input=move |ev| access_list.set(event_target_value(&ev))
                    ></textarea>
                    <p class="field-help">"IP addresses or CIDR blocks (IPv4 or IPv6), one per line or comma. Empty: any address."</p>
                    {move || access_errors().into_iter().map(|e| view! { <p class="field-error" data-testid="api-key-error" data-field="accessList">{e}</p> }).collect_view()}
                    {field_errors("accessList")}
                </div>
                <button type="submit" class="button button-primary" data-testid="create-api-key" disabled=creating>
                    "+ Create API Key"
                </button>
            </form>
            {move || create_failure.get().map(|error| view! { <ApiErrorPanel title="The API key was not created" error /> })}
            {move || created.get().map(|key| view! {
                <PrivateKeyOnce key on_done=Callback::new(move |()| created.set(None)) />
            })}
            // A live region that stays on the page, so that what it comes to say is announced.
            <div class="live-region" aria-live="polite" data-testid="api-keys-live">
            {move || outcome.get().map(|o| match o {
                Outcome::Updated(public_key) => done("Updated API key ", public_key, "api-keys-outcome"),
                Outcome::Deleted(public_key) => done("Deleted API key ", public_key, "api-keys-outcome"),
                Outcome::DeleteRefused(error) => view! { <ApiErrorPanel title="The API key was not deleted" error /> }.into_any(),
            })}
            </div>
            <div class="api-keys-list">{loaded(keys, "Loading API keys…", "The API keys could not be read", table)}</div>
        </section>
        {move || editing.get().map(|key| view! {
            <EditApiKeyDialog
                keys=KeyScope::Project(scope.id())
                key
                on_close=Callback::new(move |()| editing.set(None))
                on_saved=on_key_saved
            />
        })}
        {move || deleting.get().map(|(_, public_key)| view! {
            <ConfirmDialog
                title="Delete API key?"
                confirm_label="Delete"
                busy=delete_busy
                on_confirm=confirm_delete
                on_cancel=Callback::new(move |()| deleting.set(None))
            >
                <p>"Clients using " <code>{public_key}</code> " will be refused in this project from now on. "
                   "A key made on this page, in no other project, is deleted; an organization's key with a wider "
                   "organization role stays the organization's (its Organization → API Keys)."</p>
            </ConfirmDialog>
        })}
    }
}
