//! Identifiers: deterministic UUID-shaped ids for entities (so seeds and snapshots are
//! reproducible) and unguessable random strings for secrets and tokens.

use std::io::Read;

/// SplitMix64: small, fast, and good enough to spread a counter over 64 bits.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// FNV-1a, used to derive stable seeds from names.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A version-4-shaped UUID derived from `(seed, n)`.
pub fn uuid_from(seed: u64, n: u64) -> String {
    let mut r = SplitMix64(seed ^ n.wrapping_mul(0xA24B_AED4_963E_E407));
    let a = r.next_u64();
    let b = r.next_u64();
    let a = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000;
    let b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFFF,
        b >> 48,
        b & 0xFFFF_FFFF_FFFF
    )
}

/// `n` random bytes from the OS (falls back to time-seeded mixing where /dev/urandom is absent).
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    if std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .is_ok()
    {
        return buf;
    }
    let mut r = SplitMix64(crate::time::real_now_ms() as u64 ^ std::process::id() as u64);
    for b in buf.iter_mut() {
        *b = r.next_u64() as u8;
    }
    buf
}

/// A random URL-safe string of `n` characters (tokens, client secrets).
pub fn random_token(n: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    random_bytes(n)
        .into_iter()
        .map(|b| ALPHABET[(b & 63) as usize] as char)
        .collect()
}

#[cfg(test)]
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn uuids_are_stable_and_shaped() {
        let a = uuid_from(7, 1);
        assert_eq!(a, uuid_from(7, 1));
        assert_ne!(a, uuid_from(7, 2));
        assert!(is_uuid(&a));
        assert_eq!(&a[14..15], "4");
    }
}
