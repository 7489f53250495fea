//! The platform's per-minute limits: per token and per OAuth client, fixed one-minute windows.
//! A `time_scale` shortens the emulated minute so tests keep the real ratios quickly.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use serde_json::json;

use crate::config::RateLimits;
use crate::error::ApiError;

pub struct RateLimiter {
    start: Instant,
    inner: Mutex<Inner>,
}

struct Inner {
    limits: RateLimits,
    /// key -> (window index, requests admitted in it)
    windows: HashMap<String, (u64, u32)>,
}

impl RateLimiter {
    pub fn new(limits: RateLimits) -> Self {
        RateLimiter {
            start: Instant::now(),
            inner: Mutex::new(Inner {
                limits,
                windows: HashMap::new(),
            }),
        }
    }

    pub fn limits(&self) -> RateLimits {
        self.inner.lock().expect("rate limiter lock").limits
    }

    pub fn set_limits(&self, limits: RateLimits) {
        let mut g = self.inner.lock().expect("rate limiter lock");
        g.limits = limits;
        g.windows.clear();
    }

    /// Admits one request for `token` (of `client`) or returns the 429 to send.
    pub fn admit(&self, token: &str, client: &str) -> Result<(), ApiError> {
        let mut g = self.inner.lock().expect("rate limiter lock");
        let limits = g.limits;
        if !limits.enabled {
            return Ok(());
        }
        let scale = if limits.time_scale > 0.0 {
            limits.time_scale
        } else {
            1.0
        };
        let window_ms = 60_000.0 / scale;
        let elapsed = self.start.elapsed().as_secs_f64() * 1000.0;
        let index = (elapsed / window_ms) as u64;
        let retry_after = (((index + 1) as f64 * window_ms - elapsed) / 1000.0)
            .ceil()
            .max(1.0) as u64;
        let checks = [
            (
                format!("t:{token}"),
                limits.token_per_minute,
                "client.credentials.token.rate.per.minute",
            ),
            (
                format!("c:{client}"),
                limits.client_per_minute,
                "org.app.user.rate.per.minute",
            ),
        ];
        for (key, limit, name) in &checks {
            let w = g.windows.entry(key.clone()).or_insert((index, 0));
            if w.0 != index {
                *w = (index, 0);
            }
            if w.1 >= *limit {
                let mut e = ApiError::new(
                    429,
                    "too.many.requests.retry.after",
                    format!(
                        "Rate limit exceeded the maximum. Retry the request in [{retry_after}] seconds"
                    ),
                );
                e.retry_after = Some(retry_after);
                e.limit = Some(json!({"key": name, "namespace": "platform.api", "value": limit}));
                return Err(e);
            }
        }
        for (key, _, _) in &checks {
            if let Some(w) = g.windows.get_mut(key) {
                w.1 += 1;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn token_limit_then_client_limit() {
        let rl = RateLimiter::new(RateLimits {
            token_per_minute: 2,
            client_per_minute: 3,
            time_scale: 1.0,
            enabled: true,
        });
        assert!(rl.admit("a", "c").is_ok());
        assert!(rl.admit("a", "c").is_ok());
        let e = rl.admit("a", "c").unwrap_err();
        assert_eq!(
            (e.status, e.code.as_str()),
            (429, "too.many.requests.retry.after")
        );
        assert!(e.retry_after.unwrap() >= 1);
        assert!(rl.admit("b", "c").is_ok());
        let e = rl.admit("b", "c").unwrap_err();
        assert_eq!(e.limit.unwrap()["key"], "org.app.user.rate.per.minute");
    }
}
