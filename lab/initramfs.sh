#!/usr/bin/env bash
# Builds an initramfs for the lab kernel: static busybox, lab/l1/init, the
# jobs in lab/l1/jobs, and the programs in build/l1/bin (as /tests).
#   lab/initramfs.sh OUTPUT.cpio.gz [FILE...]   (extra FILEs go to /tests)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=${1:?usage: lab/initramfs.sh OUTPUT.cpio.gz [FILE...]}
shift
need_pkgs busybox-static cpio gzip
root=$(mktemp -d "$BUILD/initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,tests,jobs}
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
cp "$TOP/lab/l1/init" "$root/init"
cp "$TOP/lab/l1/jobs/"*.sh "$root/jobs/"
cp "$BUILD/l1/bin/"* "$root/tests/"
for f in "$@"; do cp -L "$f" "$root/tests/"; done
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
