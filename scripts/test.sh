#!/usr/bin/env bash
# test.sh: boot KERNEL (default build/Image) under qemu-system-aarch64 on
# each configuration of the matrix, run the listed selftests inside, and
# judge every boot's console log (kept in build/logs/). Ends with
# "N passed, N failed"; non-zero exit on any failed or missing result,
# timeout or kernel splat.
#
#   KERNEL=...        kernel Image to boot
#   CONFIGS="vhe ..." subset of the matrix to run
#   BOOT_TIMEOUT=s    bound on one boot (default 240)
#   LISTS="a b"       test lists to run (default tests/regression.list
#                     tests/series.list)
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
# is NAME (base, ...), anything else is "custom".
case $kernel in
"$BUILD"/Image) label=series ;;
"$BUILD"/*/Image) label=$(basename "$(dirname "$kernel")") ;;
*) label=custom ;;
esac
selftests=${SELFTESTS:-$BUILD/selftests}
scale=${TIMEOUT_SCALE:-1}
boot_timeout=$((${BOOT_TIMEOUT:-240} * scale))

# The matrix: name, QEMU -cpu, extra kernel command line.
matrix=(
	"vhe|max|"
	"nvhe|max|kvm-arm.mode=nvhe"
	"nvhe-noras|cortex-a57|"
)

list=$BUILD/test.list
read -ra lists <<<"${LISTS:-tests/regression.list tests/series.list}"
(cd "$TOP" && cat "${lists[@]}") | grep -v '^\s*\(#\|$\)' |
	awk -v k="$scale" '{ $2 *= k; print }' >"$list"
initrd=$BUILD/test-initramfs.cpio.gz
step "$LOGS/initramfs.log" "pack $(wc -l <"$list") test programs into an initramfs" \
	bash "$TOP/scripts/initramfs.sh" "$selftests" "$list" "$initrd"

total_pass=0 total_fail=0 total_skip=0
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
done

# A clean run of the series or debug kernel on the whole matrix updates
# the "what we tested" table (docs/tested.md and the README's copy).
if [ "$total_fail" -eq 0 ] && { [ "$label" = series ] || [ "$label" = debug ]; } &&
	[ -z "${CONFIGS:-}" ] && [ -z "${LISTS:-}" ]; then
	python3 "$TOP/scripts/tested.py" "$LOGS" "$TOP/README.md" "$TOP/docs/tested.md" >/dev/null
fi
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
