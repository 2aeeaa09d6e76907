# Shared by the lab scripts: paths, messages, package installation.
# shellcheck shell=bash

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$TOP/build
LAB=$BUILD/lab
KTREE=$BUILD/kernel/src
KOBJ=$BUILD/kernel/obj
KSRC_TARBALL=/usr/src/linux-source-6.12.tar.xz
KSRC_PACKAGE=linux-source-6.12
# Outside the clone, so that a fresh clone (CI) finds it warm.
: "${KES_CCACHE_DIR:=${XDG_CACHE_HOME:-$HOME/.cache}/kvm-exit-stats/ccache}"

say() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# need_pkgs PKG...: installs the Debian packages that are not installed.
need_pkgs() {
	local missing=() p sudo=
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	say "installing: ${missing[*]}"
	$sudo apt-get update -qq >/dev/null ||
		die "apt-get update failed: check the network and /etc/apt/sources.list"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed"
}

# The packaged kernel source's version, e.g. "6.12.117-1~deb12u1".
ksrc_package_version() {
	dpkg-query -W -f='${Version}' "$KSRC_PACKAGE" 2>/dev/null
}
