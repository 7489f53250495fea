//! Canonical JSON: sorted keys, 2-space indent, UTF-8 unescaped, trailing newline. Every file
//! gcops writes goes through here, so the same data is always the same bytes.

use serde_json::Value;

pub fn to_canonical_string(v: &Value) -> String {
    // Without serde_json's `preserve_order`, maps are BTreeMaps and keys come out sorted. If a
    // dependency turned that feature on, sort a copy so our output cannot change.
    let mut s = if maps_are_sorted() {
        serde_json::to_string_pretty(v)
    } else {
        let mut v = v.clone();
        v.sort_all_objects();
        serde_json::to_string_pretty(&v)
    }
    .expect("a Value always serializes");
    s.push('\n');
    s
}

/// Whether `serde_json::Map` iterates in key order (it does unless `preserve_order` is on).
fn maps_are_sorted() -> bool {
    static SORTED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *SORTED.get_or_init(|| {
        let mut m = serde_json::Map::new();
        m.insert("b".into(), Value::Null);
        m.insert("a".into(), Value::Null);
        m.keys().next().is_some_and(|k| k == "a")
    })
}

/// Whether `text` is exactly the canonical form of the JSON it holds.
pub fn is_canonical(text: &str) -> bool {
    serde_json::from_str::<Value>(text).is_ok_and(|v| to_canonical_string(&v) == text)
}

/// Removes nulls everywhere (the API omits them; so do our files).
pub fn drop_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, v| !v.is_null());
            m.values_mut().for_each(drop_nulls);
        }
        Value::Array(a) => {
            a.retain(|v| !v.is_null());
            a.iter_mut().for_each(drop_nulls);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_is_sorted_pretty_and_newline_terminated() {
        let s = to_canonical_string(&json!({"b": 1, "a": {"d": [1, 2], "c": "é/x"}}));
        assert_eq!(
            s,
            "{\n  \"a\": {\n    \"c\": \"é/x\",\n    \"d\": [\n      1,\n      2\n    ]\n  },\n  \"b\": 1\n}\n"
        );
        assert!(is_canonical(&s));
        assert!(!is_canonical("{\"a\":1}"));
    }
}
