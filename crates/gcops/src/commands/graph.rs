//! `gcops graph [--format dot|mermaid|json] [--kinds …]`.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use gcops_engine::graph::Graph;
use gcops_model::catalog::{KeySpec, natural_key};
use serde_json::Value;

use super::RepoArgs;
use crate::settings;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Dot,
    Mermaid,
    Json,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    #[arg(long, value_enum, default_value = "dot")]
    format: Format,
    /// Only these kinds (comma-separated); references to other kinds are left out.
    #[arg(long, value_delimiter = ',')]
    kinds: Vec<String>,
    #[command(flatten)]
    repo: RepoArgs,
}

pub fn run(args: GraphArgs) -> anyhow::Result<ExitCode> {
    let repo = args.repo.open()?;
    let catalog = settings::catalog(&repo)?;
    let kinds = settings::kinds(&catalog, &args.kinds)?;
    let mut objects: Vec<(&'static str, String, Value)> = Vec::new();
    for spec in catalog
        .top_level()
        .filter(|k| kinds.is_empty() || kinds.iter().any(|s| s == k.id))
    {
        let file = spec.file.expect("top-level kinds have a file");
        let Some(v) = gcops_repo::files::read_json(&repo.path(file))? else {
            continue;
        };
        let items = match (v, spec.key) {
            (Value::Array(a), _) => a,
            (o @ Value::Object(_), KeySpec::Singleton) => vec![o],
            _ => anyhow::bail!("{file}: unexpected shape; run `gcops validate`"),
        };
        for item in items {
            if let Some(key) = natural_key(spec, &item) {
                objects.push((spec.id, key, item));
            }
        }
    }
    let graph = Graph::build(
        &catalog,
        objects.iter().map(|(k, key, v)| (*k, key.as_str(), v)),
    );
    match args.format {
        Format::Dot => print!("{}", graph.to_dot()),
        Format::Mermaid => print!("{}", graph.to_mermaid()),
        Format::Json => println!("{}", serde_json::to_string_pretty(&graph.to_json())?),
    }
    let blocking = !graph.blocking_cycles().is_empty();
    if blocking {
        eprintln!(
            "error: CIRCULAR_DEPENDENCY_DETECTED: a cycle of required references; `gcops validate` names its edges"
        );
    }
    Ok(if blocking {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
