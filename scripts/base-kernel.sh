#!/usr/bin/env bash
# base-kernel.sh: build/base/{Image,vmlinux,kvm-hyp/} from the base, for
# side-by-side comparisons. make review builds exactly that kernel as its
# baseline and leaves it there; it is reused when it was built from the
# base's tree with today's config fragments, and built in the work tree
# build/base-linux otherwise.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_tree

dest=$BUILD/base
want="$(kernel_tree base) $(
	cat "$TOP/config/kvm-host.config" <(git -C "$TREE" show base:tools/testing/selftests/kvm/config) |
		sha256sum | cut -c1-16
)"
if [ -f "$dest/Image" ] && [ "$(cat "$dest/.source" 2>/dev/null)" = "$want" ]; then
	say "base kernel: up to date in build/base (built from the base with today's config)"
	exit 0
fi
bash "$TOP/scripts/worktree.sh" build/base-linux base
bash "$TOP/scripts/kernel.sh" "$BUILD/base-linux" "$dest" base
