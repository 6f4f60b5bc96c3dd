#!/usr/bin/env bash
# Prints Shomei's version from git, as stamped into every build:
#   1.2.0                on the tag v1.2.0
#   1.2.0-3-gabc1234     three commits after it
#   0.0.0-57-gabc1234    in a clone without tags (57 commits in all)
# and "-dirty" appended when tracked files have local changes. With
# --debian, the form a Debian version takes (each "-" becomes "+", since a
# "-" would start a Debian revision); with --windows, the four numbers a
# Windows version resource takes (1.2.0.3).
set -euo pipefail
cd "$(dirname "$0")/.."
v=""
if git rev-parse --git-dir >/dev/null 2>&1; then
  if d=$(git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null); then
    v=${d#v}
  elif h=$(git rev-parse --short=7 HEAD 2>/dev/null); then
    v="0.0.0-$(git rev-list --count HEAD)-g$h"
    git update-index -q --refresh >/dev/null 2>&1 || true
    git diff-index --quiet HEAD -- 2>/dev/null || v="$v-dirty"
  fi
fi
[ -n "$v" ] || v="0.0.0-unknown"
case "${1:-}" in
  --debian) echo "${v//-/+}" ;;
  --windows)
    if [[ $v =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)(-([0-9]+)-g)? ]]; then
      echo "${BASH_REMATCH[1]}.${BASH_REMATCH[2]}.${BASH_REMATCH[3]}.${BASH_REMATCH[5]:-0}"
    else
      echo "0.0.0.0"
    fi ;;
  "") echo "$v" ;;
  *) echo "usage: $0 [--debian|--windows]" >&2; exit 2 ;;
esac
