//! Training providers (seed 002, "Anpassa deltagandestatus och ladda upp certifikat för en
//! bokning"): providers and their courses, bookings with their participation status, the
//! course certificate, the participant's consent and review, participants invited by email.

pub mod api;
#[cfg(feature = "ssr")]
pub mod invites;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
