# Sourced by scripts/test.sh and scripts/demo.sh: installs what the project needs once (scripts/bootstrap.sh:
# apt packages, Node 24, code-server, into a cache shared by clones), puts Node 24 first on PATH, and runs
# `npm ci` when node_modules is missing or older than package-lock.json.
paths=$(bash scripts/bootstrap.sh) || { echo "bootstrap failed" >&2; exit 1; }
while IFS='=' read -r key value; do export "HUBOPS_$key=$value"; done <<<"$paths"
export PATH="$HUBOPS_NODE24_BIN:$PATH"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== npm ci"
  npm ci --loglevel=error || exit 1
fi
