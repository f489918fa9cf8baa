#!/usr/bin/env bash
# docs.sh: make docs. Copies what the last runs measured into the committed
# documents: the reports of the last clean make test and make test-debug
# (build/reports/test-series.md, test-debug.md) into docs/tested.md and the
# table of README.md, the last make bench's (build/reports/bench.md) into
# docs/benchmarks.md. Tests and benches never write outside build/ on
# their own; this is the only step that does, and only when asked.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

reports=$BUILD/reports
for r in test-series test-debug bench; do
	[ -f "$reports/$r.md" ] || die "no ${reports#"$TOP"/}/$r.md: run 'make ${r/test-series/test}' first"
done
for r in test-series test-debug; do
	grep -q '^<!-- kernel: [a-z]*; status: clean;' "$reports/$r.md" ||
		die "${reports#"$TOP"/}/$r.md is not from a clean run: $(head -n1 "$reports/$r.md")"
done

table=$(sed -n 2,3p "$reports/test-series.md"; sed -n '4,$p' "$reports/test-series.md"; sed -n '4,$p' "$reports/test-debug.md")
dates=$(sed -n 's/.*date: \([0-9-]*\).*/\1/p' "$reports/test-series.md" "$reports/test-debug.md" | sort -u | paste -sd' ')
cat >"$TOP/docs/tested.md" <<EOF
# What the last test runs covered

Copied by \`make docs\` from the reports of the last clean \`make test\` and
\`make test-debug\` ($dates; \`build/reports/\`, written by
\`scripts/tested.py\` from those runs' guest logs).

$table
EOF
python3 - "$TOP/README.md" "$table" <<'PY'
import sys
path, table = sys.argv[1], sys.argv[2]
text = open(path).read()
begin, end = "<!-- tested:begin -->", "<!-- tested:end -->"
if begin not in text or end not in text:
    sys.exit("docs.sh: README.md has no %s ... %s markers for the table" % (begin, end))
head, rest = text.split(begin, 1)
tail = rest.split(end, 1)[1]
open(path, "w").write(head + begin + "\n" + table + "\n" + end + tail)
PY
cp "$reports/bench.md" "$TOP/docs/benchmarks.md"
say "docs: README.md, docs/tested.md and docs/benchmarks.md hold the last clean runs' figures ($dates)"
