//! Cases ("ärenden", seed 001): applying for a certificate, the case's information panel and
//! work area, the documents a scheme requires, and "MEDDELA OSS"; and the handler's side: the
//! queue, taking a case, the verdict on each document, supplement requests, exams and the
//! decision.

pub mod admin_pages;
pub mod api;
#[cfg(feature = "ssr")]
pub mod deciding;
#[cfg(feature = "ssr")]
pub mod files;
pub mod handler_api;
pub mod handler_pages;
#[cfg(feature = "ssr")]
pub mod handling;
pub mod message_api;
pub mod message_pages;
#[cfg(feature = "ssr")]
pub mod messaging;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod renewal;
#[cfg(feature = "ssr")]
pub mod retention;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod yearly;
