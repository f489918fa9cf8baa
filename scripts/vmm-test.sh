#!/usr/bin/env bash
# vmm-test.sh: a VMM nobody here wrote against the ABI. Debian's arm64 QEMU
# (build/vmm-rootfs, see vmm-rootfs.sh) runs tests/vmm/guest.c under KVM
# inside the emulated machine and migrates it live to a second QEMU
# (tests/vmm/qemu_migration), on -cpu max (VHE, FEAT_RAS) and -cpu
# cortex-a57 (nVHE, no RAS), once with the series' kernel, where QEMU must
# save and restore the vcpu events and answer an access KVM cannot decode
# with an external data abort, and once with the base, where it must do
# without them and still migrate. One line per kernel and CPU, then
# "N passed, N failed"; non-zero exit on any deviation. Consoles are kept
# in build/logs/vmm-<kernel>-<cpu>.log.
#
#   BOOT_TIMEOUT=s  bound on one boot (default 240)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# kernel label, Image, what QEMU must do with the vcpu events there, and
# whether the guest probes the external data abort.
kernels=(
	"series|$BUILD/Image|events|1"
	"base|$BUILD/base/Image|none|0"
)
cpus=(max cortex-a57)
for k in "${kernels[@]}"; do
	IFS='|' read -r label image _ <<<"$k"
	[ -f "$image" ] || die "no $label kernel at ${image#"$TOP"/}: run 'make kernel base-kernel'"
done

bash "$TOP/scripts/vmm-rootfs.sh"

out=$BUILD/vmm
rm -rf "$out"
mkdir -p "$out/tests/vmm" "$out/extra/tests/vmm"
cp "$TOP/tests/vmm/qemu_migration" "$out/tests/vmm/"
echo "vmm/qemu_migration 180" >"$out/list"
step "$LOGS/vmm-guest.log" "cross-build tests/vmm/guest.c (bare metal, EL1)" \
	"${CROSS_COMPILE}gcc" -O2 -Wall -Wextra -Werror -ffreestanding -nostdlib -static \
	-mgeneral-regs-only -mstrict-align -fno-stack-protector -fno-pie -no-pie \
	-fno-asynchronous-unwind-tables -Wl,--build-id=none -Wl,-Ttext-segment=0x40080000 \
	-Wl,--defsym=stack_top=0x40300000 -e _start \
	-o "$out/extra/tests/vmm/guest.elf" "$TOP/tests/vmm/guest.c"
initrd=$out/initramfs.cpio.gz
step "$LOGS/vmm-initramfs.log" "pack QEMU, strace, the guest and the test into an initramfs" \
	bash "$TOP/scripts/initramfs.sh" "$out/tests" "$out/list" "$initrd" "$BUILD/vmm-rootfs" "$out/extra"

total_pass=0 total_fail=0 total_skip=0 lines=()
for k in "${kernels[@]}"; do
	IFS='|' read -r label image expect probe <<<"$k"
	for cpu in "${cpus[@]}"; do
		log=$LOGS/vmm-$label-$cpu.log
		printf '==> boot %s kernel on -cpu %s, migrate a guest between two QEMUs ... ' "$label" "$cpu"
		boot_and_judge "$log" "$out/list" "vmm/$label/$cpu" "$image" "$initrd" "$cpu" \
			"VMM_EXPECT=$expect VMM_PROBE=$probe" "${BOOT_TIMEOUT:-240}"
		summary=$(tr -d '\r' <"$log" | sed -n 's/^# vmm: //p' | tail -n 1)
		if [ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]; then
			lines+=("$(printf '%-6s  -cpu %-10s  PASS  %s' "$label" "$cpu" "$summary")")
		else
			[ "$PASSED" -gt 0 ] || FAILED=$((FAILED + 1))
			echo "$VERDICT" >&2
			lines+=("$(printf '%-6s  -cpu %-10s  FAIL  log: %s' "$label" "$cpu" "${log#"$TOP"/}")")
		fi
		total_pass=$((total_pass + PASSED)) total_fail=$((total_fail + FAILED)) total_skip=$((total_skip + SKIPPED))
	done
done
echo "--- make vmm-test: Debian's QEMU $(strings "$BUILD/vmm-rootfs/usr/bin/qemu-system-aarch64" |
	sed -n 's/^QEMU emulator version \(.*\)/\1/p' | head -n1) on each kernel and CPU ---"
printf '%s\n' "${lines[@]}"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
