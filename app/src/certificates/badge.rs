//! The certificate as an Open Badges 3.0 credential (a W3C Verifiable Credential 2.0 in the
//! VC-JWT form of OB 3.0 §8.2), signed with the body's key (ES256), with two
//! `BitstringStatusListEntry`s whose lists the portal serves and signs: revoking or
//! suspending a certificate flips its bit at once.

use super::model::Status;
use super::store;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

/// The Open Badges 3.0 JSON-LD context the credential names.
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// The fewest entries a status list has (the Bitstring Status List's minimum: 16 KB), so that
/// a list says nothing about how many credentials there are.
const LIST_MIN: usize = 131_072;
/// How long a verifier may keep a status list, in milliseconds.
const LIST_TTL_MS: u64 = 60_000;

crate::coded! {
    /// The two lists a credential's status is kept in.
    pub enum Purpose {
        Revocation = "revocation",
        Suspension = "suspension",
    }
}

impl Purpose {
    /// The statuses whose certificates have their bit set in this list: revoked for good; or
    /// for now, suspended by staff or inactive for a missed yearly extension (an expired one's
    /// credential has passed its `validUntil`).
    fn statuses(self) -> &'static [Status] {
        match self {
            Purpose::Revocation => &[Status::Revoked],
            Purpose::Suspension => &[Status::Suspended, Status::Inactive],
        }
    }
}

/// The issuer's profile: who signs the credentials.
pub fn issuer_id(state: &AppState) -> String {
    format!("{}/issuer", state.config.base_url)
}

/// The key's id: a URL that answers with the key (JWK).
pub fn key_id(state: &AppState) -> String {
    format!(
        "{}/issuer/keys/{}",
        state.config.base_url,
        state.config.seal.thumbprint()
    )
}

pub fn status_list_url(state: &AppState, purpose: Purpose) -> String {
    format!(
        "{}/credentials/status/{}",
        state.config.base_url,
        purpose.code()
    )
}

/// The issuer's profile document (OB 3.0 `Profile`).
pub fn issuer_profile(state: &AppState) -> Value {
    json!({
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": issuer_id(state),
        "type": ["Profile"],
        "name": state.config.body_name,
        "url": state.config.base_url,
        "email": state.config.body_contact,
    })
}

/// The body's public key, as one JWK.
pub fn jwk(state: &AppState) -> Value {
    let mut key = state.config.seal.public_jwk();
    key["kid"] = key_id(state).into();
    key["alg"] = "ES256".into();
    key["use"] = "sig".into();
    key
}

/// The keys verifiers may find the signing key among (`/.well-known/jwks.json`).
pub fn jwks(state: &AppState) -> Value {
    json!({ "keys": [jwk(state)] })
}

fn header(state: &AppState) -> Value {
    json!({ "alg": "ES256", "typ": "JWT", "kid": key_id(state) })
}

fn seconds(day: &str, end_of_day: bool) -> i64 {
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .and_then(|d| {
            if end_of_day {
                d.and_hms_opt(23, 59, 59)
            } else {
                d.and_hms_opt(0, 0, 0)
            }
        })
        .map(|t| t.and_utc().timestamp())
        .unwrap_or_default()
}

/// The credential of the certificate `id`, as a signed VC-JWT (OB 3.0 §8.2: the payload is the
/// credential itself with `iss`, `jti`, `nbf`, `sub` and `exp`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn credential(state: &AppState, id: &str) -> AppResult<String> {
    let index = store::status_index(&state.db, id).await?;
    let c = store::credential_facts(&state.db.pool, id).await?;
    let base = &state.config.base_url;
    let credential_id = format!(
        "{base}/credentials/{}",
        crate::ui::format::encode_component(&c.number)
    );
    let subject_id = format!("urn:uuid:{}", c.person_id);
    let (valid_from, valid_until) = (
        format!("{}T00:00:00Z", c.issued_on),
        format!("{}T23:59:59Z", c.valid_until),
    );
    let entry = |purpose: Purpose| {
        json!({
            "id": format!("{}#{index}", status_list_url(state, purpose)),
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose.code(),
            "statusListIndex": index.to_string(),
            "statusListCredential": status_list_url(state, purpose),
        })
    };
    let name = format!("{} - {}", c.technical_area, c.scheme);
    let mut body = json!({
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer_id(state),
            "type": ["Profile"],
            "name": state.config.body_name,
            "url": base,
        },
        "validFrom": valid_from,
        "validUntil": valid_until,
        "name": name,
        "credentialSubject": {
            "id": subject_id,
            "type": ["AchievementSubject"],
            "licenseNumber": c.number,
            "achievement": {
                "id": format!("{base}/register?scheme={}", crate::ui::format::encode_component(&c.scheme_code)),
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": name,
                "description": format!("Personcertifiering: {name}"),
                "criteria": {
                    "narrative": format!("Certifierad av {} enligt certifieringsordningen {}.", state.config.body_name, c.scheme),
                },
            },
        },
        "credentialStatus": [entry(Purpose::Revocation), entry(Purpose::Suspension)],
    });
    body["iss"] = issuer_id(state).into();
    body["jti"] = body["id"].clone();
    body["sub"] = subject_id.into();
    body["nbf"] = seconds(&c.issued_on, false).into();
    body["exp"] = seconds(&c.valid_until, true).into();
    Ok(state.config.seal.jws(&header(state), &body))
}

/// The `encodedList` of a status list: the bits of these indexes set, GZIP, base64url with the
/// multibase prefix `u`.
pub fn encoded_list(set: &[i64]) -> String {
    use std::io::Write;
    let top = set.iter().copied().max().unwrap_or(0).max(0) as usize + 1;
    let bits = top.max(LIST_MIN).div_ceil(8) * 8;
    let mut bytes = vec![0u8; bits / 8];
    for &i in set.iter().filter(|i| **i >= 0) {
        let i = i as usize;
        // The first index is the leftmost bit of the first byte.
        bytes[i / 8] |= 0x80 >> (i % 8);
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&bytes).expect("writing to memory");
    format!("u{}", URL_SAFE_NO_PAD.encode(gz.finish().expect("gzip")))
}

/// A status list as a signed VC-JWT (`BitstringStatusListCredential`), as it is now.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn status_list(state: &AppState, purpose: Purpose) -> AppResult<String> {
    let mut set = Vec::new();
    for status in purpose.statuses() {
        set.extend(
            store::status_indexes(&state.db.pool, *status)
                .await
                .map_err(AppError::from)?,
        );
    }
    let url = status_list_url(state, purpose);
    let now = state.clock.now();
    let mut body = json!({
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(state),
        "validFrom": now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        "credentialSubject": {
            "id": format!("{url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": purpose.code(),
            "ttl": LIST_TTL_MS,
            "encodedList": encoded_list(&set),
        },
    });
    body["iss"] = issuer_id(state).into();
    body["jti"] = url.into();
    body["nbf"] = now.timestamp().into();
    Ok(state.config.seal.jws(&header(state), &body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_sets_the_leftmost_bit_first_and_has_its_minimum_size() {
        use std::io::Read;
        let encoded = encoded_list(&[0, 9, 131_071]);
        let gz = URL_SAFE_NO_PAD
            .decode(encoded.strip_prefix('u').expect("multibase u"))
            .expect("base64url");
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut bytes)
            .expect("gzip");
        assert_eq!(bytes.len(), 16_384);
        assert_eq!(bytes[0], 0x80);
        assert_eq!(bytes[1], 0x40);
        assert_eq!(bytes[16_383], 0x01);
        assert_eq!(bytes.iter().map(|b| b.count_ones()).sum::<u32>(), 3);
    }
}
