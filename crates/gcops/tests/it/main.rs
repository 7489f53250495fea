//! End-to-end tests of the `gcops` binary.

mod common;

mod apply;
mod emulator_serve;
mod export;
mod official_sdk;
mod plan;
mod validate;
