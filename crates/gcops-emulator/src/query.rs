//! Query strings: percent-decoding and the two ways SDKs send list parameters (repeated keys
//! from the JS SDK, comma-joined values from the Python SDK).

use crate::error::{ApiError, ApiResult};

#[derive(Debug, Default, Clone)]
pub struct Query(pub Vec<(String, String)>);

impl Query {
    pub fn parse(raw: Option<&str>) -> Query {
        let mut out = Vec::new();
        for pair in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            out.push((decode(k), decode(v)));
        }
        Query(out)
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a list parameter, whichever way it was sent.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| {
                v.split(',')
                    .map(str::trim)
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// Every parameter except `exclude`, as `&k=v…`, for the URIs of list envelopes (so that
    /// following `nextUri` keeps the caller's filters and sort order).
    pub fn passthrough(&self, exclude: &[&str]) -> String {
        self.0
            .iter()
            .filter(|(k, _)| !exclude.contains(&k.as_str()))
            .map(|(k, v)| format!("&{}={}", encode(k), encode(v)))
            .collect()
    }

    pub fn bool(&self, key: &str) -> ApiResult<Option<bool>> {
        match self.get(key) {
            None | Some("") => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(ApiError::invalid_value(
                other,
                key,
                &["true".into(), "false".into()],
            )),
        }
    }

    pub fn int(&self, key: &str, default: i64) -> ApiResult<i64> {
        match self.get(key) {
            None | Some("") => Ok(default),
            Some(v) => v.parse().map_err(|_| {
                ApiError::new(
                    400,
                    "invalid.value",
                    format!(
                        "Value [{v}] is not valid for field type [{key}]. It must be an integer."
                    ),
                )
            }),
        }
    }
}

pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
                {
                    Ok(v) => {
                        out.push(v);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes a query value (for the URIs in list envelopes).
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'*' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn decodes_both_list_styles() {
        let q = Query::parse(Some(
            "id=a&id=b%2Cc&name=Sales+%26+Service%2FEMEA&x=%E2%82%AC",
        ));
        assert_eq!(q.all("id"), vec!["a", "b", "c"]);
        assert_eq!(q.get("name"), Some("Sales & Service/EMEA"));
        assert_eq!(q.get("x"), Some("€"));
        assert_eq!(decode("100%"), "100%");
        assert_eq!(encode("Sales & Service"), "Sales%20%26%20Service");
    }
}
