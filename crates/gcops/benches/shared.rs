//! Set-up shared by the benchmarks that run against the emulator (included with `#[path]`).

use gcops_client::{Client, ClientConfig, Limits, Secret};
use gcops_model::catalog::{Catalog, RefRule, Shape};

/// A client for one emulator org at the platform's default limits (scaled like the emulator).
pub fn client(emu: &gcops_emulator::EmulatorHandle, org: &str, scale: f64) -> Client {
    let c = emu.credentials(org).unwrap();
    let mut cfg = ClientConfig::new(
        emu.base_url(),
        emu.base_url(),
        &c.client_id,
        Secret::new(c.client_secret),
    );
    cfg.limits = Limits {
        token_per_minute: 300,
        client_per_minute: 3000,
        time_scale: scale,
    };
    Client::new(cfg).unwrap()
}

/// The catalog with the reference rule `gcops init --emulator` writes (trunk CA ids).
pub fn emulator_catalog() -> Catalog {
    Catalog::builtin()
        .with_rules(&[(
            "telephony/trunks".to_string(),
            RefRule {
                path: "/properties/trunk_transport_tls_caCertificateIds/value/instance/*".into(),
                target: "telephony/certificate-authorities".into(),
                shape: Shape::Id,
                optional: true,
            },
        )])
        .unwrap()
}
