#!/usr/bin/env bash
# Benchmarks:
#  1. go test -bench: APDUs and time of a full card status and of each extra
#     signature in one session (in memory and through pcscd + vpcd), and the
#     per-document overhead of a batch of 100 PDFs (card excluded), and the
#     history over 100,000 events: appending them, listing the newest 50,
#     filtering by text, verifying the chain (backend/history).
#  2. Whole-process time and peak memory of signing 1 MB, 100 MB and 1 GB PDFs,
#     beside sha256sum of the same file and beside pdfsign signing it alone.
#     BENCH_SIZES overrides the sizes (e.g. "1M 100M"); BENCH_PDFSIGN=0 skips
#     pdfsign (it needs about 7.5 GB of memory for the 1 GB file).
#  3. Whole-process time and peak memory of verifying the signed file with
#     `shomei verify` (integrity, changes, chain: INDETERMINATE since the
#     benchmark key is not trusted), beside sha256sum and poppler's pdfsig.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pcscd.sh
mkdir -p test-output bin
go build -o bin/shomei .
go build -o bin/benchsign ./tools/benchsign
ensure_pcscd bin/shomei test-output/pcscd-bench.log
trap stop_pcscd EXIT
SHOMEI_INTEGRATION=1 go test -run '^$' -bench . -benchtime "${BENCHTIME:-2s}" ./cardio/... ./backend/... ./integration/ | tee test-output/bench.txt

work=$(mktemp -d)
trap 'rm -rf "$work"; stop_pcscd' EXIT
printf '\n%-8s %-22s %10s %12s\n' size tool seconds peak_RSS_MB | tee -a test-output/bench.txt
for size in ${BENCH_SIZES:-1M 100M 1G}; do
  pdf="$work/$size.pdf"
  bin/benchsign -make "$pdf" -size "$size"
  sync
  measure() { # label command...
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/t" "$@" >"$work/stdout" || true
    read -r secs kb <"$work/t"
    printf '%-8s %-22s %10s %12d\n' "$size" "$label" "$secs" "$((kb / 1024))" | tee -a test-output/bench.txt
  }
  measure sha256sum sha256sum "$pdf"
  measure "shomei (pades)" bin/benchsign -sign "$pdf" -out "$work/out.pdf"
  pdfsig -nocert "$work/out.pdf" | grep -q "Signature is Valid" || { echo "bench: signed $size PDF does not verify"; exit 1; }
  rm -f "$pdf"
  measure "sha256sum (signed)" sha256sum "$work/out.pdf"
  SHOMEI_DATA_DIR="$work/data" measure "shomei verify" bin/shomei verify --json --no-stored-trust "$work/out.pdf"
  grep -q '"covers_whole_file": true' "$work/stdout" && grep -q '"intact": true' "$work/stdout" ||
    { echo "bench: shomei verify does not find the $size signature intact"; cat "$work/stdout"; exit 1; }
  measure "pdfsig" pdfsig -nocert "$work/out.pdf"
  rm -f "$work/out.pdf"
  [ "${BENCH_PDFSIGN:-1}" = 1 ] || continue
  bin/benchsign -make "$pdf" -size "$size"
  if [ "${BENCH_PDFSIGN:-1}" = 1 ]; then
    measure "pdfsign rc2" bin/benchsign -pdfsign -sign "$pdf" -out "$work/out.pdf"
    rm -f "$work/out.pdf"
  fi
  rm -f "$pdf"
done

# 4. Hostile inputs: time and peak memory per case and class (HOSTILE_BIG=1
#    adds the 2 GB sparse PDF, the 300 MB CMS and the 5 M-entry CRL).
scripts/hostile-bench.sh
