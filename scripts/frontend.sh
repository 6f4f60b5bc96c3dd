#!/usr/bin/env bash
# Installs the frontend's node packages (npm ci) and builds it into
# frontend/dist/app, each only when something changed since the last time.
set -euo pipefail
cd "$(dirname "$0")/../frontend"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "frontend: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
stamp=dist/app/index.html
if [ ! -f "$stamp" ] || [ -n "$(find src index.html vite.config.ts package-lock.json -newer "$stamp" -print -quit)" ]; then
  echo "frontend: build"
  npm run --silent build >/dev/null
fi
