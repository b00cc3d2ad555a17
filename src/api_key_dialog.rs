//! Edit API Key: a key's description, its role in this project and its access list, as the API lets
//! them change (PATCH for the first two, the access list endpoints for the third).
//!
//! The access list is changed entry by entry: new entries are added before removed ones are deleted, so
//! the key is never briefly open to any address while a list is replaced.

use access_core::api::{ApiKeyAccessEntry, ApiKeyInfo};
use access_core::project_role::ProjectRole;
use leptos::prelude::*;

use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;
use crate::modal::Modal;
use crate::pages::read_access_list;

/// How an entry is named in the access list's paths and compared (the address, else the CIDR block).
fn entry_name(entry: &ApiKeyAccessEntry) -> Option<&str> {
    entry.ip_address.as_deref().or(entry.cidr_block.as_deref())
}

#[component]
pub fn EditApiKeyDialog(
    group_id: String,
    key: ApiKeyInfo,
    on_close: Callback<()>,
    /// Called with the key's public key once every change is saved.
    on_saved: Callback<String>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let current_role = key
        .roles
        .iter()
        .find(|r| r.group_id == group_id)
        .map(|r| r.role_name.clone())
        .unwrap_or_else(|| ProjectRole::ReadOnly.atlas_name().to_owned());
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
            let (api, group_id, key_id, public_key) = (
                api.clone(),
                group_id.clone(),
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
                        api.update_api_key(&group_id, &key_id, &desc, &new_role)
                            .await?;
                    }
                    let added: Vec<ApiKeyAccessEntry> = wanted
                        .iter()
                        .filter(|e| !entry_name(e).is_some_and(|n| stored.iter().any(|s| s == n)))
                        .cloned()
                        .collect();
                    if !added.is_empty() {
                        api.add_api_key_access(&group_id, &key_id, &added).await?;
                    }
                    for gone in stored
                        .iter()
                        .filter(|s| !wanted.iter().any(|e| entry_name(e) == Some(s.as_str())))
                    {
                        api.delete_api_key_access(&group_id, &key_id, gone).await?;
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
                    <label class="field-label" for="api-key-edit-role">"Project Role"</label>
                    <select id="api-key-edit-role" class="select" data-testid="api-key-edit-role"
                        prop:value=move || role.get()
                        on:change=move |ev| role.set(event_target_value(&ev))>
                        {ProjectRole::ALL.map(|r| view! { <option value=r.atlas_name()>{r.label()}</option> })}
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
