//! An event as its reader sees it: a title and a sentence in their language, made from the
//! action and its facts (never the raw keys).

use super::service::Reader;
use crate::i18n::{Locale, Text};
use serde_json::Value;

/// The title, and the sentence with the entry's facts, of each action.
fn texts(action: &str) -> Option<(Text, Option<Text>)> {
    use Text as T;
    Some(match action {
        "signed_in" => (T::EventSignedIn, None),
        "signed_out_everywhere" => (T::EventSignedOutEverywhere, None),
        "password.changed" => (T::EventPasswordChanged, None),
        "password.reset" => (T::EventPasswordReset, None),
        "account.created" => (T::EventAccountCreated, Some(T::EventAccountCreatedDetail)),
        "account.role_granted" => (T::EventRoleGranted, Some(T::EventRoleDetail)),
        "account.role_revoked" => (T::EventRoleRevoked, Some(T::EventRoleDetail)),
        "person.created" => (T::EventPersonCreated, Some(T::EventNameDetail)),
        "person.viewed" => (T::EventPersonViewed, None),
        "person.change_requested" => (T::EventPersonChangeRequested, Some(T::EventFieldsDetail)),
        "person.change_approved" => (T::EventPersonChangeApproved, Some(T::EventFieldsDetail)),
        "person.change_rejected" => (T::EventPersonChangeRejected, Some(T::EventRejectedDetail)),
        "person.employed" => (T::EventPersonEmployed, Some(T::EventEmployedDetail)),
        "person.employment_requested" => {
            (T::EventEmploymentRequested, Some(T::EventEmployedDetail))
        }
        "person.employment_confirmed" => (T::EventEmploymentConfirmed, Some(T::EventCompanyDetail)),
        "person.employment_declined" => (T::EventEmploymentDeclined, Some(T::EventCompanyDetail)),
        "person.employment_ended" => (T::EventPersonEmploymentEnded, Some(T::EventEndDetail)),
        "company.created" => (T::EventCompanyCreated, Some(T::EventNameDetail)),
        "company.updated" => (T::EventCompanyUpdated, Some(T::EventFieldsDetail)),
        "company.contact_added" => (T::EventCompanyContactAdded, Some(T::EventNameDetail)),
        "company.contact_removed" => (T::EventCompanyContactRemoved, Some(T::EventNameDetail)),
        "company.branch_added" => (T::EventCompanyBranchAdded, Some(T::EventNameDetail)),
        "company.branch_removed" => (T::EventCompanyBranchRemoved, Some(T::EventNameDetail)),
        "company.employee_added" => (T::EventCompanyEmployeeAdded, Some(T::EventEmployeeDetail)),
        "company.employment_confirmed" => (T::EventEmploymentConfirmed, Some(T::EventNameDetail)),
        "company.employment_declined" => (T::EventEmploymentDeclined, Some(T::EventNameDetail)),
        "company.employment_ended" => (
            T::EventCompanyEmploymentEnded,
            Some(T::EventCompanyEndDetail),
        ),
        "company.note_added" => (T::EventCompanyNoteAdded, None),
        "company.admin_added" => (T::EventCompanyAdminAdded, Some(T::EventUsernameDetail)),
        "company.admin_removed" => (T::EventCompanyAdminRemoved, Some(T::EventUsernameDetail)),
        "company.certificates_attested" => {
            (T::EventCompanyAttested, Some(T::EventCompanyCountDetail))
        }
        "company.attestation_asked" => (T::EventCompanyAsked, Some(T::EventCompanyCountDetail)),
        "certificate.issued" => (T::EventCertIssued, Some(T::EventCertIssuedDetail)),
        "certificate.attested" => (T::EventCertAttested, Some(T::EventCertAttestedDetail)),
        "certificate.report_approved" => (T::EventCertReported, Some(T::EventCertReportedDetail)),
        "certificate.renewed" => (T::EventCertRenewed, Some(T::EventCertRenewedDetail)),
        "certificate.attested_bankid" => {
            (T::EventCertAttestedBankid, Some(T::EventCertBankidDetail))
        }
        "certificate.attestation_not_applied" => {
            (T::EventCertNotApplied, Some(T::EventCertNotAppliedDetail))
        }
        "certificate.attestation_requested" => {
            (T::EventCertAttestationRequested, Some(T::EventEmailDetail))
        }
        "certificate.attestation_resent" => {
            (T::EventCertAttestationResent, Some(T::EventEmailDetail))
        }
        "certificate.attestation_cancelled" => {
            (T::EventCertAttestationCancelled, Some(T::EventEmailDetail))
        }
        "certificate.attestation_asked" => (T::EventCertAsked, Some(T::EventCompanyDetail)),
        "case.opened" => (T::EventCaseOpened, Some(T::EventCaseOpenedDetail)),
        "case.document_explained" => (T::EventCaseExplained, Some(T::EventCaseExplainedDetail)),
        "case.ready" => (T::EventCaseReady, Some(T::EventCaseReadyDetail)),
        "case.document_uploaded" => (T::EventCaseUploaded, Some(T::EventCaseUploadedDetail)),
        "case.document_downloaded" => (T::EventCaseDownloaded, Some(T::EventFileDetail)),
        "case.taken" => (T::EventCaseTaken, Some(T::EventOrderDetail)),
        "case.message_sent" => (T::EventCaseMessageSent, Some(T::EventOrderDetail)),
        "case.assigned" => (T::EventCaseAssigned, Some(T::EventCaseAssignedDetail)),
        "case.document_approved" => (T::EventCaseApproved, Some(T::EventCaseDocumentDetail)),
        "case.document_needs_supplement" => (
            T::EventCaseNeedsSupplement,
            Some(T::EventCaseDocumentDetail),
        ),
        "case.document_attached" => (T::EventCaseAttached, Some(T::EventCaseUploadedDetail)),
        "case.supplement_requested" => (
            T::EventCaseSupplementRequested,
            Some(T::EventCaseSupplementRequestedDetail),
        ),
        "case.supplement_answered" => (T::EventCaseSupplementAnswered, Some(T::EventOrderDetail)),
        "case.supplement_reminded" => (T::EventCaseSupplementReminded, Some(T::EventOrderDetail)),
        "case.exam_recorded" => (T::EventCaseExamRecorded, Some(T::EventCaseExamDetail)),
        "case.approved" => (T::EventCaseGranted, Some(T::EventCaseGrantedDetail)),
        "case.rejected" => (T::EventCaseRejected, Some(T::EventOrderDetail)),
        "scheme.requirement_added" => (T::EventRequirementAdded, Some(T::EventDocumentDetail)),
        "scheme.template_set" => (T::EventTemplateSet, Some(T::EventCaseDocumentFileDetail)),
        "scheme.template_removed" => (T::EventTemplateRemoved, Some(T::EventDocumentDetail)),
        "scheme.requirement_changed" => (T::EventRequirementChanged, Some(T::EventDocumentDetail)),
        "scheme.requirement_removed" => (T::EventRequirementRemoved, Some(T::EventDocumentDetail)),
        "certificate.inactive" => (T::EventCertInactive, Some(T::EventDateDetail)),
        "certificate.expired" => (T::EventCertExpired, Some(T::EventDateDetail)),
        "certificate.suspended" => (T::EventCertSuspended, Some(T::EventReasonDetail)),
        "certificate.reinstated" => (T::EventCertReinstated, Some(T::EventReasonDetail)),
        "certificate.revoked" => (T::EventCertRevoked, Some(T::EventReasonDetail)),
        "certificate.published" => (T::EventCertPublished, None),
        "certificate.unpublished" => (T::EventCertUnpublished, None),
        "scheme.reminders_changed" => (T::EventRemindersChanged, None),
        "scheme.extension_changed" => (T::EventExtensionChanged, None),
        "reminder.letter_posted" => (T::EventLetterPosted, None),
        "document.deleted" => (T::EventDocumentDeleted, Some(T::EventRetentionDetail)),
        "booking.created" => (T::EventBookingCreated, Some(T::EventNameDetail)),
        "booking.registered" => (T::BookingStatusRegistered, None),
        "booking.started" => (T::BookingStatusStarted, None),
        "booking.no_show" => (T::BookingStatusNoShow, None),
        "booking.failed" => (T::BookingStatusFailed, None),
        "booking.completed" => (T::BookingStatusCompleted, None),
        "booking.certificate_uploaded" => (T::EventBookingUploaded, Some(T::EventFileDetail)),
        "booking.certificate_withdrawn" => (T::EventBookingWithdrawn, Some(T::EventReasonDetail)),
        "booking.consent_given" => (T::EventBookingConsentGiven, None),
        "booking.consent_withdrawn" => (T::EventBookingConsentWithdrawn, None),
        "booking.reviewed" => (T::EventBookingReviewed, Some(T::EventRatingDetail)),
        "provider.created" => (T::EventProviderCreated, Some(T::EventNameDetail)),
        "provider.updated" => (T::EventProviderUpdated, Some(T::EventNameDetail)),
        "provider.course_added" => (T::EventCourseAdded, Some(T::EventNameDetail)),
        "provider.course_changed" => (T::EventCourseChanged, Some(T::EventNameDetail)),
        "provider.certification_set" => (T::EventCertificationSet, Some(T::EventNameDetail)),
        "provider.invited" => (T::EventProviderInvited, Some(T::EventNameDetail)),
        "provider.invite_withdrawn" => (T::EventInviteWithdrawn, Some(T::EventNameDetail)),
        "provider.invite_declined" => (T::EventInviteDeclined, Some(T::EventNameDetail)),
        "provider.invite_accepted" => (T::EventInviteAccepted, Some(T::EventNameDetail)),
        "provider.logo_set" => (T::EventLogoSet, None),
        "provider.logo_removed" => (T::EventLogoRemoved, None),
        _ => return None,
    })
}

