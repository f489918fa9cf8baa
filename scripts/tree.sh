#!/usr/bin/env bash
# tree.sh: make build/linux the base plus patches/*.patch (cover letter
# skipped), on branch 'series'. A patch that does not apply stops the run
# with its name, and the tree is left as it was.
#
# Work in build/linux that was never exported is not thrown away: the run
# refuses unless FORCE=1. With --keep-work (what the build and test targets
# use) it leaves such work in place, says so, and succeeds, so that a
# developer can build and test commits before exporting them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

keep_work=0
[ "${1:-}" = --keep-work ] && keep_work=1

bash "$TOP/scripts/base.sh"
cd "$TREE"
mapfile -t series < <(find "$TOP/patches" -maxdepth 1 -name '*.patch' ! -name '0000-cover-letter.patch' 2>/dev/null | sort)

# First apply the patches to a scratch index: no file in the work tree is
# touched (and nothing needs rebuilding) when the result is already there.
idx=$(mktemp)
trap 'rm -f "$idx"' EXIT
GIT_INDEX_FILE=$idx git read-tree base
for p in "${series[@]}"; do
	GIT_INDEX_FILE=$idx git apply --cached "$p" 2>"$LOGS/tree.log" ||
		die "patches/$(basename "$p") does not apply to the base; log: ${LOGS#"$TOP"/}/tree.log"
done
want=$(GIT_INDEX_FILE=$idx git write-tree)

head=$(git rev-parse HEAD)
if [ "$(git rev-parse "HEAD^{tree}")" = "$want" ] && git diff --quiet HEAD; then
	say "build/linux already is base + ${#series[@]} patches ($(git rev-parse --short HEAD))"
	exit 0
fi
synced=$(cat "$BUILD/.synced" 2>/dev/null || true)
if [ "${FORCE:-0}" != 1 ]; then
	problem=
	if ! git diff --quiet HEAD; then
		problem="build/linux has uncommitted edits"
	elif [ "$head" != "$(git rev-parse base)" ] && [ "$head" != "$synced" ]; then
		problem="build/linux HEAD ($(git rev-parse --short HEAD)) differs from patches/ and was never exported"
	fi
	if [ -n "$problem" ]; then
		if [ $keep_work -eq 1 ]; then
			warn "$problem: using it as it is, not patches/"
			exit 0
		fi
		die "$problem; commit and 'make export' it, or FORCE=1 make tree to drop it"
	fi
fi

git reset -q --hard
git checkout -q --detach base
# Each patch's changelog is a git note on its commit; keep notes on the
# commits that 'git rebase' and 'git commit --amend' make of them.
git config notes.rewriteRef refs/notes/commits
: >"$LOGS/tree.log"
for p in "${series[@]}"; do
	# Each patch is committed by its author at its date: no git identity
	# is needed, and the commits get the hashes they were exported with.
	if ! GIT_COMMITTER_NAME=$(sed -n '1,/^$/s/^From: \(.*\) <.*/\1/p' "$p") \
		GIT_COMMITTER_EMAIL=$(sed -n '1,/^$/s/^From: .* <\(.*\)>$/\1/p' "$p") \
		git am -q --committer-date-is-author-date "$p" >>"$LOGS/tree.log" 2>&1; then
		git am --abort || true
		git checkout -q "$head"
		die "patches/$(basename "$p") does not apply (git am); log: ${LOGS#"$TOP"/}/tree.log"
	fi
	notes=$(python3 "$TOP/scripts/notes.py" "$p")
	[ -z "$notes" ] || GIT_COMMITTER_NAME=$(git log -1 --format=%an) GIT_COMMITTER_EMAIL=$(git log -1 --format=%ae) \
		git notes add -f -m "$notes" HEAD
done
git checkout -q -B series
git rev-parse HEAD >"$BUILD/.synced"
say "build/linux is base + ${#series[@]} patches ($(git rev-parse --short HEAD)) on branch 'series'"
