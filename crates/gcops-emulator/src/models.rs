//! Request validation driven by the official SDK models.
//!
//! `api_models.json` is extracted from the shared reference (`scripts/extract-api-models.py`):
//! per model, every field's type, readOnly, required and enum. Bodies are checked against it the
//! way the platform's deserializer does: wrong JSON types are `bad.request`, enum violations
//! `invalid.value`, unparsable dates `invalid.date`, missing required fields
//! `required.field.missing`. Unknown fields are dropped, so responses only ever carry model fields.

use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};

pub use gcops_model::models::model;

/// Checks a request body against `model_name` and returns the cleaned body: nulls, unknown
/// fields and (at the top level) read-only fields removed.
pub fn sanitize(model_name: &str, value: &Value) -> ApiResult<Value> {
    check_value(model_name, value, "", 0, None)
}

fn check_value(
    ty: &str,
    value: &Value,
    path: &str,
    depth: usize,
    allowed: Option<&Vec<String>>,
) -> ApiResult<Value> {
    let wrong = || {
        ApiError::bad_request(format!(
            "Unable to read the request body: field '{}' must be of type {ty}.",
            display_path(path)
        ))
        .with_detail("bad.request", &display_path(path), None)
    };
    if let Some(inner) = ty.strip_prefix("array<").and_then(|t| t.strip_suffix('>')) {
        let Value::Array(items) = value else {
            return Err(wrong());
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if item.is_null() {
                continue;
            }
            out.push(check_value(
                inner,
                item,
                &format!("{path}/{i}"),
                depth + 1,
                allowed,
            )?);
        }
        return Ok(Value::Array(out));
    }
    if let Some(inner) = ty
        .strip_prefix("map<string,")
        .and_then(|t| t.strip_suffix('>'))
    {
        let Value::Object(m) = value else {
            return Err(wrong());
        };
        let mut out = Map::new();
        for (k, v) in m {
            if v.is_null() {
                continue;
            }
            out.insert(
                k.clone(),
                check_value(inner, v, &format!("{path}/{k}"), depth + 1, None)?,
            );
        }
        return Ok(Value::Object(out));
    }
    match ty {
        "string" | "string<date>" => {
            let Value::String(s) = value else {
                return Err(wrong());
            };
            if let Some(allowed) = allowed
                && !allowed.iter().any(|a| a == s)
            {
                return Err(
                    ApiError::invalid_value(s, &field_name(path), allowed).with_detail(
                        "invalid.value",
                        &display_path(path),
                        None,
                    ),
                );
            }
            Ok(value.clone())
        }
        "string<date-time>" | "string<local-date-time>" => {
            let Value::String(s) = value else {
                return Err(wrong());
            };
            if crate::time::parse_iso(s).is_none() {
                return Err(ApiError::new(
                    400,
                    "invalid.date",
                    "Dates must be specified as ISO-8601 strings. For example: yyyy-MM-ddTHH:mm:ss.SSSZ",
                )
                .with_detail("invalid.date", &display_path(path), None));
            }
            Ok(value.clone())
        }
        "integer" | "integer int64" => {
            if value.is_i64() || value.is_u64() {
                Ok(value.clone())
            } else {
                Err(wrong())
            }
        }
        "number" => {
            if value.is_number() {
                Ok(value.clone())
            } else {
                Err(wrong())
            }
        }
        "boolean" => {
            if value.is_boolean() {
                Ok(value.clone())
            } else {
                Err(wrong())
            }
        }
        "object" => Ok(strip_nulls(value)),
        name => {
            let Value::Object(m) = value else {
                return Err(wrong());
            };
            let Some(model) = model(name) else {
                // A model outside the extracted set: accept it as free-form JSON.
                return Ok(strip_nulls(value));
            };
            let mut out = Map::new();
            for (k, v) in m {
                if v.is_null() {
                    continue;
                }
                let Some(field) = model.get(k) else { continue };
                // Server-owned fields are ignored on write; nested ids are references and kept.
                if field.read_only && (depth == 0 || k != "id") {
                    continue;
                }
                let p = format!("{path}/{k}");
                out.insert(
                    k.clone(),
                    check_value(&field.ty, v, &p, depth + 1, field.allowed.as_ref())?,
                );
            }
            Ok(Value::Object(out))
        }
    }
}

/// The first required field (depth first, as a dotted path) that `value` lacks.
pub fn missing_required(model_name: &str, value: &Value) -> Option<String> {
    fn walk(model_name: &str, value: &Value, prefix: &str) -> Option<String> {
        let m = model(model_name)?;
        let obj = value.as_object()?;
        let mut names: Vec<&String> = m.keys().collect();
        names.sort();
        for k in names {
            let f = &m[k];
            let v = obj.get(k);
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                None | Some(Value::Null) if f.required && !f.read_only => return Some(path),
                Some(Value::String(s)) if f.required && s.is_empty() => return Some(path),
                Some(v) if v.is_object() && model(&f.ty).is_some() => {
                    if let Some(m) = walk(&f.ty, v, &path) {
                        return Some(m);
                    }
                }
                _ => {}
            }
        }
        None
    }
    walk(model_name, value, "")
}

pub fn strip_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), strip_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => {
            Value::Array(a.iter().filter(|v| !v.is_null()).map(strip_nulls).collect())
        }
        other => other.clone(),
    }
}

fn display_path(path: &str) -> String {
    path.trim_start_matches('/').replace('/', ".")
}

/// The field's type name as the platform prints it (`[Mode]` for `mode`).
fn field_name(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut c = name.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn enum_and_type_errors() {
        let e = sanitize(
            "QueueRequest",
            &json!({"name": "q", "skillEvaluationMethod": "SOME"}),
        )
        .unwrap_err();
        assert_eq!(e.code, "invalid.value");
        assert!(e.message.contains("NONE, BEST, ALL"), "{}", e.message);
        let e = sanitize("QueueRequest", &json!({"name": 7})).unwrap_err();
        assert_eq!(e.code, "bad.request");
        let e = sanitize(
            "QueueRequest",
            &json!({"name": "q", "mediaSettings": {"callback": {"mode": ""}}}),
        )
        .unwrap_err();
        assert_eq!(e.code, "invalid.value");
    }

    #[test]
    fn strips_unknown_read_only_and_nulls() {
        let v = sanitize(
            "QueueRequest",
            &json!({"name": "q", "bogus": 1, "memberCount": 4, "description": null, "id": "x",
                    "queueFlow": {"id": "f"}}),
        )
        .unwrap();
        assert_eq!(v, json!({"name": "q", "queueFlow": {"id": "f"}}));
        assert_eq!(
            missing_required("Schedule", &json!({"name": "s", "start": "x"})),
            Some("end".into())
        );
    }
}
