//! `gcops validate`: every mistake in the repository, before anything touches an org — each
//! with a stable code, severity, file, line:column, JSON Pointer, message and hint.

pub mod schema;

use std::collections::{BTreeMap, BTreeSet};

use gcops_model::Catalog;
use gcops_model::catalog::{KeySpec, KindSpec, natural_key};
use gcops_model::contains_uuid;
use serde::Serialize;
use serde_json::Value;

use crate::graph::{Graph, ObjectRefs};
use crate::json::{self, Node, NodeValue, line_col};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub pointer: String,
    pub message: String,
    pub hint: String,
    /// Byte range of the offending text (for underlining).
    #[serde(skip)]
    pub span: (usize, usize),
}

/// A file under `domains/` (path relative to the repository root, e.g. `domains/routing/queues.json`).
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub rel: String,
    pub text: String,
}

/// What the live org has, for `--env` checks.
#[derive(Debug, Clone, Default)]
pub struct LiveOrg {
    pub env: String,
    /// kind -> natural keys (built-ins included).
    pub keys: BTreeMap<String, BTreeSet<String>>,
    /// Certificate authorities: (name, expiration of each certificate, ms).
    pub certificates: Vec<(String, Vec<i64>)>,
}

#[derive(Debug, Clone)]
pub struct Options<'a> {
    /// Environments to check substitutions and compatibility for: (name, values of
    /// `environments/<env>.json` or `None` if that file is missing, pinned release tag).
    pub environments: Vec<(String, Option<Value>, Option<String>)>,
    /// `compat/platform-versions.json`.
    pub compat: Option<Value>,
    pub include_org_specific: bool,
    /// Warn about certificates expiring within this many days.
    pub cert_warn_days: i64,
    pub now_ms: i64,
    pub live: Option<&'a LiveOrg>,
}

pub const DAY_MS: i64 = 86_400_000;

/// Compares a file with its canonical text piece by piece, without building the whole text.
struct Canon<'a> {
    text: &'a str,
    pos: usize,
    ok: bool,
    /// Duplicate keys make the canonical text meaningless (they are reported on their own).
    dups: bool,
}

impl Canon<'_> {
    fn push(&mut self, piece: &str) {
        if self.ok && self.text[self.pos..].starts_with(piece) {
            self.pos += piece.len();
        } else {
            self.ok = false;
        }
    }
    /// An array element: its canonical text (which ends in a newline) indented by two spaces.
    fn push_indented(&mut self, piece: &str) {
        for (j, line) in piece.trim_end_matches('\n').split('\n').enumerate() {
            if j > 0 {
                self.push("\n");
            }
            self.push("  ");
            self.push(line);
        }
    }
    fn done(&self) -> bool {
        self.dups || (self.ok && self.pos == self.text.len())
    }
}

