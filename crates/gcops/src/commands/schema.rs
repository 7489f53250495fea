//! `gcops schema --out DIR`: JSON Schemas of every kind's repository file, for editors.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use gcops_model::canonical::to_canonical_string;

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Directory to write `<kind>.schema.json` files into.
    #[arg(long, default_value = "schemas")]
    out: PathBuf,
}

pub fn run(args: SchemaArgs) -> anyhow::Result<ExitCode> {
    let catalog = gcops_model::Catalog::builtin();
    let written = write_schemas(&catalog, &args.out)?;
    for f in written {
        println!("wrote {}", f.display());
    }
    Ok(ExitCode::SUCCESS)
}

pub fn write_schemas(
    catalog: &gcops_model::Catalog,
    dir: &std::path::Path,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for spec in catalog.top_level() {
        let path = dir.join(format!("{}.schema.json", spec.id.replace('/', ".")));
        let schema = gcops_engine::validate::schema::schema_for(catalog, spec);
        gcops_repo::files::write_atomic(&path, &to_canonical_string(&schema))?;
        out.push(path);
    }
    Ok(out)
}
