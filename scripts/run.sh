#!/usr/bin/env bash
# Runs Shomei. With a display it builds (wails build, when needed) and opens
# the desktop app; without one it shows the card status from the command
# line and says how to open the web UI. With no real reader holding a card
# it inserts the virtual card (state in $XDG_DATA_HOME/shomei/vcard) for the
# time of the run.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pcscd.sh
mkdir -p test-output
ensure_pcscd bin/shomei test-output/pcscd-run.log

real_card=$(bin/shomei readers 2>/dev/null | grep -v '^Virtual PCD' | grep -c -E 'card present|カードあり' || true)
vpid=""
if [ "$real_card" = 0 ]; then
  bin/shomei vcard --port 35963 &
  vpid=$!
  for _ in $(seq 50); do
    bin/shomei readers 2>/dev/null | grep -q -E 'Virtual PCD 00 00.*(card present|カードあり)' && break
    sleep 0.2
  done
fi
status=0
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  scripts/build.sh desktop
  build/bin/shomei || status=$?
else
  echo "run: no display; the card status from the command line (the web UI: bin/shomei serve)"
  bin/shomei card status ${SHOMEI_READER:+--reader "$SHOMEI_READER"} || status=$?
fi
[ -n "$vpid" ] && kill -INT "$vpid" && wait "$vpid" || true
exit $status
