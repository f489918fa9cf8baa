#!/usr/bin/env python3
"""hypdiff.py OBJDUMP BASE-DIR SERIES-DIR DIFF: the KVM hyp code of two
builds, compared function by function (make bench).

BASE-DIR and SERIES-DIR hold the same hyp objects (kvm-hyp/ of each
build): the VHE objects and the nVHE hyp linked into kvm_nvhe.o. Each
function's disassembly is compared with addresses left out, so that code
moving as a whole does not count as a change. The functions of
hyp/exception.c (exception.o, exception.nvhe.o, and their copies in
kvm_nvhe.o) are the exception entry code, which only runs when an
exception is pending; they are reported apart. Every other function is
the world switch and must be identical.

Writes the differences to DIFF, prints three lines, "world switch: ...",
"exception entry code ..." and "exception functions: NAME...", and exits
non-zero if the world switch differs.
"""
import difflib
import os
import re
import subprocess
import sys

objdump, base_dir, series_dir, diff_path = sys.argv[1:5]
HEADER = re.compile(r"^[0-9a-f]+ <(.+)>:$")
INSN = re.compile(r"^\s*[0-9a-f]+:\t(.*)$")
ADDR = re.compile(r"\b[0-9a-f]+ (<[^>]+>)")
EXCEPTION_OBJS = ("exception.o", "exception.nvhe.o")


def functions(path):
    """{name: [normalised instructions]} of one object."""
    out = subprocess.run([objdump, "-d", "--no-show-raw-insn", path], check=True,
                         capture_output=True, text=True).stdout
    funcs, cur = {}, None
    for line in out.splitlines():
        m = HEADER.match(line)
        if m:
            cur = funcs.setdefault(m.group(1), [])
            continue
        m = INSN.match(line)
        if m and cur is not None:
            cur.append(ADDR.sub(r"\1", m.group(1)).strip())
    return funcs


objs = sorted(os.path.relpath(os.path.join(d, f), base_dir)
              for d, _, files in os.walk(base_dir) for f in files if f.endswith(".o"))
if len(objs) < 2:
    sys.exit("hypdiff.py: no hyp objects in %s" % base_dir)

exception_funcs = set()
for o in objs:
    if os.path.basename(o) in EXCEPTION_OBJS:
        for d in (base_dir, series_dir):
            names = functions(os.path.join(d, o))
            exception_funcs.update(names)
            exception_funcs.update("__kvm_nvhe_" + n for n in names)

switch_changed, exc_changed, exc_total = [], 0, 0
with open(diff_path, "w") as diff:
    for o in objs:
        base = functions(os.path.join(base_dir, o))
        series = functions(os.path.join(series_dir, o))
        for name in sorted(set(base) | set(series)):
            a, b = base.get(name, []), series.get(name, [])
            if name in exception_funcs:
                exc_total += len(b)
            if a == b:
                continue
            lines = list(difflib.unified_diff(a, b, "base/%s:%s" % (o, name),
                                              "series/%s:%s" % (o, name), lineterm=""))
            diff.write("\n".join(lines) + "\n")
            changed = sum(1 for ln in lines[2:] if ln[:1] in "+-")
            if name in exception_funcs:
                exc_changed += changed
            else:
                switch_changed.append("%s:%s" % (o, name))

if switch_changed:
    print("world switch: DIFFERENT in %d functions (%s), see %s"
          % (len(switch_changed), " ".join(switch_changed[:5]), diff_path))
else:
    print("world switch: identical (%d objects: the VHE hyp objects and kvm_nvhe.o, "
          "function by function)" % len(objs))
print("exception entry code (hyp/exception.c, runs only with an exception pending): "
      "%d instruction lines changed, of %d" % (exc_changed, exc_total))
print("exception functions: " + " ".join(sorted(exception_funcs)))
sys.exit(1 if switch_changed else 0)
