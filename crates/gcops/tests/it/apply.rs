//! `gcops apply` against the emulator: promotion into an empty org, rollback, delete guards,
//! stale saved plans.

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;

fn apply(repo: &std::path::Path, env: &str, extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec![
        "apply",
        "--env",
        env,
        "--yes",
        "--json",
        "--repo",
        repo.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    let v = serde_json::from_str(&out).unwrap_or(Value::Null);
    (code, v, format!("{out}\n{err}"))
}

fn plan_ops(repo: &std::path::Path, env: &str) -> Vec<Value> {
    plan(repo, env, &[]).1["operations"]
        .as_array()
        .unwrap()
        .clone()
}

fn domains(repo: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    snapshot(repo)
        .into_iter()
        .filter(|(k, _)| k.starts_with("domains"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_promotes_dev_into_an_empty_org_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(dir.path(), &["--seed", "small", "--time-scale", "60"]);
    let repo = init_repo(&served, dir.path());
    assert_eq!(export(&repo, &[]).0, 0);
    let dev = domains(&repo);

    let (code, out, log) = apply(&repo, "stage", &[]);
    assert_eq!(code, 0, "{log}");
    assert!(out["outcome"]["steps"].as_array().unwrap().len() >= 50);
    assert!(
        plan_ops(&repo, "stage").is_empty(),
        "after apply, stage has nothing left to change"
    );
    // Exporting stage gives the same files as dev (only id-mapping.json differs).
    let (code, _) = {
        let (c, out, err) = run(&[
            "export",
            "--env",
            "stage",
            "--json",
            "--repo",
            repo.to_str().unwrap(),
        ]);
        (c, format!("{out}{err}"))
    };
    assert_eq!(code, 0);
    assert_eq!(domains(&repo), dev);
    let idmap: Value =
        serde_json::from_str(&std::fs::read_to_string(repo.join("id-mapping.json")).unwrap())
            .unwrap();
    let q = &idmap["routing/queues"]["Callbacks"];
    assert!(q["dev"].is_string() && q["stage"].is_string() && q["dev"] != q["stage"]);
    // The journal recorded every write.
    let journals: Vec<_> = std::fs::read_dir(repo.join(".gcops/journal"))
        .unwrap()
        .collect();
    assert_eq!(journals.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failure_mid_apply_rolls_everything_back() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(dir.path(), &["--seed", "small", "--time-scale", "60"]);
    let repo = init_repo(&served, dir.path());
    assert_eq!(export(&repo, &[]).0, 0);
    let before = plan_ops(&repo, "stage");
    // The fourth queue creation fails on the server (a POST is never retried blindly).
    admin(&served, Method::POST, "/_emulator/faults",
        json!({"route": "POST /api/v2/routing/queues", "org": "stage", "after": 3, "count": 1, "status": 500})).await;
    let (code, out, log) = apply(&repo, "stage", &[]);
    assert_eq!(code, 3, "{log}");
    let steps = out["outcome"]["steps"].as_array().unwrap();
    assert!(steps.iter().any(|s| s["status"] == "failed"));
    assert!(
        steps
            .iter()
            .filter(|s| s["status"] != "failed")
            .all(|s| s["status"] == "rolled_back")
    );
    assert_eq!(
        plan_ops(&repo, "stage"),
        before,
        "the org is exactly as before"
    );
    // And the next run, without the fault, succeeds.
    assert_eq!(apply(&repo, "stage", &[]).0, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn deletes_need_allow_delete_and_stale_plans_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(dir.path(), &["--seed", "small", "--time-scale", "60"]);
    let repo = init_repo(&served, dir.path());
    assert_eq!(export(&repo, &[]).0, 0);
    assert_eq!(apply(&repo, "stage", &[]).0, 0);

    // A language removed from Git: a delete, refused without --allow-delete.
    let path = repo.join("domains/routing/languages.json");
    let mut langs: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    langs.retain(|l| l["name"] != "German");
    std::fs::write(
        &path,
        gcops_model::canonical::to_canonical_string(&Value::Array(langs)),
    )
    .unwrap();
    let (code, out, log) = apply(&repo, "stage", &[]);
    assert_eq!(code, 1, "{log}");
    assert!(
        out["outcome"]["refused"]
            .as_str()
            .unwrap()
            .contains("--allow-delete")
    );
    let (code, _, log) = apply(&repo, "stage", &["--allow-delete", "--max-deletes", "0"]);
    assert_eq!(code, 1, "{log}");
    let (code, _, log) = apply(&repo, "stage", &["--allow-delete"]);
    assert_eq!(code, 0, "{log}");
    assert!(plan_ops(&repo, "stage").is_empty());

    // A saved plan whose object changed in the org since is refused for that object.
    let qpath = repo.join("domains/routing/queues.json");
    let mut queues: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(&qpath).unwrap()).unwrap();
    queues
        .iter_mut()
        .find(|q| q["name"] == "Callbacks")
        .unwrap()["description"] = json!("From Git");
    std::fs::write(
        &qpath,
        gcops_model::canonical::to_canonical_string(&Value::Array(queues)),
    )
    .unwrap();
    let saved = dir.path().join("plan.json");
    let (code, _, _) = run(&[
        "plan",
        "--env",
        "stage",
        "-o",
        saved.to_str().unwrap(),
        "--repo",
        repo.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    admin(&served, Method::POST, "/_emulator/orgs/stage/edits",
        json!({"kind": "routing/queues", "name": "Callbacks", "set": {"description": "Edited in the UI meanwhile"}})).await;
    let (code, _, log) = apply(&repo, "stage", &[saved.to_str().unwrap()]);
    assert_eq!(code, 1, "{log}");
    assert!(
        log.contains(
            "refused: update routing/queues 'Callbacks': it changed in the org since the plan"
        ),
        "{log}"
    );
    // Without the saved plan, apply re-plans and wins.
    assert_eq!(apply(&repo, "stage", &[]).0, 0);
}

/// Starts `gcops apply` on `env`, waits until its journal shows `done` completed writes, and
/// kills it with SIGKILL. Returns the journal.
fn kill_mid_apply(repo: &std::path::Path, env: &str, done: usize) -> std::path::PathBuf {
    let mut child = gcops()
        .args([
            "apply",
            "--env",
            env,
            "--yes",
            "--repo",
            repo.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let dir = repo.join(".gcops/journal");
    let start = std::time::Instant::now();
    let journal = loop {
        let found = std::fs::read_dir(&dir).ok().and_then(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .starts_with(&format!("{env}-"))
                })
                .find(|p| {
                    std::fs::read_to_string(p)
                        .unwrap_or_default()
                        .matches("\"phase\":\"done\"")
                        .count()
                        >= done
                })
        });
        if let Some(j) = found {
            break j;
        }
        assert!(start.elapsed().as_secs() < 60, "the apply did not progress");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the apply finished before it could be killed"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    journal
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_apply_can_be_resumed_or_rolled_back() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(dir.path(), &["--seed", "small", "--time-scale", "60"]);
    let repo = init_repo(&served, dir.path());
    assert_eq!(export(&repo, &[]).0, 0);
    let initial_prod = plan_ops(&repo, "prod");
    // Slow writes, so the run can be killed in the middle.
    for org in ["stage", "prod"] {
        admin(
            &served,
            Method::POST,
            "/_emulator/faults",
            json!({"route": "POST /api/v2/*", "org": org, "latency_ms": 120}),
        )
        .await;
    }

    let journal = kill_mid_apply(&repo, "stage", 8);
    assert!(
        !plan_ops(&repo, "stage").is_empty(),
        "the killed run left work to do"
    );
    let (code, _, log) = apply(&repo, "stage", &["--resume", journal.to_str().unwrap()]);
    assert_eq!(code, 0, "{log}");
    let left = plan_ops(&repo, "stage");
    assert!(left.is_empty(), "resuming completed the run: {left:#?}");
    let text = std::fs::read_to_string(&journal).unwrap();
    assert!(
        text.matches("\"phase\":\"start\"").count() == 2,
        "the resumed run wrote into the same journal"
    );

    let journal = kill_mid_apply(&repo, "prod", 8);
    let (code, out, err) = run(&[
        "rollback",
        journal.to_str().unwrap(),
        "--yes",
        "--json",
        "--repo",
        repo.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(
        plan_ops(&repo, "prod"),
        initial_prod,
        "rollback restored the org"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thousand_queues_apply_in_one_run_without_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    // The platform's default limits, a minute lasting one second.
    let served = Served::start(dir.path(), &["--time-scale", "60"]);
    let repo = init_repo(&served, dir.path());
    let canon = |v: Value| gcops_model::canonical::to_canonical_string(&v);
    let skills: Vec<Value> = (0..50)
        .map(|i| json!({"name": format!("Skill {i:02}"), "division": {"name": "Home"}}))
        .collect();
    let codes: Vec<Value> = (0..50)
        .map(|i| json!({"name": format!("Code {i:02}"), "division": {"name": "Home"}}))
        .collect();
    let flows: Vec<Value> = (0..20).map(|i| json!({"name": format!("Flow {i:02}"), "type": "INQUEUECALL", "division": {"name": "Home"}})).collect();
    let queues: Vec<Value> = (0..1000)
        .map(|i| {
            json!({"name": format!("Queue {i:04}"), "division": {"name": "Home"},
                   "queueFlow": {"name": format!("Flow {:02}", i % 20), "type": "INQUEUECALL"},
                   "bullseye": {"rings": [{"actions": {"skillsToRemove": [{"name": format!("Skill {:02}", i % 50)}]}}]},
                   "wrapupCodes": codes_of(i)})
        })
        .collect();
    for (file, items) in [
        ("routing/skills", skills),
        ("routing/wrapup-codes", codes),
        ("architect/flows", flows),
        ("routing/queues", queues),
    ] {
        std::fs::write(
            repo.join(format!("domains/{file}.json")),
            canon(Value::Array(items)),
        )
        .unwrap();
    }
    let (code, out, log) = apply(&repo, "dev", &[]);
    assert_eq!(code, 0, "{log}");
    let steps = out["outcome"]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1120);
    assert!(steps.iter().all(|s| s["status"] == "done"));
    assert_eq!(out["requests"]["failed"], 0);
    assert!(plan_ops(&repo, "dev").is_empty());
}

/// Two wrap-up code references, sorted (the set's canonical order).
fn codes_of(i: usize) -> Vec<Value> {
    let mut c = [i % 50, (i + 1) % 50];
    c.sort();
    c.iter()
        .map(|n| json!({"name": format!("Code {n:02}")}))
        .collect()
}
