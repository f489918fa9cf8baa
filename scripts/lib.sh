# shellcheck shell=bash
# Common helpers for the pipeline scripts. Sourced, never run.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TREE=$BUILD/linux
LOGS=$BUILD/logs
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kvm-serror}
ARCH=arm64
CROSS_COMPILE=aarch64-linux-gnu-
# The QEMU every boot runs; QEMU=... selects another binary.
QEMU_BIN=${QEMU:-qemu-system-aarch64}
export ARCH CROSS_COMPILE
mkdir -p "$LOGS"

# Ctrl-C reaches every process of the run (QEMU stays in the foreground
# process group, see boot): once the foreground command has ended, stop
# here too, dying of the same signal so that make and the shell know.
# Said on the run's own stderr (fd 8), which the step being interrupted
# may have redirected into its log.
exec 8>&2
trap 'trap - INT; printf "\nFAILED: interrupted\n" >&8; kill -INT $$' INT

say() { printf '==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

# debian_python CMD...: run CMD with Debian's python3 first on PATH, for
# the kernel's own Python (checkpatch's spdxcheck.py needs ply and git,
# htmldocs needs Sphinx: Debian's packages, which another python3 put
# first on PATH by a user or a tool would not have).
debian_python() {
	PATH=/usr/bin:/bin:$PATH "$@"
}

# One run at a time in build/: the first script of a run (a top-level
# make, whose pid the Makefile exports as RUN_PID, or a script started by
# hand) records itself in build/.owner; a script of another run that is
# still alive is refused with one line naming it. Scripts a run starts
# share its RUN_PID, so the recipes of one make, and the scripts they call,
# are never refused.
claim_build() {
	local me=${RUN_PID:-$$} pid when what
	mkdir -p "$BUILD"
	if ! what=$(
		exec 9>"$BUILD/.owner.lock"
		flock 9
		if read -r pid when what 2>/dev/null <"$BUILD/.owner" &&
			[ "$pid" != "$me" ] && kill -0 "$pid" 2>/dev/null; then
			echo "'$what' (pid $pid, since $when)"
			exit 1
		fi
		echo "$me $(date +%T) ${RUN_WHAT:-${0##*/} $*}" >"$BUILD/.owner"
	); then
		die "${BUILD#"$TOP"/}/ is in use by $what: wait for it, or stop it"
	fi
	export RUN_PID=$me
}
claim_build "$@"

# step LOG DESCRIPTION CMD...: run CMD with its output in LOG, print what it
# does and how long it took; on failure, say so, show the log's tail and
# where the whole log is.
step() {
	local log=$1 what=$2 start rc=0
	shift 2
	start=$(date +%s)
	printf '==> %s ... ' "$what"
	"$@" >"$log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		printf 'failed after %ss\n' "$(($(date +%s) - start))"
		tail -n 20 "$log" | sed 's/^/    /' >&2
		die "$what (exit $rc); log: ${log#"$TOP"/}"
	fi
	printf 'done in %ss\n' "$(($(date +%s) - start))"
}

# The pinned base: PKG, VERSION, SHA256 (of the source tarball inside the .deb).
# shellcheck source=SCRIPTDIR/../base/pin
. "$TOP/base/pin"

# The compiler command, through ccache when it is installed. In depend
# mode, which the kernel's -MMD makes possible: a miss runs the compiler
# alone, where ccache's default mode also runs the preprocessor first; that
# made a build with an empty cache 40% slower than one without ccache
# (12 KASAN objects: 48 s against 34 s; depend mode 33 s, 1.4 s when cached).
export CCACHE_DEPEND=1
kcc() {
	if command -v ccache >/dev/null; then
		echo "ccache ${CROSS_COMPILE}gcc"
	else
		echo "${CROSS_COMPILE}gcc"
	fi
}

# series_vars [NAME]: where the series NAME lives. "series" (the default)
# is the patch series in patches/, applied to the base (tag 'base': the
# stock tree with upstream's implementation backed out) in build/linux;
# "fixes" is the stable fixes in fixes/, applied to the stock tree itself
# (tag 'stock') in the work tree build/fixes-linux. Sets PATCHES, WORK,
# BASE_REF (the tag the series applies to), BRANCH, SYNCED (the file that
# records the commit last applied or exported) and NAME.
series_vars() {
	# shellcheck disable=SC2034 # for the caller
	NAME=${1:-series}
	# shellcheck disable=SC2034 # for the caller
	case $NAME in
	series)
		PATCHES=$TOP/patches WORK=$TREE BASE_REF=base BRANCH=series
		SYNCED=$BUILD/.synced ;;
	fixes)
		PATCHES=$TOP/fixes WORK=$BUILD/fixes-linux BASE_REF=stock BRANCH=fixes
		SYNCED=$BUILD/.synced-fixes ;;
	*) die "no series called '$NAME' (series, fixes)" ;;
	esac
}

need_tree() {
	git -C "$TREE" rev-parse -q --verify base >/dev/null 2>&1 ||
		die "no kernel tree at ${TREE#"$TOP"/}: run 'make tree' first"
}

