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

fn error(status: StatusCode, code: &str, details: &str) -> Response {
    (
        status,
        Json(ErrorResponse {
            error_code: code.to_owned(),
            details: details.to_owned(),
        }),
    )
        .into_response()
}

fn invalid(details: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        error_code::INVALID_PARAMETERS,
        details,
    )
}

/// A JSON body, refused as BankID refuses a wrong content type or malformed JSON.
struct ApiJson<T>(T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Response> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !json {
            return Err(error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                error_code::UNSUPPORTED_MEDIA_TYPE,
                "Content-Type must be application/json",
            ));
        }
        let body = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        serde_json::from_slice(&body)
            .map(ApiJson)
            .map_err(|e| invalid(&format!("Invalid JSON: {e}")))
    }
}

fn valid_pnr(p: &str) -> bool {
    p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit())
}

async fn sign(State(sim): State<Simulator>, ApiJson(r): ApiJson<SignRequest>) -> Response {
    if r.end_user_ip.parse::<std::net::IpAddr>().is_err() {
        return invalid("Invalid endUserIp");
    }
    if r.user_visible_data.is_empty() || r.user_visible_data.len() > crate::MAX_USER_VISIBLE_DATA {
        return invalid("Invalid userVisibleData");
    }
    let Some(text) = unb64(&r.user_visible_data).and_then(|b| String::from_utf8(b).ok()) else {
        return invalid("Invalid userVisibleData");
    };
    if let Some(fmt) = &r.user_visible_data_format
        && fmt != "plaintext"
        && fmt != "simpleMarkdownV1"
    {
        return invalid("Invalid userVisibleDataFormat");
    }
    if r.user_non_visible_data
        .as_deref()
        .is_some_and(|d| unb64(d).is_none())
    {
        return invalid("Invalid userNonVisibleData");
    }
    let pnr = r
        .requirement
        .as_ref()
        .and_then(|q| q.personal_number.clone());
    if pnr.as_deref().is_some_and(|p| !valid_pnr(p)) {
        return invalid("Invalid requirement.personalNumber");
    }
    if let Some(url) = &r.return_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        return invalid("Invalid returnUrl");
    }
    let mut orders = sim.lock();
    sim.expire(&mut orders);
    // A second order for a person with one pending: both are stopped, as BankID does.
    if let Some(p) = &pnr {
        let mut clash = false;
        for o in orders.values_mut() {
            if matches!(o.state, State_::Pending(_)) && o.personal_number.as_ref() == Some(p) {
                o.state = State_::Failed(hint::CANCELLED);
                clash = true;
            }
        }
        if clash {
            return error(
                StatusCode::BAD_REQUEST,
                error_code::ALREADY_IN_PROGRESS,
                "Order already in progress for pno",
            );
        }
    }
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let order = Order {
        order_ref: token(),
        app_id: token(),
        auto_start_token: token(),
        qr_start_token: token(),
        qr_start_secret: hex::encode(secret),
        personal_number: pnr,
        text,
        non_visible: r.user_non_visible_data,
        return_url: r.return_url,
        end_user_ip: r.end_user_ip,
        created: Instant::now(),
        autostarted: false,
        state: State_::Pending(hint::OUTSTANDING_TRANSACTION),
    };
    let answer = OrderResponse {
        order_ref: order.order_ref.clone(),
        auto_start_token: order.auto_start_token.clone(),
        qr_start_token: order.qr_start_token.clone(),
        qr_start_secret: order.qr_start_secret.clone(),
    };
    orders.insert(order.order_ref.clone(), order);
    Json(answer).into_response()
}

async fn collect(State(sim): State<Simulator>, ApiJson(r): ApiJson<OrderRef>) -> Response {
    let mut orders = sim.lock();
    sim.expire(&mut orders);
    let Some(o) = orders.get(&r.order_ref) else {
        return invalid("No such order");
    };
    let (status, hint_code, completion_data) = match &o.state {
        State_::Pending(h) => (Status::Pending, Some(h.to_string()), None),
        State_::Failed(h) => (Status::Failed, Some(h.to_string()), None),
        State_::Complete(c) => (Status::Complete, None, Some((**c).clone())),
    };
    Json(CollectResponse {
        order_ref: o.order_ref.clone(),
        status,
        hint_code,
        completion_data,
    })
    .into_response()
}

