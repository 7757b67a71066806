//! Sign-in: sessions in the database, password rules, throttled logins, roles, and the guards
//! every server function starts with.

pub mod api;
#[cfg(feature = "ssr")]
pub mod audit;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;
pub mod policy;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod throttle;