/// A personnummer as someone outside the body sees it in a log: the birth date only.
pub fn masked_pnr(pnr: &str) -> String {
    let digits: String = pnr.chars().filter(char::is_ascii_digit).collect();
    match digits.get(..8) {
        Some(date) => format!("{date}-****"),
        None => "****".to_owned(),
    }
}

/// An email address as a third party sees it in a log: `c***@exempel.se`.
pub fn masked_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('*')),
        None => "***".to_owned(),
    }
}

/// What a log's words need from the domains that write events and sit above this one (their
/// form fields, roles and signing outcomes): given to [`describe`] by whoever shows a log. The
/// portal's own is `crate::state::WORDS`, which the state carries, so this folder names none of
/// them.
pub struct Vocabulary {
    /// A form field's label, by its column name (`first_name` → "Förnamn").
    pub field: fn(&str) -> Option<Text>,
    /// A role's name, by its code.
    pub role: fn(&str) -> Option<Text>,
    /// An attester's signing outcome, as words.
    pub outcome: fn(&Value, Locale) -> Option<String>,
}

impl std::fmt::Debug for Vocabulary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vocabulary")
    }
}

/// One fact as words: lists joined, field names as their labels, roles and outcomes named.
fn value_text(key: &str, v: &Value, locale: Locale, reader: Reader, words: &Vocabulary) -> String {
    match (key, v) {
        ("fields", Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|f| (words.field)(f).map_or(f.to_owned(), |t| locale.text(t).to_lowercase()))
            .collect::<Vec<_>>()
            .join(", "),
        ("role", Value::String(code)) => {
            (words.role)(code).map_or(code.clone(), |r| locale.text(r).to_owned())
        }
        ("outcome", v) => (words.outcome)(v, locale).unwrap_or_default(),
        ("pnr", Value::String(p)) if !reader.staff => masked_pnr(p),
        ("email", Value::String(e)) if !reader.staff && !reader.owner => masked_email(e),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(", "),
        (_, Value::Null) => String::new(),
        (_, other) => other.to_string(),
    }
}

