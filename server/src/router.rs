//! The HTTP surface: Leptos pages and server functions, static files, and the few plain routes
//! (health, language switch, an email's HTML), wrapped in logging, request ids, compression,
//! security headers and a body limit.

use app::i18n::{COOKIE, Locale};
use app::state::AppState;
use axum::body::Body;
use axum::extract::{FromRef, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list, handle_server_fns_with_context};
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

#[derive(Clone)]
pub struct ServerState {
    pub app: AppState,
    pub leptos: LeptosOptions,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> LeptosOptions {
        state.leptos.clone()
    }
}

/// The policy of responses that are not pages (pages set their own, with a nonce).
const DEFAULT_CSP: &str = "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

pub fn leptos_options(site_root: &str, addr: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("certportal")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build()
}

pub fn router(app: AppState, leptos: LeptosOptions, body_limit: usize) -> Router {
    let state = ServerState {
        app: app.clone(),
        leptos: leptos.clone(),
    };
    let routes = generate_route_list(app::App);
    let context = {
        let app = app.clone();
        move || provide_context(app.clone())
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

    Router::new()
        .route("/health", get(health))
        .route("/lang/{code}", get(set_language))
        .route("/outbox/{id}/html", get(outbox_html))
        .route("/certificates/{id}/pdf", get(certificate_pdf))
        .route("/api/{*fn_name}", get(server_fns).post(server_fns))
        .leptos_routes_with_context(&state, routes, context, {
            let leptos = leptos.clone();
            move || app::shell(leptos.clone())
        })
        .fallback_service(static_files)
        .with_state(state)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), uri = %req.uri(), request_id = %id)
                }))
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(CompressionLayer::new().br(true).gzip(true))
                .layer(RequestBodyLimitLayer::new(body_limit))
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(60)))
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
}

async fn server_fns(State(state): State<ServerState>, req: Request<Body>) -> impl IntoResponse {
    let app = state.app.clone();
    handle_server_fns_with_context(move || provide_context(app.clone()), req).await
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
struct Next {
    next: Option<String>,
}

/// Sets the language cookie and returns to the page the user was on (only ever a local path).
async fn set_language(
    State(state): State<ServerState>,
    Path(code): Path<String>,
    Query(q): Query<Next>,
) -> Response {
    let Some(locale) = Locale::from_code(&code) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let next = q
        .next
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or_else(|| "/".to_owned());
    let cookie = format!(
        "{COOKIE}={}; Max-Age=31536000; {}",
        locale.code(),
        state.app.config.cookie_attributes()
    );
    let mut response = Redirect::to(&next).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// "Ladda ned certifikat": for whoever may read the certificate's page.
async fn certificate_pdf(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let app = &state.app;
    let user = match app::auth::session::user_from_headers(&app.db, &app.clock, &headers).await {
        Ok(Some(user)) => user,
        Ok(None) => return Redirect::to("/login").into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let locale = Locale::from_headers(&headers).unwrap_or_default();
    match app::certificates::service::view(app, &user, &id, locale).await {
        Ok(view) => (
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
            app::certificates::pdf::render(&view, locale),
        )
            .into_response(),
        Err(e) => e.status_code().into_response(),
    }
}

/// An email's HTML as its recipient sees it, framed by the outbox page. It may style itself
/// inline, but runs nothing.
async fn outbox_html(
    State(state): State<ServerState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    match app::auth::session::user_from_headers(&state.app.db, &state.app.clock, &headers).await {
        Ok(Some(user)) if user.is_staff() => {}
        Ok(Some(_)) => return StatusCode::FORBIDDEN.into_response(),
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
    match app::mail::service::get(&state.app.db, &id).await {
        Ok(message) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (
                    header::CONTENT_SECURITY_POLICY,
                    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox",
                ),
                (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
            ],
            message.body_html,
        )
            .into_response(),
        Err(app::error::AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
