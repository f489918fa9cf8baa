#!/usr/bin/env bash
# proof.sh TREE: make fixes, make mainline. A series of fixes (config/trees)
# on its stock tree, in its work tree build/TREE-linux:
#
#   1. the per-patch gates of make review (review.sh), which leave the
#      stock kernel in build/STOCK and each patch's in build/review-TREE/;
#   2. the fixed kernel in build/TREE, and the tree's selftests;
#   3. the tree's test lists on the QEMU matrix on both kernels: the stock
#      one fails where it is wrong, the fixed one where the tree keeps a
#      behaviour of its own (6.12's timing of the external abort); a stock
#      boot that fails for no reason the proof gives boots again;
#   4. the proof (proof.py): the results tests/TREE.proof names for each
#      code fix fail on stock and pass with the fixes, nothing else fails
#      on either unless that file says why, and the fixed kernel boots
#      clean;
#   5. no patch makes anything worse: the kernel of each code patch but
#      the last, on vhe, fails nothing the kernel before it passes, in
#      the programs flagged core (the whole lists ran on the fixed kernel
#      on the QEMU 7.2 rows; a break outside core that a later patch
#      mends is not seen).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
init_run
tree_vars "${1:?usage: proof.sh TREE}"
proof=$TOP/tests/$TREE.proof
[ -f "$proof" ] || die "no $(rel "$proof"): what proves the fixes of $TREE"

bash "$TOP/scripts/tree.sh" "$TREE" --keep-work
bash "$TOP/scripts/review.sh" "$TREE"
bash "$TOP/scripts/kernel.sh" "$TREE" --reuse "$BUILD/review-$TREE"
bash "$TOP/scripts/kernel.sh" "$STOCK"

