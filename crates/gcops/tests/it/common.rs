use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A reqwest client (reqwest is built with rustls and no default crypto provider).
pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

pub fn gcops() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gcops"))
}

/// A `gcops emulator serve` child process; killed when dropped.
pub struct Served {
    pub child: Child,
    pub ready: Value,
}

impl Served {
    pub fn start(dir: &Path, extra: &[&str]) -> Served {
        let ready_file = dir.join(format!("ready-{}.json", std::process::id()));
        let _ = std::fs::remove_file(&ready_file);
        let child = gcops()
            .args(["emulator", "serve", "--port", "0", "--ready-file"])
            .arg(&ready_file)
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("gcops runs");
        // Owned by the guard from here on, so a failed start still kills the child.
        let mut served = Served {
            child,
            ready: Value::Null,
        };
        let start = Instant::now();
        loop {
            if let Ok(text) = std::fs::read_to_string(&ready_file)
                && let Ok(ready) = serde_json::from_str(&text)
            {
                served.ready = ready;
                return served;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "emulator did not become ready"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn base(&self) -> String {
        self.ready["base_url"].as_str().unwrap().to_string()
    }

    pub fn ready_path(&self, dir: &Path) -> PathBuf {
        let p = dir.join("ready-copy.json");
        std::fs::write(&p, self.ready.to_string()).unwrap();
        p
    }

    pub async fn token(&self, http: &reqwest::Client, org: &str) -> String {
        let o = &self.ready["orgs"][org];
        let r: Value = http
            .post(format!("{}/oauth/token", self.base()))
            .basic_auth(
                o["client_id"].as_str().unwrap(),
                o["client_secret"].as_str(),
            )
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        r["access_token"].as_str().unwrap().to_string()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs gcops; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = gcops()
        .args(args)
        .env_remove("GCOPS_DEV_CLIENT_ID")
        .env_remove("GCOPS_DEV_CLIENT_SECRET")
        .output()
        .expect("gcops runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `gcops init DIR --emulator READY` for a served emulator; returns the repository path.
pub fn init_repo(served: &Served, dir: &Path) -> PathBuf {
    let ready = dir.join("ready.json");
    std::fs::write(&ready, served.ready.to_string()).unwrap();
    let repo = dir.join("repo");
    let (code, out, err) = run(&[
        "init",
        repo.to_str().unwrap(),
        "--emulator",
        ready.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
    repo
}

/// `gcops export --env ENV --json` in `repo`; returns (exit code, summary).
pub fn export(repo: &Path, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "export",
        "--env",
        "dev",
        "--json",
        "--repo",
        repo.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    let summary = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("export printed no JSON ({e}):\n{out}\n{err}"));
    (code, summary)
}

/// Every file under `dir/domains` and `dir/id-mapping.json`, path -> bytes.
pub fn snapshot(repo: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(root).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = std::collections::BTreeMap::new();
    walk(repo, &repo.join("domains"), &mut out);
    out.insert(
        "id-mapping.json".into(),
        std::fs::read(repo.join("id-mapping.json")).unwrap(),
    );
    out
}

/// POSTs to the emulator's admin API.
pub async fn admin(served: &Served, method: reqwest::Method, path: &str, body: Value) -> Value {
    let r = http()
        .request(method, format!("{}{path}", served.base()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.json().await.unwrap()
}

/// `gcops plan --env ENV --format json`; returns (exit code, the report, stderr).
pub fn plan(repo: &std::path::Path, env: &str, extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec![
        "plan",
        "--env",
        env,
        "--format",
        "json",
        "--repo",
        repo.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    let v = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("plan printed no JSON ({e}):\n{out}\n{err}"));
    (code, v, err)
}
