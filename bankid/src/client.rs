//! The relying party's client: JSON over HTTPS, identified by the relying party's client
//! certificate (mutual TLS), trusting only the CA that issued BankID's server certificate.

use crate::{API_PATH, CollectResponse, ErrorResponse, OrderRef, OrderResponse, SignRequest};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// BankID answered with an error (`alreadyInProgress`, `invalidParameters`, ...).
    #[error("BankID {status}: {code}: {details}")]
    Api {
        status: u16,
        code: String,
        details: String,
    },
    /// BankID could not be reached, or answered with something that is not its JSON.
    #[error("BankID could not be reached: {0}")]
    Transport(String),
    #[error("BankID client configuration: {0}")]
    Config(String),
}

impl Error {
    /// The error code, for `message_for_error`; transport failures count as internal errors.
    pub fn code(&self) -> &str {
        match self {
            Error::Api { code, .. } => code,
            _ => crate::error_code::INTERNAL_ERROR,
        }
    }
}

/// Where BankID is and who we are to it.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// `https://appapi2.bankid.com` in production, `https://appapi2.test.bankid.com` for
    /// BankID's test service, the simulator's address in development. Without `/rp/v6.0`.
    pub base_url: String,
    /// The relying party's certificate and private key, PEM (BankID issues a PKCS#12 file;
    /// `openssl pkcs12 -nodes` turns it into PEM).
    pub identity_pem: Vec<u8>,
    /// The CA that issued BankID's server certificate, PEM.
    pub ca_pem: Vec<u8>,
}

#[derive(Clone, Debug)]
pub struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    pub fn new(config: &ClientConfig) -> Result<Client, Error> {
        let identity = reqwest::Identity::from_pem(&config.identity_pem)
            .map_err(|e| Error::Config(format!("client certificate: {e}")))?;
        let ca = reqwest::Certificate::from_pem(&config.ca_pem)
            .map_err(|e| Error::Config(format!("CA certificate: {e}")))?;
        let http = reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .add_root_certificate(ca)
            .identity(identity)
            .https_only(true)
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| Error::Config(e.to_string()))?;
        Ok(Client {
            http,
            base: format!("{}{API_PATH}", config.base_url.trim_end_matches('/')),
        })
    }

    async fn call<B: serde::Serialize, R: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        body: &B,
    ) -> Result<R, Error> {
        let response = self
            .http
            .post(format!("{}/{method}", self.base))
            .json(body)
            .send()
            .await
            .map_err(|e| Error::Transport(e.to_string()))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| Error::Transport(e.to_string()))?;
        if status.is_success() {
            serde_json::from_slice(&bytes).map_err(|e| Error::Transport(format!("{method}: {e}")))
        } else {
            let e: ErrorResponse = serde_json::from_slice(&bytes).unwrap_or(ErrorResponse {
                error_code: crate::error_code::INTERNAL_ERROR.to_owned(),
                details: String::from_utf8_lossy(&bytes).into_owned(),
            });
            Err(Error::Api {
                status: status.as_u16(),
                code: e.error_code,
                details: e.details,
            })
        }
    }

    /// Starts a signature order.
    pub async fn sign(&self, request: &SignRequest) -> Result<OrderResponse, Error> {
        self.call("sign", request).await
    }

    /// The order's state now; call it about every two seconds while it is pending.
    pub async fn collect(&self, order_ref: &str) -> Result<CollectResponse, Error> {
        self.call(
            "collect",
            &OrderRef {
                order_ref: order_ref.to_owned(),
            },
        )
        .await
    }

    /// Cancels a pending order.
    pub async fn cancel(&self, order_ref: &str) -> Result<(), Error> {
        let _: serde_json::Value = self
            .call(
                "cancel",
                &OrderRef {
                    order_ref: order_ref.to_owned(),
                },
            )
            .await?;
        Ok(())
    }
}
