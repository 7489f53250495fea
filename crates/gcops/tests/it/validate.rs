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

#[tokio::test(flavor = "multi_thread")]
async fn env_checks_accept_org_objects_and_report_live_certificates() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(dir.path(), &["--seed", "small", "--time-scale", "60"]);
    let repo = init_repo(&served, dir.path());
    assert_eq!(export(&repo, &[]).0, 0);
    // A flow that exists only in the org, and a queue in the repository that uses it.
    admin(&served, reqwest::Method::POST, "/_emulator/orgs/dev/edits",
        json!({"op": "create", "kind": "architect/flows", "body": {"name": "Org Only IQ", "type": "INQUEUECALL"}})).await;
    let path = repo.join("domains/routing/queues.json");
    let mut queues: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    queues[0]["queueFlow"] = json!({"name": "Org Only IQ", "type": "INQUEUECALL"});
    std::fs::write(
        &path,
        gcops_model::canonical::to_canonical_string(&Value::Array(queues)),
    )
    .unwrap();
    let r = repo.to_str().unwrap();
    let (code, out, _) = run(&["validate", "--json", "--repo", r]);
    assert_eq!(code, 1);
    assert!(
        out.contains("DANGLING_REFERENCE") && out.contains("Org Only IQ"),
        "{out}"
    );
    let (code, out, err) = run(&["validate", "--env", "dev", "--json", "--repo", r]);
    assert_eq!(code, 0, "{out}\n{err}");

    // Certificates as the org reports them: an expired one added in the UI is an error there.
    let (code, out, _) = run(&["certs", "check", "--env", "dev", "--json", "--repo", r]);
    assert_eq!(code, 0, "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"].as_str().unwrap().starts_with("CERT_"))
    );
    assert!(
        out.contains("Partner PBX CA") && out.contains("CERT_EXPIRING"),
        "{out}"
    );
    let expired =
        gcops_emulator::ca_certificate_pem("Old Carrier CA", 1_546_300_800_000, 1_577_836_800_000);
    admin(&served, reqwest::Method::POST, "/_emulator/orgs/dev/edits",
        json!({"op": "create", "kind": "telephony/certificate-authorities",
               "body": {"name": "Old Carrier CA", "type": "REMOTE", "services": ["SIP"], "certificate": expired}})).await;
    let (code, out, _) = run(&["certs", "check", "--env", "dev", "--repo", r]);
    assert_eq!(code, 1);
    assert!(out.contains("1 errors"), "{out}");
    let (_, _, err) = run(&["certs", "check", "--env", "dev", "--repo", r]);
    assert!(
        err.contains("'Old Carrier CA' in the dev org expired"),
        "{err}"
    );
}
