#!/usr/bin/env bash
# Runs every test of the workspace. Sets up what the tests need first: the official Genesys
# Python SDK (PureCloudPlatformClientV2, from PyPI) in .venv, which one test drives against the
# emulator. Extra arguments go to `cargo nextest run`.
set -euo pipefail
cd "$(dirname "$0")/.."

SDK_VERSION=269.0.0
if ! .venv/bin/python -c "import PureCloudPlatformClientV2" 2>/dev/null; then
  echo "Installing PureCloudPlatformClientV2==$SDK_VERSION into .venv (once)..."
  python3 -m venv .venv || { python3 -m pip install --quiet --user virtualenv && python3 -m virtualenv .venv; }
  .venv/bin/pip install --quiet --disable-pip-version-check "PureCloudPlatformClientV2==$SDK_VERSION"
fi
if ! cargo nextest --version >/dev/null 2>&1; then
  echo "Installing cargo-nextest (once)..."
  cargo install --locked cargo-nextest
fi
exec cargo nextest run --workspace --no-fail-fast "$@"
