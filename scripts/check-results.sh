#!/usr/bin/env bash
# check-results.sh: the test judge (results.py) on crafted guest logs, each
# with the verdict it must reach. Proves the gate fails when it should:
# missing results, an unfinished boot, a kernel splat, a timeout, a short
# TAP plan.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
dir=$TOP/tests/results
bad=0
while read -r log want; do
	got=$(python3 "$TOP/scripts/results.py" "$dir/$log" "$dir/list" "$log" | tail -n1)
	if [ "$got" != "$want" ]; then
		echo "results.py on tests/results/$log: got '$got', expected '$want'"
		bad=1
	fi
done <"$dir/expected"
[ $bad -eq 0 ] || die "the test judge does not reach the expected verdicts"
say "results.py: $(wc -l <"$dir/expected") crafted logs judged as expected"
