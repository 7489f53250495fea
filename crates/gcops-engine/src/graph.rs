//! The resource dependency graph (DESIGN.md §6): nodes are repository objects, edges are their
//! references (from the catalog's rules, and later from names found in flow YAML — any extractor
//! adds edges through [`Graph::add_edge`]). Tarjan finds every cycle; Kahn levels give a stable
//! apply order.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use gcops_model::catalog::{Catalog, KeySpec, RefRule, Shape, child_key, natural_key};
use gcops_model::pointer;
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct NodeKey {
    pub kind: String,
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    /// JSON Pointer of the reference in the `from` object.
    pub field: String,
    /// An optional reference: apply can create without it and set it in a second phase.
    pub deferrable: bool,
}

/// A reference whose target is not among the graph's nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmatched {
    pub from: usize,
    pub field: String,
    pub target: NodeKey,
    pub rule: RefRule,
}

/// One reference of an object: the field holding it, its rule, the target's natural key, and
/// which embedded sub-resource item (if any) holds it.
#[derive(Debug, Clone)]
pub struct ObjRef {
    pub sub: Option<usize>,
    pub field: String,
    pub rule: RefRule,
    pub target: String,
}

/// What the graph needs of one repository object. Embedded sub-resource items (outbound
/// routes) become nodes of their own that depend on their parent, so a route's trunks do not
/// make its site depend on them (KINDS.md §17).
#[derive(Debug, Clone)]
pub struct ObjectRefs {
    pub kind: String,
    pub key: String,
    /// Sub-resource nodes: (kind, key).
    pub subs: Vec<(String, String)>,
    pub refs: Vec<ObjRef>,
}

impl ObjectRefs {
    pub fn of(catalog: &Catalog, kind: &str, key: &str, obj: &Value) -> ObjectRefs {
        let mut out = ObjectRefs {
            kind: kind.to_string(),
            key: key.to_string(),
            subs: Vec::new(),
            refs: Vec::new(),
        };
        let Some(spec) = catalog.get(kind) else {
            return out;
        };
        let embedded = spec.sub.filter(|s| !s.as_refs);
        for (field, rule, target) in references_of(catalog, obj, &spec.refs) {
            if !rule.is_external() {
                out.refs.push(ObjRef {
                    sub: None,
                    field,
                    rule,
                    target,
                });
            }
        }
        let (Some(sub), Some(child)) = (embedded, embedded.and_then(|s| catalog.get(s.kind)))
        else {
            return out;
        };
        for (i, item) in obj
            .get(sub.field)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(name) = natural_key(child, item) else {
                continue;
            };
            let idx = out.subs.len();
            out.subs.push((sub.kind.to_string(), child_key(key, &name)));
            for (field, rule, target) in references_of(catalog, item, &child.refs) {
                if !rule.is_external() {
                    out.refs.push(ObjRef {
                        sub: Some(idx),
                        field: format!("/{}/{i}{field}", sub.field),
                        rule,
                        target,
                    });
                }
            }
        }
        out
    }
}

#[derive(Debug, Default)]
pub struct Graph {
    pub nodes: Vec<NodeKey>,
    index: HashMap<NodeKey, usize>,
    pub edges: Vec<Edge>,
    pub unmatched: Vec<Unmatched>,
}

