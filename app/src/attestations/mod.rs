//! The yearly extension by invitation: the holder emails a link to an attester, who signs the
//! attestation with BankID on a page made for a phone.

pub mod api;
#[cfg(feature = "ssr")]
pub mod invite;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod signing;
#[cfg(feature = "ssr")]
pub mod store;

/// BankID as the server reaches it: the client and where the app is started from.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct BankId {
    pub client: bankid::client::Client,
    /// `https://app.bankid.com/` in production; the simulator's app page in development.
    pub app_url: String,
    /// The built-in simulator, which signs for anyone: its signatures are test signatures.
    pub simulated: bool,
}