# fragments SRC [FLAVOUR]: the config fragments a kernel of the tree SRC is
# built with: ours, the KVM selftests' own, and config/FLAVOUR.config for a
# flavour such as "debug"; fragsig SRC [FLAVOUR]: a short hash of them.
fragments() {
	echo "$TOP/config/kvm-host.config $1/tools/testing/selftests/kvm/config${2:+ $TOP/config/$2.config}"
}
fragsig() {
	local f
	read -ra f < <(fragments "$@")
	cat "${f[@]}" | sha256sum | cut -c1-16
}

# kernel_tree REV [GIT-DIR]: an id of the kernel source at REV: the hash of
# its top-level tree without tools/ and Documentation/, which the kernel
# build does not read (the selftests' config fragment in tools/ is hashed
# by fragsig instead).
kernel_tree() {
	git -C "${2:-$TREE}" ls-tree "$1" | grep -vP '\t(tools|Documentation)$' | sha1sum | cut -c1-40
}

# built_from SRC [FLAVOUR]: what a kernel built now from the work tree SRC
# is built from: kernel_tree of its HEAD (or "dirty" if the kernel source
# has uncommitted changes) and the fragments' hash. kernel.sh records it
# beside its outputs; a build is reused only if it matches.
built_from() {
	local t=dirty
	[ -n "$(git -C "$1" status --porcelain --untracked-files=no -- . ':!tools' ':!Documentation')" ] ||
		t=$(kernel_tree HEAD "$1")
	echo "$t $(fragsig "$@")"
}

# qemu_cmd KERNEL INITRD CPU [APPEND]: set the array QEMU to the command that
# boots KERNEL with INITRD on QEMU's virt machine with EL2 and a GICv3 (so
# that the kernel is a KVM host), on -cpu CPU, console on stdio, no network,
# APPEND added to the kernel command line. Callers add -smp, -m and the like.
qemu_cmd() {
	# shellcheck disable=SC2034,SC2054 # used by the callers; commas are QEMU's
	QEMU=("$QEMU_BIN" -machine virt,virtualization=on,gic-version=3 -cpu "$3"
		-nographic -no-reboot -monitor none -serial stdio -nic none
		-kernel "$1" -initrd "$2" -append "console=ttyAMA0 panic=-1 loglevel=5${4:+ $4}")
}

# boot LOG LIMIT QEMU-ARG...: the one way every target boots a kernel: the
# command qemu_cmd set up, with QEMU-ARG... added, console in LOG, whose
# first line is the whole command, quoted for a shell to run again, for at
# most LIMIT seconds. QEMU stays in the foreground process group, so that
# Ctrl-C stops it at once. Prints how the boot ended; sets BOOT_RC (0, 124
# on timeout, QEMU's status).
boot() {
	local log=$1 limit=$2 start secs
	shift 2
	start=$(date +%s)
	{
		printf 'qemu command:'
		printf ' %q' "${QEMU[@]}" "$@"
		printf '\n'
	} >"$log"
	BOOT_RC=0
	timeout --foreground -k 5 "$limit" "${QEMU[@]}" "$@" </dev/null >>"$log" 2>&1 || BOOT_RC=$?
	secs=$(($(date +%s) - start))
	case $BOOT_RC in
	0) printf 'done in %ss\n' "$secs" ;;
	124 | 137) printf 'TIMEOUT after %ss\n' "$secs" ;;
	*) printf 'qemu exited %s after %ss\n' "$BOOT_RC" "$secs" ;;
	esac
}

# boot_and_judge LOG LIST NAME KERNEL INITRD CPU APPEND LIMIT [QEMU-ARG...]:
# boot KERNEL with INITRD on -cpu CPU (-smp 2 -m 2G unless QEMU-ARGs say
# otherwise, APPEND on its command line) for at most LIMIT seconds, then
# judge LOG with results.py against the programs in LIST: their results,
# a timeout, kernel splats. Sets VERDICT (the table, headed NAME) and
# PASSED, FAILED, SKIPPED; a QEMU that timed out or failed is one more
# failure, shown in VERDICT with the log's end.
boot_and_judge() {
	local log=$1 list=$2 name=$3 limit=$8 out rc
	qemu_cmd "$4" "$5" "$6" "$7"
	shift 8
	[ $# -gt 0 ] || set -- -smp 2 -m 2G
	boot "$log" "$limit" "$@"
	rc=$BOOT_RC
	out=$(python3 "$TOP/scripts/results.py" "$log" "$list" "$name")
	# shellcheck disable=SC2034 # for the caller
	VERDICT=$(sed '$d' <<<"$out")
	# shellcheck disable=SC2034 # for the caller
	read -r _ PASSED FAILED SKIPPED <<<"$(tail -n1 <<<"$out")"
	if [ "$rc" -ne 0 ]; then
		VERDICT+=$'\n'"  (qemu) FAIL exit $rc; the log ends with:"$'\n'"$(tail -n 3 "$log" | sed 's/^/    /')"
		FAILED=$((FAILED + 1))
	fi
}
