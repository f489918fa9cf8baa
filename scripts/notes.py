#!/usr/bin/env python3
"""notes.py PATCH: print the changelog of a patch, as `git format-patch
--notes` wrote it below the patch's "---" line ("Notes:" and an indented
block, up to the diffstat), without the indentation. Prints nothing for a
patch without one. tree.sh puts it back on the commit as a git note, so
that `make tree` and `make export` carry it round unchanged.
"""
import re
import sys

lines = open(sys.argv[1]).read().split("\n")
sep = lines.index("---") if "---" in lines else len(lines)
notes, inside = [], False
for line in lines[sep + 1:]:
    if not inside:
        if line == "Notes:":
            inside = True
        elif line.strip():
            break
        continue
    # The diffstat (" path | n +-") or the diff itself ends the block.
    if re.match(r"^ \S.* \| +\d+|^ \d+ files? changed|^diff --git ", line):
        break
    notes.append(line[4:] if line.startswith("    ") else line.strip())
print("\n".join(notes).strip("\n"))
