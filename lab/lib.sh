# Shared by the lab scripts: paths, messages, package installation.
# shellcheck shell=bash

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$TOP/build
LAB=$BUILD/lab
# The kernel line the change is built for (KES_LINE): 6.12, the change's
# own (Debian 12's optional kernel and Debian 13's), 6.1, Debian 12's
# default, or 7.2, Debian unstable's; the hooks and small differences of
# the other lines are in kernel/lines/LINE.
KES_LINE=${KES_LINE:-6.12}
case $KES_LINE in
6.12)	KDIR=$BUILD/kernel KHOOKS=$TOP/kernel/hooks.patch DEB_OUT=$BUILD/debian ;;
6.1|7.2) KDIR=$BUILD/kernel-$KES_LINE KHOOKS=$TOP/kernel/lines/$KES_LINE/hooks.patch
	DEB_OUT=$BUILD/debian-$KES_LINE ;;
*)	echo "error: KES_LINE=$KES_LINE: the change is made for the kernel lines 6.12, 6.1 and 7.2" >&2
	exit 2 ;;
esac
KLINE=$TOP/kernel/lines/$KES_LINE
KTREE=$KDIR/src
KOBJ=$KDIR/obj
KSRC_TARBALL=/usr/src/linux-source-$KES_LINE.tar.xz
KSRC_PACKAGE=linux-source-$KES_LINE
# Outside the clone, so that a fresh clone (CI) finds it warm.
: "${KES_CCACHE_DIR:=${XDG_CACHE_HOME:-$HOME/.cache}/kvm-exit-stats/ccache}"

# kcache_env: the compiler cache for a kernel or module build, shared by
# every clone on this machine.  Paths under build/ are hashed relative to it
# (CCACHE_BASEDIR), and the options that name the source folder are left out
# of the hash: -fmacro-prefix-map=SRC/= only maps __FILE__ to a path relative
# to the source, which is the same in every clone.  Remembers the cache's
# counts, for kcache_rate.
kcache_env() {
	export CCACHE_DIR=$KES_CCACHE_DIR CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1
	export CCACHE_IGNOREOPTIONS='-fmacro-prefix-map=* -ffile-prefix-map=* -fdebug-prefix-map=*'
	mkdir -p "$CCACHE_DIR"
	kcache_zero
}
kcache_counts() {
	ccache --print-stats 2>/dev/null | awk '$1 == "direct_cache_hit" || $1 == "preprocessed_cache_hit" { h += $2 }
		$1 == "cache_miss" { m += $2 } END { print h + 0, m + 0 }'
}
kcache_zero() { KCACHE_BEFORE=$(kcache_counts); }
# kcache_rate: "ccache: H of N compilations hit (P %)" since kcache_zero.
kcache_rate() {
	local h0 m0 h1 m1
	read -r h0 m0 <<< "$KCACHE_BEFORE"
	read -r h1 m1 <<< "$(kcache_counts)"
	awk -v h=$((h1 - h0)) -v m=$((m1 - m0)) 'BEGIN {
		printf "ccache: %d of %d compilations hit (%s)", h, h + m,
		       h + m ? sprintf("%.0f %%", 100 * h / (h + m)) : "nothing compiled" }'
}

say() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# need_pkgs PKG...: installs the Debian packages that are not installed.
need_pkgs() {
	local missing=() p sudo= log
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	say "installing: ${missing[*]}"
	$sudo apt-get update -qq >/dev/null ||
		die "apt-get update failed: check the network and /etc/apt/sources.list"
	# apt's output only if it failed (debconf's notes are noise otherwise).
	log=$(mktemp)
	if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" > "$log" 2>&1; then
		tail -20 "$log" >&2
		rm -f "$log"
		die "apt-get install ${missing[*]} failed"
	fi
	rm -f "$log"
}

# deb_bootstrap RELEASE ROOT PACKAGES: a root of Debian RELEASE in ROOT
# (debootstrap --variant=minbase, with PACKAGES, comma-separated), made once
# and kept (ROOT/.complete).
deb_bootstrap() {
	local release=$1 root=$2 include=$3 log
	[ -f "$root/.complete" ] && return 0
	need_pkgs debootstrap
	say "debootstrap: Debian's $release into ${root/#$HOME/\~} with $include (once)"
	rm -rf "$root"
	mkdir -p "$(dirname "$root")"
	log=$(mktemp)
	if ! debootstrap --variant=minbase --include="$include" "$release" "$root" \
		http://deb.debian.org/debian > "$log" 2>&1; then
		tail -15 "$log" >&2
		rm -f "$log"
		die "debootstrap of Debian's $release failed (the archive must be reachable)"
	fi
	rm -f "$log"
	touch "$root/.complete"
}

