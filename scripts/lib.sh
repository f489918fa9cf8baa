# shellcheck shell=bash disable=SC2034 # the variables set here are for the scripts
# What the pipeline scripts share. Sourced, never run; sourcing it does no
# work: a script that uses build/ calls init_run first.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
LOGS=$BUILD/logs
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kvm-serror}
ARCH=arm64
CROSS_COMPILE=aarch64-linux-gnu-
export ARCH CROSS_COMPILE
# The QEMU every boot runs; QEMU=... selects another binary.
QEMU_BIN=${QEMU:-qemu-system-aarch64}

say() { printf '==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }
rel() { printf '%s\n' "${1#"$TOP"/}"; }

# debian_python CMD...: run CMD with Debian's python3 first on PATH, for
# the kernel's own Python (checkpatch's spdxcheck.py needs ply and git,
# htmldocs needs Sphinx: Debian's packages, which another python3 put
# first on PATH by a user or a tool would not have).
debian_python() {
	PATH=/usr/bin:/bin:$PATH "$@"
}

# init_run: take build/ for this run. One run at a time: the first script
# of a run (a top-level make, whose pid the Makefile exports as RUN_PID,
# or a script started by hand) records itself in build/.owner; a script of
# another run that is still alive is refused with one line naming it.
# Ctrl-C reaches every process of the run (QEMU stays in the foreground
# process group, see boot); once the foreground command has ended, stop
# here too, dying of the same signal, said on the run's own stderr (fd 8),
# which the step being interrupted may have redirected into its log.
init_run() {
	local me=${RUN_PID:-$$} what
	mkdir -p "$LOGS"
	if ! what=$(
		exec 9>"$BUILD/.owner.lock"
		flock 9
		if read -r pid when name 2>/dev/null <"$BUILD/.owner" &&
			[ "$pid" != "$me" ] && kill -0 "$pid" 2>/dev/null; then
			echo "'$name' (pid $pid, since $when)"
			exit 1
		fi
		echo "$me $(date +%T) ${RUN_WHAT:-${0##*/}}" >"$BUILD/.owner"
	); then
		die "$(rel "$BUILD")/ is in use by $what: wait for it, or stop it"
	fi
	export RUN_PID=$me
	on_interrupt
}
# on_interrupt: the Ctrl-C handling above, alone (deps.sh takes no lock).
on_interrupt() {
	exec 8>&2
	trap 'trap - INT; printf "\nFAILED: interrupted\n" >&8; kill -INT $$' INT
}

# step LOG DESCRIPTION CMD...: run CMD with its output in LOG, print what it
# does and how long it took; on failure, say so, show the log's tail and
# where the whole log is. CMD runs in a subshell with errexit on, so that a
# function stops at its first failing command ("CMD || ..." would turn
# errexit off inside it and judge only its last command); it cannot set
# variables or traps for the caller. Never call step in a condition or on
# the left of || or &&: bash turns errexit off there, in the subshell too.
step() {
	local log=$1 what=$2 start rc
	local -
	shift 2
	start=$(date +%s)
	printf '==> %s ... ' "$what"
	set +e
	(set -e; "$@") >"$log" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ]; then
		printf 'failed after %ss\n' "$(($(date +%s) - start))"
		tail -n 20 "$log" | sed 's/^/    /' >&2
		die "$what (exit $rc); log: $(rel "$log")"
	fi
	printf 'done in %ss\n' "$(($(date +%s) - start))"
}

