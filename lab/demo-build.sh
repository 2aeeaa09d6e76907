#!/usr/bin/env bash
# Builds what make demo boots: Debian's own kernel as L1 with the change's
# KVM modules (lab/stock-build.sh), and in its initramfs QEMU with SeaBIOS and
# the guest it boots (L2): Debian's cloud kernel (the unsigned image package,
# extracted, not installed) with an initramfs of busybox, kvm-exitstat-guest,
# the cloud kernel's cpuid module and lab/demo/l2-init.
# Writes build/lab/l1-demo.cpio.gz (and build/lab/demo-l2.cpio.gz).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/modules/debian.sh"

need_pkgs seabios xz-utils
kver=$(deb_source_kver cloud-amd64)
ver=$(deb_candidate "linux-image-$kver-unsigned")
[ -n "$ver" ] || die "Debian's archive has no linux-image-$kver-unsigned"
say "demo: the guest's kernel is Debian's $kver ($ver)"
cloud=$(deb_extract "linux-image-$kver-unsigned" "$ver")
mkdir -p "$LAB/demo"
xz -dc "$cloud/lib/modules/$kver/kernel/arch/x86/kernel/cpuid.ko.xz" > "$LAB/demo/cpuid.ko"
cp "$cloud/boot/vmlinuz-$kver" "$LAB/demo/vmlinuz"

"$TOP/lab/l1-build.sh"
"$TOP/lab/initramfs.sh" "$LAB/demo-l2.cpio.gz" --init "$TOP/lab/demo/l2-init" --bare \
	"$BUILD/l1/bin/kvm-exitstat-guest=/bin/kvm-exitstat-guest" "$LAB/demo/cpuid.ko=/lib/cpuid.ko"
mapfile -t files < <(qemu_files /usr/share/seabios/bios-256k.bin \
	/usr/share/qemu/linuxboot_dma.bin /usr/share/qemu/kvmvapic.bin)
files+=("$LAB/demo/vmlinuz=/l2/vmlinuz" "$LAB/demo-l2.cpio.gz=/l2/initrd.gz")
"$TOP/lab/stock-build.sh" "$LAB/l1-demo.cpio.gz" "${files[@]}"
