#!/usr/bin/env bash
# bench.sh: what the series costs, side by side with upstream's own
# implementation and the base, in guest instructions. Boots the kernels
# stock (upstream's implementation), base and series (build/NAME/Image)
# on config/qemu's vhe configuration (-cpu max) under
# "-icount shift=0,sleep=off" (guest time then counts instructions, idle
# time included: the figures repeat exactly), runs bench/vcpu_events_bench
# in each, reports the size change of each hyp object (the world switch
# and the exception code it runs) and of the kernel's text, prints a
# table, writes it to build/reports/bench.md (make docs copies it to
# docs/benchmarks.md), and fails if a target is missed or a boot is not
# clean (judged like make test's, kernel splats included):
#
#   GET and the SErrors' SETs, above the floor, no costlier than upstream's
#   own implementation measured in the same run; the MMIO round trip, what
#   every guest exit and entry runs, within 0.5% of the base's. The SET
#   that takes an external data abort, and the hyp objects, whose
#   exception code may change, are reported without a target.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
init_run

for k in stock base series; do
	[ -f "$BUILD/$k/Image" ] || die "no $(rel "$BUILD/$k/Image"): run 'make kernel KERNEL=$k'"
done
out=$BUILD/bench
mkdir -p "$out/bin"

step "$LOGS/bench-build.log" "cross-build bench/vcpu_events_bench (static)" \
	"${CROSS_COMPILE}gcc" -static -O2 -Wall -Wextra -Werror -isystem "$BUILD/series/selftests/usr/include" \
	-o "$out/bin/vcpu_events_bench" "$TOP/bench/vcpu_events_bench.c"
echo "vcpu_events_bench 300" >"$out/list"
step "$LOGS/bench-initramfs.log" "pack it into an initramfs" \
	bash "$TOP/scripts/initramfs.sh" "$out/bin" "$out/list" "$out/initramfs.cpio.gz"

