#!/usr/bin/env bash
# Builds an initramfs: static busybox and INIT as /init; for the lab kernel
# (L1) also the jobs in lab/l1/jobs and the programs in build/l1/bin (as
# /tests).  Extra files go where SRC=DST says (DST absolute), or to /tests.
#   lab/initramfs.sh OUTPUT.cpio.gz [--init INIT] [--bare] [SRC[=DST]...]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=${1:?usage: lab/initramfs.sh OUTPUT.cpio.gz [--init INIT] [--bare] [SRC[=DST]...]}
shift
init=$TOP/lab/l1/init
bare=
while [ $# -gt 0 ]; do
	case $1 in
	--init) init=$2; shift 2 ;;
	--bare) bare=1; shift ;;	# no jobs, no /tests programs
	*) break ;;
	esac
done
need_pkgs busybox-static cpio gzip
root=$(mktemp -d "$BUILD/initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,tests,jobs}
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
cp "$init" "$root/init"
cp "$TOP/lab/l1/kvm-modules" "$TOP/lab/l1/kes-run" "$TOP/lab/l1/diagnose" "$root/bin/"
if [ -z "$bare" ]; then
	cp "$TOP/lab/l1/jobs/"*.sh "$root/jobs/"
	cp "$BUILD/l1/bin/"* "$root/tests/"
	# Without their debug information (build/l1/bin keeps it): 16 of
	# 57 MB, which L1 unpacks at every boot (about 10 s of L1 time
	# under Bochs).
	find "$root/tests" -type f -perm -u+x -exec strip --strip-debug {} + 2>/dev/null || true
fi
for f in "$@"; do
	case $f in
	*=/*) mkdir -p "$root$(dirname "${f#*=}")"; cp -L "${f%%=*}" "$root${f#*=}" ;;
	*) cp -L "$f" "$root/tests/" ;;
	esac
done
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
