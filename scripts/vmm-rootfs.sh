#!/usr/bin/env bash
# vmm-rootfs.sh: build/vmm-rootfs, the Debian arm64 userland make vmm-test
# packs into its initramfs: the programs tests/vmm/packages names and the
# shared libraries they load (with the dynamic loader), nothing else.
#
# debootstrap fetches the packages with their dependencies (downloads are
# kept in ~/.cache/kvm-serror/vmm-debs), they are unpacked with dpkg-deb,
# and each program's DT_NEEDED closure is found with readelf. The tree is
# rebuilt only when tests/vmm/packages changes.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
init_run

list=$TOP/tests/vmm/packages
out=$BUILD/vmm-rootfs
sig=$(sha256sum <"$list" | cut -c1-16)
if [ -d "$out" ] && [ "$(cat "$out.sig" 2>/dev/null)" = "$sig" ]; then
	say "vmm rootfs: up to date in $(rel "$out") ($(du -sh "$out" | cut -f1))"
	exit 0
fi

suite=$(awk '$1 == "suite" { print $2 }' "$list")
mapfile -t packages < <(awk '$1 == "package" { print $2 }' "$list")
mapfile -t programs < <(awk '$1 == "program" { print $2 }' "$list")
if [ -z "$suite" ] || [ ${#packages[@]} -eq 0 ] || [ ${#programs[@]} -eq 0 ]; then
	die "$(rel "$list") names no suite, package or program"
fi

# The mirror apt already uses for that suite, so that a machine whose apt
# reaches Debian through its own mirror fetches from there too.
# shellcheck disable=SC2016 # apt's own $(FIELD) syntax
mirror=$(apt-get indextargets --format '$(RELEASE) $(REPO_URI)' 2>/dev/null |
	awk -v s="$suite" '$1 == s { print $2; exit }')
mirror=${mirror:-http://deb.debian.org/debian/}

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
work=$(mktemp -d "$BUILD/vmm-rootfs.XXXXXX")
trap '"${sudo[@]}" rm -rf "$work"' EXIT
mkdir -p "$CACHE/vmm-debs"

include=$(IFS=,; echo "${packages[*]}")
step "$LOGS/vmm-debootstrap.log" "fetch ${packages[*]} ($suite, arm64) and their dependencies from $mirror" \
	"${sudo[@]}" debootstrap --arch=arm64 --variant=minbase --download-only \
	--include="$include" --cache-dir="$CACHE/vmm-debs" "$suite" "$work/fetch" "$mirror"

unpack() {
	local deb
	mkdir -p "$work/debian"
	for deb in "$work"/fetch/var/cache/apt/archives/*.deb; do
		dpkg-deb -x "$deb" "$work/debian"
	done
}
step "$LOGS/vmm-unpack.log" "unpack $(find "$work/fetch" -name '*.deb' | wc -l) packages" unpack

# needed FILE: the DT_NEEDED sonames of the ELF file FILE.
needed() {
	"${CROSS_COMPILE}readelf" -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'
}
# find_lib SONAME: its path in the unpacked tree, as the loader searches it.
find_lib() {
	local d
	for d in /lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu /lib /usr/lib; do
		[ -e "$work/debian$d/$1" ] && { echo "$d/$1"; return 0; }
	done
	return 1
}
trim() {
	local -A seen=()
	local queue=("${programs[@]}") f lib path interp
	interp=$("${CROSS_COMPILE}readelf" -l "$work/debian${programs[0]}" |
		sed -n 's/.*program interpreter: \(.*\)\]$/\1/p')
	[ -n "$interp" ] || { echo "${programs[0]} names no program interpreter"; return 1; }
	queue+=("$interp")
	mkdir -p "$work/rootfs"
	while [ ${#queue[@]} -gt 0 ]; do
		f=${queue[0]}
		queue=("${queue[@]:1}")
		[ -z "${seen[$f]:-}" ] || continue
		seen[$f]=1
		[ -e "$work/debian$f" ] || { echo "$f is not in the packages"; return 1; }
		mkdir -p "$work/rootfs$(dirname "$f")"
		cp -L "$work/debian$f" "$work/rootfs$f"
		echo "$f"
		while read -r lib; do
			path=$(find_lib "$lib") || { echo "$f needs $lib, which no package has"; return 1; }
			queue+=("$path")
		done < <(needed "$work/debian$f")
	done
}
step "$LOGS/vmm-trim.log" "keep ${programs[*]} and the libraries they load" trim

rm -rf "$out" "$out.sig"
mv "$work/rootfs" "$out"
echo "$sig" >"$out.sig"
say "vmm rootfs: $(grep -c . "$LOGS/vmm-trim.log") files, $(du -sh "$out" | cut -f1) in $(rel "$out")"
