//! Certificates: schemes, the certificates people hold, and the yearly attestation of
//! professional activity that keeps them valid.

pub mod api;
#[cfg(feature = "ssr")]
pub mod badge;
pub mod linkedin;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod pdf;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod verification;
pub mod verify;
