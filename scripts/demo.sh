#!/usr/bin/env bash
# Installs what is missing, then serves the demo page with live reload on http://127.0.0.1:8080,
# backed by the reference server on http://127.0.0.1:8787 (trunk proxies /api to it; comments
# are kept in ./data). Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

cargo build --locked -p kiosque-server
target/debug/kiosque-server --addr 127.0.0.1:8787 --content fixtures --data ./data \
  --moderation off --captcha any &
server=$!
trunk serve "$@" &
trunk=$!

# Both run in the background so that this script gets Ctrl-C at once (not after trunk) and stops
# both; and when either ends on its own (a port in use, a build error), the other goes too.
stop() {
  kill "$trunk" "$server" 2>/dev/null || true
  wait "$trunk" "$server" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
wait -n "$server" "$trunk"
