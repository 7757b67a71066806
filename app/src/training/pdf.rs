//! "Ladda ned signerat intyg": a course certificate as the portal vouches for it, a one-page A4
//! PDF with the provider, the certification, the participant, the day it was issued, its code
//! and a QR code to its verification page, signed by the body's key like the body's own
//! certificates. The provider's own file stays as it was uploaded.

use crate::i18n::{Locale, Text};
use crate::pdf::Doc;

/// What the signed PDF states.
pub struct Facts<'a> {
    pub provider: &'a str,
    pub certification: &'a str,
    pub course: &'a str,
    pub participant: &'a str,
    pub issued_on: &'a str,
    pub code: &'a str,
}

/// The PDF, ready to be signed (`when`: `D:YYYYMMDDHHmmSSZ`).
pub fn render(f: &Facts<'_>, locale: Locale, body: &str, verify_url: &str, when: &str) -> Vec<u8> {
    let mut doc = Doc::default();
    doc.mark(crate::pdf::LEFT, doc.y - 8.0, 30.0);
    doc.at(true, 22.0, crate::pdf::LEFT + 42.0, f.provider);
    doc.skip(48.0);
    doc.line(true, 16.0, f.certification, 28.0);
    doc.line(false, 14.0, f.participant, 40.0);
    let facts = [
        (Text::BookingCourse, f.course),
        (Text::BookingProvider, f.provider),
        (Text::BookingCertificateUploadedOn, f.issued_on),
        (Text::BookingCertificateCode, f.code),
    ];
    for (label, value) in facts {
        doc.fact(locale.text(label), value, 220.0);
    }
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
        &locale.format(
            Text::CoursePdfSignedNote,
            &[("body", body), ("provider", f.provider)],
        ),
        16.0,
    );
    doc.finish_signable(when)
}

/// The verification page's QR code as an `<img>` source (an SVG, inline).
pub fn qr_data_uri(url: &str) -> String {
    use base64::Engine;
    let Ok(code) = qrcode::QrCode::new(url.as_bytes()) else {
        return String::new();
    };
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pdf_names_what_it_vouches_for_and_the_qr_is_an_svg() {
        let f = Facts {
            provider: "Kylakademin",
            certification: "Intyg köldmedier",
            course: "Köldmedier",
            participant: "Erik Holm",
            issued_on: "2026-11-27",
            code: "K-ABCD-EFGH-JKLM",
        };
        let pdf = render(
            &f,
            Locale::Sv,
            "Certportal",
            "https://x/verify/course/K-ABCD-EFGH-JKLM",
            "D:20261127120000Z",
        );
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.windows(16).any(|w| w == b"K-ABCD-EFGH-JKLM"));
        assert!(qr_data_uri("https://x/verify/course/K").starts_with("data:image/svg+xml;base64,"));
    }
}
