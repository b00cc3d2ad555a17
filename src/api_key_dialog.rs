//! What a project's API Keys page and the organization's share: Edit API Key (a key's description, its
//! role — in the project, or in the organization — and its access list, as the API lets them change:
//! PATCH for the first two, the access list endpoints for the third), the description's rule, and the
//! private key of a new key, shown once.
//!
//! The access list is changed entry by entry: new entries are added before removed ones are deleted, so
//! the key is never briefly open to any address while a list is replaced.

use access_core::api::{ApiKeyAccessEntry, ApiKeyInfo};
use access_core::field_issue::FieldIssue;
use access_core::org_role::OrgRole;
use access_core::project_role::ProjectRole;
use leptos::prelude::*;

use crate::api::{Api, ApiError, KeyScope};
use crate::api_error_panel::ApiErrorPanel;
use crate::copy_button::CopyButton;
use crate::modal::Modal;
use crate::pages::read_access_list;

/// Longest description (as the server).
pub const MAX_DESCRIPTION_CHARS: usize = 250;

/// Why `desc` (trimmed) cannot be a key's description, at the field `desc`.
pub fn description_issue(desc: &str) -> Option<FieldIssue> {
    let count = desc.trim().chars().count();
    (count == 0 || count > MAX_DESCRIPTION_CHARS).then(|| FieldIssue {
        field: "desc".to_owned(),
        error_code: "INVALID_API_KEY_DESCRIPTION".to_owned(),
        detail: format!("Give a description of 1 to {MAX_DESCRIPTION_CHARS} characters."),
    })
}

/// The roles a key may be given in `keys` (Atlas name, label): project roles, or organization roles.
pub fn role_choices(keys: &KeyScope) -> Vec<(&'static str, &'static str)> {
    match keys {
        KeyScope::Project(_) => ProjectRole::ALL
            .iter()
            .map(|r| (r.atlas_name(), r.label()))
            .collect(),
        KeyScope::Org(_) => OrgRole::ALL
            .iter()
            .map(|r| (r.atlas_name(), r.label()))
            .collect(),
    }
}

/// A new key's public and private keys with copy buttons, and the warning that the private key will
/// not be shown again; "I have copied it" calls `on_done`.
#[component]
pub fn PrivateKeyOnce(key: ApiKeyInfo, on_done: Callback<()>) -> impl IntoView {
    view! {
        <div class="notice notice-warning" role="status" data-testid="api-key-created">
            <div class="notice-body">
                <p><strong>"Copy the private key now: it will not be shown again."</strong></p>
                <p>"Public key: " <code data-testid="created-public-key">{key.public_key.clone()}</code>
                    " " <CopyButton value=key.public_key.clone() what="public key" /></p>
                <p>"Private key: " <code data-testid="created-private-key">{key.private_key.clone()}</code>
                    " " <CopyButton value=key.private_key.clone() what="private key" /></p>
                <button type="button" class="button button-small" data-testid="api-key-created-done"
                    on:click=move |_| on_done.run(())>"I have copied it"</button>
            </div>
        </div>
    }
}

/// How an entry is named in the access list's paths and compared (the address, else the CIDR block).
fn entry_name(entry: &ApiKeyAccessEntry) -> Option<&str> {
    entry.ip_address.as_deref().or(entry.cidr_block.as_deref())
}

