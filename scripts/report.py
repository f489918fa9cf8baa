#!/usr/bin/env python3
"""report.py RESULT.json...: what test boots covered, as a markdown table.

One row per boot (results.py's JSON): the kernel (tree and role), the
configuration, the results, and the counts each case printed ("counts:"
lines), one column per case that printed any. make docs copies the table
of clean runs into README.md and docs/tested.md.
"""
import json
import sys

runs = [json.load(open(p)) for p in sys.argv[1:]]
counted = []
for r in runs:
    for p in r["programs"]:
        for c in p["cases"]:
            if c["counts"] and c["name"] not in counted:
                counted.append(c["name"])
print("| kernel | config | results | " + " | ".join(counted) + " |")
print("|---" * (3 + len(counted)) + "|")
for r in runs:
    counts = {c["name"]: c["counts"] for p in r["programs"] for c in p["cases"]}
    cells = [" ".join("%s=%s" % kv for kv in counts[n].items()) if counts.get(n) else "-" for n in counted]
    print("| %s %s | %s (-cpu %s) | %d passed, %d failed, %d skipped | %s |" % (
        r["tree"], r["kernel"], r["config"], r["cpu"], r["passed"], r["failed"], r["skipped"],
        " | ".join(cells)))
