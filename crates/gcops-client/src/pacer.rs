//! One pacer shared by every worker: each token and the client as a whole stay under their
//! per-minute limits by spacing requests evenly, and a 429 pauses everyone for its full
//! `Retry-After` (no cap: a daily limit can ask for hours, and hammering only extends it).

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::Limits;

/// Fraction of each limit the client aims for: even spacing can still bunch up on the wire.
const HEADROOM: f64 = 0.9;

pub struct Pacer {
    state: Mutex<State>,
    token_interval: Duration,
    client_interval: Duration,
}

struct State {
    slots: Vec<Instant>,
    client_next: Instant,
    paused_until: Instant,
}

impl Pacer {
    pub fn new(slots: usize, limits: Limits) -> Self {
        let scale = if limits.time_scale > 0.0 {
            limits.time_scale
        } else {
            1.0
        };
        let per = |n: u32| Duration::from_secs_f64(60.0 / (n.max(1) as f64 * HEADROOM) / scale);
        let now = Instant::now();
        Pacer {
            state: Mutex::new(State {
                slots: vec![now; slots],
                client_next: now,
                paused_until: now,
            }),
            token_interval: per(limits.token_per_minute),
            client_interval: per(limits.client_per_minute),
        }
    }

    /// Waits for the next free send time and returns the token slot to use.
    pub async fn acquire(&self) -> usize {
        loop {
            let (slot, at) = {
                let mut s = self.state.lock().await;
                let now = Instant::now();
                if s.paused_until > now {
                    let until = s.paused_until;
                    drop(s);
                    tokio::time::sleep_until(until).await;
                    continue;
                }
                let (slot, next) = s
                    .slots
                    .iter()
                    .copied()
                    .enumerate()
                    .min_by_key(|(_, t)| *t)
                    .expect("at least one slot");
                let at = next.max(s.client_next).max(now);
                s.slots[slot] = at + self.token_interval;
                s.client_next = at + self.client_interval;
                (slot, at)
            };
            tokio::time::sleep_until(at).await;
            // A 429 may have paused everyone while this worker slept.
            let paused = self.state.lock().await.paused_until;
            if paused > Instant::now() {
                continue;
            }
            return slot;
        }
    }

    /// Pauses every worker for `wait`.
    pub async fn pause(&self, wait: Duration) {
        let mut s = self.state.lock().await;
        let until = Instant::now() + wait;
        if until > s.paused_until {
            s.paused_until = until;
        }
        for t in s.slots.iter_mut() {
            *t = (*t).max(until);
        }
        s.client_next = s.client_next.max(until);
    }
}
