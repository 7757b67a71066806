//! The body's seal on its certificates: a PAdES baseline B-B signature (ETSI.CAdES.detached) by
//! an ECDSA P-256 key, and the check of a PDF someone hands us.
//!
//! The key and its chain are two files in one folder: `key.pem` (PKCS#8) and `chain.pem` (the
//! signing certificate first, then its issuers). A deployment puts its own there; without them
//! the first start makes a CA and a signing certificate of its own (for development and
//! demonstrations: no one else trusts that CA).
//!
//! The PDF is written with a placeholder ([`PLACEHOLDER`] bytes for the signature, a
//! `/ByteRange` of fixed width); [`Seal::sign`] fills both in place. The signed attributes are
//! content-type, message-digest and signing-certificate-v2, and no signing-time (PAdES B-B
//! forbids it: the time is the signature dictionary's `/M`).
//!
//! With a time-stamp authority configured ([`Seal::with_tsa`]), [`Seal::sign_pdf`] makes the
//! signature PAdES B-T: the authority's RFC 3161 token over the signature value, as the
//! unsigned attribute signature-time-stamp-token. Should the authority not answer, the PDF is
//! signed without it (B-B) and the server says so in its log.

use anyhow::Context;
use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignedData, SignerIdentifier};
use const_oid::ObjectIdentifier;
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{DerSignature, SigningKey, VerifyingKey};
use p256::pkcs8::DecodePrivateKey;
use sha2::{Digest, Sha256};
use std::path::Path;
use x509_cert::Certificate;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::AlgorithmIdentifierOwned;

/// Bytes kept for the signature (hex doubles them in the file): the CMS is about 1.3 KB with a
/// chain of two P-256 certificates; a longer chain of a deployment's own fits too.
pub const PLACEHOLDER: usize = 8192;
/// The `/ByteRange` the PDF is written with, wide enough for any offset we write.
pub const BYTE_RANGE: [i32; 4] = [0, 1_000_000_000, 1_000_000_000, 1_000_000_000];

const SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");

#[derive(der::Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial: SerialNumber,
}

/// ESSCertIDv2 with the default hash algorithm (SHA-256), which DER leaves out.
#[derive(der::Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
    issuer_serial: IssuerSerial,
}

#[derive(der::Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

const SIGNATURE_TIME_STAMP_TOKEN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");

/// The body's signing key and its certificate chain.
pub struct Seal {
    key: SigningKey,
    /// The signing certificate first.
    chain: Vec<Certificate>,
    chain_pem: String,
    tsa: Option<Tsa>,
}

/// A time-stamp authority (RFC 3161 over HTTP).
struct Tsa {
    url: String,
    client: reqwest_s3::Client,
}

/// How long the time-stamp authority may take before the PDF is signed without it.
const TSA_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Where the signature goes in a PDF prepared for it, and the digest it signs.
struct Placement {
    hex_start: usize,
    hex_end: usize,
    digest: [u8; 32],
}

impl std::fmt::Debug for Seal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Seal({})", self.chain[0].tbs_certificate.subject)
    }
}

/// What a PDF someone hands us turns out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PdfCheck {
    /// No signature we can read.
    NotSigned,
    /// Signed, but something inside the signed bytes changed since.
    Altered,
    /// Our signature is intact, but the file goes on after it: something was added later.
    Extended,
    /// An intact signature by someone else's key.
    NotOurs,
    /// Our signature, intact, over the whole file: the digest it signed.
    Intact { digest: String },
}