/// Checks one object against each environment's pinned platform release.
fn check_compat(
    cx: &mut Ctx,
    opts: &Options,
    file: usize,
    spec: &KindSpec,
    at: &str,
    node: &Node,
    value: &Value,
) {
    let Some(compat) = &opts.compat else { return };
    for (env, _, release) in &opts.environments {
        let Some(release) = release else { continue };
        let rules = &compat["releases"][release];
        for (list, code, sev) in [
            ("deprecated", "COMPAT_DEPRECATED_FIELD", Severity::Warning),
            ("removed", "COMPAT_REMOVED_FIELD", Severity::Error),
            ("required", "COMPAT_REQUIRED_FIELD", Severity::Error),
        ] {
            for rule in rules[list].as_array().into_iter().flatten() {
                let (Some(kind), Some(ptr)) = (rule["kind"].as_str(), rule["pointer"].as_str())
                else {
                    continue;
                };
                if kind != spec.id {
                    continue;
                }
                let note = rule["message"]
                    .as_str()
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default();
                let key = natural_key(spec, value).unwrap_or_default();
                let hits = gcops_model::pointer::matches(value, ptr);
                match (list, hits.is_empty()) {
                    ("required", true) => cx.push(file, code, sev, (node.start, node.end), at, format!("{kind} '{key}' lacks {ptr}, which platform release {release} ({env}) requires{note}"), format!("add {ptr}")),
                    ("deprecated" | "removed", false) => {
                        for (p, _) in hits {
                            let n = node.pointer(&p).unwrap_or(node);
                            let what = if list == "removed" { "no longer accepts" } else { "deprecates" };
                            let hint = rule["replacement"].as_str().map(|r| format!("use {r} instead")).unwrap_or_else(|| "update the field before promoting".into());
                            cx.push(file, code, sev, (n.start, n.end), &format!("{at}{p}"), format!("platform release {release} ({env}) {what} {ptr}{note}"), hint);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// A certificate authority's PEM and where it is.
struct CaEntry {
    file: usize,
    name: String,
    pem: String,
    span: (usize, usize),
    pointer: String,
}

/// A repository object found while loading.
struct Obj<'a> {
    file: usize,
    kind: &'a KindSpec,
    key: String,
    pointer: String,
    /// Byte range of the object in its file.
    span: (usize, usize),
}

/// Spans for diagnostics found after the syntax trees were dropped: files are parsed again,
/// once each, only when one needs a location.
struct Spans<'a> {
    files: &'a [SourceFile],
    /// (file, first pointer segment of an array file) -> that element, or the root object.
    parsed: BTreeMap<(usize, String), Option<Node>>,
}

impl Spans<'_> {
    /// The span at `pointer` in `file`. Top-level arrays are streamed, so only the element the
    /// pointer names is built (a 100 MB file costs one object's memory here).
    fn at(&mut self, file: usize, pointer: &str) -> (usize, usize) {
        let text = &self.files[file].text;
        let first = pointer.split('/').nth(1).unwrap_or("").to_string();
        let is_array = text.trim_start().starts_with('[');
        let entry = self.parsed.entry((
            file,
            if is_array {
                first.clone()
            } else {
                String::new()
            },
        ));
        let node = entry.or_insert_with(|| match json::parse_root(text) {
            Ok(json::Root::Value(n)) => Some(n),
            Ok(json::Root::Array(mut items)) => {
                let want: usize = first.parse().ok()?;
                let mut n = 0;
                while let Ok(Some(node)) = items.next() {
                    if n == want {
                        return Some(node);
                    }
                    n += 1;
                }
                None
            }
            Err(_) => None,
        });
        let Some(node) = node else { return (0, 0) };
        let rest = if is_array {
            pointer
                .splitn(3, '/')
                .nth(2)
                .map(|r| format!("/{r}"))
                .unwrap_or_default()
        } else {
            pointer.to_string()
        };
        let n = node_at(node, &rest);
        (n.start, n.end)
    }
}

struct Ctx<'a> {
    files: &'a [SourceFile],
    out: Vec<Diagnostic>,
}

impl Ctx<'_> {
    // Each argument is one part of the diagnostic; a struct at every call site would only add noise.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        file: usize,
        code: &'static str,
        sev: Severity,
        span: (usize, usize),
        pointer: &str,
        message: String,
        hint: String,
    ) {
        let f = &self.files[file];
        let (line, column) = line_col(&f.text, span.0);
        self.out.push(Diagnostic {
            code,
            severity: sev,
            file: f.rel.clone(),
            line,
            column,
            pointer: pointer.to_string(),
            message,
            hint,
            span,
        });
    }
}

fn node_at<'a>(root: &'a Node, ptr: &str) -> &'a Node {
    // The deepest existing node on the path (a missing field is reported at its parent).
    let mut p = ptr.to_string();
    loop {
        if let Some(n) = root.pointer(&p) {
            return n;
        }
        match p.rfind('/') {
            Some(i) => p.truncate(i),
            None => return root,
        }
    }
}

