//! `gcops init`: the config repository's skeleton.

use std::path::Path;

use gcops_model::Catalog;
use gcops_model::canonical::to_canonical_string;
use serde_json::json;

use crate::files::write_atomic;
use crate::{RepoError, io};

/// An emulator to point the environments at (from its `--ready-file`).
pub struct EmulatorTarget {
    pub base_url: String,
    pub ready_file: String,
    pub orgs: Vec<String>,
    /// The emulator's (token/min, client/min, time scale), so the client paces to match.
    pub limits: Option<(u32, u32, f64)>,
}

pub const ENVIRONMENTS: &[&str] = &["dev", "stage", "prod"];

pub fn gcops_toml(emulator: Option<&EmulatorTarget>) -> String {
    let mut s = String::from(
        "# gcops configuration. Secrets never go here: each environment names the environment\n\
         # variables holding its OAuth client id and secret (default GCOPS_<ENV>_CLIENT_ID and\n\
         # GCOPS_<ENV>_CLIENT_SECRET).\n",
    );
    for env in ENVIRONMENTS {
        s.push_str(&format!("\n[environments.{env}]\n"));
        match emulator {
            Some(e) => {
                s.push_str(&format!("api_base = {}\n", toml_str(&e.base_url)));
                s.push_str("# The emulator's ready file supplies the credentials when the variables are unset.\n");
                s.push_str(&format!("emulator_ready_file = {}\n", toml_str(&e.ready_file)));
                let org = if e.orgs.iter().any(|o| o == env) { env.to_string() } else { e.orgs[0].clone() };
                s.push_str(&format!("emulator_org = {}\n", toml_str(&org)));
            }
            None => s.push_str("region = \"us-east-1\"            # or api_base = \"https://api.mypurecloud.com\"\n"),
        }
        s.push_str(&format!(
            "client_id_env = \"GCOPS_{}_CLIENT_ID\"\n",
            env.to_uppercase()
        ));
        s.push_str(&format!(
            "client_secret_env = \"GCOPS_{}_CLIENT_SECRET\"\n",
            env.to_uppercase()
        ));
        s.push_str(&format!("branch = \"{env}\"\n"));
        s.push_str("platform_release = \"2026.12\"\n");
    }
    let (token_rate, client_rate, scale) =
        emulator.and_then(|e| e.limits).unwrap_or((300, 3000, 1.0));
    s.push_str(
        "\n[export]\n\
         # kinds = [\"routing/queues\", \"routing/skills\"]   # default: every kind\n\
         include_org_specific = false   # the org's own name and domain are never copied\n\
         \n[client]\n\
         token_pool = 10                # tokens in rotation: 10 x 300/min reaches the 3,000/min client limit\n",
    );
    s.push_str(&format!(
        "token_rate_per_minute = {token_rate}\nclient_rate_per_minute = {client_rate}\n"
    ));
    if scale != 1.0 {
        s.push_str(&format!(
            "time_scale = {scale:?}             # the emulator's --time-scale\n"
        ));
    }
    s.push_str(
        "\
         \n# Leave a field out of export, plan and drift:\n\
         # [[ignore]]\n\
         # kind = \"routing/queues\"        # optional\n\
         # name = \"Support*\"              # optional glob on the natural key\n\
         # pointer = \"/mediaSettings/callback/serviceLevel\"\n",
    );
    if emulator.is_some() {
        s.push_str(
            "\n# The emulator's trunk base settings keep certificate-authority ids in this property.\n\
             [[references]]\n\
             kind = \"telephony/trunks\"\n\
             path = \"/properties/trunk_transport_tls_caCertificateIds/value/instance/*\"\n\
             target = \"telephony/certificate-authorities\"\n\
             shape = \"id\"\n\
             optional = true\n",
        );
    } else {
        s.push_str(
            "\n# A reference the catalog does not know, e.g. a trunk property holding a CA id:\n\
             # [[references]]\n\
             # kind = \"telephony/trunks\"\n\
             # path = \"/properties/<property>/value/instance\"\n\
             # target = \"telephony/certificate-authorities\"\n\
             # shape = \"id\"                    # id | ids | obj\n",
        );
    }
    s
}

fn toml_str(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}

const GITIGNORE: &str = "# gcops\n*.tmp\n/.gcops/\ndry_run_report.json\n";

fn script(command: &str, what: &str) -> String {
    format!(
        "#!/usr/bin/env sh\n# {what} (a thin wrapper over gcops, for the seed's pipeline).\nset -eu\nexec gcops {command} \"$@\"\n"
    )
}

/// Creates the skeleton in `dir` (which may exist; existing files are left alone).
/// Returns the files created.
pub fn scaffold(dir: &Path, emulator: Option<&EmulatorTarget>) -> Result<Vec<String>, RepoError> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut files: Vec<(String, String)> = vec![
        ("gcops.toml".into(), gcops_toml(emulator)),
        ("id-mapping.json".into(), to_canonical_string(&json!({}))),
        (
            "compat/platform-versions.json".into(),
            to_canonical_string(&json!({"releases": {}})),
        ),
        (".gitignore".into(), GITIGNORE.into()),
        (".gitattributes".into(), "*.json text eol=lf\n".into()),
        (
            "scripts/normalize.sh".into(),
            script("fmt", "Rewrite every file under domains/ in canonical form"),
        ),
        (
            "scripts/validate.sh".into(),
            script("validate", "Validate the repository"),
        ),
        (
            "scripts/apply-config.sh".into(),
            script("apply", "Apply the configuration to an environment"),
        ),
    ];
    for env in ENVIRONMENTS {
        files.push((
            format!("environments/{env}.json"),
            to_canonical_string(&json!({})),
        ));
    }
    for kind in Catalog::builtin().top_level() {
        let dir = kind
            .file
            .expect("top-level kinds have a file")
            .rsplit_once('/')
            .map(|(d, _)| d)
            .unwrap_or("");
        files.push((format!("{dir}/.gitkeep"), String::new()));
    }
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);
    let mut created = Vec::new();
    for (rel, text) in files {
        let path = dir.join(&rel);
        if path.exists() {
            continue;
        }
        write_atomic(&path, &text)?;
        if rel.ends_with(".sh") {
            set_executable(&path)?;
        }
        created.push(rel);
    }
    Ok(created)
}

#[cfg(unix)]
fn set_executable(path: &Path) -> Result<(), RepoError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).map_err(io(path))
}

#[cfg(not(unix))]
fn set_executable(_: &Path) -> Result<(), RepoError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse() {
        crate::Config::parse(&gcops_toml(None)).unwrap();
        let e = EmulatorTarget {
            base_url: "http://127.0.0.1:1".into(),
            ready_file: "/tmp/r \"q\".json".into(),
            orgs: vec!["dev".into()],
            limits: Some((300, 3000, 60.0)),
        };
        let c = crate::Config::parse(&gcops_toml(Some(&e))).unwrap();
        assert_eq!(c.environments["stage"].emulator_org.as_deref(), Some("dev"));
        assert_eq!(c.references.len(), 1);
        assert_eq!(c.client.time_scale, 60.0);
    }
}
