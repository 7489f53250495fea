//! Listing every entity of a collection at the largest page size the server accepts.

use gcops_model::catalog::{PROBE_PAGE_SIZES, Paging};
use reqwest::Method;
use serde_json::Value;
use tokio::task::JoinSet;

use crate::{Client, ClientError};

/// `path` with `query` appended, percent-encoded.
pub fn with_query(path: &str, query: &[(String, String)]) -> String {
    let mut out = path.to_string();
    for (i, (k, v)) in query.iter().enumerate() {
        out.push(if i == 0 && !path.contains('?') {
            '?'
        } else {
            '&'
        });
        out.push_str(&encode(k));
        out.push('=');
        out.push_str(&encode(v));
    }
    out
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn page_size_refused(e: &ClientError) -> bool {
    e.status() == Some(400)
        && matches!(e.code(), Some("invalid.value" | "bad.request"))
        && matches!(e, ClientError::Api { message, .. } if message.to_lowercase().contains("pagesize") || message.to_lowercase().contains("page size"))
}

impl Client {
    /// Every entity of a list endpoint. `size_key` names the endpoint family, so a page size
    /// discovered once (where the maximum is undocumented) is reused for the rest of the run.
    pub async fn list_all(
        &self,
        path: &str,
        query: &[(String, String)],
        paging: Paging,
        size_key: &str,
    ) -> Result<Vec<Value>, ClientError> {
        match paging {
            Paging::Singleton => Ok(vec![self.get(&with_query(path, query)).await?]),
            Paging::Single => {
                let v = self.get(&with_query(path, query)).await?;
                Ok(entities(v))
            }
            Paging::Cursor { max } => {
                let mut q = query.to_vec();
                q.push(("pageSize".into(), max.to_string()));
                let mut next = Some(with_query(path, &q));
                let mut out = Vec::new();
                while let Some(p) = next.take() {
                    let v = self.get(&p).await?;
                    next = v["nextUri"].as_str().map(|u| strip_base(u, path));
                    out.extend(entities(v));
                }
                Ok(out)
            }
            Paging::Offset { max } => self.list_offset(path, query, max, size_key).await,
        }
    }

    async fn list_offset(
        &self,
        path: &str,
        query: &[(String, String)],
        max: Option<u32>,
        size_key: &str,
    ) -> Result<Vec<Value>, ClientError> {
        let known = self
            .inner
            .page_sizes
            .lock()
            .expect("page size cache")
            .get(size_key)
            .copied();
        let sizes: Vec<u32> = match (known, max) {
            (Some(s), _) => vec![s],
            (None, Some(m)) => vec![m],
            (None, None) => PROBE_PAGE_SIZES.to_vec(),
        };
        let mut last_err = None;
        for size in sizes {
            let mut q = query.to_vec();
            q.push(("pageSize".into(), size.to_string()));
            q.push(("pageNumber".into(), "1".into()));
            match self.get(&with_query(path, &q)).await {
                Ok(first) => {
                    // The server may serve fewer than asked (a clamped page size).
                    let served = first["pageSize"]
                        .as_u64()
                        .map(|s| s as u32)
                        .unwrap_or(size)
                        .max(1);
                    self.inner
                        .page_sizes
                        .lock()
                        .expect("page size cache")
                        .insert(size_key.to_string(), served);
                    let pages = first["pageCount"].as_u64().unwrap_or_else(|| {
                        first["total"]
                            .as_u64()
                            .map(|t| t.div_ceil(served as u64))
                            .unwrap_or(1)
                    });
                    let mut out = entities(first);
                    if pages > 1 {
                        out.extend(self.pages(path, query, served, pages).await?);
                    }
                    return Ok(out);
                }
                Err(e) if page_size_refused(&e) => last_err = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last_err.expect("at least one page size was tried"))
    }

    /// Pages 2..=pages, concurrently, returned in page order.
    async fn pages(
        &self,
        path: &str,
        query: &[(String, String)],
        size: u32,
        pages: u64,
    ) -> Result<Vec<Value>, ClientError> {
        let mut set = JoinSet::new();
        for n in 2..=pages {
            let mut q = query.to_vec();
            q.push(("pageSize".into(), size.to_string()));
            q.push(("pageNumber".into(), n.to_string()));
            let p = with_query(path, &q);
            let c = self.clone();
            set.spawn(async move { (n, c.send(Method::GET, &p, None).await) });
        }
        let mut got = Vec::new();
        while let Some(r) = set.join_next().await {
            let (n, r) = r.map_err(|e| ClientError::Setup(format!("a paging task failed: {e}")))?;
            got.push((n, entities(r?.body)));
        }
        got.sort_by_key(|(n, _)| *n);
        Ok(got.into_iter().flat_map(|(_, e)| e).collect())
    }
}

fn entities(v: Value) -> Vec<Value> {
    match v {
        Value::Object(mut m) => match m.remove("entities") {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// `nextUri` values are relative (`/api/v2/…`); some servers send absolute URLs.
fn strip_base(uri: &str, path: &str) -> String {
    match uri.find("/api/") {
        Some(i) => uri[i..].to_string(),
        None => format!(
            "{path}?{}",
            uri.split_once('?').map(|(_, q)| q).unwrap_or("")
        ),
    }
}
