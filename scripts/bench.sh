#!/usr/bin/env bash
# `npm run bench`: every benchmark in bench/, each printing figures as ratios against a peer measured in the
# same run (an empty extension, kubectl, the sqlite3 CLI). Figures only: these machines are noisy.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
npm run --silent package >/dev/null
for bench in bench/*.bench.ts; do
  echo
  echo "== $bench"
  npx tsx "$bench"
done
