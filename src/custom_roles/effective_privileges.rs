//! Effective privileges (a view Atlas lacks): every action a role grants once inheritance is flattened,
//! on which resource, and through which roles. Computed by the core's `effective_privileges`, the same
//! function behind the server's `.../roles/{roleName}/effectivePrivileges`.

use access_core::custom_role::{effective_privileges, CustomDbRole};
use leptos::prelude::*;

use crate::modal::Modal;

#[component]
pub fn EffectivePrivilegesDialog(
    role: CustomDbRole,
    /// The project's roles, for the custom roles it inherits.
    roles: Vec<CustomDbRole>,
    on_close: Callback<()>,
) -> impl IntoView {
    let privileges = effective_privileges(&role, &roles);
    let count = privileges.len();
    view! {
        <Modal class="dialog dialog-wide" labelled_by="effective-title" test_id="effective-privileges" on_close>
                <h2 id="effective-title">"Effective privileges of " <code>{role.role_name.clone()}</code></h2>
                <div class="dialog-body">
                    <p>{format!("{count} privileges, with inherited roles flattened. “From” is the chain of roles that grants each one.")}</p>
                    <div class="table-scroll"><table class="table effective-table">
                        <thead>
                            <tr>
                                <th scope="col">"Action"</th>
                                <th scope="col">"Resource"</th>
                                <th scope="col">"From"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {privileges.into_iter().map(|p| {
                                let from = match p.via.get(1..) {
                                    Some(chain) if !chain.is_empty() => chain.join(" → "),
                                    _ => "this role".to_owned(),
                                };
                                view! {
                                    <tr data-testid="effective-row">
                                        <td class="mono" data-testid="effective-action">{p.api_name.map_or(p.action.clone(), str::to_owned)}</td>
                                        <td class="mono" data-testid="effective-resource">{p.resource.to_string()}</td>
                                        <td data-testid="effective-from">{from}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                </div>
                <div class="dialog-actions">
                    <button type="button" class="button button-secondary" data-testid="effective-close"
                        on:click=move |_| on_close.run(())>
                        "Close"
                    </button>
                </div>
        </Modal>
    }
}
