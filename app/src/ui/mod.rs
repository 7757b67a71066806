//! The design system's components: layout, forms, tabs, error pages.

pub mod errors;
pub mod form;
pub mod format;
pub mod layout;
pub mod search;
pub mod summary;
pub mod tabs;
