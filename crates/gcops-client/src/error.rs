use reqwest::Method;
use serde_json::Value;

/// Why a request failed. Messages name the request (method and path) and the platform's error
/// code and correlation id; they never contain a token or secret.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("{method} {path}: {status} {code}: {message}{}", context.as_deref().map(|c| format!(" (correlation id {c})")).unwrap_or_default())]
    Api {
        method: String,
        path: String,
        status: u16,
        code: String,
        message: String,
        context: Option<String>,
        /// The whole error body.
        body: Value,
    },
    #[error("{method} {path}: {message}")]
    Transport {
        method: String,
        path: String,
        message: String,
    },
    #[error("{method} {path}: the response is not valid JSON: {message}")]
    Decode {
        method: String,
        path: String,
        message: String,
    },
    #[error("cannot get an OAuth token from {url}: {message}")]
    Auth { url: String, message: String },
    #[error("cannot set up the HTTP client: {0}")]
    Setup(String),
}

impl ClientError {
    pub(crate) fn transport(method: &Method, path: &str, e: &reqwest::Error) -> Self {
        let what = if e.is_timeout() {
            "timed out".to_string()
        } else if e.is_connect() {
            "cannot connect".to_string()
        } else if e.is_body() || e.is_decode() {
            "the connection dropped while reading the response".to_string()
        } else {
            "the request failed".to_string()
        };
        // reqwest's Display includes the URL (no credentials: tokens travel in headers).
        ClientError::Transport {
            method: method.to_string(),
            path: path.to_string(),
            message: format!("{what}: {e}"),
        }
    }

    pub(crate) fn api(
        method: &Method,
        path: &str,
        status: u16,
        context: Option<String>,
        bytes: &[u8],
    ) -> Self {
        let body: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
        ClientError::Api {
            method: method.to_string(),
            path: path.to_string(),
            status,
            code: body["code"].as_str().unwrap_or("").to_string(),
            message: body["message"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| {
                    String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned()
                }),
            context,
            body,
        }
    }

    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            ClientError::Api { code, .. } => Some(code),
            _ => None,
        }
    }
}
