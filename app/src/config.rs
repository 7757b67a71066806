//! What the services need to know about their deployment. The server fills it from the
//! environment (see the README for every variable).

use crate::keys::Keys;
use std::net::IpAddr;

#[derive(Clone, Debug)]
pub struct Config {
    /// The address users reach the portal at, without a trailing slash; links in emails use it.
    pub base_url: String,
    /// `smtp://host:port` or `smtps://user:pass@host:port`; `None` delivers to the built-in mailbox.
    pub smtp_url: Option<String>,
    /// The sender of every email, `Name <address>`.
    pub mail_from: String,
    /// The server's key: seals secrets at rest, signs the event log's checkpoints.
    pub keys: Keys,
    /// The load balancers and proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The certification body, as emails and the attester's page name it.
    pub body_name: String,
    /// How to reach the body with questions ("Vid frågor ... kontakta").
    pub body_contact: String,
    /// The largest file one may send, in bytes.
    pub upload_max: u64,
    /// Where a file waits while it arrives and is checked, before it is stored.
    pub upload_dir: std::path::PathBuf,
    /// Days after a supplement request ("Komplettering") without an answer before the one
    /// reminder ("Kompletteringspåminnelse") goes out.
    pub supplement_reminder_days: u32,
    /// Views of the public verification pages and API per client address and minute, on each
    /// server; 0 for no limit.
    pub public_per_minute: u32,
    /// Seconds the start page, a certificate's public page and API answer are kept for anyone
    /// without a session, on each server; 0 for none.
    pub public_cache_seconds: u32,
    /// The body's LinkedIn organization id, for "Lägg till på LinkedIn".
    pub linkedin_organization_id: Option<String>,
    /// The body's seal on its certificates' PDFs.
    pub seal: std::sync::Arc<crate::signing::Seal>,
    /// `POST /test/clock` moves the portal's time forward, for browser tests; only ever on a
    /// loopback address (the server refuses to start with it elsewhere).
    pub test_clock: bool,
}

impl Config {
    #[cfg(any(test, feature = "testing"))]
    pub fn for_tests() -> Config {
        Config {
            base_url: "http://127.0.0.1:3000".to_owned(),
            smtp_url: None,
            mail_from: "Certportal <noreply@certportal.test>".to_owned(),
            keys: Keys::random(),
            trusted_proxies: Vec::new(),
            body_name: "Certportal".to_owned(),
            body_contact: "kundtjanst@certportal.test".to_owned(),
            upload_max: crate::cases::files::DEFAULT_MAX_BYTES,
            upload_dir: std::env::temp_dir(),
            supplement_reminder_days: 14,
            public_per_minute: 120,
            linkedin_organization_id: None,
            // Tests see every change at once; `server/tests/verify.rs` turns it on.
            public_cache_seconds: 0,
            seal: std::sync::Arc::new(crate::signing::Seal::generated("Certportal")),
            test_clock: false,
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

    /// A cookie's name: over TLS with the `__Host-` prefix, which the browser accepts only from
    /// this host, Secure, for the whole site, so no neighbouring subdomain can set it.
    pub fn cookie_name(&self, name: &str) -> String {
        if self.tls() {
            format!("__Host-{name}")
        } else {
            name.to_owned()
        }
    }

    /// `scheme://host[:port]` of the base URL, as a browser's `Origin` header writes it.
    pub fn origin(&self) -> String {
        url::Url::parse(&self.base_url)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_else(|_| self.base_url.clone())
    }

    /// Whether users reach the portal on this machine only (`localhost`, `127.0.0.1`, `::1`).
    pub fn base_is_loopback(&self) -> bool {
        let Ok(url) = url::Url::parse(&self.base_url) else {
            return false;
        };
        match url.host() {
            Some(url::Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        }
    }

    /// The built-in mailbox, where staff read every email, links included: a development
    /// convenience, only without an SMTP relay and only on a loopback address.
    pub fn dev_mailbox(&self) -> bool {
        self.smtp_url.is_none() && self.base_is_loopback()
    }

    /// Where to go after `next`, if it is a path on this portal: `/%09/evil.example` and the
    /// like, which a browser turns into another site, come back as `None`.
    pub fn local_path(&self, next: &str) -> Option<String> {
        if next.is_empty()
            || !next.starts_with('/')
            || next.chars().any(|c| c.is_control() || c == '\\')
        {
            return None;
        }
        let base = url::Url::parse(&self.base_url).ok()?;
        let target = base.join(next).ok()?;
        if target.origin() != base.origin() {
            return None;
        }
        let mut path = target.path().to_owned();
        if path.starts_with("//") {
            return None;
        }
        if let Some(q) = target.query() {
            path.push('?');
            path.push_str(q);
        }
        Some(path)
    }

    /// Whether a request from `peer` comes through one of our own proxies.
    pub fn trusts(&self, peer: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|net| net.contains(&peer))
    }

    /// The client's address: the peer, unless the peer is a trusted proxy; then the right-most
    /// address of `X-Forwarded-For` that is not one of ours (each proxy appends the address it
    /// saw, so only the hops our own proxies wrote can be believed).
    pub fn client_ip(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<&str> = forwarded_for.iter().flat_map(|h| h.split(',')).collect();
        // From the right: our proxies' hops are skipped; the first other is the client. A hop
        // that is no address stops the walk at the last of ours (what lies left of it may
        // have been written by anyone).
        let mut nearest = peer;
        for hop in hops.iter().rev() {
            match parse_hop(hop) {
                Some(ip) if self.trusts(ip) => nearest = ip,
                Some(ip) => return ip,
                None => return nearest,
            }
        }
        nearest
    }
}

/// One `X-Forwarded-For` hop: an address, perhaps with a port (`192.0.2.1:4711`,
/// `[2001:db8::1]:4711`) or in brackets.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| {
            hop.strip_prefix('[')
                .and_then(|h| h.strip_suffix(']'))
                .and_then(|h| h.parse().ok())
        })
}

