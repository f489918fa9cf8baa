#!/usr/bin/env bash
# selftests.sh SRC OUT [NAME]: cross-build the arm64 KVM selftests of the
# kernel tree SRC, statically, into OUT, against SRC's own uapi headers
# (exported to OUT/usr). Logs: build/logs/NAME-{headers,build}.log, NAME
# being "selftests" unless given.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$(cd "$1" && pwd)
out=$(realpath -m "$2")
name=${3:-selftests}
hdr=$out/usr
mkdir -p "$out"

step "$LOGS/$name-headers.log" "export uapi headers of ${src#"$TOP"/}" \
	make -C "$src" O=obj headers_install INSTALL_HDR_PATH="$hdr"
step "$LOGS/$name-build.log" "cross-build the KVM selftests of ${src#"$TOP"/} (static)" \
	make -C "$src/tools/testing/selftests/kvm" -j"$(nproc)" \
	CC="$(kcc)" OUTPUT="$out" INSTALL_HDR_PATH="$hdr" \
	KHDR_INCLUDES="-isystem $hdr/include" LDFLAGS=-static