impl Seal {
    /// The key and chain in `dir`, made there on first start when both are missing.
    pub fn load_or_create(dir: &Path, body_name: &str) -> anyhow::Result<Seal> {
        let (key_file, chain_file) = (dir.join("key.pem"), dir.join("chain.pem"));
        if !key_file.exists() && !chain_file.exists() {
            let (key_pem, chain_pem) = generate(body_name)?;
            std::fs::create_dir_all(dir)
                .with_context(|| format!("making the signing folder {}", dir.display()))?;
            crate::keys::write_private(&key_file, &key_pem)
                .with_context(|| format!("writing {}", key_file.display()))?;
            std::fs::write(&chain_file, &chain_pem)
                .with_context(|| format!("writing {}", chain_file.display()))?;
            tracing::warn!(folder = %dir.display(), "made a signing key and a CA of its own for the certificates' PDFs: give every server the same folder, and put the body's own key and chain there for production");
        }
        let key_pem = std::fs::read_to_string(&key_file)
            .with_context(|| format!("reading {}", key_file.display()))?;
        let chain_pem = std::fs::read_to_string(&chain_file)
            .with_context(|| format!("reading {}", chain_file.display()))?;
        Seal::from_pem(&key_pem, &chain_pem)
    }

    /// A seal of its own, kept in memory (tests and throwaway servers).
    pub fn generated(body_name: &str) -> Seal {
        let (key, chain) = generate(body_name).expect("generating a key cannot fail");
        Seal::from_pem(&key, &chain).expect("a generated key reads back")
    }

    pub fn from_pem(key_pem: &str, chain_pem: &str) -> anyhow::Result<Seal> {
        let key = SigningKey::from_pkcs8_pem(key_pem)
            .context("the signing key must be an ECDSA P-256 key in PKCS#8 PEM")?;
        let chain = Certificate::load_pem_chain(chain_pem.as_bytes())
            .context("the certificate chain (PEM)")?;
        let first = chain.first().context("the chain has no certificate")?;
        let public = first
            .tbs_certificate
            .subject_public_key_info
            .subject_public_key
            .raw_bytes();
        if public != VerifyingKey::from(&key).to_encoded_point(false).as_bytes() {
            anyhow::bail!("the chain's first certificate is not the signing key's");
        }
        Ok(Seal {
            key,
            chain,
            chain_pem: chain_pem.to_owned(),
            tsa: None,
        })
    }

