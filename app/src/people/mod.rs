//! People: personnummer, names, address, how they want to be reached; the changes they ask
//! for on "Din adress" and a handler decides; the messages they read in the portal.

pub mod api;
#[cfg(feature = "ssr")]
mod changes;
#[cfg(feature = "ssr")]
mod employments;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
