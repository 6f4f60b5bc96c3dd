#!/usr/bin/env bash
# UI figures: shomei serve's start to first page, and the UI's
# responsiveness while a 1 GB PDF is signed (UI_BIG_SIZE overrides, e.g.
# 100M). Results in test-output/ui-figures-bench.txt. Takes the machine's
# test lock and pcscd like the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
exec 9>/tmp/shomei-test.lock
flock 9
. scripts/pcscd.sh
mkdir -p test-output bin
scripts/frontend.sh
go build -o bin/shomei .
go build -o bin/benchsign ./tools/benchsign
ensure_pcscd bin/shomei test-output/pcscd-figures.log
trap stop_pcscd EXIT
(cd frontend && node e2e/figures.mjs)
