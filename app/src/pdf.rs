//! A4 PDFs of text in Helvetica with WinAnsi encoding, which covers Swedish letters: the
//! certificate and the letters of a case. Text that does not fit a page goes on to the next.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

/// WinAnsi bytes of `s`: Latin-1 as is, the en dash where WinAnsi has it, `?` for the rest.
pub fn win_ansi(s: &str) -> Vec<u8> {
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

const TOP: f32 = 770.0;
const BOTTOM: f32 = 60.0;
pub const LEFT: f32 = 60.0;
const RIGHT: f32 = 535.0;

/// A document being written from the top of its first page down.
pub struct Doc {
    pages: Vec<Content>,
    /// Where the next line goes.
    pub y: f32,
}

impl Default for Doc {
    fn default() -> Self {
        Doc {
            pages: vec![Content::new()],
            y: TOP,
        }
    }
}

impl Doc {
    fn page(&mut self) -> &mut Content {
        self.pages.last_mut().expect("a page")
    }

    /// Room for `height` more on this page, else a new page.
    fn room(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.pages.push(Content::new());
            self.y = TOP;
        }
    }

    /// `text` at `x` on the current line, which does not move.
    pub fn at(&mut self, bold: bool, size: f32, x: f32, text: &str) {
        let y = self.y;
        let out = self.page();
        out.begin_text();
        out.set_font(Name(if bold { b"F2" } else { b"F1" }), size);
        out.next_line(x, y);
        out.show(Str(&win_ansi(text)));
        out.end_text();
    }

    /// A line of text at the left margin, then `gap` down.
    pub fn line(&mut self, bold: bool, size: f32, text: &str, gap: f32) {
        self.room(size);
        self.at(bold, size, LEFT, text);
        self.y -= gap;
    }

    /// Moves down `gap`.
    pub fn skip(&mut self, gap: f32) {
        self.y -= gap;
    }

    /// A label and its value on one line (a value column at `x`), then down a line.
    pub fn fact(&mut self, label: &str, value: &str, x: f32) {
        self.room(11.0);
        self.at(true, 11.0, LEFT, label);
        self.at(false, 11.0, x, value);
        self.y -= 20.0;
    }

    /// Paragraphs of 11-point text, wrapped at the right margin (line breaks kept).
    pub fn paragraphs(&mut self, text: &str) {
        // Helvetica's letters average about half their size in width.
        let per_line = ((RIGHT - LEFT) / (11.0 * 0.5)) as usize;
        for para in text.lines() {
            let mut line = String::new();
            // A word longer than a line is cut into lines of its own.
            let words = para.split_whitespace().flat_map(|w| {
                let chars: Vec<char> = w.chars().collect();
                chars
                    .chunks(per_line)
                    .map(|c| c.iter().collect::<String>())
                    .collect::<Vec<_>>()
            });
            for word in words {
                if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > per_line {
                    self.line(false, 11.0, &line, 15.0);
                    line.clear();
                }
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(&word);
            }
            self.line(false, 11.0, &line, 15.0);
        }
    }

    /// A rule across the page.
    pub fn rule(&mut self) {
        let y = self.y;
        let out = self.page();
        out.set_line_width(0.5);
        out.move_to(LEFT, y);
        out.line_to(RIGHT, y);
        out.stroke();
        self.y -= 20.0;
    }

    /// A QR code of `text`, `size` points wide, its lower left corner at (`x`, `y`).
    pub fn qr(&mut self, text: &str, x: f32, y: f32, size: f32) {
        let Ok(code) = qrcode::QrCode::new(text.as_bytes()) else {
            return;
        };
        let width = code.width();
        let module = size / width as f32;
        let out = self.page();
        out.set_fill_rgb(0.0, 0.0, 0.0);
        for (i, color) in code.to_colors().iter().enumerate() {
            if *color == qrcode::Color::Dark {
                let (col, row) = ((i % width) as f32, (i / width) as f32);
                out.rect(
                    x + col * module,
                    y + size - (row + 1.0) * module,
                    module,
                    module,
                );
            }
        }
        out.fill_nonzero();
    }

    /// The body's mark: a blue square with a white tick, `size` points wide, at (`x`, `y`).
    pub fn mark(&mut self, x: f32, y: f32, size: f32) {
        let out = self.page();
        out.set_fill_rgb(0.1, 0.27, 0.53);
        out.rect(x, y, size, size);
        out.fill_nonzero();
        out.set_stroke_rgb(1.0, 1.0, 1.0);
        out.set_line_width(size / 10.0);
        out.move_to(x + size * 0.25, y + size * 0.5);
        out.line_to(x + size * 0.43, y + size * 0.3);
        out.line_to(x + size * 0.75, y + size * 0.72);
        out.stroke();
        out.set_stroke_rgb(0.0, 0.0, 0.0);
        out.set_fill_rgb(0.0, 0.0, 0.0);
    }

    pub fn finish(self) -> Vec<u8> {
        self.write(None)
    }

    /// The document with an invisible signature field whose value waits to be signed
    /// ([`crate::signing::Seal::sign`]); `when` is the signing time, `D:YYYYMMDDHHmmSSZ`.
    pub fn finish_signable(self, when: &str) -> Vec<u8> {
        self.write(Some(when))
    }

    fn write(self, signable: Option<&str>) -> Vec<u8> {
        let (catalog, tree, regular, bold) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4));
        let n = self.pages.len() as i32;
        let page_ref = |i: i32| Ref::new(5 + 2 * i);
        let content_ref = |i: i32| Ref::new(6 + 2 * i);
        let (field, sig) = (Ref::new(5 + 2 * n), Ref::new(6 + 2 * n));
        let mut pdf = Pdf::new();
        {
            let mut cat = pdf.catalog(catalog);
            cat.pages(tree);
            if signable.is_some() {
                let mut form = cat.insert(Name(b"AcroForm")).dict();
                form.insert(Name(b"Fields")).array().item(field);
                // Signatures exist; the file is only ever appended to.
                form.pair(Name(b"SigFlags"), 3);
            }
        }
        pdf.pages(tree).kids((0..n).map(page_ref)).count(n);
        for (id, name) in [(regular, &b"Helvetica"[..]), (bold, &b"Helvetica-Bold"[..])] {
            pdf.type1_font(id)
                .base_font(Name(name))
                .encoding_predefined(Name(b"WinAnsiEncoding"));
        }
        for (i, content) in (0..n).zip(self.pages) {
            let mut p = pdf.page(page_ref(i));
            p.media_box(Rect::new(0.0, 0.0, 595.0, 842.0));
            p.parent(tree);
            p.contents(content_ref(i));
            p.resources()
                .fonts()
                .pair(Name(b"F1"), regular)
                .pair(Name(b"F2"), bold);
            if signable.is_some() && i == 0 {
                p.insert(Name(b"Annots")).array().item(field);
            }
            p.finish();
            pdf.stream(content_ref(i), &content.finish());
        }
        if let Some(when) = signable {
            let mut f = pdf.indirect(field).dict();
            f.pair(Name(b"Type"), Name(b"Annot"));
            f.pair(Name(b"Subtype"), Name(b"Widget"));
            f.pair(Name(b"FT"), Name(b"Sig"));
            f.pair(Name(b"T"), Str(b"Signature1"));
            // Printed and locked, and drawn nowhere.
            f.pair(Name(b"F"), 132);
            f.pair(Name(b"Rect"), Rect::new(0.0, 0.0, 0.0, 0.0));
            f.pair(Name(b"P"), page_ref(0));
            f.pair(Name(b"V"), sig);
            f.finish();
            let mut s = pdf.indirect(sig).dict();
            s.pair(Name(b"Type"), Name(b"Sig"));
            s.pair(Name(b"Filter"), Name(b"Adobe.PPKLite"));
            s.pair(Name(b"SubFilter"), Name(b"ETSI.CAdES.detached"));
            s.insert(Name(b"ByteRange"))
                .array()
                .items(crate::signing::BYTE_RANGE);
            s.pair(Name(b"Contents"), Str(&[0xFF; crate::signing::PLACEHOLDER]));
            s.pair(Name(b"M"), Str(when.as_bytes()));
            s.finish();
        }
        pdf.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_letters_are_win_ansi() {
        assert_eq!(
            win_ansi("Åäö – x"),
            vec![0xC5, 0xE4, 0xF6, b' ', 0x96, b' ', b'x']
        );
        assert_eq!(win_ansi("€"), vec![b'?']);
    }

    #[test]
    fn long_text_goes_on_to_the_next_page_and_long_words_are_cut() {
        let mut doc = Doc::default();
        doc.line(true, 16.0, "Kompletteringsbrev", 30.0);
        doc.paragraphs(&"Ett ord till, och ett till. ".repeat(300));
        doc.paragraphs(&"x".repeat(200));
        doc.paragraphs("Slutet.");
        let bytes = doc.finish();
        let read = lopdf::Document::load_mem(&bytes).expect("a valid PDF");
        let pages = read.get_pages().len() as u32;
        assert!(pages >= 2, "{pages} pages");
        let last = read.extract_text(&[pages]).expect("text");
        assert!(last.contains("Slutet."), "{last}");
        // The 200 letters' word is cut into lines that fit.
        let all = read
            .extract_text(&(1..=pages).collect::<Vec<_>>())
            .expect("text");
        assert!(
            !all.contains(&"x".repeat(100)),
            "a word longer than a line was not cut"
        );
        assert!(all.contains(&"x".repeat(80)));
    }
}
