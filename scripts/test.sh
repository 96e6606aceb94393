#!/usr/bin/env bash
# `npm test`: every test, from a fresh clone. Installs what it needs first (scripts/bootstrap.sh: apt
# packages, Node 24, code-server; npm ci), then runs, each with its mocha summary:
#   1. static checks: tsc (strict; the extension, CLI and tests, then webview/ as browser code), eslint, prettier --check
#   2. unit tests of src/core and the CLI under Node 24
#   3. in-host tests inside the real VS Code 1.139.1 extension host
#   4. UI tests: Playwright + Debian Chromium against code-server with the packaged VSIX installed
# Every layer runs even when an earlier one failed; the exit code is non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

source scripts/env.sh

log=$(mktemp -d)/layers
mkdir -p "$log"
failed_layers=()
run_layer() { # name, command...
  local name=$1
  shift
  echo
  echo "== $name"
  local t0=$SECONDS
  "$@" 2>&1 | tee "$log/$name.txt"
  local code=${PIPESTATUS[0]}
  echo "== $name: exit $code in $((SECONDS - t0)) s"
  [ "$code" = 0 ] || failed_layers+=("$name")
}

run_layer static bash -c 'npx tsc -p . --noEmit && npx tsc -p webview --noEmit && npx eslint . && npx prettier --check . >/dev/null && echo "types, lint and formatting: clean"'
run_layer unit npx mocha --config .mocharc.unit.json 'test/unit/**/*.test.ts'
run_layer host bash -c 'node scripts/build.mjs --tests && npx tsx test/harness/runHostTests.ts'
run_layer ui bash -c 'npm run --silent package >/dev/null && npx mocha --config .mocharc.ui.json "test/ui/**/*.test.ts"'

passed=0
failing=0
for name in unit host ui; do
  p=$(grep -Eo '^ *[0-9]+ passing' "$log/$name.txt" | tail -1 | grep -Eo '[0-9]+' || true)
  f=$(grep -Eo '^ *[0-9]+ failing' "$log/$name.txt" | tail -1 | grep -Eo '[0-9]+' || true)
  echo "$name: ${p:-0} passing, ${f:-0} failing"
  passed=$((passed + ${p:-0}))
  failing=$((failing + ${f:-0}))
done
if [ ${#failed_layers[@]} -gt 0 ] && [ "$failing" = 0 ]; then failing=${#failed_layers[@]}; fi
echo "npm test took $((SECONDS - started)) s"
echo "tests: $passed passed, $failing failed"
[ ${#failed_layers[@]} = 0 ] || { echo "failed layers: ${failed_layers[*]}"; exit 1; }
