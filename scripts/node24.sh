#!/usr/bin/env bash
# Fetches Node 24 once into a cache outside the repo and prints the line that puts it first on PATH:
#   eval "$(bash scripts/node24.sh)"
# It needs only an npm of any recent Node: the registry's `node` package ships the real binary. It runs no
# tests and writes nothing in the repo; .ci/run uses it when the system node is older than package.json allows.
set -euo pipefail

NODE_VERSION=24.21.0
cache="${XDG_CACHE_HOME:-$HOME/.cache}/cognito-public-gateway/node-$NODE_VERSION"
bin="$cache/node_modules/node/bin"

if [ ! -x "$bin/node" ]; then
  echo "Fetching Node $NODE_VERSION from the npm registry into $cache" >&2
  mkdir -p "$cache"
  # Its own package.json, so that the install is the cache's own project (allowScripts approves the node
  # package's install script, which fetches the binary for this platform from the registry).
  printf '{"private":true,"dependencies":{"node":"%s"},"allowScripts":{"node@%s":true}}\n' \
    "$NODE_VERSION" "$NODE_VERSION" >"$cache/package.json"
  # The cache is npm's project here, not this repo: the repo's .npmrc (engine-strict) is not read. It would
  # not matter under an old Node anyway: the node package asks only for npm >= 5.
  (cd "$cache" && npm install --prefix "$cache" --no-audit --no-fund --loglevel=error >&2)
  if [ ! -x "$bin/node" ]; then
    echo "npm installed the node package but $bin/node is missing: delete $cache and retry" >&2
    exit 1
  fi
fi
printf 'export PATH="%s:$PATH"\n' "$bin"