/// Runs every offline check (and the `--env` ones when `opts.live` is given).
pub fn validate(catalog: &Catalog, files: &[SourceFile], opts: &Options) -> Vec<Diagnostic> {
    let mut cx = Ctx {
        files,
        out: Vec::new(),
    };
    let mut objects: Vec<Obj> = Vec::new();
    let mut refs: Vec<ObjectRefs> = Vec::new();
    let mut cas: Vec<CaEntry> = Vec::new();
    let mut used_subs: BTreeMap<String, (usize, (usize, usize), String)> = BTreeMap::new();

    // Per file, item by item: everything that needs the syntax tree happens while the item's
    // tree exists; only keys, spans and references are kept, so memory stays proportional to
    // one object plus those (later diagnostics find spans by parsing the file again, rarely).
    'files: for (i, f) in files.iter().enumerate() {
        let marks = (cx.out.len(), objects.len(), refs.len(), cas.len());
        let mut file_subs = BTreeMap::new();
        let invalid = |cx: &mut Ctx, e: json::ParseError| {
            cx.push(
                i,
                "INVALID_JSON",
                Severity::Error,
                (e.offset, e.offset + 1),
                "",
                format!("not valid JSON: {}", e.message),
                "fix the syntax (gcops fmt cannot format a file it cannot read)".into(),
            );
        };
        let root = match json::parse_root(&f.text) {
            Err(e) => {
                invalid(&mut cx, e);
                continue;
            }
            Ok(r) => r,
        };
        let Some(spec) = catalog.top_level().find(|k| k.file == Some(f.rel.as_str())) else {
            if let json::Root::Array(mut items) = root {
                loop {
                    match items.next() {
                        Ok(Some(_)) => {}
                        Ok(None) => break,
                        Err(e) => {
                            invalid(&mut cx, e);
                            continue 'files;
                        }
                    }
                }
            }
            cx.push(
                i,
                "UNKNOWN_FILE",
                Severity::Warning,
                (0, 0),
                "",
                format!("{} is not a file of any kind", f.rel),
                "kinds are stored in the files gcops init created; this file is ignored".into(),
            );
            continue;
        };
        let schema_ctx = schema::Ctx::new(catalog, spec, opts.include_org_specific);
        let mut canon = Canon {
            text: &f.text,
            pos: 0,
            ok: true,
            dups: false,
        };
        let mut prev_key: Option<String> = None;
        let mut process = |cx: &mut Ctx, ptr: String, node: Node, canon: &mut Canon| -> String {
            for (at, m) in node.duplicate_keys_at(&ptr) {
                let p = format!("{at}/{}", gcops_model::pointer::escape(&m.key));
                cx.push(
                    i,
                    "DUPLICATE_JSON_KEY",
                    Severity::Error,
                    (m.key_start, m.key_end),
                    &p,
                    format!(
                        "the key '{}' appears twice in one object; only the last one would count",
                        m.key
                    ),
                    "remove one of them".into(),
                );
                canon.dups = true;
            }
            let mut findings = Vec::new();
            schema::check_object(&schema_ctx, &node, &mut findings);
            for (p, code, message, hint) in findings {
                let n = node_at(&node, &p);
                cx.push(
                    i,
                    code,
                    Severity::Error,
                    (n.start, n.end),
                    &format!("{ptr}{p}"),
                    message,
                    hint,
                );
            }
            walk_strings(&node, &ptr, &mut |at, n, s| {
                if contains_uuid(s) {
                    cx.push(i, "HARDCODED_ID", Severity::Error, (n.start, n.end), at, format!("'{s}' is a platform id; ids differ in every org"), "refer to the object by name (export writes names; ids live in id-mapping.json)".into());
                }
                for key in substitutions(s) {
                    file_subs
                        .entry(key)
                        .or_insert((i, (n.start, n.end), at.to_string()));
                }
            });
            let value = node.to_value();
            check_compat(cx, opts, i, spec, &ptr, &node, &value);
            if canon.ok && !canon.dups && !crate::format::sets_in_order(catalog, spec, &value) {
                canon.ok = false;
            }
            let key = natural_key(spec, &value);
            if let (Some(k), Some(prev)) = (&key, &prev_key)
                && k < prev
            {
                canon.ok = false;
            }
            if let (Some(key), Some(pem)) = (
                &key,
                value["certificate"]
                    .as_str()
                    .filter(|_| spec.id == "telephony/certificate-authorities"),
            ) {
                let n = node.pointer("/certificate").unwrap_or(&node);
                cas.push(CaEntry {
                    file: i,
                    name: key.clone(),
                    pem: pem.to_string(),
                    span: (n.start, n.end),
                    pointer: format!("{ptr}/certificate"),
                });
            }
            let piece = gcops_model::canonical::to_canonical_string(&value);
            if let Some(key) = key {
                refs.push(ObjectRefs::of(catalog, spec.id, &key, &value));
                objects.push(Obj {
                    file: i,
                    kind: spec,
                    key: key.clone(),
                    pointer: ptr,
                    span: (node.start, node.end),
                });
                prev_key = Some(key);
            }
            piece
        };
        match root {
            json::Root::Value(node) => {
                if spec.key != KeySpec::Singleton || !matches!(node.value, NodeValue::Object(_)) {
                    let want = if spec.key == KeySpec::Singleton {
                        "one object"
                    } else {
                        "an array of objects"
                    };
                    cx.push(
                        i,
                        "SCHEMA_TYPE",
                        Severity::Error,
                        (node.start, node.end),
                        "",
                        format!("{} must hold {want}", f.rel),
                        String::new(),
                    );
                    continue;
                }
                let piece = process(&mut cx, String::new(), node, &mut canon);
                canon.push(&piece);
            }
            json::Root::Array(mut items) => {
                if spec.key == KeySpec::Singleton {
                    cx.push(
                        i,
                        "SCHEMA_TYPE",
                        Severity::Error,
                        (0, 0),
                        "",
                        format!("{} must hold one object", f.rel),
                        String::new(),
                    );
                    continue;
                }
                canon.push("[");
                let mut n = 0;
                loop {
                    match items.next() {
                        Ok(Some(node)) => {
                            let piece = process(&mut cx, format!("/{n}"), node, &mut canon);
                            canon.push(if n == 0 { "\n" } else { ",\n" });
                            canon.push_indented(&piece);
                            n += 1;
                        }
                        Ok(None) => break,
                        Err(e) => {
                            // Only the syntax error counts for a file that cannot be read.
                            cx.out.truncate(marks.0);
                            objects.truncate(marks.1);
                            refs.truncate(marks.2);
                            cas.truncate(marks.3);
                            invalid(&mut cx, e);
                            continue 'files;
                        }
                    }
                }
                canon.push(if n == 0 { "]\n" } else { "\n]\n" });
            }
        }
        for (k, v) in file_subs {
            used_subs.entry(k).or_insert(v);
        }
        if !canon.done() {
            cx.push(i, "NON_CANONICAL", Severity::Error, (0, 0), "", "the file is not in canonical form (sorted keys and objects, 2-space indent, final newline)".into(), "run `gcops fmt`".into());
        }
    }
    let mut spans = Spans {
        files,
        parsed: BTreeMap::new(),
    };

    // Duplicate natural keys.
    let mut seen: BTreeMap<(&str, &str), &Obj> = BTreeMap::new();
    for o in &objects {
        if let Some(first) = seen.insert((o.kind.id, o.key.as_str()), o) {
            let (line, _) = line_col(&files[first.file].text, first.span.0);
            cx.push(
                o.file,
                "DUPLICATE_KEY",
                Severity::Error,
                o.span,
                &o.pointer,
                format!(
                    "{} '{}' is defined twice (first at line {line})",
                    o.kind.id, o.key
                ),
                "keep one: the natural key identifies the object in every environment".into(),
            );
        }
    }

    // Substitutions without a value.
    for (env, values, _) in &opts.environments {
        for (key, (file, span, ptr)) in &used_subs {
            let defined = values
                .as_ref()
                .is_some_and(|v| v.get(key).is_some_and(|x| !x.is_null()));
            if !defined {
                cx.push(
                    *file,
                    "SUBSTITUTION_MISSING",
                    Severity::Error,
                    *span,
                    ptr,
                    format!("{{{{{key}}}}} has no value for environment {env}"),
                    format!("add \"{key}\" to environments/{env}.json"),
                );
            }
        }
    }

    // References, dangling or circular.
    let graph = Graph::from_refs(refs);
    let index: BTreeMap<(&str, &str), &Obj> = objects
        .iter()
        .map(|o| ((o.kind.id, o.key.as_str()), o))
        .collect();
    for u in &graph.unmatched {
        let target = catalog.get(&u.target.kind);
        if target.is_some_and(|t| t.builtin_keys.contains(&u.target.key.as_str()))
            || contains_uuid(&u.target.key)
        {
            continue; // a built-in, or an id (reported as HARDCODED_ID)
        }
        let live_has = opts.live.is_some_and(|l| {
            l.keys
                .get(&u.target.kind)
                .is_some_and(|k| k.contains(&u.target.key))
        });
        if live_has {
            continue;
        }
        let from = &graph.nodes[u.from];
        let Some(o) = owner(&index, catalog, &from.kind, &from.key) else {
            continue;
        };
        let (file, ptr) = (o.file, o.pointer.clone());
        let full = format!("{ptr}{}", u.field);
        let span = spans.at(file, &full);
        let file_of = target.and_then(|t| t.file).unwrap_or("the repository");
        let whereabouts = match opts.live {
            Some(l) => format!("neither in {file_of} nor in the {} org", l.env),
            None => format!("not in {file_of}"),
        };
        cx.push(file, "DANGLING_REFERENCE", Severity::Error, span, &full, format!("{} '{}' refers to {} '{}', which is {whereabouts}", from.kind, from.key, u.target.kind, u.target.key), "add the target, fix the name, or validate with --env to accept objects that exist only in the org".into());
    }
    let blocking = graph.blocking_cycles();
    for comp in graph.cycles() {
        // The cycle apply cannot break (required references only), if there is one inside.
        let hard = blocking.iter().find(|b| b.iter().all(|n| comp.contains(n)));
        let edges = match hard {
            Some(b) => graph
                .cycle_edges(b)
                .into_iter()
                .filter(|e| !e.deferrable)
                .collect(),
            None => graph.cycle_edges(&comp),
        };
        let shown = edges.len().min(12);
        let mut described: Vec<String> = edges[..shown]
            .iter()
            .map(|e| {
                format!(
                    "{} \"{}\" -> {} \"{}\" via {}{}",
                    graph.nodes[e.from].kind,
                    graph.nodes[e.from].key,
                    graph.nodes[e.to].kind,
                    graph.nodes[e.to].key,
                    e.field,
                    if e.deferrable { " (deferrable)" } else { "" }
                )
            })
            .collect();
        if edges.len() > shown {
            described.push(format!(
                "… and {} more edges (`gcops graph --format json` lists them all)",
                edges.len() - shown
            ));
        }
        let first = &graph.nodes[edges[0].from];
        let Some(o) = owner(&index, catalog, &first.kind, &first.key) else {
            continue;
        };
        let field = edges[0]
            .field
            .strip_prefix(&o.pointer)
            .unwrap_or(&edges[0].field)
            .to_string();
        let span = spans.at(o.file, &format!("{}{field}", o.pointer));
        let (sev, hint) = if hard.is_none() {
            (Severity::Warning, "apply breaks it in two phases: create without the deferrable references, then set them".to_string())
        } else {
            (Severity::Error, "break the cycle by routing through a queue: point one side at a queue whose in-queue flow reaches the other".to_string())
        };
        cx.push(
            o.file,
            "CIRCULAR_DEPENDENCY_DETECTED",
            sev,
            span,
            &format!("{}{field}", o.pointer),
            format!("circular dependency: {}", described.join("; ")),
            hint,
        );
    }

    // Certificates: expired or expiring soon, and the trunks that use them.
    let users = |ca: &str| -> Vec<String> {
        let mut v: Vec<String> = graph
            .edges
            .iter()
            .filter(|e| {
                graph.nodes[e.to].kind == "telephony/certificate-authorities"
                    && graph.nodes[e.to].key == ca
            })
            .map(|e| format!("{} '{}'", graph.nodes[e.from].kind, graph.nodes[e.from].key))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    for CaEntry {
        file,
        name,
        pem,
        span,
        pointer: ptr,
    } in &cas
    {
        match gcops_model::x509::parse_pem(pem) {
            None => cx.push(*file, "CERT_INVALID", Severity::Error, *span, ptr, format!("certificate authority '{name}': the certificate is not a PEM-encoded X.509 certificate"), "paste the CA's PEM (-----BEGIN CERTIFICATE----- …)".into()),
            Some(certs) => {
                let expiries: Vec<i64> = certs.iter().map(|c| c.expiration_date).collect();
                if let Some(d) = cert_diag(name, &expiries, opts, &users(name), "") {
                    cx.push(*file, d.0, d.1, *span, ptr, d.2, d.3);
                }
            }
        }
    }
    if let Some(live) = opts.live {
        for (name, expiries) in &live.certificates {
            if let Some(d) = cert_diag(
                name,
                expiries,
                opts,
                &users(name),
                &format!(" in the {} org", live.env),
            ) {
                let file = files
                    .iter()
                    .position(|f| f.rel.ends_with("certificate-authorities.json"));
                cx.out.push(Diagnostic {
                    code: d.0,
                    severity: d.1,
                    file: file.map(|i| files[i].rel.clone()).unwrap_or_default(),
                    line: 0,
                    column: 0,
                    pointer: String::new(),
                    message: d.2,
                    hint: d.3,
                    span: (0, 0),
                });
            }
        }
    }

    let mut out = cx.out;
    out.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.pointer)
            .cmp(&(&b.file, b.line, b.column, b.code, &b.pointer))
    });
    out.dedup();
    out
}

