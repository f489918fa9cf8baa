#!/usr/bin/env bash
# tests/harness/run.sh: the harness's own tests, on crafted input (make
# lint). Each must reach what it is expected to, or the run fails:
#  - results.py, the judge, on the consoles in logs/ (expected: a skip
#    without a name, a missing or unfinished result, a splat, a timeout,
#    a short plan, a program of ours skipped on our kernel, a hyp panic
#    at boot, KVM in another mode than the configuration's or in none, a
#    guest that held no VM);
#  - the kernel's own tools/testing/kunit/kunit.py parse on the same
#    consoles: the guest prints what CI systems read (KTAP), and a
#    recorded real boot (logs/recorded.log: the fixed 7.3.4 kernel on vhe,
#    all programs of tests/mainline.list) parses with nothing failed;
#  - report.py on the JSON of logs/pass.log, against report.md;
#  - proof.py --unexplained on the JSONs of two of them;
#  - cover.py on a crafted cover letter, against cover/expected.patch;
#  - every row of config/ complete (lib.sh's row stops on a missing field);
#  - every link of README.md and docs/ into the checkout names a file;
#  - initramfs.sh makes the same bytes of the same files twice, and
#    boot_key (which boots are replayed) changes with one byte of the
#    kernel, of the initramfs or of QEMU, and with one word of the command.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
fail() { echo "FAILED: $*" >&2; bad=$((bad + 1)); }

kunit=$(find "$BUILD/src" -maxdepth 5 -path '*/tools/testing/kunit/kunit.py' 2>/dev/null | sort | tail -n 1)
[ -n "$kunit" ] || die "no kernel source in $(rel "$BUILD")/src for kunit.py: run 'make source' first"
n=0
while read -r log role ras kunit_want want; do
	case $log in '#'* | '') continue ;; esac
	n=$((n + 1))
	got=$(python3 "$TOP/scripts/results.py" "$here/logs/$log" "$here/list" "$tmp/$log.json" \
		tree=t "kernel=$role" config=c cpu=max "ras=$ras" kvm=vhe | tail -n 1)
	[ "$got" = "$want" ] || fail "results.py on logs/$log ($role): got '$got', expected '$want'"
	kunit_got=pass
	python3 "$kunit" parse --summary "$here/logs/$log" >"$tmp/kunit" 2>&1 || kunit_got=fail
	[ "$kunit_got" = "$kunit_want" ] ||
		fail "kunit.py parse on logs/$log: $kunit_got, expected $kunit_want ($(tail -n 1 "$tmp/kunit"))"
done <"$here/expected"
say "results.py and kunit.py parse: $n crafted consoles judged as expected"

python3 "$kunit" parse --summary "$here/logs/recorded.log" >"$tmp/kunit" 2>&1 ||
	fail "kunit.py parse does not pass the recorded boot logs/recorded.log: $(tail -n 1 "$tmp/kunit")"
say "kunit.py parse: the recorded boot $(sed -n 's/.*Testing complete\. //p' "$tmp/kunit")"

python3 "$TOP/scripts/report.py" "$tmp/pass.log.json" >"$tmp/report.md"
diff -u "$here/report.md" "$tmp/report.md" || fail "report.py does not write report.md"
say "report.py: the report of a crafted boot as expected"

# proof.py --unexplained, what proof.sh boots stock again for: a stock
# boot's failure that the proof neither names for a fix nor excuses, and
# nothing where the boot passes a result named for a fix.
for log in timeout unfinished; do
	python3 "$TOP/scripts/results.py" "$here/logs/$log.log" "$here/list" "$tmp/stock-$log.json" \
		tree=t kernel=stock config=c cpu=max ras=yes kvm=vhe >/dev/null
done
while IFS='|' read -r proof log want; do
	printf '%b' "$proof" >"$tmp/proof"
	got=$(python3 "$TOP/scripts/proof.py" --unexplained "$tmp/proof" "$tmp/stock-$log.json")
	[ "$got" = "$want" ] || fail "proof.py --unexplained, $log.log, proof '$proof': got '$got', expected '$want'"
done <<'EOF'
|timeout|prog/a (killed at its bound)
stock prog/a@c why\n|timeout|
1 prog/a\n|timeout|
|unfinished|prog/b (never printed its result); prog/b: no result; the guest never finished: timeout, hang or crash
stock prog/b why\n|unfinished|the guest never finished: timeout, hang or crash
1 x.one\n|unfinished|
EOF
say "proof.py --unexplained: what boots stock again, on crafted results"

cp "$here/cover/new.patch" "$tmp/cover"
python3 "$TOP/scripts/cover.py" "$tmp/cover" "$here/cover/old.patch" "Fri, 2 Jan 2026 00:00:00 +0000"
diff -u "$here/cover/expected.patch" "$tmp/cover" || fail "cover.py does not carry the cover letter over"
say "cover.py: the crafted cover letter is carried over exactly"

for table in sources trees qemu userlands; do
	for name in $(names "$table"); do (row "$table" "$name") || fail "config/$table: row $name"; done
done
say "config/: every row of sources, trees, qemu and userlands complete"
# A link within the checkout (no scheme) must name a file of it: patch
# files are renamed when a series changes.
for md in "$TOP"/README.md "$TOP"/docs/*.md; do
	while read -r link; do
		[ -e "$(dirname "$md")/$link" ] || fail "$(rel "$md") links to $link, which is not in the checkout"
	done < <(grep -oE '\]\([^):#]+[)#]' "$md" | sed 's/^..//; s/.$//')
done
say "README.md, docs/: every link into the checkout names a file of it"
mkdir -p "$tmp/progs/arm64"
printf '#!/bin/sh\n' >"$tmp/progs/arm64/t" && chmod 755 "$tmp/progs/arm64/t"
echo "arm64/t 10" >"$tmp/list"
for i in 1 2; do
	bash "$TOP/scripts/initramfs.sh" "$tmp/progs" "$tmp/list" "$tmp/initrd$i"
	touch "$tmp/progs/arm64/t"
done
cmp -s "$tmp/initrd1" "$tmp/initrd2" || fail "initramfs.sh packs the same files into different bytes"
echo kernel >"$tmp/Image" && echo qemu >"$tmp/qemu" && echo pkgs >"$tmp/pkgs"
QEMU_EXE=$tmp/qemu QEMU_PKGS=$tmp/pkgs QEMU=(qemu -append "a b")
keys=$(boot_key "$tmp/Image" "$tmp/initrd1" 60)
keys+=" $(boot_key "$tmp/Image" "$tmp/initrd1" 61)"
QEMU=(qemu -append "a c") && keys+=" $(boot_key "$tmp/Image" "$tmp/initrd1" 60)"
echo >>"$tmp/Image" && keys+=" $(boot_key "$tmp/Image" "$tmp/initrd1" 60)"
echo >>"$tmp/initrd1" && keys+=" $(boot_key "$tmp/Image" "$tmp/initrd1" 60)"
echo >>"$tmp/qemu" && keys+=" $(boot_key "$tmp/Image" "$tmp/initrd1" 60)"
[ "$(tr ' ' '\n' <<<"$keys" | sort -u | wc -l)" -eq 6 ] || fail "boot_key misses a change: $keys"
say "initramfs.sh packs reproducibly; boot_key follows kernel, initramfs, QEMU and command"
[ $bad -eq 0 ] || die "$bad harness check(s) failed"
