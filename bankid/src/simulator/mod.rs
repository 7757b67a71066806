//! A local stand-in for BankID: the relying-party API (`/rp/v6.0/sign`, `/collect`,
//! `/cancel`) over mutual TLS with the same JSON, error codes, hint codes and QR rules, and an
//! "app" page where a tester opens an order (by the same-device link or by the QR code's
//! content) and signs or declines it as a personal number of their choosing.
//!
//! What differs from BankID: the signature is an XML document signed with the simulator's own
//! ECDSA key (not XMLDSig under BankID's CA), and the OCSP response is a statement the
//! simulator signs. Both are real signatures that `verify_signature` checks.

use crate::{
    CollectResponse, CompletionData, Device, ErrorResponse, OrderRef, OrderResponse, SignRequest,
    Status, User, b64, error_code, hint, qr_auth_code, unb64,
};
use axum::extract::{Form, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use rand::RngCore;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

/// How long orders live. BankID's orders expire after a few minutes; tests shorten it.
#[derive(Clone, Debug)]
pub struct Settings {
    pub order_lifetime: Duration,
    /// How far a scanned QR code's seconds may lag behind the order's age.
    pub qr_tolerance_secs: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            order_lifetime: Duration::from_secs(180),
            qr_tolerance_secs: 10,
        }
    }
}

