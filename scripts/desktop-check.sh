#!/usr/bin/env bash
# Builds the desktop app with wails build (scripts/build.sh: reused when
# nothing changed) and starts it under Xvfb with the
# virtual card in "Virtual PCD 00 00": it must become usable (the UI calls
# Ready once the card screen is drawn) and its window is photographed into
# test-output/screenshots/desktop-card.png. Prints the time from launch to
# a usable window. Needs pcscd with vpcd running (scripts/e2e.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/frontend.sh
scripts/build.sh desktop

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

bin/shomei vcard --state "$work/card" --port 35963 >/dev/null &
pids+=($!)
for _ in $(seq 100); do
  bin/shomei readers 2>/dev/null | grep -q -E '^Virtual PCD 00 00.*(card present|カードあり)' && break
  sleep 0.1
done

disp=""
for n in $(seq 90 120); do
  if [ ! -e "/tmp/.X11-unix/X$n" ] && [ ! -e "/tmp/.X$n-lock" ]; then disp=":$n"; break; fi
done
[ -n "$disp" ] || { echo "desktop: no free X display"; exit 1; }
Xvfb "$disp" -screen 0 1280x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${disp#:}" ] && break; sleep 0.1; done

DISPLAY=$disp SHOMEI_READY_LOG=1 SHOMEI_DATA_DIR="$work/data" LANG=ja_JP.UTF-8 build/bin/shomei 2>"$work/app.log" &
app=$!
pids=("$app" "${pids[@]}")
ready=""
for _ in $(seq 600); do
  ready=$(grep -o 'usable after [0-9]* ms' "$work/app.log" || true)
  [ -n "$ready" ] && break
  kill -0 "$app" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$ready" ]; then
  echo "desktop: the window never became usable; its log:"
  cat "$work/app.log"
  exit 1
fi
sleep 1 # let the compositor-less X server paint
mkdir -p test-output/screenshots
DISPLAY=$disp import -window root test-output/screenshots/desktop-card.png
colours=$(identify -format %k test-output/screenshots/desktop-card.png)
grep -o 'desktop: .* after [0-9]* ms' "$work/app.log" | sed 's/^desktop: /desktop: phase: /'
echo "desktop: launch to a usable window: ${ready#usable after } (screenshot: $colours colours)"
echo "desktop: launch to a usable window: ${ready#usable after }" >>test-output/ui-figures.txt
if [ "$colours" -lt 50 ]; then
  echo "desktop: the screenshot looks blank"
  exit 1
fi
if grep -q -E 'panic|fatal' "$work/app.log"; then
  cat "$work/app.log"
  exit 1
fi
echo "desktop: ok"
