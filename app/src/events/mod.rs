//! The event log: append-only, written in the same transaction as the change it records, and
//! chained per subject by SHA-256 so tampering is detectable.

pub mod model;
pub mod parts;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod words;
