#!/bin/sh
# CTest entry point of the browser tests:
#   run.sh SERVER_BINARY EXAMPLE_MODELS_DIR SHARED_MODELS_DIR OUTPUT_DIR
# Skips (exit 0) when Debian's chromium or node is missing; installs
# playwright-core from package-lock.json (npm ci) only when node_modules is missing.
set -e
if [ ! -x /usr/bin/chromium ]; then
  echo "SKIP browser tests: /usr/bin/chromium not installed (apt-get install chromium)"
  exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "SKIP browser tests: node/npm not installed (apt-get install nodejs npm)"
  exit 0
fi
cd "$(dirname "$0")"
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
exec node dashboard.test.js --server "$1" --example-models "$2" --models-dir "$3" --out "$4"
