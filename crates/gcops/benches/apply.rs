//! Apply benchmark (issue 5): the emulator's large seed (dev) applied to an empty org (stage).
//! Prints requests made vs the plan's minimum and wall time vs requests ÷ allowed rate.
//!
//!     cargo bench -p gcops --bench apply                              # the real limits (minutes)
//!     GCOPS_BENCH_TIME_SCALE=60 cargo bench -p gcops --bench apply    # a "minute" lasts 1 s

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use gcops_emulator::{Emulator, RateLimits, SeedSize};
use gcops_engine::apply::{ApplyOptions, Journal};
use gcops_engine::{ExportOptions, NoProgress};
use serde_json::Value;

struct Discard;
impl Journal for Discard {
    fn record(&self, _: &Value) -> Result<(), String> {
        Ok(())
    }
}

#[path = "shared.rs"]
mod shared;
use shared::client;

fn main() {
    let scale: f64 = std::env::var("GCOPS_BENCH_TIME_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let limits = RateLimits {
            time_scale: scale,
            ..RateLimits::default()
        };
        let emu = Emulator::builder()
            .seed(SeedSize::Large)
            .rate_limits(limits)
            .start()
            .await
            .unwrap();
        let catalog = shared::emulator_catalog();
        // Desired state: dev as export writes it.
        let dev = client(&emu, "dev", scale);
        let exported = gcops_engine::export(
            &dev,
            &catalog,
            &Default::default(),
            &ExportOptions {
                env: "dev".into(),
                ..Default::default()
            },
            Arc::new(NoProgress),
        )
        .await;
        let desired: BTreeMap<String, BTreeMap<String, Value>> = exported
            .kinds
            .iter()
            .map(|k| (k.kind.clone(), k.normalized.iter().cloned().collect()))
            .collect();
        // Plan against the empty stage org, then apply.
        let stage = client(&emu, "stage", scale);
        let kinds: Vec<String> = desired.keys().cloned().collect();
        let live = gcops_engine::export(
            &stage,
            &catalog,
            &Default::default(),
            &ExportOptions {
                env: "stage".into(),
                kinds,
                ..Default::default()
            },
            Arc::new(NoProgress),
        )
        .await;
        let allowed = 3000.0 / 60.0 * scale;
        let report = gcops_engine::plan::plan(
            &catalog,
            "stage",
            &desired,
            &live,
            Vec::new(),
            allowed * 0.9,
        );
        let before = stage.stats();
        let started = Instant::now();
        let outcome = gcops_engine::apply::apply(
            &stage,
            &catalog,
            &report,
            &desired,
            &live,
            &ApplyOptions::default(),
            Arc::new(Discard),
        )
        .await;
        let wall = started.elapsed().as_secs_f64();
        let after = stage.stats();
        assert!(
            !outcome.failed,
            "the apply failed: {:?}",
            outcome.steps.iter().find(|s| s.error.is_some())
        );
        let made = after.requests - before.requests;
        let minimum: u64 = report.operations.iter().map(|o| o.requests).sum();
        println!("apply of the large seed into an empty org (time scale {scale}):");
        println!("  operations:              {}", report.operations.len());
        println!(
            "  requests made:           {made} (+{} token requests)",
            after.token_requests - before.token_requests
        );
        println!(
            "  minimum (plan estimate): {minimum} (ratio {:.3})",
            made as f64 / minimum as f64
        );
        println!(
            "  retries / throttled / failed: {} / {} / {}",
            after.retries - before.retries,
            after.throttled - before.throttled,
            after.failed - before.failed
        );
        println!("  wall time:               {wall:.2} s");
        println!(
            "  requests ÷ allowed rate: {:.2} s at {allowed:.1} req/s (ratio {:.3})",
            made as f64 / allowed,
            wall / (made as f64 / allowed)
        );
        emu.shutdown().await;
    });
}