/// The title and the sentence of one entry. An action this version does not know keeps its
/// code as the title and tells no details.
pub fn describe(
    action: &str,
    details: &str,
    locale: Locale,
    reader: Reader,
    words: &Vocabulary,
) -> (String, String) {
    let Some((title, detail)) = texts(action) else {
        return (action.to_owned(), String::new());
    };
    let title = locale.text(title).to_owned();
    let Some(detail) = detail else {
        return (title, String::new());
    };
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(details) else {
        return (title, String::new());
    };
    // Facts written nested by older versions ({"details": {...}}) count as top-level ones.
    let mut facts: Vec<(String, String)> = Vec::new();
    for (k, v) in &map {
        match v {
            Value::Object(inner) if k == "details" => facts.extend(
                inner
                    .iter()
                    .map(|(k, v)| (k.clone(), value_text(k, v, locale, reader, words))),
            ),
            v => facts.push((k.clone(), value_text(k, v, locale, reader, words))),
        }
    }
    let args: Vec<(&str, &str)> = facts
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut sentence = strip_unfilled(&locale.format(detail, &args));
    if map.get("test_signature") == Some(&Value::Bool(true)) {
        sentence.push(' ');
        sentence.push_str(locale.text(Text::TestSignatureNote));
    }
    (title, sentence)
}

