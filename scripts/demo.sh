#!/usr/bin/env bash
# The main job on the embedded emulator, end to end: build gcops, start the Genesys Cloud API
# emulator (orgs dev, stage, prod; dev seeded with a small contact center), create a config
# repository pointed at it, export dev into it and commit, validate, then promote it: plan the
# empty stage org, apply, and plan again (nothing left to do).
#
#   scripts/demo.sh [REPO_DIR] [--seed small|large]
set -euo pipefail
cd "$(dirname "$0")/.."
REPO_DIR=${1:-gcops-demo}
SEED=small
if [ "${2:-}" = "--seed" ]; then SEED=${3:-small}; fi

cargo build --release -p gcops
GCOPS=$PWD/target/release/gcops
WORK=$(mktemp -d)
"$GCOPS" emulator serve --port 0 --seed "$SEED" --ready-file "$WORK/ready.json" >"$WORK/emulator.log" 2>&1 &
EMULATOR=$!
trap 'kill $EMULATOR 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 300); do [ -s "$WORK/ready.json" ] && break; sleep 0.1; done
[ -s "$WORK/ready.json" ] || { cat "$WORK/emulator.log"; echo "the emulator did not start" >&2; exit 1; }

rm -rf "$REPO_DIR"
"$GCOPS" init "$REPO_DIR" --emulator "$WORK/ready.json"
"$GCOPS" export --env dev --repo "$REPO_DIR"
"$GCOPS" fmt --check --repo "$REPO_DIR"
git -C "$REPO_DIR" add -A
git -C "$REPO_DIR" -c user.name=gcops -c user.email=gcops@localhost commit --quiet -m "Export dev"
echo
echo "Exported the dev org into $REPO_DIR (committed):"
git -C "$REPO_DIR" show --stat --format='%h %s' HEAD | tail -n +2
echo
"$GCOPS" validate --repo "$REPO_DIR" 2>/dev/null
echo
echo "== plan stage (an empty org) =="
"$GCOPS" plan --env stage --repo "$REPO_DIR" | tail -n 3 || [ $? -eq 2 ]
echo
echo "== apply stage =="
"$GCOPS" apply --env stage --yes --repo "$REPO_DIR" | tail -n 1
echo
echo "== plan stage again =="
"$GCOPS" plan --env stage --repo "$REPO_DIR" | tail -n 1
