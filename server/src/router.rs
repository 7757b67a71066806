//! The HTTP surface: Leptos pages and server functions, static files, and the few plain routes
//! (health, language switch, an email's HTML, a certificate's PDF), wrapped in logging, request
//! ids, the client's address, a cross-site check, compression, security and cache headers, and
//! body limits.

use app::auth::audit::{self, Kind, Record};
use app::auth::request::{ClientIp, Ctx};
use app::error::AppError;
use app::i18n::{COOKIE, Locale};
use app::state::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRef, Path, Query, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list, handle_server_fns_with_context};
use std::net::SocketAddr;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// What every route and layer shares, behind one pointer: each layer and handler takes a clone
/// per request, which is then a count, not a copy of the app's state and Leptos' options.
#[derive(Clone)]
pub struct ServerState(std::sync::Arc<Shared>);

impl std::ops::Deref for ServerState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub app: AppState,
    pub leptos: LeptosOptions,
    /// The public verification addresses' rate limits.
    pub limits: std::sync::Arc<crate::verify::Limits>,
    /// Their answers to anyone, for a few seconds.
    pub answers: std::sync::Arc<crate::verify::Answers>,
}

impl FromRef<ServerState> for AppState {
    fn from_ref(state: &ServerState) -> AppState {
        state.app.clone()
    }
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> LeptosOptions {
        state.leptos.clone()
    }
}

/// The policy of responses that are not pages (pages set their own, with a nonce).
const DEFAULT_CSP: &str = "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

/// The largest server-function call: a bulk attestation of 10,000 certificates fits.
const API_BODY_LIMIT: usize = 1024 * 1024;

pub fn leptos_options(site_root: &str, addr: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("certportal")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

pub fn router(app: AppState, leptos: LeptosOptions, body_limit: usize) -> Router {
    let upload_limit = crate::uploads::body_limit(app.config.upload_max);
    let state = ServerState(std::sync::Arc::new(Shared {
        app: app.clone(),
        leptos: leptos.clone(),
        limits: crate::verify::Limits::new(app.config.public_per_minute),
        answers: crate::verify::Answers::new(app.config.public_cache_seconds),
    }));
    let routes = generate_route_list(app::App);
    let context = {
        let app = app.clone();
        move || {
            provide_context(app.clone());
            provide_context(app::auth::request::RequestCache::default());
        }
    };
    let not_found = {
        let (context, leptos) = (context.clone(), leptos.clone());
        leptos_axum::render_app_to_stream_with_context(context, move || app::shell(leptos.clone()))
    };
    let static_files = ServeDir::new(leptos.site_root.as_ref())
        .precompressed_br()
        .precompressed_gzip()
        .not_found_service(axum::routing::any(not_found).with_state(()));

    let tls = app.config.tls();
    let hsts = tls.then(|| {
        SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        )
    });

    let api = Router::new().route("/api/{*fn_name}", get(server_fns).post(server_fns));
    // Browser tests move the portal's time; only when configured, on a loopback address.
    let api = if app.config.test_clock {
        api.route("/test/clock", axum::routing::post(move_clock))
    } else {
        api
    };

    Router::new()
        .route("/health", get(health))
        .route("/lang/{code}", get(set_language))
        .route("/outbox/{id}/html", get(outbox_html))
        .route("/certificates/{id}/pdf", get(certificate_pdf))
        .merge(crate::uploads::routes())
        .merge(crate::verify::routes())
        .merge(api)
        .leptos_routes_with_context(&state, routes, context, {
            let leptos = leptos.clone();
            move || app::shell(leptos.clone())
        })
        .fallback_service(static_files)
        .layer(middleware::from_fn(in_its_language))
        .layer(middleware::from_fn(api_requests))
        .layer(middleware::from_fn(no_nul_in_address))
        .layer(middleware::from_fn_with_state(state.clone(), kept_forms))
        .layer(middleware::from_fn_with_state(state.clone(), same_origin))
        .layer(middleware::from_fn(cache_control))
        .with_state(state.clone())
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), uri = %redacted(req.uri()), request_id = %id)
                }))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(CompressionLayer::new().br(true).gzip(true))
                .layer(middleware::from_fn(move |req: Request, next: Next| {
                    limit_body((body_limit, upload_limit), req, next)
                }))
                .layer(middleware::from_fn(deadline))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(DEFAULT_CSP),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("strict-origin-when-cross-origin"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::X_FRAME_OPTIONS,
                    HeaderValue::from_static("DENY"),
                ))
                .option_layer(hsts),
        )
        // Outermost: the client's address, the public addresses' rate limit, and the few
        // seconds' memory of anyone's answers, which then skip the rest (their headers were
        // set when they were made).
        .layer(middleware::from_fn_with_state(state.clone(), crate::verify::public_gate))
        .layer(middleware::from_fn_with_state(state, client_ip))
}

