//! Email: an outbox written in the caller's transaction, a worker that delivers it over SMTP (or
//! to the built-in mailbox), and the outbox page where staff read what was sent.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod templates;
#[cfg(feature = "ssr")]
pub mod transport;
