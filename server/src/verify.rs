//! The public side of certificates: "Kontrollera en PDF" (a form post without sign-in), the
//! JSON verification API for employers' and authorities' systems, and the rate limit on every
//! public verification address (in each server's memory: a deployment of several servers
//! allows each address that many per server).

use crate::router::ServerState;
use app::auth::request::Ctx;
use app::certificates::model::{PdfVerdict, PublicCertificate};
use app::certificates::verify::PDF_MAX_MB;
use axum::Router;
use axum::extract::{Multipart, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

/// The public addresses' limits per client address: page views and API calls, and PDF checks.
pub struct Limits {
    views: Option<DefaultKeyedRateLimiter<IpAddr>>,
    checks: DefaultKeyedRateLimiter<IpAddr>,
}

/// PDF checks per client address and minute.
const CHECKS_PER_MINUTE: u32 = 10;

impl Limits {
    /// `per_minute` views per address; 0 for none.
    pub fn new(per_minute: u32) -> Arc<Limits> {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN));
        Arc::new(Limits {
            views: (per_minute > 0).then(|| RateLimiter::keyed(quota(per_minute))),
            checks: RateLimiter::keyed(quota(CHECKS_PER_MINUTE)),
        })
    }
}

fn allowed(limiter: &DefaultKeyedRateLimiter<IpAddr>, ip: IpAddr) -> bool {
    // Addresses not seen for a while are forgotten, so the table does not grow without end.
    if limiter.len() > 100_000 {
        limiter.retain_recent();
    }
    limiter.check_key(&ip).is_ok()
}

/// 429: plain words for the API, a page with a way back for a browser.
fn too_many(api: bool) -> Response {
    const WORDS: &str = "För många förfrågningar. Försök igen om en stund. / Too many requests. Try again in a while.";
    let retry = [(header::RETRY_AFTER, "60")];
    if api {
        return (StatusCode::TOO_MANY_REQUESTS, retry, WORDS).into_response();
    }
    (
        StatusCode::TOO_MANY_REQUESTS,
        retry,
        axum::response::Html(format!(
            "<!doctype html><html lang=\"sv\"><meta charset=\"utf-8\"><meta name=\"viewport\" \
             content=\"width=device-width\"><title>429</title><p>{WORDS}</p>\
             <p><a href=\"/verify\">Kontrollera certifikat / Verify a certificate</a></p></html>"
        )),
    )
        .into_response()
}

/// Whether a path is one of the public verification addresses.
fn public(path: &str) -> bool {
    // `/register/` is the same page as `/register`.
    let path = match path.trim_end_matches('/') {
        "" => "/",
        trimmed => trimmed,
    };
    path == "/verify"
        || path == "/register"
        || path == "/issuer"
        || path == "/.well-known/jwks.json"
        || [
            "/verify/",
            "/api/verify/",
            "/api/v1/",
            "/credentials/",
            "/issuer/",
        ]
        .iter()
        .any(|p| path.starts_with(p))
}

/// A few seconds' memory of what anyone gets from a certificate's public page and its API
/// answer, and from the start page, without a session: the page a QR code brings crowds to is
/// made once per interval, not once per visitor. Each server keeps its own; a status change shows everywhere within the
/// interval (and at once to staff, who are signed in).
pub struct Answers {
    ttl: std::time::Duration,
    kept: std::sync::Mutex<Memory>,
}

/// The kept answers by key, and their bodies' bytes in all.
#[derive(Default)]
struct Memory {
    answers: std::collections::HashMap<String, Kept>,
    bytes: usize,
}

struct Kept {
    at: std::time::Instant,
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
}

/// The most answers kept at once, and their most bytes; beyond either the memory starts over.
const ANSWERS_MAX: usize = 10_000;
const ANSWERS_BYTES: usize = 32 << 20;
/// The longest address whose answer is kept (a certificate's number is short; a long address is
/// made each time, so it cannot fill the memory).
const PATH_MAX: usize = 128;
/// The largest answer kept.
const ANSWER_BYTES: usize = 256 << 10;

impl Answers {
    pub fn new(seconds: u32) -> Arc<Answers> {
        Arc::new(Answers {
            ttl: std::time::Duration::from_secs(u64::from(seconds)),
            kept: Default::default(),
        })
    }
}

