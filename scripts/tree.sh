#!/usr/bin/env bash
# tree.sh [--keep-work]: make the work tree of a series its base plus its
# patches (cover letter skipped): build/linux = base + patches/*.patch on
# branch 'series', or with SERIES=fixes, build/fixes-linux = stock +
# fixes/*.patch on branch 'fixes'. A patch that does not apply stops the
# run with its name, and the tree is left as it was. Each patch's
# changelog (below its "---") becomes a git note on its commit, which
# make export writes back.
#
# Work that was never exported is not thrown away: the run refuses unless
# FORCE=1. With --keep-work (what the build and test targets use) it
# leaves such work in place, says so, and succeeds, so that a developer
# can build and test commits before exporting them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
series_vars "${SERIES:-series}"

keep_work=0
[ "${1:-}" = --keep-work ] && keep_work=1

bash "$TOP/scripts/base.sh"
[ "$NAME" = series ] || bash "$TOP/scripts/worktree.sh" "${WORK#"$TOP"/}" "$BASE_REF"
cd "$WORK"
rel=${PATCHES#"$TOP"/}
mapfile -t series < <(find "$PATCHES" -maxdepth 1 -name '*.patch' ! -name '0000-cover-letter.patch' 2>/dev/null | sort)

# A run interrupted while it applied the patches leaves a marker behind:
# what is in the tree then is half a series of ours, not anybody's work,
# and is replaced below whatever FORCE says.
applying=$BUILD/.applying-$NAME
if [ -e "$applying" ]; then
	warn "${WORK#"$TOP"/}: an earlier run stopped while applying $rel/; starting over"
	[ ! -d "$(git rev-parse --git-path rebase-apply)" ] || git am --abort || true
	git reset -q --hard
	git checkout -q --detach "$BASE_REF"
	git rev-parse HEAD >"$SYNCED"
fi

# First apply the patches to a scratch index: no file in the work tree is
# touched (and nothing needs rebuilding) when the result is already there.
idx=$(mktemp)
trap 'rm -f "$idx"' EXIT
GIT_INDEX_FILE=$idx git read-tree "$BASE_REF"
for p in "${series[@]}"; do
	GIT_INDEX_FILE=$idx git apply --cached "$p" 2>"$LOGS/tree-$NAME.log" ||
		die "$rel/$(basename "$p") does not apply to the $BASE_REF tree; log: ${LOGS#"$TOP"/}/tree-$NAME.log"
done
want=$(GIT_INDEX_FILE=$idx git write-tree)

head=$(git rev-parse HEAD)
if [ "$(git rev-parse "HEAD^{tree}")" = "$want" ] && git diff --quiet HEAD &&
	[ "$(git rev-list --count "$BASE_REF..HEAD")" -eq ${#series[@]} ]; then
	say "${WORK#"$TOP"/} already is $BASE_REF + ${#series[@]} patches ($(git rev-parse --short HEAD))"
	exit 0
fi
synced=$(cat "$SYNCED" 2>/dev/null || true)
if [ "${FORCE:-0}" != 1 ]; then
	problem=
	if ! git diff --quiet HEAD; then
		problem="${WORK#"$TOP"/} has uncommitted edits"
	elif [ "$head" != "$(git rev-parse "$BASE_REF")" ] && [ "$head" != "$synced" ]; then
		problem="${WORK#"$TOP"/} HEAD ($(git rev-parse --short HEAD)) differs from $rel/ and was never exported"
	fi
	if [ -n "$problem" ]; then
		if [ $keep_work -eq 1 ]; then
			warn "$problem: using it as it is, not $rel/"
			exit 0
		fi
		die "$problem; commit and 'make export${NAME/series/}' it, or FORCE=1 to drop it"
	fi
fi

touch "$applying"
git reset -q --hard
git checkout -q --detach "$BASE_REF"
# Keep the notes on the commits that 'git rebase' and 'git commit --amend'
# make of them.
git config notes.rewriteRef refs/notes/commits
: >"$LOGS/tree-$NAME.log"
for p in "${series[@]}"; do
	# Each patch is committed by its author at its date: no git identity
	# is needed, and the commits get the hashes they were exported with.
	author=$(sed -n '1,/^$/s/^From: \(.*\) <.*/\1/p' "$p")
	email=$(sed -n '1,/^$/s/^From: .* <\(.*\)>$/\1/p' "$p")
	if ! GIT_COMMITTER_NAME=$author GIT_COMMITTER_EMAIL=$email \
		git am -q --committer-date-is-author-date "$p" >>"$LOGS/tree-$NAME.log" 2>&1; then
		git am --abort || true
		git checkout -q "$head"
		rm -f "$applying"
		die "$rel/$(basename "$p") does not apply (git am); log: ${LOGS#"$TOP"/}/tree-$NAME.log"
	fi
	notes=$(python3 "$TOP/scripts/notes.py" "$p")
	[ -z "$notes" ] || GIT_COMMITTER_NAME=$author GIT_COMMITTER_EMAIL=$email \
		git notes add -f -m "$notes" HEAD
done
git checkout -q -B "$BRANCH"
git rev-parse HEAD >"$SYNCED"
rm -f "$applying"
say "${WORK#"$TOP"/} is $BASE_REF + ${#series[@]} patches ($(git rev-parse --short HEAD)) on branch '$BRANCH'"
