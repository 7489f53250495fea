//! The repository form of each kind, derived from the SDK model (DESIGN.md §3): the model's
//! fields minus the stripped ones, references as natural keys, virtual sub-resource fields.
//! Used both to check files (here) and to write JSON Schemas for editors (`schema_for`).

use gcops_model::catalog::{BASE_STRIP, Catalog, KeySpec, KindSpec, RefRule, Shape};
use gcops_model::models::{self, array_item, map_value};
use gcops_model::pointer::{PatternSet, escape};
use serde_json::{Map, Value, json};

use crate::json::{Node, NodeValue};

/// One schema finding: (pointer, code, message, hint).
pub type Finding = (String, &'static str, String, String);

pub struct Ctx<'a> {
    pub catalog: &'a Catalog,
    pub spec: &'a KindSpec,
    strip_top: PatternSet,
    strip: PatternSet,
    rules: PatternSet,
    /// The context of the kind's embedded sub-resource items (outbound routes).
    child: Option<Box<Ctx<'a>>>,
}

impl<'a> Ctx<'a> {
    pub fn new(catalog: &'a Catalog, spec: &'a KindSpec, include_org_specific: bool) -> Ctx<'a> {
        let org: &[&str] = if include_org_specific {
            &[]
        } else {
            spec.org_specific
        };
        let child = spec
            .sub
            .filter(|s| !s.as_refs)
            .and_then(|s| catalog.get(s.kind))
            .map(|c| Box::new(Ctx::new(catalog, c, include_org_specific)));
        Ctx {
            catalog,
            spec,
            strip_top: PatternSet::new(BASE_STRIP.iter().copied()),
            strip: PatternSet::new(spec.strip.iter().chain(org).copied()),
            rules: PatternSet::new(spec.refs.iter().map(|r| r.path.clone())),
            child,
        }
    }

    fn stripped(&self, ptr: &str, top: bool) -> bool {
        (top && self.strip_top.find(ptr).is_some()) || self.strip.find(ptr).is_some()
    }

    fn rule(&self, ptr: &str) -> Option<&RefRule> {
        self.rules.find(ptr).map(|i| &self.spec.refs[i])
    }
}

fn type_name(v: &NodeValue) -> &'static str {
    match v {
        NodeValue::Null => "null",
        NodeValue::Bool(_) => "a boolean",
        NodeValue::Number(_) => "a number",
        NodeValue::String(_) => "a string",
        NodeValue::Array(_) => "an array",
        NodeValue::Object(_) => "an object",
    }
}

/// `{{key}}`: a value substituted per environment.
pub fn is_substitution(s: &str) -> bool {
    s.starts_with("{{")
        && s.ends_with("}}")
        && s.len() > 4
        && !s[2..s.len() - 2].contains(['{', '}'])
}

/// Checks one repository object of `ctx.spec`.
pub fn check_object(ctx: &Ctx, node: &Node, out: &mut Vec<Finding>) {
    check_model(ctx, ctx.spec.model, node, "", true, out);
}

