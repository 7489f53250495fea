//! What `--env` checks need from the live org: every kind's natural keys (built-ins included)
//! and the certificate authorities' expiry dates as the platform reports them.

use std::collections::{BTreeMap, BTreeSet};

use gcops_model::catalog::{Catalog, natural_key};
use gcops_model::{Remote, RemoteError};
use tokio::task::JoinSet;

use crate::validate::LiveOrg;

pub async fn fetch<R: Remote>(
    remote: &R,
    catalog: &Catalog,
    env: &str,
) -> Result<LiveOrg, (String, RemoteError)> {
    let mut set = JoinSet::new();
    for spec in catalog.top_level() {
        let spec = spec.clone();
        let r = remote.clone();
        let query: Vec<(String, String)> = spec
            .list_query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        set.spawn(async move {
            let res = r.list(spec.list_path, &query, spec.paging, spec.id).await;
            (spec, res)
        });
    }
    let mut live = LiveOrg {
        env: env.to_string(),
        keys: BTreeMap::new(),
        certificates: Vec::new(),
    };
    while let Some(joined) = set.join_next().await {
        let (spec, res) = joined.expect("list tasks do not panic");
        let items = res.map_err(|e| (spec.id.to_string(), e))?;
        let keys: BTreeSet<String> = items
            .iter()
            .filter(|o| !(spec.skip)(o))
            .filter_map(|o| natural_key(&spec, o))
            .collect();
        if spec.id == "telephony/certificate-authorities" {
            live.certificates = certificate_expiries(&items);
        }
        live.keys.insert(spec.id.to_string(), keys);
    }
    Ok(live)
}

/// Certificate authorities as the org reports them: (name, expiry of each certificate in ms),
/// sorted by name.
pub fn certificate_expiries(items: &[serde_json::Value]) -> Vec<(String, Vec<i64>)> {
    let mut out: Vec<(String, Vec<i64>)> = items
        .iter()
        .filter_map(|ca| {
            let expiries = ca["certificateDetails"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|d| {
                    d["expirationDate"]
                        .as_str()
                        .and_then(gcops_model::time::parse_iso)
                })
                .collect();
            Some((ca["name"].as_str()?.to_string(), expiries))
        })
        .collect();
    out.sort();
    out
}
