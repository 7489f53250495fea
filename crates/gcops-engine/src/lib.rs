//! gcops' engine: everything between the API and the repository files. It talks to an org only
//! through [`gcops_model::Remote`], reports through [`Progress`], and never prints or touches
//! files: callers get texts and results back.

pub mod apply;
pub mod export;
pub mod format;
pub mod graph;
pub mod json;
pub mod live;
pub mod normalize;
pub mod plan;
pub mod refs;
pub mod validate;

pub use export::{ExportOptions, ExportResult, KindReport, export};
pub use gcops_model::IgnoreRule;

/// Progress of long work, per kind. The CLI draws bars; tests and libraries pass [`NoProgress`].
pub trait Progress: Send + Sync {
    /// `total`: units of work (parents of a sub-resource fan-out), if known.
    fn start(&self, _kind: &str, _total: Option<u64>) {}
    fn advance(&self, _kind: &str, _by: u64) {}
    fn finish(&self, _kind: &str, _objects: usize, _error: Option<&str>) {}
}

pub struct NoProgress;
impl Progress for NoProgress {}

#[cfg(test)]
mod ids_test_rng {
    /// A tiny deterministic generator for property tests (no rand dependency).
    pub struct Rng(pub u64);
    impl Rng {
        pub fn below(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) % n.max(1) as u64) as usize
        }
    }
}
