use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::*;

fn uuid_re(s: &str) -> bool {
    gcops_model::contains_uuid(s)
}

#[tokio::test(flavor = "multi_thread")]
async fn large_org_exports_deterministically_in_the_minimum_requests_even_under_faults() {
    let dir = tempfile::tempdir().unwrap();
    // The platform's default limits, with a minute lasting one second.
    let served = Served::start(dir.path(), &["--seed", "large", "--time-scale", "60"]);
    let repo = init_repo(&served, dir.path());
    admin(&served, Method::DELETE, "/_emulator/counters", json!(null)).await;

    let (code, first) = export(&repo, &[]);
    assert_eq!(code, 0, "{first:#}");
    let requests = first["requests"]["requests"].as_u64().unwrap();
    let min = first["min_requests"].as_u64().unwrap();
    assert!(
        requests <= min,
        "{requests} requests for a minimum of {min}"
    );
    assert_eq!(first["requests"]["failed"], 0);
    // The emulator counted the same number (plus the token requests).
    let counters = admin(&served, Method::GET, "/_emulator/counters", json!(null)).await;
    let tokens = counters["routes"]["POST /oauth/token"]["count"]
        .as_u64()
        .unwrap();
    assert_eq!(counters["total"].as_u64().unwrap() - tokens, requests);
    let objects: u64 = first["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["objects"].as_u64().unwrap())
        .sum();
    assert!(objects > 3000, "{objects}");

    let snap1 = snapshot(&repo);
    // A fresh export validates: no errors (near-expiry certificates are warnings).
    let (code, out, err) = run(&["validate", "--json", "--repo", repo.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}\n{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["errors"], 0);
    for (path, bytes) in &snap1 {
        if path.starts_with("domains") {
            assert!(
                !uuid_re(&String::from_utf8_lossy(bytes)),
                "a UUID leaked into {path}"
            );
        }
    }
    // Every exported object is in the id map.
    let idmap: Value = serde_json::from_slice(&snap1["id-mapping.json"]).unwrap();
    for k in first["kinds"].as_array().unwrap() {
        let kind = k["kind"].as_str().unwrap();
        let file: Value = serde_json::from_slice(&snap1[k["file"].as_str().unwrap()]).unwrap();
        let items = match file {
            Value::Array(a) => a,
            o => vec![o],
        };
        for item in items {
            let key = match (kind, item["type"].as_str()) {
                ("administration/org-settings", _) => "organization".to_string(),
                ("architect/flows", Some(t)) => format!("{t}/{}", item["name"].as_str().unwrap()),
                _ => item["name"].as_str().unwrap().to_string(),
            };
            let uuid = idmap[kind][&key]["dev"]
                .as_str()
                .unwrap_or_else(|| panic!("{kind} '{key}' not in the id map"));
            assert!(gcops_model::is_uuid(uuid));
        }
    }

    // Again, through 429 bursts, 5xx errors and dropped connections: same bytes, no failure.
    for fault in [
        json!({"route": "*", "after": 50, "count": 5, "status": 429, "retry_after": 1}),
        json!({"route": "GET /api/v2/routing/queues/{id}/wrapupcodes", "after": 10, "count": 20, "status": 503}),
        json!({"route": "GET /api/v2/routing/queues", "count": 2, "status": 502}),
        json!({"route": "GET /api/v2/routing/skills", "count": 1, "drop": true}),
    ] {
        admin(&served, Method::POST, "/_emulator/faults", fault).await;
    }
    let (code, second) = export(&repo, &[]);
    assert_eq!(code, 0, "{second:#}");
    assert_eq!(second["requests"]["failed"], 0);
    assert!(second["requests"]["throttled"].as_u64().unwrap() >= 5);
    assert!(second["requests"]["retries"].as_u64().unwrap() >= 28);
    assert_eq!(second["changed_files"], json!([]));
    assert_eq!(
        snapshot(&repo),
        snap1,
        "a second export must be byte-identical"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_renamed_queue_is_a_rename_with_references_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(dir.path(), &["--seed", "small", "--time-scale", "60"]);
    let repo = init_repo(&served, dir.path());
    let (code, _) = export(&repo, &[]);
    assert_eq!(code, 0);
    let (code, out, err) = run(&["validate", "--repo", repo.to_str().unwrap()]);
    assert_eq!(
        code, 0,
        "a fresh export of the small seed validates: {out}\n{err}"
    );
    assert!(repo.join("schemas/routing.queues.schema.json").is_file());
    let idmap = |repo: &std::path::Path| -> Value {
        serde_json::from_str(&std::fs::read_to_string(repo.join("id-mapping.json")).unwrap())
            .unwrap()
    };
    let uuid = idmap(&repo)["routing/queues"]["Sales / Inbound"]["dev"].clone();
    admin(&served, Method::POST, "/_emulator/orgs/dev/edits",
        json!({"op": "update", "kind": "routing/queues", "name": "Sales / Inbound", "set": {"name": "Sales / Inbound – Renamed"}})).await;
    let (code, summary) = export(&repo, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        summary["renames"],
        json!([{"kind": "routing/queues", "from": "Sales / Inbound", "to": "Sales / Inbound – Renamed"}])
    );
    assert_eq!(
        summary["changed_files"],
        json!(["domains/routing/queues.json",])
    );
    let queues: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(repo.join("domains/routing/queues.json")).unwrap(),
    )
    .unwrap();
    let names: BTreeSet<&str> = queues.iter().map(|q| q["name"].as_str().unwrap()).collect();
    assert!(names.contains("Sales / Inbound – Renamed") && !names.contains("Sales / Inbound"));
    let billing = queues
        .iter()
        .find(|q| q["name"] == "Billing & Payments")
        .unwrap();
    assert_eq!(
        billing["conditionalGroupRouting"]["rules"][1]["queue"]["name"],
        "Sales / Inbound – Renamed"
    );
    assert_eq!(
        billing["directRouting"]["backupQueueId"],
        "Sales / Inbound – Renamed"
    );
    let map = idmap(&repo);
    assert_eq!(
        map["routing/queues"]["Sales / Inbound – Renamed"]["dev"],
        uuid
    );
    assert!(map["routing/queues"].get("Sales / Inbound").is_none());

    // A site renamed while only sites are exported: the trunks file is rewritten too.
    admin(&served, Method::POST, "/_emulator/orgs/dev/edits",
        json!({"op": "update", "kind": "telephony/sip-domains", "name": "Indianapolis HQ", "set": {"name": "Indy HQ"}})).await;
    let (code, summary) = export(&repo, &["--kinds", "telephony/sip-domains"]);
    assert_eq!(code, 0, "{summary:#}");
    assert_eq!(
        summary["rewritten_files"],
        json!([
            "domains/administration/org-settings.json",
            "domains/telephony/trunks.json",
            "domains/routing/queues.json"
        ])
    );
    let trunks = std::fs::read_to_string(repo.join("domains/telephony/trunks.json")).unwrap();
    assert!(trunks.contains("\"Indy HQ\"") && !trunks.contains("Indianapolis HQ"));
    let org =
        std::fs::read_to_string(repo.join("domains/administration/org-settings.json")).unwrap();
    assert!(org.contains("\"defaultSiteId\": \"Indy HQ\""), "{org}");
    // The next full export agrees with the rewritten files.
    let (_, again) = export(&repo, &[]);
    assert_eq!(again["changed_files"], json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kind_that_fails_keeps_its_file_and_the_export_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(dir.path(), &["--seed", "small", "--time-scale", "60"]);
    let repo = init_repo(&served, dir.path());
    assert_eq!(export(&repo, &[]).0, 0);
    let before = snapshot(&repo);
    // Someone changes a queue and a trunk in the UI, and the client loses telephony rights.
    admin(
        &served,
        Method::POST,
        "/_emulator/orgs/dev/edits",
        json!({"kind": "routing/queues", "name": "Callbacks", "set": {"description": "new"}}),
    )
    .await;
    admin(&served, Method::POST, "/_emulator/orgs/dev/edits",
        json!({"kind": "telephony/trunks", "name": "Partner PBX Trunk", "set": {"description": "new"}})).await;
    admin(
        &served,
        Method::PUT,
        "/_emulator/orgs/dev/permissions",
        json!({"permissions": ["routing:*", "architect:*", "authorization:*", "directory:*"]}),
    )
    .await;
    let (code, summary) = export(&repo, &[]);
    assert_eq!(code, 1);
    let failed: Vec<&str> = summary["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["error"].is_string())
        .map(|k| k["kind"].as_str().unwrap())
        .collect();
    // Sites list without a permission, but their outbound routes need telephony:plugin:all.
    assert_eq!(
        failed,
        [
            "telephony/certificate-authorities",
            "telephony/sip-domains",
            "telephony/trunks"
        ]
    );
    let err = summary["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "telephony/trunks")
        .unwrap()["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        err.contains("missing.any.permissions") && err.contains("telephony:plugin:all"),
        "{err}"
    );
    let after = snapshot(&repo);
    assert_eq!(
        after["domains/telephony/trunks.json"],
        before["domains/telephony/trunks.json"]
    );
    assert_ne!(
        after["domains/routing/queues.json"],
        before["domains/routing/queues.json"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn init_writes_no_secret_and_missing_credentials_say_what_to_set() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(dir.path(), &["--seed", "small"]);
    let repo = init_repo(&served, dir.path());
    let secret = served.ready["orgs"]["dev"]["client_secret"]
        .as_str()
        .unwrap()
        .to_string();
    let (code, _) = export(&repo, &[]);
    assert_eq!(code, 0);
    for (path, bytes) in snapshot(&repo).into_iter().chain([(
        "gcops.toml".to_string(),
        std::fs::read(repo.join("gcops.toml")).unwrap(),
    )]) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&secret),
            "the secret leaked into {path}"
        );
    }
    for f in [
        "gcops.toml",
        "id-mapping.json",
        "environments/dev.json",
        "scripts/normalize.sh",
        ".gitignore",
        ".git",
    ] {
        assert!(repo.join(f).exists(), "{f}");
    }
    // -v logs every request, never a token or secret.
    let (code, _, log) = run(&[
        "-v",
        "export",
        "--env",
        "dev",
        "--kinds",
        "routing/skills",
        "--repo",
        repo.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(
        log.contains("GET /api/v2/routing/skills?pageSize=500&pageNumber=1 -> 200"),
        "{log}"
    );
    assert!(
        !log.contains(&secret)
            && !log.to_lowercase().contains("bearer")
            && !log.contains("access_token"),
        "{log}"
    );
    // A real-org environment without credentials.
    let toml = std::fs::read_to_string(repo.join("gcops.toml")).unwrap()
        + "\n[environments.qa]\nregion = \"eu-west-1\"\n";
    std::fs::write(repo.join("gcops.toml"), toml).unwrap();
    let (code, _, err) = run(&["export", "--env", "qa", "--repo", repo.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("GCOPS_QA_CLIENT_ID") && err.contains("GCOPS_QA_CLIENT_SECRET"),
        "{err}"
    );
    let (code, _, err) = run(&["export", "--env", "nope", "--repo", repo.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("no environment 'nope'") && err.contains("dev, prod, qa, stage"),
        "{err}"
    );
    let (code, _, err) = run(&[
        "export",
        "--env",
        "dev",
        "--kinds",
        "routing/queuez",
        "--repo",
        repo.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown kind 'routing/queuez'"), "{err}");
}

#[test]
fn fmt_checks_and_rewrites_canonical_files() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let (code, _, _) = run(&["init", repo.to_str().unwrap()]);
    assert_eq!(code, 0);
    let skills = repo.join("domains/routing/skills.json");
    std::fs::write(
        &skills,
        r#"[{"name":"B","division":{"name":"Home"}},{"name":"A"}]"#,
    )
    .unwrap();
    let r = repo.to_str().unwrap();
    let (code, out, _) = run(&["fmt", "--check", "--repo", r]);
    assert_eq!(code, 1);
    assert!(
        out.contains("not canonical: domains/routing/skills.json"),
        "{out}"
    );
    assert_eq!(run(&["fmt", "--repo", r]).0, 0);
    assert_eq!(
        std::fs::read_to_string(&skills).unwrap(),
        "[\n  {\n    \"name\": \"A\"\n  },\n  {\n    \"division\": {\n      \"name\": \"Home\"\n    },\n    \"name\": \"B\"\n  }\n]\n"
    );
    assert_eq!(run(&["fmt", "--check", "--repo", r]).0, 0);
    std::fs::write(&skills, "[{\"name\": \"A\",}]").unwrap();
    let (code, _, err) = run(&["fmt", "--repo", r]);
    assert_eq!(code, 1);
    assert!(
        err.contains("domains/routing/skills.json: line 1 column"),
        "{err}"
    );
}
