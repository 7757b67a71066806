//! Companies: organisationsnummer, details and billing, and the tabs of the company page
//! (contact persons, administrators, employees, branches, certificates, event log, notes).

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
