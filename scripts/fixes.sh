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
#      else fails on either.
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
say "fixes: $(tail -n 1 "$LOGS/fixes-proof.log" | cut -d' ' -f2) cases prove the $(grep -c '^fix ' "$LOGS/fixes-proof.log") code fixes; all gates passed"