# build_with_progress LABEL LOG CMD...: runs a build (CMD, its output to
# LOG) and, while it runs, says every 10 s that it is alive and how many
# files it compiled.  Returns the build's status.
build_with_progress() {
	local label=$1 log=$2 pid start=$SECONDS next=10
	shift 2
	"$@" > "$log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		if [ $((SECONDS - start)) -ge "$next" ]; then
			say "$label: ... $((SECONDS - start)) s, $(grep -c '^  CC' "$log" || true) files compiled"
			next=$((next + 10))
		fi
	done
	wait "$pid"
}

# qemu_files FIRMWARE...: QEMU for an L1 initramfs, as SRC=DST lines: the
# binary, the shared libraries it links, and the firmware files named (paths
# on this machine, copied to the same path).
qemu_files() {
	local qemu lib f
	need_pkgs qemu-system-x86
	qemu=$(command -v qemu-system-x86_64)
	echo "$qemu=/usr/bin/qemu-system-x86_64"
	for lib in $(ldd "$qemu" | awk '/=> \//{print $3} /^\t\/lib/{print $1}'); do
		echo "$lib=$lib"
	done
	for f in "$@"; do
		echo "$f=$f"
	done
}

# change_files_as TREE DEST: DEST's copies of the change's files (those
# build/kernel/applied.list names) as TREE has them: TREE's file, else the
# pristine one, else none.  A file already so is left alone, so that its
# time stays and a kernel build does not compile it again.
change_files_as() {
	local f want
	while IFS= read -r f; do
		want=$1/$f
		[ -f "$want" ] || want=$KDIR/pristine/$f
		if [ -f "$want" ]; then
			cmp -s "$want" "$2/$f" && continue
			mkdir -p "$2/$(dirname "$f")"
			cp "$want" "$2/$f"
		else
			rm -f "$2/$f"
		fi
	done < "$KDIR/applied.list"
}

# The packaged kernel source's version, e.g. "6.12.117-1~deb12u1".
ksrc_package_version() {
	dpkg-query -W -f='${Version}' "$KSRC_PACKAGE" 2>/dev/null
}

# l1_cmdline JOB [EXTRA]: the lab kernel's command line, but for the
# console, which each emulator names its own way.  The TSC tolerance lets
# KVM accept the TSC frequency that the lab kernel refines after boot;
# nokaslr lets where_hung name a hung L1's RIP from System.map.
# KES_L1_ARGS adds arguments (for developers' experiments).
l1_cmdline() {
	printf 'panic=-1 reboot=t loglevel=5 nokaslr kvm.tsc_tolerance_ppm=20000 kes.job=%s %s %s' \
		"$1" "${2:-}" "${KES_L1_ARGS:-}"
}

# where_hung FILE: the registers and local APICs of a hung L1's CPUs, if the
# emulator is a QEMU with a QMP socket at $KES_QMP (lab/boot-qemu.sh), the
# RIPs named from $KES_SYSTEM_MAP.
where_hung() {
	rm -f "$1"
	[ -S "${KES_QMP:-}" ] || return 0
	/usr/bin/python3 "$TOP/lab/qmp-dump.py" "$KES_QMP" \
		$([ -r "${KES_SYSTEM_MAP:-}" ] && echo "$KES_SYSTEM_MAP") > "$1" 2>&1 || true
}

