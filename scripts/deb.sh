#!/usr/bin/env bash
# Packages build/bin/shomei (scripts/build.sh desktop) as
# dist/shomei_<version>_amd64.deb: the program in /usr/bin, the menu entry,
# the icon at the hicolor sizes, man pages and shell completions written by
# the program itself, copyright (with the licences of every Go module linked
# in), changelog, and lintian overrides (each with its reason). Depends come from dpkg-shlibdeps (the WebKitGTK 4.1
# and GTK 3 runtimes, pcsc-lite) plus pcscd.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/bin/shomei
[ -x "$bin" ] || { echo "deb: $bin is missing (scripts/build.sh desktop)"; exit 1; }
# The version stamped into that binary when it was built.
VERSION=$(cat "$bin.version")
DEBVERSION=${VERSION//-/+}
deb=dist/shomei_${DEBVERSION}_amd64.deb
# The package's dates and file times are the commit's (reproducible builds).
export SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
install -d "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/doc/shomei" "$root/usr/share/man/man1" \
  "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
  "$root/usr/share/fish/vendor_completions.d"
install -m 0755 "$bin" "$root/usr/bin/shomei"
install -m 0644 build/linux/shomei.desktop "$root/usr/share/applications/shomei.desktop"
for s in 16 24 32 48 64 128 256 512; do
  d=$root/usr/share/icons/hicolor/${s}x${s}/apps
  install -d "$d"
  convert build/appicon.png -resize "${s}x${s}" -depth 8 -strip "PNG32:$d/shomei.png"
done

# Man pages and completions, from the program's own command tree.
# English in man1 and Japanese in ja/man1, whatever the builder's locale.
LC_ALL=C.UTF-8 "$bin" man "$work/man" >/dev/null
LC_ALL=ja_JP.UTF-8 "$bin" man "$work/man-ja" >/dev/null
ls "$work/man"/*.1 "$work/man-ja"/*.1 >/dev/null
install -d "$root/usr/share/man/ja/man1"
for f in "$work/man"/*.1; do
  gzip -9n <"$f" >"$root/usr/share/man/man1/$(basename "$f").gz"
done
for f in "$work/man-ja"/*.1; do
  gzip -9n <"$f" >"$root/usr/share/man/ja/man1/$(basename "$f").gz"
done
"$bin" completion bash >"$root/usr/share/bash-completion/completions/shomei"
"$bin" completion zsh >"$root/usr/share/zsh/vendor-completions/_shomei"
"$bin" completion fish >"$root/usr/share/fish/vendor_completions.d/shomei.fish"

# changelog: this build, in Debian's format.
{
  echo "shomei ($DEBVERSION) unstable; urgency=medium"
  echo
  echo "  * Built from git $(git rev-parse --short=7 HEAD 2>/dev/null || echo unknown) (version $VERSION)."
  echo "    The project's history is its git log."
  echo
  echo " -- Shomei developers <shomei-app@users.noreply.github.com>  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$root/usr/share/doc/shomei/changelog.gz"

scripts/deb-copyright.sh >"$root/usr/share/doc/shomei/copyright"
install -D -m 0644 build/linux/lintian-overrides "$root/usr/share/lintian/overrides/shomei"

# Depends: the shared libraries the binary links, as dpkg-shlibdeps reads
# them, and the card service.
mkdir -p "$work/src/debian"
printf 'Source: shomei\n\nPackage: shomei\nArchitecture: amd64\n' >"$work/src/debian/control"
shlibs=$(cd "$work/src" && dpkg-shlibdeps -O "$root/usr/bin/shomei" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "deb: dpkg-shlibdeps found no libraries"; exit 1; }
size=$(du -k -s --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$DEBVERSION/" -e "s/@SIZE@/$size/" -e "s/@DEPENDS@/pcscd, $shlibs/" \
  build/linux/control.in >"$root/DEBIAN/control"
(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum >DEBIAN/md5sums)

find "$root" -type d -exec chmod 0755 {} +
find "$root/usr/share" -type f -exec chmod 0644 {} +
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p dist
rm -f dist/shomei_*_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "deb: $deb ($(du -h "$deb" | cut -f1))"
