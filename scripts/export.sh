#!/usr/bin/env bash
# export.sh TREE: write the series of the tree's work tree (BASE..HEAD of
# build/TREE-linux) back to its patch folder with git format-patch, cover letter first, addressed with get_maintainer.pl,
# each patch's changelog (its git note) under its "---". The cover letter
# keeps its subject and text; shortlog, diffstat and base-commit are
# regenerated. Running it twice changes nothing.
#
#   REROLL=n          the series' version in the subjects ([PATCH vn m/N]);
#                     default: the cover letter's in patches/
#   SIGNOFF="N <m>"   also write a copy for mailing to build/mail/, from
#                     and signed off by that person (patches/ keeps the
#                     project's identity)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
init_run
tree_vars "${1:?usage: export.sh TREE}"
SYNCED=$BUILD/.synced-$TREE
rel=$(rel "$PATCHES") wrel=$(rel "$WORK")
[ -d "$WORK" ] || die "no work tree $wrel: run 'make tree TREE=$TREE' first"
cd "$WORK"
git diff --quiet HEAD || die "$wrel has uncommitted edits: commit them first"
n=$(git rev-list --count "$BASE_REF..HEAD")
[ "$n" -gt 0 ] || die "no commits on top of $BASE_REF in $wrel"

reroll=${REROLL:-$(sed -n 's/^Subject: \[.* v\([0-9]*\) 0\/.*/\1/p' "$PATCHES/0000-cover-letter.patch" 2>/dev/null || true)}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The cover letter is from the series' author (format-patch would take the
# local git identity), and blob ids are abbreviated to the kernel's 12
# digits rather than to whatever this repository's size suggests, so that
# the export is the same on every machine.
fmt=(git -c user.name="$(git log -1 --format=%an HEAD)" -c user.email="$(git log -1 --format=%ae HEAD)"
	format-patch -q --cover-letter --base="$BASE_REF" --no-signature --abbrev=12 --notes
	--subject-prefix="$PREFIX${reroll:+ v$reroll}" -o "$out")
"${fmt[@]}" "$BASE_REF..HEAD"

# Recipients from the tree's own MAINTAINERS: maintainers in To:, the
# reviewers, supporters and lists in Cc:.
to=(${TO:+--to="$TO"}) cc=()
while IFS= read -r line; do
	addr=${line%% (*}
	case $line in
	*"(maintainer:"*) to+=(--to="$addr") ;;
	*) cc+=(--cc="$addr") ;;
	esac
done < <(find "$out" -name '*.patch' ! -name '0000-cover-letter.patch' -print0 |
	xargs -0 scripts/get_maintainer.pl --no-git --no-git-fallback --no-fixes | grep -v '^$' || true)
rm -f "$out"/*.patch
"${fmt[@]}" "${to[@]}" "${cc[@]}" "$BASE_REF..HEAD"

cover=$out/0000-cover-letter.patch
old=$PATCHES/0000-cover-letter.patch
python3 "$TOP/scripts/cover.py" "$cover" "$old" "$(git log -1 --format=%aD HEAD)"

mkdir -p "$PATCHES"
if diff -rq "$out" "$PATCHES" >/dev/null 2>&1; then
	say "$rel/ is already up to date ($n patches)"
else
	rm -f "$PATCHES"/*.patch
	cp "$out"/*.patch "$PATCHES/"
	say "exported $n patches and a cover letter to $rel/"
fi
git rev-parse HEAD >"$SYNCED"

# A copy for mailing: From: and Signed-off-by: of the person sending it,
# in place of the project's identity, which checkpatch would not accept
# as the author's sign-off.
if [ -n "${SIGNOFF:-}" ]; then
	case $SIGNOFF in *" <"*@*">") ;; *) die "SIGNOFF must read \"Name <mail>\", not \"$SIGNOFF\"" ;; esac
	project="$(git log -1 --format='%an <%ae>' HEAD)"
	mail=$BUILD/mail/$TREE
	rm -rf "$mail"
	mkdir -p "$mail"
	for p in "$PATCHES"/*.patch; do
		SIGNOFF=$SIGNOFF PROJECT=$project perl -pe '
			BEGIN { $s = $ENV{SIGNOFF}; $p = quotemeta $ENV{PROJECT} }
			s/^From: $p$/From: $s/; s/^Signed-off-by: $p$/Signed-off-by: $s/' \
			"$p" >"$mail/$(basename "$p")"
	done
	say "a copy for mailing, from and signed off by $SIGNOFF, is in $(rel "$mail")/"
fi
