#!/usr/bin/env bash
# demo.sh: the series at work, as a VMM author sees it. Builds demo/ (a
# small VMM and its guest, against the series' uapi headers), boots the
# series kernel under QEMU on config/qemu's vhe (-cpu max, FEAT_RAS) and
# nvhe-noras (-cpu cortex-a57, no FEAT_RAS), and shows what the VMM prints
# inside. Fails if the
# destination guest did not receive what was injected on either CPU, or
# the host kernel complained (the boot is judged like make test's).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
init_run

kernel=$BUILD/series/Image hdr=$BUILD/series/selftests/usr/include
[ -f "$kernel" ] || die "no $(rel "$kernel"): run 'make kernel'"
[ -d "$hdr" ] || die "no uapi headers in $(rel "$hdr"): run 'make selftests'"
out=$BUILD/demo
mkdir -p "$out/bin"

step "$LOGS/demo-build.log" "cross-build demo/serror_demo (static, uapi headers only)" \
	"${CROSS_COMPILE}gcc" -static -O2 -Wall -Wextra -Werror -isystem "$hdr" \
	-o "$out/bin/serror_demo" "$TOP/demo/serror_demo.c" "$TOP/demo/guest.S"
echo "serror_demo 60" >"$out/list"
step "$LOGS/demo-initramfs.log" "pack it into an initramfs" \
	bash "$TOP/scripts/initramfs.sh" "$out/bin" "$out/list" "$out/initramfs.cpio.gz"

fails=0
for config in vhe nvhe-noras; do
	printf '==> boot %s on %s and run the demo ... ' "$(rel "$kernel")" "$config"
	boot_and_judge demo series "$config" "$out/list" "$kernel" "$out/initramfs.cpio.gz" "" 120 \
		-smp 1 -m 512M
	what="no FEAT_RAS: the CPU chooses the syndrome"
	[ "${ROW[ras]}" = no ] || what="FEAT_RAS: the syndrome is chosen"
	printf '\n--- -cpu %s (%s) ---\n' "$CPU" "$what"
	python3 -c 'import json, sys; print("\n".join(json.load(open(sys.argv[1]))["programs"][0]["output"][:-1]))' "$RESULT"
	if [ "$PASSED" -ne 1 ] || [ "$FAILED" -ne 0 ]; then
		echo "$VERDICT"
		echo "FAILED: the demo on $config; results: $(rel "$RESULT")"
		fails=$((fails + 1))
	fi
	echo
done
[ "$fails" -eq 0 ] || die "make demo: $fails of 2 runs failed"
say "demo: on both CPUs the destination guest received what was injected"
