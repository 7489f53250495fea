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

/// Whether a concrete pointer is matched by `pattern` (both in escaped pointer syntax).
/// Allocation-free: it runs for every field of every object during validation.
pub fn pattern_matches(pattern: &str, pointer: &str) -> bool {
    let mut p = pattern.split('/');
    let mut c = pointer.split('/');
    loop {
        match (p.next(), c.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == "*" || a == b => {}
            _ => return false,
        }
    }
}

/// A set of patterns indexed by depth and last segment, so that finding the pattern that
/// matches a pointer costs a hash lookup rather than a scan (validation asks this for every
/// field of every object).
#[derive(Debug, Clone, Default)]
pub struct PatternSet {
    pats: Vec<String>,
    index: std::collections::HashMap<(usize, String), Vec<usize>>,
}

impl PatternSet {
    pub fn new<S: Into<String>>(patterns: impl IntoIterator<Item = S>) -> Self {
        let mut set = PatternSet::default();
        for p in patterns {
            let p: String = p.into();
            let depth = p.matches('/').count();
            let last = p.rsplit('/').next().unwrap_or("").to_string();
            set.index
                .entry((depth, last))
                .or_default()
                .push(set.pats.len());
            set.pats.push(p);
        }
        set
    }

    /// The position (in insertion order) of the first pattern matching `pointer`.
    pub fn find(&self, pointer: &str) -> Option<usize> {
        let depth = pointer.matches('/').count();
        let last = pointer.rsplit('/').next().unwrap_or("");
        let exact = self.index.get(&(depth, last.to_string()));
        let star = self.index.get(&(depth, "*".to_string()));
        exact
            .into_iter()
            .flatten()
            .chain(star.into_iter().flatten())
            .copied()
            .filter(|i| pattern_matches(&self.pats[*i], pointer))
            .min()
    }

    pub fn is_empty(&self) -> bool {
        self.pats.is_empty()
    }
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
