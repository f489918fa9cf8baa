#!/usr/bin/env bash
# selftests.sh TREE [SRC OUT]: cross-build the arm64 KVM selftests of the
# tree's work tree (made by tree.sh as its patch folder says, unless it
# holds unexported work), or of the kernel tree SRC, statically into
# build/TREE/selftests (or OUT), against that tree's own uapi headers
# (exported to OUT/usr). When the tree's row names an INPUT, the project's
# own test that the series carries (the series' work tree's copy, the one
# source of it) is built there too, in the tree's arm64 directory (aarch64
# before 6.13). Logs: build/logs/TREE-selftests-{headers,build}.log.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
init_run

tree_vars "$1"
[ $# -gt 1 ] || bash "$TOP/scripts/tree.sh" "$TREE" --keep-work
[ -z "$INPUT" ] || bash "$TOP/scripts/tree.sh" series --keep-work
tree_vars "$1"
src=$(cd "${2:-$WORK}" && pwd)
out=$(realpath -m "${3:-$BUILD/$TREE/selftests}")
hdr=$out/usr
kvm=$src/tools/testing/selftests/kvm
dir=arm64
[ -d "$kvm/arm64" ] || dir=aarch64
mkdir -p "$out"
extra=()
if [ -n "$INPUT" ]; then
	series=$BUILD/series-linux
	file=tools/testing/selftests/kvm/aarch64/$INPUT.c
	git -C "$series" cat-file -e "HEAD:$file" 2>/dev/null || die "the series carries no $file"
	# Built in place, as one of the tree's own programs, then removed: the
	# work tree is left as it was.
	git -C "$series" show "HEAD:$file" >"$kvm/$dir/$INPUT.c"
	trap 'rm -f "$kvm/$dir/$INPUT.c"' EXIT
	extra=("TEST_GEN_PROGS_EXTENDED_$dir=$dir/$INPUT")
fi

step "$LOGS/$TREE-selftests-headers.log" "export uapi headers of $(rel "$src")" \
	make -C "$src" O=obj headers_install INSTALL_HDR_PATH="$hdr"
step "$LOGS/$TREE-selftests-build.log" "cross-build the KVM selftests of $(rel "$src") (static)${INPUT:+, with $INPUT}" \
	make -C "$kvm" -j"$(nproc)" CC="$(kcc)" OUTPUT="$out" INSTALL_HDR_PATH="$hdr" \
	KHDR_INCLUDES="-isystem $hdr/include" LDFLAGS=-static all "${extra[@]}"
