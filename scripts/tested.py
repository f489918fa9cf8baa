#!/usr/bin/env python3
"""tested.py OUT KERNEL STATUS LOG...: what one test run covered, as a
markdown report.

The LOGs are the guest consoles of one run of scripts/test.sh, one per
configuration of the matrix (build/logs/test-<kernel>-<config>.log);
KERNEL names the kernel (series, debug, ...) and STATUS says how the run
ended ("clean", or how many results failed). The report holds one table
row per log: the counts vcpu_events_test's stress cases print (fuzz,
interleave, psci_cpu_on_race, many_vcpus), and the number of TAP results.
A count a log does not show is "not run"; nothing is made up. make docs
copies the rows of clean reports into README.md and docs/tested.md.
"""
import datetime
import os
import re
import sys

KERNELS = {"series": "normal", "debug": "debug (KASAN, UBSAN, lockdep)"}
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
HEADER = ("| kernel | config | fuzz: random SETs | interleave: SErrors | PSCI CPU_ON race "
          "| many vcpus | TAP results | log |\n|---|---|---|---|---|---|---|---|")


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


def row(kernel, path):
    f = scan(path)
    config = re.sub(r"^test-%s-|\.log$" % re.escape(kernel), "", os.path.basename(path))
    fuzz, race, runs = f.get("fuzz"), f.get("race"), f.get("runs")
    return "| %s | %s | %s | %s | %s | %s | %s | %s |" % (
        KERNELS.get(kernel, kernel), config,
        "%s (%s accepted, %s rejected; seed %s)" % (fuzz + (f["seed"][0],))
        if fuzz and "seed" in f else "not run",
        "%s pending, %s taken, %s left; %s runs, %s kicks, %s GET+SET" % (race + runs)
        if race and runs else "not run",
        "%s rounds: SET before %s, after %s" % f["psci"] if "psci" in f else "not run",
        "%s vcpus" % f["many"][0] if "many" in f else "not run",
        "%d (%d failed)" % (f["results"], f["failed"]),
        os.path.basename(path))


def main():
    out, kernel, status = sys.argv[1:4]
    logs = sys.argv[4:]
    if not logs:
        sys.exit("tested.py: no logs")
    date = os.environ.get("TESTED_DATE") or datetime.date.today().isoformat()
    rows = [row(kernel, p) for p in logs]
    with open(out, "w") as fh:
        fh.write("<!-- kernel: %s; status: %s; date: %s -->\n" % (kernel, status, date))
        fh.write(HEADER + "\n" + "\n".join(rows) + "\n")
    print("\n".join(rows))


main()
