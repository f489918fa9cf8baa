#!/usr/bin/env python3
"""proof.py PROOF PATCHES STOCK.json... -- FIXED.json...: the proof that
each code fix of a series (the patch folder PATCHES) fixes something.

PROOF (tests/TREE.proof) names, per fix, the results that prove it: a
test case, or a program without cases. The JSONs are results.py's, one
per configuration, for the tree's stock kernel and for its fixed kernel.
Each result named for a fix must fail on stock wherever it runs (one that
skips somewhere, for want of RAS say, is not counted there) and pass with
the fixes. No result may fail on stock unless it proves a fix or is listed
"stock CASE REASON" (fails on stock for a reason no fix is about), nor
with the fixes unless listed "differs CASE REASON" (expected to differ on
this tree), or "known CASE REASON" (both, alike: where the fixed kernel
fails it, stock fails it with the same detail). Every code fix (a patch
that touches arch/, virt/ or include/) has results, or an "unproven N
REASON" line that says why none can show it. CASE@CONFIG limits any of
them to one configuration; a result excused on a configuration with
"differs" proves nothing there. The fixed kernel must boot clean (no health problem in its
JSON: every program finished and reported, no splat), the stock one must
finish. Prints one line per fix and result, and last "PROOF <results that
prove a fix> <problems>"; exits non-zero on a problem.

proof.py --unexplained PROOF STOCK.json: what fails in one boot of the
stock kernel that PROOF accounts for neither as proving a fix nor as
excused, on one line (nothing if all is, or if that boot passes a
result PROOF names for a fix or knows to fail alike).

proof.py --no-worse BEFORE.json AFTER.json: the results that fail in
AFTER but not in BEFORE (what a patch made worse), and AFTER's health
problems; exits non-zero if any.
"""
import json
import os
import re
import sys


def results(path):
    """config, {case or program: "pass" | "fail" | "skip"}, {case or
    program: how it ended} and the health problems of one boot."""
    r = json.load(open(path))
    found, how = {}, {}
    for p in r["programs"]:
        for c in p["cases"]:
            found[c["name"]] = c["result"]
            how[c["name"]] = c.get("reason") or "not ok"
        if not p["cases"]:
            found[p["name"]] = {"pass": "pass", "skip": "skip"}.get(p["result"], "fail")
            how[p["name"]] = p["detail"] or p["result"]
    return r["config"], found, how, r["health"]


def excused(why, name, config):
    """Whether NAME is excused on CONFIG by WHY (a kind's lines)."""
    return name in why or "%s@%s" % (name, config) in why


def read_proof(path):
    """{fix: [results that prove it]}, {"stock" | "differs": {result:
    reason}}, the results known to fail alike, and {fix: why unproven}."""
    proves, why, known, unproven = {}, {"stock": {}, "differs": {}}, set(), {}
    for line in open(path):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] == "known":
            known.add(words[1])
        for kind in ("stock", "differs") if words[0] == "known" else (words[0],):
            if kind in why:
                why[kind][words[1]] = " ".join(words[2:])
        if words[0] == "unproven":
            unproven[int(words[1])] = " ".join(words[2:])
        elif words[0] not in ("stock", "differs", "known"):
            proves.setdefault(int(words[0]), []).extend(words[1:])
    return proves, why, known, unproven


def odd_fails(named, why, config, found):
    """The results one stock boot on CONFIG fails (FOUND, results()'s)
    that the proof neither names for a fix (NAMED) nor excuses there (WHY,
    read_proof()'s)."""
    return [c for c, v in sorted(found.items())
            if v == "fail" and c not in named and not excused(why["stock"], c, config)]


def odd_health(why, config, h):
    """Whether the health problem H of a stock boot on CONFIG is one the
    proof does not excuse there; a splat never is: a stock kernel's splat
    is its own business."""
    return "splat" not in h and not excused(why["stock"], h.split(":")[0], config)


def unexplained(proof_path, path):
    """What one stock boot (STOCK.json) fails that PROOF does not account
    for (odd_fails(), odd_health()): what proof.sh boots stock again for.
    Nothing if a result named for a fix, or known to fail alike, passes in
    that boot: the proof must judge the boot where it passed, not a second
    one where it may fail."""
    proves, why, known, _ = read_proof(proof_path)
    config, found, how, health = results(path)
    named = {c for cs in proves.values() for c in cs}
    if any(v == "pass" and (excused(known, c, config) or c in named and not
                            excused(why["differs"], c, config)) for c, v in found.items()):
        return []
    return (["%s (%s)" % (c, how[c]) for c in odd_fails(named, why, config, found)]
            + [h for h in health if odd_health(why, config, h)])