# The tables in config/: one row per line, fields separated by blanks, the
# field names on the line starting with "#:"; the last field takes the
# rest of the line, "-" is empty. names TABLE: the first field of each row.
# row TABLE KEY: the row whose first field is KEY, in the associative array
# ROW; an unknown KEY stops the run with the known ones, a short row with
# the field it lacks.
names() {
	awk '!/^#/ && NF { print $1 }' "$TOP/config/$1" | paste -sd' '
}
row() {
	local file=$TOP/config/$1 fields vals i last
	read -ra fields < <(sed -n 's/^#: //p' "$file")
	read -ra vals < <(awk -v k="$2" '!/^#/ && $1 == k' "$file")
	[ ${#vals[@]} -gt 0 ] || die "no $1 row '$2' in config/$1 (known: $(names "$1"))"
	declare -gA ROW=()
	last=$((${#fields[@]} - 1))
	for ((i = 0; i <= last; i++)); do
		[ -n "${vals[i]:-}" ] || die "config/$1: row '$2' has no field '${fields[i]}'"
		ROW[${fields[i]}]=${vals[i]}
		[ $i -lt $last ] || ROW[${fields[i]}]=${vals[*]:i}
		[ "${ROW[${fields[i]}]}" != - ] || ROW[${fields[i]}]=
	done
}

# tree_vars TREE: the tree's row as variables: PKG, BACKOUT, PATCHES (the
# folder), STOCK (its base kernel's name), TREE_LISTS, INPUT, SPARSE, TO,
# PREFIX; REPO (the git
# repository of its package, build/src/PKG), BASE_REF (the tag its series
# applies to: 'base' with a backout, else 'stock'), WORK (its work tree).
tree_vars() {
	row trees "$1"
	TREE=$1 PKG=${ROW[package]} BACKOUT=${ROW[backout]} PATCHES=$TOP/${ROW[patches]}
	STOCK=${ROW[stock]} TREE_LISTS=${ROW[lists]} INPUT=${ROW[input]} PREFIX=${ROW[prefix]}
	SPARSE=${ROW[sparse]} TO=${ROW[to]}
	REPO=$BUILD/src/$PKG BASE_REF=stock WORK=$BUILD/$1-linux
	[ -z "$BACKOUT" ] || BASE_REF=base
}

# kernel_vars NAME: what the kernel NAME is built from. NAME is a tree (its
# series applied: ROLE fixed), a tree's STOCK (ROLE stock) or TREE-debug
# (the series with config/debug.config: ROLE debug). Sets the tree's
# variables and KERNEL, ROLE, SRC (the work tree it is built in), FLAVOUR.
kernel_vars() {
	local t
	for t in $(names trees); do
		tree_vars "$t"
		KERNEL=$1 SRC=$WORK FLAVOUR=
		case $1 in
		"$t") ROLE=fixed ;;
		"$t"-debug) ROLE=debug FLAVOUR=debug ;;
		"$STOCK") ROLE=stock SRC=$BUILD/$STOCK-linux ;;
		*) continue ;;
		esac
		return 0
	done
	local known=()
	for t in $(names trees); do
		tree_vars "$t"
		known+=("$t" "$STOCK" "$t-debug")
	done
	die "no kernel called '$1' (known: ${known[*]})"
}

# worktree REPO DIR REV: DIR, a detached git work tree of REPO at REV, for
# building a kernel without touching the others; reused when it exists.
worktree() {
	if [ ! -e "$2/.git" ]; then
		git -C "$1" worktree prune
		step "$LOGS/worktree.log" "check out $3 of $(rel "$1") in $(rel "$2")" \
			git -C "$1" worktree add -f --detach "$2" "$3"
	elif [ "$(git -C "$2" rev-parse HEAD)" != "$(git -C "$1" rev-parse "$3^{commit}")" ]; then
		git -C "$2" checkout -q --detach "$3"
	fi
}

# userland_cmd NAME PROGRAM: the command words that run PROGRAM (a path
# inside it, e.g. /usr/bin/sparse) of the userland NAME (config/userlands,
# installed by userland.sh) on the host, through that tree's own loader.
userland_cmd() {
	local root=$CACHE/userland/$1
	echo "$root/lib64/ld-linux-x86-64.so.2 --library-path $root/lib/x86_64-linux-gnu:$root/usr/lib/x86_64-linux-gnu $root$2"
}

# The compiler command, through ccache when it is installed. In depend
# mode, which the kernel's -MMD makes possible: a miss runs the compiler
# alone, where ccache's default mode also runs the preprocessor first; that
# made a build with an empty cache 40% slower than one without ccache.
export CCACHE_DEPEND=1
kcc() {
	if command -v ccache >/dev/null; then
		echo "ccache ${CROSS_COMPILE}gcc"
	else
		echo "${CROSS_COMPILE}gcc"
	fi
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

# built_from SRC [FLAVOUR]: what a kernel built now from the work tree SRC
# is built from: the hash of its committed top-level tree without tools/
# and Documentation/, which the kernel build does not read (or "dirty" if
# the kernel source has uncommitted changes), and the fragments' hash.
# kernel.sh records it beside its outputs; a build is reused only if it
# matches.
built_from() {
	local t=dirty
	[ -n "$(git -C "$1" status --porcelain --untracked-files=no -- . ':!tools' ':!Documentation')" ] ||
		t=$(git -C "$1" ls-tree HEAD | grep -vP '\t(tools|Documentation)$' | sha1sum | cut -c1-40)
	echo "$t $(fragsig "$@")"
}

# built_from_rev REPO REV [FLAVOUR]: what built_from says of a clean work
# tree of REPO at REV, read from REPO alone.
built_from_rev() {
	local t
	t=$(git -C "$1" ls-tree "$2" | grep -vP '\t(tools|Documentation)$' | sha1sum | cut -c1-40)
	echo "$t $({ cat "$TOP/config/kvm-host.config"
		git -C "$1" show "$2:tools/testing/selftests/kvm/config"
		[ -z "${3:-}" ] || cat "$TOP/config/$3.config"; } | sha256sum | cut -c1-16)"
}

