#!/usr/bin/env bash
# fixes.sh: make fixes. The stable fixes in fixes/, on the stock tree
# (Debian's source with upstream's own implementation of the vcpu events,
# tag 'stock'), in the work tree build/fixes-linux:
#
#   1. the per-patch gates of make review (review.sh), which leave the
#      stock kernel in build/stock and the last patch's in build/review-fixes;
#   2. the fixed kernel in build/fixes, and the selftests of the fixes;
#   3. tests/fixes.list on the QEMU matrix on both kernels: the stock one
#      fails where upstream is wrong, the fixed one must pass;
#   4. the proof (fixes-proof.py): the cases tests/fixes.proof names for
#      each code fix fail on stock and pass with the fixes, and nothing
#      else fails on either;
#   5. no patch makes anything worse: the kernel of each code patch but
#      the last, on vhe, fails no case the kernel before it passes.
#
# The test the fixes carry must be the series' own vcpu_events_test, so
# that upstream's implementation with the fixes passes the series' tests
# case for case.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
export SERIES=fixes
series_vars fixes

bash "$TOP/scripts/tree.sh" --keep-work
test_file=tools/testing/selftests/kvm/aarch64/vcpu_events_test.c
[ "$(git -C "$WORK" rev-parse "HEAD:$test_file" 2>/dev/null)" = "$(git -C "$TREE" rev-parse "HEAD:$test_file" 2>/dev/null)" ] ||
	die "fixes/ and patches/ carry different $test_file: the fixes must be tested with the series' own test"
say "fixes: they carry the series' own vcpu_events_test"

bash "$TOP/scripts/review.sh"
REUSE=$BUILD/review-fixes bash "$TOP/scripts/kernel.sh" "$WORK" "$BUILD/fixes" fixes
bash "$TOP/scripts/selftests.sh" "$WORK" "$BUILD/fixes-selftests" fixes-selftests

# Stock fails, by design: its tables go to a log, its cases to the proof.
export LISTS=tests/fixes.list SELFTESTS=$BUILD/fixes-selftests
say "fixes: the stock kernel on the matrix (failures expected; table in ${LOGS#"$TOP"/}/fixes-stock.log)"
KERNEL=$BUILD/stock/Image bash "$TOP/scripts/test.sh" >"$LOGS/fixes-stock.log" 2>&1 || true
grep -E '^==> boot' "$LOGS/fixes-stock.log" | sed 's/^==> //; s/^/    /'
tail -n 1 "$LOGS/fixes-stock.log" | sed 's/^/    stock: /'
for log in "$LOGS"/test-stock-*.log; do
	grep -q '^@@@ DONE' "$log" || die "the stock kernel did not finish its tests; log: ${log#"$TOP"/}"
done
KERNEL=$BUILD/fixes/Image bash "$TOP/scripts/test.sh"

say "fixes: what each fix is proven by"
python3 "$TOP/scripts/fixes-proof.py" "$TOP/tests/fixes.proof" "$PATCHES" \
	"$LOGS"/test-stock-*.log -- "$LOGS"/test-fixes-*.log >"$LOGS/fixes-proof.log" || {
	cat "$LOGS/fixes-proof.log"
	die "fixes: the proof does not hold; log: ${LOGS#"$TOP"/}/fixes-proof.log"
}
sed '$d' "$LOGS/fixes-proof.log"

# Every prefix of the code fixes, on vhe: no patch fails a case the tree
# before it passed (a reset dropping a pending SError, for one, must not
# come before GET and SET perform an owed reset).
mapfile -t code < <(git -C "$WORK" rev-list --reverse "$BASE_REF..HEAD" -- arch virt include)
prev=$LOGS/test-stock-vhe.log
for ((i = 0; i < ${#code[@]} - 1; i++)); do
	git -C "$BUILD/review-fixes-linux" checkout -q --detach "${code[$i]}"
	bash "$TOP/scripts/kernel.sh" "$BUILD/review-fixes-linux" "$BUILD/prefix" "prefix-$((i + 1))" >/dev/null
	KERNEL=$BUILD/prefix/Image CONFIGS=vhe bash "$TOP/scripts/test.sh" >"$LOGS/fixes-prefix-$((i + 1)).log" 2>&1 || true
	cp "$LOGS/test-prefix-vhe.log" "$LOGS/test-prefix-$((i + 1))-vhe.log"
	if ! python3 "$TOP/scripts/fixes-proof.py" --no-worse "$prev" "$LOGS/test-prefix-$((i + 1))-vhe.log" \
		>"$LOGS/fixes-prefix-$((i + 1)).worse"; then
		sed '$d; s/^/    /' "$LOGS/fixes-prefix-$((i + 1)).worse"
		die "fixes: patch $((i + 1)) ($(git -C "$WORK" log -1 --format=%s "${code[$i]}")) makes the cases above fail; log: ${LOGS#"$TOP"/}/test-prefix-$((i + 1))-vhe.log"
	fi
	printf '    after patch %d of %d: %s of the vhe cases fail, none that passed before\n' "$((i + 1))" "${#code[@]}" \
		"$(grep -c '^not ok' "$LOGS/test-prefix-$((i + 1))-vhe.log")"
	prev=$LOGS/test-prefix-$((i + 1))-vhe.log
done
read -r _ fix_cases abi_cases _ < <(tail -n 1 "$LOGS/fixes-proof.log")
say "fixes: $fix_cases case results prove the $(grep -c '^fix ' "$LOGS/fixes-proof.log") code fixes, $abi_cases the intended ABI change; all gates passed"
