#!/usr/bin/env bash
# The end-to-end tests' WordPress backend (playwright.config.ts): the test WordPress of
# scripts/wordpress.sh in DIR, then a reference server on PORT serving its posts with
# --comments wordpress. WordPress is stopped once the server is (Playwright stops it at the end).
#   scripts/e2e-wordpress.sh PORT DIR
set -euo pipefail
cd "$(dirname "$0")/.."
port=$1
dir=$2
mkdir -p "$dir/no-content"
url=$(scripts/wordpress.sh start "$dir/site")
# The server replaces this shell (exec, same pid): when it goes, the watchdog stops WordPress,
# which runs in its own session and would outlive it.
setsid bash -c "while kill -0 $$ 2>/dev/null; do sleep 1; done; scripts/wordpress.sh stop '$dir/site'; rm -rf '$dir/site'" </dev/null >/dev/null 2>&1 &
exec target/debug/kiosque-server --addr "127.0.0.1:$port" --static dist --content "$dir/no-content" --data "$dir/data" \
  --wordpress "$url" --comments wordpress --moderation off --rate-limit off --log-level warn