# qemu_cmd KERNEL INITRD CONFIG [APPEND]: set the array QEMU to the command
# that boots KERNEL with INITRD on the configuration CONFIG of config/qemu
# (with its userland's QEMU, which must be installed: scripts/userland.sh),
# console on stdio, no network, APPEND added to the kernel command line;
# and CPU to its -cpu. Callers add -smp, -m and the like.
qemu_cmd() {
	local bin root
	row qemu "$3"
	CPU=${ROW[cpu]} bin=("$QEMU_BIN")
	if [ -n "${ROW[qemu]}" ]; then
		root=$CACHE/userland/${ROW[qemu]}
		QEMU_EXE=$root/usr/bin/qemu-system-aarch64 QEMU_PKGS=$root/var/lib/dpkg/status
		read -ra bin <<<"env QEMU_MODULE_DIR=$root/usr/lib/x86_64-linux-gnu/qemu $(userland_cmd "${ROW[qemu]}" /usr/bin/qemu-system-aarch64) -L $root/usr/share/qemu"
		[ -x "$QEMU_EXE" ] || die "configuration $3 runs on the userland ${ROW[qemu]}, which is not installed: run 'bash scripts/userland.sh ${ROW[qemu]}'"
	else
		QEMU_EXE=$(command -v "$QEMU_BIN" || true) QEMU_PKGS=/var/lib/dpkg/status
		[ -n "$QEMU_EXE" ] || die "no $QEMU_BIN on this machine: run 'make deps', or give QEMU=/path/to/qemu-system-aarch64"
	fi
	# shellcheck disable=SC2054 # commas are QEMU's
	QEMU=("${bin[@]}" -machine virt,virtualization=on,gic-version=3
		-cpu "$CPU" -nographic -no-reboot -monitor none -serial stdio -nic none
		-kernel "$1" -initrd "$2"
		-append "console=ttyAMA0 panic=-1 loglevel=5${ROW[append]:+ ${ROW[append]}}${4:+ $4}")
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

# boot_and_judge TREE ROLE CONFIG LIST KERNEL INITRD APPEND LIMIT [QEMU-ARG...]:
# boot KERNEL with INITRD on CONFIG (-smp 2 -m 2G unless QEMU-ARGs say
# otherwise, APPEND on its command line) for at most LIMIT seconds, console
# in build/logs/TREE-ROLE-CONFIG.log, then turn that log into
# build/results/TREE-ROLE-CONFIG.json (results.py), judged against the
# programs of LIST. TREE and ROLE say which kernel it is: a tree's stock,
# fixed or debug kernel, a prefix of its series; or what else booted.
# Sets RESULT (the JSON's path), VERDICT (the table results.py prints),
# PASSED, FAILED, SKIPPED, and REPLAYED. With KEEP_BOOTS=1 (test.sh), the
# console of a boot without a health problem or a timeout is kept in
# build/boots/ for a week; with REUSE_BOOTS=1 too (not in make check), a
# boot that repeats one kept (boot_key) is not run: that console is judged
# again, the JSON says "replayed" with its date, REPLAYED is that date.
boot_and_judge() {
	local id=$1-$2-$3 tree=$1 role=$2 config=$3 list=$4 kernel=$5 initrd=$6 limit=$8 vmlinux out stored
	vmlinux=$(dirname "$5")/vmlinux
	qemu_cmd "$5" "$6" "$3" "$7"
	[ -n "${ROW[kvm]}" ] || die "config/qemu: row $3 names no KVM mode (column kvm)"
	shift 8
	[ $# -gt 0 ] || set -- -smp 2 -m 2G
	mkdir -p "$BUILD/results"
	stored='' REPLAYED=''
	[ "${KEEP_BOOTS:-0}" != 1 ] || stored=$BUILD/boots/$(boot_key "$kernel" "$initrd" "$limit" "$@").log
	if [ "${REUSE_BOOTS:-0}" = 1 ] && [ -f "$stored" ]; then
		cp "$stored" "$LOGS/$id.log"
		BOOT_RC=0 REPLAYED=$(date -u -r "$stored" +%FT%TZ)
		printf 'replayed the console of the same boot at %s\n' "$REPLAYED"
	else
		boot "$LOGS/$id.log" "$limit" "$@"
	fi
	RESULT=$BUILD/results/$id.json
	out=$(python3 "$TOP/scripts/results.py" "$LOGS/$id.log" "$list" "$RESULT" \
		"tree=$tree" "kernel=$role" "config=$config" "cpu=$CPU" "ras=${ROW[ras]}" "kvm=${ROW[kvm]}" "qemu_rc=$BOOT_RC" \
		"vmlinux=$vmlinux" ${REPLAYED:+"replayed=$REPLAYED"})
	VERDICT=$(sed '$d' <<<"$out")
	read -r _ PASSED FAILED SKIPPED <<<"$(tail -n1 <<<"$out")"
	[ -n "$stored" ] || return 0
	if python3 -c 'import json, sys; r = json.load(open(sys.argv[1]))
sys.exit(bool(r["health"]) or any(p["result"] == "timeout" for p in r["programs"]))' "$RESULT"; then
		[ -n "$REPLAYED" ] || cp "$LOGS/$id.log" "$stored"
	else
		rm -f "$stored"
	fi
}

# boot_key KERNEL INITRD QEMU-WORD...: what makes a boot of qemu_cmd's
# QEMU repeat exactly: the kernel's and the initramfs's bytes (initramfs.sh
# packs reproducibly), QEMU's binary and the packages of its userland, and
# every word of the command.
boot_key() {
	{
		sha256sum "$1" "$2" "$QEMU_EXE" "$QEMU_PKGS" | cut -d' ' -f1
		printf '%s\n' "${QEMU[@]}" "${@:3}"
	} | sha256sum | cut -c1-32
}
