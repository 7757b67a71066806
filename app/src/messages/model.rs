use crate::i18n::{Locale, Text};
use serde::{Deserialize, Serialize};

pub use crate::i18n::Named;

/// One certificate a notice is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub number: String,
    pub scheme: Named,
    /// The new "Förläng senast", where it moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl Line {
    fn text(&self, locale: Locale) -> String {
        match &self.date {
            Some(date) => locale.format(
                Text::EmailAttestedLine,
                &[
                    ("scheme", self.scheme.get(locale)),
                    ("number", &self.number),
                    ("date", date),
                ],
            ),
            None => locale.format(
                Text::NoticeCertificateLine,
                &[
                    ("scheme", self.scheme.get(locale)),
                    ("number", &self.number),
                ],
            ),
        }
    }
}

/// A deadline a reminder is about: the certificate, the day, and the deadline's key (the same
/// for every reminder of it, so a calendar updates its event instead of adding one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub line: Line,
    pub date: String,
    pub occasion: String,
    /// For an attester's link: whom it was sent to.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub attester: String,
}

/// What the portal tells a person, with the facts it needs to be put into words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// A handler approved the person's change of details ("Uppgiftsändring").
    ChangeApproved,
    ChangeRejected {
        reason: String,
    },
    /// Their employer attested their professional activity.
    CertificatesAttested {
        company: String,
        lines: Vec<Line>,
    },
    /// An attester signed with BankID and the certificate moved on.
    AttestedWithBankid {
        line: Line,
        attester: String,
        position: String,
        /// Signed in the BankID simulator: a test signature.
        test: bool,
    },
    /// A company asks to register the person as its employee. What the company typed (a
    /// position) stays out of it: the person reads it on their page, not in an email.
    EmploymentRequested {
        company: String,
    },
    /// Their employer asks them to have their activity attested by someone else.
    AttestationAsked {
        company: String,
        lines: Vec<Line>,
    },
    /// The body suspended their certificate, for a reason.
    CertificateSuspended {
        line: Line,
        reason: String,
    },
    /// The suspension was lifted.
    CertificateReinstated {
        line: Line,
    },
    /// The body revoked their certificate, for a reason.
    CertificateRevoked {
        line: Line,
        reason: String,
    },
    /// Their certificates went inactive: the yearly extension did not come in time.
    CertificatesInactive {
        lines: Vec<Line>,
        date: String,
    },
    /// "Årsrapportpåminnelse": the yearly report is due.
    ReportDue(Due),
    /// The yearly attestation is due.
    AttestationDue(Due),
    /// The certificate goes inactive unless it is extended.
    InactiveSoon(Due),
    /// "Förnyelsepåminnelse": the validity ends; renewal is applied for, never automatic.
    RenewalDue(Due),
    /// The holder's link to an attester ends unused.
    LinkExpiring(Due),
    /// News of the person's booking on a course (`news` names the text, with `{course}` and
    /// `{provider}`).
    Training {
        news: Text,
        course: String,
        provider: String,
        /// The booking's new status, where the news is one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<Text>,
    },
    /// News of an employee's booking, for the employer's admins: its new status.
    EmployeeTraining {
        status: Text,
        participant: String,
        course: String,
    },
}

