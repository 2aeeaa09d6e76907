#!/usr/bin/env bash
# Builds what the Linux-guest test needs inside the lab kernel (L1): QEMU
# itself (its binary, shared libraries and firmware), and a Linux guest (L2):
# the lab kernel again, with an initramfs whose init runs kvm-exitstat-guest.
# Writes build/lab/l2.cpio.gz and build/lab/l1-vmm.cpio.gz (run l1-build first).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ -x "$BUILD/l1/bin/kvm-exitstat-guest" ] || die "no L1 programs: run lab/l1-build.sh"

"$TOP/lab/initramfs.sh" "$LAB/l2.cpio.gz" --init "$TOP/lab/l2/init" --bare \
	"$BUILD/l1/bin/kvm-exitstat-guest=/bin/kvm-exitstat-guest"

mapfile -t files < <(qemu_files /usr/share/qemu/qboot.rom /usr/share/qemu/linuxboot_dma.bin \
	/usr/share/qemu/kvmvapic.bin)
files+=("$LAB/bzImage=/l2/bzImage" "$LAB/l2.cpio.gz=/l2/initrd.gz")
"$TOP/lab/initramfs.sh" "$LAB/l1-vmm.cpio.gz" "${files[@]}"
say "l1-vmm: $(stat -c %s "$LAB/l1-vmm.cpio.gz") bytes (QEMU and ${#files[@]} files)"
