//! Integration tests: every endpoint family over real HTTP on 127.0.0.1.

mod common;

mod architect;
mod auth;
mod errors;
mod org_and_divisions;
mod paging;
mod persistence;
mod routing;
mod seeds;
mod telephony;
mod traffic;
