//! Validate benchmark (issue 4): time and peak memory on a synthetic 100,000-object repository
//! (queues referencing skills, flows, wrap-up codes and each other).
//!
//!     cargo bench -p gcops --bench validate

use std::time::Instant;

use gcops_engine::validate::{Options, SourceFile, validate};
use gcops_model::Catalog;
use gcops_model::canonical::to_canonical_string;
use serde_json::{Value, json};

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_string)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn main() {
    let catalog = Catalog::builtin();
    // The measuring run is a separate process, so its peak memory is validate's alone (not the
    // generator's).
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--validate-dir") {
        let dir = std::path::PathBuf::from(&args[i + 1]);
        let mut files = Vec::new();
        for rel in [
            "domains/architect/flows.json",
            "domains/routing/queues.json",
            "domains/routing/skills.json",
            "domains/routing/wrapup-codes.json",
        ] {
            files.push(SourceFile {
                rel: rel.into(),
                text: std::fs::read_to_string(dir.join(rel)).unwrap(),
            });
        }
        validate_and_report(&catalog, &files);
        return;
    }
    let dir = std::env::temp_dir().join(format!("gcops-validate-bench-{}", std::process::id()));
    for f in synthetic_repository() {
        let path = dir.join(&f.rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, f.text).unwrap();
    }
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--validate-dir", dir.to_str().unwrap()])
        .status()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(status.success());
}

/// About 100,000 objects, rendered as canonical files (the generator's values are dropped).
fn synthetic_repository() -> Vec<SourceFile> {
    let n_queues = 95_000;
    let skills: Vec<Value> = (0..3000)
        .map(|i| json!({"name": format!("Skill {i:04}"), "division": {"name": "Home"}}))
        .collect();
    let codes: Vec<Value> = (0..1000)
        .map(|i| json!({"name": format!("Code {i:04}")}))
        .collect();
    let flows: Vec<Value> = (0..1000)
        .map(|i| json!({"name": format!("Flow {i:04}"), "type": "INQUEUECALL"}))
        .collect();
    let mut queues: Vec<Value> = (0..n_queues)
        .map(|i| {
            json!({
                "name": format!("Queue {i:06} – Support / EMEA"),
                "division": {"name": "Home"},
                "queueFlow": {"name": format!("Flow {:04}", i % 1000), "type": "INQUEUECALL"},
                "bullseye": {"rings": [{"expansionCriteria": [{"type": "TIMEOUT_SECONDS", "threshold": 15}],
                    "actions": {"skillsToRemove": [{"name": format!("Skill {:04}", i % 3000)}]}}]},
                "conditionalGroupRouting": {"rules": [{"queue": {"name": format!("Queue {:06} – Support / EMEA", (i + 1) % n_queues)},
                    "metric": "EstimatedWaitTime", "operator": "GreaterThan", "conditionValue": 60, "waitSeconds": 10}]},
                "mediaSettings": {"call": {"alertingTimeoutSeconds": 8, "serviceLevel": {"durationMs": 20000, "percentage": 0.8}}},
                "acwSettings": {"timeoutMs": 30000, "wrapupPrompt": "OPTIONAL"},
                "skillEvaluationMethod": "BEST",
                "wrapupCodes": [{"name": format!("Code {:04}", i % 1000)}],
            })
        })
        .collect();
    queues.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    let files = vec![
        SourceFile {
            rel: "domains/architect/flows.json".into(),
            text: to_canonical_string(&Value::Array(flows)),
        },
        SourceFile {
            rel: "domains/routing/queues.json".into(),
            text: to_canonical_string(&Value::Array(queues)),
        },
        SourceFile {
            rel: "domains/routing/skills.json".into(),
            text: to_canonical_string(&Value::Array(skills)),
        },
        SourceFile {
            rel: "domains/routing/wrapup-codes.json".into(),
            text: to_canonical_string(&Value::Array(codes)),
        },
    ];
    files
}

fn validate_and_report(catalog: &Catalog, files: &[SourceFile]) {
    let n_queues = 95_000;
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    let before = peak_rss_mb();
    let opts = Options {
        environments: vec![("dev".into(), Some(json!({})), None)],
        compat: None,
        include_org_specific: false,
        cert_warn_days: 30,
        now_ms: 0,
        live: None,
    };
    let started = Instant::now();
    let diags = validate(catalog, files, &opts);
    let secs = started.elapsed().as_secs_f64();
    let objects = n_queues + 5000;
    println!(
        "validate of a synthetic {objects}-object repository ({:.1} MB of JSON):",
        bytes as f64 / 1e6
    );
    println!("  diagnostics:  {} ({} codes)", diags.len(), {
        let mut c: Vec<&str> = diags.iter().map(|d| d.code).collect();
        c.dedup();
        c.join(", ")
    });
    println!(
        "  time:         {secs:.2} s ({:.0} objects/s)",
        objects as f64 / secs
    );
    println!(
        "  peak memory:  {:.0} MB (the input texts alone: {:.0} MB; before validate: {before:.0} MB)",
        peak_rss_mb(),
        bytes as f64 / 1e6
    );
}