fn check_model(
    ctx: &Ctx,
    model_name: &str,
    node: &Node,
    ptr: &str,
    top: bool,
    out: &mut Vec<Finding>,
) {
    let NodeValue::Object(members) = &node.value else {
        out.push((
            ptr.into(),
            "SCHEMA_TYPE",
            format!("expected an object, found {}", type_name(&node.value)),
            String::new(),
        ));
        return;
    };
    let Some(model) = models::model(model_name) else {
        return;
    };
    for m in members {
        let p = format!("{ptr}/{}", escape(&m.key));
        if ctx.stripped(&p, top) {
            out.push((
                p,
                "FORBIDDEN_FIELD",
                format!(
                    "'{}' is set by the platform (or belongs to one org) and is not configuration",
                    m.key
                ),
                "remove it: export never writes it and apply ignores it".into(),
            ));
            continue;
        }
        if top && let Some(sub) = ctx.spec.sub.filter(|s| s.field == m.key) {
            check_sub(ctx, sub, &m.value, &p, out);
            continue;
        }
        match model.get(&m.key) {
            Some(field) => check_value(ctx, &field.ty, field.allowed.as_deref(), &m.value, &p, out),
            None => {
                let mut known: Vec<&str> = model
                    .keys()
                    .map(String::as_str)
                    .filter(|k| !ctx.stripped(&format!("{ptr}/{k}"), top))
                    .collect();
                known.sort();
                let hint = match closest(&m.key, &known) {
                    Some(c) => format!("did you mean '{c}'?"),
                    None => format!("known fields: {}", known.join(", ")),
                };
                out.push((
                    p,
                    "SCHEMA_UNKNOWN_FIELD",
                    format!("unknown field '{}' for {model_name}", m.key),
                    hint,
                ));
            }
        }
    }
    let mut required: Vec<&String> = model
        .iter()
        .filter(|(k, f)| f.required && !f.read_only && !ctx.stripped(&format!("{ptr}/{k}"), top))
        .map(|(k, _)| k)
        .collect();
    required.sort();
    for k in required {
        let singleton_root = top && ctx.spec.key == KeySpec::Singleton;
        if !singleton_root && !members.iter().any(|m| &m.key == k) {
            out.push((
                ptr.into(),
                "SCHEMA_REQUIRED",
                format!("'{k}' is required for {model_name}"),
                format!("add \"{k}\""),
            ));
        }
    }
}

fn check_sub(
    ctx: &Ctx,
    sub: gcops_model::catalog::SubSpec,
    node: &Node,
    ptr: &str,
    out: &mut Vec<Finding>,
) {
    let NodeValue::Array(items) = &node.value else {
        out.push((
            ptr.into(),
            "SCHEMA_TYPE",
            format!("'{}' must be an array", sub.field),
            String::new(),
        ));
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let p = format!("{ptr}/{i}");
        match ctx.child.as_deref() {
            None if sub.as_refs => {
                let rule = RefRule {
                    path: String::new(),
                    target: "routing/wrapup-codes".into(),
                    shape: Shape::Obj,
                    optional: true,
                };
                check_ref_shape(ctx, &rule, item, &p, out);
            }
            None => {}
            Some(child) => {
                let mut inner = Vec::new();
                check_model(child, child.spec.model, item, "", true, &mut inner);
                out.extend(
                    inner
                        .into_iter()
                        .map(|(q, c, m, h)| (format!("{p}{q}"), c, m, h)),
                );
            }
        }
    }
}

fn check_ref_shape(ctx: &Ctx, rule: &RefRule, node: &Node, ptr: &str, out: &mut Vec<Finding>) {
    let flow = ctx
        .catalog
        .get(&rule.target)
        .is_some_and(|t| t.key == KeySpec::TypeName);
    let expected = match (rule.shape, flow) {
        (Shape::Obj, true) => "{\"name\": …, \"type\": …}",
        (Shape::Obj, false) => "{\"name\": …}",
        (Shape::Id, _) => "the target's name (a string)",
        (Shape::Ids, _) => "an array of names",
    };
    let ok = match (&node.value, rule.shape) {
        (NodeValue::Object(m), Shape::Obj) => {
            m.iter()
                .all(|x| x.key == "name" || (flow && x.key == "type"))
                && m.iter()
                    .any(|x| x.key == "name" && matches!(x.value.value, NodeValue::String(_)))
                && (!flow || m.iter().any(|x| x.key == "type"))
        }
        (NodeValue::String(_), Shape::Id) => true,
        (NodeValue::Array(a), Shape::Ids) => {
            a.iter().all(|x| matches!(x.value, NodeValue::String(_)))
        }
        _ => false,
    };
    if !ok {
        out.push((
            ptr.into(),
            "SCHEMA_REFERENCE",
            format!("a reference to {} must be {expected}", rule.target),
            "references name their target; ids never go in the repository".into(),
        ));
    }
}

