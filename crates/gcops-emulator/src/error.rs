//! The real API's error body (`ErrorBody`: message, code, status, contextId, details, errors).

use serde_json::{Map, Value, json};

/// An API error as the platform reports it. `contextId` is filled in when the response is built.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub details: Vec<Value>,
    pub entity_id: Option<String>,
    pub entity_name: Option<String>,
    pub message_params: Option<Map<String, Value>>,
    /// Seconds, for 429 responses (`Retry-After` header).
    pub retry_after: Option<u64>,
    pub limit: Option<Value>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.to_string(),
            message: message.into(),
            details: Vec::new(),
            entity_id: None,
            entity_name: None,
            message_params: None,
            retry_after: None,
            limit: None,
        }
    }

    pub fn with_detail(mut self, error_code: &str, field: &str, entity_id: Option<&str>) -> Self {
        let mut d = Map::new();
        d.insert("errorCode".into(), json!(error_code));
        d.insert("fieldName".into(), json!(field));
        if let Some(id) = entity_id {
            d.insert("entityId".into(), json!(id));
        }
        self.details.push(Value::Object(d));
        self
    }

    pub fn with_entity(mut self, id: &str, name: Option<&str>) -> Self {
        self.entity_id = Some(id.to_string());
        self.entity_name = name.map(str::to_string);
        self
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "bad.request", message)
    }
    pub fn malformed() -> Self {
        Self::bad_request(
            "The request could not be understood by the server due to malformed syntax.",
        )
    }
    pub fn not_found() -> Self {
        Self::new(404, "not.found", "The requested resource was not found.")
    }
    pub fn required(field: &str) -> Self {
        Self::new(
            400,
            "required.field.missing",
            format!("A required field is missing a value: {field}"),
        )
        .with_detail("required.field.missing", field, None)
    }
    pub fn invalid_value(value: &str, field_type: &str, allowed: &[String]) -> Self {
        let mut e = Self::new(
            400,
            "invalid.value",
            format!(
                "Value [{value}] is not valid for field type [{field_type}]. Allowable values are: {}",
                allowed.join(", ")
            ),
        );
        let mut p = Map::new();
        p.insert("0".into(), json!(value));
        p.insert("1".into(), json!(field_type));
        e.message_params = Some(p);
        e
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(409, "general.conflict", message)
    }
    pub fn version_mismatch() -> Self {
        Self::conflict(
            "The version supplied does not match the current version of the resource. Re-read the resource and retry.",
        )
    }
    pub fn missing_permissions(all: bool, perms: &[&str]) -> Self {
        let list = format!("[{}]", perms.join(", "));
        if all {
            Self::new(
                403,
                "missing.permissions",
                format!(
                    "Unable to perform the requested action. You are missing the following permission(s): {list}"
                ),
            )
        } else {
            Self::new(
                403,
                "missing.any.permissions",
                format!(
                    "Unable to perform the requested action. You must have at least one of the following permissions assigned: {list}"
                ),
            )
        }
    }
    pub fn internal() -> Self {
        Self::new(
            500,
            "internal.server.error",
            "The server encountered an unexpected condition which prevented it from fulfilling the request.",
        )
    }

    /// The JSON body, with the given correlation id.
    pub fn body(&self, context_id: &str) -> Value {
        let mut m = Map::new();
        m.insert("message".into(), json!(self.message));
        m.insert("code".into(), json!(self.code));
        m.insert("status".into(), json!(self.status));
        if let Some(id) = &self.entity_id {
            m.insert("entityId".into(), json!(id));
        }
        if let Some(name) = &self.entity_name {
            m.insert("entityName".into(), json!(name));
        }
        if let Some(p) = &self.message_params {
            m.insert("messageParams".into(), Value::Object(p.clone()));
        }
        m.insert("contextId".into(), json!(context_id));
        m.insert("details".into(), Value::Array(self.details.clone()));
        m.insert("errors".into(), json!([]));
        if let Some(l) = &self.limit {
            m.insert("limit".into(), l.clone());
        }
        Value::Object(m)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.message)
    }
}

impl std::error::Error for ApiError {}
