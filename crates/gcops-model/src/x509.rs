//! Reading X.509 certificates just far enough for certificate-authority checks: issuer,
//! subject and validity of every certificate in a PEM bundle (and the pieces needed to check a
//! self-signed Ed25519 signature, for those who have a crypto library).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

const OID_ED25519: &[u8] = &[0x2B, 0x65, 0x70];
const OID_CN: &[u8] = &[0x55, 0x04, 0x03];
const OID_O: &[u8] = &[0x55, 0x04, 0x0A];
const OID_OU: &[u8] = &[0x55, 0x04, 0x0B];
const OID_C: &[u8] = &[0x55, 0x04, 0x06];

use crate::time::{Millis, days_from_civil};

/// What the platform reports about one certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct Details {
    pub issuer: String,
    pub subject: String,
    pub issue_date: Millis,
    pub expiration_date: Millis,
    /// For a self-signed Ed25519 certificate: (public key, signed bytes, signature), so that a
    /// caller with a crypto library can check the signature.
    pub self_signed_ed25519: Option<(Vec<u8>, Vec<u8>, Vec<u8>)>,
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
    let self_signed_ed25519 = if ed25519 && issuer_whole == subject_whole {
        let mut s = Reader { buf: spki };
        s.next()?;
        let (_, key_bits, _) = s.next()?;
        Some((
            key_bits.get(1..)?.to_vec(),
            tbs_whole.to_vec(),
            sig_bits.get(1..)?.to_vec(),
        ))
    } else {
        None
    };
    Some(Details {
        issuer: dn_string(issuer)?,
        subject: dn_string(subject)?,
        issue_date: not_before,
        expiration_date: not_after,
        self_signed_ed25519,
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
    #[test]
    fn garbage_is_not_a_certificate() {
        assert!(super::parse_pem("not a certificate").is_none());
        assert!(
            super::parse_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")
                .is_none()
        );
    }
}
