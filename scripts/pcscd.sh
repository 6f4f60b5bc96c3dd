#!/usr/bin/env bash
# Sourced by the test, run and bench scripts: make sure pcscd runs with the
# vpcd virtual readers. Sets PCSCD_STARTED=1 when it started pcscd itself.
PCSCD_STARTED=0
pcscd_has_vpcd() {
  # The vpcd readers appear in pcscd's reader list once its driver loaded.
  [ -S /run/pcscd/pcscd.comm ] && timeout 5 "$1" readers 2>/dev/null | grep -q "Virtual PCD 00 01"
}
ensure_pcscd() {
  local bin=$1 log=$2
  if pgrep -x pcscd >/dev/null && pcscd_has_vpcd "$bin"; then
    return 0
  fi
  if pgrep -x pcscd >/dev/null; then
    echo "pcscd runs without the vpcd readers; restarting it"
    pkill -x pcscd || true
    sleep 1
  fi
  local SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO mkdir -p /run/pcscd
  $SUDO pcscd --foreground >"$log" 2>&1 &
  PCSCD_STARTED=1
  for _ in $(seq 50); do
    pcscd_has_vpcd "$bin" && return 0
    sleep 0.2
  done
  echo "pcscd did not come up with the vpcd readers; its log:"
  cat "$log"
  return 1
}
stop_pcscd() {
  if [ "$PCSCD_STARTED" = 1 ]; then
    pkill -x pcscd || true
  fi
}
