#!/usr/bin/env bash
# Builds what it takes to boot Debian's own 6.12 kernel as L1 with the KVM
# modules of the change in place of Debian's: the kernel image
# (build/lab/stock/vmlinuz, from the unsigned image package, not installed),
# and an initramfs (build/lab/l1-stock.cpio.gz) with the lab's programs and
# jobs, Debian's irqbypass.ko and ccp.ko, and build/debian/kvm*.ko.
# With KES_LINE=6.1, Debian 12's default 6.1 kernel: build/lab/stock-6.1/,
# build/lab/l1-stock-6.1.cpio.gz, build/debian-6.1/kvm*.ko.
# Extra SRC=DST files for the initramfs may follow.
#   lab/stock-build.sh [OUTPUT.cpio.gz] [SRC=DST...]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$TOP/modules/debian.sh"

sfx=
[ "$KES_LINE" = 6.12 ] || sfx=-$KES_LINE
out=${1:-$LAB/l1-stock$sfx.cpio.gz}
shift || true
kver=$(deb_source_kver)
KVER=$kver "$TOP/modules/build.sh"
"$TOP/lab/l1-build.sh"

img_ver=$(deb_candidate "linux-image-$kver-unsigned")
img=$(deb_extract "linux-image-$kver-unsigned" "$img_ver")
S=$LAB/stock$sfx
mkdir -p "$S/modules"
cp "$img/boot/vmlinuz-$kver" "$S/vmlinuz"
cp "$img/boot/System.map-$kver" "$S/System.map"
# Debian's modules: xz-compressed on 6.12, plain on 6.1; in /usr/lib/modules
# from Debian 13 on (merged /usr), in /lib/modules in L1 as in Debian 12.
mods=/lib/modules/$kver
from=$img$mods
[ -d "$from" ] || from=$img/usr$mods
z=
[ -e "$from/kernel/virt/lib/irqbypass.ko.xz" ] && z=.xz
for m in virt/lib/irqbypass drivers/crypto/ccp/ccp; do
	if [ -n "$z" ]; then
		xz -dc "$from/kernel/$m.ko.xz" > "$S/modules/${m##*/}.ko"
	else
		cp "$from/kernel/$m.ko" "$S/modules/${m##*/}.ko"
	fi
done
files=("$DEB_OUT/kernel-release=/modules/kernel-release")
for m in "$S"/modules/*.ko "$DEB_OUT"/kvm*.ko; do
	files+=("$m=/modules/${m##*/}")
done
# What a Debian user has, for modules/install.sh to run as it does there:
# Debian's own KVM modules in /lib/modules, kmod (depmod, modprobe) and
# dash, Debian's /bin/sh (busybox's shell would run its own modprobe).
for f in modules.builtin modules.builtin.modinfo modules.order \
	 kernel/arch/x86/kvm/kvm.ko$z kernel/arch/x86/kvm/kvm-amd.ko$z \
	 kernel/arch/x86/kvm/kvm-intel.ko$z kernel/virt/lib/irqbypass.ko$z \
	 kernel/drivers/crypto/ccp/ccp.ko$z; do
	files+=("$from/$f=$mods/$f")
done
need_pkgs kmod
files+=("/usr/bin/kmod=/usr/bin/kmod" "/usr/bin/dash=/usr/bin/dash"
	"$TOP/modules/install.sh=/usr/share/kvm-exit-stats/install.sh")
# Debian 13's kmod (34) opens its decompression libraries with dlopen(),
# which ldd does not list.
dlopened=$(ldconfig -p | awk '$1 ~ /^(liblzma\.so\.5|libzstd\.so\.1|libz\.so\.1)$/ && /x86-64/ { print $NF }')
for lib in $({ ldd /usr/bin/kmod /usr/bin/dash | awk '/=> \//{print $3} /^\t\/lib/{print $1}'; echo "$dlopened"; } | sort -u); do
	files+=("$lib=$lib")
done
"$TOP/lab/initramfs.sh" "$out" "${files[@]}" "$@"
say "stock: Debian's $kver ($img_ver) with the change's KVM modules: $S/vmlinuz, $out"
