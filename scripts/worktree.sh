#!/usr/bin/env bash
# worktree.sh DIR REV: a detached git work tree of build/linux at REV in DIR,
# for building a second kernel (the base, or one patch of the series at a
# time) without touching build/linux. Reused when it exists.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_tree
dir=$TOP/$1 rev=$2
if [ ! -e "$dir/.git" ]; then
	git -C "$TREE" worktree prune
	step "$LOGS/worktree.log" "check out $rev in $1" \
		git -C "$TREE" worktree add -f --detach "$dir" "$rev"
elif [ "$(git -C "$dir" rev-parse HEAD)" != "$(git -C "$TREE" rev-parse "$rev^{commit}")" ]; then
	git -C "$dir" checkout -q --detach "$rev"
fi
