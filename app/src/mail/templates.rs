//! Email templates in Swedish and English, as HTML and plain text. Their words live in the
//! locale files with the rest of the interface; this module only lays them out.

use crate::i18n::{Locale, Text};

/// An email ready for the outbox.
#[derive(Clone, Debug, PartialEq)]
pub struct Email {
    pub to: String,
    pub locale: Locale,
    pub template: &'static str,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What a template says: its subject, paragraphs, and an optional button-like link.
pub struct Content {
    pub template: &'static str,
    pub subject: String,
    pub paragraphs: Vec<String>,
    pub link: Option<(String, String)>,
}

impl Content {
    pub fn render(self, to: &str, locale: Locale) -> Email {
        let greeting = locale.text(Text::EmailGreeting);
        let signature = locale.text(Text::EmailSignature);
        let automatic = locale.text(Text::EmailAutomatic);

        let mut text = format!("{greeting}\n\n");
        for p in &self.paragraphs {
            text.push_str(p);
            text.push_str("\n\n");
        }
        if let Some((label, url)) = &self.link {
            text.push_str(&format!("{label}:\n{url}\n\n"));
        }
        text.push_str(&format!("{signature}\n\n--\n{automatic}\n"));

        let mut body = format!("<p>{}</p>\n", escape(greeting));
        for p in &self.paragraphs {
            body.push_str(&format!("<p>{}</p>\n", escape(p).replace('\n', "<br>")));
        }
        if let Some((label, url)) = &self.link {
            body.push_str(&format!(
                "<p><a href=\"{}\" style=\"display:inline-block;background:#00703c;color:#fff;\
                 padding:10px 16px;text-decoration:none;font-weight:bold\">{}</a></p>\n",
                escape(url),
                escape(label)
            ));
        }
        body.push_str(&format!(
            "<p>{}</p>\n",
            escape(signature).replace('\n', "<br>")
        ));
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
             <body style=\"font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c\">\n\
             {body}<hr><p style=\"font-size:14px;color:#505a5f\">{automatic}</p>\n</body></html>\n",
            lang = locale.code(),
            title = escape(&self.subject),
            automatic = escape(automatic),
        );
        Email {
            to: to.to_owned(),
            locale,
            template: self.template,
            subject: self.subject,
            text,
            html,
        }
    }
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The test email, sent from the outbox page and by `certportal send-test-email`.
pub fn test_email(to: &str, locale: Locale) -> Email {
    Content {
        template: "test",
        subject: locale.text(Text::EmailTestSubject).to_owned(),
        paragraphs: vec![locale.text(Text::EmailTestBody).to_owned()],
        link: None,
    }
    .render(to, locale)
}

/// An email whose point is one link for the account `username`: a subject, a sentence, a note
/// on the link's validity, and the link.
fn link_email(
    to: &str,
    locale: Locale,
    template: &'static str,
    texts: [Text; 4],
    username: &str,
    link: &str,
) -> Email {
    let [subject, body, note, label] = texts;
    Content {
        template,
        subject: locale.text(subject).to_owned(),
        paragraphs: vec![
            locale.format(body, &[("username", username)]),
            locale.text(note).to_owned(),
        ],
        link: Some((locale.text(label).to_owned(), link.to_owned())),
    }
    .render(to, locale)
}

/// The password-reset link, valid one hour and single use.
pub fn password_reset(to: &str, locale: Locale, username: &str, link: &str) -> Email {
    let texts = [
        Text::EmailResetSubject,
        Text::EmailResetBody,
        Text::EmailResetNote,
        Text::EmailResetLink,
    ];
    link_email(to, locale, "password_reset", texts, username, link)
}

/// The activation link of a new account, valid seven days and single use.
pub fn account_activation(to: &str, locale: Locale, username: &str, link: &str) -> Email {
    let texts = [
        Text::EmailActivateSubject,
        Text::EmailActivateBody,
        Text::EmailActivateNote,
        Text::EmailActivateLink,
    ];
    link_email(to, locale, "account_activation", texts, username, link)
}

/// A message from the certification body, also shown in the portal under "Meddelanden".
pub fn notice(to: &str, locale: Locale, subject: &str, body: &str, link: Option<&str>) -> Email {
    Content {
        template: "notice",
        subject: subject.to_owned(),
        paragraphs: vec![body.to_owned()],
        link: link.map(|l| (locale.text(Text::EmailNoticeLink).to_owned(), l.to_owned())),
    }
    .render(to, locale)
}

/// Tells a holder that their employer attested their professional activity, certificate by
/// certificate with the new yearly extension date.
pub fn certificates_attested(to: &str, locale: Locale, company: &str, lines: &[String]) -> Email {
    Content {
        template: "certificates_attested",
        subject: locale.text(Text::EmailAttestedSubject).to_owned(),
        paragraphs: vec![
            locale.format(Text::EmailAttestedBody, &[("company", company)]),
            lines.join("\n"),
        ],
        link: None,
    }
    .render(to, locale)
}

/// The manual's "Årlig förlängning" email to the attester, with the link (valid 30 days).
pub fn attestation_request(
    to: &str,
    locale: Locale,
    person: &str,
    scheme: &str,
    number: &str,
    link: &str,
) -> Email {
    Content {
        template: "attestation_request",
        subject: locale.text(Text::EmailAttestRequestSubject).to_owned(),
        paragraphs: vec![
            locale.text(Text::EmailAttestRequestIntro).to_owned(),
            locale.format(Text::EmailAttestRequestBody, &[("person", person)]),
            locale.format(
                Text::EmailAttestRequestCertificate,
                &[("scheme", scheme), ("number", number)],
            ),
            locale.text(Text::EmailAttestRequestNote).to_owned(),
        ],
        link: Some((
            locale.text(Text::EmailAttestRequestLink).to_owned(),
            link.to_owned(),
        )),
    }
    .render(to, locale)
}

/// Tells the holder that the attester signed and the certificate is extended.
#[allow(clippy::too_many_arguments)]
pub fn attestation_done(
    to: &str,
    locale: Locale,
    scheme: &str,
    number: &str,
    attester: &str,
    position: &str,
    date: &str,
    link: &str,
) -> Email {
    Content {
        template: "attestation_done",
        subject: locale.text(Text::EmailAttestDoneSubject).to_owned(),
        paragraphs: vec![
            locale.text(Text::EmailAttestDoneLead).to_owned(),
            locale.text(Text::EmailAttestDoneBody).to_owned(),
            locale.format(
                Text::EmailAttestDoneDetail,
                &[
                    ("scheme", scheme),
                    ("number", number),
                    ("attester", attester),
                    ("position", position),
                    ("date", date),
                ],
            ),
            locale.text(Text::EmailAttestDoneMore).to_owned(),
        ],
        link: Some((
            locale.text(Text::EmailAttestDoneLink).to_owned(),
            link.to_owned(),
        )),
    }
    .render(to, locale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_render_text_and_html() {
        let sv = test_email("a@b.se", Locale::Sv);
        let en = test_email("a@b.se", Locale::En);
        assert!(sv.text.starts_with("Hej,"));
        assert!(en.text.starts_with("Hello,"));
        assert!(sv.html.contains("<html lang=\"sv\">"));
        assert!(en.html.contains(Locale::En.text(Text::EmailTestBody)));
    }

    #[test]
    fn html_is_escaped() {
        let e = Content {
            template: "t",
            subject: "<s>".into(),
            paragraphs: vec!["a < b & \"c\"".into()],
            link: Some(("Go".into(), "https://x/?a=1&b=2".into())),
        }
        .render("x@y.se", Locale::Sv);
        assert!(e.html.contains("a &lt; b &amp; &quot;c&quot;"));
        assert!(e.html.contains("https://x/?a=1&amp;b=2"));
        assert!(e.text.contains("https://x/?a=1&b=2"));
        assert!(!e.html.contains("<s>"));
    }
}
