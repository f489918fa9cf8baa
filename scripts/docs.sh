#!/usr/bin/env bash
# docs.sh: make docs. Copies what the last runs measured into the committed
# documents: the results of the last clean make test and make test-debug
# (build/results/series-{fixed,debug}-*.json, as report.py tables them) and
# of the last make mainline whose proof held (mainline-fixed-*.json) into docs/tested.md and the
# table of README.md, the last make bench's report (build/reports/bench.md)
# into docs/benchmarks.md. Tests and benches never write outside build/ on
# their own; this is the only step that does, and only when asked.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
init_run

runs=()
for k in series-fixed series-debug mainline-fixed; do
	set -- "$BUILD/results/$k-"*.json
	[ -f "$1" ] || die "no results of $k in $(rel "$BUILD/results"): run its tests first"
	if [ "$k" = mainline-fixed ]; then
		# Some fail alike on stock 7.3.4 (tests/mainline.proof says
		# which): the proof of make mainline judges these very files.
		python3 "$TOP/scripts/proof.py" "$TOP/tests/mainline.proof" "$TOP/mainline" \
			"$BUILD/results/mainline-stock-"*.json -- "$@" >/dev/null ||
			die "the results in $(rel "$BUILD/results") do not prove mainline/'s fixes: run 'make mainline'"
	fi
	for r in "$@"; do
		why=$(python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
if "replayed" in r:
    print("judges a replayed console: run \x27make check\x27, which boots everything")
elif sys.argv[2] != "mainline-fixed" and r["failed"]:
    print("is not from a clean run")' "$r" "$k") || die "$(rel "$r") is not a result that can be read"
		[ -z "$why" ] || die "$(rel "$r") $why"
	done
	runs+=("$@")
done
[ -f "$BUILD/reports/bench.md" ] || die "no $(rel "$BUILD/reports/bench.md"): run 'make bench' first"

table=$(python3 "$TOP/scripts/report.py" "${runs[@]}")
dates=$(for r in "${runs[@]}"; do date -u -r "$r" +%F; done | sort -u | paste -sd' ')
cat >"$TOP/docs/tested.md" <<END
# What the last test runs covered

Copied by \`make docs\` from the results of the last clean \`make test\`,
\`make test-debug\` and \`make mainline\` ($dates; \`build/results/\`,
written by \`scripts/results.py\` from those runs' guest consoles, tabled
by \`scripts/report.py\`). The counts are what each stress case printed.

$table
END
python3 - "$TOP/README.md" "$table" <<'PY'
import sys
path, table = sys.argv[1], sys.argv[2]
text = open(path).read()
begin, end = "<!-- tested:begin -->", "<!-- tested:end -->"
if begin not in text or end not in text:
    sys.exit("docs.sh: README.md has no %s ... %s markers for the table" % (begin, end))
head, rest = text.split(begin, 1)
open(path, "w").write(head + begin + "\n" + table + "\n" + end + rest.split(end, 1)[1])
PY
cp "$BUILD/reports/bench.md" "$TOP/docs/benchmarks.md"
say "docs: README.md, docs/tested.md and docs/benchmarks.md hold the last clean runs' figures ($dates)"
