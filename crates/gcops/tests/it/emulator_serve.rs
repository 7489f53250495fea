use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::*;

#[tokio::test]
async fn serve_prints_credentials_and_writes_the_ready_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = gcops()
        .args(["emulator", "serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--port",
        "--data",
        "--orgs",
        "--seed",
        "--seed-number",
        "--ready-file",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    let served = Served::start(dir.path(), &["--orgs", "dev,qa", "--seed", "small"]);
    let orgs = served.ready["orgs"].as_object().unwrap();
    assert_eq!(orgs.keys().collect::<Vec<_>>(), ["dev", "qa"]);
    for o in orgs.values() {
        assert!(
            o["client_id"].is_string() && o["client_secret"].is_string() && o["org_id"].is_string()
        );
    }
    let http = http();
    let token = served.token(&http, "dev").await;
    let queues: Value = http
        .get(format!("{}/api/v2/routing/queues", served.base()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(queues["total"], 10);

    let out = gcops()
        .args(["emulator", "serve", "--seed", "huge"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected empty, small or large"));
}

#[tokio::test]
async fn state_survives_a_restart_of_the_process() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data_arg = data.to_str().unwrap();
    let http = http();
    let first = Served::start(dir.path(), &["--data", data_arg, "--seed", "small"]);
    let token = first.token(&http, "stage").await;
    let created: Value = http
        .post(format!("{}/api/v2/routing/skills", first.base()))
        .bearer_auth(&token)
        .json(&json!({"name": "Survives restarts"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let creds = first.ready["orgs"].clone();
    drop(first);

    let second = Served::start(dir.path(), &["--data", data_arg]);
    assert_eq!(second.ready["orgs"], creds);
    let got: Value = http
        .get(format!(
            "{}/api/v2/routing/skills/{}",
            second.base(),
            created["id"].as_str().unwrap()
        ))
        .bearer_auth(second.token(&http, "stage").await)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(got["name"], "Survives restarts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_during_a_write_burst_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data_arg = data.to_str().unwrap();
    let mut served = Served::start(dir.path(), &["--data", data_arg, "--no-rate-limits"]);
    http();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let token = served.token(&http, "dev").await;
    let base = served.base();
    let acked = Arc::new(Mutex::new(BTreeSet::new()));
    let mut workers = Vec::new();
    for w in 0..8 {
        let (http, token, base, acked) = (http.clone(), token.clone(), base.clone(), acked.clone());
        workers.push(tokio::spawn(async move {
            for i in 0.. {
                let r = http
                    .post(format!("{base}/api/v2/routing/wrapupcodes"))
                    .bearer_auth(&token)
                    .json(&json!({"name": format!("Burst {w}-{i}")}))
                    .send()
                    .await;
                let Ok(r) = r else { return };
                if r.status() != 200 {
                    return;
                }
                let Ok(v) = r.json::<Value>().await else {
                    return;
                };
                acked
                    .lock()
                    .unwrap()
                    .insert(v["id"].as_str().unwrap().to_string());
            }
        }));
    }
    // Let the burst run, then kill -9 in the middle of it.
    while acked.lock().unwrap().len() < 150 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    served.child.kill().unwrap(); // SIGKILL
    served.child.wait().unwrap();
    for w in workers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    drop(served);

    let again = Served::start(dir.path(), &["--data", data_arg, "--no-rate-limits"]);
    let token = again.token(&http, "dev").await;
    let mut stored = BTreeSet::new();
    for page in 1.. {
        let v: Value = http
            .get(format!(
                "{}/api/v2/routing/wrapupcodes?pageSize=500&pageNumber={page}",
                again.base()
            ))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for e in v["entities"].as_array().unwrap() {
            stored.insert(e["id"].as_str().unwrap().to_string());
        }
        if v.get("nextUri").is_none() {
            break;
        }
    }
    let lost: Vec<_> = acked.difference(&stored).collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged writes lost",
        lost.len(),
        acked.len()
    );
    assert!(acked.len() >= 150);
}