impl Notice {
    /// The kind, as the `messages.kind` column keeps it.
    pub fn kind(&self) -> &'static str {
        match self {
            Notice::ChangeApproved => "change_approved",
            Notice::ChangeRejected { .. } => "change_rejected",
            Notice::CertificatesAttested { .. } => "certificates_attested",
            Notice::AttestedWithBankid { .. } => "attested_with_bankid",
            Notice::EmploymentRequested { .. } => "employment_requested",
            Notice::AttestationAsked { .. } => "attestation_asked",
            Notice::CertificateSuspended { .. } => "certificate_suspended",
            Notice::CertificateReinstated { .. } => "certificate_reinstated",
            Notice::CertificateRevoked { .. } => "certificate_revoked",
            Notice::CertificatesInactive { .. } => "certificates_inactive",
            Notice::Training { .. } => "training",
            Notice::EmployeeTraining { .. } => "employee_training",
            Notice::ReportDue(_) => "report_reminder",
            Notice::AttestationDue(_) => "attestation_reminder",
            Notice::InactiveSoon(_) => "inactive_reminder",
            Notice::RenewalDue(_) => "renewal_reminder",
            Notice::LinkExpiring(_) => "link_reminder",
        }
    }

    /// A reminder's deadline, and its type ("Årsrapportpåminnelse", ...).
    pub fn due(&self) -> Option<(&Due, Text, Text)> {
        match self {
            Notice::ReportDue(d) => Some((d, Text::ReminderReportDue, Text::NoticeReportDueBody)),
            Notice::AttestationDue(d) => Some((
                d,
                Text::ReminderAttestationDue,
                Text::NoticeAttestationDueBody,
            )),
            Notice::InactiveSoon(d) => {
                Some((d, Text::ReminderInactiveSoon, Text::NoticeInactiveSoonBody))
            }
            Notice::RenewalDue(d) => Some((d, Text::ReminderRenewal, Text::NoticeRenewalDueBody)),
            Notice::LinkExpiring(d) => {
                Some((d, Text::ReminderLinkExpiring, Text::NoticeLinkExpiringBody))
            }
            _ => None,
        }
    }

    pub fn subject(&self, locale: Locale) -> String {
        if let Some((due, label, _)) = self.due() {
            return format!("{}: {}", locale.text(label), due.line.scheme.get(locale));
        }
        let text = match self {
            Notice::ChangeApproved => Text::ChangeApprovedSubject,
            Notice::ChangeRejected { .. } => Text::ChangeRejectedSubject,
            Notice::CertificatesAttested { .. } => Text::EmailAttestedSubject,
            Notice::AttestedWithBankid { .. } => Text::EmailAttestDoneSubject,
            Notice::EmploymentRequested { company, .. } => {
                return locale.format(Text::EmailEmploymentSubject, &[("company", company)]);
            }
            Notice::AttestationAsked { .. } => Text::NoticeAskedSubject,
            Notice::CertificateSuspended { .. } => Text::NoticeSuspendedSubject,
            Notice::CertificateReinstated { .. } => Text::NoticeReinstatedSubject,
            Notice::CertificateRevoked { .. } => Text::NoticeRevokedSubject,
            Notice::CertificatesInactive { .. } => Text::NoticeInactiveSubject,
            Notice::Training { course, .. } => {
                return locale.format(Text::NoticeTrainingSubject, &[("course", course)]);
            }
            Notice::EmployeeTraining { participant, .. } => {
                return locale.format(
                    Text::NoticeEmployeeTrainingSubject,
                    &[("participant", participant)],
                );
            }
            _ => Text::NoticeCertificateLine,
        };
        locale.text(text).to_owned()
    }

    pub fn body(&self, locale: Locale) -> String {
        let lines = |lines: &[Line]| {
            lines
                .iter()
                .map(|l| l.text(locale))
                .collect::<Vec<_>>()
                .join("\n")
        };
        if let Some((due, _, body)) = self.due() {
            return locale.format(
                body,
                &[
                    ("scheme", due.line.scheme.get(locale)),
                    ("number", &due.line.number),
                    ("date", &due.date),
                    ("attester", &due.attester),
                ],
            );
        }
        match self {
            Notice::ChangeApproved => locale.text(Text::ChangeApprovedBody).to_owned(),
            Notice::ChangeRejected { reason } => {
                locale.format(Text::ChangeRejectedBody, &[("reason", reason)])
            }
            Notice::CertificatesAttested { company, lines: l } => format!(
                "{}\n{}",
                locale.format(Text::EmailAttestedBody, &[("company", company)]),
                lines(l)
            ),
            Notice::AttestedWithBankid {
                line,
                attester,
                position,
                test,
            } => {
                let mut body = locale.format(
                    Text::EmailAttestDoneDetail,
                    &[
                        ("scheme", line.scheme.get(locale)),
                        ("number", &line.number),
                        ("attester", attester),
                        ("position", position),
                        ("date", line.date.as_deref().unwrap_or_default()),
                    ],
                );
                if *test {
                    body.push('\n');
                    body.push_str(locale.text(Text::TestSignatureNote));
                }
                body
            }
            Notice::EmploymentRequested { company } => {
                locale.format(Text::NoticeEmploymentBody, &[("company", company)])
            }
            Notice::AttestationAsked { company, lines: l } => format!(
                "{}\n{}",
                locale.format(Text::NoticeAskedBody, &[("company", company)]),
                lines(l)
            ),
            Notice::CertificateSuspended { line, reason } => format!(
                "{}\n{}",
                line.text(locale),
                locale.format(Text::NoticeSuspendedBody, &[("reason", reason)])
            ),
            Notice::CertificateReinstated { line } => format!(
                "{}\n{}",
                line.text(locale),
                locale.text(Text::NoticeReinstatedBody)
            ),
            Notice::CertificateRevoked { line, reason } => format!(
                "{}\n{}",
                line.text(locale),
                locale.format(Text::NoticeRevokedBody, &[("reason", reason)])
            ),
            Notice::CertificatesInactive { lines: l, date } => format!(
                "{}\n{}",
                locale.format(Text::NoticeInactiveBody, &[("date", date)]),
                lines(l)
            ),
            Notice::Training {
                news,
                course,
                provider,
                status,
            } => locale.format(
                *news,
                &[
                    ("course", course),
                    ("provider", provider),
                    ("status", status.map(|s| locale.text(s)).unwrap_or_default()),
                ],
            ),
            Notice::EmployeeTraining {
                status,
                participant,
                course,
            } => locale.format(
                Text::NoticeEmployeeTrainingBody,
                &[
                    ("participant", participant),
                    ("course", course),
                    ("status", locale.text(*status)),
                ],
            ),
            _ => String::new(),
        }
    }

    /// Where the portal shows what the notice is about.
    pub fn path(&self) -> &'static str {
        match self {
            Notice::ChangeApproved | Notice::ChangeRejected { .. } => "/my/address",
            Notice::EmploymentRequested { .. } => "/my/employments",
            // The report's case, the newest, is the one "Mina certifieringar" opens.
            Notice::ReportDue(_) => "/my/cases",
            Notice::Training { .. } => "/my/training",
            Notice::EmployeeTraining { .. } => "/companies",
            _ => "/my/certificates",
        }
    }
}

