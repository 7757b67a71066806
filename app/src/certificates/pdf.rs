//! "Ladda ned certifikat": the certificate as a one-page A4 PDF with its facts, in the
//! reader's language. Helvetica with WinAnsi encoding covers Swedish letters.

use super::model::CertificateView;
use crate::i18n::{Locale, Text};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

/// WinAnsi bytes of `s`: Latin-1 as is, the en dash where WinAnsi has it, `?` for the rest.
fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '–' => 0x96,
            '—' => 0x97,
            '’' => 0x92,
            '”' => 0x94,
            c if (c as u32) < 0x80 || (0xA0..=0xFF).contains(&(c as u32)) => c as u8,
            _ => b'?',
        })
        .collect()
}

pub fn render(v: &CertificateView, locale: Locale) -> Vec<u8> {
    let (catalog, tree, page, regular, bold, content_id) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
        Ref::new(6),
    );
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids([page]).count(1);
    let mut p = pdf.page(page);
    p.media_box(Rect::new(0.0, 0.0, 595.0, 842.0));
    p.parent(tree);
    p.contents(content_id);
    p.resources()
        .fonts()
        .pair(Name(b"F1"), regular)
        .pair(Name(b"F2"), bold);
    p.finish();
    for (id, name) in [(regular, &b"Helvetica"[..]), (bold, &b"Helvetica-Bold"[..])] {
        pdf.type1_font(id)
            .base_font(Name(name))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }

    let c = &v.certificate;
    let mut out = Content::new();
    let mut y = 770.0;
    let line = |out: &mut Content, font: &[u8], size: f32, x: f32, y: f32, text: &str| {
        out.begin_text();
        out.set_font(Name(font), size);
        out.next_line(x, y);
        out.show(Str(&win_ansi(text)));
        out.end_text();
    };
    line(&mut out, b"F2", 22.0, 60.0, y, locale.text(Text::SiteName));
    y -= 40.0;
    line(&mut out, b"F2", 16.0, 60.0, y, &c.title(locale));
    y -= 28.0;
    line(&mut out, b"F1", 14.0, 60.0, y, &v.holder);
    y -= 40.0;
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
    ];
    for (label, value) in facts {
        line(&mut out, b"F2", 11.0, 60.0, y, locale.text(label));
        line(&mut out, b"F1", 11.0, 220.0, y, &value);
        y -= 20.0;
    }
    if v.test_signature {
        // A signature from the BankID simulator says so wherever it shows.
        line(
            &mut out,
            b"F2",
            11.0,
            60.0,
            y,
            locale.text(Text::TestSignatureNote),
        );
        y -= 20.0;
    }
    // A rule under the facts.
    out.set_line_width(0.5);
    out.move_to(60.0, y);
    out.line_to(535.0, y);
    out.stroke();
    pdf.stream(content_id, &out.finish());
    pdf.finish()
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
            can_extend: true,
            not_now: None,
            last_attested_on: Some("2026-11-25".into()),
            test_signature: true,
            events: Default::default(),
        };
        let bytes = render(&view, Locale::Sv);
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
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
    }

    #[test]
    fn swedish_letters_are_win_ansi() {
        assert_eq!(
            super::win_ansi("Åäö – x"),
            vec![0xC5, 0xE4, 0xF6, b' ', 0x96, b' ', b'x']
        );
        assert_eq!(super::win_ansi("€"), vec![b'?']);
    }
}
