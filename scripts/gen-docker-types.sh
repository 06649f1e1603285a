#!/usr/bin/env bash
# Generates server/protocol/docker-api.gen.ts from the Docker Engine API definition
# (spec/docker-engine-api.yaml: Swagger 2.0, API v1.47). openapi-typescript 7 reads OpenAPI 3.x
# only, so swagger2openapi converts the definition first (--patch fixes the few slips of the
# definition it knows). The output is committed: builds and the server never run the
# generators; test/unit/docker-api-types.test.ts checks that it is current.
#
#   npm run gen:docker-types               write server/protocol/docker-api.gen.ts
#   bash scripts/gen-docker-types.sh FILE  write FILE instead
# Run through npm (or with node_modules/.bin on PATH) so both generators are found.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/server/protocol/docker-api.gen.ts}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

swagger2openapi --patch --warnOnly --outfile "$tmp/openapi.json" "$root/spec/docker-engine-api.yaml"
# A default is what the engine assumes when a field is absent, not a promise that it is sent.
openapi-typescript "$tmp/openapi.json" --default-non-nullable false --output "$tmp/types.ts" >/dev/null

{
  echo '/**'
  echo ' * The Docker Engine API (v1.47), generated from spec/docker-engine-api.yaml by'
  echo ' * scripts/gen-docker-types.sh: do not edit, run `npm run gen:docker-types`. Use the types'
  echo ' * through server/protocol/docker-api.ts, which names the schemas.'
  echo ' */'
  cat "$tmp/types.ts"
} >"$out"
