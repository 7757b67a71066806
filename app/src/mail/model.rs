use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailStatus {
    Pending,
    Sent,
    Failed,
}

impl MailStatus {
    pub fn parse(s: &str) -> MailStatus {
        match s {
            "sent" => MailStatus::Sent,
            "failed" => MailStatus::Failed,
            _ => MailStatus::Pending,
        }
    }
}

/// One row of the outbox list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: String,
    pub created_at: String,
    pub to_address: String,
    pub subject: String,
    pub status: MailStatus,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxPage {
    pub list: crate::types::Paged<OutboxItem>,
    /// The built-in mailbox of development, where every email is readable (see
    /// `Config::dev_mailbox`); otherwise an email that carries a secret shows only who it went
    /// to and when.
    pub dev_mailbox: bool,
}

/// One email, whole.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub item: OutboxItem,
    pub body_text: String,
    pub body_html: String,
    pub attempts: i64,
    pub sent_at: Option<String>,
    pub delivered_via: Option<String>,
    pub last_error: Option<String>,
    /// It carries a link meant for its recipient alone.
    pub carries_secret: bool,
    /// The file it carries (a reminder's calendar file): its name and text.
    pub attachment: Option<(String, String)>,
    /// Its bodies are not shown: it carries a secret and this is a real deployment.
    pub withheld: bool,
    pub dev_mailbox: bool,
}

/// Emails on one page of the outbox.
pub const PAGE_SIZE: u32 = crate::types::SEARCH_PAGE;
