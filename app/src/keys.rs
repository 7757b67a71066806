//! The server's own secret: one 32-byte key, from `CERTPORTAL_KEY` or from a file made on first
//! start. A subkey is derived from it for each purpose: sealing secrets that must rest in the
//! database for a while (an email that carries a link, until it is delivered; a BankID order's
//! start secrets), signing the event log's checkpoints, and vouching that text the server put in
//! an address (a refused form's messages) came from it. Every server of one deployment
//! shares the key; the database alone opens and signs nothing.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::sync::Arc;

const SEALED: &str = "sealed:v1:";

#[derive(Clone)]
pub struct Keys {
    seal: Arc<XChaCha20Poly1305>,
    signing: Arc<SigningKey>,
    mac: Arc<[u8; 32]>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Keys(public {})", self.public_key())
    }
}

fn derive(master: &[u8; 32], purpose: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(master).expect("HMAC takes any key");
    mac.update(b"certportal/");
    mac.update(purpose.as_bytes());
    mac.finalize().into_bytes().into()
}

pub use hex::encode as hex;

pub fn unhex(s: &str) -> Option<Vec<u8>> {
    hex::decode(s.trim()).ok()
}

impl Keys {
    pub fn from_master(master: [u8; 32]) -> Keys {
        let seal = XChaCha20Poly1305::new(&derive(&master, "seal").into());
        let signing = SigningKey::from_bytes(&derive(&master, "checkpoint"));
        Keys {
            seal: Arc::new(seal),
            signing: Arc::new(signing),
            mac: Arc::new(derive(&master, "mac")),
        }
    }

    /// A key of its own, for tests and throwaway servers.
    pub fn random() -> Keys {
        let mut master = [0u8; 32];
        rand::rng().fill_bytes(&mut master);
        Keys::from_master(master)
    }

    /// The key given in hex (`CERTPORTAL_KEY`), or else the one in `file`, which is made (readable
    /// by its owner only) when missing.
    pub fn load(given: Option<&str>, file: &std::path::Path) -> anyhow::Result<Keys> {
        use anyhow::Context;
        let parse = |s: &str| -> anyhow::Result<[u8; 32]> {
            unhex(s)
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .context("the key is 64 hexadecimal digits (32 bytes)")
        };
        if let Some(hex_key) = given.filter(|s| !s.trim().is_empty()) {
            return Ok(Keys::from_master(parse(hex_key)?));
        }
        if file.exists() {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("reading the key file {}", file.display()))?;
            return Ok(Keys::from_master(
                parse(&text).with_context(|| format!("the key file {}", file.display()))?,
            ));
        }
        let mut master = [0u8; 32];
        rand::rng().fill_bytes(&mut master);
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        write_private(file, &format!("{}\n", hex(master)))
            .with_context(|| format!("writing the key file {}", file.display()))?;
        tracing::warn!(file = %file.display(), "made a new server key: keep it with the database's backups, and give every server the same one");
        Ok(Keys::from_master(master))
    }

    /// `plain` sealed (XChaCha20-Poly1305, a random nonce each time), as text for a column.
    pub fn seal(&self, plain: &str) -> String {
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self
            .seal
            .encrypt(XNonce::from_slice(&nonce), plain.as_bytes())
            .expect("sealing cannot fail for a valid key");
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        format!("{SEALED}{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    /// What [`Keys::seal`] sealed; text that was never sealed comes back as it is, and text
    /// sealed with another key (or altered) not at all.
    pub fn open(&self, text: &str) -> Option<String> {
        let Some(sealed) = text.strip_prefix(SEALED) else {
            return Some(text.to_owned());
        };
        let bytes = URL_SAFE_NO_PAD.decode(sealed).ok()?;
        let (nonce, body) = bytes.split_at_checked(24)?;
        let plain = self.seal.decrypt(XNonce::from_slice(nonce), body).ok()?;
        String::from_utf8(plain).ok()
    }

    pub fn is_sealed(text: &str) -> bool {
        text.starts_with(SEALED)
    }

    /// An Ed25519 signature of `message`, in hex.
    pub fn sign(&self, message: &[u8]) -> String {
        hex(self.signing.sign(message).to_bytes())
    }

    /// The public half of the signing key, in hex.
    pub fn public_key(&self) -> String {
        hex(self.signing.verifying_key().as_bytes())
    }

    /// A short tag (URL-safe) that only this key makes for `message`.
    pub fn mac(&self, message: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(&self.hmac(message).finalize().into_bytes()[..16])
    }

    /// Whether `tag` is [`Keys::mac`] of `message` (compared in constant time).
    pub fn mac_ok(&self, message: &[u8], tag: &str) -> bool {
        URL_SAFE_NO_PAD
            .decode(tag)
            .is_ok_and(|t| self.hmac(message).verify_truncated_left(&t).is_ok() && t.len() == 16)
    }

    fn hmac(&self, message: &[u8]) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.mac[..]).expect("any key");
        mac.update(message);
        mac
    }

    /// Whether `signature` (hex) is this key's signature of `message`.
    pub fn verify(&self, message: &[u8], signature: &str) -> bool {
        let Some(bytes) = unhex(signature).and_then(|b| <[u8; 64]>::try_from(b).ok()) else {
            return false;
        };
        let key: VerifyingKey = self.signing.verifying_key();
        key.verify(message, &ed25519_dalek::Signature::from_bytes(&bytes))
            .is_ok()
    }
}

#[cfg(unix)]
pub(crate) fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
pub(crate) fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_text_opens_with_its_key_only() {
        let k = Keys::random();
        let sealed = k.seal("https://portal/reset-password?token=abc");
        assert!(Keys::is_sealed(&sealed));
        assert!(!sealed.contains("token"));
        assert_ne!(sealed, k.seal("https://portal/reset-password?token=abc"));
        assert_eq!(
            k.open(&sealed).as_deref(),
            Some("https://portal/reset-password?token=abc")
        );
        assert_eq!(Keys::random().open(&sealed), None);
        assert_eq!(k.open("plain").as_deref(), Some("plain"));
        let mut altered = sealed.clone();
        altered.pop();
        assert_eq!(k.open(&altered), None);
    }

    #[test]
    fn signatures_verify_with_the_same_key_only() {
        let k = Keys::from_master([7; 32]);
        let sig = k.sign(b"head 42");
        assert!(k.verify(b"head 42", &sig));
        assert!(!k.verify(b"head 43", &sig));
        assert!(!Keys::random().verify(b"head 42", &sig));
        assert_eq!(Keys::from_master([7; 32]).public_key(), k.public_key());
        let tag = k.mac(b"/login?__err=x");
        assert!(k.mac_ok(b"/login?__err=x", &tag));
        assert!(!k.mac_ok(b"/login?__err=y", &tag));
        assert!(!Keys::random().mac_ok(b"/login?__err=x", &tag));
        assert!(!k.mac_ok(b"/login?__err=x", &tag[..10]));
        assert!(!k.mac_ok(b"/login?__err=x", ""));
    }

    #[test]
    fn a_key_file_is_made_once_and_read_back() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("sub/certportal.key");
        let a = Keys::load(None, &file).expect("made");
        let b = Keys::load(None, &file).expect("read");
        assert_eq!(a.public_key(), b.public_key());
        let given = hex([1u8; 32]);
        assert_eq!(
            Keys::load(Some(&given), &file).expect("given").public_key(),
            Keys::from_master([1; 32]).public_key()
        );
        assert!(Keys::load(Some("abc"), &file).is_err());
    }
}