/// Serves the start page, a certificate's page or API answer from [`Answers`] while it is
/// fresh: only a plain GET, by someone without a session, of an address without a query (a PDF
/// check's verdict is the browser's own), in the language the browser chose.
async fn remembered(state: &ServerState, req: Request, next: Next) -> Response {
    let answers = &state.answers;
    let path = req.uri().path();
    let config = &state.app.config;
    let cacheable = !answers.ttl.is_zero()
        && req.method() == axum::http::Method::GET
        && req.uri().query().is_none()
        && path.len() <= PATH_MAX
        && (path == "/"
            || path.starts_with("/verify/")
            || path.starts_with("/api/v1/certificates/"))
        && app::auth::session::token_from_headers(config, req.headers()).is_none();
    if !cacheable {
        return next.run(req).await;
    }
    // Keyed by what the answer is made of, not by the headers' text: the language the page is
    // written in, and the encoding the compression layer gives this client.
    let language = app::i18n::Locale::from_headers(req.headers()).unwrap_or_default();
    let encoding = chosen_encoding(req.headers());
    let key = format!("{path}|{}|{encoding}", language.code());
    if let Some(k) = answers.kept.lock().ok().and_then(|kept| {
        kept.answers
            .get(&key)
            .filter(|k| k.at.elapsed() < answers.ttl)
            .map(|k| (k.status, k.headers.clone(), k.body.clone()))
    }) {
        let mut res = Response::new(axum::body::Body::from(k.2));
        *res.status_mut() = k.0;
        *res.headers_mut() = k.1;
        return res;
    }
    let res = next.run(req).await;
    let sent_encoding = res
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity");
    if !(res.status() == StatusCode::OK || res.status() == StatusCode::NOT_FOUND)
        || res.headers().contains_key(header::SET_COOKIE)
        || !(sent_encoding == encoding || sent_encoding == "identity")
    {
        return res;
    }
    let (parts, body) = res.into_parts();
    let mut headers = parts.headers.clone();
    // Each request's own id is not handed to the next.
    headers.remove("x-request-id");
    let Ok(bytes) = axum::body::to_bytes(body, ANSWER_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(mut kept) = answers.kept.lock() {
        let size = key.len() + bytes.len();
        if kept.answers.len() >= ANSWERS_MAX || kept.bytes + size > ANSWERS_BYTES {
            *kept = Memory::default();
        }
        kept.bytes += size;
        let old = kept.answers.insert(
            key.clone(),
            Kept {
                at: std::time::Instant::now(),
                status: parts.status,
                headers,
                body: bytes.clone(),
            },
        );
        kept.bytes -= old.map_or(0, |k| key.len() + k.body.len());
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The encoding the compression layer gives a client: of the two it speaks and `identity`, the
/// one the client's `Accept-Encoding` headers rate highest (brotli, then gzip, on a tie), or
/// none. An answer is kept only when the layer chose the same, or sent it as it was (a small
/// one), which any client takes; where the two read a header differently, that guard keeps the
/// answer out.
fn chosen_encoding(headers: &axum::http::HeaderMap) -> &'static str {
    let mut best = ("identity", 0.0f32);
    let offers = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','));
    for offer in offers {
        let (coding, params) = offer.split_once(';').unwrap_or((offer, ""));
        let coding = match coding.trim().to_ascii_lowercase().as_str() {
            "br" => "br",
            "gzip" | "x-gzip" => "gzip",
            "identity" => "identity",
            _ => continue,
        };
        let q = params
            .split(';')
            .map(str::trim)
            .find_map(|p| p.strip_prefix("q=").or_else(|| p.strip_prefix("Q=")))
            .map_or(1.0, |q| q.trim().parse::<f32>().unwrap_or(0.0));
        let rank = |c: &str| match c {
            "br" => 2,
            "gzip" => 1,
            _ => 0,
        };
        if q > best.1 || (q == best.1 && q > 0.0 && rank(coding) > rank(best.0)) {
            best = (coding, q);
        }
    }
    best.0
}

/// The public addresses: their limit per client address, then [`remembered`] answers. One
/// middleware, since anyone's kept answers come back from here without the layers inside.
pub async fn public_gate(State(state): State<ServerState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if public(path) {
        let ip = req
            .extensions()
            .get::<app::auth::request::ClientIp>()
            .map(|c| c.0);
        let limits = &state.limits;
        let limiter = if path == "/verify/check" {
            Some(&limits.checks)
        } else {
            limits.views.as_ref()
        };
        if let (Some(limiter), Some(ip)) = (limiter, ip)
            && !allowed(limiter, ip)
        {
            return too_many(path.starts_with("/api/"));
        }
        return remembered(&state, req, next).await;
    }
    // The start page is the same for every visitor without a session: kept too, unlimited.
    if path == "/" {
        return remembered(&state, req, next).await;
    }
    next.run(req).await
}

pub fn routes() -> Router<ServerState> {
    Router::new()
        // A PDF of at most PDF_MAX_MB, and the form around it.
        .route(
            "/verify/check",
            post(check).layer(axum::extract::DefaultBodyLimit::max((PDF_MAX_MB + 1) << 20)),
        )
        .route("/api/v1/certificates/{number}", get(api_certificate))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/certificates/{id}/credential", get(credential))
        .route("/issuer", get(issuer))
        .route("/issuer/keys/{kid}", get(issuer_key))
        .route("/.well-known/jwks.json", get(jwks))
        .route("/credentials/status/{purpose}", get(status_list))
}

