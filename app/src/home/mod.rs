//! The start page and the shell around every page: header, navigation by role, language, footer.

pub mod layout;
pub mod pages;
