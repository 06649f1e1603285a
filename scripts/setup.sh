#!/usr/bin/env bash
# Installs whatever Wharf needs and is missing (Debian packages, node modules, the Next
# build), then returns. Safe to run again: when nothing is missing it only checks.
set -Eeuo pipefail

# Debian packages: the container toolchain, helpers the engine shells out to (openssl makes the
# dashboard's first certificate; bzip2 and xz unpack ADDed archives), Chromium for the
# end-to-end tests, and python3/make/g++ to build the native npm addons (better-sqlite3, node-pty).
DEBIAN_PACKAGES=(
  runc conmon containernetworking-plugins busybox-static iptables attr socat util-linux
  procps iproute2 openssl bzip2 xz-utils chromium fonts-liberation ca-certificates python3 python3-docker make g++
)
# What the Next build is made from; a change in any of these triggers a rebuild.
BUILD_INPUTS=(
  app components server/protocol package-lock.json tsconfig.json tsconfig.next.json
  next.config.ts next.config.mjs next.config.js
  tailwind.config.ts tailwind.config.js postcss.config.mjs postcss.config.js
)
BUILD_HASH_FILE=.next/wharf-build-hash

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { echo "wharf setup: $*"; }
fail() { echo "wharf setup: error: $*" >&2; exit 1; }
trap 'echo "wharf setup: failed (line $LINENO: $BASH_COMMAND)" >&2' ERR

export NEXT_TELEMETRY_DISABLED=1

installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

missing_packages() {
  local pkg
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    installed "$pkg" || echo "$pkg"
  done
}

install_debian_packages() {
  command -v dpkg-query >/dev/null || fail "dpkg-query not found: Wharf is set up on Debian 12"
  local missing
  mapfile -t missing < <(missing_packages)
  (( ${#missing[@]} == 0 )) && return
  [[ $EUID -eq 0 ]] || fail "missing Debian packages (${missing[*]}); run as root to install them"
  say "installing Debian packages: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  mapfile -t missing < <(missing_packages)
  (( ${#missing[@]} == 0 )) || fail "still missing after apt-get install: ${missing[*]}"
}

check_node() {
  local version
  version="$(node -p 'process.versions.node')"
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 9) ? 0 : 1)' \
    || fail "Node.js >= 20.9 is required (found $version)"
}

# Native addons are compiled with node-gyp, which would otherwise download Node's headers.
# Debian's nodejs ships them in /usr/include/node; use them when they match the running node.
use_system_node_headers() {
  local header=/usr/include/node/node_version.h major minor
  [[ -f /usr/include/node/node.h && -f $header ]] || return 0
  major="$(awk '/#define NODE_MAJOR_VERSION/ {print $3}' "$header")"
  minor="$(awk '/#define NODE_MINOR_VERSION/ {print $3}' "$header")"
  if [[ "$(node -p 'process.versions.node.split(".").slice(0, 2).join(".")')" == "$major.$minor" ]]; then
    export npm_config_nodedir=/usr
  fi
}

# The lock file's content, not its modification time, decides: a checkout or a merge rewrites
# the file (a newer mtime) without changing what it pins, and npm ci would start over. Wharf's
# own native addons (native/) are built by npm ci too: their sources count as well.
LOCK_HASH_FILE=node_modules/.wharf-lock-hash

install_node_modules() {
  local want
  want="$(cat package-lock.json native/*/binding.gyp native/*/*.c | sha256sum | cut -d' ' -f1)"
  if [[ -f $LOCK_HASH_FILE && "$(cat "$LOCK_HASH_FILE")" == "$want" ]]; then
    return
  fi
  say "installing node modules (npm ci)"
  use_system_node_headers
  # Dev dependencies are needed for the build and the tests, whatever NODE_ENV says.
  npm ci --include=dev --no-audit --no-fund
  echo "$want" >"$LOCK_HASH_FILE"
}

build_hash() {
  local inputs=() input
  for input in "${BUILD_INPUTS[@]}"; do
    [[ -e $input ]] && inputs+=("$input")
  done
  # Hashes names and contents, so added, removed and renamed files count as changes.
  find "${inputs[@]}" -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum | sha256sum | cut -d' ' -f1
}

build_next() {
  if [[ -f .next/BUILD_ID && -f $BUILD_HASH_FILE && "$(cat "$BUILD_HASH_FILE")" == "$(build_hash)" ]]; then
    return
  fi
  say "building the dashboard (next build)"
  npx --no-install next build
  # Hashed after the build: next build may itself rewrite an input (its tsconfig).
  build_hash >"$BUILD_HASH_FILE"
}

# The server bundle (dist/server.mjs) takes a fraction of a second: always rebuilt, never stale.
build_server() {
  node --import tsx scripts/build-server.ts
}

check_node
install_debian_packages
install_node_modules
build_next
build_server
say "ready"
