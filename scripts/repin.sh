#!/usr/bin/env bash
# repin.sh VERSION: make repin. Moves the pin (base/pin) to another version
# of Debian's linux-source-6.12, once both series are known to apply
# there. In the scratch directory build/repin: unpack and commit the new
# tree (tag 'stock'), apply base/backout.patch (tag 'base'), apply
# patches/ and fixes/ (a patch that no longer applies stops the run with
# its name, and nothing outside build/repin has changed). Then export both
# series from there (their base-commit and blob ids now name the new
# tree) and write base/pin with the new version, checksum and commits.
# build/ still holds trees of the old base afterwards: remove it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

new=${1:-}
[ -n "$new" ] || die "usage: make repin VERSION=<a version apt serves> (served: $(apt-cache madison "$PKG" | awk '{print $3}' | sort -uV | paste -sd' '))"
scratch=$BUILD/repin
rm -rf "$scratch"
mkdir -p "$scratch"

BUILD=$scratch REPIN_VERSION=$new bash "$TOP/scripts/base.sh"
BUILD=$scratch FORCE=1 bash "$TOP/scripts/tree.sh"
BUILD=$scratch FORCE=1 SERIES=fixes bash "$TOP/scripts/tree.sh"
say "repin: both series apply to $PKG $new"

sum=$(sha256sum "$CACHE/$PKG-$new.tar.xz" | cut -d' ' -f1)
base=$(git -C "$scratch/linux" rev-parse base)
stock=$(git -C "$scratch/linux" rev-parse stock)
BUILD=$scratch bash "$TOP/scripts/export.sh"
BUILD=$scratch SERIES=fixes bash "$TOP/scripts/export.sh"
sed -i -e "s/^VERSION=.*/VERSION=$new/" -e "s/^SHA256=.*/SHA256=$sum/" \
	-e "s/^BASE_COMMIT=.*/BASE_COMMIT=$base/" -e "s/^STOCK_COMMIT=.*/STOCK_COMMIT=$stock/" "$TOP/base/pin"
say "repin: base/pin now pins $PKG $new (base $base, stock $stock)"
say "repin: patches/ and fixes/ re-exported on it; their cover letters still name the old version in their text"
say "repin: build/ holds trees of the old base: remove it (rm -rf build) before the next make"