tree_vars series
row sources "$PKG"
version=${ROW[version]}
declare -A val
for k in stock base series; do
	printf '==> boot the %s kernel under -icount shift=0 and measure ... ' "$k"
	boot_and_judge bench "$k" vhe "$out/list" "$BUILD/$k/Image" "$out/initramfs.cpio.gz" \
		"nokaslr norandmaps randomize_kstack_offset=off" 600 -smp 1 -m 1G -icount shift=0,sleep=off
	[ "$FAILED" -eq 0 ] || { echo "$VERDICT"; die "the benchmark boot on the $k kernel failed; results: $(rel "$RESULT")"; }
	while read -r name v; do
		val[$k.$name]=$v
	done < <(python3 -c 'import json, sys
for k, v in json.load(open(sys.argv[1]))["programs"][0]["counts"].items(): print(k, v)' "$RESULT")
done

fails=()
rows=(floor get_one_reg_pc get_vcpu_events set_vcpu_events_none set_vcpu_events_pending set_vcpu_events_esr set_vcpu_events_ext_dabt mmio_round_trip)
declare -A what=(
	[floor]="floor: ioctl the vcpu does not know"
	[get_one_reg_pc]="KVM_GET_ONE_REG of PC"
	[get_vcpu_events]="KVM_GET_VCPU_EVENTS"
	[set_vcpu_events_none]="KVM_SET_VCPU_EVENTS, nothing pending"
	[set_vcpu_events_pending]="KVM_SET_VCPU_EVENTS, SError pending"
	[set_vcpu_events_esr]="KVM_SET_VCPU_EVENTS, SError with syndrome"
	[set_vcpu_events_ext_dabt]="KVM_SET_VCPU_EVENTS, external data abort"
	[mmio_round_trip]="vcpu round trip: MMIO write, exit, KVM_RUN"
)
# The operations whose target is upstream's own cost, above its floor.
declare -A budget=()
for r in get_vcpu_events set_vcpu_events_none set_vcpu_events_pending set_vcpu_events_esr; do
	u=${val[stock.$r]:-missing}
	[[ $u =~ ^[0-9]+$ ]] || die "no '$r' figure from the stock kernel; results: $(rel "$BUILD/results/bench-stock-vhe.json")"
	budget[$r]=$((u - ${val[stock.floor]}))
done
table="| operation | upstream (stock) | base | series | upstream above its floor | series above its floor | target |
|---|---:|---:|---:|---:|---:|---|"
for r in "${rows[@]}"; do
	u=${val[stock.$r]:-missing} b=${val[base.$r]:-missing} s=${val[series.$r]:-missing}
	[ "$s" != missing ] || die "no '$r' figure from the series kernel; results: $(rel "$BUILD/results/bench-series-vhe.json")"
	floor=${val[series.floor]}
	above=$((s - floor)) uabove=n/a
	[[ ! $u =~ ^[0-9]+$ ]] || uabove=$((u - ${val[stock.floor]}))
	target=
	if [ -n "${budget[$r]:-}" ]; then
		target="at most upstream's"
		[ "$above" -le "${budget[$r]}" ] || fails+=("$r: $above instructions above the floor, upstream's $uabove")
	elif [ "$r" = set_vcpu_events_ext_dabt ]; then
		target="none (see below)"
	elif [ "$r" = mmio_round_trip ]; then
		target="within 0.5% of the base"
		awk -v s="$s" -v b="$b" 'BEGIN { exit !(s <= b * 1.005) }' ||
			fails+=("$r: $s instructions against the base's $b (over 0.5%)")
	fi
	[ "$r" = floor ] && above=0 uabove=0
	table+=$'\n'"| ${what[$r]} | $u | $b | $s | $uabove | $above | $target |"
done

# The hyp objects (the VHE ones and the whole nVHE one), text size in the
# two builds: those that changed, and by how much.
mapfile -t objs < <(cd "$BUILD/base/kvm-hyp" && find . -name '*.o' | sed 's#^\./##' | sort)
[ ${#objs[@]} -gt 1 ] || die "no hyp objects in build/base/kvm-hyp: run 'make kernel KERNEL=base'"
hyp="| hyp object | base text | series text | change |
|---|---:|---:|---:|"
changed=0
for o in "${objs[@]}"; do
	[ -f "$BUILD/series/kvm-hyp/$o" ] || die "no $o in $(rel "$BUILD/series/kvm-hyp")"
	read -r b s < <("${CROSS_COMPILE}size" "$BUILD/base/kvm-hyp/$o" "$BUILD/series/kvm-hyp/$o" |
		awk 'NR > 1 { printf "%s ", $1 } END { print "" }')
	[ "$b" != "$s" ] || continue
	hyp+=$'\n'"| \`$o\` | $b | $s | $((s - b)) |"
	changed=$((changed + 1))
done
ws="$changed of ${#objs[@]} hyp objects change size"

# Kernel text growth, by function.
"$BUILD/series-linux/scripts/bloat-o-meter" -t "$BUILD/base/vmlinux" "$BUILD/series/vmlinux" >"$out/bloat.txt"
growth=$(sed -n 's/.*up\/down: [0-9]*\/-*[0-9]* (\(-*[0-9]*\)).*/\1/p' "$out/bloat.txt")
[ -n "$growth" ] || die "could not read bloat-o-meter's total; see $(rel "$out")/bloat.txt"

report=$(
	cat <<EOF
# What the series costs

Measured by \`make bench\` on $(date -u +%Y-%m-%d): guest instructions per
operation under \`qemu-system-aarch64 -cpu max -smp 1 -icount shift=0,sleep=off\`
($("${QEMU[0]}" --version | head -n1)), one vcpu: the cheapest
of 10 blocks of 2000 calls (200 round trips), so that the timer tick does
not count. Kernels: the stock tree (upstream's own implementation), the
base (the stock tree without it) and the series, all
$(make -s -C "$BUILD/series-linux" kernelversion)
(Debian $version), built by $("${CROSS_COMPILE}gcc" --version | head -n1).
"Above its floor" subtracts the floor measured on the same kernel. The
targets for GET and the SErrors' SETs are what upstream's own
implementation costs above its floor, measured in the same run.

The SET that answers an access with an external data abort has no target:
upstream's 6.12 only leaves the abort pending for the next KVM_RUN, while
the series takes the exception before returning, as mainline does, on
the vcpu's saved registers (its exception code checks SYSREGS_ON_CPU, as
mainline's does). It is paid once per access the VMM cannot emulate, not
per exit. What every exit and entry runs is the MMIO round trip.

$table

Hyp code: $ws. The exception code that KVM runs when it enters an
exception on the vcpu's behalf is part of the objects below; the world
switch runs it only when an exception is pending.

$hyp

Kernel text growth (\`scripts/bloat-o-meter -t\`): $growth bytes.

\`\`\`
$(cat "$out/bloat.txt")
\`\`\`
EOF
)
mkdir -p "$BUILD/reports"
printf '%s\n' "$report" >"$BUILD/reports/bench.md"
printf '%s\n' "$table"
echo "hyp code: $ws"
echo "kernel text growth: $growth bytes"
echo "(report: build/reports/bench.md)"
if [ ${#fails[@]} -gt 0 ]; then
	printf 'missed: %s\n' "${fails[@]}" >&2
	die "bench: ${#fails[@]} target(s) missed"
fi
say "bench: every target met"
