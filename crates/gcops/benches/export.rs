//! Export benchmark (issue 3). Prints, for the emulator's large seed: requests made vs the
//! minimum and wall time vs requests ÷ allowed rate; then normalization throughput on a
//! synthetic 100,000-object export.
//!
//!     cargo bench -p gcops --bench export
//!     GCOPS_BENCH_TIME_SCALE=60 cargo bench -p gcops --bench export   # a "minute" lasts 1 s
//!
//! With the default time scale of 1 the export runs at the platform's real limits (about 45 s).

use std::sync::Arc;
use std::time::Instant;

use gcops_emulator::{Emulator, RateLimits, SeedSize};
use gcops_engine::normalize::{Index, normalize};
use gcops_engine::{ExportOptions, NoProgress};
use gcops_model::canonical::to_canonical_string;
use gcops_model::catalog::Catalog;
use serde_json::{Value, json};

#[path = "shared.rs"]
mod shared;

fn main() {
    let scale: f64 = std::env::var("GCOPS_BENCH_TIME_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(export_large(scale));
    normalization_throughput();
}

async fn export_large(scale: f64) {
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
    let client = shared::client(&emu, "dev", scale);
    let pool = client.config().token_pool as f64;
    let catalog = shared::emulator_catalog();
    let opts = ExportOptions {
        env: "dev".into(),
        ..ExportOptions::default()
    };
    emu.reset_counters();
    let started = Instant::now();
    let result = gcops_engine::export(
        &client,
        &catalog,
        &Default::default(),
        &opts,
        Arc::new(NoProgress),
    )
    .await;
    let wall = started.elapsed().as_secs_f64();
    assert!(!result.failed(), "the export failed");
    let stats = client.stats();
    let objects: usize = result.kinds.iter().map(|k| k.objects).sum();
    let server = emu.counters();
    let allowed_per_s = (pool * 300.0).min(3000.0) / 60.0 * scale;
    let ideal = stats.requests as f64 / allowed_per_s;
    println!("export of the large seed (time scale {scale}):");
    println!("  objects exported:        {objects}");
    println!(
        "  requests made:           {} (+{} token requests; the emulator counted {})",
        stats.requests, stats.token_requests, server.total
    );
    println!(
        "  minimum requests:        {} (ratio {:.3})",
        result.min_requests(),
        stats.requests as f64 / result.min_requests() as f64
    );
    println!(
        "  retries / throttled:     {} / {}",
        stats.retries, stats.throttled
    );
    println!("  wall time:               {wall:.2} s");
    println!(
        "  requests ÷ allowed rate: {ideal:.2} s at {allowed_per_s:.1} req/s (ratio {:.3})",
        wall / ideal
    );
    emu.shutdown().await;
}

/// A queue in API form with references of every shape, as the platform returns it.
fn api_queue(i: usize) -> Value {
    json!({
        "id": format!("00000000-0000-4000-8000-{i:012}"), "name": format!("Queue {i:06} – Ünïcode / Support"),
        "selfUri": format!("/api/v2/routing/queues/{i}"), "dateCreated": "2024-03-01T10:00:00.000Z",
        "dateModified": "2024-03-02T10:00:00.000Z", "createdBy": "u", "modifiedBy": "u", "memberCount": 12,
        "division": {"id": format!("d{}", i % 10), "name": format!("Division {}", i % 10), "selfUri": "/d"},
        "queueFlow": {"id": format!("f{}", i % 200), "name": "x", "selfUri": "/f"},
        "mediaSettings": {"call": {"alertingTimeoutSeconds": 8, "serviceLevel": {"percentage": 0.8, "durationMs": 20000}}},
        "bullseye": {"rings": [{"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 15}],
            "actions": {"skillsToRemove": [{"id": format!("s{}", (i * 7) % 500)}, {"id": format!("s{}", i % 500)}]}}]},
        "conditionalGroupRouting": {"rules": [{"queue": {"id": format!("00000000-0000-4000-8000-{:012}", (i + 1) % 100_000)},
            "metric": "EstimatedWaitTime", "operator": "GreaterThan", "conditionValue": 60, "waitSeconds": 10}]},
        "wrapupCodes": [{"id": format!("w{}", i % 300), "name": "x"}, {"id": format!("w{}", (i + 3) % 300), "name": "y"}],
        "acwSettings": {"wrapupPrompt": "OPTIONAL", "timeoutMs": 60000}, "skillEvaluationMethod": "BEST"
    })
}

fn normalization_throughput() {
    let catalog = Catalog::builtin();
    let queues = catalog.get("routing/queues").unwrap();
    let mut index = Index::default();
    for i in 0..10 {
        index.add(
            catalog.get("administration/divisions").unwrap(),
            &json!({"id": format!("d{i}"), "name": format!("Division {i}")}),
        );
    }
    for i in 0..200 {
        index.add(
            catalog.get("architect/flows").unwrap(),
            &json!({"id": format!("f{i}"), "name": format!("Flow {i}"), "type": "INQUEUECALL"}),
        );
    }
    for i in 0..500 {
        index.add(
            catalog.get("routing/skills").unwrap(),
            &json!({"id": format!("s{i}"), "name": format!("Skill {i}")}),
        );
    }
    for i in 0..300 {
        index.add(
            catalog.get("routing/wrapup-codes").unwrap(),
            &json!({"id": format!("w{i}"), "name": format!("Code {i}")}),
        );
    }
    let n = 100_000;
    let raw: Vec<Value> = (0..n).map(api_queue).collect();
    for q in &raw {
        index.add(queues, q);
    }
    let started = Instant::now();
    let mut out: Vec<(String, Value)> = raw
        .iter()
        .map(|q| {
            let (v, unresolved) = normalize(queues, q, &index, false);
            assert!(unresolved.is_empty());
            (q["name"].as_str().unwrap().to_string(), v)
        })
        .collect();
    let normalized = started.elapsed().as_secs_f64();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    let text = to_canonical_string(&Value::Array(out.into_iter().map(|(_, v)| v).collect()));
    let total = started.elapsed().as_secs_f64();
    println!("normalization of a synthetic {n}-object export (one thread):");
    println!(
        "  normalize:               {normalized:.2} s ({:.0} objects/s)",
        n as f64 / normalized
    );
    println!(
        "  + sort and canonical JSON: {total:.2} s total, {:.1} MB written",
        text.len() as f64 / 1e6
    );
}
