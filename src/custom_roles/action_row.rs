//! One "Action or Role" row of the custom role dialog: the category dropdown (categories that cannot
//! join the row's choice are disabled, Global Actions and Roles and Custom Roles go together), a search
//! within it, the actions and roles of that category (those some cluster is too old for are disabled and
//! marked with the version that brings them), and the databases and collections the category needs.

use access_core::catalog::{self, Availability, Category};
use access_core::cluster::MongoVersion;
use access_core::custom_role::rules::custom_roles_for_picker;
use access_core::custom_role::{enabled_categories, RowItem};
use leptos::prelude::*;

use super::field_errors::{DialogContext, FieldErrors, DIALOG_FORM};
use super::role_dialog::{Keys, RowModel, TargetModel};
use crate::field_feedback::errors_id;

/// One entry of the picker.
struct Choice {
    item: RowItem,
    /// MongoDB's name of an action (`find`), or what a role is.
    detail: &'static str,
    /// The version that brings an action the project's oldest cluster lacks.
    since: Option<MongoVersion>,
    /// Why it cannot be chosen.
    blocked: Option<String>,
}

fn category_id(category: Category) -> &'static str {
    match category {
        Category::CollectionActions => "collection",
        Category::DatabaseActionsAndRoles => "database",
        Category::GlobalActionsAndRoles => "global",
        Category::CustomRoles => "custom",
    }
}

fn category_from_id(id: &str) -> Option<Category> {
    Category::ALL.into_iter().find(|c| category_id(*c) == id)
}

/// The actions and roles of `category` that match `search` (any case, API or MongoDB name).
fn choices(category: Category, search: &str, ctx: DialogContext) -> Vec<Choice> {
    let wanted = search.trim().to_ascii_lowercase();
    let matches = |names: &[&str]| {
        wanted.is_empty()
            || names
                .iter()
                .any(|n| n.to_ascii_lowercase().contains(&wanted))
    };
    let mut out = Vec::new();
    if category == Category::CustomRoles {
        let own = ctx.name.get();
        ctx.roles.with_value(|roles| {
            for choice in custom_roles_for_picker(&own, roles) {
                if !matches(&[choice.name]) {
                    continue;
                }
                out.push(Choice {
                    item: RowItem::role(choice.name),
                    detail: "custom role",
                    since: None,
                    blocked: choice.cycle.map(|cycle| {
                        format!("Inheriting it creates a cycle: {}", cycle.join(" → "))
                    }),
                });
            }
        });
        return out;
    }
    ctx.clusters.with_value(|clusters| {
        for entry in catalog::picker_actions(category, clusters) {
            let action = entry.action;
            if !matches(&[action.api_name, action.mongo_name]) {
                continue;
            }
            let (since, blocked) = match entry.availability {
                Availability::Available => (None, None),
                Availability::NeedsNewerClusters { since, clusters } => {
                    let names: Vec<String> = clusters
                        .iter()
                        .map(|c| format!("{} (MongoDB {})", c.name, c.version))
                        .collect();
                    (
                        Some(since),
                        Some(format!(
                            "Needs MongoDB {since} or later: {}",
                            names.join(", ")
                        )),
                    )
                }
            };
            out.push(Choice {
                item: RowItem::action(action.api_name),
                detail: action.mongo_name,
                since,
                blocked,
            });
        }
    });
    for role in catalog::picker_roles(category) {
        if matches(&[role.name]) {
            out.push(Choice {
                item: RowItem::role(role.name),
                detail: "built-in role",
                since: None,
                blocked: None,
            });
        }
    }
    out
}

