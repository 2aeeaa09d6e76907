# Debian's packaged kernel (6.12, 6.1, 7.2): which one, its packages, extracted into the
# cache outside the clone.  Sourced by the scripts that build modules for it
# and boot it.
# shellcheck shell=bash

DEB_CACHE=${KES_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kvm-exit-stats}/debian
# The Debian release this runs on (12: bookworm, 13: trixie, 14: forky and
# unstable, whose /etc/os-release has no number: /etc/debian_version says
# "forky/sid"), whose kernels are named 6.12.N+debRELEASE-amd64 (unstable:
# 7.2.N+deb14-amd64).
deb_release() {
	local id
	id=$(. /etc/os-release 2>/dev/null && v=${VERSION_ID:-} && echo "${v%%.*}")
	if [ -z "$id" ]; then
		case $(cut -d/ -f1 /etc/debian_version 2>/dev/null) in
		forky) id=14 ;;
		duke) id=15 ;;
		*) id=12 ;;
		esac
	fi
	echo "$id"
}
DEB_RELEASE=$(deb_release)

# The kernel release ("ABI name") that matches the packaged source, e.g.
# 6.12.117+deb12-amd64 for linux-source-6.12 6.12.117-1~deb12u1 (Debian 13:
# 6.12.117+deb13-amd64 for 6.12.117-1; unstable: 7.2.13+deb14-amd64 for
# linux-source-7.2 7.2.13-1), and for 6.1
# the one of Debian's 6.1.0-N releases whose headers are that version
# (6.1.0-57-amd64 for linux-source-6.1 6.1.192-3); installs the source
# package first if it is not there (a fresh machine).
deb_source_kver() {
	local v p flavour=${1:-amd64}
	need_pkgs "$KSRC_PACKAGE"
	v=$(ksrc_package_version)
	[ -n "$v" ] || die "$KSRC_PACKAGE is not installed: apt-get install $KSRC_PACKAGE"
	if [ "$KES_LINE" != 6.1 ]; then
		printf '%s+deb%s-%s\n' "${v%%-*}" "$DEB_RELEASE" "$flavour"
		return
	fi
	for p in $(apt-cache pkgnames "linux-headers-$KES_LINE.0-" | grep -E "^linux-headers-$KES_LINE\.0-[0-9]+-$flavour\$" | sort -t- -k4 -n -r); do
		if [ "$(deb_candidate "$p")" = "$v" ]; then
			printf '%s\n' "${p#linux-headers-}"
			return
		fi
	done
	die "Debian's archive has no linux-headers-$KES_LINE.0-N-$flavour of $KSRC_PACKAGE's version $v (apt-get update?)"
}

# deb_fetch PACKAGE VERSION: the .deb of that exact version, downloaded once
# into the cache; prints its path.
deb_fetch() {
	local pkg=$1 ver=$2 dir=$DEB_CACHE/debs f
	mkdir -p "$dir"
	f=$(ls "$dir/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -1)
	if [ -z "$f" ]; then
		say "debian: downloading $pkg $ver"
		(cd "$dir" && apt-get download -qq "$pkg=$ver" >/dev/null 2>&1) || {
			apt-get update -qq >/dev/null 2>&1 || true
			(cd "$dir" && apt-get download -qq "$pkg=$ver" >/dev/null 2>&1)
		} || die "cannot download $pkg $ver from Debian's archive (apt-get download $pkg=$ver)"
		f=$(ls "$dir/${pkg}_${ver//:/%3a}_"*.deb | head -1)
	fi
	printf '%s\n' "$f"
}

# deb_candidate PACKAGE: the version apt would install, empty if none.
deb_candidate() {
	apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p' | grep -v '(none)' || true
}

# deb_image_pkgs KVER: the packages of Debian's kernel KVER, unsigned where
# Debian has it so: linux-image-KVER-unsigned in Debian 12 and 13 (/boot,
# /lib/modules); unstable (7.2) splits it into linux-binary-KVER (a signed
# vmlinuz), linux-modules-KVER and linux-base-KVER (System.map, the
# modules.* lists), all in /usr/lib/modules/KVER.  The first is the image.
deb_image_pkgs() {
	if [ -n "$(deb_candidate "linux-image-$1-unsigned")" ]; then
		echo "linux-image-$1-unsigned"
	elif [ -n "$(deb_candidate "linux-binary-$1")" ]; then
		echo "linux-binary-$1 linux-modules-$1 linux-base-$1"
	else
		echo "linux-image-$1"
	fi
}

# deb_extract PACKAGE VERSION: extracts the package into the cache once;
# prints the folder it was extracted to (a root: usr/, lib/, boot/).
deb_extract() {
	local pkg=$1 ver=$2 deb root
	root=$DEB_CACHE/root/$pkg-$ver
	if [ ! -f "$root/.extracted" ]; then
		deb=$(deb_fetch "$pkg" "$ver")
		rm -rf "$root"
		mkdir -p "$root"
		dpkg-deb -x "$deb" "$root" || die "cannot extract $deb"
		touch "$root/.extracted"
	fi
	printf '%s\n' "$root"
}
