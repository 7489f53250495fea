//! Rewriting references in repository objects (renames detected by export).

use gcops_model::catalog::{Catalog, KindSpec, Shape};
use gcops_model::idmap::Rename;
use serde_json::Value;

use crate::normalize::for_each_ref_mut;

/// Rewrites every reference in `v` (an object of `spec`) to a renamed object. Returns how many
/// holders changed.
pub fn rewrite_renames(
    catalog: &Catalog,
    spec: &KindSpec,
    v: &mut Value,
    renames: &[Rename],
) -> usize {
    let mut changed = 0;
    for_each_ref_mut(catalog, spec, v, &mut |rule, holder| {
        for r in renames.iter().filter(|r| r.kind == rule.target) {
            match rule.shape {
                Shape::Obj => {
                    // Flow keys are `TYPE/name`; their references are {"name", "type"}.
                    let (ty, name) = match r.from.split_once('/') {
                        Some((t, n)) if holder.get("type").is_some() => (Some(t), n),
                        _ => (None, r.from.as_str()),
                    };
                    let to_name =
                        r.to.split_once('/')
                            .filter(|_| ty.is_some())
                            .map_or(r.to.as_str(), |(_, n)| n);
                    if holder["name"] == name && ty.is_none_or(|t| holder["type"] == t) {
                        holder["name"] = Value::String(to_name.to_string());
                        changed += 1;
                    }
                }
                Shape::Id => {
                    if holder.as_str() == Some(r.from.as_str()) {
                        *holder = Value::String(r.to.clone());
                        changed += 1;
                    }
                }
                Shape::Ids => {
                    for item in holder.as_array_mut().into_iter().flatten() {
                        if item.as_str() == Some(r.from.as_str()) {
                            *item = Value::String(r.to.clone());
                            changed += 1;
                        }
                    }
                }
            }
        }
    });
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renamed_queue_is_rewritten_everywhere() {
        let c = Catalog::builtin();
        let spec = c.get("routing/queues").unwrap();
        let mut v = json!({"name": "X", "conditionalGroupRouting": {"rules": [{"queue": {"name": "Old"}}]},
                           "directRouting": {"backupQueueId": "Old"}, "queueFlow": {"name": "Old", "type": "INQUEUECALL"}});
        let r = vec![Rename {
            kind: "routing/queues".into(),
            from: "Old".into(),
            to: "New".into(),
        }];
        assert_eq!(rewrite_renames(&c, spec, &mut v, &r), 2);
        assert_eq!(
            v["conditionalGroupRouting"]["rules"][0]["queue"]["name"],
            "New"
        );
        assert_eq!(v["directRouting"]["backupQueueId"], "New");
        assert_eq!(
            v["queueFlow"]["name"], "Old",
            "a flow reference is not a queue reference"
        );
        let f = vec![Rename {
            kind: "architect/flows".into(),
            from: "INQUEUECALL/Old".into(),
            to: "INQUEUECALL/IQ 2".into(),
        }];
        assert_eq!(rewrite_renames(&c, spec, &mut v, &f), 1);
        assert_eq!(
            v["queueFlow"],
            json!({"name": "IQ 2", "type": "INQUEUECALL"})
        );
    }
}