    /// Stamps every signature [`Seal::sign_pdf`] makes by the time-stamp authority at `url`
    /// (PAdES B-T).
    pub fn with_tsa(mut self, url: &str) -> anyhow::Result<Seal> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest_s3::Client::builder()
            .timeout(TSA_TIMEOUT)
            .build()
            .context("the time-stamp authority's HTTP client")?;
        self.tsa = Some(Tsa {
            url: url.to_owned(),
            client,
        });
        Ok(self)
    }

    /// Whether signatures are time-stamped.
    pub fn stamps(&self) -> bool {
        self.tsa.is_some()
    }

    /// The chain in PEM, the trust anchor last (for validators: the CA to trust).
    pub fn chain_pem(&self) -> &str {
        &self.chain_pem
    }

    /// The root of the chain, in PEM.
    pub fn root_pem(&self) -> String {
        use der::EncodePem;
        self.chain
            .last()
            .expect("a chain")
            .to_pem(der::pem::LineEnding::LF)
            .expect("a certificate encodes")
    }

    /// Signs a PDF written with the placeholder (PAdES B-B); returns the signed file and the
    /// digest it signed (hex), by which the file is known again.
    pub fn sign(&self, mut pdf: Vec<u8>) -> anyhow::Result<(Vec<u8>, String)> {
        let at = prepare(&mut pdf)?;
        let cms = self.signed_data(&at.digest)?.to_der()?;
        fill(&mut pdf, &at, &cms)?;
        Ok((pdf, hex::encode(at.digest)))
    }

    /// Signs as [`Seal::sign`], time-stamped by the authority where one is configured (PAdES
    /// B-T); an authority that does not answer leaves the signature without its timestamp.
    pub async fn sign_pdf(&self, mut pdf: Vec<u8>) -> anyhow::Result<(Vec<u8>, String)> {
        let Some(tsa) = &self.tsa else {
            return self.sign(pdf);
        };
        let at = prepare(&mut pdf)?;
        let signed = self.signed_data(&at.digest)?;
        let cms = match stamp(tsa, &signed).await {
            Ok(stamped) => stamped,
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), url = %tsa.url, "the time-stamp authority gave no timestamp: the PDF is signed without one (PAdES B-B)");
                signed.to_der()?
            }
        };
        fill(&mut pdf, &at, &cms)?;
        Ok((pdf, hex::encode(at.digest)))
    }

    /// The detached CMS SignedData over `digest`, as a ContentInfo.
    fn signed_data(&self, digest: &[u8]) -> anyhow::Result<ContentInfo> {
        let signer = &self.chain[0];
        let content = EncapsulatedContentInfo {
            econtent_type: const_oid::db::rfc5911::ID_DATA,
            econtent: None,
        };
        let sha256 = AlgorithmIdentifierOwned {
            oid: const_oid::db::rfc5912::ID_SHA_256,
            parameters: None,
        };
        let mut info = SignerInfoBuilder::new(
            &self.key,
            self.signer_id(),
            sha256.clone(),
            &content,
            Some(digest),
        )
        .map_err(|e| anyhow::anyhow!("signer info: {e}"))?;
        let essv2 = SigningCertificateV2 {
            certs: vec![EssCertIdV2 {
                cert_hash: OctetString::new(Sha256::digest(signer.to_der()?).to_vec())?,
                issuer_serial: IssuerSerial {
                    issuer: vec![GeneralName::DirectoryName(
                        signer.tbs_certificate.issuer.clone(),
                    )],
                    serial: signer.tbs_certificate.serial_number.clone(),
                },
            }],
        };
        let mut values = SetOfVec::new();
        values.insert(Any::from_der(&essv2.to_der()?)?)?;
        info.add_signed_attribute(x509_cert::attr::Attribute {
            oid: SIGNING_CERTIFICATE_V2,
            values,
        })
        .map_err(|e| anyhow::anyhow!("signed attribute: {e}"))?;
        let mut data = SignedDataBuilder::new(&content);
        data.add_digest_algorithm(sha256)
            .map_err(|e| anyhow::anyhow!("digest algorithm: {e}"))?;
        for cert in &self.chain {
            data.add_certificate(CertificateChoices::Certificate(cert.clone()))
                .map_err(|e| anyhow::anyhow!("certificate: {e}"))?;
        }
        let signed = data
            .add_signer_info::<SigningKey, DerSignature>(info)
            .map_err(|e| anyhow::anyhow!("signing: {e}"))?
            .build()
            .map_err(|e| anyhow::anyhow!("signed data: {e}"))?;
        Ok(signed)
    }

    fn signer_id(&self) -> SignerIdentifier {
        SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: self.chain[0].tbs_certificate.issuer.clone(),
            serial_number: self.chain[0].tbs_certificate.serial_number.clone(),
        })
    }

    /// A compact JWS (ES256) of `payload` under `header`: what a VC-JWT is.
    pub fn jws(&self, header: &serde_json::Value, payload: &serde_json::Value) -> String {
        use base64::Engine;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use p256::ecdsa::signature::Signer;
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(payload.to_string())
        );
        let signature: p256::ecdsa::Signature = self.key.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
    }

    /// The public key as a JWK (RFC 7517): `kty`, `crv`, `x`, `y`.
    pub fn public_jwk(&self) -> serde_json::Value {
        use base64::Engine;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let point = VerifyingKey::from(&self.key).to_encoded_point(false);
        let coordinate = |c: Option<&p256::FieldBytes>| {
            URL_SAFE_NO_PAD.encode(c.map(|b| b.as_slice()).unwrap_or_default())
        };
        serde_json::json!({
            "kty": "EC",
            "crv": "P-256",
            "x": coordinate(point.x()),
            "y": coordinate(point.y()),
        })
    }

    /// The key's JWK thumbprint (RFC 7638), base64url: a name for it that follows from it.
    pub fn thumbprint(&self) -> String {
        use base64::Engine;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let jwk = self.public_jwk();
        // The required members in lexicographic order, without spaces.
        let canonical = format!(
            r#"{{"crv":"P-256","kty":"EC","x":"{}","y":"{}"}}"#,
            jwk["x"].as_str().unwrap_or_default(),
            jwk["y"].as_str().unwrap_or_default()
        );
        URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
    }

    /// Whether `pdf` carries our signature, intact, over the whole file.
    pub fn check(&self, pdf: &[u8]) -> PdfCheck {
        let Some((range, cms)) = last_signature(pdf) else {
            return PdfCheck::NotSigned;
        };
        let Some(signed) = ContentInfo::from_der(&cms)
            .ok()
            .and_then(|c| c.content.decode_as::<SignedData>().ok())
        else {
            return PdfCheck::NotSigned;
        };
        let Some(info) = signed.signer_infos.0.iter().next() else {
            return PdfCheck::NotSigned;
        };
        // The bytes the signature says it covers, whatever follows them.
        let digest = range_digest(pdf, range);
        let Some(attrs) = &info.signed_attrs else {
            return PdfCheck::NotSigned;
        };
        let claimed = attrs
            .iter()
            .find(|a| a.oid == const_oid::db::rfc5911::ID_MESSAGE_DIGEST)
            .and_then(|a| a.values.iter().next())
            .and_then(|v| v.decode_as::<OctetString>().ok());
        let Some(claimed) = claimed else {
            return PdfCheck::NotSigned;
        };
        if info.sid != self.signer_id() {
            return if claimed.as_bytes() == digest.as_slice() {
                PdfCheck::NotOurs
            } else {
                PdfCheck::Altered
            };
        }
        let verified = attrs.to_der().ok().is_some_and(|der| {
            DerSignature::try_from(info.signature.as_bytes())
                .is_ok_and(|sig| VerifyingKey::from(&self.key).verify(&der, &sig).is_ok())
        });
        if !verified || claimed.as_bytes() != digest.as_slice() {
            return PdfCheck::Altered;
        }
        if range[0] != 0 || range[2] + range[3] != pdf.len() {
            return PdfCheck::Extended;
        }
        PdfCheck::Intact {
            digest: hex::encode(digest),
        }
    }
}