fn json_response(value: serde_json::Value, cache: &'static str) -> Response {
    ([(header::CACHE_CONTROL, cache)], axum::Json(value)).into_response()
}

/// The holder's certificate as an Open Badges 3.0 credential (VC-JWT): for whoever may read the
/// certificate's page.
async fn credential(cx: Ctx, Path(id): Path<String>) -> Response {
    let path = format!("/certificates/{id}/credential");
    let user = match crate::router::user_or_refuse(&cx, &path).await {
        Ok(user) => user,
        Err(app::error::AppError::Unauthorized) => return Redirect::to("/login").into_response(),
        Err(e) => return e.into_response(),
    };
    // The holder's own, and only while it is valid: a credential made now must not outlive
    // what the certificate is.
    let made = match app::certificates::service::view(&cx.state, &user, &id, 1).await {
        Ok(view) if !view.own => Err(app::error::AppError::Forbidden),
        Ok(view) if !view.shareable() => Err(app::error::AppError::Conflict),
        Ok(view) => app::certificates::badge::credential(&cx.state, &id)
            .await
            .map(|jwt| (view.certificate.number, jwt)),
        Err(e) => Err(e),
    };
    match made {
        Ok((number, jwt)) => (
            [
                (header::CONTENT_TYPE, "application/vc+jwt".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"open-badge-{}.jwt\"",
                        number.replace(|c: char| !c.is_ascii_alphanumeric(), "")
                    ),
                ),
            ],
            jwt,
        )
            .into_response(),
        Err(e) => {
            cx.log_refusal(&e, &path).await;
            e.into_response()
        }
    }
}

async fn issuer(State(state): State<ServerState>) -> Response {
    json_response(
        app::certificates::badge::issuer_profile(&state.app),
        "public, max-age=3600",
    )
}

async fn issuer_key(State(state): State<ServerState>, Path(kid): Path<String>) -> Response {
    if kid != state.app.config.seal.thumbprint() {
        return StatusCode::NOT_FOUND.into_response();
    }
    json_response(
        app::certificates::badge::jwk(&state.app),
        "public, max-age=3600",
    )
}

async fn jwks(State(state): State<ServerState>) -> Response {
    json_response(
        app::certificates::badge::jwks(&state.app),
        "public, max-age=3600",
    )
}

