//! BankID's relying-party API, version 6: its JSON, the animated QR code, the hint codes with
//! BankID's recommended user messages, a client over mutual TLS (feature `client`) and a local
//! simulator of the service (feature `simulator`).
//!
//! The API is the one published at developers.bankid.com (`/rp/v6.0/sign`, `/collect`,
//! `/cancel`): JSON over HTTPS, the relying party identified by its client certificate.

use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "simulator")]
pub mod simulator;

/// The path every call is under.
pub const API_PATH: &str = "/rp/v6.0";

/// The largest `userVisibleData`, base64-encoded, that BankID accepts.
pub const MAX_USER_VISIBLE_DATA: usize = 40_000;

/// How an order must be carried out. Only what this portal uses.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Requirement {
    /// Only the holder of this personal number (12 digits) may sign.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_number: Option<String>,
    /// The user must use their security code, not biometrics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pin_code: Option<bool>,
}

/// `POST /rp/v6.0/sign`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignRequest {
    /// The user's IP address as the relying party sees it.
    pub end_user_ip: String,
    /// What the user is asked to sign, UTF-8, base64-encoded.
    pub user_visible_data: String,
    /// `plaintext` or `simpleMarkdownV1`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_visible_data_format: Option<String>,
    /// Data not shown to the user but part of the signature, base64-encoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_non_visible_data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requirement: Option<Requirement>,
    /// Where the BankID app sends the user back to when it was started on the same device.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
}

impl SignRequest {
    /// A request to sign `text`, shown as plain text, by the holder of `personal_number`.
    pub fn new(end_user_ip: &str, text: &str, personal_number: &str) -> SignRequest {
        SignRequest {
            end_user_ip: end_user_ip.to_owned(),
            user_visible_data: b64(text.as_bytes()),
            user_visible_data_format: None,
            user_non_visible_data: None,
            requirement: Some(Requirement {
                personal_number: Some(personal_number.to_owned()),
                pin_code: None,
            }),
            return_url: None,
        }
    }
}

/// The answer to `sign`: the order and what starts the app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderResponse {
    pub order_ref: String,
    pub auto_start_token: String,
    pub qr_start_token: String,
    pub qr_start_secret: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderRef {
    pub order_ref: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    Pending,
    Failed,
    Complete,
}

/// `POST /rp/v6.0/collect`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CollectResponse {
    pub order_ref: String,
    pub status: Status,
    /// Present while pending and when failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint_code: Option<String>,
    /// Present when complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_data: Option<CompletionData>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompletionData {
    pub user: User,
    pub device: Device,
    /// The date the user's BankID was issued, `YYYY-MM-DD`.
    pub bank_id_issue_date: String,
    /// The signature: an XML document, base64-encoded.
    pub signature: String,
    /// The OCSP response for the user's certificate, base64-encoded.
    pub ocsp_response: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub personal_number: String,
    pub name: String,
    pub given_name: String,
    pub surname: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    pub ip_address: String,
    /// A unique hardware identifier of the user's device.
    pub uhi: String,
}

/// The body of every error answer: HTTP 4xx/5xx with `errorCode` and `details`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorResponse {
    pub error_code: String,
    pub details: String,
}

/// The hint codes of a pending or failed order, as `collect` names them.
pub mod hint {
    pub const OUTSTANDING_TRANSACTION: &str = "outstandingTransaction";
    pub const NO_CLIENT: &str = "noClient";
    pub const STARTED: &str = "started";
    pub const USER_MRTD: &str = "userMrtd";
    pub const USER_CALL_CONFIRM: &str = "userCallConfirm";
    pub const USER_SIGN: &str = "userSign";
    pub const EXPIRED_TRANSACTION: &str = "expiredTransaction";
    pub const CERTIFICATE_ERR: &str = "certificateErr";
    pub const USER_CANCEL: &str = "userCancel";
    pub const CANCELLED: &str = "cancelled";
    pub const START_FAILED: &str = "startFailed";
    pub const USER_DECLINED_CALL: &str = "userDeclinedCall";
    pub const NOT_SUPPORTED_BY_USER_APP: &str = "notSupportedByUserApp";
    pub const TRANSACTION_RISK_BLOCKED: &str = "transactionRiskBlocked";
}

