//! `gcops validate` on fixture repositories, one per defect, each with its expected
//! diagnostics (`expected.json`; `GCOPS_UPDATE_SNAPSHOTS=1` rewrites them for review).

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::common::*;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/validate")
}

#[test]
fn every_fixture_gives_exactly_its_diagnostics() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 12);
    let update = std::env::var("GCOPS_UPDATE_SNAPSHOTS").is_ok();
    let mut failures = Vec::new();
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let (code, out, err) = run(&["validate", "--json", "--repo", case.to_str().unwrap()]);
        let report: Value = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("{name}: no JSON ({e}): {out}\n{err}"));
        let got: Vec<Value> = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| json!({"code": d["code"], "severity": d["severity"], "at": format!("{}:{}:{}", d["file"].as_str().unwrap(), d["line"], d["column"]), "pointer": d["pointer"]}))
            .collect();
        let got = json!({"exit": code, "diagnostics": got});
        let path = case.join("expected.json");
        if update {
            std::fs::write(&path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
            continue;
        }
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default())
                .unwrap_or(Value::Null);
        if expected != got {
            failures.push(format!("{name}:\nexpected {expected:#}\n     got {got:#}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn human_output_points_at_the_value() {
    let case = fixtures().join("schema");
    let (code, _, err) = run(&["validate", "--repo", case.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("error[SCHEMA_INVALID_VALUE]: 'SOMETIMES' is not a valid value"),
        "{err}"
    );
    assert!(err.contains("--> domains/routing/queues.json:"), "{err}");
    assert!(err.contains("^^^^^^^^^^^"), "{err}");
    assert!(err.contains("hint: use one of: NONE, BEST, ALL"), "{err}");
    assert!(err.contains("did you mean 'description'?"), "{err}");
}

#[test]
fn graph_formats_and_blocking_cycles() {
    let case = fixtures().join("cycles");
    let (code, out, _) = run(&[
        "graph",
        "--format",
        "json",
        "--repo",
        case.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "a cycle of required references");
    let g: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(g["cycles"].as_array().unwrap().len(), 1);
    let (_, dot, _) = run(&["graph", "--repo", case.to_str().unwrap()]);
    assert!(
        dot.starts_with("digraph gcops {") && dot.contains("style=dashed"),
        "{dot}"
    );
    let (_, mermaid, _) = run(&[
        "graph",
        "--format",
        "mermaid",
        "--repo",
        fixtures().join("clean").to_str().unwrap(),
    ]);
    assert!(mermaid.starts_with("flowchart LR"), "{mermaid}");
}

#[test]
fn schema_command_writes_a_schema_per_kind() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, _) = run(&["schema", "--out", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    let q: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("routing.queues.schema.json")).unwrap(),
    )
    .unwrap();
    let item = &q["items"];
    assert_eq!(item["additionalProperties"], false);
    assert_eq!(item["properties"]["queueFlow"]["$ref"], "#/$defs/flowRef");
    assert!(
        item["properties"].get("id").is_none() && item["properties"].get("memberCount").is_none()
    );
    assert_eq!(
        item["properties"]["wrapupCodes"]["items"]["$ref"],
        "#/$defs/ref"
    );
    assert!(std::fs::read_dir(dir.path()).unwrap().count() >= 12);
}