# Stock fails, by design: its tables go to a log, its results to the proof.
# The results judged below are this run's: none of an earlier one is left.
rm -f "$BUILD/results/$TREE-"*.json "$LOGS/$TREE-stock-"*.first.*
say "$TREE: the stock kernel on the matrix (failures expected; table in $(rel "$LOGS/$TREE-stock.log"))"
bash "$TOP/scripts/test.sh" "$STOCK" >"$LOGS/$TREE-stock.log" 2>&1 || true
grep -E '^==> boot' "$LOGS/$TREE-stock.log" | sed 's/^==> //; s/^/    /'
tail -n 1 "$LOGS/$TREE-stock.log" | sed 's/^/    stock: /'
# ran_to_end LOG: test.sh got to its closing "N passed" line.
ran_to_end() {
	tail -n 1 "$1" | grep -qE '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' ||
		die "test.sh stopped before its end; log: $(rel "$1")"
}
ran_to_end "$LOGS/$TREE-stock.log"
stock=("$BUILD/results/$TREE-stock-"*.json)
# Stock is the baseline, not what is proven: a boot of it that fails, or
# does not finish, for no reason tests/TREE.proof gives boots once more,
# and the proof judges the second boot (why: commit 0f0eee3). Not when
# the first passes a result named for a fix: the proof fails on that.
# The first boot is kept as .first. The fixed kernel and the prefixes
# boot once: a failure there may be the series' doing.
again=()
for json in "${stock[@]}"; do
	odd=$(python3 "$TOP/scripts/proof.py" --unexplained "$proof" "$json") ||
		die "proof.py cannot judge $(rel "$json")"
	[ -n "$odd" ] || continue
	config=$(basename "$json" .json) && config=${config#"$TREE-stock-"}
	first=$LOGS/$TREE-stock-$config.first
	mv "$LOGS/$TREE-stock-$config.log" "$first.log"
	sed "s|$TREE-stock-$config\.log|${first##*/}.log|" "$json" >"$first.json"
	rm "$json"
	printf '    stock on %s: %s; %s does not say why, so it boots again (first boot: %s)\n' \
		"$config" "$odd" "$(rel "$proof")" "$(rel "$first.log")"
	REBOOT=1 CONFIGS=$config bash "$TOP/scripts/test.sh" "$STOCK" >>"$LOGS/$TREE-stock.log" 2>&1 || true
	ran_to_end "$LOGS/$TREE-stock.log"
	odd=$(python3 "$TOP/scripts/proof.py" --unexplained "$proof" "$json") ||
		die "proof.py cannot judge $(rel "$json")"
	[ -z "$odd" ] || die "stock on $config, booted again: $odd; $(rel "$proof") does not say why;" \
		"log: $(rel "$LOGS/$TREE-stock-$config.log")"
	printf '    stock on %s, booted again: nothing fails that %s does not account for\n' \
		"$config" "$(rel "$proof")"
	again+=("$config")
done
if grep -L '"finished": true' "${stock[@]}" | grep -q .; then
	die "the stock kernel did not finish its tests; see $(rel "$LOGS/$TREE-stock.log")"
fi
# The fixed kernel may differ where tests/TREE.proof says why: the proof
# judges it.
say "$TREE: the fixed kernel on the matrix"
bash "$TOP/scripts/test.sh" "$TREE" | tee "$LOGS/$TREE-fixed.log" || true
ran_to_end "$LOGS/$TREE-fixed.log"

say "$TREE: what each fix is proven by"
python3 "$TOP/scripts/proof.py" "$proof" "$PATCHES" "${stock[@]}" -- "$BUILD/results/$TREE-fixed-"*.json \
	>"$LOGS/$TREE-proof.log" || {
	cat "$LOGS/$TREE-proof.log"
	die "$TREE: the proof does not hold; log: $(rel "$LOGS/$TREE-proof.log")"
}
sed '$d' "$LOGS/$TREE-proof.log"

# Every prefix of the code fixes, on vhe, with the programs flagged core
# (those that exercise what the fixes change): no patch fails what the
# tree before it passed.
mapfile -t code < <(git -C "$WORK" rev-list --reverse "$BASE_REF..HEAD" -- arch virt include)
prev=$BUILD/results/$TREE-stock-vhe.json
for ((i = 1; i < ${#code[@]}; i++)); do
	# The kernel make review built for that patch.
	image=$BUILD/review-$TREE/${code[i - 1]}/Image
	{ [ -f "$image" ] && [ "$(cat "${image%Image}.source" 2>/dev/null)" = "$(built_from_rev "$REPO" "${code[i - 1]}")" ]; } ||
		die "make review left no kernel of patch $i in $(rel "${image%/Image}")"
	TREE=$TREE ROLE=prefix-$i CONFIGS=vhe PROGRAMS=core bash "$TOP/scripts/test.sh" "$image" \
		>"$LOGS/$TREE-prefix-$i.log" 2>&1 || true
	ran_to_end "$LOGS/$TREE-prefix-$i.log"
	now=$BUILD/results/$TREE-prefix-$i-vhe.json
	if ! python3 "$TOP/scripts/proof.py" --no-worse "$prev" "$now" >"$LOGS/$TREE-prefix-$i.worse"; then
		sed '$d; s/^/    /' "$LOGS/$TREE-prefix-$i.worse"
		die "$TREE: patch $i ($(git -C "$WORK" log -1 --format=%s "${code[i - 1]}")) makes the results above fail; log: $(rel "$LOGS/$TREE-prefix-$i-vhe.log")"
	fi
	printf '    after code patch %d of %d: %s results of the core programs fail on vhe, none that passed before\n' "$i" "${#code[@]}" \
		"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["failed"])' "$now")"
	prev=$now
done
say "$TREE: $(tail -n 1 "$LOGS/$TREE-proof.log" | cut -d' ' -f2) results prove the $(grep -c '^fix ' "$LOGS/$TREE-proof.log") code fixes; all gates passed${again[*]:+ (stock booted twice on ${again[*]}: see above)}"