#[component]
pub fn ActionRow(
    row: RowModel,
    index: Signal<usize>,
    removable: Signal<bool>,
    on_remove: Callback<u32>,
    keys: Keys,
    ctx: DialogContext,
) -> impl IntoView {
    let base = move || format!("rows[{}]", index.get());
    let enabled = Memo::new(move |_| {
        let own = ctx.name.get();
        row.items.with(|items| {
            ctx.roles
                .with_value(|roles| enabled_categories(items, &own, roles))
        })
    });
    let has_custom_roles = move || {
        let own = ctx.name.get();
        ctx.roles
            .with_value(|roles| roles.iter().any(|r| r.role_name != own))
    };
    let category = Memo::new(move |_| row.effective_category());
    let toggle = move |item: RowItem, on: bool| {
        row.touched.set(true);
        row.items.update(|items| {
            items.retain(|i| *i != item);
            if on {
                items.push(item);
            }
        });
    };
    let options = move || {
        let browsing = row.category.get();
        let list = choices(browsing, &row.search.get(), ctx);
        if list.is_empty() {
            return view! { <li class="picker-none">"Nothing in " {browsing.label()} " matches."</li> }.into_any();
        }
        list.into_iter()
            .map(|choice| {
                let item = choice.item.clone();
                let checked_item = item.clone();
                let checked = move || row.items.with(|items| items.contains(&checked_item));
                let blocked = choice.blocked.is_some();
                let disabled = {
                    let checked = checked.clone();
                    move || blocked && !checked()
                };
                let name = item.name().to_owned();
                view! {
                    <li>
                        <label class="picker-option" class:picker-option-blocked=blocked title=choice.blocked.clone()>
                            <input
                                type="checkbox"
                                data-testid="row-option"
                                data-item=name.clone()
                                prop:checked=checked
                                disabled=disabled
                                on:change=move |ev| toggle(item.clone(), event_target_checked(&ev))
                            />
                            <span class="picker-option-name">{name}</span>
                            <span class="muted picker-option-detail">{choice.detail}</span>
                            {choice.since.map(|since| view! {
                                <span class="badge badge-version" data-testid="row-option-since">{format!("MongoDB {since}+")}</span>
                            })}
                        </label>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };
    let chips = move || {
        row.items
            .get()
            .into_iter()
            .map(|item| {
                let name = item.name().to_owned();
                view! {
                    <li class="chip chip-removable" data-testid="row-item-chip" data-item=name.clone()>
                        {name.clone()}
                        <button type="button" class="chip-remove" data-testid="row-item-remove"
                            aria-label=format!("Remove {name}")
                            on:click=move |_| toggle(item.clone(), false)>
                            "×"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <div class="action-row" data-testid="action-row" data-category=move || category_id(category.get())>
            <div class="action-row-head">
                <span class="field-label">"Action or Role"</span>
                <span class="toolbar-spacer"></span>
                {move || removable.get().then(|| view! {
                    <button type="button" class="button button-quiet button-small" data-testid="remove-row"
                        on:click=move |_| on_remove.run(row.key)>
                        "Remove"
                    </button>
                })}
            </div>
            <div class="picker">
                <div class="picker-controls">
                    <select
                        class="select"
                        aria-label="Category"
                        data-testid="row-category"
                        prop:value=move || category_id(row.category.get())
                        on:change=move |ev| {
                            if let Some(c) = category_from_id(&event_target_value(&ev)) {
                                row.category.set(c);
                            }
                        }
                    >
                        {move || Category::ALL
                            .into_iter()
                            .filter(|c| *c != Category::CustomRoles || has_custom_roles())
                            .map(|c| view! {
                                <option
                                    value=category_id(c)
                                    selected=move || row.category.get() == c
                                    disabled=move || !enabled.with(|e| e.contains(&c))
                                >
                                    {c.label()}
                                </option>
                            })
                            .collect_view()}
                    </select>
                    <input
                        class="text-input picker-search"
                        type="search"
                        data-testid="row-search"
                        placeholder=move || format!("Search {}", row.category.get().label())
                        aria-label="Search actions and roles"
                        prop:value=move || row.search.get()
                        on:input=move |ev| row.search.set(event_target_value(&ev))
                    />
                </div>
                <ul class="chips picker-chosen">{chips}</ul>
                <ul class="picker-list" data-testid="row-options">{options}</ul>
            </div>
            <FieldErrors ctx field=Signal::derive(move || format!("{}.items", base())) shown=row.touched nested=true test_id="row-error" />
            {move || category.get().needs_database().then(|| view! {
                <Targets row base=Signal::derive(base) keys ctx with_collection=Signal::derive(move || category.get().needs_collection()) />
            })}
        </div>
    }
}

/// The databases (and collections) of a Collection or Database row, and "Add a database or collection".
#[component]
fn Targets(
    row: RowModel,
    base: Signal<String>,
    keys: Keys,
    ctx: DialogContext,
    with_collection: Signal<bool>,
) -> impl IntoView {
    let add = move |_| {
        let target = keys.target("", "");
        row.targets.update(|t| t.push(target));
    };
    view! {
        <div class="targets">
            <div class="target-head" aria-hidden="true">
                <span>"Database"</span>
                <span>{move || with_collection.get().then_some("Collection")}</span>
                <span></span>
            </div>
            <For each=move || row.targets.get() key=|t| t.key let:target>
                <TargetInputs
                    target
                    path=Signal::derive(move || {
                        let k = row.targets.with(|all| all.iter().position(|t| t.key == target.key).unwrap_or(0));
                        format!("{}.targets[{k}]", base.get())
                    })
                    removable=Signal::derive(move || row.targets.with(|all| all.len() > 1))
                    on_remove=Callback::new(move |key: u32| row.targets.update(|all| all.retain(|t| t.key != key)))
                    ctx
                    with_collection
                />
            </For>
            <FieldErrors ctx field=Signal::derive(move || format!("{}.targets", base.get())) shown=row.touched test_id="row-error" />
            <button type="button" class="button button-quiet button-small" data-testid="add-target" on:click=add>
                "+ Add a database or collection"
            </button>
        </div>
    }
}

#[component]
fn TargetInputs(
    target: TargetModel,
    path: Signal<String>,
    removable: Signal<bool>,
    on_remove: Callback<u32>,
    ctx: DialogContext,
    with_collection: Signal<bool>,
) -> impl IntoView {
    let db_path = Signal::derive(move || format!("{}.db", path.get()));
    let collection_path = Signal::derive(move || format!("{}.collection", path.get()));
    let shown = Signal::derive(move || target.touched.get());
    let invalid = move |field: Signal<String>| {
        move || (shown.get() || ctx.attempted.get()) && field.with(|f| ctx.has_error(f))
    };
    view! {
        <div class="target-row" data-testid="target-row">
            <div class="target-field">
                <input
                    class="text-input"
                    type="text"
                    placeholder="Database"
                    aria-label="Database"
                    spellcheck="false"
                    data-testid="target-db"
                    aria-invalid=move || invalid(db_path)().then_some("true")
                    aria-describedby=move || errors_id(DIALOG_FORM, &db_path.get())
                    prop:value=move || target.db.get()
                    on:input=move |ev| { target.touched.set(true); target.db.set(event_target_value(&ev)) }
                    on:blur=move |_| target.touched.set(true)
                />
                <FieldErrors ctx field=db_path shown test_id="target-error" />
            </div>
            {move || with_collection.get().then(|| view! {
                <div class="target-field">
                    <input
                        class="text-input"
                        type="text"
                        placeholder="Collection"
                        aria-label="Collection"
                        spellcheck="false"
                        data-testid="target-collection"
                        aria-invalid=move || invalid(collection_path)().then_some("true")
                        aria-describedby=move || errors_id(DIALOG_FORM, &collection_path.get())
                        prop:value=move || target.collection.get()
                        on:input=move |ev| { target.touched.set(true); target.collection.set(event_target_value(&ev)) }
                        on:blur=move |_| target.touched.set(true)
                    />
                    <FieldErrors ctx field=collection_path shown test_id="target-error" />
                </div>
            })}
            <div class="target-remove">
                {move || removable.get().then(|| view! {
                    <button type="button" class="button button-quiet button-small" data-testid="remove-target"
                        on:click=move |_| on_remove.run(target.key)>
                        "Remove"
                    </button>
                })}
            </div>
            <div class="target-errors">
                <FieldErrors ctx field=path shown test_id="target-error" />
            </div>
        </div>
    }
}