#[derive(Clone, Debug)]
enum State_ {
    Pending(&'static str),
    Failed(&'static str),
    Complete(Box<CompletionData>),
}

#[derive(Clone, Debug)]
struct Order {
    order_ref: String,
    app_id: String,
    auto_start_token: String,
    qr_start_token: String,
    qr_start_secret: String,
    personal_number: Option<String>,
    text: String,
    non_visible: Option<String>,
    return_url: Option<String>,
    end_user_ip: String,
    created: Instant,
    /// Opened with the same-device link (the app then returns to `return_url`).
    autostarted: bool,
    state: State_,
}

/// The simulator's orders and signing key. Cheap to clone.
#[derive(Clone)]
pub struct Simulator {
    orders: Arc<Mutex<HashMap<String, Order>>>,
    settings: Settings,
    key: Arc<ring::signature::EcdsaKeyPair>,
}

impl Simulator {
    pub fn new(settings: Settings) -> Simulator {
        let rng = ring::rand::SystemRandom::new();
        let alg = &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING;
        let pkcs8 = ring::signature::EcdsaKeyPair::generate_pkcs8(alg, &rng)
            .expect("the system's random source works");
        let key = ring::signature::EcdsaKeyPair::from_pkcs8(alg, pkcs8.as_ref(), &rng)
            .expect("a key just generated parses");
        Simulator {
            orders: Arc::default(),
            settings,
            key: Arc::new(key),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Order>> {
        self.orders.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Fails every pending order older than the lifetime with `expiredTransaction`.
    fn expire(&self, orders: &mut HashMap<String, Order>) {
        for o in orders.values_mut() {
            if matches!(o.state, State_::Pending(_))
                && o.created.elapsed() > self.settings.order_lifetime
            {
                o.state = State_::Failed(hint::EXPIRED_TRANSACTION);
            }
        }
    }

    /// The public key that signs completion data, uncompressed SEC1.
    pub fn public_key(&self) -> Vec<u8> {
        use ring::signature::KeyPair;
        self.key.public_key().as_ref().to_vec()
    }

    fn sign_bytes(&self, data: &[u8]) -> String {
        let rng = ring::rand::SystemRandom::new();
        let sig = self
            .key
            .sign(&rng, data)
            .expect("ECDSA signing with a valid key succeeds");
        b64(sig.as_ref())
    }

    fn complete(&self, o: &Order, user: User) -> CompletionData {
        let signed = format!(
            "<bankIdSignedData xmlns=\"http://www.bankid.com/signature/v1.0.0/types\">\
             <usrVisibleData charset=\"UTF-8\" visible=\"wysiwys\">{}</usrVisibleData>\
             <usrNonVisibleData>{}</usrNonVisibleData>\
             <srvInfo><name>certportal BankID simulator</name><nonce>{}</nonce></srvInfo>\
             <clientInfo><funcId>Signing</funcId><host><ipAddress>{}</ipAddress></host></clientInfo>\
             <personalNumber>{}</personalNumber><name>{}</name></bankIdSignedData>",
            b64(o.text.as_bytes()),
            o.non_visible.clone().unwrap_or_default(),
            token(),
            escape(&o.end_user_ip),
            user.personal_number,
            escape(&user.name),
        );
        let signature = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Signed>{signed}<Signature>\
             <SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256\"/>\
             <SignatureValue>{}</SignatureValue></Signature></Signed>",
            self.sign_bytes(signed.as_bytes())
        );
        let ocsp = format!(
            "OCSP certStatus=good serial={} producedAt={:?}",
            &o.order_ref,
            std::time::SystemTime::now()
        );
        let ocsp = format!("{ocsp};sig={}", self.sign_bytes(ocsp.as_bytes()));
        CompletionData {
            user,
            device: Device {
                ip_address: o.end_user_ip.clone(),
                uhi: token(),
            },
            bank_id_issue_date: "2024-01-15".to_owned(),
            signature: b64(signature.as_bytes()),
            ocsp_response: b64(ocsp.as_bytes()),
        }
    }
}

/// Checks a completion's signature against the simulator's public key: the signed part of the
/// XML and its `SignatureValue`.
pub fn verify_signature(public_key: &[u8], signature_b64: &str) -> bool {
    let Some(xml) = unb64(signature_b64).and_then(|b| String::from_utf8(b).ok()) else {
        return false;
    };
    let (Some(start), Some(end)) = (xml.find("<bankIdSignedData"), xml.find("<Signature>")) else {
        return false;
    };
    let Some(value) = xml
        .split("<SignatureValue>")
        .nth(1)
        .and_then(|s| s.split("</SignatureValue>").next())
        .and_then(unb64)
    else {
        return false;
    };
    ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_FIXED, public_key)
        .verify(&xml.as_bytes()[start..end], &value)
        .is_ok()
}

fn token() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn valid_pnr(p: &str) -> bool {
    p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit())
}

mod api;
mod app;
mod pki;

pub use api::api_router;
pub use app::app_router;
pub use pki::{Pki, serve_tls};

/// A running simulator: where its API and app are, and how a client reaches it.
pub struct Running {
    pub api_url: String,
    pub app_url: String,
    pub simulator: Simulator,
    pub pki: Pki,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Running {
    #[cfg(feature = "client")]
    pub fn client_config(&self) -> crate::client::ClientConfig {
        crate::client::ClientConfig {
            base_url: self.api_url.clone(),
            identity_pem: self.pki.client_identity_pem.clone().into_bytes(),
            ca_pem: self.pki.ca_pem.clone().into_bytes(),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Starts the API (mutual TLS) on `api_addr` and the app page (HTTP) on `app_addr`; port 0
/// picks free ports.
pub async fn start(
    settings: Settings,
    api_addr: SocketAddr,
    app_addr: SocketAddr,
) -> std::io::Result<Running> {
    let pki = Pki::generate().map_err(std::io::Error::other)?;
    let config = pki.server_config().map_err(std::io::Error::other)?;
    let simulator = Simulator::new(settings);
    let api = TcpListener::bind(api_addr).await?;
    let app = TcpListener::bind(app_addr).await?;
    let api_url = format!("https://{}", api.local_addr()?);
    let app_url = format!("http://{}/app", app.local_addr()?);
    let api_router = api_router(simulator.clone());
    let app_router = app_router(simulator.clone());
    let tasks = vec![
        tokio::spawn(serve_tls(api, api_router, config)),
        tokio::spawn(async move {
            let _ = axum::serve(app, app_router).await;
        }),
    ];
    if cfg!(debug_assertions) {
        tracing::debug!(%api_url, %app_url, "BankID simulator");
    }
    Ok(Running {
        api_url,
        app_url,
        simulator,
        pki,
        tasks,
    })
}
