//! Behaviour specific to one resource family (everything else is generic, in `crud.rs`).

pub mod divisions;
pub mod flows;
pub mod organization;
pub mod queues;
pub mod telephony;
