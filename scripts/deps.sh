#!/usr/bin/env bash
# deps.sh: install, idempotently, every Debian package the project needs.
# Uses sudo when not root. Quiet and quick when everything is there.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkgs=(
	make gcc git xz-utils ccache        # host build, the base tree, caching
	gcc-aarch64-linux-gnu               # the arm64 cross compiler
	libc6-dev-arm64-cross               # static arm64 libc for the selftests
	bc bison flex libssl-dev libelf-dev # the kernel build
	cpio gzip                           # the test initramfs
	rsync                               # headers_install, for the selftests' uapi headers
	qemu-system-arm                     # qemu-system-aarch64
	dpkg-dev                            # dpkg-deb, to unpack downloaded packages
	sparse                              # make C=2
	python3 python3-sphinx python3-sphinx-rtd-theme python3-yaml # htmldocs
	perl python3-ply python3-git        # checkpatch.pl and its spdxcheck.py
	shellcheck                          # lints the pipeline's own scripts
	debootstrap                         # make vmm-test: Debian's arm64 QEMU and strace
)

# busybox-static:arm64 is only unpacked into the cache, never installed:
# installing it would replace the host's own /bin/busybox with an arm64 one.
need_arm64=0
dpkg --print-foreign-architectures | grep -qx arm64 || need_arm64=1

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && [ $need_arm64 -eq 0 ] && [ -x "$CACHE/busybox" ] && exit 0
mkdir -p "$LOGS" "$CACHE"

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
# apt-get and dpkg run in a session of their own, in the background, and
# wait up to ten minutes for another apt or dpkg to finish rather than
# failing at once. Ctrl-C stops this script, and the run, at once, and
# says so, while apt-get goes on to its end: an interrupted dpkg would
# leave packages half configured. The next run waits for it (the lock).
# step runs it in a subshell, whose trap names apt-get before this
# script's says the run stopped.
on_interrupt
in_background() {
	setsid "${sudo[@]}" "$@" &
	# shellcheck disable=SC2064 # the pid, now
	trap "printf '\napt-get (pid %s) goes on to its end in the background' $! >&8" INT
	wait $!
}
apt=(in_background env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
if [ $need_arm64 -eq 1 ]; then
	say "adding the arm64 architecture to dpkg (for busybox-static:arm64)"
	"${sudo[@]}" dpkg --add-architecture arm64
fi
if [ ${#missing[@]} -gt 0 ] || [ $need_arm64 -eq 1 ]; then
	step "$LOGS/deps-update.log" "apt-get update" "${apt[@]}" update
fi
if [ ${#missing[@]} -gt 0 ]; then
	step "$LOGS/deps-install.log" "apt-get install ${missing[*]}" \
		"${apt[@]}" install -y --no-install-recommends "${missing[@]}"
fi
if [ ! -x "$CACHE/busybox" ]; then
	fetch_busybox() {
		local tmp
		mkdir -p "$CACHE"
		tmp=$(mktemp -d "$CACHE/bb.XXXXXX")
		chmod 755 "$tmp"
		(cd "$tmp" && apt-get download busybox-static:arm64)
		dpkg-deb -x "$tmp"/busybox-static_*_arm64.deb "$tmp/root"
		install -m 755 "$tmp/root/bin/busybox" "$CACHE/busybox"
		rm -rf "$tmp"
	}
	step "$LOGS/deps-busybox.log" "fetch busybox-static:arm64 into ${CACHE/#$HOME/\~}" fetch_busybox
fi
