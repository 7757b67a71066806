//! certportal's isomorphic half: pages, components, server functions and domain types. What
//! only the server runs sits behind the `ssr` feature.

pub mod accounts;
pub mod attestations;
pub mod auth;
pub mod cases;
pub mod certificates;
#[cfg(feature = "ssr")]
pub mod chores;
pub mod companies;
pub mod cookie;
pub mod error;
pub mod events;
#[cfg(feature = "ssr")]
pub mod flash;
pub mod home;
pub mod i18n;
pub mod jobs;
pub mod mail;
pub mod messages;
pub mod outbox;
pub mod people;
pub mod reminders;
pub mod routes;
pub mod training;
pub mod types;
pub mod ui;
pub mod validate;

#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod keys;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod secret;
#[cfg(feature = "ssr")]
pub mod signing;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod storage;

pub use routes::App;

#[cfg(feature = "ssr")]
pub use routes::shell;
#[cfg(feature = "testing")]
pub mod testing;
