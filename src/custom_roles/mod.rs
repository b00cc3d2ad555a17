//! Database Access → Custom Roles (Atlas's MongoDB Roles tab): the project's custom roles, the Add/Edit
//! dialog with its "Action or Role" rows, the effective privileges of a role, and Delete with the
//! server's guard. Every rule is the core's (`access_core::custom_role`), the one the server applies.

mod action_row;
mod delete_consequences;
mod effective_privileges;
mod field_errors;
mod role_dialog;
mod role_table;
mod roles_tab;

pub use roles_tab::{done, CustomRolesTab};
