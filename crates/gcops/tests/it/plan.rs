//! `gcops plan`: the computed dry run against a live (emulated) org.

use serde_json::{Value, json};

use crate::common::*;

fn write_queues(repo: &std::path::Path, f: impl FnOnce(&mut Vec<Value>)) {
    let path = repo.join("domains/routing/queues.json");
    let mut q: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    f(&mut q);
    q.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    std::fs::write(
        &path,
        gcops_model::canonical::to_canonical_string(&Value::Array(q)),
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn plan_reports_no_changes_changes_order_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(dir.path(), &["--seed", "small", "--time-scale", "60"]);
    let repo = init_repo(&served, dir.path());
    assert_eq!(export(&repo, &[]).0, 0);

    // Right after an export: nothing to do.
    let (code, report, err) = plan(&repo, "dev", &[]);
    assert_eq!(code, 0, "{report:#}\n{err}");
    assert_eq!(report["operations"], json!([]));
    assert!(report["summary"]["unchanged"].as_u64().unwrap() >= 50);
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(repo.join("dry_run_report.json")).unwrap())
            .unwrap();
    assert_eq!(written["plan_hash"], report["plan_hash"]);

    // A change and a new queue in Git: exit 2, field-level diff, a saved plan.
    write_queues(&repo, |q| {
        q.iter_mut().find(|x| x["name"] == "Callbacks").unwrap()["description"] =
            json!("Changed in Git");
        q.push(json!({"name": "New Queue", "division": {"name": "Customer Care"}, "queueFlow": {"name": "Support In-Queue", "type": "INQUEUECALL"}}));
    });
    let saved = dir.path().join("plan.json");
    let (code, report, _) = plan(&repo, "dev", &["-o", saved.to_str().unwrap()]);
    assert_eq!(code, 2);
    let ops = report["operations"].as_array().unwrap();
    assert_eq!(ops.len(), 2, "{ops:#?}");
    let update = ops.iter().find(|o| o["action"] == "update").unwrap();
    assert_eq!(update["key"], "Callbacks");
    assert_eq!(
        update["changes"],
        json!([{"pointer": "/description", "before": "Callbacks queue", "after": "Changed in Git"}])
    );
    assert!(update["precondition"].is_string());
    assert_eq!(
        ops.iter().find(|o| o["action"] == "create").unwrap()["key"],
        "New Queue"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&std::fs::read_to_string(&saved).unwrap()).unwrap(),
        report
    );
    let (_, md, _) = run(&[
        "plan",
        "--env",
        "dev",
        "--format",
        "markdown",
        "--repo",
        repo.to_str().unwrap(),
    ]);
    assert!(
        md.contains("| ✏️ update | `routing/queues` | Callbacks | `/description` |"),
        "{md}"
    );

    // Against an empty org: everything is created, dependencies first; nothing is deleted.
    let (code, report, _) = plan(&repo, "stage", &[]);
    assert_eq!(code, 2);
    let ops = report["operations"].as_array().unwrap();
    assert!(ops.iter().all(|o| o["action"] != "delete"));
    let level = |kind: &str, key: &str| {
        ops.iter()
            .find(|o| o["kind"] == kind && o["key"] == key)
            .unwrap_or_else(|| panic!("{kind} {key}"))["level"]
            .as_u64()
            .unwrap()
    };
    assert!(
        level("administration/divisions", "Customer Care") < level("routing/queues", "New Queue")
    );
    assert!(
        level("architect/flows", "INQUEUECALL/Support In-Queue")
            < level("routing/queues", "New Queue")
    );
    assert!(
        level("telephony/sip-domains", "Indianapolis HQ")
            < level("telephony/trunks", "Carrier A – BYOC")
    );
    let levels: Vec<u64> = ops.iter().map(|o| o["level"].as_u64().unwrap()).collect();
    assert!(
        levels.windows(2).all(|w| w[0] <= w[1]),
        "operations are listed in apply order"
    );
    assert!(report["estimated_requests"].as_u64().unwrap() >= ops.len() as u64);

    // An error (a queue pointing at a flow that exists nowhere): exit 1, and dev's queue is
    // reported as deleted from Git when it disappears from the file.
    write_queues(&repo, |q| {
        q.retain(|x| x["name"] != "Email Support");
        q.iter_mut().find(|x| x["name"] == "New Queue").unwrap()["queueFlow"] =
            json!({"name": "Nowhere", "type": "INQUEUECALL"});
    });
    let (code, report, _) = plan(&repo, "dev", &[]);
    assert_eq!(code, 1);
    assert_eq!(report["errors"][0]["code"], "DANGLING_REFERENCE");
    let delete = report["operations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["action"] == "delete")
        .unwrap();
    assert_eq!(delete["key"], "Email Support");
}
