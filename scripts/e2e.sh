#!/usr/bin/env bash
# End-to-end tests of the UI: the web UI in Debian's Chromium (playwright-core)
# against bin/shomei serve with the virtual card through pcscd, then the
# desktop binary (wails build) under Xvfb with a screenshot. Called by
# scripts/test.sh, which holds the machine's test lock and runs pcscd;
# run alone it takes the lock and starts pcscd itself.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SHOMEI_TEST_LOCKED:-}" ]; then
  exec 9>/tmp/shomei-test.lock
  flock 9
  . scripts/pcscd.sh
  scripts/frontend.sh
  scripts/build.sh cli
  ensure_pcscd bin/shomei test-output/pcscd-e2e.log
  trap stop_pcscd EXIT
fi
mkdir -p test-output/screenshots
rm -f test-output/screenshots/*.png

echo "== web UI end to end (Chromium)"
# Every part runs even when one fails (set -e would stop at the first pipe).
set +e
(cd frontend && node e2e/run.mjs) 2>&1 | tee test-output/e2e.log
status=${PIPESTATUS[0]}

echo "== citizen and counter screens end to end (Chromium)"
(cd frontend && node e2e/workflows.mjs) 2>&1 | tee test-output/e2e-workflows.log
[ "${PIPESTATUS[0]}" = 0 ] || status=1

if [ "${SHOMEI_SKIP_DESKTOP:-0}" != 1 ]; then
  echo "== desktop app under Xvfb"
  scripts/desktop-check.sh 2>&1 | tee test-output/desktop.log || status=1
fi
exit "$status"
