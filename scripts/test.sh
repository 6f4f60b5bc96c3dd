#!/usr/bin/env bash
# The whole test suite: static checks, unit tests, and the integration tests
# through pcscd + vpcd + the virtual card, the CLI as a process and OpenSC.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-output

# The packages need no card reader: built before taking the machine's lock.
# The desktop build is the one the desktop test runs later.
echo "== packages: the .deb, the Windows programs and installer (make dist)"
start=$(date +%s)
scripts/dist.sh >test-output/dist.log 2>&1 || { cat test-output/dist.log; exit 1; }
echo "dist: $(( $(date +%s) - start )) s (checked by integration/dist_test.go)"
echo "== frontend type check (svelte-check: the screens and the Vitest files)"
(cd frontend && npx svelte-check --tsconfig ./tsconfig.json --threshold error) >test-output/svelte-check.log 2>&1 || { cat test-output/svelte-check.log; exit 1; }
tail -n 1 test-output/svelte-check.log
echo "== go vet for Windows"
GOOS=windows go vet ./...
GOOS=windows go vet -tags desktop,production . ./app/desktop

# One suite at a time per machine: the tests share pcscd and vpcd's readers.
exec 9>/tmp/shomei-test.lock
flock 9
. scripts/pcscd.sh
mkdir -p test-output bin

echo "== gofmt, go vet"
bad=$(gofmt -l $(git ls-files -co --exclude-standard '*.go'))
if [ -n "$bad" ]; then echo "gofmt would change: $bad"; exit 1; fi
go vet ./...

echo "== frontend unit tests (Vitest)"
scripts/frontend.sh
(cd frontend && npx vitest run)

scripts/build.sh cli
ensure_pcscd bin/shomei test-output/pcscd.log
trap stop_pcscd EXIT

echo "== go test (unit and integration)"
SHOMEI_DIST_DIR=$PWD/dist SHOMEI_INTEGRATION=1 go test -p 1 -count=1 -timeout 20m ./... 2>&1 | tee test-output/go-test.log

echo "== UI end to end (web UI in Chromium, desktop app under Xvfb)"
SHOMEI_TEST_LOCKED=1 scripts/e2e.sh
