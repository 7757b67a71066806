use crate::i18n::Named;
use serde::{Deserialize, Serialize};

/// One page of an event log, newest first.
pub type EventPage = crate::types::Paged<EventView>;

/// One entry of an event log as a page shows it, in both languages: the page picks its reader's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventView {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: Named,
    /// What happened, as a sentence.
    pub details: Named,
    /// Where the request came from: staff only.
    pub ip: Option<String>,
}
