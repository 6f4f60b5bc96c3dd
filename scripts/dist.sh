#!/usr/bin/env bash
# make dist: the installable files, into dist/:
#   shomei_<version>_amd64.deb                 Debian/Ubuntu package (scripts/deb.sh)
#   shomei-<version>-windows-amd64.exe         Windows desktop app (no console)
#   shomei-<version>-windows-amd64-cli.exe     Windows command line (console)
#   shomei-<version>-windows-amd64-setup.exe   Windows installer (NSIS)
#   VERSION                                    the version they carry
# Builds are reused when nothing changed (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/frontend.sh
scripts/build.sh desktop
scripts/deb.sh
scripts/build.sh windows
VERSION=$(cat build/bin/shomei.version)
rm -f dist/shomei-*-windows-amd64*.exe
echo "$VERSION" >dist/VERSION
for f in "" -cli -setup; do
  cp "build/bin/shomei-$VERSION-windows-amd64$f.exe" dist/
done
ls -l dist
