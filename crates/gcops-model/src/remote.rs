//! The one seam between the engine and an org: the engine lists through this trait and the
//! client implements it, so the engine never does I/O of its own (and tests can fake an org).

use std::future::Future;

use serde_json::Value;

use crate::catalog::Paging;

/// A failed request, as much as the engine needs to report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteError {
    pub status: Option<u16>,
    pub code: Option<String>,
    pub message: String,
}

impl std::fmt::Display for RemoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RemoteError {}

pub trait Remote: Clone + Send + Sync + 'static {
    /// Every entity of a list endpoint (`path` may hold a query string already).
    fn list(
        &self,
        path: &str,
        query: &[(String, String)],
        paging: Paging,
        size_key: &str,
    ) -> impl Future<Output = Result<Vec<Value>, RemoteError>> + Send;

    /// One request (`method` GET/POST/PUT/PATCH/DELETE; `path` with its query). Returns the
    /// response body (`Null` when empty).
    fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> impl Future<Output = Result<Value, RemoteError>> + Send;
}
