#!/usr/bin/env python3
"""cover.py NEW OLD DATE: fill in the cover letter git format-patch wrote.

NEW is the fresh cover letter (with git's "*** SUBJECT HERE ***" and
"*** BLURB HERE ***" placeholders, and a shortlog and diffstat of the series
as it is now); OLD the cover letter in patches/, if any. The subject and the
text written by hand are carried over from OLD; the Date is set to DATE, the
last patch's date, so that exporting twice changes nothing. NEW is rewritten
in place.
"""
import os
import re
import sys

cover, old, date = sys.argv[1], sys.argv[2], sys.argv[3]
new = open(cover).read()
subject, blurb = "*** SUBJECT HERE ***", "*** BLURB HERE ***"
if os.path.exists(old):
    o = open(old).read()
    subject = re.search(r"^Subject: \[PATCH[^\]]*\] (.*(?:\n[ \t].*)*)", o, re.M).group(1)
    lines = o[o.index("\n\n") + 2:].split("\n")
    # The blurb runs up to git's shortlog, which sits right above the
    # diffstat: groups of "Name (N):" each followed by indented subjects.
    i = next(n for n, l in enumerate(lines) if re.match(r"^ \S.* \| +\d+", l))
    end = i
    while True:
        j = end - 1
        while j >= 0 and (lines[j] == "" or lines[j].startswith("  ")):
            j -= 1
        if j >= 0 and re.match(r"^\S.* \(\d+\):$", lines[j]) and lines[j + 1].startswith("  "):
            end = j
        else:
            break
    blurb = "\n".join(lines[:end]).rstrip("\n")
new = new.replace("*** SUBJECT HERE ***", subject, 1)
new = new.replace("*** BLURB HERE ***", blurb, 1)
# Date the cover letter like the last patch, so an export is reproducible.
new = re.sub(r"^Date: .*$", "Date: " + date, new, count=1, flags=re.M)
open(cover, "w").write(new)