/// A path as the log may show it: the secrets and personal data that travel in addresses (an
/// attester's or an employee's link token, a reset token, a search, a refused form's id) are
/// replaced by `…`.
pub fn redacted(uri: &Uri) -> String {
    const SECRET_SEGMENT_AFTER: [&str; 3] = ["attest", "employment", "invite"];
    const SECRET_PARAMS: [&str; 6] = ["token", "q", "__err", "__kept", "next", "draft"];
    let mut parts: Vec<&str> = uri.path().split('/').collect();
    for i in 1..parts.len() {
        if SECRET_SEGMENT_AFTER.contains(&parts[i - 1]) && !parts[i].is_empty() {
            parts[i] = "…";
        }
    }
    let mut out = parts.join("/");
    if let Some(query) = uri.query() {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if SECRET_PARAMS.contains(&k) => format!("{k}=…"),
                _ => pair.to_owned(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    out
}

/// Works out the client's address once (the peer, or what our trusted proxies forwarded) and
/// puts it on the request for everything after: the throttle, sessions, the event log, BankID.
async fn client_ip(State(state): State<ServerState>, mut req: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let forwarded: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let ip = state.app.config.client_ip(peer.ip(), &forwarded);
        req.extensions_mut().insert(ClientIp(ip));
    }
    next.run(req).await
}

fn ip_of(req: &Request) -> Option<std::net::IpAddr> {
    req.extensions().get::<ClientIp>().map(|c| c.0)
}

/// Refuses a state-changing request another site's page sent: a browser says where a request
/// comes from (`Sec-Fetch-Site`, or at least `Origin`); only our own pages may post. A client
/// that is no browser sends neither, and cannot carry a victim's cookies either.
async fn same_origin(State(state): State<ServerState>, req: Request, next: Next) -> Response {
    if matches!(
        *req.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    ) {
        return next.run(req).await;
    }
    if same_site(&req, &state.app.config.origin()) {
        return next.run(req).await;
    }
    let detail = format!("{} {}", req.method(), redacted(req.uri()));
    let ip = ip_of(&req);
    drop(req);
    let r = Record {
        kind: Kind::CrossSite,
        account_id: None,
        label: "",
        ip,
        detail: &detail,
    };
    audit::record(&state.app.db, &state.app.clock, r).await;
    (
        StatusCode::FORBIDDEN,
        "A request from another site was refused.",
    )
        .into_response()
}

/// Whether a request comes from one of our own pages, as far as its browser tells.
fn same_site(req: &Request, origin_of_base: &str) -> bool {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    match (header("sec-fetch-site"), header("origin")) {
        (Some(site), _) => site == "same-origin" || site == "none",
        (None, Some(origin)) => {
            origin == origin_of_base
                || header("host").is_some_and(|host| {
                    origin
                        .split_once("://")
                        .is_some_and(|(_, authority)| authority == host)
                })
        }
        (None, None) => true,
    }
}

/// Answers each request in the language its cookie chose, which its page then reads without
/// looking it up for every text (`app::i18n::answering_in`).
async fn in_its_language(req: Request, next: Next) -> Response {
    let locale = app::i18n::Locale::from_headers(req.headers()).unwrap_or_default();
    app::i18n::answering_in(locale, next.run(req)).await
}

/// Pages and files carry personal data, so nothing is kept by a browser or a proxy unless it is
/// one of the site's own static files (WASM, JS, CSS, icons), which are revalidated.
async fn cache_control(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    if res.headers().contains_key(header::CACHE_CONTROL) {
        return res;
    }
    let asset = path.starts_with("/pkg/")
        || [".svg", ".png", ".ico", ".woff2", ".txt", ".webmanifest"]
            .iter()
            .any(|ext| path.ends_with(ext));
    let ok = res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED;
    let value = if asset && ok { "no-cache" } else { "no-store" };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

/// A form posted without JavaScript and refused comes back to its page with the error in the
/// address (Leptos' `__err`). What the user typed stays on the server instead ([`app::flash`]);
/// the address carries the messages and a random id, and the page's request gets the values
/// back before Leptos renders it. The server signs what it put in the address (`__sig`), so a
/// link from someone else cannot make a page show their words as the portal's: an unsigned
/// one leads to the page without them.
async fn kept_forms(State(state): State<ServerState>, mut req: Request, next: Next) -> Response {
    let app = &state.app;
    let refused_query = (req.method() == Method::GET)
        .then(|| req.uri().query())
        .flatten()
        .filter(|q| q.contains("__err="))
        .map(str::to_owned);
    if let Some(query) = refused_query {
        let path = req.uri().path().to_owned();
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let signed = pairs
            .iter()
            .find(|(k, _)| k == "__sig")
            .is_some_and(|(_, tag)| {
                app.config
                    .keys
                    .mac_ok(form_message(&path, &pairs).as_bytes(), tag)
            });
        if !signed {
            let rest: Vec<_> = pairs
                .into_iter()
                .filter(|(k, _)| !FORM_KEYS.contains(&k.as_str()) && k != "__sig")
                .collect();
            let to = match rest.is_empty() {
                true => path,
                false => format!("{path}?{}", encode_query(&rest)),
            };
            return Redirect::to(&to).into_response();
        }
        let kept = pairs.iter().find(|(k, _)| k == "__kept").map(|(_, v)| v);
        let browser_key =
            app::cookie::value(req.headers(), &app.config.cookie_name(app::flash::COOKIE));
        let payload = match (kept, browser_key) {
            (Some(id), Some(key)) => app::flash::get(&app.db, &app.clock, id, &key)
                .await
                .unwrap_or_default(),
            _ => None,
        };
        let values: Vec<(String, String)> = payload
            .and_then(|p| serde_json::from_str(&p).ok())
            .unwrap_or_default();
        let pairs: Vec<(String, String)> = pairs
            .into_iter()
            .filter(|(k, _)| k != "__kept" && k != "__sig")
            .map(|(k, v)| match k.as_str() {
                "__err" => (k, decode_error(&v).with_values(&values).to_address()),
                _ => (k, v),
            })
            .collect();
        let rewritten = format!("{path}?{}", encode_query(&pairs));
        if let Ok(uri) = rewritten.parse::<Uri>() {
            *req.uri_mut() = uri;
        }
        return next.run(req).await;
    }
    let server_fn = req.method() == Method::POST
        && (req.uri().path().starts_with("/api/") || crate::uploads::is_upload(req.uri().path()));
    let form_cookie = app.config.cookie_name(app::flash::COOKIE);
    let known_key = app::cookie::value(req.headers(), &form_cookie);
    let mut res = next.run(req).await;
    if !server_fn || !res.status().is_redirection() {
        return res;
    }
    let location = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .filter(|l| l.contains("__err="))
        .and_then(|l| url::Url::parse(l).ok());
    let Some(location) = location else {
        return res;
    };
    // Leptos adds its `__path` and `__err` to the page's address, which may hold those of an
    // earlier refusal: only the newest count.
    let all: Vec<(String, String)> = location.query_pairs().into_owned().collect();
    let newest = |i: usize, k: &str| !all[i + 1..].iter().any(|(later, _)| later == k);
    let mut pairs = Vec::new();
    for (i, (k, v)) in all.iter().cloned().enumerate() {
        if k == "__sig" || k == "__kept" || (FORM_KEYS.contains(&k.as_str()) && !newest(i, &k)) {
            continue;
        }
        if k != "__err" {
            pairs.push((k, v));
            continue;
        }
        let (bare, values) = decode_error(&v).take_values();
        pairs.push((k, bare.to_address()));
        if values.is_empty() {
            continue;
        }
        let payload = serde_json::to_string(&values).unwrap_or_default();
        let key = match &known_key {
            Some(key) => key.clone(),
            None => {
                let key = app::flash::new_browser_key();
                let cookie = format!(
                    "{form_cookie}={key}; HttpOnly; {}",
                    app.config.cookie_attributes()
                );
                if let Ok(value) = HeaderValue::from_str(&cookie) {
                    res.headers_mut().append(header::SET_COOKIE, value);
                }
                key
            }
        };
        match app::flash::keep(&app.db, &app.clock, &payload, &key).await {
            Ok(id) => pairs.push(("__kept".to_owned(), id)),
            Err(err) => tracing::error!(error = %err, "keeping a refused form's values"),
        }
    }
    let tag = app
        .config
        .keys
        .mac(form_message(location.path(), &pairs).as_bytes());
    pairs.push(("__sig".to_owned(), tag));
    let mut out = location;
    out.set_query(Some(&encode_query(&pairs)));
    if let Ok(value) = HeaderValue::from_str(out.as_str()) {
        res.headers_mut().insert(header::LOCATION, value);
    }
    res
}

/// What a refused form adds to its page's address.
const FORM_KEYS: [&str; 3] = ["__path", "__err", "__kept"];

/// What `__sig` vouches for: the page, and each of [`FORM_KEYS`] as the address has it.
fn form_message(path: &str, pairs: &[(String, String)]) -> String {
    let mut message = path.to_owned();
    for key in FORM_KEYS {
        for (_, v) in pairs.iter().filter(|(k, _)| k == key) {
            message.push_str(&format!("\n{key}={v}"));
        }
    }
    message
}

fn encode_query(pairs: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

fn decode_error(encoded: &str) -> AppError {
    AppError::from_address(encoded).unwrap_or(AppError::Validation(Vec::new()))
}

async fn server_fns(State(state): State<ServerState>, req: Request<Body>) -> impl IntoResponse {
    let app = state.app.clone();
    handle_server_fns_with_context(
        move || {
            provide_context(app.clone());
            provide_context(app::auth::request::RequestCache::default());
        },
        req,
    )
    .await
}

/// Server functions (which Leptos routes itself): a body of at most [`API_BODY_LIMIT`], and a
/// request whose arguments could not be read, which never reached the function, answered as
/// the caller's mistake (400, or 413 when too long) where Leptos would answer 500.
async fn api_requests(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > API_BODY_LIMIT) {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let req = req.map(|body| Body::new(http_body_util::Limited::new(body, API_BODY_LIMIT)));
    // A NUL character is nothing anyone types, and PostgreSQL refuses it in text: a body holding
    // one, raw or encoded, is refused here, the same on both databases, before any function
    // reads it, whatever type the request says its body has.
    let req = {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, API_BODY_LIMIT).await else {
            return StatusCode::PAYLOAD_TOO_LARGE.into_response();
        };
        if has_nul(&bytes) || bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
            return (StatusCode::BAD_REQUEST, "NUL in a form field").into_response();
        }
        Request::from_parts(parts, Body::from(bytes))
    };
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    if let Ok(AppError::Request(why)) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = match why.contains("length limit") {
            true => StatusCode::PAYLOAD_TOO_LARGE,
            false => StatusCode::BAD_REQUEST,
        };
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Whether form-encoded text holds a NUL character, written raw or as `%00`.
fn has_nul(text: &[u8]) -> bool {
    text.contains(&0) || text.windows(3).any(|w| w == b"%00")
}

/// Refuses an address holding a NUL character (see [`api_requests`]).
async fn no_nul_in_address(req: Request, next: Next) -> Response {
    let uri = req.uri();
    let address = [uri.path(), uri.query().unwrap_or_default()];
    if address.iter().any(|part| has_nul(part.as_bytes())) {
        return (StatusCode::BAD_REQUEST, "NUL in the address").into_response();
    }
    next.run(req).await
}

/// Up when the database answers.
async fn health(State(state): State<ServerState>) -> Response {
    match state.app.db.ping().await {
        Ok(()) => Json(serde_json::json!({ "status": "ok" })).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "health check: database");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "database unavailable" })),
            )
                .into_response()
        }
    }
}

