#!/usr/bin/env bash
# kernel.sh SRC DEST [NAME]: configure (allnoconfig + config/kvm-host.config
# + the KVM selftests' config) and build the arm64 kernel in SRC, then copy Image and
# vmlinux to DEST. The object directory SRC/obj is reused incrementally;
# it is reconfigured from scratch when a fragment changes.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$(cd "$1" && pwd)
dest=$(realpath -m "$2")
name=${3:-$(basename "$dest")}
obj=$src/obj
frags=("$TOP"/config/kvm-host.config "$src"/tools/testing/selftests/kvm/config)
mkdir -p "$obj" "$dest"

# Keep the object directory out of git status in every work tree.
exclude=$(git -C "$src" rev-parse --path-format=absolute --git-common-dir)/info/exclude
grep -qx '/obj/' "$exclude" 2>/dev/null || echo '/obj/' >>"$exclude"

sig=$(cat "${frags[@]}" | sha256sum | cut -c1-16)
if [ "$(cat "$obj/.fragments" 2>/dev/null)" != "$sig" ]; then
	configure() {
		rm -f "$obj/.config"
		(cd "$src" && scripts/kconfig/merge_config.sh -n -O obj "${frags[@]}")
		# The selftests' fragment names x86 options; everything else
		# must have landed exactly as asked.
		local missing
		missing=$(grep -h '^CONFIG_' "${frags[0]}" | grep -vxF -f "$obj/.config" || true)
		[ -z "$missing" ] || { echo "not in the final .config: $missing"; return 1; }
	}
	step "$LOGS/$name-config.log" "configure $name kernel" configure
	echo "$sig" >"$obj/.fragments"
fi

step "$LOGS/$name-build.log" "build $name kernel (${src#"$TOP"/})" \
	make -C "$src" O=obj CC="$(kcc)" -j"$(nproc)" Image
cp "$obj/arch/arm64/boot/Image" "$obj/vmlinux" "$dest/"
