#!/usr/bin/env bash
# `npm run demo`: the main job on an embedded default, no real cluster needed. Starts the Kubernetes API test
# server playing the "incident" scenario (an OOM-looping hub, a class start, a healthy hub), installs the
# packaged VSIX into code-server pointed at it, and prints the URL to open. Ctrl-C stops everything.
#   HUBOPS_DEMO_PORT (default 8080), HUBOPS_DEMO_SPEED (scenario speed, default 1 = real time)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
npm run --silent package >/dev/null
exec npx tsx scripts/demo.ts "$@"
