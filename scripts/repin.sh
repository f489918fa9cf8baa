#!/usr/bin/env bash
# repin.sh PACKAGE VERSION: make repin. Moves the pin of PACKAGE
# (config/sources) to another version Debian serves, once every tree of
# that package (config/trees) is known to apply there. In the scratch
# directory build/repin: import the new source (source.sh), apply each
# tree's patches (a patch that no longer applies stops the run with its
# name, and nothing outside build/repin has changed), export them from
# there (their base-commit and blob ids now name the new tree), and
# rewrite the package's row of config/sources with the new version,
# checksum and commit. build/ still holds trees of the old source
# afterwards: remove it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
init_run

pkg=${1:-} new=${2:-}
{ [ -n "$pkg" ] && [ -n "$new" ]; } || die "usage: make repin PACKAGE=<one of: $(names sources)> VERSION=<a version Debian serves>"
row sources "$pkg"
scratch=$BUILD/repin
rm -rf "$scratch"
mkdir -p "$scratch"
BUILD=$scratch bash "$TOP/scripts/source.sh" "$pkg" "$new"
mapfile -t trees < <(awk -v p="$pkg" '!/^#/ && $2 == p { print $1 }' "$TOP/config/trees")
for t in "${trees[@]}"; do
	BUILD=$scratch FORCE=1 bash "$TOP/scripts/tree.sh" "$t" --new-base
done
say "repin: ${trees[*]} apply to $pkg $new"
for t in "${trees[@]}"; do
	BUILD=$scratch bash "$TOP/scripts/export.sh" "$t"
done
sum=$(sha256sum "$CACHE/$pkg-$new.tar.xz" | cut -d' ' -f1)
commit=$(git -C "$scratch/src/$pkg" rev-parse stock)
awk -v p="$pkg" -v v="$new" -v s="$sum" -v c="$commit" \
	'!/^#/ && $1 == p { $2 = v; $5 = s; $6 = c } { print }' "$TOP/config/sources" >"$scratch/sources"
mv "$scratch/sources" "$TOP/config/sources"
say "repin: config/sources now pins $pkg $new (commit $commit); ${trees[*]} re-exported on it"
say "repin: their cover letters still name the old version in their text; build/ holds trees of the old source: remove them"