/// The error codes of an error answer.
pub mod error_code {
    pub const ALREADY_IN_PROGRESS: &str = "alreadyInProgress";
    pub const INVALID_PARAMETERS: &str = "invalidParameters";
    pub const UNAUTHORIZED: &str = "unauthorized";
    pub const NOT_FOUND: &str = "notFound";
    pub const METHOD_NOT_ALLOWED: &str = "methodNotAllowed";
    pub const REQUEST_TIMEOUT: &str = "requestTimeout";
    pub const UNSUPPORTED_MEDIA_TYPE: &str = "unsupportedMediaType";
    pub const INTERNAL_ERROR: &str = "internalError";
    pub const MAINTENANCE: &str = "maintenance";
}

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn unb64(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

/// The content of the animated QR code `seconds` whole seconds after the order began:
/// `bankid.<qrStartToken>.<seconds>.<qrAuthCode>`, where `qrAuthCode` is the hex HMAC-SHA256 of
/// the seconds (in decimal) keyed by `qrStartSecret`. The secret never leaves the server.
pub fn qr_content(qr_start_token: &str, qr_start_secret: &str, seconds: u64) -> String {
    format!(
        "bankid.{qr_start_token}.{seconds}.{}",
        qr_auth_code(qr_start_secret, seconds)
    )
}

pub fn qr_auth_code(qr_start_secret: &str, seconds: u64) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(qr_start_secret.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(seconds.to_string().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The link that starts the BankID app on the same device: `app_url` is
/// `https://app.bankid.com/` in production (a universal link the app answers), the simulator's
/// app page in development.
pub fn autostart_link(app_url: &str, auto_start_token: &str) -> String {
    let sep = if app_url.contains('?') { '&' } else { '?' };
    format!("{app_url}{sep}autostarttoken={auto_start_token}&redirect=null")
}

/// One of BankID's recommended user messages ("RFA"), in Swedish and English.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Message {
    pub code: &'static str,
    pub sv: &'static str,
    pub en: &'static str,
}

const RFA1: Message = Message {
    code: "RFA1",
    sv: "Starta BankID-appen.",
    en: "Start your BankID app.",
};
const RFA3: Message = Message {
    code: "RFA3",
    sv: "Åtgärden avbruten. Försök igen.",
    en: "Action cancelled. Please try again.",
};
const RFA4: Message = Message {
    code: "RFA4",
    sv: "En identifiering eller underskrift för det här personnumret är redan påbörjad. Försök igen.",
    en: "An identification or signing for this personal number is already started. Please try again.",
};
const RFA5: Message = Message {
    code: "RFA5",
    sv: "Internt tekniskt fel. Försök igen.",
    en: "Internal error. Please try again.",
};
const RFA6: Message = Message {
    code: "RFA6",
    sv: "Åtgärden avbruten.",
    en: "Action cancelled.",
};
const RFA8: Message = Message {
    code: "RFA8",
    sv: "BankID-appen svarar inte. Kontrollera att den är startad och att du har internetanslutning. Om du inte har något giltigt BankID kan du skaffa ett hos din bank. Försök sedan igen.",
    en: "The BankID app is not responding. Please check that it is started and that you have internet access. If you don't have a valid BankID you can get one from your bank. Try again.",
};
const RFA9: Message = Message {
    code: "RFA9",
    sv: "Skriv in din säkerhetskod i BankID-appen och välj Skriv under.",
    en: "Enter your security code in the BankID app and select Sign.",
};
const RFA13: Message = Message {
    code: "RFA13",
    sv: "Försöker starta BankID-appen.",
    en: "Trying to start your BankID app.",
};
const RFA15: Message = Message {
    code: "RFA15",
    sv: "Söker efter BankID, det kan ta en liten stund … Om det har gått några sekunder och inget BankID har hittats har du sannolikt inget BankID som går att använda för den aktuella underskriften i den här enheten. Om du inte har något BankID kan du skaffa ett hos din bank.",
    en: "Searching for BankID, it may take a little while … If a few seconds have passed and still no BankID has been found, you probably don't have a BankID which can be used for this signing on this device. If you don't have a BankID you can get one from your bank.",
};
const RFA16: Message = Message {
    code: "RFA16",
    sv: "Det BankID du försöker använda är för gammalt eller spärrat. Använd ett annat BankID eller skaffa ett nytt hos din bank.",
    en: "The BankID you are trying to use is blocked or too old. Please use another BankID or get a new one from your bank.",
};
const RFA17: Message = Message {
    code: "RFA17",
    sv: "Misslyckades att läsa av QR-koden. Starta BankID-appen och läs av QR-koden. Kontrollera att BankID-appen är uppdaterad. Om du inte har BankID-appen måste du installera den och skaffa ett BankID hos din bank. Installera appen från din appbutik eller https://install.bankid.com.",
    en: "Failed to scan the QR code. Start the BankID app and scan the QR code. Check that the BankID app is up to date. If you don't have the BankID app, you need to install it and get a BankID from your bank. Install the app from your app store or https://install.bankid.com.",
};
const RFA21: Message = Message {
    code: "RFA21",
    sv: "Identifiering eller underskrift pågår.",
    en: "Identification or signing in progress.",
};
const RFA22: Message = Message {
    code: "RFA22",
    sv: "Okänt fel. Försök igen.",
    en: "Unknown error. Please try again.",
};
const RFA23: Message = Message {
    code: "RFA23",
    sv: "Fotografera och läs av din ID-handling med BankID-appen.",
    en: "Process your machine-readable travel document using the BankID app.",
};

/// The message for a pending or failed order's hint code, as BankID recommends it.
/// `autostarted` tells whether the relying party tried to start the app on this device.
pub fn message_for_hint(hint_code: &str, autostarted: bool) -> Message {
    match hint_code {
        hint::OUTSTANDING_TRANSACTION if autostarted => RFA13,
        hint::OUTSTANDING_TRANSACTION | hint::NO_CLIENT => RFA1,
        hint::STARTED => RFA15,
        hint::USER_SIGN => RFA9,
        hint::USER_MRTD => RFA23,
        hint::EXPIRED_TRANSACTION => RFA8,
        hint::CERTIFICATE_ERR => RFA16,
        hint::USER_CANCEL => RFA6,
        hint::CANCELLED => RFA3,
        hint::START_FAILED => RFA17,
        hint::USER_DECLINED_CALL | hint::TRANSACTION_RISK_BLOCKED => RFA22,
        hint::USER_CALL_CONFIRM => RFA21,
        _ => RFA21,
    }
}

/// The message for a failed order whose hint code is unknown, or an error answer.
pub fn message_for_error(error_code: &str) -> Message {
    match error_code {
        error_code::ALREADY_IN_PROGRESS => RFA4,
        error_code::INTERNAL_ERROR | error_code::MAINTENANCE => RFA5,
        _ => RFA22,
    }
}

/// A failed order with a hint code this code does not know gets RFA22.
pub fn message_for_failure(hint_code: &str) -> Message {
    match hint_code {
        hint::EXPIRED_TRANSACTION
        | hint::CERTIFICATE_ERR
        | hint::USER_CANCEL
        | hint::CANCELLED
        | hint::START_FAILED => message_for_hint(hint_code, false),
        _ => RFA22,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_content_is_the_hmac_of_the_seconds() {
        // The example BankID publishes for its QR code.
        let secret = "d28db9a7-4cde-429e-a983-359be676944c";
        assert_eq!(
            qr_auth_code(secret, 0),
            "dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8"
        );
        assert_eq!(
            qr_content("67df3917-fa0d-44e5-b327-edcc928297f8", secret, 1)
                .split('.')
                .count(),
            4
        );
    }

    #[test]
    fn requests_serialise_as_the_api_names_them() {
        let r = SignRequest::new("127.0.0.1", "Hej", "199001011234");
        let json = serde_json::to_value(&r).expect("json");
        assert_eq!(json["endUserIp"], "127.0.0.1");
        assert_eq!(json["userVisibleData"], "SGVq");
        assert_eq!(json["requirement"]["personalNumber"], "199001011234");
        assert!(json.get("returnUrl").is_none());
    }

    #[test]
    fn hints_get_recommended_messages() {
        assert_eq!(message_for_hint(hint::USER_SIGN, false).code, "RFA9");
        assert_eq!(message_for_failure(hint::USER_CANCEL).code, "RFA6");
        assert_eq!(message_for_failure(hint::EXPIRED_TRANSACTION).code, "RFA8");
        assert_eq!(message_for_failure("somethingNew").code, "RFA22");
        assert_eq!(
            message_for_error(error_code::ALREADY_IN_PROGRESS).code,
            "RFA4"
        );
    }
}
