use serde::{Deserialize, Serialize};

/// One entry of an event log as a page shows it, already in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub details: String,
    pub ip: Option<String>,
}