#[derive(serde::Deserialize)]
struct Next_ {
    next: Option<String>,
}

/// Sets the language cookie and returns to the page the user was on (only ever a path on this
/// site). A signed-in account remembers the choice, so its emails follow it.
async fn set_language(cx: Ctx, Path(code): Path<String>, Query(q): Query<Next_>) -> Response {
    let Some(locale) = Locale::from_code(&code) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let config = &cx.state.config;
    let next = q
        .next
        .and_then(|n| config.local_path(&n))
        .unwrap_or_else(|| "/".to_owned());
    if let Ok(Some(user)) = cx.user().await
        && let Err(err) = app::accounts::service::set_locale(&cx.state.db, &user, locale).await
    {
        tracing::error!(error = %err, "remembering an account's language");
    }
    let cookie = format!(
        "{}={}; Max-Age=31536000; {}",
        config.cookie_name(COOKIE),
        locale.code(),
        config.cookie_attributes()
    );
    let mut response = Redirect::to(&next).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// How long a request may take: 60 seconds, and an upload (a 25 MB file over a slow line) 30
/// minutes; past it, 408.
async fn deadline(req: Request, next: Next) -> Response {
    let limit = match crate::uploads::is_upload(req.uri().path()) {
        true => Duration::from_secs(30 * 60),
        false => Duration::from_secs(60),
    };
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

/// A request's body is at most `limits.0`, an upload's at most `limits.1`: a body declared
/// longer is refused at once with 413, and one that grows past it is cut off. An upload declared
/// too long is read up to its limit, so its form can say why in words.
async fn limit_body(limits: (usize, usize), req: Request, next: Next) -> Response {
    let upload = crate::uploads::is_upload(req.uri().path());
    let limit = if upload { limits.1 } else { limits.0 };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if !upload && declared.is_some_and(|n| n > limit as u64) {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let (parts, body) = req.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

/// The signed-in user of a plain route, or the refusal (logged as a security event, like a
/// server function's).
pub(crate) async fn user_or_refuse(
    cx: &Ctx,
    path: &str,
) -> Result<app::auth::model::CurrentUser, AppError> {
    let user = cx.user().await;
    match user {
        Ok(Some(user)) => Ok(user),
        Ok(None) => {
            cx.log_refusal(&AppError::Unauthorized, path).await;
            Err(AppError::Unauthorized)
        }
        Err(e) => Err(e),
    }
}

/// "Ladda ned certifikat": for whoever may read the certificate's page.
async fn certificate_pdf(cx: Ctx, Path(id): Path<String>) -> Response {
    let path = format!("/certificates/{id}/pdf");
    let user = match user_or_refuse(&cx, &path).await {
        Ok(user) => user,
        Err(AppError::Unauthorized) => return Redirect::to("/login").into_response(),
        Err(e) => return e.into_response(),
    };
    let locale = cx.locale;
    let signed = match app::certificates::service::view(&cx.state, &user, &id, 1).await {
        Ok(view) => app::certificates::verification::signed_pdf(&cx.state, &view, locale)
            .await
            .map(|pdf| (view, pdf)),
        Err(e) => Err(e),
    };
    match signed {
        Ok((view, pdf)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"certifikat-{}.pdf\"",
                        view.certificate
                            .number
                            .replace(|c: char| !c.is_ascii_alphanumeric(), "")
                    ),
                ),
            ],
            pdf,
        )
            .into_response(),
        Err(e) => {
            cx.log_refusal(&e, &path).await;
            e.into_response()
        }
    }
}

/// An email's HTML as its recipient sees it, framed by the outbox page. It may style itself
/// inline, but runs nothing. An email that carries a secret is not shown outside development.
async fn outbox_html(cx: Ctx, Path(id): Path<String>) -> Response {
    let path = format!("/outbox/{id}/html");
    let user = match user_or_refuse(&cx, &path).await {
        Ok(user) => user,
        Err(e) => return e.into_response(),
    };
    if !user.is_staff() {
        let e = AppError::Forbidden;
        cx.log_refusal(&e, &path).await;
        return e.into_response();
    }
    match app::mail::service::get(&cx.state.db, &cx.state.config, &id).await {
        Ok(message) if message.withheld => StatusCode::FORBIDDEN.into_response(),
        Ok(message) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; \
                     sandbox allow-popups allow-popups-to-escape-sandbox",
                ),
                (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
            ],
            links_open_outside(&message.body_html),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// An email's links open in a tab of their own, as from a mail program: the pages they lead to
/// refuse to be shown in a frame.
fn links_open_outside(html: &str) -> String {
    let base = r#"<base target="_blank">"#;
    match html.find("<head>") {
        Some(i) => format!("{}{base}{}", &html[..i + 6], &html[i + 6..]),
        None => format!("{base}{html}"),
    }
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn secrets_and_searches_are_redacted_from_logged_paths() {
        let uri = |s: &str| s.parse().expect("uri");
        assert_eq!(redacted(&uri("/attest/abc123/sign")), "/attest/…/sign");
        assert_eq!(
            redacted(&uri("/reset-password?token=abc&x=1")),
            "/reset-password?token=…&x=1"
        );
        assert_eq!(
            redacted(&uri("/staff/people?q=19850709-9805&page=2")),
            "/staff/people?q=…&page=2"
        );
        assert_eq!(redacted(&uri("/employment/tok")), "/employment/…");
        assert_eq!(redacted(&uri("/training/invite/tok")), "/training/invite/…");
        assert_eq!(redacted(&uri("/companies/x")), "/companies/x");
    }
}

/// How far `POST /test/clock` moves the portal's time.
#[derive(serde::Deserialize)]
struct ClockMove {
    days: i64,
}

/// `POST /test/clock` (only with `CERTPORTAL_TEST_CLOCK`): moves the time `days` forward (0 to
/// 3650) and runs the day's job as the scheduler would; answers the new date.
async fn move_clock(
    State(state): State<ServerState>,
    axum::Form(to): axum::Form<ClockMove>,
) -> Response {
    let app = &state.app;
    if !(0..=3650).contains(&to.days) {
        return (StatusCode::UNPROCESSABLE_ENTITY, "days: 0 to 3650").into_response();
    }
    app.clock.advance(chrono::Duration::days(to.days));
    let ran = async {
        app::chores::schedule_daily(app).await?;
        app::chores::run_jobs(app, "test-clock").await
    }
    .await;
    match ran {
        Ok(_) => axum::Json(serde_json::json!({ "today": app.clock.today().to_string() }))
            .into_response(),
        Err(err) => {
            tracing::error!(error = %format_args!("{err:#}"), "the day's job after moving the clock");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