async fn cancel(State(sim): State<Simulator>, ApiJson(r): ApiJson<OrderRef>) -> Response {
    let mut orders = sim.lock();
    match orders.get(&r.order_ref) {
        Some(o) if matches!(o.state, State_::Pending(_)) => {
            orders.remove(&r.order_ref);
            Json(serde_json::json!({})).into_response()
        }
        _ => invalid("No such order"),
    }
}

/// The relying-party API: serve it with `serve_tls` so callers need a client certificate.
pub fn api_router(sim: Simulator) -> Router {
    let wrong_method = || async {
        error(
            StatusCode::METHOD_NOT_ALLOWED,
            error_code::METHOD_NOT_ALLOWED,
            "Use POST",
        )
    };
    Router::new()
        .route("/rp/v6.0/sign", post(sign).get(wrong_method))
        .route("/rp/v6.0/collect", post(collect).get(wrong_method))
        .route("/rp/v6.0/cancel", post(cancel).get(wrong_method))
        .fallback(|| async { error(StatusCode::NOT_FOUND, error_code::NOT_FOUND, "Not found") })
        .with_state(sim)
}

// ---- the app: where a tester signs ----

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:34rem;margin:0 auto;padding:1rem;\
    line-height:1.5}label{display:block;font-weight:600;margin-top:1rem}input{font-size:1.1rem;\
    padding:.5rem;width:100%;box-sizing:border-box}button{font-size:1.1rem;padding:.6rem 1.2rem;\
    margin:1rem .5rem 0 0}pre{white-space:pre-wrap;background:#f3f2f1;padding:1rem}\
    .error{color:#b00;font-weight:600}header{background:#193e72;color:#fff;padding:.5rem 1rem;\
    margin:-1rem -1rem 1rem}";

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html lang=\"sv\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head><body>\
         <header>BankID-simulator (test)</header><h1>{title}</h1>{body}</body></html>"
    ))
}

#[derive(serde::Deserialize)]
struct AppQuery {
    autostarttoken: Option<String>,
}

/// The app started: by the same-device link (`?autostarttoken=`) it goes to that order; with
/// no token it asks for a QR code's content and lists the pending orders.
async fn app(State(sim): State<Simulator>, Query(q): Query<AppQuery>) -> Response {
    let mut orders = sim.lock();
    sim.expire(&mut orders);
    if let Some(t) = q.autostarttoken.filter(|t| !t.is_empty()) {
        let Some(o) = orders.values_mut().find(|o| o.auto_start_token == t) else {
            return page(
                "Okänd order",
                "<p class=\"error\">Ingen order med den starttoken.</p>",
            )
            .into_response();
        };
        o.autostarted = true;
        return Redirect::to(&format!("/app/order/{}", o.app_id)).into_response();
    }
    let pending: String = orders
        .values()
        .filter(|o| matches!(o.state, State_::Pending(_)))
        .map(|o| {
            format!(
                "<li><a href=\"/app/order/{}\">{}</a></li>",
                o.app_id,
                escape(o.text.lines().next().unwrap_or_default())
            )
        })
        .collect();
    page(
        "Skanna QR-kod",
        &format!(
            "<form method=\"post\" action=\"/app/scan\"><label for=\"qr\">QR-kodens innehåll</label>\
             <input id=\"qr\" name=\"qr\" autocomplete=\"off\" required>\
             <button type=\"submit\">Läs av</button></form>\
             <h2>Pågående order</h2><ul>{pending}</ul>"
        ),
    )
    .into_response()
}

#[derive(serde::Deserialize)]
struct Scan {
    qr: String,
}

/// Reading a QR code: `bankid.<qrStartToken>.<seconds>.<qrAuthCode>`, checked as BankID does.
async fn scan(State(sim): State<Simulator>, Form(f): Form<Scan>) -> Response {
    let parts: Vec<&str> = f.qr.trim().split('.').collect();
    let bad = || {
        page("Ogiltig QR-kod", "<p class=\"error\">QR-koden kunde inte läsas.</p><p><a href=\"/app\">Försök igen</a></p>").into_response()
    };
    let [prefix, token, secs, code] = parts.as_slice() else {
        return bad();
    };
    let Ok(secs) = secs.parse::<u64>() else {
        return bad();
    };
    let mut orders = sim.lock();
    sim.expire(&mut orders);
    let Some(o) = orders.values_mut().find(|o| o.qr_start_token == *token) else {
        return bad();
    };
    let age = o.created.elapsed().as_secs();
    let fresh = secs <= age + 1 && age - secs.min(age) <= sim.settings.qr_tolerance_secs;
    if *prefix != "bankid" || qr_auth_code(&o.qr_start_secret, secs) != *code || !fresh {
        return bad();
    }
    Redirect::to(&format!("/app/order/{}", o.app_id)).into_response()
}

