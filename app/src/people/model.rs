use crate::i18n::Text;
use crate::validate::{Kind, Spec};
use serde::{Deserialize, Serialize};

/// What a person may change on "Din adress", and staff fill in for a new person.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PersonDetails {
    pub first_name: String,
    pub middle_name: String,
    pub last_name: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub phone: String,
    pub mobile: String,
    pub email: String,
    /// `digital` (email and the portal) or `analog` (letters).
    pub communication: String,
}

pub const DETAILS: [Spec; 9] = [
    Spec::text("first_name", Text::PersonFirstName, 100).required(),
    Spec::text("middle_name", Text::PersonMiddleName, 100),
    Spec::text("last_name", Text::PersonLastName, 100).required(),
    Spec::text("address", Text::PersonAddress, 200),
    Spec::text("postal_code", Text::PersonPostalCode, 6).of(Kind::PostalCode),
    Spec::text("city", Text::PersonCity, 100),
    Spec::text("phone", Text::PersonPhone, 30).of(Kind::Phone),
    Spec::text("mobile", Text::PersonMobile, 30).of(Kind::Phone),
    Spec::text("email", Text::PersonEmail, 254).of(Kind::Email),
];

pub const COMMUNICATION: [(&str, Text); 2] = [
    ("digital", Text::PersonCommunicationDigital),
    ("analog", Text::PersonCommunicationAnalog),
];

impl PersonDetails {
    pub fn get(&self, name: &str) -> &str {
        match name {
            "first_name" => &self.first_name,
            "middle_name" => &self.middle_name,
            "last_name" => &self.last_name,
            "address" => &self.address,
            "postal_code" => &self.postal_code,
            "city" => &self.city,
            "phone" => &self.phone,
            "mobile" => &self.mobile,
            "email" => &self.email,
            "communication" => &self.communication,
            _ => "",
        }
    }

    /// Built from the values of [`DETAILS`], in its order.
    pub fn from_values(v: &[String], communication: &str) -> PersonDetails {
        let at = |i: usize| v.get(i).cloned().unwrap_or_default();
        PersonDetails {
            first_name: at(0),
            middle_name: at(1),
            last_name: at(2),
            address: at(3),
            postal_code: at(4),
            city: at(5),
            phone: at(6),
            mobile: at(7),
            email: at(8),
            communication: communication.to_owned(),
        }
    }

    pub fn full_name(&self) -> String {
        [&self.first_name, &self.middle_name, &self.last_name]
            .into_iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The fields whose values differ from `other`'s.
    pub fn changed_from(&self, other: &PersonDetails) -> Vec<&'static str> {
        DETAILS
            .iter()
            .map(|s| s.name)
            .chain(["communication"])
            .filter(|n| self.get(n) != other.get(n))
            .collect()
    }
}

pub fn communication_text(code: &str) -> Text {
    COMMUNICATION
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(Text::PersonCommunicationDigital, |(_, t)| *t)
}

/// A row of the people search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    pub id: String,
    pub pnr: String,
    pub name: String,
    pub email: String,
    pub city: String,
}

pub type PeoplePage = crate::types::Paged<PersonRow>;

/// People on one page of the staff's search.
pub const PAGE_SIZE: u32 = crate::types::SEARCH_PAGE;

/// A person's employment, as the person's and the company's pages list it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employment {
    pub id: String,
    pub company_id: String,
    pub company_name: String,
    pub person_id: String,
    /// The register's name once the person confirmed; until then the name the company typed.
    pub person_name: String,
    pub pnr: String,
    pub position: String,
    pub start_date: String,
    pub end_date: Option<String>,
    pub status: EmploymentStatus,
}

impl Employment {
    /// The company ended it before anyone confirmed it.
    pub fn withdrawn(&self) -> bool {
        self.status == EmploymentStatus::Pending && self.end_date.is_some()
    }

    /// Its state in words, where it is not simply confirmed.
    pub fn status_text(&self) -> Text {
        if self.withdrawn() {
            Text::EmploymentWithdrawnTag
        } else {
            self.status.text()
        }
    }
}

crate::coded! {
    /// An employment a company admin added waits for the person (or a handler) to confirm it;
    /// until then the company sees nothing of theirs.
    pub enum EmploymentStatus {
        Pending = "pending",
        Confirmed = "confirmed",
        Declined = "declined",
    }
}

impl EmploymentStatus {
    pub fn text(self) -> Text {
        match self {
            EmploymentStatus::Pending => Text::EmploymentPending,
            EmploymentStatus::Confirmed => Text::EmploymentConfirmed,
            EmploymentStatus::Declined => Text::EmploymentDeclined,
        }
    }
}

/// What a decision on an employment really did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmploymentDecision {
    Confirmed,
    Declined,
    /// It was decided already (by the person, a handler, or an earlier click): nothing changed.
    AlreadyDecided(EmploymentStatus),
    /// The company ended it before anyone confirmed it: there is nothing to decide.
    Withdrawn,
}

/// An employment to confirm, as the emailed link shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmploymentInvite {
    Open {
        company: String,
        position: String,
        start_date: String,
    },
    /// Used, expired or unknown.
    Closed,
}

crate::coded! {
    /// Where a change request stands: being written, waiting for a handler, decided, or
    /// withdrawn by a newer one.
    pub enum ChangeStatus {
        Draft = "draft",
        Pending = "pending",
        Approved = "approved",
        Rejected = "rejected",
        Withdrawn = "withdrawn",
    }
}

/// A change a person asked for, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRequest {
    pub id: String,
    pub person_id: String,
    pub person_name: String,
    pub pnr: String,
    pub status: ChangeStatus,
    pub previous: PersonDetails,
    pub proposed: PersonDetails,
    pub submitted_at: Option<String>,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
}

/// The person's page, for staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonView {
    pub id: String,
    pub pnr: String,
    pub details: PersonDetails,
    pub account: Option<(String, String)>,
    pub employments: Vec<Employment>,
    pub changes: Vec<ChangeRequest>,
    pub events: crate::events::model::EventPage,
}

/// A company as "Din adress" shows it under "Företagsuppgifter" and "Faktureringsuppgifter".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Employer {
    pub name: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub website: String,
    pub phone: String,
    pub email: String,
    pub billing_name: String,
    pub billing_address: String,
    pub billing_postal_code: String,
    pub billing_city: String,
    pub invoice_reference: String,
}

/// "Din adress": the signed-in person's details, employer, and their change in progress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressView {
    pub pnr: String,
    pub details: PersonDetails,
    pub employer: Option<Employer>,
    /// The change being previewed, when the page was asked for one.
    pub draft: Option<ChangeRequest>,
    pub pending: Option<ChangeRequest>,
    /// The latest decided change, so the person sees a rejection's reason.
    pub decided: Option<ChangeRequest>,
    pub events: crate::events::model::EventPage,
}
