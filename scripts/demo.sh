#!/usr/bin/env bash
# demo.sh: the series at work, as a VMM author sees it. Builds demo/ (a
# small VMM and its guest, against the series' uapi headers), boots the
# series kernel under QEMU on -cpu max (FEAT_RAS) and -cpu cortex-a57 (no
# FEAT_RAS), and shows what the VMM prints inside. Fails if the
# destination guest did not receive what was injected on either CPU, or
# the host kernel complained (the boot is judged like make test's).
# KERNEL=... boots another kernel (the base fails: it has no vcpu events).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${KERNEL:-$BUILD/Image} hdr=$BUILD/selftests/usr/include
[ -f "$kernel" ] || die "no ${kernel#"$TOP"/}: run 'make kernel'"
[ -d "$hdr" ] || die "no uapi headers in ${hdr#"$TOP"/}: run 'make selftests'"
out=$BUILD/demo
mkdir -p "$out/bin"

step "$LOGS/demo-build.log" "cross-build demo/serror_demo (static, uapi headers only)" \
	"${CROSS_COMPILE}gcc" -static -O2 -Wall -Wextra -Werror -isystem "$hdr" \
	-o "$out/bin/serror_demo" "$TOP/demo/serror_demo.c" "$TOP/demo/guest.S"
echo "serror_demo 60" >"$out/list"
step "$LOGS/demo-initramfs.log" "pack it into an initramfs" \
	bash "$TOP/scripts/initramfs.sh" "$out/bin" "$out/list" "$out/initramfs.cpio.gz"

fails=0
for row in "max|FEAT_RAS: the syndrome is chosen" "cortex-a57|no FEAT_RAS: the CPU chooses the syndrome"; do
	IFS='|' read -r cpu what <<<"$row"
	log=$LOGS/demo-$cpu.log
	printf '==> boot %s on -cpu %s and run the demo ... ' "${kernel#"$TOP"/}" "$cpu"
	boot_and_judge "$log" "$out/list" "demo/$cpu" "$kernel" "$out/initramfs.cpio.gz" "$cpu" "" 120 \
		-smp 1 -m 512M
	printf '\n--- -cpu %s (%s) ---\n' "$cpu" "$what"
	sed -n '/^@@@ RUN serror_demo/,/^@@@ END/{/^@@@/d;p}' "$log" | tr -d '\r'
	if [ "$PASSED" -ne 1 ] || [ "$FAILED" -ne 0 ]; then
		echo "$VERDICT"
		echo "FAILED: the demo on -cpu $cpu; log: ${log#"$TOP"/}"
		fails=$((fails + 1))
	fi
	echo
done
[ "$fails" -eq 0 ] || die "make demo: $fails of 2 runs failed"
say "demo: on both CPUs the destination guest received what was injected"