/// A CA and a signing certificate under it, both P-256, valid ten years: the key's and the
/// chain's PEM.
fn generate(body_name: &str) -> anyhow::Result<(String, String)> {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose,
        PKCS_ECDSA_P256_SHA256,
    };
    let now = time::OffsetDateTime::now_utc();
    let name = |params: &mut CertificateParams, cn: String| {
        params.distinguished_name.push(DnType::CommonName, cn);
        params
            .distinguished_name
            .push(DnType::OrganizationName, body_name);
        params.not_before = now - time::Duration::days(1);
        params.not_after = now + time::Duration::days(3650);
    };
    let ca_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
    let mut ca = CertificateParams::new(vec![])?;
    name(&mut ca, format!("{body_name} CA"));
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca.self_signed(&ca_key)?;
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
    let mut leaf = CertificateParams::new(vec![])?;
    name(&mut leaf, format!("{body_name} certifikat"));
    leaf.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::ContentCommitment,
    ];
    leaf.use_authority_key_identifier_extension = true;
    let leaf_cert = leaf.signed_by(&key, &ca_cert, &ca_key)?;
    Ok((
        key.serialize_pem(),
        format!("{}{}", leaf_cert.pem(), ca_cert.pem()),
    ))
}

/// Writes the `/ByteRange` of a PDF written with the placeholder: where the signature goes,
/// and the digest of the bytes around it.
fn prepare(pdf: &mut [u8]) -> anyhow::Result<Placement> {
    let range_at = find(pdf, b"/ByteRange [").context("no /ByteRange")? + 11;
    let range_end = range_at
        + pdf[range_at..]
            .iter()
            .position(|&b| b == b']')
            .context("]")?
        + 1;
    let hex_start = find(pdf, b"/Contents <").context("no /Contents")? + 10;
    let hex_end = hex_start
        + pdf[hex_start..]
            .iter()
            .position(|&b| b == b'>')
            .context(">")?
        + 1;
    let range = format!("[0 {hex_start} {hex_end} {}]", pdf.len() - hex_end);
    let width = range_end - range_at;
    anyhow::ensure!(range.len() <= width, "the byte range does not fit");
    pdf[range_at..range_end].copy_from_slice(format!("{range:<width$}").as_bytes());
    let digest = range_digest(pdf, [0, hex_start, hex_end, pdf.len() - hex_end]);
    Ok(Placement {
        hex_start,
        hex_end,
        digest,
    })
}

