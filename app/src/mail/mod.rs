//! Email: an outbox written in the caller's transaction, and a worker that delivers it over SMTP
//! (or to the built-in mailbox). The pages where staff read it are in `outbox`.

pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod templates;
#[cfg(feature = "ssr")]
pub mod transport;
