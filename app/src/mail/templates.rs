//! Email templates in Swedish and English, as HTML and plain text. Their words live in the
//! locale files with the rest of the interface; this module only lays them out.

use crate::config::Config;
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
    /// Whether it carries a secret (a link that signs someone in, activates an account, or
    /// lets someone attest): then only its recipient may read it.
    pub secret: bool,
    /// A calendar file (.ics) for a deadline, attached.
    pub calendar: Option<Attachment>,
}

/// A file an email carries: its name and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub body: String,
}

/// A deadline as a calendar file: one all-day event whose uid is the deadline's (a hash of
/// `key`, so no id of ours shows) and whose sequence grows with each reminder of it, so a
/// calendar that has it updates it instead of adding a second.
pub struct Deadline<'a> {
    pub key: &'a str,
    /// Days since 1970-01-01 of the day it is sent.
    pub sequence: i64,
    pub date: chrono::NaiveDate,
    pub summary: &'a str,
    pub description: &'a str,
}

impl Email {
    /// The email with the deadline's calendar file attached.
    pub fn with_deadline(mut self, config: &Config, d: &Deadline<'_>) -> Email {
        use icalendar::{Component, EventLike};
        let host = config
            .base_url
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split(['/', ':']).next())
            .unwrap_or("certportal");
        use sha2::Digest;
        let uid = hex::encode(&sha2::Sha256::digest(d.key.as_bytes())[..16]);
        let event = icalendar::Event::new()
            .uid(&format!("{uid}@{host}"))
            .add_property("SEQUENCE", d.sequence.to_string())
            .summary(d.summary)
            .description(d.description)
            // An all-day event ends (exclusively) the next day.
            .starts(d.date)
            .ends(d.date.succ_opt().unwrap_or(d.date))
            .done();
        let calendar = icalendar::Calendar::new()
            .name(&config.body_name)
            .push(event)
            .done();
        self.calendar = Some(Attachment {
            name: self.locale.text(Text::CalendarFileName).to_owned(),
            body: calendar.to_string(),
        });
        self
    }
}

/// What a template says: its subject, paragraphs, and an optional button-like link.
pub struct Content {
    pub template: &'static str,
    pub subject: String,
    pub paragraphs: Vec<String>,
    pub link: Option<(String, String)>,
    /// The link is a secret (see [`Email::secret`]).
    pub secret: bool,
}

impl Content {
    /// Lays the content out with the greeting, the body's signature and how to reach it.
    pub fn render(self, config: &Config, to: &str, locale: Locale) -> Email {
        let body_name = config.body_name.as_str();
        let greeting = locale.text(Text::EmailGreeting);
        let signature = locale.format(Text::EmailSignature, &[("body", body_name)]);
        let automatic = locale.format(
            Text::EmailAutomatic,
            &[("body", body_name), ("contact", &config.body_contact)],
        );

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
            escape(&signature).replace('\n', "<br>")
        ));
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
             <body style=\"font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c\">\n\
             {body}<hr><p style=\"font-size:14px;color:#505a5f\">{automatic}</p>\n</body></html>\n",
            lang = locale.code(),
            title = escape(&self.subject),
            automatic = escape(&automatic),
        );
        Email {
            to: to.to_owned(),
            locale,
            template: self.template,
            subject: self.subject,
            text,
            html,
            secret: self.secret,
            calendar: None,
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
pub fn test_email(config: &Config, to: &str, locale: Locale) -> Email {
    Content {
        template: "test",
        subject: locale.text(Text::EmailTestSubject).to_owned(),
        paragraphs: vec![locale.text(Text::EmailTestBody).to_owned()],
        link: None,
        secret: false,
    }
    .render(config, to, locale)
}

/// An email whose point is one secret link for the account `username`: a subject, a sentence,
/// a note on the link's validity, and the link.
fn link_email(
    config: &Config,
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
        secret: true,
    }
    .render(config, to, locale)
}

/// The password-reset link, valid one hour and single use.
pub fn password_reset(
    config: &Config,
    to: &str,
    locale: Locale,
    username: &str,
    link: &str,
) -> Email {
    let texts = [
        Text::EmailResetSubject,
        Text::EmailResetBody,
        Text::EmailResetNote,
        Text::EmailResetLink,
    ];
    link_email(config, to, locale, "password_reset", texts, username, link)
}

/// The activation link of a new account, valid seven days and single use.
pub fn account_activation(
    config: &Config,
    to: &str,
    locale: Locale,
    username: &str,
    link: &str,
) -> Email {
    let texts = [
        Text::EmailActivateSubject,
        Text::EmailActivateBody,
        Text::EmailActivateNote,
        Text::EmailActivateLink,
    ];
    link_email(
        config,
        to,
        locale,
        "account_activation",
        texts,
        username,
        link,
    )
}

/// A message from the certification body, also shown in the portal under "Meddelanden".
pub fn notice(
    config: &Config,
    to: &str,
    locale: Locale,
    subject: &str,
    body: &str,
    link: Option<&str>,
) -> Email {
    Content {
        template: "notice",
        subject: subject.to_owned(),
        paragraphs: vec![body.to_owned()],
        link: link.map(|l| (locale.text(Text::EmailNoticeLink).to_owned(), l.to_owned())),
        secret: false,
    }
    .render(config, to, locale)
}

/// Tells a holder that their employer attested their professional activity, certificate by
/// certificate with the new yearly extension date.
pub fn certificates_attested(
    config: &Config,
    to: &str,
    locale: Locale,
    company: &str,
    lines: &[String],
) -> Email {
    Content {
        template: "certificates_attested",
        subject: locale.text(Text::EmailAttestedSubject).to_owned(),
        paragraphs: vec![
            locale.format(Text::EmailAttestedBody, &[("company", company)]),
            lines.join("\n"),
        ],
        link: Some((
            locale.text(Text::EmailNoticeLink).to_owned(),
            format!("{}/my/certificates", config.base_url),
        )),
        secret: false,
    }
    .render(config, to, locale)
}

