#!/usr/bin/env bash
# Fails when a committed *_templ.go is not what the templ generator makes of its .templ file.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Generate in a mirror with the same layout: the output names its file relative to the root.
go build -o "$tmp/templ" github.com/a-h/templ/cmd/templ
cp go.mod go.sum "$tmp/"
cp -r templates "$tmp/templates"
find "$tmp/templates" -name '*_templ.go' -delete
(cd "$tmp" && ./templ generate >/dev/null 2>&1) || (cd "$tmp" && ./templ generate)
status=0
for t in $(find templates -name '*.templ'); do
  g=${t%.templ}_templ.go
  if [ ! -f "$g" ]; then
    echo "stale templ output: $g is missing; run make generate" >&2; status=1
  elif ! cmp -s "$g" "$tmp/$g"; then
    echo "stale templ output: $g differs from $t; run make generate" >&2; status=1
  fi
done
for g in $(find templates -name '*_templ.go'); do
  [ -f "${g%_templ.go}.templ" ] || { echo "$g has no .templ source; remove it" >&2; status=1; }
done
exit $status
