#!/usr/bin/env bash
# The console's end-to-end backend (playwright.config.ts): a fresh data directory, an admin and a
# moderator made as a newsroom makes them (`user add`, the password on standard input, never on
# the command line), then the server in test mode with moderation on, serving the widget's build,
# the test host pages and the console's build at /admin/.
#
#   e2e/console-server.sh PORT DATA_DIR
# The passwords are the tests' (e2e/console.spec.ts); nothing here is for production.
set -euo pipefail
port="$1"
data="$2"
server=target/debug/kiosque-server
mkdir -p "$data"
# `user add` works on an existing database only: a first start creates it (and applies the
# migrations), as a newsroom's first start does.
"$server" --addr "127.0.0.1:$port" --data "$data" --content fixtures --log-level warn >"$data/first-start.log" 2>&1 &
first=$!
# Ready once it says it listens (after the migrations); no curl needed.
for _ in $(seq 1 300); do
  grep -q "listening on" "$data/first-start.log" 2>/dev/null && break
  sleep 0.1
done
kill "$first"
wait "$first" || true
printf '%s\n' "mot de passe de l’admin des tests" | "$server" user add admin --role admin --data "$data" >/dev/null
printf '%s\n' "mot de passe de la modératrice" | "$server" user add fatou --role moderator --data "$data" >/dev/null
exec "$server" --addr "127.0.0.1:$port" --data "$data" --content fixtures --static dist --console console/dist \
  --test-mode --test-pages e2e/pages --moderation on --rate-limit off --log-level warn
