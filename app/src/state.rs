//! What every server function and worker shares.

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::error::AppError;
use crate::events::words::Vocabulary;
use crate::i18n::{Locale, Text};

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub clock: Clock,
    /// Shared, not copied: every server function call takes a clone of the state.
    pub config: std::sync::Arc<Config>,
    /// BankID, when configured (the attester's signature needs it).
    pub bankid: Option<std::sync::Arc<crate::attestations::BankId>>,
    /// How event logs put the domains' facts into words: [`WORDS`].
    pub words: &'static Vocabulary,
    /// Where documents' files are kept.
    pub storage: crate::storage::Storage,
}

/// The portal's vocabulary for event logs: the domains' field labels, role names and signing
/// outcomes. It lives here, where the state is put together, so the event log below them
/// names none of the domains above it.
pub const WORDS: Vocabulary = Vocabulary {
    field: field_label,
    role: |code| crate::auth::model::Role::parse(code).map(|r| r.text()),
    outcome: outcome_words,
};

fn field_label(name: &str) -> Option<Text> {
    crate::people::model::DETAILS
        .iter()
        .chain(crate::companies::model::COMPANY.iter())
        .chain(crate::companies::model::BILLING.iter())
        .find(|s| s.name == name)
        .map(|s| s.label)
        .or(match name {
            "communication" => Some(Text::PersonCommunication),
            "billing_method" => Some(Text::CompanyBillingMethod),
            _ => None,
        })
}

fn outcome_words(v: &serde_json::Value, locale: Locale) -> Option<String> {
    use crate::attestations::model::SignOutcome;
    let outcome = serde_json::from_value::<SignOutcome>(v.clone()).ok()?;
    Some(match outcome {
        SignOutcome::NotAttested(b) => b.message(locale),
        SignOutcome::LinkClosed => locale.text(Text::SignOutcomeLinkClosed).to_owned(),
        SignOutcome::WrongSigner => locale.text(Text::SignOutcomeWrongSigner).to_owned(),
        SignOutcome::Attested { to, .. } => to,
    })
}

impl AppState {
    /// The state inside a server function.
    pub fn get() -> Result<AppState, AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            AppError::internal("AppState missing from the server function's context")
        })
    }
}
