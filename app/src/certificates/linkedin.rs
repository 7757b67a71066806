//! "Lägg till på LinkedIn": LinkedIn's add-to-profile link for a certification, prefilled, and
//! the same fields for copying by hand (LinkedIn's prefill is unreliable).

use serde::{Deserialize, Serialize};

/// What LinkedIn's "Licenses & certifications" form asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedIn {
    /// The certification's name.
    pub name: String,
    /// The issuing organization: its LinkedIn organization id when configured, else its name.
    pub organization: String,
    pub organization_id: Option<String>,
    /// `(year, month)` of issue and of expiry (none for a course certificate that does not
    /// expire).
    pub issued: (i32, u32),
    pub expires: Option<(i32, u32)>,
    /// The credential's URL (its verification page) and id (its number).
    pub url: String,
    pub id: String,
    /// The certificate moved on since it was issued (an extension, a renewal): the holder is
    /// offered to update what LinkedIn shows.
    pub update: bool,
}

fn year_month(day: &str) -> (i32, u32) {
    let mut parts = day.split('-');
    let year = parts.next().and_then(|y| y.parse().ok()).unwrap_or(0);
    let month = parts.next().and_then(|m| m.parse().ok()).unwrap_or(1);
    (year, month)
}

impl LinkedIn {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        name: &str,
        organization: &str,
        organization_id: Option<&str>,
        issued_on: &str,
        valid_until: &str,
        url: &str,
        number: &str,
        update: bool,
    ) -> LinkedIn {
        LinkedIn {
            name: name.to_owned(),
            organization: organization.to_owned(),
            organization_id: organization_id
                .filter(|id| !id.is_empty())
                .map(str::to_owned),
            issued: year_month(issued_on),
            expires: (!valid_until.is_empty()).then(|| year_month(valid_until)),
            url: url.to_owned(),
            id: number.to_owned(),
            update,
        }
    }

    /// The add-to-profile link.
    pub fn link(&self) -> String {
        let enc = crate::ui::format::encode_component;
        let organization = match &self.organization_id {
            Some(id) => format!("organizationId={}", enc(id)),
            None => format!("organizationName={}", enc(&self.organization)),
        };
        let expires = self
            .expires
            .map(|(y, m)| format!("&expirationYear={y}&expirationMonth={m}"))
            .unwrap_or_default();
        format!(
            "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name={}&{organization}\
             &issueYear={}&issueMonth={}{expires}&certUrl={}&certId={}",
            enc(&self.name),
            self.issued.0,
            self.issued.1,
            enc(&self.url),
            enc(&self.id),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_carries_every_field_encoded() {
        let l = LinkedIn::new(
            "F-Gaser - Kategori I",
            "Certportal & Co",
            None,
            "2024-05-14",
            "2029-05-13",
            "https://portal.example/verify/FX-00001",
            "FX-00001",
            false,
        );
        let link = l.link();
        assert!(
            link.starts_with("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&")
        );
        for part in [
            "name=F-Gaser%20-%20Kategori%20I",
            "organizationName=Certportal%20%26%20Co",
            "issueYear=2024&issueMonth=5",
            "expirationYear=2029&expirationMonth=5",
            "certUrl=https%3A//portal.example/verify/FX-00001",
            "certId=FX-00001",
        ] {
            assert!(link.contains(part), "{part} in {link}");
        }
        let with_id = LinkedIn::new(
            "x",
            "Certportal",
            Some("12345"),
            "2024-05-14",
            "2029-05-13",
            "u",
            "1",
            false,
        );
        assert!(with_id.link().contains("organizationId=12345"));
        assert!(!with_id.link().contains("organizationName"));
        let lasting = LinkedIn::new("x", "K", None, "2026-11-27", "", "u", "K-1", false);
        assert_eq!(lasting.expires, None);
        assert!(!lasting.link().contains("expiration"));
    }
}