/// The repository object a graph node lives in (a sub-resource item lives in its parent).
fn owner<'a>(
    index: &BTreeMap<(&str, &str), &'a Obj<'a>>,
    catalog: &Catalog,
    kind: &str,
    key: &str,
) -> Option<&'a Obj<'a>> {
    if let Some(o) = index.get(&(kind, key)) {
        return Some(o);
    }
    let parent = catalog
        .top_level()
        .find(|k| k.sub.is_some_and(|s| s.kind == kind))?;
    let pair: Vec<String> = serde_json::from_str(key).ok()?;
    index.get(&(parent.id, pair.first()?.as_str())).copied()
}

fn cert_diag(
    name: &str,
    expiries: &[i64],
    opts: &Options,
    users: &[String],
    where_: &str,
) -> Option<(&'static str, Severity, String, String)> {
    let soonest = *expiries.iter().min()?;
    let used = if users.is_empty() {
        String::new()
    } else {
        format!("; used by {}", users.join(", "))
    };
    let days = (soonest - opts.now_ms).div_euclid(DAY_MS);
    if soonest <= opts.now_ms {
        Some((
            "CERT_EXPIRED",
            Severity::Error,
            format!(
                "certificate authority '{name}'{where_} expired {} days ago{used}",
                -days
            ),
            "rotate the certificate and update the trunks that trust it".into(),
        ))
    } else if days < opts.cert_warn_days {
        Some((
            "CERT_EXPIRING",
            Severity::Warning,
            format!("certificate authority '{name}'{where_} expires in {days} days{used}"),
            "rotate it before it expires".into(),
        ))
    } else {
        None
    }
}

