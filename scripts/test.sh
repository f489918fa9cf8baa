#!/usr/bin/env bash
# test.sh: boot KERNEL (default build/Image) under qemu-system-aarch64 on
# each configuration of the matrix, run the listed selftests inside, and
# judge every boot's console log (kept in build/logs/). Ends with
# "N passed, N failed"; non-zero exit on any failed or missing result,
# timeout or kernel splat. What the run covered (the stress cases' counts)
# is written to build/reports/test-<kernel>.md, from this run's logs only.
#
#   KERNEL=...        kernel Image to boot
#   CONFIGS="vhe ..." subset of the matrix to run
#   LISTS="a b"       test lists to run (default tests/regression.list
#                     tests/series.list)
#   BOOT_TIMEOUT=s    bound on one boot (default: enough for every
#                     program of the list to hit its own bound, see below)
#   TIMEOUT_SCALE=n   multiply every per-test and per-boot bound by n
#                     (default 1; make test-debug uses 4)
#   APPEND="..."      more kernel command line; NAME=VALUE words reach the
#                     tests as environment (VCPU_EVENTS_FUZZ_SEED=0x...);
#                     test_lanes=1 runs one program at a time (the
#                     default is one per CPU, see scripts/guest-init)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${KERNEL:-$BUILD/Image}
[ -f "$kernel" ] || die "no kernel at $kernel: run 'make kernel' (or 'make base-kernel')"
kernel=$(cd "$(dirname "$kernel")" && pwd)/$(basename "$kernel")
# Logs are named after the kernel: build/Image is the series, build/NAME/Image
# is NAME (base, debug, stock, fixes...), anything else is "custom".
case $kernel in
"$BUILD"/Image) label=series ;;
"$BUILD"/*/Image) label=$(basename "$(dirname "$kernel")") ;;
*) label=custom ;;
esac
selftests=${SELFTESTS:-$BUILD/selftests}
scale=${TIMEOUT_SCALE:-1}

# The matrix: name, QEMU -cpu, extra kernel command line.
matrix=(
	"vhe|max|"
	"nvhe|max|kvm-arm.mode=nvhe"
	"nvhe-noras|cortex-a57|"
)

list=$BUILD/test-$label.list
read -ra lists <<<"${LISTS:-tests/regression.list tests/series.list}"
(cd "$TOP" && cat "${lists[@]}") | grep -v '^\s*\(#\|$\)' |
	awk -v k="$scale" '{ $2 *= k; print }' >"$list"
# The guest kills a program at its own bound and goes on (scripts/guest-init):
# the boot's bound leaves room for that, so that a hung program is named in
# the table and the guest's dmesg is kept. Programs share two lanes, so
# they take at most half their bounds plus the longest one, programs that
# run alone all of theirs; and a minute to boot and power off.
if [ -n "${BOOT_TIMEOUT:-}" ]; then
	boot_timeout=$((BOOT_TIMEOUT * scale))
else
	boot_timeout=$(awk -v k="$scale" '$3 == "alone" { a += $2; next }
		{ s += $2; if ($2 > m) m = $2 } END { print int(a + s / 2 + m + 60 * k) }' "$list")
fi
initrd=$BUILD/test-$label.cpio.gz
step "$LOGS/initramfs-$label.log" "pack $(wc -l <"$list") test programs into an initramfs" \
	bash "$TOP/scripts/initramfs.sh" "$selftests" "$list" "$initrd"

total_pass=0 total_fail=0 total_skip=0 logs=()
for row in "${matrix[@]}"; do
	IFS='|' read -r name qcpu append <<<"$row"
	case " ${CONFIGS:-vhe nvhe nvhe-noras} " in *" $name "*) ;; *) continue ;; esac
	log=$LOGS/test-$label-$name.log
	printf '==> boot %s kernel on %s (-cpu %s%s) ... ' "$label" "$name" "$qcpu" "${append:+, $append}"
	boot_and_judge "$log" "$list" "$label/$name" "$kernel" "$initrd" "$qcpu" \
		"$append${APPEND:+ $APPEND}" "$boot_timeout"
	echo "$VERDICT"
	[ "$FAILED" -eq 0 ] || echo "  log: ${log#"$TOP"/}"
	total_pass=$((total_pass + PASSED)) total_fail=$((total_fail + FAILED)) total_skip=$((total_skip + SKIPPED))
	logs+=("$log")
done

# What this run covered, from its own logs: make docs copies the reports of
# clean runs into README.md and docs/.
mkdir -p "$BUILD/reports"
report=$BUILD/reports/test-$label.md
python3 "$TOP/scripts/tested.py" "$report" "$label" \
	"$([ "$total_fail" -eq 0 ] && echo clean || echo "$total_fail failed")" "${logs[@]}" >/dev/null
echo "$total_pass passed, $total_fail failed, $total_skip skipped (report: ${report#"$TOP"/})"
[ "$total_fail" -eq 0 ]
