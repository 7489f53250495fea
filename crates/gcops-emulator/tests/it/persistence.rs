use crate::common::*;
use gcops_emulator::{Emulator, SeedSize};
use serde_json::json;

#[tokio::test]
async fn state_credentials_and_tokens_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let env = Env::with(
        Emulator::builder()
            .unlimited()
            .seed(SeedSize::Small)
            .data_dir(dir.path()),
    )
    .await;
    let creds = env.emu.credentials("dev").unwrap();
    let dev = Api::new(&env, "dev").await;
    let id = dev
        .create("/api/v2/routing/skills", json!({"name": "Persisted Skill"}))
        .await;
    let token = dev.token.clone();
    let before = dev.all("/api/v2/routing/queues").await;
    env.emu.shutdown().await;

    // Restart on the same data: the seed is not applied again.
    let env = Env::with(
        Emulator::builder()
            .unlimited()
            .seed(SeedSize::Large)
            .data_dir(dir.path()),
    )
    .await;
    assert_eq!(env.emu.credentials("dev").unwrap(), creds);
    let dev = Api { env: &env, token };
    assert_eq!(
        dev.get(&format!("/api/v2/routing/skills/{id}")).await.ok()["name"],
        "Persisted Skill"
    );
    assert_eq!(dev.all("/api/v2/routing/queues").await, before);
    // New ids continue the sequence: no collision with the stored ones.
    let id2 = dev
        .create("/api/v2/routing/skills", json!({"name": "After restart"}))
        .await;
    assert_ne!(id, id2);
}
