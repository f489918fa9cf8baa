#!/usr/bin/env bash
# review.sh TREE: the maintainer's gates, patch by patch on top of the
# tree's base, in the work tree build/review-TREE-linux (the tree's own
# work tree is not touched), with the tree's own scripts:
#
#   checkpatch  scripts/checkpatch.pl --strict: no errors, warnings or checks
#               (a new file must be covered by MAINTAINERS instead of
#               raising checkpatch's "does MAINTAINERS need updating?")
#   build       the kernel builds with the patch applied
#   sparse/W=1  no new C=2 sparse or W=1 warnings, compared with the base, in
#               the kernel .c files the series touches
#   selftests   if the patch touches them, the KVM selftests build, with no
#               compiler warnings in the files it touches
#   htmldocs    if the patch touches Documentation/, SPHINXDIRS=virt htmldocs
#               reports no warning the base does not
#
# Prints one line per patch and gate; fails if any gate fails. The
# baseline kernel is left in build/STOCK (the tree's stock kernel, e.g.
# build/base), each patch's in build/review-TREE/COMMIT, where a later
# review, make test and the proofs find it built.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
init_run
tree_vars "${1:?usage: review.sh TREE}"
sfx=-$TREE
src=$BUILD/review$sfx-linux
wt=$(rel "$src")
rlogs=$LOGS/review$sfx
baseline=$BUILD/$STOCK
rm -rf "$rlogs"
mkdir -p "$rlogs" "$BUILD/review$sfx"
mapfile -t commits < <(git -C "$WORK" rev-list --reverse "$BASE_REF..HEAD")
[ ${#commits[@]} -gt 0 ] || { say "review: no patches on top of $BASE_REF"; exit 0; }
# Kernels of commits no longer in the series go.
for d in "$BUILD/review$sfx"/* "$BUILD/review$sfx"/.source; do
	[ ! -e "$d" ] || [[ " ${commits[*]} " == *" ${d##*/} "* ]] || rm -rf "$d"
done

# Kernel C files the series touches: the sparse/W=1 set for every patch.
mapfile -t cfiles < <(git -C "$WORK" diff --name-only "$BASE_REF" HEAD -- '*.c' ':!tools/' ':!Documentation/' ':!samples/')

# The sparse the tree needs: the host's, or a newer userland's.
check=sparse
if [ -n "$SPARSE" ]; then
	bash "$TOP/scripts/userland.sh" "$SPARSE"
	check=$(userland_cmd "$SPARSE" /usr/bin/sparse)
fi

# warnings OUT FILE...: C=2 and W=1 diagnostics in FILE and in the headers
# it includes, with line and column numbers dropped so that moved code
# compares equal. (Objects make rebuilds on the way, such as the vDSO, are
# not FILE's business.) A kernel that finds the checker unusable says so
# and builds without it: that is a failure, not "no warnings".
warnings() {
	local out=$1 f log objs=() files=()
	shift
	for f in "$@"; do
		[ -f "$src/$f" ] || continue
		objs+=("${f%.c}.o") files+=("$f")
	done
	: >"$out"
	[ ${#objs[@]} -gt 0 ] || return 0
	# Compiled again, so that W=1 reports on every file however the
	# objects were left; -k, so that each file is checked whatever an
	# earlier one said. Its status is not the verdict: sparse fails a file
	# it reports an error in, and the base has some; errors, the compiler's
	# too, are lines compared like the warnings.
	(cd "$src/obj" && rm -f "${objs[@]}")
	log=$(make -k -C "$src" O=obj CC="$(kcc)" CHECK="$check" C=2 W=1 "${objs[@]}" 2>&1) || true
	if grep -q 'is not available or not up to date' <<<"$log"; then
		echo "sparse ($check) is not usable for this tree" >&2
		return 1
	fi
	grep -E '(warning|error):' <<<"$log" |
		sed -E 's#^(\.\./)+##; s#:[0-9]+:[0-9]+:#:#; s#:[0-9]+:#:#' |
		grep -E "^($(IFS='|'; echo "${files[*]}")|[^:]*\.h):" | sort >"$out" || true
}
docs() {
	debian_python make -C "$src" O=obj SPHINXDIRS=virt htmldocs >"$1.log" 2>&1 || return 1
	grep -E 'WARNING|ERROR' "$1.log" | sed -E 's#^(\.\./)+##; s#:[0-9]+:#:#; s#/work/[^ ]*/Documentation#Documentation#' |
		sort >"$1" || true
}

worktree "$REPO" "$src" "$BASE_REF"
say "review: baseline on the $BASE_REF tree"
# Left in build/STOCK, where make kernel KERNEL=STOCK (and so make bench
# and the proofs) reuse it.
step "$rlogs/base-build.log" "build the $BASE_REF tree in $wt" bash "$TOP/scripts/kernel.sh" "$src" "$baseline" "review$sfx"
step "$rlogs/base-warnings.log" "sparse and W=1 on ${#cfiles[@]} files at the $BASE_REF tree" warnings "$rlogs/base.warn" "${cfiles[@]}"
docs_base_done=0

fails=0
i=0
for c in "${commits[@]}"; do
	i=$((i + 1))
	subj=$(git -C "$WORK" log -1 --format=%s "$c")
	tag=$(printf '%02d' "$i")
	printf '\n[%s/%s] %s\n' "$i" "${#commits[@]}" "$subj"
	git -C "$src" checkout -q --detach "$c"
	mapfile -t touched < <(git -C "$src" diff --name-only "$c^" "$c")

	result() { # GATE OK|FAIL DETAIL
		printf '  %-11s %-4s %s\n' "$1" "$2" "$3"
		[ "$2" = ok ] || [ "$2" = n/a ] || fails=$((fails + 1))
	}

	git -C "$src" format-patch -1 --stdout "$c" >"$rlogs/$tag.patch"
	# checkpatch asks of every patch that adds a file whether MAINTAINERS
	# needs updating (FILE_PATH_CHANGES). That question gets its answer
	# here instead: each added file must be covered by a MAINTAINERS entry
	# with a maintainer of its own, not only by THE REST.
	# Two more of its rules cannot apply here. UNKNOWN_COMMIT_ID: the tree
	# is Debian's source imported as one commit, so no upstream commit a
	# Fixes: tag names can be found in it. ENOSYS, in a patch that only
	# touches tools/: a selftest must name the errno KVM returns, which
	# that rule (about kernel code returning it) is not about.
	ignore=FILE_PATH_CHANGES,UNKNOWN_COMMIT_ID
	printf '%s\n' "${touched[@]}" | grep -qv '^tools/' || ignore+=,ENOSYS
	(cd "$src" && debian_python scripts/checkpatch.pl --strict --ignore "$ignore" "$rlogs/$tag.patch") \
		>"$rlogs/$tag-checkpatch.log" 2>&1 || true
	uncovered=
	while read -r f; do
		(cd "$src" && scripts/get_maintainer.pl --no-git --no-git-fallback -f "$f") |
			grep '(maintainer:' | grep -qv 'THE REST' || uncovered+=" $f"
	done < <(git -C "$src" diff --diff-filter=A --name-only "$c^" "$c")
	if ! grep -q '^total: 0 errors, 0 warnings, 0 checks' "$rlogs/$tag-checkpatch.log"; then
		result checkpatch FAIL "$(grep -cE '^(ERROR|WARNING|CHECK)' "$rlogs/$tag-checkpatch.log") finding(s); log: $(rel "$rlogs")/$tag-checkpatch.log"
	elif [ -n "$uncovered" ]; then
		result checkpatch FAIL "new file(s) not covered by MAINTAINERS:$uncovered"
	elif grep -q 'Traceback' "$rlogs/$tag-checkpatch.log"; then
		result checkpatch FAIL "a checkpatch helper crashed; log: $(rel "$rlogs")/$tag-checkpatch.log"
	else
		result checkpatch ok ""
	fi

	# Documentation/ and tools/ are not part of the kernel build.
	if ! printf '%s\n' "${touched[@]}" | grep -qv '^\(Documentation\|tools\)/'; then
		result build n/a "no kernel source touched"
		result sparse/W=1 n/a "no kernel source touched"
	else
		if bash "$TOP/scripts/kernel.sh" "$src" "$BUILD/review$sfx/$c" "review$sfx" >"$rlogs/$tag-build.log" 2>&1; then
			result build ok ""
		else
			result build FAIL "log: $(rel "$rlogs")/$tag-build.log and $(rel "$LOGS")/review$sfx-build.log"
		fi

		new=
		if ! warnings "$rlogs/$tag.warn" "${cfiles[@]}" 2>"$rlogs/$tag-sparse.log"; then
			result sparse/W=1 FAIL "$(cat "$rlogs/$tag-sparse.log")"
		elif new=$(comm -13 "$rlogs/base.warn" "$rlogs/$tag.warn") && [ -z "$new" ]; then
			result sparse/W=1 ok "${#cfiles[@]} files, $(wc -l <"$rlogs/$tag.warn") warning(s) as on the base"
		else
			printf '%s\n' "$new" >"$rlogs/$tag-new-warnings.log"
			result sparse/W=1 FAIL "$(wc -l <<<"$new") new: $(head -n1 <<<"$new")"
		fi
	fi

	if printf '%s\n' "${touched[@]}" | grep -q '^tools/testing/selftests/kvm/'; then
		slog=$LOGS/$TREE-selftests-build.log
		if bash "$TOP/scripts/selftests.sh" "$TREE" "$src" "$BUILD/review$sfx-selftests" \
			>"$rlogs/$tag-selftests.log" 2>&1; then
			mine=$(printf '%s\n' "${touched[@]}" | sed -n 's#^tools/testing/selftests/kvm/##p' | paste -sd'|')
			if grep -E "($mine).*warning:" "$slog" >/dev/null; then
				result selftests FAIL "compiler warnings; log: $(rel "$slog")"
			else
				result selftests ok ""
			fi
		else
			result selftests FAIL "build failed; log: $(rel "$rlogs")/$tag-selftests.log"
		fi
	else
		result selftests n/a ""
	fi

	if printf '%s\n' "${touched[@]}" | grep -q '^Documentation/'; then
		if [ $docs_base_done -eq 0 ]; then
			git -C "$src" checkout -q --detach "$BASE_REF"
			docs "$rlogs/base.docwarn" || die "htmldocs fails on the $BASE_REF tree; log: $(rel "$rlogs")/base.docwarn.log"
			git -C "$src" checkout -q --detach "$c"
			docs_base_done=1
		fi
		if docs "$rlogs/$tag.docwarn"; then
			new=$(comm -13 "$rlogs/base.docwarn" "$rlogs/$tag.docwarn")
			if [ -z "$new" ]; then
				result htmldocs ok "$(wc -l <"$rlogs/$tag.docwarn") warning(s) as on the base"
			else
				result htmldocs FAIL "$(wc -l <<<"$new") new: $(head -n1 <<<"$new")"
			fi
		else
			result htmldocs FAIL "build failed; log: $(rel "$rlogs")/$tag.docwarn.log"
		fi
	else
		result htmldocs n/a ""
	fi
done

echo
if [ $fails -ne 0 ]; then
	die "review: $fails gate(s) failed over ${#commits[@]} patches; logs in $(rel "$rlogs")/"
fi
say "review: all gates passed on ${#commits[@]} patches"
