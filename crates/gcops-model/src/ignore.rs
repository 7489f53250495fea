//! Ignore rules (`[[ignore]]` in gcops.toml): a JSON Pointer pattern, optionally limited to a
//! kind and to objects whose natural key matches a `*` glob. Export, plan and drift apply them
//! the same way.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreRule {
    /// JSON Pointer pattern of the field to ignore (`*` = any element or key).
    pub pointer: String,
    /// Only this kind (`routing/queues`); all kinds if absent.
    #[serde(default)]
    pub kind: Option<String>,
    /// Only objects whose natural key matches this glob (`*` = any run of characters).
    #[serde(default)]
    pub name: Option<String>,
}

impl IgnoreRule {
    pub fn applies(&self, kind: &str, key: &str) -> bool {
        self.kind.as_deref().is_none_or(|k| k == kind)
            && self.name.as_deref().is_none_or(|g| glob(g, key))
    }

    /// Checks the rule itself (for gcops.toml diagnostics).
    pub fn check(&self) -> Result<(), String> {
        if !self.pointer.starts_with('/') {
            return Err(format!("pointer '{}' must start with '/'", self.pointer));
        }
        Ok(())
    }
}

/// Removes what the rules ignore from one normalized object.
pub fn apply(rules: &[IgnoreRule], kind: &str, key: &str, value: &mut Value) {
    for r in rules.iter().filter(|r| r.applies(kind, key)) {
        crate::pointer::remove(value, &r.pointer);
    }
}

/// `*` matches any run of characters; everything else is literal.
pub fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let mut rest = text;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn globs_and_removal() {
        assert!(glob("Support*", "Support – Tier 1"));
        assert!(glob("*Tier*", "Support – Tier 1"));
        assert!(!glob("Sales*", "Support"));
        assert!(glob("exact", "exact"));
        let rules = vec![IgnoreRule {
            pointer: "/mediaSettings/*/serviceLevel".into(),
            kind: Some("routing/queues".into()),
            name: Some("VIP*".into()),
        }];
        let mut v = json!({"mediaSettings": {"call": {"serviceLevel": 1, "x": 2}}});
        apply(&rules, "routing/queues", "Support", &mut v);
        assert_eq!(v["mediaSettings"]["call"]["serviceLevel"], 1);
        apply(&rules, "routing/queues", "VIP: Platinum", &mut v);
        assert_eq!(v, json!({"mediaSettings": {"call": {"x": 2}}}));
    }
}