/// Removes `{name}` placeholders no fact filled.
fn strip_unfilled(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        match rest[open..].find('}') {
            Some(close) => rest = &rest[open + close + 1..],
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(rest);
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The portal's words, as a log shows them.
    fn describe(action: &str, details: &str, locale: Locale, reader: Reader) -> (String, String) {
        super::describe(action, details, locale, reader, &crate::state::WORDS)
    }

    const STAFF: Reader = Reader {
        staff: true,
        owner: false,
    };
    const OTHER: Reader = Reader {
        staff: false,
        owner: false,
    };

    #[test]
    fn events_read_as_sentences_in_either_language() {
        let d = r#"{"company":"Kyl AB","from":"2026-12-15","to":"2027-12-15"}"#;
        let (title, sv) = describe("certificate.attested", d, Locale::Sv, OTHER);
        assert_eq!(title, "Yrkesaktivitet intygad");
        assert_eq!(
            sv,
            "Intygad av Kyl AB: förläng senast flyttat från 2026-12-15 till 2027-12-15."
        );
        let (_, en) = describe("certificate.attested", d, Locale::En, OTHER);
        assert!(en.contains("from 2026-12-15 to 2027-12-15"), "{en}");
        let (_, fields) = describe(
            "person.change_approved",
            r#"{"fields":["city","postal_code"]}"#,
            Locale::Sv,
            OTHER,
        );
        assert_eq!(fields, "Ändrade uppgifter: ort, postnummer.");
        assert!(!fields.contains("city"));
    }

    #[test]
    fn only_staff_see_a_personnummer_whole() {
        let d = r#"{"name":"Ivar Wallin","pnr":"19930918-9836","position":"Tekniker","start":"2026-03-01"}"#;
        let (_, staff) = describe("company.employee_added", d, Locale::Sv, STAFF);
        assert!(staff.contains("19930918-9836"), "{staff}");
        let (_, other) = describe("company.employee_added", d, Locale::Sv, OTHER);
        assert!(
            other.contains("19930918-****") && !other.contains("9836"),
            "{other}"
        );
    }

    #[test]
    fn a_signature_that_changed_nothing_says_why() {
        let d = r#"{"signed_by":"Anja Berg","position":"Chef","outcome":{"NotAttested":"NotValid"},"test_signature":false}"#;
        let (_, s) = describe("certificate.attestation_not_applied", d, Locale::Sv, OTHER);
        assert!(
            s.ends_with("Certifikatet är inte giltigt och kan inte förlängas."),
            "{s}"
        );
        let d = r#"{"signed_by":"Anja Berg","position":"Chef","outcome":"LinkClosed"}"#;
        let (_, s) = describe("certificate.attestation_not_applied", d, Locale::En, OTHER);
        assert!(s.contains("cancelled or replaced"), "{s}");
    }

    #[test]
    fn an_attester_s_address_is_for_the_holder_and_staff() {
        let d = r#"{"email":"chef@exempel.se"}"#;
        let (_, other) = describe("certificate.attestation_requested", d, Locale::Sv, OTHER);
        assert_eq!(other, "Till c***@exempel.se.");
        let owner = Reader {
            staff: false,
            owner: true,
        };
        let (_, own) = describe("certificate.attestation_requested", d, Locale::Sv, owner);
        assert_eq!(own, "Till chef@exempel.se.");
    }

    #[test]
    fn unknown_actions_and_missing_facts_show_no_raw_keys() {
        assert_eq!(
            describe("something.new", r#"{"a":1}"#, Locale::Sv, STAFF),
            ("something.new".to_owned(), String::new())
        );
        let (_, s) = describe("certificate.issued", "{}", Locale::Sv, STAFF);
        assert!(!s.contains('{'), "{s}");
    }
}