/// The order as the app shows it: what is to be signed, and who signs.
async fn order(State(sim): State<Simulator>, Path(app_id): Path<String>) -> Response {
    let mut orders = sim.lock();
    sim.expire(&mut orders);
    let Some(o) = orders.values_mut().find(|o| o.app_id == app_id) else {
        return page("Okänd order", "<p class=\"error\">Ordern finns inte.</p>").into_response();
    };
    match o.state {
        State_::Pending(_) => {
            o.state = State_::Pending(hint::USER_SIGN);
            order_form(o, "")
        }
        State_::Failed(h) => page(
            "Ordern är avslutad",
            &format!("<p class=\"error\">Ordern misslyckades: {h}.</p>"),
        )
        .into_response(),
        State_::Complete(_) => {
            page("Klart", "<p>Ordern är redan underskriven.</p>").into_response()
        }
    }
}

fn order_form(o: &Order, error: &str) -> Response {
    let required = o
        .personal_number
        .as_ref()
        .map(|p| format!("<p>Kräver BankID för personnummer {p}.</p>"))
        .unwrap_or_default();
    let error = if error.is_empty() {
        String::new()
    } else {
        format!("<p class=\"error\" role=\"alert\">{}</p>", escape(error))
    };
    page(
        "Skriv under",
        &format!(
            "{error}<pre data-testid=\"visible-data\">{}</pre>{required}\
             <form method=\"post\" action=\"/app/order/{id}/sign\">\
             <label for=\"pnr\">Personnummer (ditt BankID)</label>\
             <input id=\"pnr\" name=\"personal_number\" inputmode=\"numeric\" required>\
             <label for=\"name\">Namn</label><input id=\"name\" name=\"name\" required>\
             <button type=\"submit\">Skriv under</button></form>\
             <form method=\"post\" action=\"/app/order/{id}/cancel\">\
             <button type=\"submit\">Avbryt</button></form>",
            escape(&o.text),
            id = o.app_id
        ),
    )
    .into_response()
}

#[derive(serde::Deserialize)]
struct SignForm {
    personal_number: String,
    name: String,
}

/// Where the app goes when done: back to the relying party's page when it was started there.
fn finish(o: &Order, title: &str, text: &str) -> Response {
    match (&o.return_url, o.autostarted) {
        (Some(url), true) => Redirect::to(url).into_response(),
        _ => page(title, &format!("<p>{text}</p>")).into_response(),
    }
}

async fn approve(
    State(sim): State<Simulator>,
    Path(app_id): Path<String>,
    Form(f): Form<SignForm>,
) -> Response {
    let mut orders = sim.lock();
    sim.expire(&mut orders);
    let Some(o) = orders.values_mut().find(|o| o.app_id == app_id) else {
        return page("Okänd order", "<p class=\"error\">Ordern finns inte.</p>").into_response();
    };
    if !matches!(o.state, State_::Pending(_)) {
        return page(
            "Ordern är avslutad",
            "<p class=\"error\">Ordern går inte längre att skriva under.</p>",
        )
        .into_response();
    }
    let pnr: String = f
        .personal_number
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let name = f.name.trim();
    if !valid_pnr(&pnr) || name.is_empty() {
        return order_form(o, "Ange personnummer med tolv siffror och namn.");
    }
    if o.personal_number.as_ref().is_some_and(|p| *p != pnr) {
        // The app finds no BankID that meets the order's requirement.
        o.state = State_::Pending(hint::STARTED);
        return order_form(
            o,
            "Det finns inget BankID för det personnumret som ordern kräver.",
        );
    }
    let (given, surname) = name.split_once(' ').unwrap_or((name, ""));
    let user = User {
        personal_number: pnr,
        name: name.to_owned(),
        given_name: given.to_owned(),
        surname: surname.trim().to_owned(),
    };
    let data = sim.complete(o, user);
    o.state = State_::Complete(Box::new(data));
    finish(
        o,
        "Klart",
        "Underskriften är klar. Gå tillbaka till webbplatsen.",
    )
}

