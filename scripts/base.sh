#!/usr/bin/env bash
# base.sh: make build/linux a git repository holding the pinned Debian
# kernel source as one reproducible commit, then base/backout.patch on top,
# tagged 'base'. Does nothing when that is already there.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if git -C "$TREE" rev-parse -q --verify base >/dev/null 2>&1; then
	# Trees made before the fixes series had no 'stock' tag.
	git -C "$TREE" rev-parse -q --verify stock >/dev/null ||
		git -C "$TREE" tag stock base^
	exit 0
fi
[ ! -e "$TREE" ] || die "${TREE#"$TOP"/} exists but has no 'base' tag; move it away and retry"

mkdir -p "$CACHE"
# The pinned version, or with REPIN_VERSION (scripts/repin.sh) the one the
# pin is about to move to, which has no checksum or commits pinned yet.
deb_version=${REPIN_VERSION:-$VERSION}
pinned=1
[ -z "${REPIN_VERSION:-}" ] || pinned=0
served=$(apt-cache madison "$PKG" | awk '{print $3}' | sort -uV)
[ -n "$served" ] || die "apt serves no $PKG at all (apt-get update? network?)"
if ! grep -qxF "$deb_version" <<<"$served"; then
	list=$(paste -sd' ' <<<"$served")
	[ -z "${REPIN_VERSION:-}" ] || die "$PKG $deb_version is not served (served: $list)"
	[ "${UNPINNED:-0}" = 1 ] ||
		die "$PKG $deb_version is no longer served (served: $list); re-pin with 'make repin VERSION=<one of them>', or try the newest unpinned with UNPINNED=1"
	deb_version=$(tail -n1 <<<"$served")
	pinned=0
	warn "UNPINNED=1: $PKG $VERSION is not served; using $deb_version, whose checksum and commits are not pinned: what is tested is not the pinned base"
fi

tarball=$CACHE/$PKG-$deb_version.tar.xz
if [ ! -s "$tarball" ]; then
	fetch() {
		local tmp
		tmp=$(mktemp -d "$CACHE/dl.XXXXXX")
		# apt drops privileges to _apt, which must be able to write here.
		chmod 755 "$tmp"
		(cd "$tmp" && apt-get download "$PKG=$deb_version")
		dpkg-deb --fsys-tarfile "$tmp"/*.deb |
			tar -xO "./usr/src/$PKG.tar.xz" >"$tarball.part"
		rm -rf "$tmp"
		mv "$tarball.part" "$tarball"
	}
	step "$LOGS/base-fetch.log" "fetch $PKG $deb_version into ${CACHE/#$HOME/\~}" fetch
fi

if [ $pinned -eq 1 ]; then
	sum=$(sha256sum "$tarball" | cut -d' ' -f1)
	if [ "$sum" != "$SHA256" ]; then
		mv "$tarball" "$tarball.bad"
		die "checksum mismatch for $PKG $VERSION: got $sum, pinned $SHA256 (file kept as $tarball.bad)"
	fi
fi

# The pristine tree as one commit whose hash only depends on its content.
export GIT_AUTHOR_NAME="Debian $PKG" GIT_AUTHOR_EMAIL="debian-kernel@lists.debian.org"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z"
unpack() {
	local tmp=$BUILD/linux.unpack
	rm -rf "$tmp"
	mkdir -p "$tmp"
	tar -xJf "$tarball" -C "$tmp"
	mv "$tmp/$PKG" "$tmp/linux"
	cd "$tmp/linux"
	git init -q
	# Its 80k objects stay loose: 'git am' would otherwise start a
	# background gc that takes the CPUs from the first kernel build.
	git config gc.auto 0
	git config user.name "$GIT_AUTHOR_NAME"
	git config user.email "$GIT_AUTHOR_EMAIL"
	git add -A -f
	git commit -q -m "Debian $PKG $deb_version"
	git tag stock
	# The backout is committed by its own author at its own date, so the
	# tag has the same hash on every machine too.
	GIT_COMMITTER_NAME=$(sed -n 's/^From: \(.*\) <.*/\1/p' "$TOP/base/backout.patch") \
		GIT_COMMITTER_EMAIL=$(sed -n 's/^From: .* <\(.*\)>$/\1/p' "$TOP/base/backout.patch") \
		git am -q --committer-date-is-author-date "$TOP/base/backout.patch"
	git tag base
	git config --unset user.name
	git config --unset user.email
	cd "$BUILD"
	mv "$tmp/linux" "$TREE"
	rmdir "$tmp"
}
step "$LOGS/base-unpack.log" "unpack and commit the base tree into ${TREE#"$TOP"/}" unpack
got=$(git -C "$TREE" rev-parse base)
if [ $pinned -eq 1 ] && [ "$got" != "$BASE_COMMIT" ]; then
	die "the base came out as $got, not the pinned $BASE_COMMIT: patches/ name the wrong base-commit (log: ${LOGS#"$TOP"/}/base-unpack.log)"
fi
got=$(git -C "$TREE" rev-parse stock)
if [ $pinned -eq 1 ] && [ "$got" != "$STOCK_COMMIT" ]; then
	die "the stock tree came out as $got, not the pinned $STOCK_COMMIT: fixes/ name the wrong base-commit (log: ${LOGS#"$TOP"/}/base-unpack.log)"
fi
say "base is $(git -C "$TREE" rev-parse --short base) ($PKG $deb_version + base/backout.patch)"
