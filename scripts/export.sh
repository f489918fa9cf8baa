#!/usr/bin/env bash
# export.sh: write base..HEAD of build/linux back to patches/ with
# git format-patch, cover letter first, addressed with get_maintainer.pl.
# The cover letter keeps its subject and text; shortlog, diffstat and
# base-commit are regenerated. Running it twice changes nothing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_tree
cd "$TREE"
git diff --quiet HEAD || die "build/linux has uncommitted edits: commit them first"
n=$(git rev-list --count base..HEAD)
[ "$n" -gt 0 ] || die "no commits on top of base in build/linux"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The cover letter is from the series' author (format-patch would take the
# local git identity), and blob ids are abbreviated to the kernel's 12
# digits rather than to whatever this repository's size suggests, so that
# the export is the same on every machine.
fmt=(git -c user.name="$(git log -1 --format=%an HEAD)" -c user.email="$(git log -1 --format=%ae HEAD)"
	format-patch -q --cover-letter --base=base --no-signature --abbrev=12 -o "$out")
"${fmt[@]}" base..HEAD

# Recipients from the tree's own MAINTAINERS: maintainers in To:, the
# reviewers, supporters and lists in Cc:.
to=() cc=()
while IFS= read -r line; do
	addr=${line%% (*}
	case $line in
	*"(maintainer:"*) to+=(--to="$addr") ;;
	*) cc+=(--cc="$addr") ;;
	esac
done < <(find "$out" -name '*.patch' ! -name '0000-cover-letter.patch' -print0 |
	xargs -0 scripts/get_maintainer.pl --no-git --no-git-fallback | grep -v '^$' || true)
rm -f "$out"/*.patch
"${fmt[@]}" "${to[@]}" "${cc[@]}" base..HEAD

cover=$out/0000-cover-letter.patch
old=$TOP/patches/0000-cover-letter.patch
python3 "$TOP/scripts/cover.py" "$cover" "$old" "$(git log -1 --format=%aD HEAD)"

mkdir -p "$TOP/patches"
if diff -rq "$out" "$TOP/patches" >/dev/null 2>&1; then
	say "patches/ is already up to date ($n patches)"
else
	rm -f "$TOP"/patches/*.patch
	cp "$out"/*.patch "$TOP/patches/"
	say "exported $n patches and a cover letter to patches/"
fi
git rev-parse HEAD >"$BUILD/.synced"
