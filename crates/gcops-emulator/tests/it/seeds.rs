use crate::common::*;
use gcops_emulator::{Emulator, SeedSize};
use serde_json::Value;

/// Everything of an org a client can list, without server timestamps.
async fn snapshot(api: &Api<'_>) -> Vec<Value> {
    let mut out = Vec::new();
    for path in [
        "/api/v2/authorization/divisions",
        "/api/v2/routing/skills",
        "/api/v2/routing/languages",
        "/api/v2/routing/wrapupcodes",
        "/api/v2/routing/queues",
        "/api/v2/architect/schedules",
        "/api/v2/architect/schedulegroups",
        "/api/v2/flows",
        "/api/v2/telephony/providers/edges/sites",
        "/api/v2/telephony/providers/edges/trunkbasesettings?expand=properties",
    ] {
        for mut v in api.all(path).await {
            for k in [
                "dateCreated",
                "dateModified",
                "createdByApp",
                "modifiedByApp",
            ] {
                v.as_object_mut().unwrap().remove(k);
            }
            out.push(v);
        }
    }
    out
}

#[tokio::test]
async fn small_seed_is_deterministic_and_covers_every_kind() {
    let a = Env::with(
        Emulator::builder()
            .unlimited()
            .seed(SeedSize::Small)
            .seed_number(7),
    )
    .await;
    let b = Env::with(
        Emulator::builder()
            .unlimited()
            .seed(SeedSize::Small)
            .seed_number(7),
    )
    .await;
    let c = Env::with(
        Emulator::builder()
            .unlimited()
            .seed(SeedSize::Small)
            .seed_number(8),
    )
    .await;
    let (sa, sb, sc) = (
        snapshot(&Api::new(&a, "dev").await).await,
        snapshot(&Api::new(&b, "dev").await).await,
        snapshot(&Api::new(&c, "dev").await).await,
    );
    assert_eq!(sa, sb);
    assert_ne!(sa, sc, "another seed number gives other ids");
    assert!((45..=90).contains(&sa.len()), "{} objects", sa.len());
    let dev = Api::new(&a, "dev").await;
    for path in [
        "/api/v2/routing/languages",
        "/api/v2/architect/schedulegroups",
        "/api/v2/routing/skills",
    ] {
        assert!(
            dev.get(path).await.ok()["total"].as_u64().unwrap() > 0,
            "{path}"
        );
    }
    // Names a real org has.
    let all: Vec<String> = names(&sa);
    assert!(all.iter().any(|n| n.contains('/')) && all.iter().any(|n| !n.is_ascii()));
    assert!(all.iter().any(|n| n.contains('&') || n.contains(':')));
    // Other orgs hold only the built-ins.
    let stage = Api::new(&a, "stage").await;
    assert_eq!(stage.get("/api/v2/routing/queues").await.ok()["total"], 0);
    let divs = stage.all("/api/v2/authorization/divisions").await;
    assert_eq!(names(&divs), vec!["Home"]);
    let flows = stage.all("/api/v2/flows").await;
    assert!(flows.iter().all(|f| f["system"] == true));
}

#[tokio::test]
async fn large_seed_has_the_promised_sizes() {
    let env = Env::with(Emulator::builder().unlimited().seed(SeedSize::Large)).await;
    let dev = Api::new(&env, "dev").await;
    let total = |v: Value| v["total"].as_u64().unwrap();
    assert_eq!(total(dev.get("/api/v2/routing/queues").await.ok()), 2000);
    assert_eq!(total(dev.get("/api/v2/routing/skills").await.ok()), 500);
    assert_eq!(
        total(dev.get("/api/v2/routing/wrapupcodes").await.ok()),
        300
    );
    let flows = dev.all("/api/v2/flows").await;
    assert_eq!(flows.iter().filter(|f| f["system"] != true).count(), 200);
    let trunks = dev
        .all("/api/v2/telephony/providers/edges/trunkbasesettings")
        .await;
    assert_eq!(
        trunks
            .iter()
            .filter(|t| t["trunkType"] == "EXTERNAL")
            .count(),
        50
    );
    let sites = dev.all("/api/v2/telephony/providers/edges/sites").await;
    assert_eq!(sites.iter().filter(|s| s["managed"] != true).count(), 20);
    let cas = dev
        .get("/api/v2/telephony/providers/edges/certificateauthorities")
        .await
        .ok();
    let remote: Vec<&Value> = cas["entities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["type"] == "REMOTE")
        .collect();
    assert_eq!(remote.len(), 20);
    // Some are near expiry, none expired: a fresh seed validates clean.
    assert!(
        remote
            .iter()
            .all(|c| c["certificateDetails"][0]["expired"] == false)
    );
    env.emu.advance_clock(5 * 86_400);
    let dev = Api::new(&env, "dev").await;
    let later = dev
        .get("/api/v2/telephony/providers/edges/certificateauthorities")
        .await
        .ok();
    let expired = later["entities"].as_array().unwrap().iter();
    assert!(
        expired
            .filter(|c| c["certificateDetails"][0]["expired"] == true)
            .count()
            >= 1
    );
    assert_eq!(
        total(dev.get("/api/v2/authorization/divisions").await.ok()),
        10
    );
    let queues = dev.get("/api/v2/routing/queues?pageSize=500").await.ok();
    let names = names(queues["entities"].as_array().unwrap());
    assert!(names.iter().any(|n| n.contains('/')) && names.iter().any(|n| !n.is_ascii()));
}

#[test]
fn certificate_helper_makes_parsable_pems() {
    let pem =
        gcops_emulator::ca_certificate_pem("Old Carrier CA", 1_546_300_800_000, 1_577_836_800_000);
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    if std::env::var("GCOPS_PRINT_PEM").is_ok() {
        println!("{}", serde_json::to_string(&pem).unwrap());
    }
}
