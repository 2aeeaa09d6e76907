#!/usr/bin/env bash
# make debian-releases: what a user of another Debian release does, in a
# chroot of that release (debootstrap, kept in the cache outside the clone):
# apt-get install of what the README says, then make debian-modules for the
# release's own kernel with the release's own compiler and linux-source; and
# what the lab needs to boot that kernel (its packaged image) with those
# modules as L1 (lab/stock-build.sh, run in the chroot too).  The results
# are copied out to build/releases/RELEASE/ (vmlinuz, l1.cpio.gz, the
# modules, kernel-release, build.log).
# The lab's own programs (build/l1, lab/l1-build.sh) are built here and
# copied in: they are the lab's, not the user's, and static.
#   lab/debian-release.sh RELEASE [KVER]     RELEASE: trixie (Debian 13) or
#                                            sid (unstable, Linux 7.2)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

release=${1:?usage: lab/debian-release.sh RELEASE [KVER] (RELEASE: trixie, sid)}
kver=${2:-}
case $release in
trixie) line=6.12 ;;
sid) line=7.2 ;;
*) die "RELEASE=$release: the releases tried here are trixie (Debian 13) and sid (unstable); Debian 12 is this machine's own" ;;
esac
source_pkg=linux-source-$line
sfx=
[ "$line" = 6.12 ] || sfx=-$line
need_pkgs rsync
CACHE=${KES_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kvm-exit-stats}
root=$CACHE/chroots/$release
out=$BUILD/releases/$release
mkdir -p "$out"
deb_bootstrap "$release" "$root" ca-certificates

# The clone as it is (build/ aside), and the compiler cache, in the chroot.
src=$root/root/kvm-exit-stats
mkdir -p "$src" "$root/root/.cache/kvm-exit-stats/ccache" "$KES_CCACHE_DIR"
rsync -a --delete --exclude=/build --exclude=/.git "$TOP/" "$src/"
"$TOP/lab/l1-build.sh" >/dev/null
mkdir -p "$src/build"
rsync -a --delete "$BUILD/l1/" "$src/build/l1/"
mounts=()
cleanup() {
	local m i
	for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
		m=${mounts[i]}
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
}
trap cleanup EXIT
for d in proc sys dev dev/pts; do
	mount --bind "/$d" "$root/$d"
	mounts+=("$root/$d")
done
mount --bind "$KES_CCACHE_DIR" "$root/root/.cache/kvm-exit-stats/ccache"
mounts+=("$root/root/.cache/kvm-exit-stats/ccache")
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# The archive reachable here may be a copy taken a while ago: unstable's
# Release file (valid for a week) would then be refused as expired.  The
# lab's setting, not a user's step.
echo 'Acquire::Check-Valid-Until "false";' > "$root/etc/apt/apt.conf.d/99kes-archive-copy"

# In the chroot, as its README tells a user of that release: the source
# and headers of the release's kernel, then make debian-modules.
in_chroot() {
	chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb \
		DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 bash -c "$1"
}
say "release: $release: apt-get install make $source_pkg, then make debian-modules"
in_chroot "apt-get update -qq && apt-get install -y -qq make $source_pkg >/dev/null" \
	> "$out/apt.log" 2>&1 || die "apt-get in the $release chroot failed: see $out/apt.log"
start=$SECONDS
in_chroot "cd /root/kvm-exit-stats && make debian-modules ${kver:+KVER=$kver}" \
	> "$out/build.log" 2>&1 || { tail -15 "$out/build.log" >&2; die "make debian-modules in $release failed: see $out/build.log"; }
modules_s=$((SECONDS - start))
say "release: $release: $(grep 'built for' "$out/build.log" | tail -1 | sed 's/^debian-modules: //')"
start=$SECONDS
in_chroot "cd /root/kvm-exit-stats && KES_LINE=$line KES_L1_PREBUILT=1 lab/stock-build.sh" > "$out/stock.log" 2>&1 ||
	{ tail -15 "$out/stock.log" >&2; die "lab/stock-build.sh in $release failed: see $out/stock.log"; }
b=$src/build
d=$b/debian$sfx
cp "$d/kvm.ko" "$d/kvm-amd.ko" "$d/kvm-intel.ko" "$d/kernel-release" "$out/"
cp "$b/lab/stock$sfx/vmlinuz" "$out/vmlinuz"
cp "$b/lab/l1-stock$sfx.cpio.gz" "$out/l1.cpio.gz"
l1_s=$((SECONDS - start))
# A line other than the change's own (7.2): also the lab kernel of that
# line (lab/kernel-build.sh: linux-source-7.2 with the change, KVM built
# in, lockdep and the other debugging options) and the change's KVM
# selftest from that line's tree, with the release's compiler; and the
# lab's initramfs with the selftest: build/releases/sid/lab/.
if [ "$line" != 6.12 ]; then
	start=$SECONDS
	in_chroot "cd /root/kvm-exit-stats && KES_LINE=$line lab/kernel-build.sh" > "$out/kernel.log" 2>&1 ||
		{ tail -15 "$out/kernel.log" >&2; die "lab/kernel-build.sh in $release failed: see $out/kernel.log"; }
	mkdir -p "$out/lab"	# beside its System.map, which lab/boot-qemu.sh reads
	cp "$b/lab/bzImage" "$b/lab/System.map" "$out/lab/"
	say "release: $release: $(tail -1 "$out/kernel.log" | sed 's/^kernel: //')"
	in_chroot "cd /root/kvm-exit-stats && KES_LINE=$line lab/selftests-build.sh x86/exit_stats_test" \
		> "$out/selftest.log" 2>&1 ||
		{ tail -15 "$out/selftest.log" >&2; die "the KVM selftest did not build in $release: see $out/selftest.log"; }
	cp "$b/selftests/x86/exit_stats_test" "$out/exit_stats_test"
	"$TOP/lab/initramfs.sh" "$out/lab/l1.cpio.gz" "$out/exit_stats_test=/selftests/exit_stats_test"
	say "release: $release: the KVM selftest x86/exit_stats_test of $line's tree, and ${out#"$TOP"/}/lab/"
fi
in_chroot "gcc --version | head -1; dpkg-query -W -f='\${Version}\n' $source_pkg" > "$out/versions.txt"
say "release: $release: modules in $modules_s s, L1 in $l1_s s: kernel $(cat "$out/kernel-release"), ${out#"$TOP"/}/"
