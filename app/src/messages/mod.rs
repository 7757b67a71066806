//! What the portal tells a person ("Meddelanden"): each message is stored as a [`Notice`], a kind
//! with its facts, and put into words when it is read or emailed, in the reader's language.

pub mod model;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