#[component]
pub fn EditApiKeyDialog(
    /// A project's keys (the key's role there) or the organization's (its organization role).
    keys: KeyScope,
    key: ApiKeyInfo,
    on_close: Callback<()>,
    /// Called with the key's public key once every change is saved.
    on_saved: Callback<String>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let current_role = match &keys {
        KeyScope::Project(group_id) => key
            .role_in_project(group_id)
            .unwrap_or(ProjectRole::ReadOnly.atlas_name()),
        KeyScope::Org(_) => key.org_role().unwrap_or(OrgRole::Member.atlas_name()),
    }
    .to_owned();
    let role_label = match &keys {
        KeyScope::Project(_) => "Project Role",
        KeyScope::Org(_) => "Organization Role",
    };
    let choices = role_choices(&keys);
    let description = RwSignal::new(key.desc.clone());
    let role = RwSignal::new(current_role.clone());
    let stored: Vec<String> = key
        .access_list
        .iter()
        .filter_map(entry_name)
        .map(str::to_owned)
        .collect();
    let access_list = RwSignal::new(stored.join("\n"));
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let access_errors =
        move || access_list.with(|text| read_access_list(text).err().unwrap_or_default());
    let opens_to_any = {
        let had_entries = !stored.is_empty();
        move || had_entries && access_list.with(|t| t.trim().is_empty())
    };
    let description_empty = move || description.with(|d| d.trim().is_empty());

    let save = {
        let (key_id, public_key) = (key.id.clone(), key.public_key.clone());
        let (desc_before, role_before) = (key.desc.clone(), current_role);
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Ok(wanted) = read_access_list(&access_list.get_untracked()) else {
                return;
            };
            if description_empty() {
                return;
            }
            let (api, keys, key_id, public_key) = (
                api.clone(),
                keys.clone(),
                key_id.clone(),
                public_key.clone(),
            );
            let (desc, new_role) = (
                description.get_untracked().trim().to_owned(),
                role.get_untracked(),
            );
            let details_changed = desc != desc_before || new_role != role_before;
            let stored = stored.clone();
            busy.set(true);
            failure.set(None);
            leptos::task::spawn_local(async move {
                let result = async {
                    if details_changed {
                        api.update_api_key(&keys, &key_id, &desc, &new_role).await?;
                    }
                    let added: Vec<ApiKeyAccessEntry> = wanted
                        .iter()
                        .filter(|e| !entry_name(e).is_some_and(|n| stored.iter().any(|s| s == n)))
                        .cloned()
                        .collect();
                    if !added.is_empty() {
                        api.add_api_key_access(&keys, &key_id, &added).await?;
                    }
                    for gone in stored
                        .iter()
                        .filter(|s| !wanted.iter().any(|e| entry_name(e) == Some(s.as_str())))
                    {
                        api.delete_api_key_access(&keys, &key_id, gone).await?;
                    }
                    Ok::<_, ApiError>(())
                }
                .await;
                busy.try_set(false);
                match result {
                    Ok(()) => on_saved.run(public_key),
                    Err(error) => {
                        failure.try_set(Some(error));
                    }
                }
            });
        }
    };

    view! {
        <Modal labelled_by="api-key-dialog-title" test_id="api-key-dialog" busy on_close>
            <form on:submit=save>
                <h2 id="api-key-dialog-title">"Edit API Key " <code>{key.public_key.clone()}</code></h2>
                <div class="field">
                    <label class="field-label" for="api-key-edit-desc">"Description"</label>
                    <input id="api-key-edit-desc" class="text-input" type="text" autocomplete="off" maxlength="250"
                        data-testid="api-key-edit-desc" data-autofocus="" aria-describedby="api-key-edit-desc-error"
                        prop:value=move || description.get()
                        on:input=move |ev| description.set(event_target_value(&ev)) />
                    <Show when=description_empty>
                        <p class="field-error" id="api-key-edit-desc-error" data-testid="api-key-edit-error" data-field="desc">"A key needs a description (1 to 250 characters)."</p>
                    </Show>
                </div>
                <div class="field">
                    <label class="field-label" for="api-key-edit-role">{role_label}</label>
                    <select id="api-key-edit-role" class="select" data-testid="api-key-edit-role"
                        prop:value=move || role.get()
                        on:change=move |ev| role.set(event_target_value(&ev))>
                        {choices.into_iter().map(|(name, label)| view! { <option value=name>{label}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label class="field-label" for="api-key-edit-access">"Access List"</label>
                    <textarea id="api-key-edit-access" class="text-input" rows="3" spellcheck="false"
                        data-testid="api-key-edit-access" aria-describedby="api-key-edit-access-help"
                        prop:value=move || access_list.get()
                        on:input=move |ev| access_list.set(event_target_value(&ev))></textarea>
                    <p class="field-help" id="api-key-edit-access-help">"IP addresses or CIDR blocks, one per line or comma. Empty: any address."</p>
                    {move || access_errors().into_iter().map(|e| view! { <p class="field-error" data-testid="api-key-edit-error" data-field="accessList">{e}</p> }).collect_view()}
                    <Show when=opens_to_any>
                        <p class="notice notice-warning" data-testid="api-key-edit-any-address">"With an empty access list, this key will be accepted from any address."</p>
                    </Show>
                </div>
                {move || failure.get().map(|error| view! { <ApiErrorPanel title="The API key was not fully saved" error /> })}
                <div class="dialog-actions">
                    <button type="button" class="button button-secondary" disabled=busy
                        on:click=move |_| on_close.run(())>"Cancel"</button>
                    <button type="submit" class="button button-primary" data-testid="api-key-edit-save"
                        disabled=move || busy.get() || description_empty() || !access_errors().is_empty()>
                        "Save"
                    </button>
                </div>
            </form>
        </Modal>
    }
}
