#!/usr/bin/env bash
# Runs the test files of the named tiers (unit, integration, api, e2e) in one node --test
# invocation, so the summary (tests, pass, fail) is printed once at the end.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

usage() { echo "usage: scripts/run-tests.sh <unit|integration|api|e2e>..." >&2; exit 2; }
(( $# > 0 )) || usage

files=()
for tier in "$@"; do
  case "$tier" in
    unit | integration | api | e2e) ;;
    *) echo "run-tests: unknown tier '$tier'" >&2; usage ;;
  esac
  [[ -d test/$tier ]] || continue
  mapfile -t found < <(find "test/$tier" -name '*.test.ts' -type f | LC_ALL=C sort)
  (( ${#found[@]} > 0 )) || continue
  # These tiers drive runc, mounts, cgroups and netns; without root they cannot mean anything.
  if [[ $tier != unit && $EUID -ne 0 ]]; then
    echo "run-tests: the $tier tier needs root (it uses runc, mounts, cgroups and network namespaces); run it as root" >&2
    exit 1
  fi
  files+=("${found[@]}")
done

if (( ${#files[@]} == 0 )); then
  echo "run-tests: no test files in tiers: $*"
  exit 0
fi

exec node --import tsx --test --test-concurrency=1 --test-reporter=spec "${files[@]}"
