//! Just enough X.509 for certificate authorities: make deterministic self-signed Ed25519 CA
//! certificates for the seed, and read issuer, subject and validity out of a PEM the way the
//! platform fills `certificateDetails`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};

use crate::time::{Millis, civil_from_days};

const OID_ED25519: &[u8] = &[0x2B, 0x65, 0x70];
const OID_CN: &[u8] = &[0x55, 0x04, 0x03];
const OID_O: &[u8] = &[0x55, 0x04, 0x0A];
const OID_C: &[u8] = &[0x55, 0x04, 0x06];
const OID_BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1D, 0x13];

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn name(attrs: &[(&[u8], &str)]) -> Vec<u8> {
    let rdns: Vec<Vec<u8>> = attrs
        .iter()
        .map(|(oid, v)| {
            let value = if *oid == OID_C {
                tlv(0x13, v.as_bytes())
            } else {
                tlv(0x0C, v.as_bytes())
            };
            tlv(0x31, &seq(&[tlv(0x06, oid), value]))
        })
        .collect();
    seq(&rdns)
}

fn time(ms: Millis) -> Vec<u8> {
    let secs = ms.div_euclid(1000);
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    let hms = format!("{:02}{:02}{:02}", sod / 3600, (sod % 3600) / 60, sod % 60);
    if (1950..2050).contains(&y) {
        tlv(
            0x17,
            format!("{:02}{mo:02}{d:02}{hms}Z", y % 100).as_bytes(),
        )
    } else {
        tlv(0x18, format!("{y:04}{mo:02}{d:02}{hms}Z").as_bytes())
    }
}

/// A self-signed CA certificate, deterministic for the same inputs (Ed25519 signatures are).
pub fn self_signed_ca(
    key_seed: [u8; 32],
    serial: u64,
    common_name: &str,
    organization: &str,
    country: &str,
    not_before: Millis,
    not_after: Millis,
) -> String {
    let key = Ed25519KeyPair::from_seed_unchecked(&key_seed).expect("32-byte seed is a valid key");
    let alg = seq(&[tlv(0x06, OID_ED25519)]);
    let dn = name(&[
        (OID_C, country),
        (OID_O, organization),
        (OID_CN, common_name),
    ]);
    let mut serial_bytes = serial.to_be_bytes().to_vec();
    serial_bytes.insert(0, 0); // keep it positive
    let spki = seq(&[
        alg.clone(),
        tlv(0x03, &[&[0u8][..], key.public_key().as_ref()].concat()),
    ]);
    let basic_constraints = seq(&[
        tlv(0x06, OID_BASIC_CONSTRAINTS),
        tlv(0x01, &[0xFF]),
        tlv(0x04, &seq(&[tlv(0x01, &[0xFF])])),
    ]);
    let tbs = seq(&[
        tlv(0xA0, &tlv(0x02, &[2])),
        tlv(0x02, &serial_bytes),
        alg.clone(),
        dn.clone(),
        seq(&[time(not_before), time(not_after)]),
        dn,
        spki,
        tlv(0xA3, &seq(&[basic_constraints])),
    ]);
    let sig = key.sign(&tbs);
    let cert = seq(&[tbs, alg, tlv(0x03, &[&[0u8][..], sig.as_ref()].concat())]);
    let b64 = STANDARD.encode(cert);
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----");
    pem
}

/// What the platform reports about one certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct Details {
    pub issuer: String,
    pub subject: String,
    pub issue_date: Millis,
    pub expiration_date: Millis,
    /// `Some` when the signature could be checked (self-signed Ed25519).
    pub signature_valid: Option<bool>,
}

/// Parses every certificate in a PEM bundle and checks self-signed Ed25519 signatures.
pub fn parse_pem(pem: &str) -> Option<Vec<Details>> {
    let parsed = gcops_model::x509::parse_pem(pem)?;
    Some(
        parsed
            .into_iter()
            .map(|d| Details {
                signature_valid: d.self_signed_ed25519.as_ref().map(|(key, tbs, sig)| {
                    UnparsedPublicKey::new(&ED25519, key)
                        .verify(tbs, sig)
                        .is_ok()
                }),
                issuer: d.issuer,
                subject: d.subject,
                issue_date: d.issue_date,
                expiration_date: d.expiration_date,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_certificates_parse_back() {
        let nb = 1_700_000_000_000 / 1000 * 1000;
        let na = 2_600_000_000_000 / 1000 * 1000; // 2052: GeneralizedTime
        let pem = self_signed_ca(
            [7; 32],
            42,
            "Carrier Root CA",
            "Carrier Ünited",
            "US",
            nb,
            na,
        );
        assert_eq!(
            pem,
            self_signed_ca(
                [7; 32],
                42,
                "Carrier Root CA",
                "Carrier Ünited",
                "US",
                nb,
                na
            )
        );
        let d = parse_pem(&pem).unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].subject, "CN=Carrier Root CA,O=Carrier Ünited,C=US");
        assert_eq!(d[0].issuer, d[0].subject);
        assert_eq!((d[0].issue_date, d[0].expiration_date), (nb, na));
        assert_eq!(d[0].signature_valid, Some(true));
        assert!(parse_pem("not a certificate").is_none());
        assert!(
            parse_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----").is_none()
        );
    }
}
