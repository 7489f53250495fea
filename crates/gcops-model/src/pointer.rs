//! JSON Pointer patterns: `/a/*/b`, where `*` is every array element or map key. One pattern
//! addresses a field in both the API form and the repository form of an object.

use serde_json::Value;

type Seg<'a> = std::borrow::Cow<'a, str>;

fn segments(pattern: &str) -> Vec<Seg<'_>> {
    pattern
        .split('/')
        .skip(1)
        .map(|s| {
            if s.contains('~') {
                s.replace("~1", "/").replace("~0", "~").into()
            } else {
                s.into()
            }
        })
        .collect()
}

/// Escapes one key for use in a pointer.
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Every concrete pointer matching `pattern` in `value`, with the value there.
pub fn matches<'a>(value: &'a Value, pattern: &str) -> Vec<(String, &'a Value)> {
    let segs = segments(pattern);
    let mut out = Vec::new();
    walk(value, &segs, String::new(), &mut out);
    out
}

fn walk<'a>(value: &'a Value, segs: &[Seg<'_>], at: String, out: &mut Vec<(String, &'a Value)>) {
    let Some((head, rest)) = segs.split_first() else {
        out.push((at, value));
        return;
    };
    match (value, head.as_ref()) {
        (Value::Array(items), "*") => {
            for (i, v) in items.iter().enumerate() {
                walk(v, rest, format!("{at}/{i}"), out);
            }
        }
        (Value::Object(m), "*") => {
            for (k, v) in m {
                walk(v, rest, format!("{at}/{}", escape(k)), out);
            }
        }
        (Value::Object(m), key) => {
            if let Some(v) = m.get(key) {
                walk(v, rest, format!("{at}/{}", escape(key)), out);
            }
        }
        (Value::Array(items), idx) => {
            if let Some(v) = idx.parse::<usize>().ok().and_then(|i| items.get(i)) {
                walk(v, rest, format!("{at}/{idx}"), out);
            }
        }
        _ => {}
    }
}

/// Applies `f` to every value matching `pattern`.
pub fn for_each_mut(value: &mut Value, pattern: &str, f: &mut dyn FnMut(&mut Value)) {
    let segs = segments(pattern);
    walk_mut(value, &segs, f);
}

fn walk_mut(value: &mut Value, segs: &[Seg<'_>], f: &mut dyn FnMut(&mut Value)) {
    let Some((head, rest)) = segs.split_first() else {
        f(value);
        return;
    };
    match (value, head.as_ref()) {
        (Value::Array(items), "*") => items.iter_mut().for_each(|v| walk_mut(v, rest, f)),
        (Value::Object(m), "*") => m.values_mut().for_each(|v| walk_mut(v, rest, f)),
        (Value::Object(m), key) => {
            if let Some(v) = m.get_mut(key) {
                walk_mut(v, rest, f);
            }
        }
        (Value::Array(items), idx) => {
            if let Some(v) = idx.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                walk_mut(v, rest, f);
            }
        }
        _ => {}
    }
}

/// Removes every value matching `pattern` (the last segment names what is removed).
pub fn remove(value: &mut Value, pattern: &str) {
    let Some((parent, last)) = pattern.rsplit_once('/') else {
        return;
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    let mut f = |holder: &mut Value| match holder {
        Value::Object(m) if last == "*" => m.clear(),
        Value::Object(m) => {
            m.remove(&last);
        }
        Value::Array(a) if last == "*" => a.clear(),
        _ => {}
    };
    if parent.is_empty() {
        f(value);
    } else {
        for_each_mut(value, parent, &mut f);
    }
}

/// Whether a concrete pointer is matched by `pattern`.
pub fn pattern_matches(pattern: &str, pointer: &str) -> bool {
    let p = segments(pattern);
    let c = segments(pointer);
    p.len() == c.len() && p.iter().zip(&c).all(|(a, b)| a.as_ref() == "*" || a == b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn patterns_match_arrays_and_maps() {
        let v =
            json!({"rings": [{"skills": [{"id": "a"}, {"id": "b"}]}, {}], "m": {"x/y": {"v": 1}}});
        let m = matches(&v, "/rings/*/skills/*/id");
        assert_eq!(
            m.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
            ["/rings/0/skills/0/id", "/rings/0/skills/1/id"]
        );
        assert_eq!(matches(&v, "/m/*/v")[0].0, "/m/x~1y/v");
        assert!(pattern_matches(
            "/rings/*/skills/*/id",
            "/rings/3/skills/0/id"
        ));
        let mut w = v.clone();
        remove(&mut w, "/rings/*/skills");
        assert_eq!(w["rings"][0], json!({}));
        remove(&mut w, "/m");
        assert!(w.get("m").is_none());
    }
}
