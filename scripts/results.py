#!/usr/bin/env python3
"""results.py LOG LIST JSON [KEY=VALUE...]: the one reader of guest consoles.

LOG is the console of one boot, whose guest ran the programs of LIST
("name timeout [flags]" per line) with guest/init, which prints KTAP as
the kselftest runner does: each program's output prefixed with "# ",
then "ok N selftests: kvm: NAME" (or "not ok", "# SKIP", "# TIMEOUT ...",
"# exit=N"), and "# Totals: ..." once every program has finished. A
program's own KTAP ("1..N" and "ok N CASE" lines) gives one result per
case. Its counts are lines "# counts: KEY=VALUE ..." (or "counts: ..."
from a program without KTAP): those before a case's result line belong
to that case, the others to the program.

Writes JSON: the KEY=VALUE pairs (tree, kernel, config, cpu, ras, kvm,
qemu_rc: who booted where; replayed: the date of the boot whose console
this is, when it was not booted again), whether the guest finished, each program with
its result, time, counts, output and cases, the kernel splats, and the
verdict: "passed", "failed", "skipped", the "problems" behind each
failure, and apart those of them ("health") that no program's or case's
result shows: a boot that never finished, a splat, QEMU's end, a program
that never reported, or reported fewer cases than planned. Prints the verdict as a table and, last, "RESULT <passed>
<failed> <skipped>".

A failure is: a failed or missing result (a program that never printed
one, fewer cases than its plan), a timeout, an exit status other than 0
or 4 (KSFT_SKIP), a kernel splat anywhere in the log, a guest that never
printed its totals, QEMU ending other than normally, a kernel log
(guest/init's "# dmesg:") in which KVM reports a mode other than kvm=MODE
("kvm [1]: Hyp nVHE mode initialized successfully" is "nvhe", "Protected
hVHE" is "protected-hvhe"), or none. A program flagged
"ours" in LIST may not skip on a kernel other than a stock one, neither
as a whole nor any case, but for a case that needs RAS (its reason starts
with "no RAS") on a configuration without: there the skip is a failure,
with the reason the program gave (the capability it missed).
"""
import json
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
                   r"Unable to handle kernel|Internal error:|hyp panic")
KLINE = re.compile(r"\[\s*\d+\.\d{6}\]")
# The name may be left out: kselftest's ksft_test_result_skip() prints
# "ok 2 # SKIP why". The reason names such a case then, or its number.
RESULT = re.compile(r"^(not ok|ok) (\d+)(?: (?:- )?(.*?))??(?:\s+#\s*(SKIP|TIMEOUT|TODO|XFAIL|exit=\d+)\b\s*(.*))?$")
PROGRAM = re.compile(r"^selftests: kvm: (\S+)$")
COUNTS = re.compile(r"^(?:# )?counts: ((?:\S+=\S+ ?)+)$")
KVM_MODE = re.compile(r"kvm \[\d+\]: (?:Hyp )?(.*) mode initialized successfully")


def kvm_mode(lines):
    """The mode KVM reported in guest/init's copy of the kernel log, "none"
    if it reported none, None where the console holds no such copy."""
    if "# dmesg:" not in lines:
        return None
    start = len(lines) - 1 - lines[::-1].index("# dmesg:")
    modes = [m.group(1) for m in map(KVM_MODE.search, lines[start:]) if m]
    return modes[0].lower().replace(" ", "-") if modes else "none"


def parse(lines):
    """The programs of one console, by name, and whether it finished."""
    programs, cur, finished, booted = {}, None, False, None
    for line in lines:
        if line.startswith("# booted: "):
            booted = line[10:]
        if line.startswith("# Totals: ") and cur is None:
            finished = True
        m = RESULT.match(line)
        prog = m and PROGRAM.match(m.group(3) or "")
        if prog:
            name = prog.group(1)
            p = programs.setdefault(name, new_program(name))
            p.update(number=int(m.group(2)), ok=m.group(1) == "ok", directive=m.group(4) or "",
                     printed=True)
            cur = None
            continue
        m = re.match(r"^# selftests: kvm: (\S+)$", line)
        if m:
            cur = programs.setdefault(m.group(1), new_program(m.group(1)))
            continue
        if cur is not None and line.startswith("#"):
            out = line[2:] if line.startswith("# ") else line[1:]
            cur["output"].append(out)
    for p in programs.values():
        read_program(p)
    return programs, finished, booted


def new_program(name):
    return {"name": name, "output": [], "cases": [], "counts": {}, "printed": False, "plan": None}


def read_program(p):
    pending = {}
    for out in p["output"]:
        m = re.match(r"^runtime: ([\d.]+)$", out)
        if m:
            p["secs"] = float(m.group(1))
        m = COUNTS.match(out)
        if m:
            pending.update(dict(kv.split("=", 1) for kv in m.group(1).split()))
            continue
        m = re.match(r"^1\.\.(\d+)(?:\s+#\s*SKIP\s*(.*))?", out)
        if m:
            p["plan"] = int(m.group(1))
            if m.group(2) is not None:
                p["skip_reason"] = m.group(2).strip()
            continue
        m = RESULT.match(out)
        if m:
            directive = (m.group(4) or "").upper()
            p["cases"].append({"name": m.group(3) or (m.group(5) or "").strip() or "case " + m.group(2),
                               "result": "skip" if directive == "SKIP" else
                               ("pass" if m.group(1) == "ok" else "fail"),
                               "reason": (m.group(5) or "").strip(), "counts": pending})
            pending = {}
    p["counts"].update(pending)


