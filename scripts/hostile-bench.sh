#!/usr/bin/env bash
# Hostile inputs against `shomei verify`, whole process: per case the time
# and peak resident memory (/usr/bin/time), the exit status (3 or 4: not
# PASSED, 1: FAILED; never 0), beside `openssl dgst -sha256` of the same
# file as the yardstick from the same run; then the worst time and memory
# per class. Goal: every case within 2 s and 256 MB with a clear answer.
# HOSTILE_BIG=1 adds the 2 GB sparse PDF, the 300 MB BER CMS and the
# 5 M-entry CRL (written by tools/hostile, deleted afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bin test-output
go build -o bin/shomei .
go build -o bin/hostile ./tools/hostile
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
big=()
[ "${HOSTILE_BIG:-0}" = 1 ] && big=(-big)
bin/hostile -out "$work/cases" "${big[@]}"
export SHOMEI_DATA_DIR="$work/data"
out=test-output/hostile-bench.txt
printf '%-10s %-28s %8s %8s %5s %10s\n' class case seconds peak_MB exit sha256_s | tee "$out"
for f in "$work"/cases/*; do
  name=$(basename "$f"); class=${name%%--*}; case=${name#*--}
  /usr/bin/time -f "%e %M" -o "$work/y" openssl dgst -sha256 "$f" >/dev/null
  read -r ysec _ < <(tail -n1 "$work/y")
  args=(verify --json "$f")
  if [[ $name == *.crl ]]; then
    echo x >"$work/data.txt"
    args=(verify --json --crl "$f" "$work/data.txt")
  fi
  code=0
  /usr/bin/time -f "%e %M" -o "$work/t" timeout -s KILL 60 bin/shomei "${args[@]}" >"$work/out.json" 2>"$work/err" || code=$?
  read -r secs kb < <(tail -n1 "$work/t") || { secs=?; kb=0; }
  printf '%-10s %-28s %8s %8d %5s %10s\n' "$class" "$case" "$secs" "$((kb / 1024))" "$code" "$ysec" | tee -a "$out"
done
echo | tee -a "$out"
awk 'NR>1 && NF==6 { if ($3+0 > t[$1]+0) t[$1]=$3; if ($4+0 > m[$1]+0) m[$1]=$4; if ($5 == 0) p[$1]++ }
     END { printf "%-10s %12s %12s %8s\n", "class", "worst_s", "worst_MB", "passed"; for (c in t) printf "%-10s %12s %12s %8d\n", c, t[c], m[c], p[c] }' "$out" | tee -a "$out"
