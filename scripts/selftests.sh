#!/usr/bin/env bash
# selftests.sh SRC OUT: cross-build the arm64 KVM selftests of the kernel
# tree SRC, statically, into OUT (against SRC's own exported uapi headers).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$(cd "$1" && pwd)
out=$(realpath -m "$2")
hdr=$BUILD/headers
mkdir -p "$out"

step "$LOGS/selftests-headers.log" "export uapi headers of ${src#"$TOP"/}" \
	make -C "$src" O=obj headers_install INSTALL_HDR_PATH="$hdr"
step "$LOGS/selftests-build.log" "cross-build the KVM selftests (static)" \
	make -C "$src/tools/testing/selftests/kvm" -j"$(nproc)" \
	CC="$(kcc)" OUTPUT="$out" INSTALL_HDR_PATH="$hdr" \
	KHDR_INCLUDES="-isystem $hdr/include" LDFLAGS=-static
