#!/usr/bin/env bash
# check-tested.sh: the report generator (tested.py) on crafted guest logs
# in tests/tested/, against the report it must write: counts taken from
# the logs, "not run" for what a log does not show.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
dir=$TOP/tests/tested
out=$(mktemp)
trap 'rm -f "$out"' EXIT
TESTED_DATE=2026-01-02 python3 "$TOP/scripts/tested.py" "$out" series "1 failed" \
	"$dir/test-series-vhe.log" "$dir/test-series-nvhe-noras.log" >/dev/null
diff -u "$dir/expected.md" "$out" || die "tested.py does not write the expected report"
say "tested.py: the report of crafted logs as expected"
