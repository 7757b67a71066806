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
    /// Whether the reader is the body's staff (who may suspend and revoke it).
    pub staff: bool,
    /// Whether its holder may ask for the yearly extension now.
    pub can_extend: bool,
    /// Why no one may attest it now.
    pub not_now: Option<Msg>,
    /// Whether its holder may apply to renew it now ("Ansök om förnyelse").
    pub can_renew: bool,
    pub last_attested_on: Option<String>,
    /// The last attestation was signed in the BankID simulator: a test signature.
    pub test_signature: bool,
    /// "Publicerad": the holder agreed that the public pages name them.
    pub published: bool,
    /// Why staff suspended or revoked it.
    pub reason: Option<String>,
    /// "Lägg till på LinkedIn", for its holder.
    pub linkedin: Option<super::linkedin::LinkedIn>,
    pub events: crate::events::model::EventPage,
}

impl CertificateView {
    /// Whether the reader may take it elsewhere (an Open Badge, LinkedIn): its holder, while it
    /// is valid. No one adds a revoked certificate to their profile.
    pub fn shareable(&self) -> bool {
        self.own && self.certificate.status == Status::Active
    }
}

/// What anyone may know of a certificate: its verification page and the API. The holder's
/// name only where they agreed to publication; never their personnummer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCertificate {
    pub number: String,
    pub technical_area: Named,
    pub scheme: Named,
    pub status: Status,
    /// Why it is suspended or revoked.
    pub reason: Option<String>,
    pub issued_on: String,
    pub valid_until: String,
    pub extend_by: Option<String>,
    pub holder: Option<String>,
    /// What happened to it that matters to whoever relies on it, newest first.
    pub history: Vec<PublicEvent>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicEvent {
    /// The day it happened.
    pub on: String,
    pub change: PublicChange,
}

/// The changes a verification page tells of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PublicChange {
    Issued,
    /// The yearly extension, by an attestation, to the date.
    Extended {
        to: String,
    },
    /// The yearly extension, by an approved yearly report, to the date.
    Reported {
        to: String,
    },
    /// Renewed: the next period's certificate has the number.
    Renewed {
        number: String,
    },
    Inactive,
    Expired,
    Suspended {
        reason: String,
    },
    Reinstated,
    Revoked {
        reason: String,
    },
}

impl PublicChange {
    /// In words, in `locale`.
    pub fn words(&self, locale: crate::i18n::Locale) -> String {
        match self {
            PublicChange::Issued => locale.text(Text::VerifyIssued).to_owned(),
            PublicChange::Extended { to } => locale.format(Text::VerifyExtended, &[("to", to)]),
            PublicChange::Reported { to } => locale.format(Text::VerifyReported, &[("to", to)]),
            PublicChange::Renewed { number } => {
                locale.format(Text::VerifyRenewed, &[("number", number)])
            }
            PublicChange::Inactive => locale.text(Text::VerifyInactive).to_owned(),
            PublicChange::Expired => locale.text(Text::VerifyExpired).to_owned(),
            PublicChange::Suspended { reason } => {
                locale.format(Text::VerifySuspended, &[("reason", reason)])
            }
            PublicChange::Reinstated => locale.text(Text::VerifyReinstated).to_owned(),
            PublicChange::Revoked { reason } => {
                locale.format(Text::VerifyRevoked, &[("reason", reason)])
            }
        }
    }
}

/// What "Kontrollera en PDF" found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PdfVerdict {
    /// Our signature, intact, on a PDF we handed out: for which certificate, the status it
    /// showed then, and when it was made.
    Genuine {
        number: String,
        printed_status: Status,
        printed_on: String,
        /// The certificate's status now.
        status_now: Status,
    },
    /// Our signature, intact, on a statement of a training provider's course certificate we
    /// handed out: its code, when it was made, and whether the certificate is withdrawn now.
    CourseStatement {
        code: String,
        printed_on: String,
        withdrawn: bool,
    },
    /// Our signature, intact, but no PDF of ours is known by it.
    Unknown,
    /// Changed since it was signed.
    Altered,
    /// Something was added after the signature.
    Extended,
    /// Signed by someone else.
    NotOurs,
    /// No signature, or not a PDF.
    NotSigned,
    /// No file was sent.
    Missing,
    /// The file was larger than the check reads.
    TooLarge,
}

impl PdfVerdict {
    /// A short name, for tests and logs.
    pub fn code(&self) -> &'static str {
        match self {
            PdfVerdict::Genuine { .. } => "genuine",
            PdfVerdict::CourseStatement { .. } => "course_statement",
            PdfVerdict::Unknown => "unknown",
            PdfVerdict::Altered => "altered",
            PdfVerdict::Extended => "extended",
            PdfVerdict::NotOurs => "not_ours",
            PdfVerdict::NotSigned => "not_signed",
            PdfVerdict::Missing => "missing",
            PdfVerdict::TooLarge => "too_large",
        }
    }
}

crate::coded! {
    /// What staff do to a certificate's status, each with a reason.
    pub enum StatusChange {
        Suspend = "suspend",
        Reinstate = "reinstate",
        Revoke = "revoke",
    }
}

impl StatusChange {
    /// Whether it applies to a certificate in `status`.
    pub fn applies_to(self, status: Status) -> bool {
        match self {
            StatusChange::Suspend => matches!(status, Status::Active | Status::Inactive),
            StatusChange::Reinstate => status == Status::Suspended,
            StatusChange::Revoke => status != Status::Revoked,
        }
    }
}

/// What a status change really did: moved the certificate to `to`, or nothing, because its
/// status (`now`) no longer allowed it (another request came first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatusOutcome {
    Changed { to: Status },
    Unchanged { now: Status },
}

/// The public register's search, as its address carries it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterQuery {
    /// A name, or a certificate number.
    pub q: String,
    /// A scheme's code.
    pub scheme: String,
    pub town: String,
    pub page: u32,
}

/// A certified person in the register: what their certificate's verification page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterEntry {
    pub number: String,
    pub holder: String,
    pub technical_area: Named,
    pub scheme: Named,
    pub valid_until: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterPage {
    pub items: Vec<RegisterEntry>,
    pub page: u32,
    pub has_next: bool,
    /// The schemes someone in the register holds: code and name.
    pub schemes: Vec<(String, Named)>,
}
