//! User Privileges, the seed's ways: a built-in role, specific privileges ("Add Default Privileges":
//! role, database, collection rows), or one custom role of the project.

use access_core::database_user::UserRole;
use access_core::field_issue::FieldIssue;
use access_core::privileges::{
    classify_roles, specific_privilege, DatabaseRule, PrivilegeWay, ADMIN_DATABASE,
    BUILT_IN_PRIVILEGES, SPECIFIC_PRIVILEGES,
};
use leptos::prelude::*;

use crate::field_feedback::errors_id;

/// The form name of the user dialog's error ids ([`errors_id`]).
pub const USER_FORM: &str = "user-dialog";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    BuiltIn,
    Specific,
    Custom,
}

/// One "Add Default Privileges" row: each field its own signal, so the row's inputs follow its data
/// and a row added or removed is drawn by a keyed list (`<For>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrivilegeRow {
    /// Stable identity for the keyed list.
    pub key: u32,
    pub role: RwSignal<String>,
    pub database: RwSignal<String>,
    pub collection: RwSignal<String>,
}

impl PrivilegeRow {
    fn new(key: u32, role: &str, database: &str, collection: &str) -> Self {
        PrivilegeRow {
            key,
            role: RwSignal::new(role.to_owned()),
            database: RwSignal::new(database.to_owned()),
            collection: RwSignal::new(collection.to_owned()),
        }
    }

    /// The row in the Atlas shape (tracked).
    fn to_role(self) -> UserRole {
        let mut role = UserRole::new(self.role.get(), self.database.with(|d| d.trim().to_owned()));
        let collection = self.collection.with(|c| c.trim().to_owned());
        if !collection.is_empty() {
            role.collection_name = Some(collection);
        }
        role
    }
}

/// What the section holds; the dialog reads [`Privileges::roles`] when it saves.
#[derive(Debug, Clone, Copy)]
pub struct Privileges {
    pub way: RwSignal<Way>,
    /// The chosen built-in role; empty until one is chosen (a new user starts with no privilege, so
    /// that pressing Add never grants one the person did not pick).
    pub built_in: RwSignal<String>,
    pub rows: RwSignal<Vec<PrivilegeRow>>,
    pub custom: RwSignal<String>,
    next_key: StoredValue<u32>,
}

impl Privileges {
    /// The section for a user's roles (a new user: no privilege chosen yet).
    pub fn from_roles(roles: &[UserRole], custom_role_names: &[String]) -> Self {
        let (way, built_in, rows, custom) = match classify_roles(roles, custom_role_names) {
            PrivilegeWay::NoRole => (Way::BuiltIn, String::new(), Vec::new(), String::new()),
            PrivilegeWay::BuiltIn(p) => {
                (Way::BuiltIn, p.role.to_owned(), Vec::new(), String::new())
            }
            PrivilegeWay::CustomRole(name) => (Way::Custom, String::new(), Vec::new(), name),
            PrivilegeWay::SpecificPrivileges => (
                Way::Specific,
                String::new(),
                roles
                    .iter()
                    .zip(0..)
                    .map(|(r, key)| {
                        PrivilegeRow::new(
                            key,
                            &r.role_name,
                            &r.database_name,
                            r.collection().unwrap_or_default(),
                        )
                    })
                    .collect(),
                String::new(),
            ),
        };
        let next = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        Privileges {
            way: RwSignal::new(way),
            built_in: RwSignal::new(built_in),
            rows: RwSignal::new(rows),
            custom: RwSignal::new(custom),
            next_key: StoredValue::new(next),
        }
    }

    /// The roles the section describes, in the Atlas shape (tracked). Nothing chosen is no role, which
    /// the core's rule refuses with "a database user needs at least one role".
    pub fn roles(&self) -> Vec<UserRole> {
        let one = |name: String| {
            if name.is_empty() {
                Vec::new()
            } else {
                vec![UserRole::new(name, ADMIN_DATABASE)]
            }
        };
        match self.way.get() {
            Way::BuiltIn => one(self.built_in.get()),
            Way::Custom => one(self.custom.get()),
            Way::Specific => self
                .rows
                .with(|rows| rows.iter().map(|row| row.to_role()).collect()),
        }
    }

    /// [`Self::roles`], untracked (when saving).
    pub fn roles_untracked(&self) -> Vec<UserRole> {
        untrack(|| self.roles())
    }

    fn add_row(&self) {
        let key = self.next_key.get_value();
        self.next_key.set_value(key.saturating_add(1));
        self.rows
            .update(|rows| rows.push(PrivilegeRow::new(key, "readWrite", "", "")));
    }

    fn remove_row(&self, key: u32) {
        self.rows.update(|rows| rows.retain(|r| r.key != key));
    }
}

