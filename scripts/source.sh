#!/usr/bin/env bash
# source.sh PACKAGE [VERSION]: make build/src/PACKAGE a git repository
# holding the pinned Debian kernel source (config/sources) as one
# reproducible commit, tag 'stock', and, for each tree of that package
# with a backout (config/trees), the backout on top, tag 'base'. Does
# nothing when that is there.
#
# The .deb is fetched with apt-get download through an apt configuration of
# the project's own (its sources list, lists and cache under the download
# cache), never the host's: the host's apt sources are not read or
# changed. When the pinned version is no longer served (Debian keeps only
# the newest one in backports and security suites), the run stops, lists
# what is served and names 'make repin'. With VERSION (make repin), that
# version is imported unchecked, since nothing is pinned for it yet;
# UNPINNED=1 does the same with the newest one served.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
init_run

pkg=$1
row sources "$pkg"
version=${2:-${ROW[version]}} suite=${ROW[suite]} archive=${ROW[archive]}
sha=${ROW[sha256]} commit=${ROW[commit]}
repo=$BUILD/src/$pkg
backouts=$(awk -v p="$pkg" '!/^#/ && $2 == p && $3 != "-" { print $3 }' "$TOP/config/trees" | sort -u)
[ "$(wc -w <<<"$backouts")" -le 1 ] || die "config/trees: several backouts for $pkg"
if git -C "$repo" rev-parse -q --verify stock >/dev/null 2>&1 &&
	{ [ -z "$backouts" ] || git -C "$repo" rev-parse -q --verify base >/dev/null; }; then
	exit 0
fi
[ ! -e "$repo" ] || die "$(rel "$repo") exists but is incomplete; remove it and retry"

# apt ARGS...: apt-get or apt-cache (the first word) with the project's
# own configuration for this suite.
aptdir=$CACHE/apt/$suite
mkdir -p "$aptdir/lists/partial" "$aptdir/cache"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $archive $suite main" >"$aptdir/sources.list"
apt() {
	"$1" -o Dir::Etc::SourceList="$aptdir/sources.list" -o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$aptdir/lists" -o Dir::Cache="$aptdir/cache" \
		-o Dir::State::status=/dev/null -o APT::Sandbox::User=root "${@:2}"
}
served() { apt apt-cache madison "$pkg" 2>/dev/null | awk '{ print $3 }' | sort -uV; }
list=$(served)
if ! grep -qxF "$version" <<<"$list"; then
	step "$LOGS/source-$suite-update.log" "apt-get update for $suite (private apt configuration)" \
		apt apt-get update
	list=$(served)
fi
[ -n "$list" ] || die "$suite serves no $pkg at all; log: $(rel "$LOGS/source-$suite-update.log")"
pinned=1
[ -z "${2:-}" ] || pinned=0
if ! grep -qxF "$version" <<<"$list"; then
	[ $pinned = 1 ] || die "$pkg $version is not served (served: $(paste -sd' ' <<<"$list"))"
	[ "${UNPINNED:-0}" = 1 ] ||
		die "$pkg $version is no longer served by $suite (served: $(paste -sd' ' <<<"$list")); move the pin with 'make repin PACKAGE=$pkg VERSION=<one of them>', or try the newest unpinned with UNPINNED=1"
	version=$(tail -n1 <<<"$list") pinned=0
	warn "UNPINNED=1: $pkg ${ROW[version]} is not served; using $version, whose checksum and commit are not pinned"
fi

tarball=$CACHE/$pkg-$version.tar.xz
if [ ! -s "$tarball" ]; then
	fetch() {
		local tmp
		tmp=$(mktemp -d "$CACHE/dl.XXXXXX")
		(cd "$tmp" && apt apt-get download "$pkg=$version")
		dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -xO "./usr/src/$pkg.tar.xz" >"$tarball.part"
		rm -rf "$tmp"
		mv "$tarball.part" "$tarball"
	}
	step "$LOGS/source-$pkg-fetch.log" "fetch $pkg $version into ${CACHE/#$HOME/\~}" fetch
fi
if [ $pinned = 1 ] && [ "$(sha256sum "$tarball" | cut -d' ' -f1)" != "$sha" ]; then
	mv "$tarball" "$tarball.bad"
	die "checksum mismatch for $pkg $version: pinned $sha (file kept as $tarball.bad)"
fi

# The pristine tree as one commit whose hash only depends on its content;
# each backout committed by its own author at its own date.
export GIT_AUTHOR_NAME="Debian $pkg" GIT_AUTHOR_EMAIL="debian-kernel@lists.debian.org"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z"
unpack() (
	tmp=$repo.unpack
	rm -rf "$tmp"
	mkdir -p "$tmp"
	tar -xJf "$tarball" -C "$tmp"
	mv "$tmp/$pkg" "$tmp/git"
	cd "$tmp/git"
	git init -q
	# Its objects stay loose: 'git am' would otherwise start a background
	# gc that takes the CPUs from the first kernel build.
	git config gc.auto 0
	git add -A -f
	git commit -q -m "Debian $pkg $version"
	git tag stock
	for b in $backouts; do
		GIT_COMMITTER_NAME=$(sed -n 's/^From: \(.*\) <.*/\1/p' "$TOP/$b") \
			GIT_COMMITTER_EMAIL=$(sed -n 's/^From: .* <\(.*\)>$/\1/p' "$TOP/$b") \
			git am -q --committer-date-is-author-date "$TOP/$b"
		git tag base
	done
	git checkout -q --detach stock
	mkdir -p "$(dirname "$repo")"
	mv "$tmp/git" "$repo"
	rmdir "$tmp"
)
step "$LOGS/source-$pkg-unpack.log" "unpack and commit $pkg $version into $(rel "$repo")" unpack
got=$(git -C "$repo" rev-parse stock)
if [ $pinned = 1 ] && [ "$got" != "$commit" ]; then
	mv "$repo" "$repo.bad"
	die "$pkg $version came out as $got, not the pinned $commit (kept as $(rel "$repo.bad"))"
fi
say "$pkg: stock is $(git -C "$repo" rev-parse --short stock)${backouts:+, base (+ $backouts) is $(git -C "$repo" rev-parse --short base)}"