/// Parses `CERTPORTAL_TRUSTED_PROXIES`: addresses or CIDRs, separated by commas or spaces.
pub fn parse_proxies(list: &str) -> Result<Vec<ipnet::IpNet>, String> {
    list.split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| format!("not an address or CIDR: {s}"))
        })
        .collect()
}

/// What the throttle counts an address as: IPv4 as it is, IPv6 by its /64 (one subscriber
/// usually holds a whole /64, and could otherwise take a fresh address for every attempt).
pub fn throttle_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(base: &str, proxies: &str) -> Config {
        Config {
            base_url: base.to_owned(),
            trusted_proxies: parse_proxies(proxies).expect("proxies"),
            ..Config::for_tests()
        }
    }

    #[test]
    fn only_same_origin_paths_are_followed() {
        let c = with("https://portal.example.se", "");
        assert_eq!(
            c.local_path("/my/certificates?x=1").as_deref(),
            Some("/my/certificates?x=1")
        );
        for bad in [
            "/\t/evil.example",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example/",
            "evil.example",
            "",
        ] {
            assert_eq!(c.local_path(bad), None, "{bad:?}");
        }
        // Encoded, a tab is only a strange path on this site.
        assert_eq!(c.local_path("/%09/x").as_deref(), Some("/%09/x"));
        assert_eq!(c.local_path("/a/../b").as_deref(), Some("/b"));
    }

    #[test]
    fn the_client_is_the_rightmost_address_not_ours() {
        let c = with("https://p.se", "10.0.0.0/8, 192.168.1.5");
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        // Not through our proxy: the header is the client's own words.
        assert_eq!(
            c.client_ip(ip("203.0.113.9"), &["1.2.3.4"]),
            ip("203.0.113.9")
        );
        // Through our proxy: the right-most hop our proxies did not write.
        assert_eq!(
            c.client_ip(ip("10.0.0.2"), &["6.6.6.6, 198.51.100.7, 10.0.0.3"]),
            ip("198.51.100.7")
        );
        assert_eq!(
            c.client_ip(ip("192.168.1.5"), &["198.51.100.7", "10.1.1.1"]),
            ip("198.51.100.7")
        );
        assert_eq!(c.client_ip(ip("10.0.0.2"), &[]), ip("10.0.0.2"));
        // Ports and brackets are read; a hop that is no address ends the walk at our last.
        assert_eq!(
            c.client_ip(ip("10.0.0.2"), &["6.6.6.6, 198.51.100.7:4711"]),
            ip("198.51.100.7")
        );
        assert_eq!(
            c.client_ip(ip("10.0.0.2"), &["[2001:db8::7]:4711"]),
            ip("2001:db8::7")
        );
        assert_eq!(
            c.client_ip(ip("10.0.0.2"), &["6.6.6.6, unknown, 10.0.0.3"]),
            ip("10.0.0.3")
        );
        assert!(parse_proxies("10.0.0.0/8 nonsense").is_err());
    }

    #[test]
    fn ipv6_is_throttled_per_64() {
        let a = throttle_key("2001:db8:1:2:aaaa::1".parse().expect("ip"));
        let b = throttle_key("2001:db8:1:2:bbbb::2".parse().expect("ip"));
        assert_eq!(a, b);
        assert_ne!(a, throttle_key("2001:db8:1:3::1".parse().expect("ip")));
        assert_eq!(
            throttle_key("::ffff:1.2.3.4".parse().expect("ip")),
            "1.2.3.4"
        );
    }

    #[test]
    fn the_mailbox_is_for_development_only() {
        assert!(with("http://127.0.0.1:3000", "").dev_mailbox());
        assert!(with("http://localhost:3000", "").dev_mailbox());
        assert!(!with("https://portal.example.se", "").dev_mailbox());
        let mut relay = with("http://127.0.0.1:3000", "");
        relay.smtp_url = Some("smtp://127.0.0.1:25".into());
        assert!(!relay.dev_mailbox());
        assert_eq!(with("https://p.se/", "").cookie_name("s"), "__Host-s");
        assert_eq!(
            with("https://p.se:8443/x", "").origin(),
            "https://p.se:8443"
        );
    }
}
