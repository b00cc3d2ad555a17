//! What deleting a custom role will do, shown in the confirmation before the delete is sent: which roles
//! inherit it and which users hold it, and for each whether it only loses the role or would be left
//! empty, which refuses the delete (core's `delete_consequences`, the rule the server applies).

use access_core::custom_role::{delete_consequences, DeleteConsequences};
use access_core::database_user::DatabaseUser;
use leptos::prelude::*;

use crate::api::{Api, ApiError};

/// Users read per request while collecting them.
const USERS_PER_REQUEST: u64 = 500;

/// The consequences of deleting `role_name`, read fresh from the server when the dialog opens. `refused`
/// is true while they are being read and when the delete would leave a role or a user empty.
#[component]
pub fn RoleDeleteConsequences(
    group_id: String,
    role_name: String,
    refused: RwSignal<bool>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let found = LocalResource::new({
        let role_name = role_name.clone();
        move || {
            let (api, group_id, role_name) = (api.clone(), group_id.clone(), role_name.clone());
            async move {
                let roles = api.custom_roles(&group_id).await?;
                let users = all_users(&api, &group_id).await?;
                Ok::<_, ApiError>(delete_consequences(&role_name, &roles, &users))
            }
        }
    });
    Effect::new(move |_| {
        let blocked = !matches!(found.get(), Some(Ok(ref c)) if c.allowed());
        let unread = matches!(found.get(), Some(Err(_)));
        // A failed read does not block: the server still checks.
        refused.set(blocked && !unread);
    });
    view! {
        <div class="delete-consequences" data-testid="delete-consequences">
            {move || match found.get() {
                None => view! { <p class="loading">"Reading which roles and users depend on it…"</p> }.into_any(),
                Some(Err(error)) => view! {
                    <p class="notice notice-warning">"Which roles and users depend on it could not be read ("{error.to_string()}"). The server checks again when you delete."</p>
                }
                .into_any(),
                Some(Ok(found)) => consequences_view(&role_name, found),
            }}
        </div>
    }
}

fn consequences_view(role_name: &str, found: DeleteConsequences) -> AnyView {
    if found == DeleteConsequences::default() {
        return view! { <p data-testid="delete-nothing-depends">"No role inherits " <code>{role_name.to_owned()}</code> " and no database user holds it."</p> }.into_any();
    }
    let list = |kind: &'static str, lead: String, names: Vec<String>| {
        (!names.is_empty()).then(|| {
            view! {
                <div class="consequence" data-testid="delete-consequence" data-kind=kind>
                    <p>{lead}</p>
                    <ul>{names.into_iter().map(|n| view! { <li><code>{n}</code></li> }).collect_view()}</ul>
                </div>
            }
        })
    };
    let role = role_name.to_owned();
    view! {
        {list("roles-left-empty", format!("Refused while these roles inherit only {role} and have no actions: give each an action or another inherited role, or delete it first."), found.roles_left_empty)}
        {list("users-left-without-roles", format!("Refused while {role} is the only role of these database users: give each another role, or delete it first."), found.users_left_without_roles)}
        {list("roles-losing-it", format!("These roles inherit {role} and will no longer have it:"), found.roles_losing_it)}
        {list("users-losing-it", format!("These database users hold {role} and will no longer have it:"), found.users_losing_it)}
    }
    .into_any()
}

async fn all_users(api: &Api, group_id: &str) -> Result<Vec<DatabaseUser>, ApiError> {
    let mut users = Vec::new();
    let mut page = 1;
    loop {
        let list = api
            .database_users(group_id, page, USERS_PER_REQUEST, "")
            .await?;
        let more = list.links.iter().any(|l| l.rel == "next");
        users.extend(list.results);
        if !more {
            return Ok(users);
        }
        page += 1;
    }
}
