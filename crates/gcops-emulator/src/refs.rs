//! Walking the references an object holds (JSON Pointer patterns with `*`).

use serde_json::Value;

use crate::kinds::{RefShape, RefSpec};

/// Calls `f(pointer, holder)` for every value matching `pattern`.
pub fn each<'a>(value: &'a Value, pattern: &str, f: &mut dyn FnMut(String, &'a Value)) {
    let segs: Vec<&str> = pattern.split('/').skip(1).collect();
    walk(value, &segs, String::new(), f);
}

fn walk<'a>(value: &'a Value, segs: &[&str], at: String, f: &mut dyn FnMut(String, &'a Value)) {
    let Some((head, rest)) = segs.split_first() else {
        f(at, value);
        return;
    };
    match (value, *head) {
        (Value::Array(items), "*") => {
            for (i, v) in items.iter().enumerate() {
                walk(v, rest, format!("{at}/{i}"), f);
            }
        }
        (Value::Object(m), "*") => {
            for (k, v) in m {
                walk(v, rest, format!("{at}/{k}"), f);
            }
        }
        (Value::Object(m), key) => {
            if let Some(v) = m.get(key) {
                walk(v, rest, format!("{at}/{key}"), f);
            }
        }
        _ => {}
    }
}

/// Mutable variant of [`each`].
pub fn each_mut(value: &mut Value, pattern: &str, f: &mut dyn FnMut(&mut Value)) {
    let segs: Vec<&str> = pattern.split('/').skip(1).collect();
    walk_mut(value, &segs, f);
}

fn walk_mut(value: &mut Value, segs: &[&str], f: &mut dyn FnMut(&mut Value)) {
    let Some((head, rest)) = segs.split_first() else {
        f(value);
        return;
    };
    match (value, *head) {
        (Value::Array(items), "*") => items.iter_mut().for_each(|v| walk_mut(v, rest, f)),
        (Value::Object(m), "*") => m.values_mut().for_each(|v| walk_mut(v, rest, f)),
        (Value::Object(m), key) => {
            if let Some(v) = m.get_mut(key) {
                walk_mut(v, rest, f);
            }
        }
        _ => {}
    }
}

/// The target id a holder carries, if any.
pub fn target_id<'a>(spec: &RefSpec, holder: &'a Value) -> Option<&'a str> {
    match spec.shape {
        RefShape::Obj => holder.get("id").and_then(Value::as_str),
        RefShape::Id => holder.as_str(),
    }
}

/// Every `(spec, pointer, target id)` in `value`.
pub fn all_ids<'a>(specs: &'a [RefSpec], value: &Value) -> Vec<(&'a RefSpec, String, String)> {
    let mut out = Vec::new();
    for spec in specs {
        each(value, spec.path, &mut |ptr, holder| {
            if let Some(id) = target_id(spec, holder) {
                out.push((spec, ptr, id.to_string()));
            }
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wildcards_reach_nested_holders() {
        let v = json!({"bullseye": {"rings": [
            {"actions": {"skillsToRemove": [{"id": "a"}, {"id": "b"}]}},
            {"expansionCriteria": []}]}});
        let mut seen = Vec::new();
        each(
            &v,
            "/bullseye/rings/*/actions/skillsToRemove/*",
            &mut |p, h| seen.push((p, h["id"].as_str().unwrap().to_string())),
        );
        assert_eq!(
            seen,
            vec![
                (
                    "/bullseye/rings/0/actions/skillsToRemove/0".to_string(),
                    "a".to_string()
                ),
                (
                    "/bullseye/rings/0/actions/skillsToRemove/1".to_string(),
                    "b".to_string()
                )
            ]
        );
    }
}
