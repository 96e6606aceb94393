# Sourced by scripts/test.sh, demo.sh and bench.sh: installs what the project needs once (scripts/bootstrap.sh:
# apt packages, Node 24, code-server, into a cache shared by clones), puts Node 24 and its npm first on PATH,
# and runs `npm ci` when node_modules is missing or older than package-lock.json.
source scripts/npm-env.sh
clean_npm_env
paths=$(bash scripts/bootstrap.sh) || exit 1
while IFS='=' read -r key value; do export "HUBOPS_$key=$value"; done <<<"$paths"
export PATH="$HUBOPS_NODE24_BIN:$PATH"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci" >&2
  t0=$SECONDS
  npm ci --loglevel=error >&2 || { echo "[setup] step 'npm ci' failed (see above)" >&2; exit 1; }
  echo "== npm ci took $((SECONDS - t0)) s" >&2
fi
