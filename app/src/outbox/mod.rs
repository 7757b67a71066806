//! The outbox pages, where staff see what was sent (and, in development, read it): the staff's
//! view of `mail`, which knows nothing of who may read it.

pub mod api;
pub mod pages;
