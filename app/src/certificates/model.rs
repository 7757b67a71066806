use crate::i18n::{Msg, Named, Text};
use serde::{Deserialize, Serialize};

crate::coded! {
    /// A certificate's status, as the manual names them: "Aktivt", "Inaktivt", ...
    pub enum Status {
        Active = "active",
        Inactive = "inactive",
        Suspended = "suspended",
        Revoked = "revoked",
        Expired = "expired",
    }
}

impl Status {
    pub fn text(self) -> Text {
        match self {
            Status::Active => Text::CertStatusActive,
            Status::Inactive => Text::CertStatusInactive,
            Status::Suspended => Text::CertStatusSuspended,
            Status::Revoked => Text::CertStatusRevoked,
            Status::Expired => Text::CertStatusExpired,
        }
    }

    /// The class of its tag: green for active, red for what no longer holds.
    pub fn tag(self) -> &'static str {
        match self {
            Status::Active => "tag tag--green",
            Status::Inactive => "tag tag--grey",
            _ => "tag tag--red",
        }
    }
}

pub use super::rules::{Blocked, Extension};

/// A row of "Anställdas certifikat": the manual's columns, and whether the signed-in admin may
/// attest it (to which date, or why not).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployeeCertificate {
    pub id: String,
    pub number: String,
    pub technical_area: Named,
    pub scheme: Named,
    pub employee: String,
    pub status: Status,
    pub extend_by: Option<String>,
    pub valid_until: String,
    /// What attesting it now would do, or why it may not be attested.
    pub attest: Result<Extension, Blocked>,
}

impl EmployeeCertificate {
    pub fn blocked(&self) -> Option<Blocked> {
        self.attest.err()
    }
}

/// What "Intyga yrkesaktivitet" really did: the certificates it moved on (number, employee,
/// from, to), and those another request attested in the same moment, left as they were.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttestOutcome {
    pub attested: Vec<Attested>,
    pub unchanged: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attested {
    pub number: String,
    pub employee: String,
    pub from: String,
    pub to: String,
}

/// What the employees' certificates tab is sorted by.
pub const SORTS: [(&str, Text); 7] = [
    ("number", Text::CertColNumber),
    ("area", Text::CertColArea),
    ("scheme", Text::CertColScheme),
    ("employee", Text::CertColEmployee),
    ("status", Text::CertColStatus),
    ("extend_by", Text::CertColExtendBy),
    ("valid_until", Text::CertColValidUntil),
];

/// The tab's filter, sort and page, as its address carries them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub status: String,
    pub area: String,
    pub sort: String,
    pub desc: bool,
    pub page: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployeeCertificatesPage {
    pub items: Vec<EmployeeCertificate>,
    pub page: u32,
    pub has_next: bool,
    pub total: i64,
    /// The technical areas there are, for the filter.
    pub areas: Vec<String>,
}

/// Rows per page of the employees' certificates.
pub const PAGE_SIZE: u32 = crate::types::LIST_PAGE;

/// A row of the holder's "Certifikat" tab: Nr, Certifikat, Status, Årlig förlängning,
/// Omcertifiering.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderCertificate {
    pub id: String,
    pub number: String,
    pub technical_area: Named,
    pub scheme: Named,
    pub status: Status,
    pub extend_by: Option<String>,
    pub valid_until: String,
}

impl HolderCertificate {
    /// "F-Gaser - Personcertifikat f-gas kat I", in `locale`.
    pub fn title(&self, locale: crate::i18n::Locale) -> String {
        format!(
            "{} - {}",
            self.technical_area.get(locale),
            self.scheme.get(locale)
        )
    }
}

/// A certificate's page: its facts ("Information") and its event log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateView {
    pub certificate: HolderCertificate,
    pub holder: String,
    pub person_id: String,
    pub issued_on: String,
    pub latest_decision: String,
    /// Whether the signed-in account holds it.
    pub own: bool,
    /// Whether its holder may ask for the yearly extension now.
    pub can_extend: bool,
    /// Why no one may attest it now.
    pub not_now: Option<Msg>,
    pub last_attested_on: Option<String>,
    /// The last attestation was signed in the BankID simulator: a test signature.
    pub test_signature: bool,
    pub events: crate::events::model::EventPage,
}
