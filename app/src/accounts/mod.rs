//! Accounts and their roles: creation by staff (with an activation email), granting and
//! revoking roles, and what `create-admin` and the demo data need.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod roles;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
