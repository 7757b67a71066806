//! The relying-party API: `/rp/v6.0/sign`, `/collect` and `/cancel`, with BankID's JSON,
//! error codes and hint codes.

use super::*;

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
