#!/usr/bin/env bash
# userland.sh NAME: the userland NAME of config/userlands, installed under
# the download cache (CACHE/userland/NAME) with debootstrap (with the
# script of sid, which every suite after bookworm uses, so that the
# host's debootstrap need not know the suite's name) and checked against
# its pins; nothing to do when it is there. Prints nothing: the
# callers run its programs with userland_cmd (lib.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
init_run

row userlands "$1"
root=$CACHE/userland/$1
read -ra pins <<<"${ROW[packages]}"
check() { # ROOT: every pinned package at its version
	local p have
	for p in "${pins[@]}"; do
		have=$(dpkg-query --admindir="$1/var/lib/dpkg" -W -f='${Version}' "${p%%=*}" 2>/dev/null || true)
		[ "$have" = "${p#*=}" ] || { echo "${p%%=*} $have"; return 1; }
	done
}
check "$root" >/dev/null 2>&1 && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
tmp=$CACHE/userland/$1.new
"${sudo[@]}" rm -rf "$tmp"
mkdir -p "$CACHE/userland"
step "$LOGS/userland-$1.log" "debootstrap ${ROW[suite]} with ${pins[*]%%=*} into ${tmp/#$HOME/\~}" \
	"${sudo[@]}" debootstrap --variant=minbase --include="$(printf '%s,' "${pins[@]%%=*}")" \
	"${ROW[suite]}" "$tmp" "${ROW[archive]}" /usr/share/debootstrap/scripts/sid
if ! got=$(check "$tmp"); then
	die "config/userlands: $1 pins ${pins[*]}, but ${ROW[suite]} now serves $got: move the pin"
fi
"${sudo[@]}" rm -rf "$root"
mv "$tmp" "$root"
say "userland $1: ${pins[*]}"
