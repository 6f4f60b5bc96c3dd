#!/usr/bin/env bash
# Benchmarks: APDU counts and times of a full card status and of each extra
# signature in one session, in memory and through pcscd + vpcd.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pcscd.sh
mkdir -p test-output bin
go build -o bin/shomei .
ensure_pcscd bin/shomei test-output/pcscd-bench.log
trap stop_pcscd EXIT
SHOMEI_INTEGRATION=1 go test -run '^$' -bench . -benchtime "${BENCHTIME:-2s}" ./cardio/... ./integration/ | tee test-output/bench.txt