/// What an attester's email says the link is for.
pub struct AttestationRequest<'a> {
    pub person: &'a str,
    pub scheme: &'a str,
    pub number: &'a str,
    pub link: &'a str,
}

/// The manual's "Årlig förlängning" email to the attester, with the link (valid 30 days).
pub fn attestation_request(
    config: &Config,
    to: &str,
    locale: Locale,
    r: &AttestationRequest<'_>,
) -> Email {
    let body = config.body_name.as_str();
    Content {
        template: "attestation_request",
        subject: locale.text(Text::EmailAttestRequestSubject).to_owned(),
        paragraphs: vec![
            locale.format(Text::EmailAttestRequestIntro, &[("body", body)]),
            locale.format(Text::EmailAttestRequestBody, &[("person", r.person)]),
            locale.format(
                Text::EmailAttestRequestCertificate,
                &[("scheme", r.scheme), ("number", r.number)],
            ),
            locale.text(Text::EmailAttestRequestNote).to_owned(),
            locale.format(
                Text::EmailQuestions,
                &[("body", body), ("contact", &config.body_contact)],
            ),
        ],
        link: Some((
            locale.text(Text::EmailAttestRequestLink).to_owned(),
            r.link.to_owned(),
        )),
        secret: true,
    }
    .render(config, to, locale)
}

/// What the holder is told after an attester signed.
pub struct AttestationDone<'a> {
    pub scheme: &'a str,
    pub number: &'a str,
    /// The signer's name as BankID verified it.
    pub attester: &'a str,
    pub position: &'a str,
    pub date: &'a str,
    pub link: &'a str,
    /// Signed in the BankID simulator.
    pub test: bool,
}

/// Tells the holder that the attester signed and the certificate is extended.
pub fn attestation_done(
    config: &Config,
    to: &str,
    locale: Locale,
    d: &AttestationDone<'_>,
) -> Email {
    let body = config.body_name.as_str();
    let mut paragraphs = vec![
        locale.format(Text::EmailAttestDoneLead, &[("body", body)]),
        locale.text(Text::EmailAttestDoneBody).to_owned(),
        locale.format(
            Text::EmailAttestDoneDetail,
            &[
                ("scheme", d.scheme),
                ("number", d.number),
                ("attester", d.attester),
                ("position", d.position),
                ("date", d.date),
            ],
        ),
    ];
    if d.test {
        paragraphs.push(locale.text(Text::TestSignatureNote).to_owned());
    }
    paragraphs.push(locale.format(Text::EmailAttestDoneMore, &[("body", body)]));
    Content {
        template: "attestation_done",
        subject: locale.text(Text::EmailAttestDoneSubject).to_owned(),
        paragraphs,
        link: Some((
            locale.format(Text::EmailAttestDoneLink, &[("body", body)]),
            d.link.to_owned(),
        )),
        secret: false,
    }
    .render(config, to, locale)
}

/// Asks a person to confirm that a company employs them (the link is valid 30 days).
pub fn employment_request(
    config: &Config,
    to: &str,
    locale: Locale,
    company: &str,
    link: &str,
) -> Email {
    let body = config.body_name.as_str();
    Content {
        template: "employment_request",
        subject: locale.format(Text::EmailEmploymentSubject, &[("company", company)]),
        paragraphs: vec![
            locale.format(
                Text::EmailEmploymentBody,
                &[("company", company), ("body", body)],
            ),
            locale.text(Text::EmailEmploymentNote).to_owned(),
        ],
        link: Some((
            locale.text(Text::EmailEmploymentLink).to_owned(),
            link.to_owned(),
        )),
        secret: true,
    }
    .render(config, to, locale)
}

/// What an invitation to a course names.
pub struct CourseInvitation<'a> {
    pub name: &'a str,
    pub provider: &'a str,
    pub course: &'a str,
    /// The course's date, or "on request".
    pub when: &'a str,
    pub link: &'a str,
    /// How many days the link works.
    pub days: i64,
}

/// A training provider invites someone to a course; the link shows it, and accepts or
/// declines it.
pub fn course_invitation(
    config: &Config,
    to: &str,
    locale: Locale,
    i: &CourseInvitation<'_>,
) -> Email {
    let days = i.days.to_string();
    Content {
        template: "course_invitation",
        subject: locale.format(Text::EmailInviteSubject, &[("provider", i.provider)]),
        paragraphs: vec![
            locale.format(
                Text::EmailInviteBody,
                &[
                    ("name", i.name),
                    ("provider", i.provider),
                    ("course", i.course),
                    ("when", i.when),
                ],
            ),
            locale.format(Text::EmailInviteNote, &[("days", &days)]),
        ],
        link: Some((
            locale.text(Text::EmailInviteLink).to_owned(),
            i.link.to_owned(),
        )),
        secret: true,
    }
    .render(config, to, locale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_render_text_and_html() {
        let config = Config::for_tests();
        let sv = test_email(&config, "a@b.se", Locale::Sv);
        let en = test_email(&config, "a@b.se", Locale::En);
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
            secret: false,
        }
        .render(&Config::for_tests(), "x@y.se", Locale::Sv);
        assert!(e.html.contains("a &lt; b &amp; &quot;c&quot;"));
        assert!(e.html.contains("https://x/?a=1&amp;b=2"));
        assert!(e.text.contains("https://x/?a=1&b=2"));
        assert!(!e.html.contains("<s>"));
    }
}
