#!/usr/bin/env bash
# Prints the Debian copyright file (machine-readable format) of the package:
# Shomei itself, then every Go module linked into the desktop build and the
# JavaScript packages bundled into its UI, each with its own licence text
# (Apache-2.0 and MPL-2.0 by reference to /usr/share/common-licenses).
set -euo pipefail
cd "$(dirname "$0")/.."

# licence FILE: the short name of the licence in FILE.
licence() {
  local f=$1
  if grep -q 'Apache License' "$f" && grep -q 'Version 2.0' "$f"; then echo Apache-2.0
  elif grep -q 'Mozilla Public License' "$f"; then echo MPL-2.0
  elif grep -q 'Permission is hereby granted, free of charge' "$f"; then echo Expat
  elif grep -q 'Permission to use, copy, modify, and/or distribute' "$f"; then echo ISC
  elif grep -q 'Redistribution and use in source and binary forms' "$f"; then
    if grep -q -i 'neither the name' "$f"; then echo BSD-3-Clause; else echo BSD-2-Clause; fi
  else echo "unknown"
  fi
}

# paragraph NAME DIR: a Files paragraph for the package in DIR.
paragraph() {
  local name=$1 dir=$2 f lic holders
  f=$(find "$dir" -maxdepth 1 -type f \( -iname 'LICENSE*' -o -iname 'COPYING*' -o -iname 'LICENCE*' \) | sort | head -n1)
  [ -n "$f" ] || { echo "deb-copyright: no licence file in $dir" >&2; exit 1; }
  lic=$(licence "$f")
  [ "$lic" != unknown ] || { echo "deb-copyright: unrecognised licence in $f" >&2; exit 1; }
  holders=$(grep -i -m3 -E '^[[:space:]]*copyright (\(c\)|©|[0-9])' "$f" | sed -E 's/^[[:space:]]*[Cc]opyright[[:space:]]*(\([Cc]\)|©)?[[:space:]]*//' | paste -sd'\n' - || true)
  [ -n "$holders" ] || holders="the $name authors"
  echo "Files: $name/*"
  echo "Copyright: $(echo "$holders" | sed '2,$s/^/ /')"
  case $lic in
  Apache-2.0 | MPL-2.0)
    echo "License: $lic"
    echo " On Debian systems the full text is in /usr/share/common-licenses/$lic."
    ;;
  *)
    echo "License: $lic"
    sed -e 's/[[:space:]]*$//' -e 's/^$/./' -e 's/^/ /' "$f"
    ;;
  esac
  echo
}

cat <<'HEAD'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: Shomei
Source: https://github.com/shomei-app/shomei
Comment: /usr/bin/shomei is one Go program: Shomei's own code, the Go
 standard library (go/src), the Go modules listed below by module path, and
 the user interface built with Svelte and the JavaScript packages listed
 below (npm:). It links the system's GTK, WebKitGTK and pcsc-lite. The
 icon is the character 署 drawn in Noto Serif CJK (SIL Open Font License 1.1).

Files: *
Copyright: Shomei developers
License: not-yet-chosen
 The Shomei developers have not yet published Shomei under a licence; until
 they do, this package is for evaluation and testing.

HEAD

goroot=$(go env GOROOT)
paragraph "go/src" "$goroot" # the Go standard library
go list -deps -tags desktop,production,webkit2_41 \
  -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Dir}}{{end}}{{end}}' . | sort -u |
  while read -r path dir; do paragraph "$path" "$dir"; done
# go-pdfium embeds PDFium compiled to WebAssembly, with the libraries it
# builds in.
cat <<'PDFIUM'
Files: github.com/klippa-app/go-pdfium/internal/pdfium_wasm/*
Copyright: The PDFium Authors
License: Apache-2.0
Comment: PDFium compiled to WebAssembly (BSD-3-Clause and Apache-2.0 parts),
 with the copies of FreeType (FreeType License), Little CMS (Expat), libjpeg-turbo
 (IJG and BSD-3-Clause), OpenJPEG (BSD-2-Clause), zlib (Zlib) and others that
 PDFium builds in; their notices are in the PDFium sources
 (https://pdfium.googlesource.com/pdfium/+/refs/heads/main/third_party/).
 On Debian systems the Apache-2.0 text is in
 /usr/share/common-licenses/Apache-2.0.

PDFIUM
for p in svelte pdfjs-dist; do
  paragraph "npm:$p" "frontend/node_modules/$p"
done