async fn decline(State(sim): State<Simulator>, Path(app_id): Path<String>) -> Response {
    let mut orders = sim.lock();
    let Some(o) = orders.values_mut().find(|o| o.app_id == app_id) else {
        return page("Okänd order", "<p class=\"error\">Ordern finns inte.</p>").into_response();
    };
    if matches!(o.state, State_::Pending(_)) {
        o.state = State_::Failed(hint::USER_CANCEL);
    }
    finish(o, "Avbrutet", "Du avbröt underskriften.")
}

/// The tester's "app": plain HTTP, since a browser has no client certificate.
pub fn app_router(sim: Simulator) -> Router {
    Router::new()
        .route("/app", get(app))
        .route("/app/scan", post(scan))
        .route("/app/order/{id}", get(order))
        .route("/app/order/{id}/sign", post(approve))
        .route("/app/order/{id}/cancel", post(decline))
        .with_state(sim)
}

// ---- TLS ----

/// A CA, a server certificate it issued for 127.0.0.1 and localhost, and a client certificate
/// it issued for the relying party: all PEM.
pub struct Pki {
    pub ca_pem: String,
    pub server_cert_pem: String,
    pub server_key_pem: String,
    /// The relying party's certificate followed by its key.
    pub client_identity_pem: String,
}

impl Pki {
    pub fn generate() -> Result<Pki, rcgen::Error> {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
        let ca_key = KeyPair::generate()?;
        let mut ca = CertificateParams::new(Vec::<String>::new())?;
        ca.distinguished_name
            .push(DnType::CommonName, "certportal BankID simulator CA");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca_cert = ca.self_signed(&ca_key)?;

        let server_key = KeyPair::generate()?;
        let mut server = CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()])?;
        server
            .distinguished_name
            .push(DnType::CommonName, "appapi2.simulator.localhost");
        let server_cert = server.signed_by(&server_key, &ca_cert, &ca_key)?;

        let client_key = KeyPair::generate()?;
        let mut client = CertificateParams::new(Vec::<String>::new())?;
        client
            .distinguished_name
            .push(DnType::CommonName, "certportal relying party");
        client.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth];
        let client_cert = client.signed_by(&client_key, &ca_cert, &ca_key)?;

        Ok(Pki {
            ca_pem: ca_cert.pem(),
            server_cert_pem: server_cert.pem(),
            server_key_pem: server_key.serialize_pem(),
            client_identity_pem: format!("{}{}", client_cert.pem(), client_key.serialize_pem()),
        })
    }

    /// A TLS server configuration that asks every caller for a certificate this CA issued.
    pub fn server_config(&self) -> Result<rustls::ServerConfig, String> {
        use rustls::pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut roots = rustls::RootCertStore::empty();
        for ca in CertificateDer::pem_slice_iter(self.ca_pem.as_bytes()) {
            roots
                .add(ca.map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())?;
        }
        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
            Arc::new(roots),
            provider.clone(),
        )
        .build()
        .map_err(|e| e.to_string())?;
        let certs = CertificateDer::pem_slice_iter(self.server_cert_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        let key = PrivateKeyDer::from_pem_slice(self.server_key_pem.as_bytes())
            .map_err(|e| e.to_string())?;
        rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_client_cert_verifier(verifier)
            .with_single_cert(certs, key)
            .map_err(|e| e.to_string())
    }
}

/// Serves `router` over TLS with `config` on `listener` until the task is dropped.
pub async fn serve_tls(listener: TcpListener, router: Router, config: rustls::ServerConfig) {
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let acceptor = acceptor.clone();
        let router = router.clone();
        tokio::spawn(async move {
            // A caller without an acceptable certificate ends here, in the handshake.
            let Ok(tls) = acceptor.accept(tcp).await else {
                return;
            };
            let service = hyper_util::service::TowerToHyperService::new(router);
            let _ =
                hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new())
                    .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                    .await;
        });
    }
}

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