def judge(p, flags, stock, ras):
    """Result, detail and problems of one program."""
    if not p.get("printed"):
        return "missing", "never printed its result", [("health", "%s: no result" % p["name"])]
    d = p["directive"]
    if d.startswith("TIMEOUT"):
        return "timeout", "killed at its bound", [("result", "%s: timeout" % p["name"])]
    plan, cases = p["plan"], p["cases"]
    ours = "ours" in flags and not stock
    if not plan:
        if d == "SKIP" or (plan == 0 and p["ok"]):
            reason = p.get("skip_reason") or next(
                (o for o in p["output"] if "SKIP" in o or "not met" in o), "no reason given")
            if ours:
                return "fail", "skipped as a whole: " + reason, [
                    ("result", "%s: skipped as a whole on a kernel of ours: %s" % (p["name"], reason))]
            return "skip", reason, []
        return ("pass", "", []) if p["ok"] else ("fail", d, [("result", "%s: %s" % (p["name"], d))])
    probs = [("result", "%s: %s failed" % (p["name"], c["name"])) for c in cases if c["result"] == "fail"]
    if ours:
        for c in cases:
            if c["result"] == "skip" and (ras or not c["reason"].startswith("no RAS")):
                c["result"] = "fail"
                probs.append(("result", "%s: %s skipped%s: %s" % (
                    p["name"], c["name"], " on a configuration with RAS" if ras else "", c["reason"])))
    if len(cases) < plan:
        probs.append(("health", "%s: %d of %d cases never reported" % (p["name"], plan - len(cases), plan)))
    if not p["ok"] and not any(c["result"] == "fail" for c in cases):
        probs.append(("health", "%s: %s after its cases" % (p["name"], d or "failed")))
    n = {r: sum(c["result"] == r for c in cases) for r in ("pass", "fail", "skip")}
    detail = "%d/%d cases passed" % (n["pass"], plan) + (", %d skipped" % n["skip"] if n["skip"] else "")
    return ("fail" if probs else "skip" if not n["pass"] else "pass"), detail, probs


def main():
    log_path, list_path, out_path = sys.argv[1:4]
    info = dict(a.split("=", 1) for a in sys.argv[4:])
    stock, ras = info.get("kernel") == "stock", info.get("ras") == "yes"
    lines = [l.rstrip("\r") for l in open(log_path, errors="replace").read().splitlines()]
    programs, finished, booted = parse(lines)
    listed = [l.split() for l in open(list_path) if l.strip() and not l.lstrip().startswith("#")]
    splats = [l.strip() for l in lines if KLINE.search(l) and SPLAT.search(l)]

    res = dict(info, log=log_path, booted=booted, finished=finished, splats=splats, programs=[],
               passed=0, failed=0, skipped=0, problems=[], health=[])
    rows = []
    for words in listed:
        name, flags = words[0], (words[2].split(",") if len(words) > 2 else [])
        p = programs.get(name, new_program(name))
        result, detail, probs = judge(p, flags, stock, ras)
        p.update(result=result, detail=detail, flags=flags)
        res["programs"].append(p)
        res["problems"] += [text for _, text in probs]
        res["health"] += [text for kind, text in probs if kind == "health"]
        secs = " (%.1fs)" % p["secs"] if "secs" in p else ""
        rows.append((name, result.upper(), detail + secs))
        if p["cases"]:
            for c in p["cases"]:
                res["passed"] += c["result"] == "pass"
                res["skipped"] += c["result"] == "skip"
            rows += [("  " + text.split(": ", 1)[1], "FAIL", "") for _, text in probs]
        else:
            res["passed"] += result == "pass"
            res["skipped"] += result == "skip"
    if not finished:
        res["health"].append("the guest never finished: timeout, hang or crash")
        res["problems"].append(res["health"][-1])
        rows.append(("(boot)", "FAIL", res["problems"][-1]))
    if splats:
        res["health"].append("%d kernel splat line(s), first: %s" % (len(splats), splats[0][:100]))
        res["problems"].append(res["health"][-1])
        rows.append(("(kernel log)", "FAIL", res["problems"][-1] + "; decode in the kernel tree with: "
                     "scripts/decode_stacktrace.sh %s < %s" % (info.get("vmlinux", "VMLINUX"), log_path)))
    mode = kvm_mode(lines)
    if mode is not None and info.get("kvm") and mode != info["kvm"]:
        res["health"].append("KVM runs in mode %s, not %s as configuration %s asks"
                             % (mode, info["kvm"], info.get("config", "?")))
        res["problems"].append(res["health"][-1])
        rows.append(("(kvm mode)", "FAIL", res["problems"][-1]))
    if any(l.strip() == "# holdvm: no VM held" for l in lines):
        res["health"].append("the guest held no VM for the boot (guest/holdvm failed)")
        res["problems"].append(res["health"][-1])
        rows.append(("(holdvm)", "FAIL", res["problems"][-1]))
    if info.get("qemu_rc", "0") != "0":
        tail = " / ".join(l for l in lines[-3:] if l.strip())
        res["health"].append("qemu exited %s; the log ends with: %s" % (info["qemu_rc"], tail))
        res["problems"].append(res["health"][-1])
        rows.append(("(qemu)", "FAIL", res["problems"][-1]))
    res["failed"] = len(res["problems"])
    json.dump(res, open(out_path, "w"), indent=1)

    width = max(len(r[0]) for r in rows) if rows else 10
    print("--- %s ---%s" % ("/".join(info.get(k, "?") for k in ("tree", "kernel", "config")),
                            " (console replayed from %s)" % info["replayed"] if "replayed" in info else ""))
    for name, status, detail in rows:
        print("  %-*s  %-8s %s" % (width, name, status, detail))
    print("RESULT %d %d %d" % (res["passed"], res["failed"], res["skipped"]))


main()
