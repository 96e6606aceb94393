#!/usr/bin/env bash
# The newcomer test: what a new user does on a fresh machine. A fresh clone of this repository and an empty
# cache; `npm run demo` started by the machine's own npm (whatever Node that is, Node 20 on Debian 12); wait for
# the URL it prints; open it in Debian's Chromium and check the Clusters view shows the demo's three hubs; stop
# everything by process group; check that no process of the run is left.
#   bash scripts/newcomer.sh            (CI runs it from .ci/run)
#   HUBOPS_NEWCOMER_CACHE=DIR           install into DIR (kept afterwards) instead of a throwaway cache
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d -t hubops-newcomer.XXXXXX)
clone="$work/jupyterhub-ops"
cache="${HUBOPS_NEWCOMER_CACHE:-$work/cache}"
say() { echo "[newcomer] $*"; }
pgid=""
cleanup() {
  if [ -n "$pgid" ]; then kill -KILL -- "-$pgid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Every process of the demo inherits this marker, so leftovers can be found whatever their process group.
marker="HUBOPS_NEWCOMER_RUN=$work"
leftovers() {
  local file pid
  for file in $(grep -lzxF "$marker" /proc/[0-9]*/environ 2>/dev/null); do
    pid=${file#/proc/}
    pid=${pid%/environ}
    [ "$pid" = $$ ] || echo "$pid $({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | cut -c1-120)"
  done
  return 0
}

if git -C "$repo" rev-parse --verify -q HEAD >/dev/null; then
  git clone -q "$repo" "$clone"
else
  mkdir -p "$clone" && tar -C "$repo" --exclude=./node_modules --exclude=./dist --exclude=./dist-test \
    --exclude=./dist-vsix --exclude=./.test-output -cf - . | tar -C "$clone" -xf -
fi
[ -d "$cache" ] && [ -n "$(ls -A "$cache")" ] && say "note: $cache is not empty"
mkdir -p "$cache"
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
say "$(node --version) and npm $(npm --version) from $(command -v npm); clone $clone; cache $cache"

t0=$SECONDS
# setsid: the demo and everything it starts under npm get their own process group, stopped as one (exec keeps
# the pid, so $! is that group's id).
(cd "$clone" && exec env "$marker" JUPYTERHUB_OPS_CACHE="$cache" HUBOPS_DEMO_PORT="$port" setsid npm run demo \
  >"$work/demo.log" 2>&1) &
pgid=$!
url=""
while [ -z "$url" ]; do
  if ! kill -0 "$pgid" 2>/dev/null; then
    tail -n 30 "$work/demo.log"
    say "FAILED: npm run demo exited before printing a URL"
    exit 1
  fi
  if [ $((SECONDS - t0)) -gt 1500 ]; then
    tail -n 30 "$work/demo.log"
    say "FAILED: no URL after $((SECONDS - t0)) s"
    exit 1
  fi
  sleep 2
  url=$(grep -Eo 'Open VS Code with JupyterHub Ops: http[^ ]+' "$work/demo.log" | awk '{print $NF}' || true)
done
grep -E '^\[bootstrap\]|^== npm ci' "$work/demo.log" | sed 's/^/  /' || true
say "npm run demo printed its URL after $((SECONDS - t0)) s (install steps, npm ci, build and package included): $url"

node24="$cache/node-24.9.0/node_modules/.bin"
(cd "$clone" && PATH="$node24:$PATH" node node_modules/tsx/dist/cli.mjs test/demo/newcomerCheck.ts "$url") || {
  tail -n 30 "$work/demo.log"
  say "FAILED: the demo's workbench did not show the three hubs"
  exit 1
}
mkdir -p "$repo/.test-output/screenshots"
cp "$clone/.test-output/screenshots/newcomer-demo.png" "$repo/.test-output/screenshots/" 2>/dev/null || true

# Stop as a person does (Ctrl-C reaches the whole process group), then check nothing is left.
kill -INT -- "-$pgid" 2>/dev/null || true
for _ in $(seq 1 30); do
  [ -z "$(leftovers)" ] && break
  sleep 1
done
left=$(leftovers)
pgid=""
if [ -n "$left" ]; then
  echo "$left" | sed 's/^/  left running: /'
  say "FAILED: processes of the demo were still running 30 s after Ctrl-C"
  echo "$left" | awk '{print $1}' | xargs -r kill -KILL 2>/dev/null || true
  exit 1
fi
say "stopped with Ctrl-C; no process of the run is left; newcomer test passed in $((SECONDS - t0)) s"
