//! The config repository (DESIGN.md §2): `gcops.toml`, `id-mapping.json`, the domain files and
//! the `git` command line. Every write is atomic (temporary file, fsync, rename), so a failure
//! never leaves a file half-written.

pub mod config;
pub mod files;
pub mod git;
pub mod scaffold;

pub use config::{Config, Environment};

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error(
        "no gcops.toml in {start} or any parent directory: run `gcops init` to create a config repository, or pass --repo"
    )]
    NotARepo { start: PathBuf },
    #[error("git {args}: {message}")]
    Git { args: String, message: String },
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> RepoError + '_ {
    move |source| RepoError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An opened config repository.
#[derive(Debug, Clone)]
pub struct Repo {
    pub root: PathBuf,
    pub config: Config,
}

impl Repo {
    /// Finds `gcops.toml` in `start` or its parents and loads it.
    pub fn discover(start: &Path) -> Result<Repo, RepoError> {
        let start = std::path::absolute(start).map_err(io(start))?;
        let mut dir = Some(start.as_path());
        while let Some(d) = dir {
            if d.join("gcops.toml").is_file() {
                return Repo::open(d);
            }
            dir = d.parent();
        }
        Err(RepoError::NotARepo { start })
    }

    pub fn open(root: &Path) -> Result<Repo, RepoError> {
        let path = root.join("gcops.toml");
        let text = std::fs::read_to_string(&path).map_err(io(&path))?;
        let config =
            Config::parse(&text).map_err(|message| RepoError::Invalid { path, message })?;
        Ok(Repo {
            root: root.to_path_buf(),
            config,
        })
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }
}
