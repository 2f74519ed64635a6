#!/usr/bin/env bash
# The pages' benchmarks of README.md ("Pages under load"), run by `make bench`:
#   scripts/bench.sh [pattern [benchtime]]   (go test's -bench and -benchtime; PagesUnderLoad|PageCost, 1x)
# On the database BENCH_DATABASE_URL names, filled by `minasidor scale` beforehand. Without it, on
# a database of its own, "scale", in the cluster TEST_DATABASE_URL names (`minasidor testdb`
# starts one, and removes it afterwards): made and filled by `minasidor scale -citizens 100000
# -cases 1000000` (about two and a half minutes) unless the cluster has it already.
set -euo pipefail
cd "$(dirname "$0")/.."
pattern=${1:-'PagesUnderLoad|PageCost'}
benchtime=${2:-1x}

if [ -z "${BENCH_DATABASE_URL:-}" ]; then
  if [ -z "${TEST_DATABASE_URL:-}" ]; then
    echo "bench: set BENCH_DATABASE_URL, or run through \`minasidor testdb --\` (make bench)" >&2
    exit 2
  fi
  # postgres://user@host:port/postgres?sslmode=disable → the same server's database "scale"
  server=${TEST_DATABASE_URL%%\?*}
  server=${server%/*}
  options=
  case $TEST_DATABASE_URL in *\?*) options="?${TEST_DATABASE_URL#*\?}" ;; esac
  export BENCH_DATABASE_URL="$server/scale$options"
  if [ "$(psql "$TEST_DATABASE_URL" -Atc "SELECT count(*) FROM pg_database WHERE datname = 'scale'")" = 0 ]; then
    psql "$TEST_DATABASE_URL" -qc 'CREATE DATABASE scale'
    echo "bench: filling the database scale (about two and a half minutes)" >&2
    DATABASE_URL=$BENCH_DATABASE_URL ./bin/minasidor scale -citizens 100000 -cases 1000000
    psql "$BENCH_DATABASE_URL" -qc 'VACUUM ANALYZE'
  fi
fi

${GO:-go} test -run '^$' -bench "$pattern" -benchtime "$benchtime" -timeout 60m ./internal/web/
