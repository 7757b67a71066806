use crate::i18n::{Msg, Named, Text};
use serde::{Deserialize, Serialize};

/// Days an emailed link is valid.
pub const LINK_DAYS: i64 = 30;

/// The holder's request that waits for its attester.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRequest {
    pub email: String,
    pub sent_at: String,
    pub expires_at: String,
}

/// What the attester attests: the certificate and its holder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub technical_area: Named,
    pub scheme: Named,
    pub number: String,
    pub person: String,
    /// Why it cannot be attested now, if it cannot (then no signature is started).
    pub not_now: Option<Msg>,
}

/// Why a link cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Closed {
    Unknown,
    Expired,
    Used,
    Cancelled,
    Replaced,
}

impl Closed {
    pub fn text(self) -> Text {
        match self {
            Closed::Unknown => Text::AttestLinkUnknown,
            Closed::Expired => Text::AttestLinkExpired,
            Closed::Used => Text::AttestLinkUsed,
            Closed::Cancelled => Text::AttestLinkCancelled,
            Closed::Replaced => Text::AttestLinkReplaced,
        }
    }
}

/// The attester's link: open, with what it attests, or closed with the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Link {
    Open(Target),
    Closed(Closed),
}

/// Where the BankID signature stands, as the signing page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Signing {
    /// Nothing started (or the last order was cancelled): back to the form.
    None,
    Pending {
        /// BankID's recommended message for the hint code.
        message: String,
        /// This second's QR code, as SVG, and what it encodes.
        qr_svg: String,
        qr_content: String,
        /// Opens the BankID app on this device and comes back here.
        app_link: String,
    },
    Failed {
        message: String,
    },
    /// BankID completed the signature; what it really did.
    Done(SignOutcome),
}

/// What a completed BankID signature did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignOutcome {
    /// The certificate moved on ("Förläng senast" from, to).
    Attested {
        from: String,
        to: String,
        /// Signed in the BankID simulator: a test signature.
        test: bool,
    },
    /// Signed, but the certificate could no longer be attested (suspended, revoked, attested
    /// meanwhile, ...): nothing changed.
    NotAttested(crate::certificates::rules::Blocked),
    /// Signed after the holder cancelled or replaced the link, or after it expired.
    LinkClosed,
    /// Signed with someone else's BankID than the personnummer given.
    WrongSigner,
}

impl SignOutcome {
    /// The signing's status: complete when it attested, refused when it did nothing.
    pub fn status(&self) -> OrderStatus {
        match self {
            SignOutcome::Attested { .. } => OrderStatus::Complete,
            _ => OrderStatus::Refused,
        }
    }
}

crate::coded! {
    /// An attester's link: open, used by a signature, cancelled by the holder, or replaced by
    /// a newer link ("Skicka igen").
    pub enum LinkStatus {
        Pending = "pending",
        Used = "used",
        Cancelled = "cancelled",
        Replaced = "replaced",
    }
}

crate::coded! {
    /// A BankID signing order: waiting; done, having attested (complete) or not (refused);
    /// failed at BankID; or cancelled by the attester.
    pub enum OrderStatus {
        Pending = "pending",
        Complete = "complete",
        Refused = "refused",
        Failed = "failed",
        Cancelled = "cancelled",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignView {
    pub target: Target,
    pub signing: Signing,
}
