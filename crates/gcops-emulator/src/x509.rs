//! Just enough X.509 for certificate authorities: make deterministic self-signed Ed25519 CA
//! certificates for the seed, and read issuer, subject and validity out of a PEM the way the
//! platform fills `certificateDetails`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};

use crate::time::{Millis, civil_from_days, days_from_civil};

const OID_ED25519: &[u8] = &[0x2B, 0x65, 0x70];
const OID_CN: &[u8] = &[0x55, 0x04, 0x03];
const OID_O: &[u8] = &[0x55, 0x04, 0x0A];
const OID_OU: &[u8] = &[0x55, 0x04, 0x0B];
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

/// Parses every certificate in a PEM bundle. `None` if the text holds no parsable certificate.
pub fn parse_pem(pem: &str) -> Option<Vec<Details>> {
    let mut out = Vec::new();
    let mut rest = pem;
    while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
        let after = &rest[start + 27..];
        let end = after.find("-----END CERTIFICATE-----")?;
        let b64: String = after[..end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let der = STANDARD.decode(b64).ok()?;
        out.push(parse_der(&der)?);
        rest = &after[end + 25..];
    }
    if out.is_empty() { None } else { Some(out) }
}

struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Reads one TLV; returns (tag, content, whole encoding).
    fn next(&mut self) -> Option<(u8, &'a [u8], &'a [u8])> {
        let tag = *self.buf.first()?;
        let first = *self.buf.get(1)? as usize;
        let (len, hdr) = if first < 0x80 {
            (first, 2)
        } else {
            let n = first & 0x7F;
            if n == 0 || n > 4 {
                return None;
            }
            let mut len = 0usize;
            for i in 0..n {
                len = (len << 8) | *self.buf.get(2 + i)? as usize;
            }
            (len, 2 + n)
        };
        let whole = self.buf.get(..hdr.checked_add(len)?)?;
        let content = &whole[hdr..];
        self.buf = &self.buf[hdr + len..];
        Some((tag, content, whole))
    }
}

fn parse_der(der: &[u8]) -> Option<Details> {
    let (tag, cert, _) = Reader { buf: der }.next()?;
    if tag != 0x30 {
        return None;
    }
    let mut c = Reader { buf: cert };
    let (tag, tbs, tbs_whole) = c.next()?;
    if tag != 0x30 {
        return None;
    }
    let (_, sig_alg, _) = c.next()?;
    let (_, sig_bits, _) = c.next()?;
    let mut t = Reader { buf: tbs };
    let mut item = t.next()?;
    if item.0 == 0xA0 {
        item = t.next()?; // serial follows the explicit version
    }
    if item.0 != 0x02 {
        return None;
    }
    t.next()?; // signature algorithm
    let (_, issuer, issuer_whole) = t.next()?;
    let (_, validity, _) = t.next()?;
    let (_, subject, subject_whole) = t.next()?;
    let (_, spki, _) = t.next()?;
    let mut v = Reader { buf: validity };
    let not_before = parse_time(v.next()?)?;
    let not_after = parse_time(v.next()?)?;

    let ed25519 = {
        let mut a = Reader { buf: sig_alg };
        a.next()
            .map(|(_, oid, _)| oid == OID_ED25519)
            .unwrap_or(false)
    };
    let signature_valid = if ed25519 && issuer_whole == subject_whole {
        let mut s = Reader { buf: spki };
        s.next()?;
        let (_, key_bits, _) = s.next()?;
        let key = key_bits.get(1..)?;
        let sig = sig_bits.get(1..)?;
        Some(
            UnparsedPublicKey::new(&ED25519, key)
                .verify(tbs_whole, sig)
                .is_ok(),
        )
    } else {
        None
    };
    Some(Details {
        issuer: dn_string(issuer)?,
        subject: dn_string(subject)?,
        issue_date: not_before,
        expiration_date: not_after,
        signature_valid,
    })
}

fn dn_string(name: &[u8]) -> Option<String> {
    let mut parts = Vec::new();
    let mut r = Reader { buf: name };
    while !r.buf.is_empty() {
        let (_, set, _) = r.next()?;
        let mut s = Reader { buf: set };
        let (_, atv, _) = s.next()?;
        let mut a = Reader { buf: atv };
        let (_, oid, _) = a.next()?;
        let (_, value, _) = a.next()?;
        let key = match oid {
            o if o == OID_CN => "CN",
            o if o == OID_O => "O",
            o if o == OID_OU => "OU",
            o if o == OID_C => "C",
            _ => continue,
        };
        parts.push(format!("{key}={}", String::from_utf8_lossy(value)));
    }
    parts.reverse(); // most specific first, as the platform prints it
    Some(parts.join(","))
}

fn parse_time((tag, content, _): (u8, &[u8], &[u8])) -> Option<Millis> {
    let s = std::str::from_utf8(content).ok()?;
    let (y, rest) = match tag {
        0x17 => {
            let yy: i64 = s.get(0..2)?.parse().ok()?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, s.get(2..)?)
        }
        0x18 => (s.get(0..4)?.parse().ok()?, s.get(4..)?),
        _ => return None,
    };
    let n = |r: std::ops::Range<usize>| -> Option<i64> { rest.get(r)?.parse().ok() };
    let days = days_from_civil(y, n(0..2)? as u32, n(2..4)? as u32);
    Some((days * 86_400 + n(4..6)? * 3600 + n(6..8)? * 60 + n(8..10)?) * 1000)
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
