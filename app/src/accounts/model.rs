use crate::auth::model::Role;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub roles: Vec<Role>,
}

pub type AccountsPage = crate::types::Paged<AccountRow>;

/// A role held, with what it is for: a company's name for a company admin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantView {
    pub role: Role,
    pub scope: String,
    pub scope_label: String,
    pub granted_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub grants: Vec<GrantView>,
    /// The person this account signs in as: id and name.
    pub person: Option<(String, String)>,
}

/// Accounts on one page of the staff's list.
pub const PAGE_SIZE: u32 = crate::types::SEARCH_PAGE;
