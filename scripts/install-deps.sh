#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine, and only what is missing:
#   scripts/install-deps.sh run    PostgreSQL server binaries (for make run)
#   scripts/install-deps.sh bench  the above and psql (for make bench)
#   scripts/install-deps.sh test   the above, Chromium, ClamAV's daemon, Node.js/npm and the npm test tools
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-test}

apt_updated=
apt_install() {
  local sudo=
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo=sudo; else
      echo "install-deps: need root to install $* (apt-get install $*)" >&2; exit 1
    fi
  fi
  if [ -z "$apt_updated" ]; then
    echo "install-deps: apt-get update" >&2
    $sudo apt-get update -qq
    apt_updated=1
  fi
  echo "install-deps: apt-get install $*" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

have_pg_server() {
  command -v initdb >/dev/null && command -v pg_ctl >/dev/null && return 0
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

have_pg_server || apt_install postgresql

[ "$what" = run ] && exit 0
if [ "$what" = bench ]; then
  command -v psql >/dev/null || apt_install postgresql-client
  exit 0
fi

[ -x /usr/bin/chromium ] || apt_install chromium fonts-dejavu-core
command -v npm >/dev/null || apt_install nodejs npm
# The virus scanner's tests run against the real daemon (started by `minasidor testdb`).
command -v clamd >/dev/null || [ -x /usr/sbin/clamd ] || apt_install clamav-daemon

# The npm test tools (axe-core), exactly as locked.
if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "install-deps: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
