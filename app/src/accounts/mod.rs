//! Sign-in accounts and their roles. This release has what `create-admin` and the demo data
//! need; sign-in itself comes with the accounts issue.

pub mod password;
pub mod service;
