#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, from Debian's packages (installed when
# missing). PostgreSQL refuses to run as root, so the cluster belongs to the `postgres` user.
#   scripts/postgres.sh start DIR [PORT]   create the cluster in DIR if needed, start it on a free
#                                          loopback port (or PORT), print its URL on stdout
#   scripts/postgres.sh stop DIR           stop it (fast: open connections are cut)
#   scripts/postgres.sh url DIR            print the URL of the running cluster
# The URL has a password (scram-sha-256 on loopback), as a production one would.
set -euo pipefail

USER_NAME=kiosque
PASSWORD=kiosque-test
DATABASE=kiosque

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_postgres() {
  [ -n "$(find_bin)" ] && return 0
  echo "== installing postgresql (Debian)" >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq >&2
  # The package's own cluster is not needed: policy-rc.d keeps it from being started.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

url() { echo "postgres://$USER_NAME:$PASSWORD@127.0.0.1:$(cat "$1/port")/$DATABASE"; }

command=${1:-}
dir=${2:-}
[ -n "$command" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|url DIR [PORT]" >&2; exit 2; }

case "$command" in
  start)
    install_postgres
    bin=$(find_bin)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; chmod 700 "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      printf '%s\n' "$PASSWORD" > "$dir/pwfile"
      [ "$(id -u)" = 0 ] && chown postgres "$dir/pwfile"
      as_postgres "$bin/initdb" -D "$dir/data" -U "$USER_NAME" --pwfile="$dir/pwfile" \
        --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
      rm -f "$dir/pwfile"
    fi
    port=${3:-}
    [ -n "$port" ] || { [ -f "$dir/port" ] && port=$(cat "$dir/port"); } || true
    [ -n "$port" ] || port=$(free_port)
    echo "$port" > "$dir/port"
    # Loopback only; the socket in DIR, not /var/run (which may not exist for this user).
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=on" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    if ! PGPASSWORD=$PASSWORD "$bin/psql" -h 127.0.0.1 -p "$port" -U "$USER_NAME" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'" | grep -q 1; then
      PGPASSWORD=$PASSWORD "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$USER_NAME" "$DATABASE"
    fi
    url "$dir"
    ;;
  stop)
    bin=$(find_bin)
    [ -f "$dir/data/postmaster.pid" ] || exit 0
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  url)
    url "$dir"
    ;;
  *)
    echo "usage: $0 start|stop|url DIR [PORT]" >&2
    exit 2
    ;;
esac