fn walk_strings<'a>(node: &'a Node, at: &str, f: &mut dyn FnMut(&str, &'a Node, &'a str)) {
    match &node.value {
        NodeValue::String(s) => f(at, node, s),
        NodeValue::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, n)| walk_strings(n, &format!("{at}/{i}"), f)),
        NodeValue::Object(m) => m.iter().for_each(|mm| {
            walk_strings(
                &mm.value,
                &format!("{at}/{}", gcops_model::pointer::escape(&mm.key)),
                f,
            )
        }),
        _ => {}
    }
}

/// The keys of every `{{key}}` in a string.
pub fn substitutions(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find("{{") {
        let after = &rest[i + 2..];
        let Some(j) = after.find("}}") else { break };
        let key = after[..j].trim();
        if !key.is_empty() && !key.contains(['{', '}']) {
            out.push(key.to_string());
        }
        rest = &after[j + 2..];
    }
    out
}

/// Errors first; within a severity, by file and position.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

/// `file:line:col: severity[CODE] message` with the offending text underlined.
pub fn render(d: &Diagnostic, text: Option<&str>) -> String {
    let sev = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut s = format!(
        "{sev}[{}]: {}\n  --> {}:{}:{}",
        d.code, d.message, d.file, d.line, d.column
    );
    if !d.pointer.is_empty() {
        s.push_str(&format!(" (at {})", d.pointer));
    }
    s.push('\n');
    if let Some(text) = text.filter(|_| d.line > 0)
        && let Some(line) = text.lines().nth(d.line - 1)
    {
        let width = text[d.span.0..d.span.1.min(text.len()).max(d.span.0)]
            .lines()
            .next()
            .map(|l| l.chars().count())
            .unwrap_or(0)
            .max(1);
        // Long lines (PEM certificates, …) are cut so the underline stays readable.
        let shown: String = line.chars().take(d.column - 1 + 60).collect();
        let cut = if shown.chars().count() < line.chars().count() {
            "…"
        } else {
            ""
        };
        let width = width.min(60);
        let gutter = d.line.to_string();
        s.push_str(&format!(
            "{:w$} |\n{gutter} | {shown}{cut}\n{:w$} | {}{}\n",
            "",
            "",
            " ".repeat(d.column - 1),
            "^".repeat(width),
            w = gutter.len()
        ));
    }
    if !d.hint.is_empty() {
        s.push_str(&format!("  = hint: {}\n", d.hint));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids_test_rng::Rng;

    /// Property: validate never panics, whatever the bytes of the files.
    #[test]
    fn never_panics_on_mutated_repositories() {
        let catalog = Catalog::builtin();
        let queues = r#"[
  {
    "bullseye": {"rings": [{"actions": {"skillsToRemove": [{"name": "Billing"}]}}]},
    "callingPartyNumber": "{{n}}",
    "conditionalGroupRouting": {"rules": [{"queue": {"name": "B"}}]},
    "division": {"name": "Home"},
    "name": "A",
    "queueFlow": {"name": "IQ", "type": "INQUEUECALL"},
    "wrapupCodes": [{"name": "Done"}]
  },
  {"directRouting": {"backupQueueId": "A"}, "name": "B"}
]
"#;
        let sites = r#"[{"location": {"name": "HQ"}, "name": "S", "outboundRoutes": [{"classificationTypes": ["National"], "externalTrunkBases": [{"name": "T"}], "name": "R"}]}]"#;
        let opts = Options {
            environments: vec![(
                "dev".into(),
                Some(serde_json::json!({"n": "1"})),
                Some("r".into()),
            )],
            compat: Some(
                serde_json::json!({"releases": {"r": {"removed": [{"kind": "routing/queues", "pointer": "/name"}]}}}),
            ),
            include_org_specific: false,
            cert_warn_days: 30,
            now_ms: 0,
            live: None,
        };
        let mut rng = Rng(7);
        for _ in 0..3_000 {
            let mut files = Vec::new();
            for (rel, text) in [
                ("domains/routing/queues.json", queues),
                ("domains/telephony/sip-domains.json", sites),
            ] {
                let mut b = text.as_bytes().to_vec();
                for _ in 0..rng.below(4) {
                    let at = rng.below(b.len());
                    match rng.below(3) {
                        0 => b[at] = b"{}[]\",:0a\\ -"[rng.below(12)],
                        1 => {
                            b.remove(at);
                        }
                        _ => b.insert(at, b"{}[],:\"x"[rng.below(8)]),
                    }
                }
                files.push(SourceFile {
                    rel: rel.into(),
                    text: String::from_utf8_lossy(&b).into_owned(),
                });
            }
            let diags = validate(&catalog, &files, &opts);
            for d in &diags {
                let _ = render(
                    d,
                    Some(
                        &files
                            .iter()
                            .find(|f| f.rel == d.file)
                            .map(|f| f.text.clone())
                            .unwrap_or_default(),
                    ),
                );
            }
        }
    }
}
