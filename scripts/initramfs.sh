#!/usr/bin/env bash
# initramfs.sh SELFTESTS LIST OUT [TREE...]: pack busybox, guest/init,
# guest/holdvm and the programs named in LIST (taken from the selftests
# output SELFTESTS) into the gzip'd cpio OUT, with the contents of each
# directory TREE added at the root.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
init_run

selftests=$1 list=$2 out=$3
shift 3
root=$(mktemp -d "$BUILD/initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,dev,proc,sys,tmp,tests}
cp "$CACHE/busybox" "$root/bin/busybox"
cp "$TOP/guest/init" "$root/init"
chmod 755 "$root/init"
# Built each time (0.1 s; the same source makes the same bytes).
"${CROSS_COMPILE}gcc" -static -O2 -Wall -Wextra -Werror -o "$root/bin/holdvm" "$TOP/guest/holdvm.c"
cp "$list" "$root/tests/list"
while read -r name _; do
	case $name in '' | '#'*) continue ;; esac
	[ -x "$selftests/$name" ] || die "test program $name is listed but was not built ($(rel "$selftests"))"
	mkdir -p "$root/tests/$(dirname "$name")"
	cp "$selftests/$name" "$root/tests/$name"
done <"$list"
for tree in "$@"; do
	cp -a "$tree/." "$root/"
done
# The same files make the same bytes (no dates, inode numbers or owners
# of this machine), so that a boot's inputs can be compared (boot_key).
find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible -R 0:0 | gzip -1 -n) >"$out.part"
mv "$out.part" "$out"
