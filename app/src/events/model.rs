use serde::{Deserialize, Serialize};

/// One page of an event log, newest first.
pub type EventPage = crate::types::Paged<EventView>;

/// One entry of an event log as a page shows it, already in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    /// What happened, as a sentence.
    pub details: String,
    /// Where the request came from: staff only.
    pub ip: Option<String>,
}
