//! gcops' pure core, shared by every other crate: the kinds catalog, canonical JSON, JSON
//! Pointer patterns and the id map. No I/O here.

pub mod canonical;
pub mod catalog;
pub mod idmap;
pub mod ignore;
pub mod models;
pub mod pointer;
pub mod regions;
pub mod remote;
pub mod time;
pub mod x509;

pub use catalog::{Catalog, KindSpec, Paging, RefRule, Shape, Write};
pub use idmap::IdMap;
pub use ignore::IgnoreRule;
pub use remote::{Remote, RemoteError};

/// Whether `s` contains a UUID-shaped substring (8-4-4-4-12 hex digits).
pub fn contains_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 36 {
        return false;
    }
    (0..=b.len() - 36).any(|i| is_uuid_bytes(&b[i..i + 36]))
}

pub fn is_uuid(s: &str) -> bool {
    s.len() == 36 && is_uuid_bytes(s.as_bytes())
}

fn is_uuid_bytes(b: &[u8]) -> bool {
    b.iter().enumerate().all(|(i, c)| match i {
        8 | 13 | 18 | 23 => *c == b'-',
        _ => c.is_ascii_hexdigit(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn uuid_shapes() {
        assert!(super::is_uuid("8c9b8b3e-6f1c-4f3e-9d0e-2b8c3f2a1d10"));
        assert!(super::contains_uuid(
            "see /api/v2/routing/queues/8c9b8b3e-6f1c-4f3e-9d0e-2b8c3f2a1d10 x"
        ));
        assert!(!super::contains_uuid("Support – Tier 1"));
    }
}
