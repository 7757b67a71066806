//! What every server function and worker shares.

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::error::AppError;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub clock: Clock,
    /// Shared, not copied: every server function call takes a clone of the state.
    pub config: std::sync::Arc<Config>,
    /// BankID, when configured (the attester's signature needs it).
    pub bankid: Option<crate::attestations::BankId>,
}

impl AppState {
    /// The state inside a server function.
    pub fn get() -> Result<AppState, AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            AppError::internal("AppState missing from the server function's context")
        })
    }
}
