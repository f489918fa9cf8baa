#!/usr/bin/env python3
"""tested.py LOGDIR README OUT: what the last test runs covered, as a table.

Reads the console logs make test and make test-debug leave in LOGDIR
(test-series-<config>.log, test-debug-<config>.log), takes the counts the
stress cases print (fuzz, interleave, psci_cpu_on_race, many_vcpus) and the
number of TAP results,
and writes a markdown table to OUT and between the markers
"<!-- tested:begin -->" and "<!-- tested:end -->" in README. A kernel whose
logs are missing is left out of the table; nothing is made up.
"""
import os
import re
import sys

logdir, readme, out = sys.argv[1:4]
CONFIGS = ["vhe", "nvhe", "nvhe-noras"]
KERNELS = [("series", "normal"), ("debug", "debug (KASAN, UBSAN, lockdep)")]

NUM = r"(\d+)"
PATTERNS = {
    "fuzz": re.compile(r"^# fuzz: %s SETs, %s accepted, %s rejected" % ((NUM,) * 3)),
    "seed": re.compile(r"^# fuzz: seed (0x[0-9a-f]+)"),
    "race": re.compile(r"^# interleave: %s SErrors made pending, %s taken, %s still pending" % ((NUM,) * 3)),
    "runs": re.compile(r"^# interleave: %s runs, %s kicks, %s GET\+SET pairs" % ((NUM,) * 3)),
    "psci": re.compile(r"^# psci_cpu_on_race: %s rounds: SET before CPU_ON %s, after %s" % ((NUM,) * 3)),
    "many": re.compile(r"^# many_vcpus: %s vcpus moved" % NUM),
}
TAP = re.compile(r"^(ok|not ok) \d+ ")


def scan(path):
    found = {"results": 0, "failed": 0}
    for line in open(path, errors="replace"):
        line = line.rstrip("\r\n")
        if TAP.match(line):
            found["results"] += 1
            found["failed"] += line.startswith("not ok")
        for key, pat in PATTERNS.items():
            m = pat.match(line)
            if m:
                found[key] = m.groups()
    return found


rows = []
for kernel, what in KERNELS:
    for config in CONFIGS:
        path = os.path.join(logdir, "test-%s-%s.log" % (kernel, config))
        if not os.path.exists(path):
            continue
        f = scan(path)
        fuzz = f.get("fuzz")
        race = f.get("race")
        runs = f.get("runs")
        rows.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            what, config,
            "%s (%s accepted, %s rejected; seed %s)" % (fuzz[0], fuzz[1], fuzz[2], f["seed"][0])
            if fuzz and "seed" in f else "not run",
            "%s pending, %s taken, %s left; %s runs, %s kicks, %s GET+SET" % (race + runs)
            if race and runs else "not run",
            "%s rounds: SET before %s, after %s" % f["psci"] if "psci" in f else "not run",
            "%s vcpus" % f["many"][0] if "many" in f else "not run",
            "%d (%d failed)" % (f["results"], f["failed"]),
            os.path.basename(path)))

if not rows:
    sys.exit("tested.py: no test logs in %s" % logdir)

table = "\n".join([
    "| kernel | config | fuzz: random SETs | interleave: SErrors | PSCI CPU_ON race | many vcpus | TAP results | log |",
    "|---|---|---|---|---|---|---|---|",
] + rows)
with open(out, "w") as fh:
    fh.write("# What the last test runs covered\n\n"
             "Written by `make test` and `make test-debug` from their guest logs "
             "(`build/logs/`); see `scripts/tested.py`.\n\n" + table + "\n")

text = open(readme).read()
begin, end = "<!-- tested:begin -->", "<!-- tested:end -->"
if begin in text and end in text:
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(readme, "w") as fh:
        fh.write(head + begin + "\n" + table + "\n" + end + tail)
print(table)
