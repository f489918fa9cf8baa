#!/usr/bin/env bash
# vmm-test.sh: a VMM nobody here wrote against the ABI. Debian's arm64 QEMU
# (build/vmm-rootfs, see vmm-rootfs.sh) runs tests/vmm/guest.c under KVM
# inside the emulated machine and migrates it live to a second QEMU
# (tests/vmm/qemu_migration), on config/qemu's vhe (-cpu max, FEAT_RAS)
# and nvhe-noras (-cpu cortex-a57, no RAS), once with the series' kernel, where QEMU must
# save and restore the vcpu events and answer an access KVM cannot decode
# with an external data abort, and once with the base, where it must do
# without them and still migrate. One line per kernel and CPU, then
# "N passed, N failed"; non-zero exit on any deviation. Consoles are kept
# in build/logs/vmm-KERNEL-CONFIG.log, results in build/results/.
#
#   BOOT_TIMEOUT=s  bound on one boot (default 240)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
init_run

# kernel label, Image, what QEMU must do with the vcpu events there, and
# whether the guest probes the external data abort.
kernels=(
	"series|events|1"
	"base|none|0"
)
for k in "${kernels[@]}"; do
	[ -f "$BUILD/${k%%|*}/Image" ] || die "no $(rel "$BUILD/${k%%|*}/Image"): run 'make kernel KERNEL=${k%%|*}'"
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
	IFS='|' read -r label expect probe <<<"$k"
	for config in vhe nvhe-noras; do
		printf '==> boot %s kernel on %s, migrate a guest between two QEMUs ... ' "$label" "$config"
		boot_and_judge vmm "$label" "$config" "$out/list" "$BUILD/$label/Image" "$initrd" \
			"VMM_EXPECT=$expect VMM_PROBE=$probe" "${BOOT_TIMEOUT:-240}"
		summary=$(python3 -c 'import json, sys
said = [o[7:] for o in json.load(open(sys.argv[1]))["programs"][0]["output"] if o.startswith("# vmm: ")]
print(said[-1] if said else "")' "$RESULT")
		if [ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]; then
			lines+=("$(printf '%-6s  -cpu %-10s  PASS  %s' "$label" "$CPU" "$summary")")
		else
			[ "$PASSED" -gt 0 ] || FAILED=$((FAILED + 1))
			echo "$VERDICT" >&2
			lines+=("$(printf '%-6s  -cpu %-10s  FAIL  log: %s' "$label" "$CPU" "$(rel "$LOGS/vmm-$label-$config.log")")")
		fi
		total_pass=$((total_pass + PASSED)) total_fail=$((total_fail + FAILED)) total_skip=$((total_skip + SKIPPED))
	done
done
echo "--- make vmm-test: Debian's QEMU $(strings "$BUILD/vmm-rootfs/usr/bin/qemu-system-aarch64" |
	sed -n 's/^QEMU emulator version \(.*\)/\1/p' | head -n1) on each kernel and CPU ---"
printf '%s\n' "${lines[@]}"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
