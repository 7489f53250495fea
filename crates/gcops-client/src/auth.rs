//! OAuth client credentials and the token pool.

use base64::Engine;
use tokio::sync::Mutex;

use crate::{Client, ClientError, Secret};

pub struct TokenPool {
    slots: Vec<Mutex<Option<Token>>>,
}

struct Token {
    value: Secret,
    expires_at: std::time::Instant,
}

impl TokenPool {
    pub fn new(size: usize) -> Self {
        TokenPool {
            slots: (0..size).map(|_| Mutex::new(None)).collect(),
        }
    }

    /// The slot's token, requested on first use and renewed a minute before it expires.
    pub async fn get(&self, slot: usize, client: &Client) -> Result<Secret, ClientError> {
        let mut guard = self.slots[slot].lock().await;
        if let Some(t) = guard.as_ref()
            && t.expires_at > std::time::Instant::now()
        {
            return Ok(t.value.clone());
        }
        let t = request_token(client).await?;
        let value = t.value.clone();
        *guard = Some(t);
        Ok(value)
    }

    pub async fn invalidate(&self, slot: usize) {
        *self.slots[slot].lock().await = None;
    }
}

async fn request_token(client: &Client) -> Result<Token, ClientError> {
    let cfg = client.config();
    let url = format!("{}/oauth/token", cfg.login_base);
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        cfg.client_id,
        cfg.client_secret.expose()
    ));
    let mut attempt = 0;
    loop {
        client.count_token_request();
        let resp = client
            .inner
            .http
            .post(&url)
            .header("authorization", format!("Basic {basic}"))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await;
        let err = match resp {
            Ok(r) if r.status().is_success() => {
                let v: serde_json::Value = r.json().await.map_err(|e| ClientError::Auth {
                    url: url.clone(),
                    message: format!("invalid token response: {e}"),
                })?;
                let Some(token) = v["access_token"].as_str() else {
                    return Err(ClientError::Auth {
                        url,
                        message: "the response has no access_token".into(),
                    });
                };
                let ttl = v["expires_in"].as_u64().unwrap_or(3600);
                let margin = (ttl / 10).min(60);
                return Ok(Token {
                    value: Secret::new(token),
                    expires_at: std::time::Instant::now()
                        + std::time::Duration::from_secs(ttl.saturating_sub(margin).max(1)),
                });
            }
            Ok(r) => {
                let status = r.status().as_u16();
                let body: serde_json::Value = r.json().await.unwrap_or_default();
                let detail = body["error_description"]
                    .as_str()
                    .or(body["description"].as_str())
                    .or(body["error"].as_str())
                    .or(body["message"].as_str())
                    .unwrap_or("")
                    .to_string();
                // Token-endpoint throttling is a 400 invalid_request "rate limit exceeded; …".
                let retryable =
                    status >= 500 || status == 429 || detail.starts_with("rate limit exceeded");
                let message = match status {
                    400 | 401 => format!(
                        "{status} {}: {detail} — check the client id and secret environment variables of this environment",
                        body["error"].as_str().unwrap_or("")
                    ),
                    _ => format!("{status}: {detail}"),
                };
                if !retryable {
                    return Err(ClientError::Auth { url, message });
                }
                message
            }
            Err(e) => format!("{e}"),
        };
        attempt += 1;
        if attempt > client.config().max_retries {
            return Err(ClientError::Auth { url, message: err });
        }
        tokio::time::sleep(crate::backoff(attempt)).await;
    }
}
