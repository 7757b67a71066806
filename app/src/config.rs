//! What the services need to know about their deployment. The server fills it from the
//! environment (see the README for every variable).

#[derive(Clone, Debug)]
pub struct Config {
    /// The address users reach the portal at, without a trailing slash; links in emails use it.
    pub base_url: String,
    /// `smtp://host:port` or `smtps://user:pass@host:port`; `None` delivers to the built-in mailbox.
    pub smtp_url: Option<String>,
    /// The sender of every email, `Name <address>`.
    pub mail_from: String,
}

impl Config {
    pub fn for_tests() -> Config {
        Config {
            base_url: "http://127.0.0.1:3000".to_owned(),
            smtp_url: None,
            mail_from: "Certportal <noreply@certportal.test>".to_owned(),
        }
    }

    pub fn tls(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// The attributes every cookie of ours ends with: SameSite=Lax, and Secure over TLS.
    pub fn cookie_attributes(&self) -> &'static str {
        if self.tls() {
            "Path=/; SameSite=Lax; Secure"
        } else {
            "Path=/; SameSite=Lax"
        }
    }
}
