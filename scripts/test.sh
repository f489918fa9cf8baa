#!/usr/bin/env bash
# test.sh [KERNEL]: boot KERNEL (a kernel's name, see kernel_vars in lib.sh,
# or the path of an Image; default: the series) under QEMU on each
# configuration of config/qemu that names its tree, run its selftests inside
# (the programs of the tree's LISTS), and judge every boot: its console is
# build/logs/TREE-ROLE-CONFIG.log, its results build/results/TREE-ROLE-
# CONFIG.json (results.py). Ends with "N passed, N failed, N skipped";
# non-zero exit on any failed or missing result, timeout, kernel splat or
# KVM mode other than the configuration's.
#
#   TREE=name         whose selftests run with an Image given by path
#                     (default series); ROLE=... names that kernel in the
#                     results (default custom)
#   CONFIGS="vhe ..." configurations to run (default: config/qemu's rows
#                     that name the tree, or TREE-debug for its debug kernel)
#   LISTS="a b"       test lists to run (default: the tree's)
#   PROGRAMS=FLAG     run only the programs the lists flag FLAG on every
#                     configuration ("all": every one; default: each
#                     configuration's PROGRAMS in config/qemu)
#   BOOT_TIMEOUT=s    bound on one boot (default: enough for every
#                     program of the list to hit its own bound, see below)
#   TIMEOUT_SCALE=n   multiply every per-test and per-boot bound by n
#   APPEND="..."      more kernel command line; NAME=VALUE words reach the
#                     tests as environment (VCPU_EVENTS_FUZZ_SEED=0x...);
#                     test_lanes=1 runs one program at a time
#   REBOOT=1          boot every time (make check does): else a boot that
#                     repeats a clean one of the last week is replayed, its
#                     console judged again (boot_and_judge in lib.sh)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
init_run

want=${1:-series}
if [ -f "$want" ]; then
	image=$(realpath "$want") tree=${TREE:-series} role=${ROLE:-custom}
elif [[ $want == */* ]]; then
	die "no kernel at $want: kernels are build/<name>/Image (the series' is build/series/Image), or give a name: $(names trees) and their stock and debug kernels"
else
	kernel_vars "$want"
	image=$BUILD/$KERNEL/Image tree=$TREE role=$ROLE
	[ -f "$image" ] || die "no $(rel "$image"): run 'make kernel KERNEL=$want'"
fi
bash "$TOP/scripts/selftests.sh" "$tree"
tree_vars "$tree"
selftests=$BUILD/$tree/selftests
scale=${TIMEOUT_SCALE:-1}
by=$tree
[ "$role" != debug ] || by=$tree-debug
read -ra configs <<<"${CONFIGS:-$(awk -v t="$by" '!/^#/ && NF && index("," $5 ",", "," t ",") { print $1 }' "$TOP/config/qemu" | paste -sd' ')}"
[ ${#configs[@]} -gt 0 ] || die "no row of config/qemu names $by (column trees): give CONFIGS="
read -ra lists <<<"${LISTS:-$(tr , ' ' <<<"$TREE_LISTS")}"

list=$BUILD/$tree/test-$role.list
(cd "$TOP/tests" && cat "${lists[@]#tests/}") | grep -v '^\s*\(#\|$\)' |
	awk -v k="$scale" '{ $2 *= k; print }' >"$list"

# programs FLAG: the list of the programs a boot runs with test_only=FLAG
# (guest/init), for results.py; the whole list for "all".
programs() {
	[ "$1" != all ] || { echo "$list"; return; }
	local l=${list%.list}-$1.list
	awk -v f="$1" 'index("," $3 ",", "," f ",")' "$list" >"$l"
	[ -s "$l" ] || die "no program of ${lists[*]} is flagged $1"
	echo "$l"
}
# The guest kills a program at its own bound and goes on (guest/init): the
# boot's bound leaves room for that, so that a hung program is named in
# the table and the guest's dmesg is kept. Programs share two lanes, so
# they take at most half their bounds plus the longest one, programs that
# run alone all of theirs; and a minute to boot and power off.
boot_timeout() {
	if [ -n "${BOOT_TIMEOUT:-}" ]; then
		echo $((BOOT_TIMEOUT * scale))
	else
		awk -v k="$scale" '$3 ~ /(^|,)alone(,|$)/ { a += $2; next }
			{ s += $2; if ($2 > m) m = $2 } END { print int(a + s / 2 + m + 60 * k) }' "$1"
	fi
}
initrd=$BUILD/$tree/test-$role.cpio.gz
step "$LOGS/initramfs-$tree-$role.log" "pack $(wc -l <"$list") test programs into an initramfs" \
	bash "$TOP/scripts/initramfs.sh" "$selftests" "$list" "$initrd"

for config in "${configs[@]}"; do
	row qemu "$config"
	[ -z "${ROW[qemu]}" ] || bash "$TOP/scripts/userland.sh" "${ROW[qemu]}"
done
pass=0 fail=0 skip=0 replays=0 KEEP_BOOTS=1 REUSE_BOOTS=0
mkdir -p "$BUILD/boots"
find "$BUILD/boots" -name '*.log' -mtime +6 -delete
[ "${REBOOT:-0}" = 1 ] || REUSE_BOOTS=1
for config in "${configs[@]}"; do
	row qemu "$config"
	printf '==> boot %s (%s kernel of %s) on %s (-cpu %s%s) ... ' "$(rel "$image")" "$role" "$tree" \
		"$config" "${ROW[cpu]}" "${ROW[append]:+, ${ROW[append]}}"
	slower=${ROW[slower]} only=${PROGRAMS:-${ROW[programs]}}
	run=$(programs "$only") extra=
	[ "$only" = all ] || extra=" test_only=$only"
	[ "$only" = all ] || printf '(%s programs flagged %s) ' "$(wc -l <"$run")" "$only"
	boot_and_judge "$tree" "$role" "$config" "$run" "$image" "$initrd" \
		"test_timeout_scale=$slower$extra${APPEND:+ $APPEND}" $(($(boot_timeout "$run") * slower))
	echo "$VERDICT"
	[ "$FAILED" -eq 0 ] || echo "  log: $(rel "$LOGS/$tree-$role-$config.log"); results: $(rel "$RESULT")"
	pass=$((pass + PASSED)) fail=$((fail + FAILED)) skip=$((skip + SKIPPED))
	[ -z "$REPLAYED" ] || replays=$((replays + 1))
done
[ $replays -eq 0 ] || echo "($replays of ${#configs[@]} boots replayed; REBOOT=1 boots them)"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
