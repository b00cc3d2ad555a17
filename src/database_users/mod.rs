//! Database Access → Database Users: the project's certificate users and what each may do.

mod client_certificate_drop;
mod common_name_field;
mod lazy_user_dialog;
mod privileges_field;
mod user_dialog;
mod user_table;
mod users_tab;

pub use user_dialog::UserDialogLoader;
pub use users_tab::DatabaseUsersTab;
