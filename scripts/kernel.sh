#!/usr/bin/env bash
# kernel.sh NAME [--reuse DIR] | kernel.sh SRC DEST LOGNAME [FLAVOUR]: build an arm64
# kernel. NAME is a kernel of config/trees (see kernel_vars in lib.sh): a
# tree's series applied (its work tree, made by tree.sh as patches/ say
# unless it holds unexported work), its stock kernel (a work tree at the
# tag 'base' or 'stock'), or TREE-debug; the outputs go to build/NAME. The
# second form builds the work tree SRC into DEST.
#
# The kernel is configured (allnoconfig + config/kvm-host.config + the KVM
# selftests' config, + config/FLAVOUR.config) and built in SRC/obj
# (SRC/obj-FLAVOUR), incrementally; it is reconfigured from scratch when a
# fragment changes. Image, vmlinux and the KVM hyp objects (DEST/kvm-hyp/,
# for make bench) are copied to DEST, with DEST/.source saying what they
# were built from (built_from in lib.sh): when that matches, nothing is
# built.
#
# --reuse DIR: if DIR or a directory in it holds a kernel built from the
# same source and fragments (make review leaves each patch's in
# build/review-TREE/COMMIT), copy it instead of building.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
init_run

reuse=
if [ "${2:-}" = --reuse ]; then
	reuse=$3
	set -- "$1"
fi
if [ $# -eq 1 ]; then
	kernel_vars "$1"
	case $ROLE in
	stock)
		bash "$TOP/scripts/source.sh" "$PKG"
		# make review builds the stock tree as its baseline and leaves
		# it in build/STOCK: no work tree of its own is needed then.
		if [ -f "$BUILD/$KERNEL/Image" ] &&
			[ "$(cat "$BUILD/$KERNEL/.source" 2>/dev/null)" = "$(built_from_rev "$REPO" "$BASE_REF" "$FLAVOUR")" ]; then
			say "$KERNEL kernel: up to date in $(rel "$BUILD/$KERNEL")"
			exit 0
		fi
		worktree "$REPO" "$SRC" "$BASE_REF"
		;;
	*) bash "$TOP/scripts/tree.sh" "$TREE" --keep-work ;;
	esac
	set -- "$SRC" "$BUILD/$KERNEL" "$KERNEL" "$FLAVOUR"
fi
src=$(cd "$1" && pwd)
dest=$(realpath -m "$2")
name=$3
flavour=${4:-}
objdir=obj${flavour:+-$flavour}
obj=$src/$objdir
read -ra frags < <(fragments "$src" "$flavour")
mkdir -p "$obj" "$dest"
from=$(built_from "$src" "$flavour")

# Keep the object directory out of git status in every work tree.
exclude=$(git -C "$src" rev-parse --path-format=absolute --git-common-dir)/info/exclude
grep -qxF '/obj*/' "$exclude" 2>/dev/null || echo '/obj*/' >>"$exclude"

if [ "${from%% *}" != dirty ] && [ -f "$dest/Image" ] &&
	[ "$(cat "$dest/.source" 2>/dev/null)" = "$from" ]; then
	say "$name kernel: up to date in $(rel "$dest")"
	exit 0
fi
for r in ${reuse:+"$reuse" "$reuse"/*}; do
	{ [ -f "$r/Image" ] && [ "$(cat "$r/.source" 2>/dev/null)" = "$from" ]; } || continue
	rm -rf "$dest/.source" "$dest/kvm-hyp"
	cp -r "$r/Image" "$r/vmlinux" "$r/kvm-hyp" "$dest/"
	cp "$r/.source" "$dest/.source"
	say "$name kernel: the same source was built in $(rel "$r"); copied from there"
	exit 0
done

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

step "$LOGS/$name-build.log" "build $name kernel ($(rel "$src"))" \
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
echo "$from" >"$dest/.source"
