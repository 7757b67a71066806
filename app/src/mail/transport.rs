//! Where the worker hands emails over: an SMTP relay, or the built-in mailbox (the outbox page),
//! which is where every email stays readable when no relay is configured.

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub enum Transport {
    Mailbox,
    Smtp {
        relay: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.via())
    }
}

/// One email as the transport sees it.
pub struct Outgoing<'a> {
    pub id: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    /// A calendar file (name, text), attached.
    pub attachment: Option<(&'a str, &'a str)>,
}

impl Transport {
    /// `smtp://host:port` (plain, for a local relay or catcher), `smtp://host?tls=required`
    /// (STARTTLS) or `smtps://user:password@host` (TLS), as lettre reads them.
    pub fn new(smtp_url: Option<&str>, from: &str) -> anyhow::Result<Transport> {
        let Some(url) = smtp_url else {
            return Ok(Transport::Mailbox);
        };
        let relay = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?
            .timeout(Some(std::time::Duration::from_secs(30)))
            .build();
        Ok(Transport::Smtp {
            relay,
            from: from.parse()?,
        })
    }

    pub fn via(&self) -> &'static str {
        match self {
            Transport::Mailbox => "mailbox",
            Transport::Smtp { .. } => "smtp",
        }
    }

    /// Whether emails leave for a relay (a real deployment), not the built-in mailbox.
    pub fn is_relay(&self) -> bool {
        matches!(self, Transport::Smtp { .. })
    }

    pub async fn send(&self, mail: &Outgoing<'_>) -> anyhow::Result<()> {
        let Transport::Smtp { relay, from } = self else {
            return Ok(());
        };
        let domain = from.email.domain().to_owned();
        let message = Message::builder()
            .from(from.clone())
            .to(mail.to.parse()?)
            .subject(mail.subject)
            // The outbox id makes the Message-ID stable, so a retried email is recognisably the same.
            .message_id(Some(format!("<{}@{}>", mail.id, domain)))
            .multipart(body(mail)?)?;
        relay.send(message).await?;
        Ok(())
    }
}

/// The plain text and HTML, and a calendar file beside them where the email has one.
fn body(mail: &Outgoing<'_>) -> anyhow::Result<MultiPart> {
    let alternative = MultiPart::alternative_plain_html(mail.text.to_owned(), mail.html.to_owned());
    let Some((name, ics)) = mail.attachment else {
        return Ok(alternative);
    };
    let file = lettre::message::Attachment::new(name.to_owned())
        .body(ics.to_owned(), "text/calendar; charset=utf-8".parse()?);
    Ok(MultiPart::mixed().multipart(alternative).singlepart(file))
}
