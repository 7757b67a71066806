//! The client against the simulator, over mutual TLS with certificates made here.

use bankid::client::{Client, ClientConfig, Error};
use bankid::simulator::{self, Pki, Running, Settings};
use bankid::{SignRequest, Status, hint, qr_content};
use std::time::Duration;

const PNR: &str = "198507099805";

async fn start(settings: Settings) -> (Running, Client) {
    let any = "127.0.0.1:0".parse().expect("address");
    let sim = simulator::start(settings, any, any)
        .await
        .expect("simulator");
    let client = Client::new(&sim.client_config()).expect("client");
    (sim, client)
}

/// A browser on the tester's phone: plain HTTP, no redirects followed.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("browser")
}

fn order_path(response: &reqwest::Response) -> String {
    response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned()
}

fn origin(sim: &Running) -> String {
    sim.app_url.trim_end_matches("/app").to_owned()
}

#[tokio::test]
async fn a_signature_completes_only_for_the_required_person() {
    let (sim, client) = start(Settings::default()).await;
    let mut request = SignRequest::new("192.0.2.10", "Intygande för certifikat 10001", PNR);
    request.return_url = Some("https://portal.example/attest/x/sign".into());
    let order = client.sign(&request).await.expect("sign");
    let c = client.collect(&order.order_ref).await.expect("collect");
    assert_eq!(c.status, Status::Pending);
    assert_eq!(c.hint_code.as_deref(), Some(hint::OUTSTANDING_TRANSACTION));

    // The same-device link opens the order in the app.
    let web = browser();
    let opened = web
        .get(format!(
            "{}?autostarttoken={}",
            sim.app_url, order.auto_start_token
        ))
        .send()
        .await
        .expect("open");
    let path = order_path(&opened);
    let page = web
        .get(format!("{}{path}", origin(&sim)))
        .send()
        .await
        .expect("order");
    let html = page.text().await.expect("html");
    assert!(html.contains("Intygande för certifikat 10001"), "{html}");
    let c = client.collect(&order.order_ref).await.expect("collect");
    assert_eq!(c.hint_code.as_deref(), Some(hint::USER_SIGN));

    // Someone else's BankID does not meet the requirement.
    let wrong = web
        .post(format!("{}{path}/sign", origin(&sim)))
        .form(&[("personal_number", "199004129814"), ("name", "Erik Holm")])
        .send()
        .await
        .expect("sign as another");
    assert!(wrong.text().await.expect("html").contains("inget BankID"));
    let c = client.collect(&order.order_ref).await.expect("collect");
    assert_eq!(
        (c.status, c.hint_code.as_deref()),
        (Status::Pending, Some(hint::STARTED))
    );

    let done = web
        .post(format!("{}{path}/sign", origin(&sim)))
        .form(&[("personal_number", PNR), ("name", "Anja Lind")])
        .send()
        .await
        .expect("sign");
    assert_eq!(
        order_path(&done),
        "https://portal.example/attest/x/sign",
        "back to the page"
    );
    let c = client.collect(&order.order_ref).await.expect("collect");
    assert_eq!(c.status, Status::Complete);
    let data = c.completion_data.expect("completion data");
    assert_eq!(data.user.personal_number, PNR);
    assert_eq!(data.user.surname, "Lind");
    assert!(!data.ocsp_response.is_empty());
    let key = sim.simulator.public_key();
    assert!(simulator::verify_signature(&key, &data.signature));
    let mut forged = String::from_utf8(bankid::unb64(&data.signature).expect("b64")).expect("xml");
    forged = forged.replace(PNR, "199004129814");
    assert!(!simulator::verify_signature(
        &key,
        &bankid::b64(forged.as_bytes())
    ));
}

#[tokio::test]
async fn user_cancel_and_expired_transaction_fail_the_order() {
    let (sim, client) = start(Settings {
        order_lifetime: Duration::from_millis(800),
        ..Settings::default()
    })
    .await;
    let web = browser();
    let order = client
        .sign(&SignRequest::new("192.0.2.10", "Avbryts", PNR))
        .await
        .expect("sign");
    let opened = web
        .get(format!(
            "{}?autostarttoken={}",
            sim.app_url, order.auto_start_token
        ))
        .send()
        .await
        .expect("open");
    let path = order_path(&opened);
    web.post(format!("{}{path}/cancel", origin(&sim)))
        .send()
        .await
        .expect("decline");
    let c = client.collect(&order.order_ref).await.expect("collect");
    assert_eq!(
        (c.status, c.hint_code.as_deref()),
        (Status::Failed, Some(hint::USER_CANCEL))
    );
    assert_eq!(
        bankid::message_for_failure(hint::USER_CANCEL).sv,
        "Åtgärden avbruten."
    );

    let order = client
        .sign(&SignRequest::new("192.0.2.10", "Går ut", PNR))
        .await
        .expect("sign");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let c = client.collect(&order.order_ref).await.expect("collect");
    assert_eq!(
        (c.status, c.hint_code.as_deref()),
        (Status::Failed, Some(hint::EXPIRED_TRANSACTION))
    );
}

