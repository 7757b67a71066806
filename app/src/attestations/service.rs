//! The yearly extension by invitation, in two halves: the holder's invitation ([`super::invite`]:
//! an emailed link, a random 256-bit token of which only the SHA-256 is stored, valid 30 days,
//! used once) and the attester's BankID signature that extends the certificate
//! ([`super::signing`]). Both read a certificate with its holder the same way, here; the
//! functions other parts of the portal call are named here too.

pub use super::invite::{cancel, invite, link, pending, pending_of_own, resend};
pub use super::signing::{cancel_signing, start, status};

use super::model::Target;
use crate::certificates::model::HolderCertificate;
use crate::certificates::rules::Yearly;
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::messages::service::Recipient;

/// A certificate with its holder, as invitations and signatures need it.
pub(super) struct Cert {
    pub(super) cert: HolderCertificate,
    pub(super) yearly: Yearly,
    pub(super) person: String,
    pub(super) pnr: String,
    pub(super) account_id: Option<String>,
    /// The holder's own addresses (their contact's and their account's).
    pub(super) emails: Vec<String>,
    pub(super) holder: Recipient,
}

pub(super) async fn cert(conn: &mut sqlx::AnyConnection, id: &str) -> AppResult<Cert> {
    let r = super::store::certificate(conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let emails = [r.account_email, r.person_email]
        .into_iter()
        .flatten()
        .filter(|e| !e.is_empty())
        .collect();
    Ok(Cert {
        cert: r.cert.holder_view(),
        yearly: r.cert.facts.yearly(),
        person: r.cert.holder_name.full(),
        pnr: r.pnr,
        account_id: r.account_id,
        emails,
        holder: r.holder.into(),
    })
}

impl Cert {
    pub(super) fn target(&self, today: chrono::NaiveDate) -> Target {
        Target {
            technical_area: self.cert.technical_area.clone(),
            scheme: self.cert.scheme.clone(),
            number: self.cert.number.clone(),
            person: self.person.clone(),
            not_now: self.yearly.extension(today, false).err().map(|b| b.msg()),
        }
    }

    /// "F-Gaser - Personcertifikat f-gas kat I", in `locale`.
    pub(super) fn title(&self, locale: Locale) -> String {
        self.cert.title(locale)
    }
}
