//! The tester's "app": open an order by its same-device link or QR content, then sign or
//! decline it as a personal number of one's choosing.

use super::*;

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
