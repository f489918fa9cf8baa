#!/usr/bin/env bash
# base-kernel.sh [base|stock]: build/base/{Image,vmlinux,kvm-hyp/} from the
# base (or build/stock/... from the stock tree, upstream's implementation
# included), for side-by-side comparisons. make review (make fixes for the
# stock tree) builds exactly that kernel as its baseline and leaves it
# there; it is reused when it was built from the same tree with today's
# config fragments, and built in the work tree build/<ref>-linux otherwise.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_tree

ref=${1:-base}
case $ref in base | stock) ;; *) die "base-kernel.sh: no tree '$ref' (base, stock)" ;; esac
dest=$BUILD/$ref
want="$(kernel_tree "$ref") $(
	cat "$TOP/config/kvm-host.config" <(git -C "$TREE" show "$ref:tools/testing/selftests/kvm/config") |
		sha256sum | cut -c1-16
)"
if [ -f "$dest/Image" ] && [ "$(cat "$dest/.source" 2>/dev/null)" = "$want" ]; then
	say "$ref kernel: up to date in build/$ref (built from the $ref tree with today's config)"
	exit 0
fi
bash "$TOP/scripts/worktree.sh" "build/$ref-linux" "$ref"
bash "$TOP/scripts/kernel.sh" "$BUILD/$ref-linux" "$dest" "$ref"
