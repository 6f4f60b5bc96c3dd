#!/usr/bin/env bash
# Installs everything Shomei needs on Debian 12, and does nothing when it is
# all there already (safe to run any number of times).
set -euo pipefail
cd "$(dirname "$0")/.."

GO_TOOLCHAIN=go1.27.4
WAILS_VERSION=v2.16.0

# Debian packages: the card stack and an independent card client, PDF
# checkers (XML signatures: xmlsec1, libxml2's C14N through python3-lxml), what the desktop build and
# its screenshots need, and what make dist packages with (dpkg-shlibdeps, lintian, makensis; 7z reads the installer back).
PKGS=(
  pcscd libpcsclite-dev vsmartcard-vpcd opensc pcsc-tools
  gcc pkg-config
  poppler-utils qpdf openssl libnss3-tools time libopenjp2-tools
  xmlsec1 python3-lxml
  libgtk-3-dev libwebkit2gtk-4.1-dev xvfb imagemagick fonts-noto-cjk
  chromium
  dpkg-dev lintian nsis p7zip-full
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Go: go.mod asks for go 1.27; the installed Go fetches that toolchain from
# the module proxy. GOTOOLCHAIN=auto lets a plain `go` in this tree do so too.
command -v go >/dev/null || { echo "setup: Go is not installed (/usr/local/go)"; exit 1; }
[ "$(go env GOTOOLCHAIN)" = "auto" ] || [ -n "${GOTOOLCHAIN:-}" ] || go env -w GOTOOLCHAIN=auto
GOTOOLCHAIN=$GO_TOOLCHAIN go version >/dev/null
GOTOOLCHAIN=$GO_TOOLCHAIN go mod download

# The Wails CLI, into the project's own .cache/bin.
mkdir -p .cache/bin
if ! [ -x .cache/bin/wails ] || ! .cache/bin/wails version 2>/dev/null | grep -q "${WAILS_VERSION}"; then
  echo "setup: installing the Wails CLI ${WAILS_VERSION}"
  GOBIN="$PWD/.cache/bin" GOTOOLCHAIN=$GO_TOOLCHAIN go install "github.com/wailsapp/wails/v2/cmd/wails@${WAILS_VERSION}"
fi

# The UI: node packages (npm ci) and the build the Go binary embeds, each
# only when something changed.
command -v npm >/dev/null || { echo "setup: Node.js and npm are needed to build the UI"; exit 1; }
scripts/frontend.sh
