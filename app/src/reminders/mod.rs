//! Reminders (issue 13, seed 001 "de automatiska påminnelserna"): each scheme's rules kept by
//! the body's administrators, the daily run that sends each reminder once (a message, an email
//! with a calendar file, or a letter staff post), and the letters' list.

pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
