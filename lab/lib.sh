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

# l1_cmdline JOB [EXTRA]: the lab kernel's command line, but for the
# console, which each emulator names its own way.  The TSC tolerance lets
# KVM accept the TSC frequency that the lab kernel refines after boot.
l1_cmdline() {
	printf 'panic=-1 reboot=t loglevel=5 kvm.tsc_tolerance_ppm=20000 kes.job=%s %s' "$1" "${2:-}"
}

# run_job RAW TIMEOUT_S CMD...: runs an emulator that writes the lab kernel's
# serial console to RAW, in the background, until the job's last line
# (KES-L1-DONE) appears and the emulator has had 10 s to end by itself, or
# until TIMEOUT_S.  Then RAW is turned into "${RAW%.raw}" without carriage
# returns.  Emulators have been seen hanging in the guest's final reboot.
run_job() {
	local raw=$1 timeout_s=$2 pid deadline done_at=0
	shift 2
	deadline=$((SECONDS + timeout_s))
	: > "$raw"
	"$@" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$done_at" -eq 0 ] && grep -q '^KES-L1-DONE' "$raw"; then
			done_at=$SECONDS
		fi
		if { [ "$done_at" -gt 0 ] && [ $((SECONDS - done_at)) -ge 10 ]; } ||
		   [ "$SECONDS" -ge "$deadline" ]; then
			pkill -P "$pid" 2>/dev/null
			kill "$pid" 2>/dev/null
			break
		fi
		sleep 0.2
	done
	wait "$pid" 2>/dev/null || true
	tr -d '\r' < "$raw" > "${raw%.raw}"
	rm -f "$raw"
}

# with_retry NAME LOG CMD...: runs CMD (which writes LOG) once more if the
# job did not reach its last line (KES-L1-DONE).
with_retry() {
	local name=$1 log=$2 try start
	shift 2
	for try in 1 2; do
		start=$SECONDS
		"$@"
		if grep -q '^KES-L1-DONE' "$log"; then
			say "$name: done in $((SECONDS - start)) s (attempt $try)"
			return 0
		fi
		say "$name: did not finish (after $((SECONDS - start)) s, attempt $try); last lines:"
		tail -5 "$log" >&2 || true
	done
	die "$name did not finish twice: see $log"
}