fn check_value(
    ctx: &Ctx,
    ty: &str,
    allowed: Option<&[String]>,
    node: &Node,
    ptr: &str,
    out: &mut Vec<Finding>,
) {
    if let Some(rule) = ctx.rule(ptr) {
        check_ref_shape(ctx, rule, node, ptr, out);
        return;
    }
    if let NodeValue::String(s) = &node.value
        && is_substitution(s)
    {
        return;
    }
    let wrong = |out: &mut Vec<Finding>, what: &str| {
        out.push((
            ptr.into(),
            "SCHEMA_TYPE",
            format!("expected {what}, found {}", type_name(&node.value)),
            String::new(),
        ));
    };
    if let Some(item) = array_item(ty) {
        match &node.value {
            NodeValue::Array(items) => {
                for (i, it) in items.iter().enumerate() {
                    check_value(ctx, item, allowed, it, &format!("{ptr}/{i}"), out);
                }
            }
            _ => wrong(out, "an array"),
        }
        return;
    }
    if let Some(val) = map_value(ty) {
        match &node.value {
            NodeValue::Object(members) => {
                for m in members {
                    check_value(
                        ctx,
                        val,
                        None,
                        &m.value,
                        &format!("{ptr}/{}", escape(&m.key)),
                        out,
                    );
                }
            }
            _ => wrong(out, "an object"),
        }
        return;
    }
    match (ty, &node.value) {
        (
            "string" | "string<date>" | "string<date-time>" | "string<local-date-time>",
            NodeValue::String(s),
        ) => {
            if let Some(allowed) = allowed
                && !allowed.iter().any(|a| a == s)
            {
                out.push((
                    ptr.into(),
                    "SCHEMA_INVALID_VALUE",
                    format!("'{s}' is not a valid value"),
                    format!("use one of: {}", allowed.join(", ")),
                ));
            }
        }
        ("string" | "string<date>" | "string<date-time>" | "string<local-date-time>", _) => {
            wrong(out, "a string")
        }
        ("integer" | "integer int64", NodeValue::Number(n)) if n.is_i64() || n.is_u64() => {}
        ("integer" | "integer int64", _) => wrong(out, "an integer"),
        ("number", NodeValue::Number(_)) => {}
        ("number", _) => wrong(out, "a number"),
        ("boolean", NodeValue::Bool(_)) => {}
        ("boolean", _) => wrong(out, "a boolean"),
        ("object", _) => {}
        (model, _) if models::model(model).is_some() => {
            check_model(ctx, model, node, ptr, false, out)
        }
        _ => {}
    }
}

/// The closest known name (edit distance ≤ 3), for "did you mean".
fn closest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    let dist = |a: &str, b: &str| {
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut cur = vec![i + 1];
            for (j, cb) in b.iter().enumerate() {
                cur.push(
                    (prev[j] + usize::from(ca != *cb))
                        .min(prev[j + 1] + 1)
                        .min(cur[j] + 1),
                );
            }
            prev = cur;
        }
        prev[b.len()]
    };
    known
        .iter()
        .map(|k| (dist(&word.to_lowercase(), &k.to_lowercase()), *k))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, k)| k)
}

