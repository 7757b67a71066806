//! The design system's components: layout, forms, error pages.

pub mod errors;
pub mod form;
pub mod layout;
