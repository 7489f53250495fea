use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn schedules_and_groups_version_and_in_use() {
    let env = Env::start().await;
    let dev = Api::new(&env, "dev").await;
    let s = dev
        .post(
            "/api/v2/architect/schedules",
            json!({"name": "Weekdays", "start": "2024-01-01T08:00:00.000",
            "end": "2024-01-01T17:00:00.000", "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"}),
        )
        .await
        .ok();
    assert_eq!(
        (s["version"].as_i64(), s["state"].as_str()),
        (Some(1), Some("active"))
    );
    assert_eq!(
        s["start"], "2024-01-01T08:00:00.000",
        "local date-times are kept verbatim"
    );
    let sid = s["id"].as_str().unwrap();
    dev.post(
        "/api/v2/architect/schedules",
        json!({"name": "No end", "start": "2024-01-01T08:00:00.000"}),
    )
    .await
    .err(400, "required.field.missing");
    let mut next = s.clone();
    next["rrule"] = json!("FREQ=WEEKLY;BYDAY=MO");
    let v2 = dev
        .put(&format!("/api/v2/architect/schedules/{sid}"), next.clone())
        .await
        .ok();
    assert_eq!(v2["version"], 2);
    dev.put(&format!("/api/v2/architect/schedules/{sid}"), next)
        .await
        .err(409, "general.conflict");
    let g = dev
        .post(
            "/api/v2/architect/schedulegroups",
            json!({"name": "Hours", "timeZone": "Europe/Dublin",
            "openSchedules": [{"id": sid}]}),
        )
        .await
        .ok();
    assert_eq!(g["openSchedules"][0]["name"], "Weekdays");
    let list = dev.get("/api/v2/architect/schedulegroups").await.ok();
    assert_eq!(list["totalNumberOfEntities"], 1);
    dev.post(
        "/api/v2/architect/schedulegroups",
        json!({"name": "Bad", "openSchedules": [{"id": "missing"}]}),
    )
    .await
    .err(400, "bad.request");
    dev.delete(&format!("/api/v2/architect/schedules/{sid}"))
        .await
        .err(409, "general.conflict");
    assert_eq!(
        dev.delete(&format!(
            "/api/v2/architect/schedulegroups/{}",
            g["id"].as_str().unwrap()
        ))
        .await
        .status,
        204
    );
    assert_eq!(
        dev.delete(&format!("/api/v2/architect/schedules/{sid}"))
            .await
            .status,
        204
    );
}

#[tokio::test]
async fn flows_metadata_names_locks_and_delete_in_use() {
    let env = Env::start().await;
    let dev = Api::new(&env, "dev").await;
    let system = dev.all("/api/v2/flows").await;
    let default_iq = find(&system, "Default In-Queue Flow");
    assert_eq!(
        (default_iq["system"].as_bool(), default_iq["type"].as_str()),
        (Some(true), Some("INQUEUECALL"))
    );
    dev.delete(&format!(
        "/api/v2/flows/{}",
        default_iq["id"].as_str().unwrap()
    ))
    .await
    .err(405, "architect.default.flow.cannot.delete");

    let f = dev
        .post(
            "/api/v2/flows",
            json!({"name": "Main IVR", "type": "INBOUNDCALL", "description": "d"}),
        )
        .await
        .ok();
    assert_eq!(f["division"]["name"], "Home");
    let fid = f["id"].as_str().unwrap().to_string();
    dev.post(
        "/api/v2/flows",
        json!({"name": "Main IVR", "type": "INBOUNDCALL"}),
    )
    .await
    .err(409, "architect.flow.already.exists");
    dev.post(
        "/api/v2/flows",
        json!({"name": "Main IVR", "type": "INQUEUECALL"}),
    )
    .await
    .ok();
    dev.post(
        "/api/v2/flows",
        json!({"name": "A/B", "type": "INBOUNDCALL"}),
    )
    .await
    .err(
        400,
        "architect.flow.validate.failed.invalid.name.contains.slash",
    );
    dev.post(
        "/api/v2/flows",
        json!({"name": "x-debug", "type": "INBOUNDCALL"}),
    )
    .await
    .err(
        400,
        "architect.flow.validate.failed.invalid.name.contains.debug",
    );
    dev.post("/api/v2/flows", json!({"name": "Untyped"}))
        .await
        .err(400, "architect.flow.validate.failed.missing.type");
    dev.post("/api/v2/flows", json!({"name": "Bad", "type": "FAX"}))
        .await
        .err(400, "invalid.value");
    let by_type = dev.get("/api/v2/flows?type=inboundcall").await.ok();
    assert_eq!(
        names(by_type["entities"].as_array().unwrap()),
        vec!["Main IVR"]
    );

    // PUT needs the caller's lock.
    let path = format!("/api/v2/flows/{fid}");
    dev.put(&path, json!({"name": "Main IVR 2", "type": "INBOUNDCALL"}))
        .await
        .err(409, "architect.flow.not.locked.by.user");
    let locked = dev
        .post(
            &format!("/api/v2/flows/actions/checkout?flow={fid}"),
            json!(null),
        )
        .await
        .ok();
    assert!(locked["lockedClient"]["id"].is_string());
    let other = Api::new(&env, "dev").await; // same client, new token: still the lock holder
    let renamed = other
        .put(&path, json!({"name": "Main IVR 2", "type": "INBOUNDCALL"}))
        .await
        .ok();
    assert_eq!(renamed["name"], "Main IVR 2");
    dev.put(&path, json!({"name": "Main IVR 2", "type": "INQUEUECALL"}))
        .await
        .err(400, "architect.object.validate.failed.value");
    dev.post(
        &format!("/api/v2/flows/actions/checkin?flow={fid}"),
        json!(null),
    )
    .await
    .err(409, "architect.flow.cannot.checkin.missing.config");
    let unlocked = dev
        .post(
            &format!("/api/v2/flows/actions/unlock?flow={fid}"),
            json!(null),
        )
        .await
        .ok();
    assert!(unlocked.get("lockedClient").is_none());

    // A flow used by a queue cannot be deleted.
    let iq = dev
        .create(
            "/api/v2/flows",
            json!({"name": "Support IQ", "type": "INQUEUECALL"}),
        )
        .await;
    let q = dev
        .create(
            "/api/v2/routing/queues",
            json!({"name": "Support", "queueFlow": {"id": iq}}),
        )
        .await;
    dev.delete(&format!("/api/v2/flows/{iq}"))
        .await
        .err(409, "architect.flow.cannot.delete.used.in.queues");
    dev.delete(&format!("/api/v2/routing/queues/{q}")).await;
    assert_eq!(dev.delete(&format!("/api/v2/flows/{iq}")).await.status, 204);
    // Flows are soft-deleted: 410, hidden from lists unless asked for.
    dev.get(&format!("/api/v2/flows/{iq}"))
        .await
        .err(410, "architect.flow.deleted");
    assert!(!names(&dev.all("/api/v2/flows").await).contains(&"Support IQ".to_string()));
    let with_deleted = dev
        .get("/api/v2/flows?deleted=true&name=Support%20IQ")
        .await
        .ok();
    assert_eq!(with_deleted["entities"][0]["deleted"], true);
    dev.create(
        "/api/v2/flows",
        json!({"name": "Support IQ", "type": "INQUEUECALL"}),
    )
    .await;
    dev.get("/api/v2/flows/00000000-0000-4000-8000-000000000000")
        .await
        .err(404, "architect.flow.not.found");
}