/// A JSON Schema (draft 2020-12) of a kind's repository file.
pub fn schema_for(catalog: &Catalog, spec: &KindSpec) -> Value {
    let ctx = Ctx::new(catalog, spec, false);
    let mut defs = Map::new();
    let mut object = model_schema(&ctx, spec.model, "", true, &mut defs);
    if let Some(sub) = spec.sub {
        let items = if sub.as_refs {
            json!({"$ref": "#/$defs/ref"})
        } else {
            let child = catalog.get(sub.kind).expect("sub kinds are in the catalog");
            let cctx = Ctx::new(catalog, child, false);
            model_schema(&cctx, child.model, "", true, &mut defs)
        };
        object["properties"][sub.field] =
            json!({"type": "array", "items": items, "description": "managed sub-resource"});
    }
    defs.insert("ref".into(), json!({"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"], "additionalProperties": false}));
    defs.insert("flowRef".into(), json!({"type": "object", "properties": {"name": {"type": "string"}, "type": {"type": "string"}}, "required": ["name", "type"], "additionalProperties": false}));
    let root = if spec.key == KeySpec::Singleton {
        object
    } else {
        json!({"type": "array", "items": object})
    };
    let mut s = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("https://gcops.dev/schemas/{}.schema.json", spec.id.replace('/', ".")),
        "title": format!("gcops {}", spec.id),
        "description": format!("{} in repository form (the {} model without platform-set fields; references by name)", spec.file.unwrap_or(spec.id), spec.model),
        "$defs": defs,
    });
    if let (Value::Object(s), Value::Object(r)) = (&mut s, root) {
        s.extend(r);
    }
    s
}

fn model_schema(
    ctx: &Ctx,
    model_name: &str,
    ptr: &str,
    top: bool,
    defs: &mut Map<String, Value>,
) -> Value {
    // Models can be recursive; configuration never nests this deep.
    let Some(model) = models::model(model_name).filter(|_| ptr.matches('/').count() < 12) else {
        return json!({});
    };
    let mut props = Map::new();
    let mut required = Vec::new();
    let mut names: Vec<&String> = model.keys().collect();
    names.sort();
    for k in names {
        let f = &model[k];
        let p = format!("{ptr}/{}", escape(k));
        if ctx.stripped(&p, top) {
            continue;
        }
        props.insert(
            k.clone(),
            value_schema(ctx, &f.ty, f.allowed.as_deref(), &p, defs),
        );
        if f.required && !f.read_only && !(top && ctx.spec.key == KeySpec::Singleton) {
            required.push(k.clone());
        }
    }
    json!({"type": "object", "properties": props, "required": required, "additionalProperties": false})
}

fn value_schema(
    ctx: &Ctx,
    ty: &str,
    allowed: Option<&[String]>,
    ptr: &str,
    defs: &mut Map<String, Value>,
) -> Value {
    if let Some(rule) = ctx.rule(ptr) {
        let flow = ctx
            .catalog
            .get(&rule.target)
            .is_some_and(|t| t.key == KeySpec::TypeName);
        return match (rule.shape, flow) {
            (Shape::Obj, true) => json!({"$ref": "#/$defs/flowRef"}),
            (Shape::Obj, false) => json!({"$ref": "#/$defs/ref"}),
            (Shape::Id, _) => {
                json!({"type": "string", "description": format!("name of a {}", rule.target)})
            }
            (Shape::Ids, _) => json!({"type": "array", "items": {"type": "string"}}),
        };
    }
    if let Some(item) = array_item(ty) {
        return json!({"type": "array", "items": value_schema(ctx, item, allowed, &format!("{ptr}/*"), defs)});
    }
    if let Some(val) = map_value(ty) {
        return json!({"type": "object", "additionalProperties": value_schema(ctx, val, None, &format!("{ptr}/*"), defs)});
    }
    let subst = json!({"type": "string", "pattern": "^\\{\\{[^{}]+\\}\\}$"});
    match ty {
        "string" | "string<date>" | "string<date-time>" | "string<local-date-time>" => {
            match allowed {
                Some(a) => json!({"anyOf": [{"enum": a}, subst]}),
                None => json!({"type": "string"}),
            }
        }
        "integer" | "integer int64" => json!({"anyOf": [{"type": "integer"}, subst]}),
        "number" => json!({"anyOf": [{"type": "number"}, subst]}),
        "boolean" => json!({"anyOf": [{"type": "boolean"}, subst]}),
        "object" => json!({}),
        model if models::model(model).is_some() => model_schema(ctx, model, ptr, false, defs),
        _ => json!({}),
    }
}
