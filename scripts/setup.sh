#!/usr/bin/env bash
# Installs whatever Kiosque's build and tests need and is missing, at the pinned versions, and
# skips what is already there (a warm run takes a few seconds).
#   scripts/setup.sh           build tools: wasm32 target, trunk, wasm-bindgen-cli, npm packages
#   scripts/setup.sh browser   the same, plus Debian's chromium, chromium-driver, postgresql and a
#                              WordPress (wordpress php-cli php-mysql mariadb-server) for tests
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

WASM_SPLIT_VERSION=0.2.4
TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must be exactly the wasm-bindgen of Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

say() { printf '\033[1m== %s\033[0m\n' "$*"; }

if ! cargo clippy --version >/dev/null 2>&1; then
  say "adding clippy"
  rustup component add clippy
fi
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -qw "$TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about 6 minutes)"
  # --debug: trunk only drives cargo, wasm-bindgen and wasm-opt, so an unoptimized trunk builds a
  # byte-identical widget as fast; its release build took 22 minutes on a busy two-core machine.
  cargo install trunk --version "$TRUNK_VERSION" --locked --debug
fi

if ! wasm-bindgen --version 2>/dev/null | grep -qw "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes)"
  # Not --locked: its own lockfile does not resolve on these machines.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
# Cuts the release wasm in parts (scripts/post-build.mjs); 0.2.3 is the first that reads the wasm
# of wasm-bindgen 0.2.128 and later.
# It has no --version: cargo's list of installed packages says which.
if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (about 2 minutes)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --locked --features build-binary
fi
if ! grep -q "^wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" Trunk.toml; then
  echo "Trunk.toml pins another wasm-bindgen than Cargo.lock ($WASM_BINDGEN_VERSION): update [tools] wasm_bindgen." >&2
  exit 1
fi

# wasm-opt (npm binaryen), terser, Playwright and axe-core, exactly as package-lock.json says.
if [ ! -x node_modules/.bin/wasm-opt ] || ! cmp -s package-lock.json node_modules/.kiosque-lock; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.kiosque-lock
fi

# For tests: Debian's chromium and chromium-driver (the browser layers), postgresql (the server's
# tests run on PostgreSQL as well as SQLite; scripts/postgres.sh starts throwaway clusters) and a
# WordPress with MariaDB and PHP (--wordpress is tested against it; scripts/wordpress.sh).
if [ "${1:-}" = browser ]; then
  packages=()
  command -v chromium >/dev/null || packages+=(chromium)
  command -v chromedriver >/dev/null || packages+=(chromium-driver)
  { ls /usr/lib/postgresql/*/bin/initdb && command -v psql; } >/dev/null 2>&1 || packages+=(postgresql)
  [ -f /usr/share/wordpress/wp-load.php ] || packages+=(wordpress)
  command -v php >/dev/null || packages+=(php-cli)
  php -m 2>/dev/null | grep -x mysqli >/dev/null || packages+=(php-mysql)
  command -v mariadbd >/dev/null || packages+=(mariadb-server)
  if [ "${#packages[@]}" -gt 0 ]; then
    say "installing ${packages[*]} (Debian)"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}"
  fi
  # The reply notification tests' SMTP server (aiosmtpd, PyPI) in target/smtp-venv.
  scripts/smtp-sink.sh install
fi
exit 0