# run_job RAW TIMEOUT_S SILENCE_S CMD...: runs an emulator that writes the
# lab kernel's serial console to RAW, in the background, until the job's last
# line (KES-L1-DONE) appears and the emulator has had 10 s to end by itself;
# or until TIMEOUT_S; or until the console has been silent for SILENCE_S (a
# hung L1).  Then RAW is turned into "${RAW%.raw}" without carriage returns,
# ending with a KES-HOST line that says why the emulator was stopped, if it
# was.  Emulators have been seen hanging in the guest's final reboot.
run_job() {
	local raw=$1 timeout_s=$2 silence_s=$3 pid deadline done_at=0 size=-1 quiet_since=$SECONDS
	local why= seen=0 next_progress=$SECONDS progress
	shift 3
	deadline=$((SECONDS + timeout_s))
	: > "$raw"
	rm -f "${raw%.raw}.hang"
	"$@" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$done_at" -eq 0 ] && grep -q '^KES-L1-DONE' "$raw"; then
			done_at=$SECONDS
		fi
		if [ "$(stat -c %s "$raw")" -ne "$size" ]; then
			size=$(stat -c %s "$raw")
			quiet_since=$SECONDS
		fi
		# A long job says how far it got: its KES-PROGRESS lines, as they come.
		if [ "$SECONDS" -ge "$next_progress" ]; then
			progress=$(grep -a '^KES-PROGRESS ' "$raw" | tr -d '\r' || true)
			if [ -n "$progress" ]; then
				printf '%s\n' "$progress" | tail -n +$((seen + 1)) | sed 's/^KES-PROGRESS /  ... /' >&2
				seen=$(printf '%s\n' "$progress" | wc -l)
			fi
			next_progress=$((SECONDS + 1))
		fi
		if [ "$done_at" -gt 0 ] && [ $((SECONDS - done_at)) -ge 10 ]; then
			why="the emulator did not end 10 s after the job's last line"
		elif [ "$SECONDS" -ge "$deadline" ]; then
			why="the job took more than $timeout_s s"
		elif [ "$done_at" -eq 0 ] && [ $((SECONDS - quiet_since)) -ge "$silence_s" ]; then
			why="the console was silent for $silence_s s: L1 hung"
		fi
		if [ -n "$why" ]; then
			[ "$done_at" -gt 0 ] || where_hung "${raw%.raw}.hang"
			pkill -P "$pid" 2>/dev/null
			kill "$pid" 2>/dev/null
			break
		fi
		sleep 0.2
	done
	wait "$pid" 2>/dev/null || true
	tr -d '\r' < "$raw" > "${raw%.raw}"
	[ -z "$why" ] || echo "KES-HOST stopped: $why" >> "${raw%.raw}"
	if [ -s "${raw%.raw}.hang" ]; then
		grep '^RIP is\|^RIP=' "${raw%.raw}.hang" | sed 's/^/KES-HOST hung at: /' >> "${raw%.raw}"
		echo "KES-HOST the L1 CPUs' registers and local APICs: ${raw%.raw}.hang" >> "${raw%.raw}"
	fi
	rm -f "$raw"
}

# with_retry NAME LOG CMD...: runs CMD (which writes LOG) once more if the
# job did not reach its last line (KES-L1-DONE) because of a known emulator
# fault, the only reason to boot again: run_job's evidence (LOG.hang, from
# lab/qmp-dump.py) names it in a KNOWN-FAULT line.  Anything else (a panic,
# a deadlock, a job too slow, a hang under Bochs, which has no monitor to
# ask) fails at once, with its log.  KES_TRIES=N: N tries in all.  A failed
# attempt's log is kept as LOG.attemptN, and LOG begins with one KES-RETRY
# line per retry, which the suites turn into "# RETRY:" lines of their TAP:
# every retry shows, with its cause.
with_retry() {
	local name=$1 log=$2 try start retries= why where fault
	shift 2
	for try in $(seq "${KES_TRIES:-2}"); do
		start=$SECONDS
		"$@"
		if grep -q '^KES-L1-DONE' "$log"; then
			say "$name: done in $((SECONDS - start)) s (attempt $try)"
			[ -z "${KES_TIMES:-}" ] ||
				echo "job $name ${log##*/}: $((SECONDS - start)) s (attempt $try)" >> "$KES_TIMES"
			break
		fi
		say "$name: did not finish (after $((SECONDS - start)) s, attempt $try); last lines:"
		tail -5 "$log" >&2 || true
		cp "$log" "$log.attempt$try"
		fault=
		if [ -f "$log.hang" ]; then
			mv "$log.hang" "$log.attempt$try.hang"
			sed -i "s|$log.hang\$|$log.attempt$try.hang|" "$log.attempt$try"
			fault=$(sed -n 's/^KNOWN-FAULT: //p' "$log.attempt$try.hang" | head -1)
		fi
		why=$(grep -a '^KES-HOST stopped: ' "$log" | tail -1 | cut -c19-)
		where=$(grep -a '^KES-HOST hung at: RIP is ' "$log" | sed 's/^KES-HOST hung at: RIP is /at /' | paste -sd, -)
		if [ -z "$fault" ]; then
			say "$name: not a known emulator fault: no retry"
			echo "KES-HOST no retry: not a known emulator fault (lab/qmp-dump.py names those)" >> "$log"
			break
		fi
		retries+="KES-RETRY: $name: attempt $try did not finish after $((SECONDS - start)) s (${why:-$(tail -1 "$log" | cut -c1-160)}${where:+; $where}); known emulator fault: $fault; its log: $log.attempt$try"$'\n'
		[ "$try" -lt "${KES_TRIES:-2}" ] && say "$name: known emulator fault ($fault): booting again"
	done
	if [ -n "$retries" ]; then
		printf '%s' "$retries" | cat - "$log" > "$log.tmp" && mv "$log.tmp" "$log"
	fi
	grep -q '^KES-L1-DONE' "$log" || die "$name did not finish ($try attempts): see $log"
}
