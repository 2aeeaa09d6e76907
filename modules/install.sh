#!/bin/sh
# make debian-install / make debian-uninstall: puts the KVM modules of make
# debian-modules in place of Debian's, or takes them away again, for the
# kernel they were built for.  They go to /lib/modules/RELEASE/updates/
# kvm-exit-stats, which depmod ranks before the kernel's own modules, so
# modprobe loads them from then on, across reboots; Debian's own stay where
# they are, untouched.  With --reload, KVM is unloaded and loaded again at
# once (no VM may be running); without, that is left to you.
#
#   modules/install.sh install|uninstall [--reload] [--from DIR] [--root DIR]
#     --from DIR   where kvm.ko, kvm-amd.ko, kvm-intel.ko and kernel-release
#                  are (default: build/debian of this clone)
#     --root DIR   install under DIR instead of / (a chroot, a test)
# POSIX sh: it also runs inside the lab's L1 (busybox, with Debian's kmod).
set -eu

say() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

cmd=${1:-}
shift || true
# By default the modules built for the running kernel: build/debian (6.12)
# or build/debian-6.1 (make debian-modules KVER=6.1.0-N-amd64).
top=$(cd "$(dirname "$0")/.." && pwd)
from=$top/build/debian
for d in "$top"/build/debian-*; do
	[ "$(cat "$d/kernel-release" 2>/dev/null)" = "$(uname -r)" ] && from=$d
done
root=
reload=
while [ $# -gt 0 ]; do
	case $1 in
	--from) from=$2; shift 2 ;;
	--root) root=$2; shift 2 ;;
	--reload) reload=1; shift ;;
	*) die "unknown option $1 (see the comment at the top of $0)" ;;
	esac
done
case $cmd in install|uninstall) ;; *) die "usage: $0 install|uninstall [--reload] [--from DIR] [--root DIR]" ;; esac

[ -r "$from/kernel-release" ] || die "no modules in $from: run make debian-modules first"
kver=$(cat "$from/kernel-release")
dir=$root/lib/modules/$kver/updates/kvm-exit-stats
[ -d "$root/lib/modules/$kver/kernel" ] ||
	die "the modules were built for $kver, which is not installed here (uname -r: $(uname -r))"
if grep -qw svm /proc/cpuinfo; then vendor=kvm_amd; else vendor=kvm_intel; fi

if [ "$cmd" = install ]; then
	mkdir -p "$dir"
	for m in kvm kvm-amd kvm-intel; do
		cp "$from/$m.ko" "$dir/$m.ko.tmp" && mv "$dir/$m.ko.tmp" "$dir/$m.ko" ||
			die "cannot write $dir (are you root?)"
	done
	say "installed the KVM modules with the exit statistics for $kver in $dir"
else
	[ -d "$dir" ] || die "nothing to uninstall: $dir does not exist"
	rm -rf "$dir"
	say "removed $dir: modprobe loads Debian's own KVM modules again"
fi
depmod -a ${root:+-b "$root"} "$kver" || die "depmod -a $kver failed"
say "modprobe now finds $(modinfo ${root:+-b "$root"} -k "$kver" -F filename kvm)"

if [ -z "$reload" ]; then
	say "to switch now: stop every VM, then: modprobe -r $vendor kvm && modprobe $vendor"
	exit 0
fi
[ "$(uname -r)" = "$kver" ] && [ -z "$root" ] || die "--reload: $kver is not the running kernel"
if grep -q "^kvm " /proc/modules; then
	modprobe -r "$vendor" kvm || die "cannot unload $vendor and kvm: is a VM still running? (lsmod | grep kvm)"
fi
modprobe "$vendor" || die "modprobe $vendor failed: see dmesg"
if [ -e /sys/module/kvm/parameters/exit_stats ]; then
	say "loaded: kvm with the exit statistics (/sys/kernel/debug/kvm/exit_stats)"
else
	say "loaded: Debian's own kvm"
fi