/// Puts the signature (CMS DER) in its place, hex, padded with zeros.
fn fill(pdf: &mut [u8], at: &Placement, cms: &[u8]) -> anyhow::Result<()> {
    let hexed = hex::encode_upper(cms);
    anyhow::ensure!(
        hexed.len() <= at.hex_end - at.hex_start - 2,
        "the signature does not fit its placeholder"
    );
    let start = at.hex_start + 1;
    pdf[start..start + hexed.len()].copy_from_slice(hexed.as_bytes());
    pdf[start + hexed.len()..at.hex_end - 1].fill(b'0');
    Ok(())
}

/// The signature of `signed` time-stamped by `tsa`: its RFC 3161 token over the signature
/// value, checked to answer this request (the imprint and the nonce), added to the signer as
/// the unsigned attribute signature-time-stamp-token. The CMS DER.
async fn stamp(tsa: &Tsa, signed: &ContentInfo) -> anyhow::Result<Vec<u8>> {
    use x509_tsp::{MessageImprint, TimeStampReq, TimeStampResp, TspVersion, TstInfo};
    let mut data: SignedData = signed.content.decode_as()?;
    let mut infos: Vec<cms::signed_data::SignerInfo> = data.signer_infos.0.into_vec();
    let info = infos.first_mut().context("no signer")?;
    let imprint = Sha256::digest(info.signature.as_bytes());
    // A positive number of eight bytes, so the answer is to this request.
    let mut nonce: [u8; 8] = rand::random();
    nonce[0] = (nonce[0] & 0x7f) | 0x40;
    let nonce = der::asn1::Int::new(&nonce)?;
    let request = TimeStampReq {
        version: TspVersion::V1,
        message_imprint: MessageImprint {
            hash_algorithm: AlgorithmIdentifierOwned {
                oid: const_oid::db::rfc5912::ID_SHA_256,
                parameters: None,
            },
            hashed_message: OctetString::new(imprint.to_vec())?,
        },
        req_policy: None,
        nonce: Some(nonce.clone()),
        cert_req: true,
        extensions: None,
    };
    let answer = tsa
        .client
        .post(&tsa.url)
        .header("Content-Type", "application/timestamp-query")
        .body(request.to_der()?)
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    let answer = TimeStampResp::from_der(&answer).context("the authority's answer")?;
    use cmpv2::status::PkiStatus;
    anyhow::ensure!(
        matches!(
            answer.status.status,
            PkiStatus::Accepted | PkiStatus::GrantedWithMods
        ),
        "the authority refused: {:?}",
        answer.status.status
    );
    let token = answer.time_stamp_token.context("no token in the answer")?;
    let stamped: SignedData = token.content.decode_as()?;
    let info_der = stamped
        .encap_content_info
        .econtent
        .context("no TSTInfo in the token")?;
    let tst = TstInfo::from_der(info_der.decode_as::<OctetString>()?.as_bytes())?;
    anyhow::ensure!(
        tst.message_imprint.hashed_message.as_bytes() == imprint.as_slice()
            && tst.nonce.as_ref() == Some(&nonce),
        "the token is not for this signature"
    );
    let mut values = SetOfVec::new();
    values.insert(Any::encode_from(&token)?)?;
    let mut attrs = SetOfVec::new();
    attrs.insert(x509_cert::attr::Attribute {
        oid: SIGNATURE_TIME_STAMP_TOKEN,
        values,
    })?;
    info.unsigned_attrs = Some(attrs);
    data.signer_infos = cms::signed_data::SignerInfos(SetOfVec::try_from(infos)?);
    Ok(ContentInfo {
        content_type: signed.content_type,
        content: Any::encode_from(&data)?,
    }
    .to_der()?)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// SHA-256 of the two byte ranges `[start, length, start, length]` a signature covers: the
/// file without its signature's hex string.
fn range_digest(pdf: &[u8], range: [usize; 4]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(&pdf[range[0]..range[0] + range[1]]);
    h.update(&pdf[range[2]..range[2] + range[3]]);
    h.finalize().into()
}

/// The last signature's byte range and its CMS bytes, if the file has one that reads.
fn last_signature(pdf: &[u8]) -> Option<([usize; 4], Vec<u8>)> {
    let at = rfind(pdf, b"/ByteRange")? + 10;
    let open = at + pdf.get(at..)?.iter().position(|&b| b == b'[')? + 1;
    let close = open + pdf.get(open..)?.iter().position(|&b| b == b']')?;
    let numbers: Vec<usize> = std::str::from_utf8(&pdf[open..close])
        .ok()?
        .split_ascii_whitespace()
        .map(|n| n.parse().ok())
        .collect::<Option<_>>()?;
    let range: [usize; 4] = numbers.try_into().ok()?;
    let (start, end) = (range[0].checked_add(range[1])?, range[2]);
    if start >= end
        || range[2].checked_add(range[3])? > pdf.len()
        || pdf[start] != b'<'
        || pdf[end - 1] != b'>'
    {
        return None;
    }
    let hex_text = &pdf[start + 1..end - 1];
    let bytes = hex::decode(hex_text).ok()?;
    // The DER's own length says where the padding begins.
    let mut reader = der::SliceReader::new(&bytes).ok()?;
    let len = der::Header::decode(&mut reader)
        .ok()
        .and_then(|h| {
            let header_len = usize::try_from(h.encoded_len().ok()?).ok()?;
            Some(header_len + usize::try_from(h.length).ok()?)
        })
        .filter(|&l| l <= bytes.len())?;
    Some((range, bytes[..len].to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdf() -> Vec<u8> {
        let mut doc = crate::pdf::Doc::default();
        doc.line(true, 16.0, "Certifikat 10002", 20.0);
        doc.finish_signable("D:20261126120000Z")
    }

    #[test]
    fn a_signed_pdf_checks_intact_and_one_changed_byte_is_found() {
        let seal = Seal::generated("Certportal");
        let (signed, digest) = seal.sign(pdf()).expect("signed");
        assert_eq!(seal.check(&signed), PdfCheck::Intact { digest });
        // A byte of the page's text, inside the signed range.
        let at = find(&signed, b"Certifikat").expect("the text");
        let mut altered = signed.clone();
        altered[at] = b'K';
        assert_eq!(seal.check(&altered), PdfCheck::Altered);
        // Something added after the signature.
        let mut extended = signed.clone();
        extended.extend_from_slice(b"\n% more\n");
        assert_eq!(seal.check(&extended), PdfCheck::Extended);
        // Someone else's key.
        assert_eq!(Seal::generated("Other").check(&signed), PdfCheck::NotOurs);
        assert_eq!(seal.check(&pdf()), PdfCheck::NotSigned);
        assert_eq!(seal.check(b"%PDF-1.7 nothing"), PdfCheck::NotSigned);
    }

    #[test]
    fn a_jws_verifies_with_the_public_jwk() {
        use base64::Engine;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let seal = Seal::generated("Certportal");
        let jws = seal.jws(
            &serde_json::json!({ "alg": "ES256" }),
            &serde_json::json!({ "a": 1 }),
        );
        let (input, sig) = jws.rsplit_once('.').expect("three parts");
        let sig = p256::ecdsa::Signature::from_slice(&URL_SAFE_NO_PAD.decode(sig).expect("b64"))
            .expect("r||s");
        let jwk = seal.public_jwk();
        let mut sec1 = vec![4u8];
        for c in ["x", "y"] {
            sec1.extend(
                URL_SAFE_NO_PAD
                    .decode(jwk[c].as_str().expect(c))
                    .expect("b64"),
            );
        }
        let key = VerifyingKey::from_sec1_bytes(&sec1).expect("key");
        assert!(key.verify(input.as_bytes(), &sig).is_ok());
        assert_eq!(seal.thumbprint().len(), 43);
    }

    #[test]
    fn a_mismatched_key_and_chain_are_refused() {
        let (key, _) = generate("A").expect("a");
        let (_, chain) = generate("B").expect("b");
        assert!(Seal::from_pem(&key, &chain).is_err());
    }
}
