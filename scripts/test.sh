#!/usr/bin/env bash
# Installs what is missing, then runs every test layer: native, components in headless Chromium,
# and end to end against the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh browser
source scripts/env.sh
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "native tests (cargo test)"
cargo test --locked

say "component tests in headless Chromium (wasm-bindgen-test)"
cargo test --locked --target wasm32-unknown-unknown

say "release build"
trunk build --release
scripts/sizes.sh dist

say "end-to-end tests (Playwright against the release build)"
npx playwright test
