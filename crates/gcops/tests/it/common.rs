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
