//! Add New Custom Role / Edit Custom Role: the name (fixed when editing: roles are not renamed), rows of
//! "Action or Role" with their databases and collections, live validation by the core's
//! `validate_rows` (the rules the server applies on save), and the server's refusals on the fields they
//! name.

use access_core::catalog::{self, Category};
use access_core::cluster::Cluster;
use access_core::custom_role::{
    role_to_rows, rows_to_role, validate_rows, CustomDbRole, Mode, Project, RoleRow, RowItem,
    RowTarget,
};
use access_core::edit_conflict::{reapply_role, role_changes};
use access_core::etag::of_custom_role;
use access_core::field_issue::{FieldError, FieldIssue};
use leptos::prelude::*;

use super::action_row::ActionRow;
use super::field_errors::{DialogContext, FieldErrors, DIALOG_FORM};
use crate::api::{Api, ApiError};
use crate::api_error_panel::ApiErrorPanel;
use crate::edit_conflict::{is_stale, EditConflictPanel};
use crate::field_feedback::{errors_id, reveal_first_invalid};
use crate::form_dialog::{save_in_background, DialogActions};
use crate::modal::Modal;

/// The dialog, for [`reveal_first_invalid`].
const DIALOG_SELECTOR: &str = "[data-testid=role-dialog]";

/// A save refused because the role changed meanwhile: the version the edit was based on, the edit, and
/// the version stored now.
#[derive(Debug, Clone, PartialEq)]
struct Conflict {
    base: CustomDbRole,
    mine: CustomDbRole,
    current: CustomDbRole,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DialogMode {
    Add,
    Edit(CustomDbRole),
}

/// One database (and collection) input pair of a row.
#[derive(Clone, Copy)]
pub struct TargetModel {
    pub key: u32,
    pub db: RwSignal<String>,
    pub collection: RwSignal<String>,
    pub touched: RwSignal<bool>,
}

/// One "Action or Role" row as the dialog edits it.
#[derive(Clone, Copy)]
pub struct RowModel {
    pub key: u32,
    /// The category the picker shows.
    pub category: RwSignal<Category>,
    pub search: RwSignal<String>,
    pub items: RwSignal<Vec<RowItem>>,
    pub targets: RwSignal<Vec<TargetModel>>,
    pub touched: RwSignal<bool>,
}

/// The category of a chosen item: an action's, a built-in role's, else a custom role.
pub fn item_category(item: &RowItem) -> Option<Category> {
    match item {
        RowItem::Action(name) => catalog::action_by_api_name(name).map(|a| a.category),
        RowItem::Role(name) => {
            Some(catalog::role(name).map_or(Category::CustomRoles, |r| r.category))
        }
    }
}

impl RowModel {
    /// The category the row's targets follow: its items' (Global wins over Custom Roles), else the one
    /// the picker shows.
    pub fn effective_category(&self) -> Category {
        let chosen = self.items.with(|items| {
            items
                .iter()
                .filter_map(item_category)
                .fold(None, |acc, c| match acc {
                    None | Some(Category::CustomRoles) => Some(c),
                    other => other,
                })
        });
        chosen.unwrap_or_else(|| self.category.get())
    }

    /// The row in the core's shape: targets only where the category has them.
    fn to_row(self) -> RoleRow {
        let category = self.effective_category();
        let targets = if category.needs_database() {
            self.targets.with(|targets| {
                targets
                    .iter()
                    .map(|t| {
                        let collection = if category.needs_collection() {
                            t.collection.get()
                        } else {
                            String::new()
                        };
                        RowTarget::new(t.db.get(), collection)
                    })
                    .collect()
            })
        } else {
            Vec::new()
        };
        RoleRow {
            items: self.items.get(),
            targets,
        }
    }
}

/// Hands out the keys of rows and targets.
#[derive(Clone, Copy)]
pub struct Keys(StoredValue<u32>);

impl Keys {
    pub fn next(self) -> u32 {
        self.0.update_value(|k| *k += 1);
        self.0.get_value()
    }

    pub fn target(self, db: &str, collection: &str) -> TargetModel {
        TargetModel {
            key: self.next(),
            db: RwSignal::new(db.to_owned()),
            collection: RwSignal::new(collection.to_owned()),
            touched: RwSignal::new(false),
        }
    }

