//! gcops' engine: everything between the API and the repository files. It talks to an org only
//! through [`gcops_model::Remote`], reports through [`Progress`], and never prints or touches
//! files: callers get texts and results back.

pub mod export;
pub mod normalize;
pub mod refs;

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
