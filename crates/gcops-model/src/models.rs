//! The official SDK models (extracted from `shared/reference/api-models.json` by
//! `scripts/extract-api-models.py`): per model, every field's type, readOnly, required and enum.
//! The emulator validates request bodies with them; validate and `gcops schema` derive the
//! repository form from them.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Field {
    /// `string`, `integer`, `number`, `boolean`, `object`, `string<date-time>`,
    /// `string<local-date-time>`, `array<T>`, `map<string,T>` or a model name.
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default, rename = "readOnly")]
    pub read_only: bool,
    #[serde(default)]
    pub required: bool,
    #[serde(default, rename = "enum")]
    pub allowed: Option<Vec<String>>,
}

pub type Model = HashMap<String, Field>;

/// The raw JSON, for consumers that keep their own representation.
pub const JSON: &str = include_str!("api_models.json");

static MODELS: LazyLock<HashMap<String, Model>> =
    LazyLock::new(|| serde_json::from_str(JSON).expect("api_models.json is valid"));

pub fn model(name: &str) -> Option<&'static Model> {
    MODELS.get(name)
}

/// `array<T>` -> `T`.
pub fn array_item(ty: &str) -> Option<&str> {
    ty.strip_prefix("array<")?.strip_suffix('>')
}

/// `map<string,T>` -> `T`.
pub fn map_value(ty: &str) -> Option<&str> {
    ty.strip_prefix("map<string,")?.strip_suffix('>')
}
