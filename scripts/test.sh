#!/usr/bin/env bash
# Installs what is missing, then runs every test layer: native, components in headless Chromium,
# the reference server, and end to end against the release build served by that server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh browser
source scripts/env.sh
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "native tests (cargo test --workspace: the model, configuration, locales, and the reference server)"
cargo test --locked --workspace

say "clippy: warnings are errors, and clippy.toml's rules that keep the widget's wasm small"
cargo clippy --locked --workspace --all-targets -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown -p kiosque --all-targets -- -D warnings
# The release build's split points too (the feature `split`: DEVELOPERS.md, "The wasm in parts").
cargo clippy --locked --target wasm32-unknown-unknown -p kiosque --features split -- -D warnings

say "component tests in headless Chromium (wasm-bindgen-test)"
# The widget only: the reference server does not build for wasm.
cargo test --locked --target wasm32-unknown-unknown -p kiosque

say "release build (the wasm cut in parts: scripts/build-widget.sh)"
scripts/build-widget.sh
scripts/sizes.sh dist

say "size budgets (bench/budget.json: brotli bytes before the headline, and in all)"
node bench/check-budget.mjs dist

say "newsroom console, release build (console/dist, served at /admin/ by the end-to-end server)"
(cd console && trunk build --release)
node scripts/console-size.mjs console/dist

say "reference server (the end-to-end tests' backend)"
cargo build --locked -p kiosque-server

say "end-to-end tests (Playwright: the release build, served by the reference server)"
# Not under e2e/results: Playwright empties that directory when it starts.
log=target/e2e-run.log
mkdir -p target
set +e
npx playwright test 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# One closing line in the plain "N passed, N failed" form, from Playwright's own summary.
passed=$(grep -oE '^ +[0-9]+ passed' "$log" | grep -oE '[0-9]+' | tail -n 1)
failed=$(grep -oE '^ +[0-9]+ failed' "$log" | grep -oE '[0-9]+' | tail -n 1)
echo "end-to-end: ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
