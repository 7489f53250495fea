use crate::common::*;
use gcops_emulator::{Emulator, OverLimit, PageLimits};
use serde_json::json;

#[tokio::test]
async fn empty_org_lists_have_a_complete_envelope() {
    let env = Env::start().await;
    let stage = Api::new(&env, "stage").await;
    let v = stage.get("/api/v2/routing/queues").await.ok();
    assert_eq!(v["entities"], json!([]));
    assert_eq!(
        (
            v["total"].as_u64(),
            v["pageCount"].as_u64(),
            v["pageSize"].as_u64()
        ),
        (Some(0), Some(0), Some(25))
    );
    assert_eq!(
        v["firstUri"],
        "/api/v2/routing/queues?pageSize=25&pageNumber=1"
    );
    assert!(v.get("nextUri").is_none() && v.get("previousUri").is_none());
}

#[tokio::test]
async fn exact_multiple_last_page_and_beyond() {
    let env = Env::start().await;
    let dev = Api::new(&env, "dev").await;
    for i in 0..10 {
        dev.create(
            "/api/v2/routing/wrapupcodes",
            json!({"name": format!("Code {i:02}")}),
        )
        .await;
    }
    let p1 = dev
        .get("/api/v2/routing/wrapupcodes?pageSize=5&pageNumber=1")
        .await
        .ok();
    assert_eq!(
        (p1["total"].as_u64(), p1["pageCount"].as_u64()),
        (Some(10), Some(2))
    );
    assert_eq!(
        p1["nextUri"],
        "/api/v2/routing/wrapupcodes?pageSize=5&pageNumber=2"
    );
    assert_eq!(
        p1["lastUri"],
        "/api/v2/routing/wrapupcodes?pageSize=5&pageNumber=2"
    );
    let p2 = dev
        .get("/api/v2/routing/wrapupcodes?pageSize=5&pageNumber=2")
        .await
        .ok();
    assert_eq!(
        names(p2["entities"].as_array().unwrap()),
        ["Code 05", "Code 06", "Code 07", "Code 08", "Code 09"]
    );
    assert!(p2.get("nextUri").is_none());
    assert_eq!(
        p2["previousUri"],
        "/api/v2/routing/wrapupcodes?pageSize=5&pageNumber=1"
    );
    let p3 = dev
        .get("/api/v2/routing/wrapupcodes?pageSize=5&pageNumber=3")
        .await
        .ok();
    assert_eq!(p3["entities"], json!([]));
    // Partial last page.
    let p = dev
        .get("/api/v2/routing/wrapupcodes?pageSize=4&pageNumber=3")
        .await
        .ok();
    assert_eq!(
        (
            p["entities"].as_array().unwrap().len(),
            p["pageCount"].as_u64()
        ),
        (2, Some(3))
    );
    // Descending order.
    let d = dev
        .get("/api/v2/routing/wrapupcodes?pageSize=1&sortOrder=descending")
        .await
        .ok();
    assert_eq!(d["entities"][0]["name"], "Code 09");
    dev.get("/api/v2/routing/wrapupcodes?pageSize=0")
        .await
        .err(400, "invalid.value");
    dev.get("/api/v2/routing/wrapupcodes?pageNumber=0")
        .await
        .err(400, "invalid.value");
    dev.get("/api/v2/routing/wrapupcodes?pageSize=abc")
        .await
        .err(400, "invalid.value");
}

#[tokio::test]
async fn page_size_above_the_limit_is_refused_or_clamped() {
    let env = Env::start().await;
    let dev = Api::new(&env, "dev").await;
    dev.get("/api/v2/routing/queues?pageSize=500").await.ok();
    let e = dev
        .get("/api/v2/routing/queues?pageSize=501")
        .await
        .err(400, "invalid.value");
    assert!(e["message"].as_str().unwrap().contains("500"));
    env.emu.set_page_limits(PageLimits {
        default_max: 100,
        over_limit: OverLimit::Clamp,
        ..PageLimits::default()
    });
    let v = dev.get("/api/v2/routing/queues?pageSize=250").await.ok();
    assert_eq!(v["pageSize"], 100);

    let env = Env::with(Emulator::builder().unlimited().page_limits(PageLimits {
        default_max: 50,
        per_kind: [("routing/skills".to_string(), 10)].into(),
        over_limit: OverLimit::Reject,
    }))
    .await;
    let dev = Api::new(&env, "dev").await;
    dev.get("/api/v2/routing/skills?pageSize=11")
        .await
        .err(400, "invalid.value");
    dev.get("/api/v2/routing/queues?pageSize=50").await.ok();
}

#[tokio::test]
async fn next_uri_keeps_filters_and_telephony_totals_are_org_wide() {
    let env = Env::small().await;
    let dev = Api::new(&env, "dev").await;
    let home = dev.home().await;
    let p = dev
        .get(&format!(
            "/api/v2/routing/wrapupcodes?pageSize=1&divisionId={home}&sortOrder=descending"
        ))
        .await
        .ok();
    let next = p["nextUri"].as_str().unwrap();
    assert!(
        next.contains(&format!("divisionId={home}")) && next.contains("sortOrder=descending"),
        "{next}"
    );
    let p2 = dev.get(next).await.ok();
    assert_eq!(p2["entities"][0]["division"]["id"], home.as_str());
    assert!(p2["entities"][0]["name"].as_str() < p["entities"][0]["name"].as_str());
    let sites = dev
        .get("/api/v2/telephony/providers/edges/sites?name=Indianapolis*")
        .await
        .ok();
    assert_eq!(sites["total"], 1);
    assert_eq!(sites["totalNumberOfEntities"], 3);
    // Documented filters: scheduleIds, location.id.
    let groups = dev.all("/api/v2/architect/schedulegroups").await;
    let sched = groups[0]["openSchedules"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let by_schedule = dev
        .get(&format!(
            "/api/v2/architect/schedulegroups?scheduleIds={sched}"
        ))
        .await
        .ok();
    assert!(by_schedule["total"].as_u64().unwrap() >= 1);
    let all_sites = dev.all("/api/v2/telephony/providers/edges/sites").await;
    let loc = find(&all_sites, "Dublin / Cloud")["location"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let at = dev
        .get(&format!(
            "/api/v2/telephony/providers/edges/sites?location.id={loc}"
        ))
        .await
        .ok();
    assert_eq!(
        names(at["entities"].as_array().unwrap()),
        vec!["Dublin / Cloud"]
    );
}