/// The references `rules` find in `v` (a repository object).
fn references_of(
    catalog: &Catalog,
    v: &Value,
    rules: &[RefRule],
) -> Vec<(String, RefRule, String)> {
    let mut out = Vec::new();
    for rule in rules {
        let flow_target = catalog
            .get(&rule.target)
            .is_some_and(|t| t.key == KeySpec::TypeName);
        for (ptr, holder) in pointer::matches(v, &rule.path) {
            match (rule.shape, holder) {
                (Shape::Obj, Value::Object(m)) => {
                    let Some(name) = m.get("name").and_then(Value::as_str) else {
                        continue;
                    };
                    let key = match (flow_target, m.get("type").and_then(Value::as_str)) {
                        (true, Some(t)) => format!("{t}/{name}"),
                        _ => name.to_string(),
                    };
                    out.push((ptr, rule.clone(), key));
                }
                (Shape::Id, Value::String(s)) => out.push((ptr, rule.clone(), s.clone())),
                (Shape::Ids, Value::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        if let Some(s) = item.as_str() {
                            out.push((format!("{ptr}/{i}"), rule.clone(), s.to_string()));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

impl Graph {
    pub fn add_node(&mut self, kind: &str, key: &str) -> usize {
        let k = NodeKey {
            kind: kind.to_string(),
            key: key.to_string(),
        };
        if let Some(i) = self.index.get(&k) {
            return *i;
        }
        self.nodes.push(k.clone());
        self.index.insert(k, self.nodes.len() - 1);
        self.nodes.len() - 1
    }

    pub fn node(&self, kind: &str, key: &str) -> Option<usize> {
        self.index
            .get(&NodeKey {
                kind: kind.to_string(),
                key: key.to_string(),
            })
            .copied()
    }

    pub fn add_edge(&mut self, from: usize, to: usize, field: String, deferrable: bool) {
        self.edges.push(Edge {
            from,
            to,
            field,
            deferrable,
        });
    }

    /// The graph of repository objects `(kind, key, object)`.
    pub fn build<'a>(
        catalog: &Catalog,
        objects: impl IntoIterator<Item = (&'a str, &'a str, &'a Value)>,
    ) -> Graph {
        let refs: Vec<ObjectRefs> = objects
            .into_iter()
            .map(|(k, key, v)| ObjectRefs::of(catalog, k, key, v))
            .collect();
        Graph::from_refs(refs)
    }

    /// The graph from objects' extracted references (so callers can drop the objects first).
    pub fn from_refs(objects: Vec<ObjectRefs>) -> Graph {
        let mut g = Graph::default();
        let mut froms = Vec::with_capacity(objects.len());
        for o in &objects {
            let from = g.add_node(&o.kind, &o.key);
            let subs: Vec<usize> = o
                .subs
                .iter()
                .map(|(kind, key)| {
                    let node = g.add_node(kind, key);
                    g.add_edge(node, from, "(parent)".into(), false);
                    node
                })
                .collect();
            froms.push((from, subs));
        }
        for (o, (from, subs)) in objects.into_iter().zip(froms) {
            for r in o.refs {
                let from = r.sub.map_or(from, |i| subs[i]);
                match g.node(&r.rule.target, &r.target) {
                    Some(to) if to == from => {} // a self-reference orders nothing
                    Some(to) => g.add_edge(from, to, r.field, r.rule.optional),
                    None => g.unmatched.push(Unmatched {
                        from,
                        field: r.field,
                        target: NodeKey {
                            kind: r.rule.target.clone(),
                            key: r.target,
                        },
                        rule: r.rule,
                    }),
                }
            }
        }
        g
    }

    /// Strongly connected components with more than one node (iterative Tarjan), each sorted.
    pub fn cycles(&self) -> Vec<Vec<usize>> {
        self.components(false)
    }

    /// Cycles made only of required references: apply cannot break them.
    pub fn blocking_cycles(&self) -> Vec<Vec<usize>> {
        self.components(true)
    }

    fn components(&self, required_only: bool) -> Vec<Vec<usize>> {
        let n = self.nodes.len();
        let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
        for e in self
            .edges
            .iter()
            .filter(|e| !(required_only && e.deferrable))
        {
            adj[e.from].push(e.to);
        }
        let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
        let (mut stack, mut out, mut counter) = (Vec::new(), Vec::new(), 0);
        for root in 0..n {
            if index[root] != usize::MAX {
                continue;
            }
            let mut work = vec![(root, 0usize)];
            index[root] = counter;
            low[root] = counter;
            counter += 1;
            stack.push(root);
            on_stack[root] = true;
            while let Some((v, i)) = work.pop() {
                if i < adj[v].len() {
                    work.push((v, i + 1));
                    let w = adj[v][i];
                    if index[w] == usize::MAX {
                        index[w] = counter;
                        low[w] = counter;
                        counter += 1;
                        stack.push(w);
                        on_stack[w] = true;
                        work.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                    continue;
                }
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    if comp.len() > 1 {
                        comp.sort_by(|a, b| self.nodes[*a].cmp(&self.nodes[*b]));
                        out.push(comp);
                    }
                }
            }
        }
        out.sort_by(|a, b| self.nodes[a[0]].cmp(&self.nodes[b[0]]));
        out
    }

    /// The edges inside one cycle (component), in a stable order.
    pub fn cycle_edges(&self, comp: &[usize]) -> Vec<&Edge> {
        let set: BTreeSet<usize> = comp.iter().copied().collect();
        let mut edges: Vec<&Edge> = self
            .edges
            .iter()
            .filter(|e| set.contains(&e.from) && set.contains(&e.to))
            .collect();
        edges.sort_by(|a, b| (&self.nodes[a.from], &a.field).cmp(&(&self.nodes[b.from], &b.field)));
        edges
    }

    /// Kahn levels: level 0 depends on nothing; each level only on earlier ones. A deferrable
    /// edge orders like any other unless it closes a cycle (both ends in one strongly connected
    /// component): then apply sets it in a second phase, so it is left out. Only cycles of
    /// required references leave nodes unleveled (returned second).
    pub fn levels(&self) -> (Vec<Vec<usize>>, Vec<usize>) {
        let n = self.nodes.len();
        let mut component = vec![usize::MAX; n];
        for (c, comp) in self.cycles().iter().enumerate() {
            for &v in comp {
                component[v] = c;
            }
        }
        let in_cycle =
            |e: &Edge| component[e.from] != usize::MAX && component[e.from] == component[e.to];
        let mut deps = vec![0usize; n];
        let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
        for e in self.edges.iter().filter(|e| !(e.deferrable && in_cycle(e))) {
            deps[e.from] += 1;
            dependents[e.to].push(e.from);
        }
        let mut ready: BTreeSet<(&NodeKey, usize)> = (0..n)
            .filter(|i| deps[*i] == 0)
            .map(|i| (&self.nodes[i], i))
            .collect();
        let mut levels = Vec::new();
        let mut placed = 0;
        while !ready.is_empty() {
            let level: Vec<usize> = ready.iter().map(|(_, i)| *i).collect();
            ready.clear();
            for &v in &level {
                for &d in &dependents[v] {
                    deps[d] -= 1;
                    if deps[d] == 0 {
                        ready.insert((&self.nodes[d], d));
                    }
                }
            }
            placed += level.len();
            levels.push(level);
        }
        let stuck = if placed == n {
            Vec::new()
        } else {
            (0..n).filter(|i| deps[*i] > 0).collect()
        };
        (levels, stuck)
    }

    fn label(&self, i: usize) -> String {
        format!("{}: {}", self.nodes[i].kind, self.nodes[i].key)
    }

    pub fn to_dot(&self) -> String {
        let mut s = String::from("digraph gcops {\n  rankdir=LR;\n");
        for i in 0..self.nodes.len() {
            s.push_str(&format!("  n{i} [label={}];\n", json!(self.label(i))));
        }
        for e in &self.edges {
            let style = if e.deferrable { " style=dashed" } else { "" };
            s.push_str(&format!(
                "  n{} -> n{} [label={}{style}];\n",
                e.from,
                e.to,
                json!(e.field)
            ));
        }
        s.push_str("}\n");
        s
    }

    pub fn to_mermaid(&self) -> String {
        let esc = |t: &str| t.replace('"', "#quot;");
        let mut s = String::from("flowchart LR\n");
        for i in 0..self.nodes.len() {
            s.push_str(&format!("  n{i}[\"{}\"]\n", esc(&self.label(i))));
        }
        for e in &self.edges {
            let arrow = if e.deferrable { "-.->" } else { "-->" };
            s.push_str(&format!(
                "  n{} {arrow}|\"{}\"| n{}\n",
                e.from,
                esc(&e.field),
                e.to
            ));
        }
        s
    }

    pub fn to_json(&self) -> Value {
        let (levels, stuck) = self.levels();
        let by_kind: BTreeMap<&str, usize> = self.nodes.iter().fold(BTreeMap::new(), |mut m, n| {
            *m.entry(n.kind.as_str()).or_default() += 1;
            m
        });
        json!({
            "nodes": self.nodes,
            "edges": self.edges,
            "levels": levels.iter().map(|l| l.iter().map(|i| &self.nodes[*i]).collect::<Vec<_>>()).collect::<Vec<_>>(),
            "unleveled": stuck.iter().map(|i| &self.nodes[*i]).collect::<Vec<_>>(),
            "cycles": self.cycles().iter().map(|c| self.cycle_edges(c).iter().map(|e| json!({
                "from": self.nodes[e.from], "to": self.nodes[e.to], "field": e.field, "deferrable": e.deferrable
            })).collect::<Vec<_>>()).collect::<Vec<_>>(),
            "nodes_per_kind": by_kind,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_levels_and_deferrable_edges() {
        let c = Catalog::builtin();
        let a = json!({"name": "A", "conditionalGroupRouting": {"rules": [{"queue": {"name": "B"}}]}, "queueFlow": {"name": "IQ", "type": "INQUEUECALL"}});
        let b = json!({"name": "B", "directRouting": {"backupQueueId": "A"}});
        let f = json!({"name": "IQ", "type": "INQUEUECALL"});
        let s = json!({"name": "Self", "directRouting": {"backupQueueId": "Self"}});
        let g = Graph::build(
            &c,
            [
                ("routing/queues", "A", &a),
                ("routing/queues", "B", &b),
                ("architect/flows", "INQUEUECALL/IQ", &f),
                ("routing/queues", "Self", &s),
            ],
        );
        assert_eq!(g.edges.len(), 3);
        let cycles = g.cycles();
        assert_eq!(cycles.len(), 1);
        let edges = g.cycle_edges(&cycles[0]);
        assert_eq!(
            edges.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            [
                "/conditionalGroupRouting/rules/0/queue",
                "/directRouting/backupQueueId"
            ]
        );
        assert!(edges.iter().all(|e| e.deferrable));
        let (levels, stuck) = g.levels();
        assert!(stuck.is_empty());
        // The A<->B cycle is broken through its deferrable edges; A still comes after its flow.
        assert_eq!(levels.len(), 2);
        assert_eq!(g.nodes[levels[0][0]].key, "INQUEUECALL/IQ");
        assert!(g.to_dot().contains("style=dashed") && g.to_mermaid().contains("-.->"));
    }

    #[test]
    fn long_chains_do_not_overflow() {
        let c = Catalog::builtin();
        let objs: Vec<(String, Value)> = (0..50_000)
            .map(|i| (format!("Q{i}"), json!({"name": format!("Q{i}"), "directRouting": {"backupQueueId": format!("Q{}", (i + 1) % 50_000)}})))
            .collect();
        let g = Graph::build(
            &c,
            objs.iter().map(|(k, v)| ("routing/queues", k.as_str(), v)),
        );
        assert_eq!(g.cycles().len(), 1);
        assert_eq!(g.cycles()[0].len(), 50_000);
    }
}
