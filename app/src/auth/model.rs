use serde::{Deserialize, Serialize};

/// What a role lets an account do. `scope` names the company or provider a role is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Holder,
    CompanyAdmin,
    Handler,
    BodyAdmin,
    ProviderStaff,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Holder,
        Role::CompanyAdmin,
        Role::Handler,
        Role::BodyAdmin,
        Role::ProviderStaff,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Holder => "holder",
            Role::CompanyAdmin => "company_admin",
            Role::Handler => "handler",
            Role::BodyAdmin => "body_admin",
            Role::ProviderStaff => "provider_staff",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn text(self) -> crate::i18n::Text {
        use crate::i18n::Text;
        match self {
            Role::Holder => Text::RoleHolder,
            Role::CompanyAdmin => Text::RoleCompanyAdmin,
            Role::Handler => Text::RoleHandler,
            Role::BodyAdmin => Text::RoleBodyAdmin,
            Role::ProviderStaff => Text::RoleProviderStaff,
        }
    }

    /// The certification body's own staff.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Handler | Role::BodyAdmin)
    }
}

/// A role as the database stores it (`#[sqlx(try_from = "String")]`): a code no role has is
/// an error where the row is read.
impl TryFrom<String> for Role {
    type Error = String;

    fn try_from(code: String) -> Result<Role, String> {
        Role::parse(&code).ok_or_else(|| format!("unknown Role {code:?}"))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub scope: String,
}

/// The signed-in account, as every page and server function sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub account_id: String,
    pub username: String,
    pub display_name: String,
    pub grants: Vec<Grant>,
    /// The person the account belongs to, looked up with the session: their own certificates,
    /// cases and bookings. Staff and provider accounts may have none.
    #[serde(default)]
    pub person_id: Option<String>,
}

impl CurrentUser {
    pub fn has(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    pub fn is_staff(&self) -> bool {
        self.grants.iter().any(|g| g.role.is_staff())
    }

    /// The companies this account administers.
    pub fn admin_companies(&self) -> Vec<&str> {
        self.grants
            .iter()
            .filter(|g| g.role == Role::CompanyAdmin && !g.scope.is_empty())
            .map(|g| g.scope.as_str())
            .collect()
    }

    /// Where the account starts after signing in: a holder on "Mina sidor", a company admin at
    /// their companies, staff on the start page.
    pub fn home(&self) -> &'static str {
        if self.is_staff() {
            "/"
        } else if self.has(Role::Holder) {
            "/my/certificates"
        } else if self.has(Role::CompanyAdmin) {
            "/companies"
        } else if self.has(Role::ProviderStaff) {
            "/provider"
        } else {
            "/"
        }
    }

    /// Staff manage every company; a company admin only their own.
    pub fn manages_company(&self, company_id: &str) -> bool {
        self.is_staff() || self.admin_companies().contains(&company_id)
    }
}

/// One row of the security log (`/staff/security`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityEvent {
    pub at: String,
    pub kind: String,
    pub account_id: Option<String>,
    pub label: String,
    pub ip: Option<String>,
    pub detail: String,
}
