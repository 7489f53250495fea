//! The official Genesys Python SDK (PureCloudPlatformClientV2, from PyPI) against the emulator.
//!
//! `scripts/test.sh` (and so CI) installs the SDK into `.venv`; `GCOPS_SDK_PYTHON` can name
//! another interpreter that has it.

use std::path::PathBuf;

use crate::common::*;

fn python() -> PathBuf {
    if let Ok(p) = std::env::var("GCOPS_SDK_PYTHON") {
        return PathBuf::from(p);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.join(".venv/bin/python")
}

#[test]
fn official_python_sdk_sees_the_real_api() {
    let py = python();
    let has_sdk = std::process::Command::new(&py)
        .args(["-c", "import PureCloudPlatformClientV2"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        has_sdk,
        "the official SDK is not installed for {}: run scripts/test.sh (it creates .venv with \
         PureCloudPlatformClientV2) or set GCOPS_SDK_PYTHON",
        py.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(dir.path(), &["--seed", "small"]);
    let ready = served.ready_path(dir.path());
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/sdk/python_sdk_smoke.py");
    let out = std::process::Command::new(&py)
        .arg(&script)
        .arg(&ready)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "SDK smoke test failed:\n{stdout}\n{stderr}"
    );
    for line in [
        "login: ok",
        "paged queues: 10 in 4 pages",
        "duplicate name: 400 duplicate.name",
        "stale organization version: 409 general.conflict",
        "sdk smoke: passed",
    ] {
        assert!(stdout.contains(line), "missing '{line}' in:\n{stdout}");
    }
}
