#!/usr/bin/env bash
# Builds Shomei with the version from git (scripts/version.sh) stamped in.
#   scripts/build.sh cli       bin/shomei: go build, the CLI and shomei serve
#   scripts/build.sh desktop   build/bin/shomei: wails build (desktop app + CLI),
#                              skipped when nothing changed since the last one
#   scripts/build.sh windows   build/bin/: the Windows desktop app, the Windows
#                              CLI and the NSIS installer (wails build -nsis)
# The UI must be built first (scripts/frontend.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=$(scripts/version.sh)
LDFLAGS="-X github.com/shomei-app/shomei/internal/version.stamp=$VERSION"
SOURCES=(app backend cardio internal frontend/dist/app frontend/frontend.go main.go go.mod go.sum wails.json build/appicon.png)
mkdir -p test-output

# fresh OUT: OUT exists, was built for this version and is newer than every
# source.
fresh() {
  local out=$1
  [ -x "$out" ] && [ "$(cat "$out.version" 2>/dev/null)" = "$VERSION" ] &&
    [ -z "$(find "${SOURCES[@]}" -newer "$out" -print -quit 2>/dev/null)" ]
}

case "${1:-}" in
cli)
  go build -ldflags "$LDFLAGS" -o bin/shomei .
  ;;
desktop)
  out=build/bin/shomei
  if fresh "$out"; then exit 0; fi
  echo "build: the desktop app $VERSION (wails build)"
  rm -f "$out.version"
  # Position independent, with a read-only GOT after start (Debian's
  # hardening, checked by lintian).
  GOFLAGS="${GOFLAGS:-} -buildmode=pie" \
  wails build -s -skipbindings -tags webkit2_41 -nocolour -trimpath \
    -ldflags "$LDFLAGS -extldflags=-Wl,-z,relro,-z,now" \
    >test-output/wails-build.log 2>&1 || { cat test-output/wails-build.log; exit 1; }
  echo "$VERSION" >"$out.version"
  ;;
windows)
  app=build/bin/shomei-$VERSION-windows-amd64.exe
  cli=build/bin/shomei-$VERSION-windows-amd64-cli.exe
  setup=build/bin/shomei-$VERSION-windows-amd64-setup.exe
  if fresh "$app" && fresh "$cli" && [ -f "$setup" ] && [ "$setup" -nt "$app" ]; then exit 0; fi
  echo "build: Windows $VERSION (CLI: go build; desktop and installer: wails build -nsis)"
  rm -f "$app.version" "$cli.version"
  mkdir -p build/bin
  # The console build the installer puts beside the desktop one.
  GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -trimpath -ldflags "-s -w $LDFLAGS" -o "$cli" .
  # The version resource and manifest Wails compiles in, with this version.
  winversion=$(scripts/version.sh --windows)
  for f in info.json wails.exe.manifest; do
    sed -e "s/@VERSION@/$VERSION/g" -e "s/@WINVERSION@/$winversion/g" "build/windows/$f.in" >"build/windows/$f"
  done
  # project.nsi reads these when makensis runs.
  export SHOMEI_VERSION=$VERSION SHOMEI_WINVERSION=$winversion SHOMEI_CLI_EXE=$PWD/$cli
  wails build -s -skipbindings -platform windows/amd64 -nsis -nocolour -trimpath \
    -ldflags "$LDFLAGS" -o "$(basename "$app")" \
    >test-output/wails-build-windows.log 2>&1 || { cat test-output/wails-build-windows.log; exit 1; }
  grep -q 'makensis not found' test-output/wails-build-windows.log && { echo "build: makensis is missing (apt-get install nsis)"; exit 1; }
  [ -f "$setup" ] || { echo "build: no installer $setup"; cat test-output/wails-build-windows.log; exit 1; }
  echo "$VERSION" >"$app.version"
  echo "$VERSION" >"$cli.version"
  ;;
*)
  echo "usage: $0 cli|desktop|windows" >&2
  exit 2
  ;;
esac
