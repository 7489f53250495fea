//! The emulator's clock and the API's date formats.
//!
//! The clock is real time plus an offset that the admin API can move (so tokens and
//! certificates can be made to expire). Formatting is done by hand (civil-from-days) to keep
//! the dependency tree small.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

pub use gcops_model::time::Millis;

/// Real time shifted by a settable offset.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    pub fn now_ms(&self) -> Millis {
        real_now_ms() + self.offset_ms.load(Ordering::Relaxed)
    }
    /// Moves the clock so that it reads `at` now (and keeps ticking from there).
    pub fn set_now(&self, at: Millis) {
        self.offset_ms.store(at - real_now_ms(), Ordering::Relaxed);
    }
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }
    pub fn set_offset_ms(&self, offset: i64) {
        self.offset_ms.store(offset, Ordering::Relaxed);
    }
}

pub fn real_now_ms() -> Millis {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

pub use gcops_model::time::{civil_from_days, iso, parse_iso};
