#!/usr/bin/env bash
# make bench: every figure beside its yardstick measured in the same run, as
# a ratio, with its goal (issue 16), kept in test-output/bench.txt. No figure
# is a test: a missed goal is printed, not failed.
#  1. Sign and verify PDFs of 1 MB, 100 MB and 1 GB (BENCH_SIZES overrides,
#     e.g. "1M 100M"): whole-process time and peak memory beside openssl dgst
#     -sha256 of the same file and poppler's pdfsig, each the median of
#     BENCH_ROUNDS (3) rounds taken in turn, so a busy machine slows both
#     sides alike. Every signed file must pass pdfsig and shomei verify.
#     Beside signing, the I/O floor: cp + sync of the same file (copy and
#     write-out, no hash), so a sign figure can be judged against the disk.
#  2. Go benchmarks: a batch of 1,000 small PDFs (Shomei's own work per
#     document, the card's signature costing nothing), APDUs per status and
#     per extra signature (in memory and through pcscd + vpcd), and the
#     history's benchmarks over 100,000 events.
#  3. Hostile verification inputs (scripts/hostile-bench.sh).
#  4. shomei serve to a first page showing the card's state (Chromium already
#     running; BENCH_UI_LAUNCHES launches, 15 by default) and the desktop
#     window to usable (wails build, under Xvfb; BENCH_DESKTOP_LAUNCHES
#     launches, 11 by default: the first apart, 10 warm, then one cold).
# The whole run holds the machine's test lock, which parts 2 (pcscd) and 4
# need (BENCH_LOCKED=0 takes no lock and skips them). Big files go to a
# folder in /tmp, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-output bin
out=test-output/bench.txt
: >"$out"
say() { printf '%s\n' "$*" | tee -a "$out"; }
go build -o bin/shomei .
go build -o bin/benchsign ./tools/benchsign
# The machine's test lock from the first figure on (BENCH_LOCKED=0: none):
# an e2e run beside the rounds took a core from one side of a ratio.
if [ "${BENCH_LOCKED:-1}" = 1 ]; then
  exec 9>/tmp/shomei-test.lock
  flock 9
fi
work=$(mktemp -d /tmp/shomei-bench.XXXXXX)
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
rounds=${BENCH_ROUNDS:-3}

