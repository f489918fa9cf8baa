#!/usr/bin/env bash
# check-cover.sh: cover.py on a crafted cover letter (a folded subject, a
# line ending like git's "Name (N):" shortlog header, indented text) must
# carry the hand-written parts over exactly, as tests/cover/expected.patch.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
dir=$TOP/tests/cover
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
cp "$dir/new.patch" "$tmp"
python3 "$TOP/scripts/cover.py" "$tmp" "$dir/old.patch" "Fri, 2 Jan 2026 00:00:00 +0000"
diff -u "$dir/expected.patch" "$tmp" >&2 ||
	die "cover.py does not carry the cover letter over as tests/cover/expected.patch"
say "cover.py: the crafted cover letter is carried over exactly"
