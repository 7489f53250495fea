//! The `git` command line (push, credentials and hooks come for free; no libgit2).

use std::path::Path;
use std::process::Command;

use crate::RepoError;

pub fn git(dir: &Path, args: &[&str]) -> Result<String, RepoError> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .map_err(|e| RepoError::Git {
            args: args.join(" "),
            message: format!("cannot run git ({e}); is git installed and on PATH?"),
        })?;
    if !out.status.success() {
        return Err(RepoError::Git {
            args: args.join(" "),
            message: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `git init` unless `dir` is already inside a work tree.
pub fn init(dir: &Path) -> Result<bool, RepoError> {
    if git(dir, &["rev-parse", "--is-inside-work-tree"]).is_ok_and(|s| s.trim() == "true") {
        return Ok(false);
    }
    git(dir, &["init", "--quiet"])?;
    Ok(true)
}