/// A status list as it is now (signed), briefly cacheable: revoking or suspending a
/// certificate flips its bit in the next answer.
async fn status_list(State(state): State<ServerState>, Path(purpose): Path<String>) -> Response {
    let Some(purpose) = app::certificates::badge::Purpose::parse(&purpose) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match app::certificates::badge::status_list(&state.app, purpose).await {
        Ok(jwt) => (
            [
                (header::CONTENT_TYPE, "application/vc+jwt"),
                (header::CACHE_CONTROL, "public, max-age=60"),
            ],
            jwt,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// The PDF from the form, at most [`PDF_MAX_MB`].
async fn read_pdf(mut multipart: Multipart) -> Result<Vec<u8>, PdfVerdict> {
    let max = PDF_MAX_MB << 20;
    while let Ok(Some(mut field)) = multipart.next_field().await {
        if field.name() != Some("file") {
            continue;
        }
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if bytes.len() + chunk.len() > max {
                        return Err(PdfVerdict::TooLarge);
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(PdfVerdict::TooLarge);
                }
                Err(_) => return Err(PdfVerdict::Missing),
            }
        }
        return if bytes.is_empty() {
            Err(PdfVerdict::Missing)
        } else {
            Ok(bytes)
        };
    }
    Err(PdfVerdict::Missing)
}

/// "Kontrollera en PDF": the verdict is kept for this browser (an hour) and the page shows it:
/// the certificate's own page when the PDF is ours and known, else the search page.
async fn check(cx: Ctx, headers: axum::http::HeaderMap, multipart: Multipart) -> Response {
    let verdict = match read_pdf(multipart).await {
        Ok(pdf) => match app::certificates::verification::check_pdf(&cx.state, &pdf, |digest| {
            app::training::service::statement_verdict(&cx.state, digest)
        })
        .await
        {
            Ok(v) => v,
            Err(e) => return e.into_response(),
        },
        Err(v) => v,
    };
    let config = &cx.state.config;
    let cookie_name = config.cookie_name(app::flash::COOKIE);
    let known = app::cookie::value(&headers, &cookie_name);
    let key = known.clone().unwrap_or_else(app::flash::new_browser_key);
    let payload = serde_json::to_string(&verdict).unwrap_or_default();
    let id = match app::flash::keep(&cx.state.db, &cx.state.clock, &payload, &key).await {
        Ok(id) => id,
        Err(e) => return app::error::AppError::from(e).into_response(),
    };
    let to = match &verdict {
        PdfVerdict::Genuine { number, .. } => format!(
            "/verify/{}?checked={id}",
            app::ui::format::encode_component(number)
        ),
        PdfVerdict::CourseStatement { code, .. } => format!(
            "/verify/course/{}?checked={id}",
            app::ui::format::encode_component(code)
        ),
        _ => format!("/verify?checked={id}#pdf"),
    };
    let mut res = Redirect::to(&to).into_response();
    if known.is_none()
        && let Ok(value) = HeaderValue::from_str(&format!(
            "{cookie_name}={key}; HttpOnly; {}",
            config.cookie_attributes()
        ))
    {
        res.headers_mut().append(header::SET_COOKIE, value);
    }
    res
}

/// The API's answer for a certificate: the verification page's facts, with codes for machines.
fn api_json(c: &PublicCertificate, url: &str) -> serde_json::Value {
    use app::certificates::model::{PublicChange, Status};
    let history: Vec<serde_json::Value> = c
        .history
        .iter()
        .map(|e| {
            let mut entry = serde_json::json!({ "on": e.on });
            let (kind, extra) = match &e.change {
                PublicChange::Issued => ("issued", None),
                PublicChange::Extended { to } => ("extended", Some(("to", to))),
                PublicChange::Reported { to } => ("reported", Some(("to", to))),
                PublicChange::Renewed { number } => ("renewed", Some(("number", number))),
                PublicChange::Inactive => ("inactive", None),
                PublicChange::Expired => ("expired", None),
                PublicChange::Suspended { reason } => ("suspended", Some(("reason", reason))),
                PublicChange::Reinstated => ("reinstated", None),
                PublicChange::Revoked { reason } => ("revoked", Some(("reason", reason))),
            };
            entry["kind"] = kind.into();
            if let Some((k, v)) = extra {
                entry[k] = v.as_str().into();
            }
            entry
        })
        .collect();
    let named = |n: &app::i18n::Named| serde_json::json!({ "sv": n.sv, "en": if n.en.is_empty() { &n.sv } else { &n.en } });
    serde_json::json!({
        "number": c.number,
        "status": c.status.code(),
        "valid_now": c.status == Status::Active,
        "reason": c.reason,
        "technical_area": named(&c.technical_area),
        "scheme": named(&c.scheme),
        "issued_on": c.issued_on,
        "valid_until": c.valid_until,
        "extend_by": c.extend_by,
        "holder": c.holder,
        "history": history,
        "verification_url": url,
    })
}

/// `GET /api/v1/certificates/{number}`: JSON, cached a minute.
async fn api_certificate(cx: Ctx, Path(number): Path<String>) -> Response {
    let cache = [(header::CACHE_CONTROL, "public, max-age=60")];
    match app::certificates::verification::public(&cx.state, number.trim()).await {
        Ok(Some(c)) => {
            let url = app::certificates::verification::verify_url(&cx.state, &c.number);
            (cache, axum::Json(api_json(&c, &url))).into_response()
        }
        Ok(None) => (
            StatusCode::NOT_FOUND,
            cache,
            axum::Json(serde_json::json!({ "error": "not_found" })),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

async fn openapi() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../openapi.json"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offered(values: &[&str]) -> &'static str {
        let mut headers = axum::http::HeaderMap::new();
        for v in values {
            headers.append(header::ACCEPT_ENCODING, v.parse().expect("value"));
        }
        chosen_encoding(&headers)
    }

    #[test]
    fn the_encoding_is_the_one_the_client_rates_highest_of_those_spoken() {
        assert_eq!(offered(&[]), "identity");
        assert_eq!(offered(&["gzip, deflate, br, zstd"]), "br");
        assert_eq!(offered(&["gzip;q=1, br;q=0.5"]), "gzip");
        assert_eq!(offered(&["", "gzip"]), "gzip");
        assert_eq!(offered(&["br;q=0, gzip;q=0"]), "identity");
        assert_eq!(offered(&["identity;q=1, x-custom;q=0.9"]), "identity");
        assert_eq!(offered(&["GZIP; q=0.8"]), "gzip");
        // A refusal in capitals is a refusal; identity rated first is no compression.
        assert_eq!(offered(&["gzip;Q=0"]), "identity");
        assert_eq!(offered(&["br;Q=0, gzip"]), "gzip");
        assert_eq!(offered(&["identity;q=1, br;q=0.5"]), "identity");
        assert_eq!(offered(&["x-gzip"]), "gzip");
    }
}