/// One message as "Meddelanden" lists it, in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: String,
    pub content: Content,
    pub created_at: String,
}

/// What a message says: a notice, put into words where it is read, or (stored before notices
/// were) its Swedish words as they were written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Content {
    Notice(Notice),
    Written { subject: String, body: String },
}

impl Message {
    /// The subject and the body in `locale`.
    pub fn words(&self, locale: Locale) -> (String, String) {
        match &self.content {
            Content::Notice(n) => (n.subject(locale), n.body(locale)),
            Content::Written { subject, body } => (subject.clone(), body.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_reads_in_either_language() {
        let n = Notice::CertificatesAttested {
            company: "Kyl AB".into(),
            lines: vec![Line {
                number: "90001".into(),
                scheme: Named::new(
                    "Personcertifikat f-gas kat I",
                    "Personnel certificate F-gas cat. I",
                ),
                date: Some("2027-12-15".into()),
            }],
        };
        assert!(n.body(Locale::Sv).contains("Personcertifikat f-gas kat I"));
        assert!(
            n.body(Locale::En)
                .contains("Personnel certificate F-gas cat. I")
        );
        assert!(n.body(Locale::En).contains("2027-12-15"));
        let json = serde_json::to_string(&n).expect("json");
        assert!(json.contains("\"kind\":\"certificates_attested\""));
        assert_eq!(serde_json::from_str::<Notice>(&json).expect("back"), n);
    }
}
