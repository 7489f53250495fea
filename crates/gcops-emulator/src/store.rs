//! Persistence: every acknowledged write is committed to SQLite (WAL, `synchronous=FULL`)
//! before the response is sent, so a crash or SIGKILL never loses one.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use crate::kinds::Kind;

/// One row change, applied to memory only after the database accepted it.
#[derive(Debug, Clone)]
pub struct Change {
    pub kind: Kind,
    pub id: String,
    /// `None` deletes.
    pub value: Option<Value>,
}

impl Change {
    pub fn put(kind: Kind, id: &str, value: Value) -> Self {
        Change {
            kind,
            id: id.to_string(),
            value: Some(value),
        }
    }
    pub fn delete(kind: Kind, id: &str) -> Self {
        Change {
            kind,
            id: id.to_string(),
            value: None,
        }
    }
}

pub struct Db {
    conn: Connection,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the emulator database {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("emulator database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("emulator database holds invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl Db {
    /// Opens `dir/emulator.sqlite3`, or an in-memory database.
    pub fn open(dir: Option<&Path>) -> Result<Db, StoreError> {
        let conn = match dir {
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
                    path: dir.display().to_string(),
                    source: rusqlite::Error::ToSqlConversionFailure(Box::new(e)),
                })?;
                let path = dir.join("emulator.sqlite3");
                Connection::open(&path).map_err(|source| StoreError::Open {
                    path: path.display().to_string(),
                    source,
                })?
            }
            None => Connection::open_in_memory()?,
        };
        conn.execute_batch(
            "PRAGMA journal_mode=WAL;
             PRAGMA synchronous=FULL;
             CREATE TABLE IF NOT EXISTS orgs (name TEXT PRIMARY KEY, meta TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS entities (
                 org TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
                 PRIMARY KEY (org, kind, id));
             CREATE TABLE IF NOT EXISTS tokens (token TEXT PRIMARY KEY, info TEXT NOT NULL);",
        )?;
        Ok(Db { conn })
    }

    pub fn org_meta(&self, org: &str) -> Result<Option<Value>, StoreError> {
        let s: Option<String> = self
            .conn
            .query_row("SELECT meta FROM orgs WHERE name = ?1", params![org], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(match s {
            Some(s) => Some(serde_json::from_str(&s)?),
            None => None,
        })
    }

    pub fn entities(&self, org: &str) -> Result<Vec<(Kind, String, Value)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT kind, id, body FROM entities WHERE org = ?1")?;
        let rows = stmt.query_map(params![org], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (kind, id, body) = row?;
            if let Some(kind) = Kind::parse(&kind) {
                out.push((kind, id, serde_json::from_str(&body)?));
            }
        }
        Ok(out)
    }

    pub fn tokens(&self) -> Result<Vec<(String, Value)>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT token, info FROM tokens")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (t, info) = row?;
            out.push((t, serde_json::from_str(&info)?));
        }
        Ok(out)
    }

    /// Writes `changes` and the org's meta in one transaction.
    pub fn commit(
        &mut self,
        org: &str,
        meta: &Value,
        changes: &[Change],
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut put = tx.prepare_cached(
                "INSERT OR REPLACE INTO entities (org, kind, id, body) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut del =
                tx.prepare_cached("DELETE FROM entities WHERE org = ?1 AND kind = ?2 AND id = ?3")?;
            for c in changes {
                match &c.value {
                    Some(v) => {
                        put.execute(params![org, c.kind.as_str(), c.id, v.to_string()])?;
                    }
                    None => {
                        del.execute(params![org, c.kind.as_str(), c.id])?;
                    }
                }
            }
            tx.execute(
                "INSERT OR REPLACE INTO orgs (name, meta) VALUES (?1, ?2)",
                params![org, meta.to_string()],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn put_token(&mut self, token: &str, info: &Value) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO tokens (token, info) VALUES (?1, ?2)",
            params![token, info.to_string()],
        )?;
        Ok(())
    }
}
