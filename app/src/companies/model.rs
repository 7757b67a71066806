use crate::events::model::EventPage;
use crate::i18n::Text;
use crate::people::model::Employment;
use crate::types::Paged;
use crate::validate::{Kind, Spec};
use serde::{Deserialize, Serialize};

/// "Företagsuppgifter" and "Faktureringsadress": what staff and the company's admins edit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyDetails {
    pub name: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub website: String,
    pub phone: String,
    pub email: String,
    pub invoice_reference: String,
    /// `post` or `email`.
    pub billing_method: String,
    pub billing_name: String,
    pub billing_address: String,
    pub billing_postal_code: String,
    pub billing_city: String,
    pub billing_email: String,
}

pub const COMPANY: [Spec; 8] = [
    Spec::text("name", Text::CompanyName, 200).required(),
    Spec::text("address", Text::PersonAddress, 200),
    Spec::text("postal_code", Text::PersonPostalCode, 6).of(Kind::PostalCode),
    Spec::text("city", Text::PersonCity, 100),
    Spec::text("website", Text::CompanyWebsite, 200),
    Spec::text("phone", Text::PersonPhone, 30).of(Kind::Phone),
    Spec::text("email", Text::CompanyEmail, 254).of(Kind::Email),
    Spec::text("invoice_reference", Text::CompanyInvoiceReference, 100),
];

pub const BILLING: [Spec; 5] = [
    Spec::text("billing_name", Text::CompanyBillingName, 200),
    Spec::text("billing_address", Text::CompanyBillingAddress, 200),
    Spec::text("billing_postal_code", Text::PersonPostalCode, 6).of(Kind::PostalCode),
    Spec::text("billing_city", Text::PersonCity, 100),
    Spec::text("billing_email", Text::CompanyBillingEmail, 254).of(Kind::Email),
];

pub const BILLING_METHODS: [(&str, Text); 2] = [
    ("post", Text::CompanyBillingPost),
    ("email", Text::CompanyBillingByEmail),
];

impl CompanyDetails {
    pub fn get(&self, name: &str) -> &str {
        match name {
            "name" => &self.name,
            "address" => &self.address,
            "postal_code" => &self.postal_code,
            "city" => &self.city,
            "website" => &self.website,
            "phone" => &self.phone,
            "email" => &self.email,
            "invoice_reference" => &self.invoice_reference,
            "billing_method" => &self.billing_method,
            "billing_name" => &self.billing_name,
            "billing_address" => &self.billing_address,
            "billing_postal_code" => &self.billing_postal_code,
            "billing_city" => &self.billing_city,
            "billing_email" => &self.billing_email,
            _ => "",
        }
    }

    /// Every field's name: [`COMPANY`], [`BILLING`] and the billing method.
    pub fn names() -> impl Iterator<Item = &'static str> {
        COMPANY
            .iter()
            .chain(BILLING.iter())
            .map(|s| s.name)
            .chain(["billing_method"])
    }
}

/// A contact person ("Kontaktpersoner") or a branch ("Filial"): its id and the four values of
/// [`CONTACT`] or [`BRANCH`], in their order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartRow {
    pub id: String,
    pub values: [String; 4],
}

pub const CONTACT: [Spec; 4] = [
    Spec::text("name", Text::ContactName, 200).required(),
    Spec::text("title", Text::ContactTitle, 100),
    Spec::text("phone", Text::PersonPhone, 30).of(Kind::Phone),
    Spec::text("email", Text::PersonEmail, 254).of(Kind::Email),
];

pub const BRANCH: [Spec; 4] = [
    Spec::text("name", Text::BranchName, 200).required(),
    Spec::text("address", Text::PersonAddress, 200),
    Spec::text("postal_code", Text::PersonPostalCode, 6).of(Kind::PostalCode),
    Spec::text("city", Text::PersonCity, 100),
];

/// A new employee: who (found by personnummer; the names register someone not yet known), in
/// which position, from when.
pub const EMPLOYEE: [Spec; 4] = [
    // Always asked for, so the answer is the same whether the register knows the person.
    Spec::text("first_name", Text::PersonFirstName, 100).required(),
    Spec::text("last_name", Text::PersonLastName, 100).required(),
    Spec::text("position", Text::EmploymentPosition, 100).required(),
    Spec::text("start_date", Text::EmploymentStart, 10)
        .of(Kind::Date)
        .required(),
];

/// "Administratörer": accounts that administer the company.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Admin {
    pub account_id: String,
    pub username: String,
    pub display_name: String,
    pub email: String,
}

/// "Anteckningar": staff only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Note {
    pub id: String,
    pub author: String,
    pub body: String,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CompanyRow {
    pub id: String,
    pub orgnr: String,
    pub name: String,
    pub city: String,
}

pub type CompaniesPage = crate::types::Paged<CompanyRow>;

/// The company page with every tab's content. `notes` is `None` for anyone but staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyView {
    pub id: String,
    pub orgnr: String,
    pub details: CompanyDetails,
    pub contacts: Vec<PartRow>,
    pub admins: Vec<Admin>,
    pub employees: Paged<Employment>,
    pub branches: Vec<PartRow>,
    pub events: EventPage,
    pub notes: Option<Paged<Note>>,
    pub today: String,
    /// Whether the caller administers this company, and so attests its employees' activity.
    pub attester: bool,
}
