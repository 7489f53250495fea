//! Fault injection for tests and demos: on matching requests, answer with an error status,
//! add latency, or drop the connection — for the next N requests or until cleared.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// A fault rule, as posted to `/_emulator/faults`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Fault {
    #[serde(default)]
    pub id: u64,
    /// Route template such as `GET /api/v2/routing/queues` or `PUT /api/v2/routing/queues/{id}`;
    /// `*` matches every API request; a trailing `*` matches a prefix.
    #[serde(default = "star")]
    pub route: String,
    /// Only requests for this org.
    #[serde(default)]
    pub org: Option<String>,
    /// Let this many matching requests through first.
    #[serde(default)]
    pub after: u32,
    /// Fire this many times (absent: until cleared).
    #[serde(default)]
    pub count: Option<u32>,
    /// Answer with this status (429 gets a `Retry-After`, 5xx the platform's error codes).
    #[serde(default)]
    pub status: Option<u16>,
    /// `Retry-After` seconds for a 429 (default 1).
    #[serde(default)]
    pub retry_after: Option<u64>,
    /// Delay before the request is handled.
    #[serde(default)]
    pub latency_ms: Option<u64>,
    /// Close the connection without a complete response.
    #[serde(default)]
    pub drop: bool,
    /// How many times it has fired.
    #[serde(default)]
    pub fired: u32,
    #[serde(default)]
    seen: u32,
}

fn star() -> String {
    "*".into()
}

/// What to do to one request.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Effect {
    pub latency_ms: u64,
    pub status: Option<(u16, Option<u64>)>,
    pub drop: bool,
}

#[derive(Default)]
pub struct Faults {
    inner: Mutex<(u64, Vec<Fault>)>,
}

fn route_matches(pattern: &str, route: &str) -> bool {
    pattern == "*"
        || pattern == route
        || pattern
            .strip_suffix('*')
            .is_some_and(|p| route.starts_with(p))
}

impl Faults {
    pub fn add(&self, mut f: Fault) -> Fault {
        let mut g = self.inner.lock().expect("faults lock");
        g.0 += 1;
        f.id = g.0;
        f.fired = 0;
        f.seen = 0;
        g.1.push(f.clone());
        f
    }
    pub fn list(&self) -> Vec<Fault> {
        self.inner.lock().expect("faults lock").1.clone()
    }
    pub fn clear(&self) {
        self.inner.lock().expect("faults lock").1.clear();
    }

    /// The combined effect of every rule that fires for this request.
    pub fn check(&self, route: &str, org: Option<&str>) -> Effect {
        let mut g = self.inner.lock().expect("faults lock");
        let mut effect = Effect::default();
        for f in g.1.iter_mut() {
            if !route_matches(&f.route, route) || f.org.as_deref().is_some_and(|o| Some(o) != org) {
                continue;
            }
            if f.count.is_some_and(|c| f.fired >= c) {
                continue;
            }
            f.seen += 1;
            if f.seen <= f.after {
                continue;
            }
            f.fired += 1;
            effect.latency_ms += f.latency_ms.unwrap_or(0);
            if f.drop {
                effect.drop = true;
            }
            if let Some(s) = f.status {
                effect.status.get_or_insert((s, f.retry_after));
            }
        }
        g.1.retain(|f| f.count.is_none_or(|c| f.fired < c));
        effect
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn next_n_requests_after_skip() {
        let faults = Faults::default();
        faults.add(Fault {
            route: "GET /api/v2/routing/*".into(),
            after: 1,
            count: Some(2),
            status: Some(503),
            ..serde_json::from_str("{}").unwrap()
        });
        let r = "GET /api/v2/routing/queues";
        assert_eq!(faults.check(r, None).status, None);
        assert_eq!(faults.check(r, None).status, Some((503, None)));
        assert_eq!(faults.check("GET /api/v2/flows", None).status, None);
        assert_eq!(faults.check(r, None).status, Some((503, None)));
        assert_eq!(faults.check(r, None).status, None);
        assert!(faults.list().is_empty());
    }
}
