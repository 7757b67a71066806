//! Companies: organisationsnummer, details and billing, and the tabs of the company page
//! (contact persons, administrators, employees, branches, certificates, event log, notes).

pub mod api;
#[cfg(feature = "ssr")]
mod employees;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
