#!/usr/bin/env python3
"""results.py LOG LIST CONFIG: judge one QEMU boot of the test matrix.

LOG is the guest console, LIST the programs that had to run ("name timeout
[alone]" per line). The guest runs several programs at a time and prints
"@@@ START name" when one starts, then its whole output between "@@@ RUN
name" and "@@@ END name rc=..." when it has finished. A program whose
output carries a TAP plan ("1..N") contributes one result per test case and
must report all N of them; any other program contributes one result from
its exit status (0 pass, 4 = KSFT_SKIP skip).
A program that never finished, a boot that never reached the end, or a
kernel splat anywhere in the log is a failure.

Prints a table and, last, "RESULT <passed> <failed> <skipped>".
"""
import re
import sys

# Lockdep's reports open with "WARNING:" or "BUG:" lines; the rest are
# its other ways of saying it found (or gave up on) something. Its boot
# banner ("RCU lockdep checking is enabled.") is not a splat.
SPLAT = re.compile(r"BUG:|WARNING:|Oops|KASAN|UBSAN|Call trace:|Kernel panic|"
                   r"possible circular locking|possible recursive locking|"
                   r"inconsistent lock state|suspicious RCU usage|DEBUG_LOCKS_WARN_ON|"
                   r"lockdep is turned off|turning off the locking correctness validator|"
                   r"INFO: task .* blocked|rcu_(sched|preempt) detected stall|"
                   r"Unable to handle kernel|Internal error:")
KLINE = re.compile(r"\[\s*\d+\.\d{6}\]")
TAP = re.compile(r"^(not ok|ok) (\d+)( - )?(.*?)(\s+#\s*(SKIP|skip|Skip|XFAIL|TODO)\b.*)?$")

log_path, list_path, config = sys.argv[1:4]
lines = open(log_path, errors="replace").read().splitlines()
expected = [l.split()[0] for l in open(list_path) if l.strip() and not l.startswith("#")]

runs, cur, done = {}, None, False
splats = []
for line in lines:
    line = line.rstrip("\r")
    if KLINE.search(line) and SPLAT.search(line):
        splats.append(line.strip())
    m = re.match(r"^@@@ START (\S+)", line)
    if m:
        runs.setdefault(m.group(1), {"out": [], "rc": None})
        continue
    m = re.match(r"^@@@ RUN (\S+)", line)
    if m:
        cur = m.group(1)
        runs[cur] = {"out": [], "rc": None}
        continue
    m = re.match(r"^@@@ END (\S+) rc=(\d+)(?: start=([\d.]+) end=([\d.]+))?", line)
    if m and m.group(1) in runs:
        runs[m.group(1)]["rc"] = int(m.group(2))
        if m.group(3):
            runs[m.group(1)]["secs"] = float(m.group(4)) - float(m.group(3))
        cur = None
        continue
    if line.startswith("@@@ DONE"):
        done = True
    if cur:
        runs[cur]["out"].append(line)

rows, passed, failed, skipped = [], 0, 0, 0
for name in expected:
    r = runs.get(name)
    if r is None or r["rc"] is None:
        rows.append((name, "MISSING", "never started") if r is None else
                    (name, "UNFINISHED", "started, never printed its result"))
        failed += 1
        continue
    rc = r["rc"]
    took = " (%.1fs)" % r["secs"] if "secs" in r else ""
    plan, cases = None, []
    for l in r["out"]:
        m = re.match(r"^1\.\.(\d+)", l)
        if m:
            plan = int(m.group(1))
        m = TAP.match(l)
        if m:
            cases.append((m.group(1) == "ok", m.group(6) is not None and m.group(6).upper() == "SKIP",
                          m.group(4)))
    if rc == 137:
        rows.append((name, "TIMEOUT", "killed by the in-guest timeout"))
        failed += 1
        continue
    if plan is None or plan == 0:
        status = {0: "PASS", 4: "SKIP"}.get(rc, "FAIL")
        rows.append((name, status, ("" if rc in (0, 4) else "exit %d" % rc) + took))
        passed += status == "PASS"
        skipped += status == "SKIP"
        failed += status == "FAIL"
        continue
    p = sum(1 for ok, sk, _ in cases if ok and not sk)
    s = sum(1 for ok, sk, _ in cases if sk)
    f = sum(1 for ok, sk, _ in cases if not ok and not sk)
    missing = max(plan - len(cases), 0)
    bad_rc = rc not in (0, 4) and f == 0
    passed, skipped = passed + p, skipped + s
    failed += f + missing + bad_rc
    detail = "%d/%d cases passed" % (p, plan)
    if s:
        detail += ", %d skipped" % s
    if missing:
        detail += ", %d MISSING" % missing
    if bad_rc:
        detail += ", exit %d" % rc
    detail += took
    status = "FAIL" if f or missing or bad_rc else ("SKIP" if p == 0 else "PASS")
    rows.append((name, status, detail))
    for ok, sk, desc in cases:
        if not ok and not sk:
            rows.append(("  " + desc, "FAIL", ""))

if not done:
    rows.append(("(boot)", "FAIL", "the guest never finished: timeout, hang or crash"))
    failed += 1
if splats:
    rows.append(("(kernel log)", "FAIL", "%d splat line(s), first: %s" % (len(splats), splats[0][:90])))
    failed += 1

width = max(len(r[0]) for r in rows) if rows else 10
print("--- %s ---" % config)
for name, status, detail in rows:
    print("  %-*s  %-10s %s" % (width, name, status, detail))
print("RESULT %d %d %d" % (passed, failed, skipped))