/// The messages of `issues` on `field` or below it (`roles[1]` takes `roles[1].databaseName`).
fn messages_for(issues: &[FieldIssue], field: &str) -> Vec<String> {
    issues
        .iter()
        .filter(|i| {
            i.field == field
                || i.field
                    .strip_prefix(field)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
        .map(|i| i.detail.clone())
        .collect()
}

#[component]
pub fn PrivilegesField(
    privileges: Privileges,
    #[prop(into)] custom_role_names: Signal<Vec<String>>,
    /// Rule errors (the core's, after a save attempt, or the server's), by field.
    #[prop(into)]
    issues: Signal<Vec<FieldIssue>>,
) -> impl IntoView {
    let way_radio = move |way: Way, label: &'static str, test_id: &'static str| {
        let disabled = move || way == Way::Custom && custom_role_names.with(Vec::is_empty);
        view! {
            <label class="way" class:way-selected=move || privileges.way.get() == way class:way-disabled=disabled>
                <input
                    type="radio"
                    name="privilege-way"
                    data-testid=test_id
                    prop:checked=move || privileges.way.get() == way
                    disabled=disabled
                    on:change=move |_| {
                        privileges.way.set(way);
                        if way == Way::Specific && privileges.rows.with_untracked(Vec::is_empty) {
                            privileges.add_row();
                        }
                        if way == Way::Custom && privileges.custom.with_untracked(String::is_empty) {
                            if let Some(first) = custom_role_names.get_untracked().first() {
                                privileges.custom.set(first.clone());
                            }
                        }
                    }
                />
                {label}
            </label>
        }
    };
    let section_errors = move || {
        let mut messages = messages_for(&issues.get(), "roles");
        // Errors on the one role of the built-in and custom ways belong to the section.
        if privileges.way.get() != Way::Specific {
            messages.extend(messages_for(&issues.get(), "roles[0]"));
        } else {
            messages.retain(|m| {
                !issues
                    .get()
                    .iter()
                    .any(|i| i.detail == *m && i.field.starts_with("roles["))
            });
        }
        messages
            .into_iter()
            .map(|m| view! { <p class="field-error" data-testid="privileges-error">{m}</p> })
            .collect_view()
    };

    view! {
        <fieldset class="field privileges">
            <legend class="field-label">"Database User Privileges"</legend>
            <div class="ways" role="radiogroup">
                {way_radio(Way::BuiltIn, "Built-in Role", "way-built-in")}
                {way_radio(Way::Specific, "Specific Privileges", "way-specific")}
                {way_radio(Way::Custom, "Custom Role", "way-custom")}
            </div>
            {move || match privileges.way.get() {
                Way::BuiltIn => view! { <BuiltInChoice privileges /> }.into_any(),
                Way::Specific => view! { <SpecificPrivilegeRows privileges issues /> }.into_any(),
                Way::Custom => view! { <CustomRoleChoice privileges custom_role_names /> }.into_any(),
            }}
            {move || custom_role_names.with(Vec::is_empty).then(|| view! {
                <p class="field-help">"This project has no custom roles yet: create one under MongoDB Roles to use it here."</p>
            })}
            {section_errors}
        </fieldset>
    }
}

#[component]
fn BuiltInChoice(privileges: Privileges) -> impl IntoView {
    view! {
        {move || privileges.built_in.with(String::is_empty).then(|| view! {
            <p class="field-help" data-testid="no-privilege-yet">
                "No privilege is chosen yet: the user gets only what you choose here."
            </p>
        })}
        <div class="built-in-roles">
            {BUILT_IN_PRIVILEGES
                .iter()
                .map(|p| {
                    let role = p.role;
                    view! {
                        <label class="built-in-role">
                            <input
                                type="radio"
                                name="built-in-role"
                                data-testid=format!("built-in-{role}")
                                prop:checked=move || privileges.built_in.get() == role
                                on:change=move |_| privileges.built_in.set(role.to_owned())
                            />
                            <span>{p.label}</span>
                            <code class="muted">{format!("{role}@admin")}</code>
                        </label>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
fn CustomRoleChoice(
    privileges: Privileges,
    custom_role_names: Signal<Vec<String>>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span class="field-help">"A user with a custom role has no other role."</span>
            <select
                class="select"
                data-testid="custom-role-select"
                prop:value=move || privileges.custom.get()
                on:change=move |ev| privileges.custom.set(event_target_value(&ev))
            >
                {move || custom_role_names
                    .get()
                    .into_iter()
                    .map(|name| view! { <option value=name.clone()>{name.clone()}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}

#[component]
fn SpecificPrivilegeRows(privileges: Privileges, issues: Signal<Vec<FieldIssue>>) -> impl IntoView {
    view! {
        <div class="privilege-rows">
            <div class="privilege-row privilege-row-head" aria-hidden="true">
                <span>"Privilege"</span><span>"Database"</span><span>"Collection"</span><span></span>
            </div>
            <For each=move || privileges.rows.get() key=|row| row.key let:row>
                <SpecificPrivilegeRow
                    row
                    index=Signal::derive(move || {
                        privileges.rows.with(|all| all.iter().position(|r| r.key == row.key).unwrap_or(0))
                    })
                    on_remove=Callback::new(move |key: u32| privileges.remove_row(key))
                    issues
                />
            </For>
            <button
                type="button"
                class="button button-secondary button-small"
                data-testid="privilege-add"
                on:click=move |_| privileges.add_row()
            >
                "+ Add Default Privileges"
            </button>
            <PrivilegeTable />
        </div>
    }
}

/// One row: privilege, database, collection; what the database and collection inputs accept follows
/// the chosen privilege.
#[component]
fn SpecificPrivilegeRow(
    row: PrivilegeRow,
    /// The row's place in the list, for the field names of its errors (`roles[1].databaseName`).
    index: Signal<usize>,
    on_remove: Callback<u32>,
    issues: Signal<Vec<FieldIssue>>,
) -> impl IntoView {
    let rule = move || {
        row.role
            .with(|role| specific_privilege(role).map(|p| (p.database, p.collection_allowed)))
    };
    let admin_only = move || matches!(rule(), Some((DatabaseRule::Admin, _)));
    let collection_allowed = move || matches!(rule(), Some((_, true)));
    let field = move || format!("roles[{}]", index.get());
    let messages = Memo::new(move |_| messages_for(&issues.get(), &field()));
    let errors_at = move || errors_id(USER_FORM, &field());
    let errors = move || {
        messages
            .get()
            .into_iter()
            .map(|m| view! { <p class="field-error" data-testid="privilege-row-error">{m}</p> })
            .collect_view()
    };
    // Which input of the row an error concerns: `roles[1].databaseName`, `.collectionName`, else the
    // privilege itself.
    let invalid = move |part: &'static str| {
        move || {
            let at = field();
            issues
                .with(|all| {
                    all.iter().any(|i| match i.field.strip_prefix(at.as_str()) {
                        Some("") => part == "roleName",
                        Some(rest) => rest.strip_prefix('.') == Some(part),
                        None => false,
                    })
                })
                .then_some("true")
        }
    };
    view! {
        <div class="privilege-row" data-testid="privilege-row" data-field=field>
            <select
                class="select"
                aria-label="Privilege"
                data-testid="privilege-role"
                aria-invalid=invalid("roleName")
                aria-describedby=errors_at
                prop:value=move || row.role.get()
                on:change=move |ev| {
                    let role = event_target_value(&ev);
                    let rule = specific_privilege(&role);
                    if rule.is_some_and(|p| p.database == DatabaseRule::Admin) {
                        row.database.set(ADMIN_DATABASE.to_owned());
                    } else if row.database.with_untracked(|d| d == ADMIN_DATABASE) {
                        row.database.set(String::new());
                    }
                    if !rule.is_some_and(|p| p.collection_allowed) {
                        row.collection.set(String::new());
                    }
                    row.role.set(role);
                }
            >
                {SPECIFIC_PRIVILEGES
                    .iter()
                    .map(|p| {
                        let role = p.role;
                        view! { <option value=role selected=move || row.role.with(|r| r == role)>{role}</option> }
                    })
                    .collect_view()}
            </select>
            <input
                class="text-input"
                type="text"
                aria-label="Database"
                data-testid="privilege-database"
                aria-invalid=invalid("databaseName")
                aria-describedby=errors_at
                placeholder=move || match rule() {
                    Some((DatabaseRule::UserConfiguredExceptLocalAndConfig, _)) => "any database but local and config",
                    _ => "database",
                }
                disabled=admin_only
                prop:value=move || row.database.get()
                on:input=move |ev| row.database.set(event_target_value(&ev))
            />
            <input
                class="text-input"
                type="text"
                aria-label="Collection"
                data-testid="privilege-collection"
                aria-invalid=invalid("collectionName")
                aria-describedby=errors_at
                placeholder=move || if collection_allowed() { "collection (optional)" } else { "whole database" }
                disabled=move || !collection_allowed()
                prop:value=move || row.collection.get()
                on:input=move |ev| row.collection.set(event_target_value(&ev))
            />
            <button
                type="button"
                class="button button-quiet button-small"
                data-testid="privilege-remove"
                aria-label="Remove this privilege"
                on:click=move |_| on_remove.run(row.key)
            >
                "Remove"
            </button>
            <div class="privilege-row-errors" id=errors_at>{errors}</div>
        </div>
    }
}

/// The seed's table of specific privileges and the actions they grant.
#[component]
fn PrivilegeTable() -> impl IntoView {
    view! {
        <details class="privilege-table" data-testid="privilege-table">
            <summary>"What each privilege allows"</summary>
            <div class="table-scroll"><table class="table">
                <thead><tr><th>"Privilege"</th><th>"Database"</th><th>"Privilege actions"</th></tr></thead>
                <tbody>
                    {SPECIFIC_PRIVILEGES
                        .iter()
                        .map(|p| {
                            let database = match p.database {
                                DatabaseRule::Admin => "admin",
                                DatabaseRule::UserConfigured => "User configured",
                                DatabaseRule::UserConfiguredExceptLocalAndConfig => "User configured, except local and config",
                            };
                            let actions = p.grants_role.map(str::to_owned).into_iter()
                                .chain(p.actions.iter().map(|a| (*a).to_owned()))
                                .collect::<Vec<_>>()
                                .join(", ");
                            view! { <tr><td><code>{p.role}</code></td><td>{database}</td><td class="actions-cell">{actions}</td></tr> }
                        })
                        .collect_view()}
                </tbody>
            </table></div>
        </details>
    }
}
