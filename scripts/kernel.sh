#!/usr/bin/env bash
# kernel.sh SRC DEST [NAME [FLAVOUR]]: configure (allnoconfig +
# config/kvm-host.config + the KVM selftests' config, + config/FLAVOUR.config
# for a flavour such as "debug") and build the arm64 kernel in SRC, then copy
# Image, vmlinux and the KVM hyp objects (DEST/kvm-hyp/, for make bench) to
# DEST, with DEST/.source saying what they were built from (see built_from
# in lib.sh). The object directory SRC/obj (SRC/obj-FLAVOUR) is reused
# incrementally; it is reconfigured from scratch when a fragment changes.
#
#   REUSE=DIR  if DIR holds a kernel built from the same source and
#              fragments (make review leaves the last patch's in
#              build/review), copy it instead of building
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$(cd "$1" && pwd)
dest=$(realpath -m "$2")
name=${3:-$(basename "$dest")}
flavour=${4:-}
objdir=obj${flavour:+-$flavour}
obj=$src/$objdir
read -ra frags < <(fragments "$src" "$flavour")
mkdir -p "$obj" "$dest"

# Keep the object directory out of git status in every work tree.
exclude=$(git -C "$src" rev-parse --path-format=absolute --git-common-dir)/info/exclude
grep -qxF '/obj*/' "$exclude" 2>/dev/null || echo '/obj*/' >>"$exclude"

if [ -n "${REUSE:-}" ] && [ -f "$REUSE/Image" ] &&
	[ "$(cat "$REUSE/.source" 2>/dev/null)" = "$(built_from "$src" "$flavour")" ]; then
	rm -rf "$dest/.source" "$dest/kvm-hyp"
	cp -r "$REUSE/Image" "$REUSE/vmlinux" "$REUSE/kvm-hyp" "$dest/"
	cp "$REUSE/.source" "$dest/.source"
	say "$name kernel: the same source was built in ${REUSE#"$TOP"/}; copied from there"
	exit 0
fi

sig=$(fragsig "$src" "$flavour")
if [ "$(cat "$obj/.fragments" 2>/dev/null)" != "$sig" ]; then
	configure() {
		rm -f "$obj/.config"
		(cd "$src" && scripts/kconfig/merge_config.sh -n -O "$objdir" "${frags[@]}")
		# The selftests' fragment names x86 options; everything else
		# must have landed exactly as asked.
		local missing
		missing=$(grep -h '^CONFIG_' "${frags[0]}" "${frags[@]:2}" | grep -vxF -f "$obj/.config" || true)
		[ -z "$missing" ] || { echo "not in the final .config: $missing"; return 1; }
	}
	step "$LOGS/$name-config.log" "configure $name kernel" configure
	echo "$sig" >"$obj/.fragments"
fi

step "$LOGS/$name-build.log" "build $name kernel (${src#"$TOP"/})" \
	make -C "$src" O="$objdir" CC="$(kcc)" -j"$(nproc)" Image
rm -f "$dest/.source"
cp "$obj/arch/arm64/boot/Image" "$obj/vmlinux" "$dest/"
rm -rf "$dest/kvm-hyp"
(cd "$obj" && find arch/arm64/kvm/hyp -name '*.o' ! -path '*/nvhe/*' &&
	echo arch/arm64/kvm/hyp/nvhe/kvm_nvhe.o) |
	while read -r o; do
		mkdir -p "$dest/kvm-hyp/$(dirname "$o")"
		cp "$obj/$o" "$dest/kvm-hyp/$o"
	done
built_from "$src" "$flavour" >"$dest/.source"
