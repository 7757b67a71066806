//! "Ladda ned certifikat": the certificate as a one-page A4 PDF with its facts, in the
//! reader's language, with a QR code to its verification page and a signature field that
//! [`crate::signing::Seal::sign`] fills in. Helvetica with WinAnsi encoding covers Swedish
//! letters.

use super::model::CertificateView;
use crate::i18n::{Locale, Text};
use crate::pdf::Doc;

/// The PDF, ready to be signed: `body` is the body's name, `verify_url` the verification page,
/// `when` the signing time.
pub fn render(
    v: &CertificateView,
    locale: Locale,
    body: &str,
    verify_url: &str,
    when: chrono::DateTime<chrono::Utc>,
) -> Vec<u8> {
    let c = &v.certificate;
    let mut doc = Doc::default();
    doc.mark(crate::pdf::LEFT, doc.y - 8.0, 30.0);
    doc.at(true, 22.0, crate::pdf::LEFT + 42.0, body);
    doc.skip(48.0);
    doc.line(true, 16.0, &c.title(locale), 28.0);
    doc.line(false, 14.0, &v.holder, 40.0);
    let facts = [
        (Text::CertNumber, c.number.clone()),
        (Text::CertColStatus, locale.text(c.status.text()).to_owned()),
        (Text::CertIssuedOn, v.issued_on.clone()),
        (Text::CertValidUntil, c.valid_until.clone()),
        (Text::CertExtendBy, c.extend_by.clone().unwrap_or_default()),
        (
            Text::CertLastAttested,
            v.last_attested_on.clone().unwrap_or_default(),
        ),
        (Text::CertLatestDecision, v.latest_decision.clone()),
        // The status above is the status on this day: the verification page has today's.
        (
            Text::PdfCreated,
            crate::ui::format::swedish(when).date().to_string(),
        ),
    ];
    for (label, value) in facts {
        doc.fact(locale.text(label), &value, 220.0);
    }
    if v.test_signature {
        // A signature from the BankID simulator says so wherever it shows.
        doc.line(true, 11.0, locale.text(Text::TestSignatureNote), 20.0);
    }
    // A rule under the facts, then the way to check it.
    doc.rule();
    let qr_size = 110.0;
    doc.qr(verify_url, 535.0 - qr_size, doc.y - qr_size, qr_size);
    doc.line(
        false,
        10.0,
        &locale.format(Text::PdfVerifyAt, &[("url", verify_url)]),
        16.0,
    );
    doc.line(
        false,
        10.0,
        &locale.format(Text::PdfSignedNote, &[("body", body)]),
        16.0,
    );
    doc.finish_signable(&when.format("D:%Y%m%d%H%M%SZ").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificates::model::{HolderCertificate, Status};

    #[test]
    fn the_pdf_reads_back_with_the_certificate_s_facts() {
        let view = CertificateView {
            certificate: HolderCertificate {
                id: "c".into(),
                number: "10002".into(),
                technical_area: crate::i18n::Named::new("F-Gaser", "F-gases"),
                scheme: crate::i18n::Named::new("Personcertifikat f-gas kat I", ""),
                status: Status::Active,
                extend_by: Some("2027-12-15".into()),
                valid_until: "2029-05-13".into(),
            },
            holder: "Åsa Öberg".into(),
            person_id: "p".into(),
            issued_on: "2024-05-14".into(),
            latest_decision: "2024-05-14".into(),
            own: true,
            staff: false,
            can_extend: true,
            can_renew: false,
            not_now: None,
            last_attested_on: Some("2026-11-25".into()),
            test_signature: true,
            published: false,
            reason: None,
            linkedin: None,
            events: Default::default(),
        };
        let bytes = render(
            &view,
            Locale::Sv,
            "Certportal",
            "http://127.0.0.1:3000/verify/10002",
            // Half past midnight in Sweden: the day printed is the Swedish one, as the check
            // of a PDF shows it.
            chrono::DateTime::parse_from_rfc3339("2026-11-26T23:30:00Z")
                .expect("time")
                .to_utc(),
        );
        let doc = lopdf::Document::load_mem(&bytes).expect("a valid PDF");
        assert_eq!(doc.get_pages().len(), 1);
        let text = doc.extract_text(&[1]).expect("text");
        for expected in [
            "Åsa Öberg",
            "Certifikatnummer",
            "10002",
            "Förläng senast",
            "2027-12-15",
            "Aktivt",
            "Testsignatur",
            "http://127.0.0.1:3000/verify/10002",
            "PDF skapad",
            "2026-11-27",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
    }
}
