#!/usr/bin/env bash
# What `make bench-server` needs besides the release server, installed when missing and skipped
# when present (a warm run takes a second):
#   - wrk, the load generator, from Debian's packages;
#   - Isso, the peer the figures are compared with, from PyPI at a pinned version, in a virtual
#     environment of its own under target/ (nothing installed system-wide).
# PostgreSQL is installed by scripts/postgres.sh when the bench first starts a cluster.
set -euo pipefail
cd "$(dirname "$0")/.."

ISSO_VERSION=0.14.0
VENV=target/bench-server/isso-venv

say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { $sudo apt-get update -qq >&2; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >&2
}

if ! command -v wrk >/dev/null; then
  say "installing wrk (Debian)"
  apt_install wrk
fi

installed_isso() {
  "$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("isso"))' 2>/dev/null || true
}
if [ "$(installed_isso)" != "$ISSO_VERSION" ]; then
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    say "installing python3-venv (Debian)"
    apt_install python3-venv
  fi
  say "installing Isso $ISSO_VERSION (PyPI) into $VENV"
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "isso==$ISSO_VERSION"
  [ "$(installed_isso)" = "$ISSO_VERSION" ] || { echo "Isso $ISSO_VERSION did not install into $VENV" >&2; exit 1; }
fi
