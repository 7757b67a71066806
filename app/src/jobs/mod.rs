//! Jobs: work written in the transaction of the request that asked for it and done afterwards
//! by the background worker, once, on whichever server claims it first. The kinds and what each
//! does are the worker's (`server/src/worker.rs`); this folder only keeps the queue.

#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
