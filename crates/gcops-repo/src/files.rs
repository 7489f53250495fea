//! Reading and writing repository files: atomic writes, the id map, domain files.

use std::io::Write;
use std::path::Path;

use gcops_model::IdMap;
use gcops_model::canonical::to_canonical_string;
use serde_json::Value;

use crate::{RepoError, io};

/// Writes `text` to `path` through a temporary file in the same directory, fsynced and renamed
/// over the target: readers see the old file or the new one, never half of either.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), RepoError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io(path))
}

/// Reads a JSON file; `Ok(None)` if it does not exist. Errors give the line and column.
pub fn read_json(path: &Path) -> Result<Option<Value>, RepoError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(RepoError::Io {
                path: path.to_path_buf(),
                source: e,
            });
        }
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| RepoError::Invalid {
            path: path.to_path_buf(),
            message: format!("line {} column {}: {e}", e.line(), e.column()),
        })
}

pub fn read_idmap(root: &Path) -> Result<IdMap, RepoError> {
    let path = root.join("id-mapping.json");
    match read_json(&path)? {
        None => Ok(IdMap::default()),
        Some(v) => serde_json::from_value(v).map_err(|e| RepoError::Invalid {
            path,
            message: format!("not an id map (kind -> key -> environment -> id): {e}"),
        }),
    }
}

pub fn write_idmap(root: &Path, map: &IdMap) -> Result<(), RepoError> {
    let v = serde_json::to_value(map).expect("an id map serializes");
    write_atomic(&root.join("id-mapping.json"), &to_canonical_string(&v))
}