# run CMD...: runs it under /usr/bin/time, appends "seconds KB" to $work/last.
run() {
  local rc=0
  /usr/bin/time -f "%e %M" -o "$work/t" "$@" >"$work/stdout" 2>"$work/stderr" || rc=$?
  tail -1 "$work/t"
  return "$rc"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
col() { awk -v c="$1" '{print $c}' "$2" | median; }
# row FIGURE VALUE UNIT YARDSTICK YVALUE RATIO GOAL MET
row() { printf '%-40s %8s %-3s %-26s %8s  %6s  %-10s %s\n' "$@" | tee -a "$out"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
met() { awk -v r="$1" -v op="$2" -v g="$3" 'BEGIN {print ((op == "<=" && r <= g) || (op == ">=" && r >= g) || (op == "<" && r < g)) ? "met" : "MISSED"}'; }

say "== make bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
say "   ratios are taken against a yardstick measured in the same run (median of $rounds rounds)"
say ""
row figure value "" yardstick value ratio goal ""
bin/benchsign -make "$work/warm.pdf" -size 1K
bin/benchsign -key "$work/key" -sign "$work/warm.pdf" -out "$work/warm.signed.pdf" >/dev/null
rm -f "$work"/warm*
for size in ${BENCH_SIZES:-1M 100M 1G}; do
  pdf="$work/$size.pdf"
  signed="$work/$size.signed.pdf"
  bin/benchsign -make "$pdf" -size "$size"
  # The file just made is written out first: its write-back would compete
  # with the first rounds (and did: 1.76x in one run, 1.1x just after).
  sync "$pdf"
  : >"$work/ossl" ; : >"$work/sign" ; : >"$work/cp" ; : >"$work/ossl2" ; : >"$work/verify" ; : >"$work/pdfsig"
  for _ in $(seq "$rounds"); do
    run openssl dgst -sha256 "$pdf" >>"$work/ossl"
    rm -f "$signed"
    run bin/benchsign -key "$work/key" -sign "$pdf" -out "$signed" >>"$work/sign" || { cat "$work/stderr"; exit 1; }
    # The I/O floor: copying the file and writing it out, no hash.
    run sh -c 'cp "$1" "$2" && sync "$2"' - "$pdf" "$work/cp.pdf" >>"$work/cp"
    rm -f "$work/cp.pdf"
  done
  pdfsig -nocert "$signed" | grep -q "Signature is Valid" || { echo "bench: the signed $size PDF does not pass pdfsig"; exit 1; }
  rm -f "$pdf"
  # Both sides read the signed file from the page cache.
  cat "$signed" >/dev/null
  for _ in $(seq "$rounds"); do
    run openssl dgst -sha256 "$signed" >>"$work/ossl2"
    # Exit 1 is expected: the benchmark key is not trusted (INDETERMINATE).
    SHOMEI_DATA_DIR="$work/data" run bin/shomei verify --json --no-stored-trust "$signed" >>"$work/verify" || true
    grep -q '"covers_whole_file": true' "$work/stdout" && grep -q '"intact": true' "$work/stdout" ||
      { echo "bench: shomei verify does not find the $size signature intact"; cat "$work/stdout"; exit 1; }
    run pdfsig -nocert "$signed" >>"$work/pdfsig" || true
  done
  rm -f "$signed"
  o=$(col 1 "$work/ossl"); s=$(col 1 "$work/sign"); smem=$(($(col 2 "$work/sign") / 1024))
  o2=$(col 1 "$work/ossl2"); v=$(col 1 "$work/verify"); vmem=$(($(col 2 "$work/verify") / 1024)); p=$(col 1 "$work/pdfsig")
  goal() { [ "$size" = 1G ] && echo "$1" || echo "-"; }
  r=$(ratio "$s" "$o"); row "sign $size (benchsign, software key)" "$s" s "openssl dgst -sha256" "$o" "${r}x" "$(goal '<= 1.25x')" "$([ "$size" = 1G ] && met "$r" "<=" 1.25)"
  row "  peak memory" "$smem" MB "" "" "" "$(goal '< 64 MB')" "$([ "$size" = 1G ] && met "$smem" "<" 64)"
  c=$(col 1 "$work/cp"); row "  I/O floor: cp + sync" "$c" s "openssl dgst -sha256" "$o" "$(ratio "$c" "$o")x" "-" ""
  r=$(ratio "$v" "$o2"); row "verify $size (shomei verify --json)" "$v" s "openssl dgst -sha256" "$o2" "${r}x" "$(goal '<= 1.1x')" "$([ "$size" = 1G ] && met "$r" "<=" 1.1)"
  r=$(ratio "$p" "$v"); row "  pdfsig -nocert / shomei verify" "$p" s "shomei verify" "$v" "${r}x" "$(goal '>= 1.5x')" "$([ "$size" = 1G ] && met "$r" ">=" 1.5)"
  row "  peak memory" "$vmem" MB "" "" "" "$(goal '< 32 MB')" "$([ "$size" = 1G ] && met "$vmem" "<" 32)"
done
say ""

# Go benchmarks; the in-memory ones first, without the lock.
metric() { awk -v b="$1" -v u="$2" '$1 ~ b { for (i = 2; i < NF; i++) if ($(i+1) == u) v = $i } END {print v}' "$work/gobench"; }
go test -run '^$' -bench 'Batch1000' -benchtime 3x ./backend/signing/ >"$work/gobench"
go test -run '^$' -bench . -benchtime 20x ./cardio/jpki/ >>"$work/gobench"
cpu=$(metric Batch1000 cpu-ms/document); wall=$(metric Batch1000 ms/document)
row "batch of 1,000 PDFs: own work per doc" "$cpu" ms "CPU time per document" "" "" "<= 2 ms" "$(met "$cpu" "<=" 2)"
row "  wall time per doc (2 fsyncs each)" "$wall" ms "" "" "" "-" ""
row "  APDUs per document" "$(metric Batch1000 apdus/document)" "" "" "" "" "1" "$(met "$(metric Batch1000 apdus/document)" "<=" 1)"
# The floor (jpki.StatusFloor, README "Figures"): per applet its SELECT, one
# SELECT EF + VERIFY without data per PIN; JPKI adds the token label, the
# certificate availability and the auth certificate in 256-byte reads.
st=$(metric 'BenchmarkStatus' apdus/status); fl=$(metric 'BenchmarkStatus' floor-apdus)
row "card status, in memory" "$st" APDU "floor for this card" "$fl" "$(ratio "$st" "$fl")" "= floor" "$(met "$st" "<=" "$fl")"
row "extra signature in a session, in memory" "$(metric ExtraSignature apdus/signature)" APDU "" "" "" "1" ""
say ""
say "history (100,000 events), no yardstick:"
go test -run '^$' -bench . -benchtime 1x ./backend/history/ | grep '^Benchmark' | tee -a "$out"

# Hostile inputs: time and peak memory per case and class (HOSTILE_BIG=1
# adds the 2 GB sparse PDF, the 300 MB CMS and the 5 M-entry CRL).
scripts/hostile-bench.sh | tee -a "$out"

# Through pcscd, Chromium and Xvfb: the machine's test lock (BENCH_LOCKED=0
# skips these).
if [ "${BENCH_LOCKED:-1}" != 1 ]; then
  say ""
  say "kept in $out (pcscd, serve and desktop figures skipped: BENCH_LOCKED=0)"
  exit 0
fi
. scripts/pcscd.sh
ensure_pcscd bin/shomei test-output/pcscd-bench.log
trap 'stop_pcscd; cleanup' EXIT
SHOMEI_INTEGRATION=1 go test -run '^$' -bench . -benchtime 20x ./integration/ >"$work/gobench"
st=$(metric StatusPCSC apdus/status); fl=$(metric StatusPCSC floor-apdus)
row "card status through pcscd + vpcd" "$st" APDU "floor for this card" "$fl" "$(ratio "$st" "$fl")" "= floor" "$(met "$st" "<=" "$fl")"
row "  time per status" "$(metric StatusPCSC ns/op | awk '{printf "%.1f", $1 / 1e6}')" ms "" "" "" "-" ""
row "extra signature through pcscd + vpcd" "$(metric ExtraSignaturePCSC apdus/signature)" APDU "" "" "" "1" ""
say ""

scripts/frontend.sh
(cd frontend && UI_FIGURES=first UI_LAUNCHES=${BENCH_UI_LAUNCHES:-15} node e2e/figures.mjs) >"$work/ui" 2>&1 || { cat "$work/ui"; exit 1; }
fp=$(sed -n 's/.*first page with the card status: n=[0-9]* median \([0-9.]*\) ms.*/\1/p' "$work/ui")
dom=$(sed -n "s/.*DOM loaded: n=[0-9]* median \([0-9.]*\) ms.*/\1/p" "$work/ui")
row "shomei serve to first page with status" "$fp" ms "(page's DOM loaded at)" "$dom" "" "< 300 ms" "$(met "$fp" "<" 300)"
fp95=$(sed -n 's/.*first page with the card status: n=[0-9]* median [0-9.]* ms, p95 \([0-9.]*\) ms, max \([0-9.]*\) ms.*/\1 \2/p' "$work/ui")
row "  p95 / max" "${fp95% *}" ms "(max)" "${fp95#* }" "" "< 300 ms" "$(met "${fp95% *}" "<" 300)"
grep '^shomei serve:' "$work/ui" | sed 's/^/  /' | tee -a "$out"
if [ "${BENCH_DESKTOP:-1}" = 1 ]; then
  # Launch 1 finds the page cache as other jobs left it and is shown apart;
  # launches 2..11 are warm (a desktop in use): every one must be under the
  # goal, so the row "max" says whether they were, and when not the slowest
  # launch's phases follow. The cold launch (the app's mapped files dropped
  # from the page cache, as after boot) is a real user's cost too: its own
  # row, never folded into the warm one (scripts/desktop-check.sh).
  DESKTOP_LAUNCHES=${BENCH_DESKTOP_LAUNCHES:-11} DESKTOP_COLD=1 scripts/desktop-check.sh >"$work/desk" 2>&1 || { cat "$work/desk"; exit 1; }
  summary=$(grep 'launch to a usable window:' "$work/desk" | tail -1)
  d=$(sed -n 's/.*usable window: \([0-9]*\) ms.*/\1/p' <<<"$summary")
  n=$(sed -n 's/.*median of \([0-9]*\) warm launches.*/\1/p' <<<"$summary")
  p95=$(sed -n 's/.*p95 \([0-9]*\) ms.*/\1/p' <<<"$summary")
  mx=$(sed -n 's/.*max \([0-9]*\) ms.*/\1/p' <<<"$summary")
  first=$(sed -n 's/.*launch 1 (page cache as found[^:]*: \([0-9]*\) ms.*/\1/p' "$work/desk")
  cold=$(sed -n 's/.*cold launch (.*: \([0-9]*\) ms, by phase.*/\1/p' "$work/desk")
  row "desktop window to usable (Xvfb), warm" "$d" ms "median, from exec, n=${n:-1}" "" "" "< 1000 ms" "$(met "$d" "<" 1000)"
  row "  warm p95 / max" "${p95:-$d}" ms "(max)" "${mx:-$d}" "" "< 1000 ms" "$(met "${mx:-$d}" "<" 1000)"
  row "  first launch (page cache as found)" "${first:--}" ms "" "" "" "-" ""
  row "  cold launch (after boot)" "${cold:--}" ms "" "" "" "< 1000 ms" "$(met "${cold:-99999}" "<" 1000)"
  # awk, not grep -v: nothing to print is no failure under pipefail.
  sed -n '/the slowest launch/,/^desktop: [^ ]/p' "$work/desk" | awk '!/^desktop: (ok|cold)/' | sed 's/^/  /' | tee -a "$out"
  sed -n '/cold launch (/,$p' "$work/desk" | awk '!/^desktop: ok/' | sed 's/^/  /' | tee -a "$out"
fi
say ""
say "kept in $out"
