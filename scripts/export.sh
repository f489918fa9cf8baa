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
fmt=(git format-patch -q --cover-letter --base=base --no-signature -o "$out")
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
python3 - "$cover" "$old" "$(git log -1 --format=%aD HEAD)" <<'PY'
import re, sys, os
cover, old, date = sys.argv[1], sys.argv[2], sys.argv[3]
new = open(cover).read()
subject, blurb = "*** SUBJECT HERE ***", "*** BLURB HERE ***"
if os.path.exists(old):
    o = open(old).read()
    subject = re.search(r"^Subject: \[PATCH[^\]]*\] (.*(?:\n[ \t].*)*)", o, re.M).group(1)
    lines = o[o.index("\n\n") + 2:].split("\n")
    # The blurb runs up to git's shortlog, which sits right above the
    # diffstat: groups of "Name (N):" each followed by indented subjects.
    i = next(n for n, l in enumerate(lines) if re.match(r"^ \S.* \| +\d+", l))
    end = i
    while True:
        j = end - 1
        while j >= 0 and (lines[j] == "" or lines[j].startswith("  ")):
            j -= 1
        if j >= 0 and re.match(r"^\S.* \(\d+\):$", lines[j]) and lines[j + 1].startswith("  "):
            end = j
        else:
            break
    blurb = "\n".join(lines[:end]).rstrip("\n")
new = new.replace("*** SUBJECT HERE ***", subject, 1)
new = new.replace("*** BLURB HERE ***", blurb, 1)
# Date the cover letter like the last patch, so an export is reproducible.
new = re.sub(r"^Date: .*$", "Date: " + date, new, count=1, flags=re.M)
open(cover, "w").write(new)
PY

mkdir -p "$TOP/patches"
if diff -rq "$out" "$TOP/patches" >/dev/null 2>&1; then
	say "patches/ is already up to date ($n patches)"
else
	rm -f "$TOP"/patches/*.patch
	cp "$out"/*.patch "$TOP/patches/"
	say "exported $n patches and a cover letter to patches/"
fi
git rev-parse HEAD >"$BUILD/.synced"
