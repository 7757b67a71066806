//! The design system: forms, tabs, error pages, how values are written. Nothing here knows a
//! domain; the shell around the pages (navigation by role) is `home::layout`.

pub mod errors;
pub mod form;
pub mod format;
pub mod islands;
pub mod search;
pub mod summary;
pub mod tabs;