#[tokio::test]
async fn the_qr_code_opens_the_order_only_with_the_right_code() {
    let (sim, client) = start(Settings::default()).await;
    let order = client
        .sign(&SignRequest::new("192.0.2.10", "QR", PNR))
        .await
        .expect("sign");
    let web = browser();
    let scan = |qr: String| {
        web.post(format!("{}/scan", sim.app_url))
            .form(&[("qr", qr)])
            .send()
    };
    let forged = qr_content(&order.qr_start_token, "not the secret", 0);
    let r = scan(forged).await.expect("scan");
    assert!(r.text().await.expect("html").contains("Ogiltig QR-kod"));
    let stale = qr_content(&order.qr_start_token, &order.qr_start_secret, 500);
    assert!(scan(stale).await.expect("scan").status().is_success());
    let good = qr_content(&order.qr_start_token, &order.qr_start_secret, 0);
    let r = scan(good).await.expect("scan");
    assert!(order_path(&r).starts_with("/app/order/"));
}

#[tokio::test]
async fn errors_come_back_as_bankid_names_them() {
    let (_sim, client) = start(Settings::default()).await;
    let first = client
        .sign(&SignRequest::new("192.0.2.10", "Först", PNR))
        .await
        .expect("sign");
    match client
        .sign(&SignRequest::new("192.0.2.10", "Sedan", PNR))
        .await
    {
        Err(Error::Api {
            status: 400, code, ..
        }) => assert_eq!(code, "alreadyInProgress"),
        other => panic!("{other:?}"),
    }
    let c = client.collect(&first.order_ref).await.expect("collect");
    assert_eq!(c.hint_code.as_deref(), Some(hint::CANCELLED));

    let bad = client
        .sign(&SignRequest::new("192.0.2.10", "x", "12345"))
        .await;
    assert!(
        matches!(bad, Err(Error::Api { ref code, .. }) if code == "invalidParameters"),
        "{bad:?}"
    );
    let bad = client.sign(&SignRequest::new("not an ip", "x", PNR)).await;
    assert!(
        matches!(bad, Err(Error::Api { ref code, .. }) if code == "invalidParameters"),
        "{bad:?}"
    );

    let order = client
        .sign(&SignRequest::new(
            "192.0.2.10",
            "Avbryts av portalen",
            "199004129814",
        ))
        .await
        .expect("sign");
    client.cancel(&order.order_ref).await.expect("cancel");
    let gone = client.collect(&order.order_ref).await;
    assert!(
        matches!(gone, Err(Error::Api { ref code, .. }) if code == "invalidParameters"),
        "{gone:?}"
    );
}

#[tokio::test]
async fn only_a_client_certificate_from_the_ca_gets_through() {
    let (sim, _) = start(Settings::default()).await;
    let stranger = Pki::generate().expect("pki");
    let client = Client::new(&ClientConfig {
        base_url: sim.api_url.clone(),
        identity_pem: stranger.client_identity_pem.into_bytes(),
        ca_pem: sim.pki.ca_pem.clone().into_bytes(),
    })
    .expect("client");
    let r = client.sign(&SignRequest::new("192.0.2.10", "x", PNR)).await;
    assert!(matches!(r, Err(Error::Transport(_))), "{r:?}");

    // Nor does a client that trusts another CA reach it.
    let client = Client::new(&ClientConfig {
        base_url: sim.api_url.clone(),
        identity_pem: sim.pki.client_identity_pem.clone().into_bytes(),
        ca_pem: stranger.ca_pem.into_bytes(),
    })
    .expect("client");
    let r = client.sign(&SignRequest::new("192.0.2.10", "x", PNR)).await;
    assert!(matches!(r, Err(Error::Transport(_))), "{r:?}");
}
