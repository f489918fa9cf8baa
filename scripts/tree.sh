#!/usr/bin/env bash
# tree.sh TREE [--keep-work | --new-base]: make the work tree of TREE (config/trees),
# build/TREE-linux on branch TREE, its base plus its patches (cover letter
# skipped): e.g. build/series-linux = tag 'base' + patches/*.patch. A
# patch that does not apply stops the run with its name, and the tree is
# left as it was; so does a cover letter whose base-commit is not the
# tree's base. Each patch's changelog (below its "---") becomes a git
# note on its commit, which make export writes back.
#
# With --new-base (make repin), the patches are applied to a base that
# their cover letter does not name yet.
#
# Work that was never exported is not thrown away: the run refuses unless
# FORCE=1. With --keep-work (what the build and test targets use) it
# leaves such work in place, says so, and succeeds, so that a developer
# can build and test commits before exporting them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
init_run
tree_vars "${1:?usage: tree.sh TREE [--keep-work | --new-base]}"
BRANCH=$TREE SYNCED=$BUILD/.synced-$TREE
keep_work=0
[ "${2:-}" = --keep-work ] && keep_work=1

bash "$TOP/scripts/source.sh" "$PKG"
[ -e "$WORK/.git" ] || worktree "$REPO" "$WORK" "$BASE_REF"
cd "$WORK"
rel=$(rel "$PATCHES")
base_commit=$(sed -n 's/^base-commit: //p' "$PATCHES/0000-cover-letter.patch" 2>/dev/null || true)
[ -z "$base_commit" ] || [ "${2:-}" = --new-base ] || [ "$base_commit" = "$(git rev-parse "$BASE_REF")" ] ||
	die "$rel/ is based on $base_commit, but the $TREE tree's $BASE_REF is $(git rev-parse "$BASE_REF") ($PKG, config/sources)"
mapfile -t series < <(find "$PATCHES" -maxdepth 1 -name '*.patch' ! -name '0000-cover-letter.patch' 2>/dev/null | sort)

# A run interrupted while it applied the patches leaves a marker behind:
# what is in the tree then is half a series of ours, not anybody's work,
# and is replaced below whatever FORCE says.
applying=$BUILD/.applying-$TREE
if [ -e "$applying" ]; then
	warn "$(rel "$WORK"): an earlier run stopped while applying $rel/; starting over"
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
	GIT_INDEX_FILE=$idx git apply --cached "$p" 2>"$LOGS/tree-$TREE.log" ||
		die "$rel/$(basename "$p") does not apply to the $BASE_REF tree; log: $(rel "$LOGS")/tree-$TREE.log"
done
want=$(GIT_INDEX_FILE=$idx git write-tree)

head=$(git rev-parse HEAD)
if [ "$(git rev-parse "HEAD^{tree}")" = "$want" ] && git diff --quiet HEAD &&
	[ "$(git rev-list --count "$BASE_REF..HEAD")" -eq ${#series[@]} ]; then
	say "$(rel "$WORK") already is $BASE_REF + ${#series[@]} patches ($(git rev-parse --short HEAD))"
	exit 0
fi
synced=$(cat "$SYNCED" 2>/dev/null || true)
if [ "${FORCE:-0}" != 1 ]; then
	problem=
	if ! git diff --quiet HEAD; then
		problem="$(rel "$WORK") has uncommitted edits"
	elif [ "$head" != "$(git rev-parse "$BASE_REF")" ] && [ "$head" != "$synced" ]; then
		problem="$(rel "$WORK") HEAD ($(git rev-parse --short HEAD)) differs from $rel/ and was never exported"
	fi
	if [ -n "$problem" ]; then
		if [ $keep_work -eq 1 ]; then
			warn "$problem: using it as it is, not $rel/"
			exit 0
		fi
		die "$problem; commit and 'make export TREE=$TREE' it, or FORCE=1 to drop it"
	fi
fi

touch "$applying"
git reset -q --hard
git checkout -q --detach "$BASE_REF"
# Keep the notes on the commits that 'git rebase' and 'git commit --amend'
# make of them.
git config notes.rewriteRef refs/notes/commits
: >"$LOGS/tree-$TREE.log"
for p in "${series[@]}"; do
	# Each patch is committed by its author at its date: no git identity
	# is needed, and the commits get the hashes they were exported with.
	author=$(sed -n '1,/^$/s/^From: \(.*\) <.*/\1/p' "$p")
	email=$(sed -n '1,/^$/s/^From: .* <\(.*\)>$/\1/p' "$p")
	if ! GIT_COMMITTER_NAME=$author GIT_COMMITTER_EMAIL=$email \
		git am -q --committer-date-is-author-date "$p" >>"$LOGS/tree-$TREE.log" 2>&1; then
		git am --abort || true
		git checkout -q "$head"
		rm -f "$applying"
		die "$rel/$(basename "$p") does not apply (git am); log: $(rel "$LOGS")/tree-$TREE.log"
	fi
	notes=$(python3 "$TOP/scripts/notes.py" "$p")
	[ -z "$notes" ] || GIT_COMMITTER_NAME=$author GIT_COMMITTER_EMAIL=$email \
		git notes add -f -m "$notes" HEAD
done
git checkout -q -B "$BRANCH"
git rev-parse HEAD >"$SYNCED"
rm -f "$applying"
say "$(rel "$WORK") is $BASE_REF + ${#series[@]} patches ($(git rev-parse --short HEAD)) on branch '$BRANCH'"
