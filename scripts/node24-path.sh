#!/usr/bin/env bash
# Prints a PATH with Node.js 24 first, installing it from the npm registry (package `node@24`, Linux)
# into ~/.cache/bbia-safe-node24 when the machine's Node is older than 22. Used by CI and by Linux
# machines without nvm:  export PATH="$(bash scripts/node24-path.sh)"
# It is not a dependency of the project: a Mac uses its own Node 24 (.nvmrc).
set -euo pipefail
if node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)' 2>/dev/null; then
  echo "$PATH"
  exit 0
fi
dir="${HOME}/.cache/bbia-safe-node24"
if [ ! -x "$dir/node_modules/.bin/node" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error node@24 >&2
fi
echo "$dir/node_modules/.bin:$PATH"
