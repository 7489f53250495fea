//! The canonical text of a repository file (what `gcops fmt` writes and validate expects):
//! canonical JSON, objects sorted by natural key, set-like arrays sorted.

use gcops_model::Catalog;
use gcops_model::canonical::to_canonical_string;
use serde_json::Value;

use crate::normalize::{key_of, sort_sets};

/// Puts a parsed domain file in canonical order (in place).
pub fn canonicalize(catalog: &Catalog, rel: &str, v: &mut Value) {
    let Some(spec) = catalog.top_level().find(|k| k.file == Some(rel)) else {
        return;
    };
    let sub = spec
        .sub
        .filter(|s| !s.as_refs)
        .and_then(|s| Some((s.field, catalog.get(s.kind)?)));
    let fix = |o: &mut Value| {
        sort_sets(spec, o);
        if let Some((field, child)) = sub {
            for item in o
                .get_mut(field)
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                sort_sets(child, item);
            }
        }
    };
    match v {
        Value::Array(items) => {
            items.iter_mut().for_each(fix);
            items.sort_by_cached_key(|o| key_of(spec, o).unwrap_or_default());
        }
        o @ Value::Object(_) => fix(o),
        _ => {}
    }
}

/// The canonical text of `text`, a domain file at `rel`; `Err` with line and column if it is
/// not JSON.
pub fn canonical_text(catalog: &Catalog, rel: &str, text: &str) -> Result<String, String> {
    let mut v: Value = serde_json::from_str(text)
        .map_err(|e| format!("line {} column {}: {e}", e.line(), e.column()))?;
    canonicalize(catalog, rel, &mut v);
    Ok(to_canonical_string(&v))
}

/// Whether the kind's set-like arrays in one object (and its embedded items) are sorted.
pub fn sets_in_order(catalog: &Catalog, spec: &gcops_model::KindSpec, o: &Value) -> bool {
    let check = |spec: &gcops_model::KindSpec, o: &Value| {
        spec.sets.iter().all(|set| {
            gcops_model::pointer::matches(o, set.path)
                .iter()
                .all(|(_, arr)| match arr {
                    Value::Array(items) => items.windows(2).all(|w| {
                        crate::normalize::set_key(&w[0], set.by)
                            <= crate::normalize::set_key(&w[1], set.by)
                    }),
                    _ => true,
                })
        })
    };
    let sub = spec
        .sub
        .filter(|s| !s.as_refs)
        .and_then(|s| Some((s.field, catalog.get(s.kind)?)));
    check(spec, o)
        && sub.is_none_or(|(field, child)| {
            o.get(field)
                .and_then(Value::as_array)
                .is_none_or(|items| items.iter().all(|i| check(child, i)))
        })
}
