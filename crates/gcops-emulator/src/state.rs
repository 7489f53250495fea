//! In-memory state of every org, written through to the database on each commit.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Value, json};

use crate::error::{ApiError, ApiResult};
use crate::ids::{fnv1a, uuid_from};
use crate::kinds::Kind;
use crate::store::{Change, Db, StoreError};
use crate::time::Millis;

/// One emulated Genesys Cloud organization and its OAuth client.
#[derive(Debug, Clone)]
pub struct Org {
    pub name: String,
    pub id: String,
    pub client_id: String,
    pub client_secret: String,
    /// `None` grants every permission.
    pub permissions: Option<Vec<String>>,
    /// Counter behind deterministic ids.
    pub seq: u64,
    pub id_seed: u64,
    /// The synthetic user that the OAuth client acts as (`createdBy`, `modifiedBy`).
    pub client_user_id: String,
    /// The synthetic person who makes "UI edits" (drift).
    pub ui_user_id: String,
    pub colls: BTreeMap<Kind, BTreeMap<String, Value>>,
}

static EMPTY: BTreeMap<String, Value> = BTreeMap::new();

impl Org {
    /// A fresh org whose ids derive from its name and the seed number.
    pub fn new(name: &str, seed_number: u64, client_secret: String) -> Org {
        let id_seed = fnv1a(name.as_bytes()) ^ seed_number.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        Org {
            name: name.to_string(),
            id: uuid_from(id_seed, u64::MAX),
            client_id: uuid_from(id_seed, u64::MAX - 1),
            client_secret,
            permissions: None,
            seq: 0,
            id_seed,
            client_user_id: uuid_from(id_seed, u64::MAX - 2),
            ui_user_id: uuid_from(id_seed, u64::MAX - 3),
            colls: BTreeMap::new(),
        }
    }

    pub fn meta(&self) -> Value {
        json!({
            "id": self.id, "client_id": self.client_id, "client_secret": self.client_secret,
            "permissions": self.permissions, "seq": self.seq, "id_seed": self.id_seed,
            "client_user_id": self.client_user_id, "ui_user_id": self.ui_user_id,
        })
    }

    pub fn from_meta(name: &str, meta: &Value) -> Option<Org> {
        Some(Org {
            name: name.to_string(),
            id: meta["id"].as_str()?.to_string(),
            client_id: meta["client_id"].as_str()?.to_string(),
            client_secret: meta["client_secret"].as_str()?.to_string(),
            permissions: serde_json::from_value(meta["permissions"].clone()).ok()?,
            seq: meta["seq"].as_u64()?,
            id_seed: meta["id_seed"].as_u64()?,
            client_user_id: meta["client_user_id"].as_str()?.to_string(),
            ui_user_id: meta["ui_user_id"].as_str()?.to_string(),
            colls: BTreeMap::new(),
        })
    }

    pub fn new_id(&mut self) -> String {
        self.seq += 1;
        uuid_from(self.id_seed, self.seq)
    }

    pub fn coll(&self, kind: Kind) -> &BTreeMap<String, Value> {
        self.colls.get(&kind).unwrap_or(&EMPTY)
    }

    pub fn get(&self, kind: Kind, id: &str) -> Option<&Value> {
        self.colls.get(&kind).and_then(|c| c.get(id))
    }

    pub fn home_division_id(&self) -> Option<String> {
        self.coll(Kind::Divisions)
            .values()
            .find(|d| d["homeDivision"] == json!(true))
            .and_then(|d| d["id"].as_str().map(str::to_string))
    }

    /// The organization singleton.
    pub fn organization(&self) -> &Value {
        self.get(Kind::Organization, "me").unwrap_or(&Value::Null)
    }

    /// Applies changes that the database already accepted.
    pub fn apply(&mut self, changes: Vec<Change>) {
        for c in changes {
            let coll = self.colls.entry(c.kind).or_default();
            match c.value {
                Some(v) => {
                    coll.insert(c.id, v);
                }
                None => {
                    coll.remove(&c.id);
                }
            }
        }
    }
}

/// Who holds a token.
#[derive(Debug, Clone)]
pub struct TokenInfo {
    pub org: String,
    pub client_id: String,
    pub expires_at: Millis,
    /// 1 for the first token issued by the emulator, and so on (a label for counters).
    pub ordinal: u64,
}

pub struct State {
    pub orgs: BTreeMap<String, Org>,
    pub tokens: HashMap<String, TokenInfo>,
    pub token_seq: u64,
    pub db: Db,
}

impl State {
    pub fn org(&self, name: &str) -> ApiResult<&Org> {
        self.orgs.get(name).ok_or_else(ApiError::not_found)
    }

    pub fn org_by_client(&self, client_id: &str) -> Option<&Org> {
        self.orgs.values().find(|o| o.client_id == client_id)
    }

    /// Commits `changes` to the database, then to memory. Nothing changes if the database fails.
    pub fn commit(&mut self, org: &str, changes: Vec<Change>) -> ApiResult<()> {
        let State { orgs, db, .. } = self;
        let org = orgs.get_mut(org).ok_or_else(ApiError::not_found)?;
        commit(db, org, changes)
    }
}

pub fn commit(db: &mut Db, org: &mut Org, changes: Vec<Change>) -> ApiResult<()> {
    db.commit(&org.name, &org.meta(), &changes)
        .map_err(|e: StoreError| {
            tracing::error!("{e}");
            ApiError::internal()
        })?;
    org.apply(changes);
    Ok(())
}
