//! `id-mapping.json`: per kind and natural key, the platform UUID in every environment.
//! Export and apply keep it current; promotion reads it to translate ids.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// kind -> natural key -> environment -> UUID.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IdMap(pub BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>);

/// A key that changed its name in an environment (same UUID, new natural key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rename {
    pub kind: String,
    pub from: String,
    pub to: String,
}

impl IdMap {
    pub fn get(&self, kind: &str, key: &str, env: &str) -> Option<&str> {
        self.0.get(kind)?.get(key)?.get(env).map(String::as_str)
    }

    /// The natural key that `uuid` had in `env`.
    pub fn key_of(&self, kind: &str, env: &str, uuid: &str) -> Option<&str> {
        self.0
            .get(kind)?
            .iter()
            .find(|(_, envs)| envs.get(env).is_some_and(|u| u == uuid))
            .map(|(k, _)| k.as_str())
    }

    /// Replaces `env`'s entries of `kind` with `live` (key -> UUID): keys whose UUID shows up
    /// under a new key are renames (the other environments' ids move with them); keys gone
    /// from the org lose this environment's id.
    pub fn sync_kind(
        &mut self,
        kind: &str,
        env: &str,
        live: &BTreeMap<String, String>,
    ) -> Vec<Rename> {
        let map = self.0.entry(kind.to_string()).or_default();
        let by_uuid: BTreeMap<String, String> = map
            .iter()
            .filter_map(|(k, envs)| envs.get(env).map(|u| (u.clone(), k.clone())))
            .collect();
        let mut renames = Vec::new();
        for (key, uuid) in live {
            if let Some(old) = by_uuid.get(uuid).filter(|old| *old != key) {
                if let Some(mut moved) = map.remove(old) {
                    // Another environment may already hold the new name: merge, this env wins.
                    let target = map.entry(key.clone()).or_default();
                    for (e, u) in std::mem::take(&mut moved) {
                        target.entry(e).or_insert(u);
                    }
                }
                renames.push(Rename {
                    kind: kind.to_string(),
                    from: old.clone(),
                    to: key.clone(),
                });
            }
        }
        for (key, envs) in map.iter_mut() {
            match live.get(key) {
                Some(uuid) => {
                    envs.insert(env.to_string(), uuid.clone());
                }
                None => {
                    envs.remove(env);
                }
            }
        }
        for (key, uuid) in live {
            map.entry(key.clone())
                .or_default()
                .insert(env.to_string(), uuid.clone());
        }
        map.retain(|_, envs| !envs.is_empty());
        if map.is_empty() {
            self.0.remove(kind);
        }
        renames
    }

    /// The `{source_uuid: target_uuid}` view of one kind between two environments.
    pub fn pairs(&self, kind: &str, from: &str, to: &str) -> BTreeMap<String, String> {
        self.0
            .get(kind)
            .into_iter()
            .flatten()
            .filter_map(|(_, envs)| Some((envs.get(from)?.clone(), envs.get(to)?.clone())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, u)| (k.to_string(), u.to_string()))
            .collect()
    }

    #[test]
    fn sync_detects_renames_and_removals() {
        let mut m = IdMap::default();
        m.sync_kind("q", "dev", &live(&[("A", "u1"), ("B", "u2")]));
        m.sync_kind("q", "stage", &live(&[("A", "s1")]));
        let renames = m.sync_kind("q", "dev", &live(&[("A2", "u1")]));
        assert_eq!(
            renames,
            vec![Rename {
                kind: "q".into(),
                from: "A".into(),
                to: "A2".into()
            }]
        );
        assert_eq!(
            m.get("q", "A2", "stage"),
            Some("s1"),
            "other envs move with the rename"
        );
        assert_eq!(m.get("q", "A2", "dev"), Some("u1"));
        assert!(!m.0["q"].contains_key("B") && !m.0["q"].contains_key("A"));
        assert_eq!(m.pairs("q", "dev", "stage"), live(&[("u1", "s1")]));
        assert_eq!(m.key_of("q", "dev", "u1"), Some("A2"));
    }
}
