//! Canonical JSON: sorted keys, 2-space indent, UTF-8 unescaped, trailing newline. Every file
//! gcops writes goes through here, so the same data is always the same bytes.

use serde_json::Value;

pub fn to_canonical_string(v: &Value) -> String {
    // Without serde_json's `preserve_order`, maps are BTreeMaps and keys come out sorted; sort
    // anyway so that a dependency turning that feature on cannot change our output.
    let mut v = v.clone();
    v.sort_all_objects();
    let mut s = serde_json::to_string_pretty(&v).expect("a Value always serializes");
    s.push('\n');
    s
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
