#!/usr/bin/env python3
"""fixes-proof.py PROOF FIXES STOCK-LOG... -- FIXED-LOG...: the proof that
each code fix of FIXES (the fixes/ directory) fixes something.

PROOF (tests/fixes.proof) names, per fix, the test cases that prove it,
and apart ("changes N CASE...") those that show an intended ABI change.
The logs are guest consoles of the same test list, one per configuration
of the matrix, on the stock kernel and on the stock kernel with the fixes.
Every case named for a fix must fail on stock wherever it runs (a case
that skips somewhere, for want of RAS say, is not counted there) and pass
with the fixes; no case may fail on stock unless it proves a fix, nor with
the fixes unless PROOF says why it differs. Prints one line per fix and
case, and last "PROOF <fix cases> <ABI change cases> <problems>", counting
the cases that prove what they are listed for; exits non-zero on a problem.

fixes-proof.py --no-worse BEFORE AFTER: the cases that fail in the log
AFTER but do not in the log BEFORE (what a patch made worse); exits
non-zero if there is one.
"""
import os
import re
import sys

TAP = re.compile(r"^(not ok|ok) \d+ (?:- )?(\S+)(.*)$")


def cases(path):
    """{case: "pass" | "fail" | "skip"} from one guest console."""
    found = {}
    for line in open(path, errors="replace"):
        m = TAP.match(line.rstrip("\r\n"))
        if m:
            skip = re.search(r"#\s*SKIP", m.group(3), re.I)
            found[m.group(2)] = "skip" if skip else ("pass" if m.group(1) == "ok" else "fail")
    return found


def config(path):
    return re.sub(r"^test-[a-z]+-|\.log$", "", os.path.basename(path))


args = sys.argv[1:]
if args[0] == "--no-worse":
    before, after = cases(args[1]), cases(args[2])
    worse = sorted(c for c, r in after.items() if r == "fail" and before.get(c) != "fail")
    for c in worse:
        print("newly failing: " + c)
    print("NO-WORSE %d" % len(worse))
    sys.exit(1 if worse else 0)
proof_path, fixes_dir = args[0], args[1]
sep = args.index("--")
stock = {config(p): cases(p) for p in args[2:sep]}
fixed = {config(p): cases(p) for p in args[sep + 1:]}

proves, changes, differs = {}, {}, {}
for line in open(proof_path):
    words = line.split()
    if not words or words[0].startswith("#"):
        continue
    if words[0] == "differs":
        differs[words[1]] = " ".join(words[2:])
    elif words[0] == "changes":
        changes.setdefault(int(words[1]), []).extend(words[2:])
    else:
        proves.setdefault(int(words[0]), []).extend(words[1:])

subjects = {}
for name in sorted(os.listdir(fixes_dir)):
    m = re.match(r"^(\d{4})-.*\.patch$", name)
    if m and m.group(1) != "0000":
        text = open(os.path.join(fixes_dir, name)).read()
        s = re.search(r"^Subject: \[PATCH[^\]]*\] (.*(?:\n[ \t].*)*)", text, re.M)
        subjects[int(m.group(1))] = re.sub(r"\s*\n\s+", " ", s.group(1)) if s else name

problems, proved, last = [], {"fix": 0, "ABI change": 0}, None
named = {c for table in (proves, changes) for cs in table.values() for c in cs}
for n, case, kind in sorted([(n, c, "fix") for n in proves for c in proves[n]] +
                            [(n, c, "ABI change") for n in changes for c in changes[n]],
                            key=lambda t: (t[0], t[2] != "fix")):
    if (n, kind) != last:
        what = "fix" if kind == "fix" else "intended ABI change by fix"
        print("%s %d: %s" % (what, n, subjects.get(n, "(no such patch in %s)" % fixes_dir)))
        last = (n, kind)
        if n not in subjects:
            problems.append("fix %d is not a patch of %s" % (n, fixes_dir))
    ran = [c for c in stock if stock[c].get(case) not in (None, "skip")]
    bad = [c for c in ran if stock[c][case] != "fail"]
    unfixed = [c for c in fixed if fixed[c].get(case) not in ("pass", "skip")]
    if not ran:
        verdict = "PROBLEM: never ran on stock"
    elif bad:
        verdict = "PROBLEM: passes on stock (%s)" % " ".join(bad)
    elif unfixed:
        verdict = "PROBLEM: does not pass with the fixes (%s)" % " ".join(unfixed)
    else:
        verdict = "fails on stock, passes with the fixes (%s)" % " ".join(ran)
        proved[kind] += 1
    if verdict.startswith("PROBLEM"):
        problems.append("%s: %s" % (case, verdict[9:]))
    print("  %-58s %s" % (case, verdict))

for cfg in sorted(stock):
    for case, result in sorted(stock[cfg].items()):
        if result == "fail" and case not in named:
            problems.append("%s fails on stock (%s) but proves no fix in %s" % (case, cfg, proof_path))
for cfg in sorted(fixed):
    for case, result in sorted(fixed[cfg].items()):
        if result == "fail" and case not in differs:
            problems.append("%s fails with the fixes (%s)" % (case, cfg))
for case, why in sorted(differs.items()):
    print("differs from the series: %s: %s" % (case, why))
if not stock or not fixed:
    problems.append("no logs of %s" % ("the stock kernel" if not stock else "the fixed kernel"))

for p in problems:
    print("PROBLEM: " + p)
print("PROOF %d %d %d" % (proved["fix"], proved["ABI change"], len(problems)))
sys.exit(1 if problems else 0)