def main():
    args = sys.argv[1:]
    if args[0] == "--unexplained":
        print("; ".join(unexplained(args[1], args[2])))
        return
    if args[0] == "--no-worse":
        before, (_, after, _, health) = results(args[1])[1], results(args[2])
        worse = sorted(c for c, v in after.items() if v == "fail" and before.get(c) != "fail") + health
        for c in worse:
            print("newly failing: " + c)
        print("NO-WORSE %d" % len(worse))
        sys.exit(1 if worse else 0)
    proof_path, patches = args[0], args[1]
    sep = args.index("--")
    stock, fixed, problems, health = {}, {}, [], []
    details = {"stock": {}, "fixed": {}}
    proves, why, known, unproven = read_proof(proof_path)
    named = {c for cs in proves.values() for c in cs}
    for runs, paths, kind in ((stock, args[2:sep], "stock"), (fixed, args[sep + 1:], "fixed")):
        for path in paths:
            config, found, how, bad = results(path)
            runs[config], details[kind][config] = found, how
            health += [(kind, config, h) for h in bad]

    subjects, code = {}, set()
    for name in sorted(os.listdir(patches)):
        m = re.match(r"^(\d{4})-.*\.patch$", name)
        if m and m.group(1) != "0000":
            text = open(os.path.join(patches, name)).read()
            s = re.search(r"^Subject: \[PATCH[^\]]*\] (.*(?:\n[ \t].*)*)", text, re.M)
            subjects[int(m.group(1))] = re.sub(r"\s*\n\s+", " ", s.group(1)) if s else name
            if re.search(r"^diff --git a/(arch|virt|include)/", text, re.M):
                code.add(int(m.group(1)))
    for n in sorted(code - set(proves)):
        print("fix %d: %s" % (n, subjects[n]))
        print("  unproven: %s" % unproven.get(n, "PROBLEM: no result named for it"))
        if n not in unproven:
            problems.append("fix %d has no result in %s, nor an unproven line" % (n, proof_path))

    proved = 0
    for n in sorted(proves):
        print("fix %d: %s" % (n, subjects.get(n, "(no such patch in %s)" % patches)))
        if n not in subjects:
            problems.append("fix %d is not a patch of %s" % (n, patches))
        for case in proves[n]:
            ran = [c for c in sorted(stock) if stock[c].get(case) not in (None, "skip")
                   and "%s@%s" % (case, c) not in why["differs"]]
            bad = [c for c in ran if stock[c][case] != "fail"]
            unfixed = [c for c in sorted(fixed) if fixed[c].get(case) not in ("pass", "skip")
                       and "%s@%s" % (case, c) not in why["differs"]]
            if not ran:
                verdict = "PROBLEM: never ran on stock"
            elif bad:
                verdict = "PROBLEM: passes on stock (%s)" % " ".join(bad)
            elif unfixed:
                verdict = "PROBLEM: does not pass with the fixes (%s)" % " ".join(unfixed)
            else:
                verdict = "fails on stock, passes with the fixes (%s)" % " ".join(ran)
                proved += 1
            if verdict.startswith("PROBLEM"):
                problems.append("%s: %s" % (case, verdict[9:]))
            print("  %-58s %s" % (case, verdict))

    # Both kernels must finish, the fixed one boot clean. A program excused
    # on a configuration may break off early there ("NAME: ..." health
    # problems).
    for kind, config, h in health:
        name = h.split(":")[0]
        if kind == "stock":
            if odd_health(why, config, h):
                problems.append("the stock kernel on %s: %s" % (config, h))
            continue
        if excused(why["differs"], name, config):
            if excused(known, name, config) and ("stock", config, h) not in health:
                problems.append("%s on %s is known to fail alike on both kernels, but only the fixed "
                                "kernel's run says: %s" % (name, config, h))
            continue
        problems.append("the fixed kernel on %s: %s" % (config, h))

    # "known" means alike: where the fixed kernel fails a known result, the
    # stock kernel fails it the same way (a result that fails only with
    # the fixes, or differently, is the series' doing).
    for cfg in sorted(fixed):
        for name, result in sorted(fixed[cfg].items()):
            if result != "fail" or not excused(known, name, cfg):
                continue
            was, now = details["stock"].get(cfg, {}).get(name), details["fixed"][cfg][name]
            if stock.get(cfg, {}).get(name) != "fail" or was != now:
                problems.append("%s on %s is known to fail alike on both kernels, but fails with the "
                                "fixes (%s) where stock gives %s (%s)"
                                % (name, cfg, now, stock.get(cfg, {}).get(name, "no result"), was or "-"))

    odd = [("stock", cfg, case) for cfg in sorted(stock) for case in odd_fails(named, why, cfg, stock[cfg])]
    odd += [("fixed", cfg, case) for cfg in sorted(fixed) for case, result in sorted(fixed[cfg].items())
            if result == "fail" and not excused(why["differs"], case, cfg)]
    for k, cfg, case in odd:
        problems.append("%s fails on the %s kernel (%s: %s), and %s does not say why"
                        % (case, k, cfg, details[k][cfg][case], proof_path))
    for case, reason in sorted(set(why["stock"].items()) | set(why["differs"].items())):
        kinds = [k for k in ("stock", "differs") if why[k].get(case) == reason]
        print("%s: %s: %s" % ({("stock",): "fails on stock", ("differs",): "differs with the fixes"}
                               .get(tuple(kinds), "fails on both"), case, reason))
    if not stock or not fixed:
        problems.append("no results of %s" % ("the stock kernel" if not stock else "the fixed kernel"))
    elif set(stock) != set(fixed):
        problems.append("the kernels ran on different configurations: stock on %s, fixed on %s"
                        % (" ".join(sorted(stock)), " ".join(sorted(fixed))))
    for p in problems:
        print("PROBLEM: " + p)
    print("PROOF %d %d" % (proved, len(problems)))
    sys.exit(1 if problems else 0)


main()
