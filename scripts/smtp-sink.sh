#!/usr/bin/env bash
# The SMTP server of the notification tests: Python's aiosmtpd, from PyPI, in a virtual
# environment of its own (target/smtp-venv, made on first use; Debian's python3-venv is installed
# when missing).
#   scripts/smtp-sink.sh install         make the environment if needed (idempotent, quiet when done)
#   scripts/smtp-sink.sh run PORT DIR    receive on 127.0.0.1:PORT into DIR (see smtp-sink.py)
set -euo pipefail
cd "$(dirname "$0")/.."

AIOSMTPD_VERSION=1.4.6
VENV=target/smtp-venv

install() {
  if "$VENV/bin/python" -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD_VERSION')" 2>/dev/null; then
    return 0
  fi
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    echo "== installing python3-venv (Debian)" >&2
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >&2
  fi
  echo "== installing aiosmtpd $AIOSMTPD_VERSION (PyPI) in $VENV" >&2
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION" >&2
}

# Tests start several sinks at once: one installs, the others wait for it.
locked_install() {
  mkdir -p target
  exec 9>target/.smtp-venv.lock
  flock 9
  install
  exec 9>&-
}

case "${1:-}" in
  install) locked_install ;;
  run)
    [ $# -eq 3 ] || { echo "usage: $0 run PORT DIR" >&2; exit 2; }
    locked_install
    exec "$VENV/bin/python" scripts/smtp-sink.py "$2" "$3"
    ;;
  *) echo "usage: $0 install | run PORT DIR" >&2; exit 2 ;;
esac