    pub fn row(self, row: &RoleRow, touched: bool) -> RowModel {
        let category = row
            .items
            .iter()
            .find_map(item_category)
            .unwrap_or(Category::CollectionActions);
        let mut targets: Vec<TargetModel> = row
            .targets
            .iter()
            .map(|t| self.target(&t.db, &t.collection))
            .collect();
        if targets.is_empty() {
            targets.push(self.target("", ""));
        }
        RowModel {
            key: self.next(),
            category: RwSignal::new(category),
            search: RwSignal::new(String::new()),
            items: RwSignal::new(row.items.clone()),
            targets: RwSignal::new(targets),
            touched: RwSignal::new(touched),
        }
    }
}

#[component]
pub fn RoleDialog(
    mode: DialogMode,
    group_id: String,
    /// The project's stored custom roles.
    roles: Vec<CustomDbRole>,
    clusters: Vec<Cluster>,
    on_close: Callback<()>,
    /// Called with the saved role and whether it is new.
    on_saved: Callback<(CustomDbRole, bool)>,
    /// "Reload" after a conflicting change: reopen the dialog on this (current) version.
    on_reload: Callback<CustomDbRole>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let editing = matches!(mode, DialogMode::Edit(_));
    let opened = match &mode {
        DialogMode::Add => None,
        DialogMode::Edit(role) => Some(role.clone()),
    };
    let conflict = RwSignal::new(None::<Conflict>);
    let keys = Keys(StoredValue::new(0));
    let (name, initial_rows) = match &mode {
        DialogMode::Add => (String::new(), vec![RoleRow::default()]),
        DialogMode::Edit(role) => {
            let rows = role_to_rows(role);
            let rows = if rows.is_empty() {
                vec![RoleRow::default()]
            } else {
                rows
            };
            (role.role_name.clone(), rows)
        }
    };
    let name = RwSignal::new(name);
    let rows = RwSignal::new(
        initial_rows
            .iter()
            .map(|r| keys.row(r, editing))
            .collect::<Vec<_>>(),
    );
    let roles = StoredValue::new(roles);
    let clusters = StoredValue::new(clusters);
    let attempted = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let server_issues = RwSignal::new(Vec::<FieldIssue>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let mode_rule = if editing { Mode::Update } else { Mode::Create };

    let role_rows = Memo::new(move |_| {
        rows.get()
            .into_iter()
            .map(RowModel::to_row)
            .collect::<Vec<_>>()
    });
    let issues = Memo::new(move |_| {
        let name = name.get();
        role_rows.with(|rows| {
            roles.with_value(|roles| {
                clusters.with_value(|clusters| {
                    let project = Project { roles, clusters };
                    match validate_rows(&name, rows, &project, mode_rule) {
                        Ok(()) => Vec::new(),
                        Err(errors) => errors.iter().map(FieldError::to_issue).collect(),
                    }
                })
            })
        })
    });
    let ctx = DialogContext {
        roles,
        clusters,
        name,
        issues,
        server_issues,
        attempted,
    };

    // Sends `role`: a new one, or an edit of `base` (with `base`'s tag as If-Match). When `base` changed
    // meanwhile (412), reads the current version and shows the conflict.
    let submit = Callback::new(
        move |(role, base, rows_now): (CustomDbRole, Option<CustomDbRole>, Vec<RoleRow>)| {
            failure.set(None);
            conflict.set(None);
            let api = api.clone();
            let group_id = group_id.clone();
            let request = {
                let (api, group_id, sent, base) =
                    (api.clone(), group_id.clone(), role.clone(), base.clone());
                async move {
                    match &base {
                        Some(base) => {
                            api.update_custom_role(&group_id, &sent, &of_custom_role(base))
                                .await
                        }
                        None => api.create_custom_role(&group_id, &sent).await,
                    }
                }
            };
            save_in_background(saving, editing, request, on_saved, move |error| {
                if let (true, Some(base)) = (is_stale(&error), base) {
                    saving.try_set(true);
                    leptos::task::spawn_local(async move {
                        let current = api.custom_role(&group_id, &base.role_name).await;
                        saving.try_set(false);
                        match current {
                            Ok(current) => {
                                conflict.try_set(Some(Conflict {
                                    base,
                                    mine: role,
                                    current,
                                }));
                            }
                            Err(error) => {
                                failure.try_set(Some(error));
                            }
                        }
                    });
                    return;
                }
                let placed: Vec<FieldIssue> = error
                    .field_issues()
                    .iter()
                    .map(|issue| FieldIssue {
                        field: row_path(&issue.field, &role, &rows_now),
                        ..issue.clone()
                    })
                    .collect();
                if placed.is_empty() {
                    failure.try_set(Some(error));
                } else {
                    server_issues.try_set(placed);
                    reveal_first_invalid(DIALOG_SELECTOR);
                }
            });
        },
    );

    let save = move || {
        attempted.set(true);
        server_issues.set(Vec::new());
        failure.set(None);
        if !issues.with_untracked(Vec::is_empty) {
            reveal_first_invalid(DIALOG_SELECTOR);
            return;
        }
        let rows_now = role_rows.get_untracked();
        let built = roles.with_value(|roles| rows_to_role(&name.get_untracked(), &rows_now, roles));
        let role = match built {
            Ok(role) => role,
            Err(errors) => {
                server_issues.set(errors.iter().map(FieldError::to_issue).collect());
                reveal_first_invalid(DIALOG_SELECTOR);
                return;
            }
        };
        submit.run((role, opened.clone(), rows_now));
    };

    // "Apply my changes anyway": the edit applied to the current version, sent with its tag.
    let apply_anyway = Callback::new(move |()| {
        if let Some(c) = conflict.get_untracked() {
            let role = reapply_role(&c.base, &c.mine, &c.current);
            submit.run((role, Some(c.current), role_rows.get_untracked()));
        }
    });
    let reload = Callback::new(move |()| {
        if let Some(c) = conflict.get_untracked() {
            on_reload.run(c.current);
        }
    });
    let conflict_view = move || {
        conflict.get().map(|c| {
            let theirs = role_changes(&c.base, &c.current);
            let mine = role_changes(&c.base, &c.mine);
            view! {
                <EditConflictPanel what="This role" theirs mine busy=saving on_reload=reload on_apply=apply_anyway />
            }
        })
    };

    let add_row = move |_| {
        let row = keys.row(&RoleRow::default(), false);
        rows.update(|r| r.push(row));
    };
    let remove_row = Callback::new(move |key: u32| rows.update(|r| r.retain(|m| m.key != key)));
    let name_invalid =
        move || ctx.has_error("roleName") && (attempted.get() || !name.with(String::is_empty));
    // Server errors that no field shows (e.g. a role name taken meanwhile is shown on the name).
    let other_issues = move || {
        server_issues.with(|all| {
            all.iter()
                .filter(|i| i.field != "roleName" && !i.field.starts_with("rows["))
                .cloned()
                .collect::<Vec<_>>()
        })
    };

    view! {
        <Modal class="dialog dialog-wide" labelled_by="role-dialog-title" test_id="role-dialog" busy=saving on_close>
                <h2 id="role-dialog-title">{if editing { "Edit Custom Role" } else { "Add New Custom Role" }}</h2>
                <div class="dialog-body role-form">
                    <div class="field">
                        <label class="field-label" for="role-name">"Custom Role Name"</label>
                        <input
                            id="role-name"
                            class="text-input"
                            type="text"
                            autocomplete="off"
                            spellcheck="false"
                            data-testid="role-name-input"
                            disabled=editing
                            title=editing.then_some("Custom roles cannot be renamed: create a new role instead.")
                            aria-invalid=move || name_invalid().then_some("true")
                            aria-describedby=errors_id(DIALOG_FORM, "roleName")
                            prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev))
                        />
                        <FieldErrors ctx field="roleName".to_owned() shown=Signal::derive(move || !name.with(String::is_empty)) test_id="role-name-error" />
                        <p class="field-help">
                            {if editing {
                                "A role's name cannot change."
                            } else {
                                "Letters, digits, underscores and dashes; not a built-in role, not atlasAdmin, not starting with xgen-."
                            }}
                        </p>
                    </div>
                    <div class="field">
                        <span class="field-label">"Actions or Roles"</span>
                        <p class="field-help">"Each row takes actions or roles from one category (Global Actions and Roles may add Custom Roles). Add a row for another category."</p>
                        <div class="action-rows">
                            <For each=move || rows.get() key=|row| row.key let:row>
                                <ActionRow
                                    row
                                    index=Signal::derive(move || rows.with(|all| all.iter().position(|r| r.key == row.key).unwrap_or(0)))
                                    removable=Signal::derive(move || rows.with(|all| all.len() > 1))
                                    on_remove=remove_row
                                    keys
                                    ctx
                                />
                            </For>
                        </div>
                        <FieldErrors ctx field="rows".to_owned() shown=false test_id="rows-error" />
                        <button type="button" class="button button-secondary button-small add-row" data-testid="add-row" on:click=add_row>
                            "+ Add an action or role"
                        </button>
                    </div>
                    {move || other_issues().into_iter().map(|i| view! {
                        <p class="field-error" data-testid="role-form-error" data-field=i.field.clone()>{format!("{}: {}", i.field, i.detail)}</p>
                    }).collect_view()}
                    {conflict_view}
                    {move || failure.get().map(|error| view! {
                        <ApiErrorPanel title=if editing { "The role was not saved" } else { "The role was not added" } error />
                    })}
                </div>
                <DialogActions
                    test_id="role-dialog"
                    saving
                    save_label=if editing { "Update Custom Role" } else { "Add Custom Role" }
                    on_cancel=on_close
                    on_save=save
                />
        </Modal>
    }
}

/// Where a server error about the API shape belongs in the dialog: `actions[i]...` and
/// `inheritedRoles[i]...` go to the row item that produced that action or role; `roleName` and what
/// cannot be placed stay as they are.
fn row_path(field: &str, role: &CustomDbRole, rows: &[RoleRow]) -> String {
    let index = |rest: &str| -> Option<usize> { rest.split(']').next()?.parse().ok() };
    let item = if let Some(rest) = field.strip_prefix("actions[") {
        index(rest)
            .and_then(|i| role.actions.get(i))
            .map(|a| RowItem::action(&a.action))
    } else if let Some(rest) = field.strip_prefix("inheritedRoles[") {
        index(rest)
            .and_then(|i| role.inherited_roles.get(i))
            .map(|r| RowItem::role(&r.role))
    } else {
        None
    };
    item.and_then(|item| {
        rows.iter().enumerate().find_map(|(r, row)| {
            row.items
                .iter()
                .position(|i| *i == item)
                .map(|j| format!("rows[{r}].items[{j}]"))
        })
    })
    .unwrap_or_else(|| field.to_owned())
}
