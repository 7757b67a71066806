//! The request side of sign-in: [`Ctx`], the one context every server function and plain route
//! works in (the app, the reader's language, where the request came from, and who is calling,
//! looked up once per request), its guards, and the session cookie.

use super::model::CurrentUser;
use super::service::Origin;
use super::session::{self, COOKIE};
use crate::error::{AppError, AppResult};
use crate::i18n::Locale;
use crate::state::AppState;
use leptos::prelude::use_context;

/// The client's address, as the router worked it out (the peer, or what our own proxies say in
/// `X-Forwarded-For`); a request extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub std::net::IpAddr);

fn parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// The session token in the request's cookie, if any.
fn session_token(state: &AppState) -> Option<String> {
    session::token_from_headers(&state.config, &parts()?.headers)
}

/// Where a request came from, from its parts.
pub fn origin_of(parts: &http::request::Parts) -> Origin {
    let ip = parts.extensions.get::<ClientIp>().map(|c| c.0);
    let user_agent = parts
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(300).collect());
    Origin { ip, user_agent }
}

fn origin() -> Origin {
    parts().map(|p| origin_of(&p)).unwrap_or_default()
}

fn set_cookie(value: String) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&value),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// The session cookie: HttpOnly, SameSite=Lax, and over TLS Secure with the `__Host-` prefix.
pub fn set_session_cookie(state: &AppState, token: &str) {
    let (name, attributes) = (
        state.config.cookie_name(COOKIE),
        state.config.cookie_attributes(),
    );
    set_cookie(format!("{name}={token}; HttpOnly; {attributes}"));
}

pub fn clear_session_cookie(state: &AppState) {
    let (name, attributes) = (
        state.config.cookie_name(COOKIE),
        state.config.cookie_attributes(),
    );
    set_cookie(format!("{name}=; HttpOnly; Max-Age=0; {attributes}"));
}

/// What one request found out about its caller, so the session is looked up once however many
/// server functions a page calls while it renders. The router provides a fresh one per request.
#[derive(Clone, Debug, Default)]
pub struct RequestCache(std::sync::Arc<tokio::sync::Mutex<Option<Seen>>>);

/// A session token, and whom it belonged to when first looked up.
type Seen = (String, Option<CurrentUser>);

/// One request as its handler sees it. A server function gets it from [`serve`]; a plain axum
/// route takes it as an extractor. The caller is looked up on first asking, and once per request
/// however many server functions a page calls while it renders.
#[derive(Clone)]
pub struct Ctx {
    pub state: AppState,
    /// The reader's language: their cookie's, or Swedish.
    pub locale: Locale,
    pub origin: Origin,
    token: Option<String>,
    cache: RequestCache,
}

impl Ctx {
    /// The context of the server function being run.
    pub fn get() -> AppResult<Ctx> {
        let state = AppState::get()?;
        Ok(Ctx {
            token: session_token(&state),
            cache: use_context::<RequestCache>().unwrap_or_default(),
            locale: crate::i18n::current_locale(),
            origin: origin(),
            state,
        })
    }

    /// The context of a plain route's request.
    pub fn of(state: AppState, parts: &http::request::Parts) -> Ctx {
        Ctx {
            token: session::token_from_headers(&state.config, &parts.headers),
            // A plain route is its request's only handler: its cache is its own.
            cache: RequestCache::default(),
            locale: Locale::from_headers(&parts.headers).unwrap_or_default(),
            origin: origin_of(parts),
            state,
        }
    }

    /// The session token the request carries, if any.
    pub fn session_token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The signed-in user, if the request carries a live session.
    pub async fn user(&self) -> AppResult<Option<CurrentUser>> {
        let Some(token) = &self.token else {
            return Ok(None);
        };
        // Held while looking up, so calls at the same moment wait for the first one's answer.
        let mut known = self.cache.0.lock().await;
        if let Some((seen, user)) = known.as_ref()
            && seen == token
        {
            return Ok(user.clone());
        }
        let user = session::lookup(&self.state.db, &self.state.clock, token).await?;
        *known = Some((token.clone(), user.clone()));
        Ok(user)
    }

    /// The signed-in user, or `Unauthorized`.
    pub async fn require_user(&self) -> AppResult<CurrentUser> {
        self.user().await?.ok_or(AppError::Unauthorized)
    }

    /// The signed-in user if they are the certification body's staff.
    pub async fn require_staff(&self) -> AppResult<CurrentUser> {
        let user = self.require_user().await?;
        if user.is_staff() {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The signed-in user if they are a body administrator.
    pub async fn require_body_admin(&self) -> AppResult<CurrentUser> {
        let user = self.require_staff().await?;
        if user.has(crate::auth::model::Role::BodyAdmin) {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// `user` as the event log records them, with this request's address.
    pub fn actor(&self, user: &CurrentUser) -> crate::events::service::Actor {
        crate::events::service::Actor {
            account_id: Some(user.account_id.clone()),
            label: user.display_name.clone(),
            ip: self.origin.ip.map(|ip| ip.to_string()),
        }
    }

    /// Records a refused request (401, 403) as a security event, with who asked if known.
    pub async fn log_refusal(&self, error: &AppError, path: &str) {
        let account = match error {
            AppError::Forbidden => self.user().await.ok().flatten().map(|u| u.account_id),
            _ => None,
        };
        crate::error::log_refusal(&self.state, error, account.as_deref(), self.origin.ip, path)
            .await;
    }
}

impl<S> axum::extract::FromRequestParts<S> for Ctx
where
    AppState: axum::extract::FromRef<S>,
    S: Send + Sync,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        state: &S,
    ) -> Result<Ctx, Self::Rejection> {
        Ok(Ctx::of(
            <AppState as axum::extract::FromRef<S>>::from_ref(state),
            parts,
        ))
    }
}

/// Runs a server function's body in its request's [`Ctx`]; an error gets its HTTP status, and
/// a refusal is logged (see [`crate::error::reply`]).
pub async fn serve<T, F, Fut>(body: F) -> AppResult<T>
where
    F: FnOnce(Ctx) -> Fut,
    Fut: Future<Output = AppResult<T>>,
{
    crate::error::reply(async move { body(Ctx::get()?).await }).await
}

/// The browser's own key (its form cookie), under which the server keeps what is for this
/// browser only; `None` before the browser has one.
pub fn browser_key(state: &AppState) -> Option<String> {
    crate::cookie::value(
        &parts()?.headers,
        &state.config.cookie_name(crate::flash::COOKIE),
    )
}
