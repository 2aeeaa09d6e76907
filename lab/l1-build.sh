#!/usr/bin/env bash
# Builds what runs inside the lab kernel: the kernel's uapi headers, the
# static programs (lab/l1-programs.mk) and build/lab/l1.cpio.gz.
set -euo pipefail
# From the 6.12 tree whatever kernel L1 runs: the programs and the KVM
# selftests library they are built on also run on Debian 12's 6.1.
export KES_LINE=6.12
. "$(dirname "$0")/lib.sh"

need_pkgs gcc libc6-dev make rsync busybox-static cpio
"$TOP/lab/kernel-tree.sh" 2>/dev/null
hdr=$BUILD/kernel/usr
if [ ! -f "$hdr/include/linux/kvm.h" ] || [ "$KTREE/include/uapi/linux/kvm.h" -nt "$hdr/include/linux/kvm.h" ]; then
	make -s -C "$KTREE" O="$BUILD/kernel/obj-hdr" headers_install INSTALL_HDR_PATH="$hdr" >/dev/null
fi
make -s -j"$(nproc)" -f "$TOP/lab/l1-programs.mk" KTREE="$KTREE" KHDR="$hdr/include" OUT="$BUILD/l1"
mkdir -p "$LAB"
"$TOP/lab/initramfs.sh" "$LAB/l1.cpio.gz"
