#!/usr/bin/env bash
# Builds what it takes to boot Debian's own 6.12 kernel (or 6.1, 7.2) as L1 with the KVM
# modules of the change in place of Debian's: the kernel image
# (build/lab/stock/vmlinuz, from the unsigned image package, not installed),
# and an initramfs (build/lab/l1-stock.cpio.gz) with the lab's programs and
# jobs, Debian's irqbypass.ko and ccp.ko, and build/debian/kvm*.ko.
# With KES_LINE=6.1, Debian 12's default 6.1 kernel: build/lab/stock-6.1/,
# build/lab/l1-stock-6.1.cpio.gz, build/debian-6.1/kvm*.ko; KES_LINE=7.2
# likewise (Debian unstable's 7.2).
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
# KES_L1_PREBUILT=1: build/l1 is there already (lab/debian-release.sh: a
# release without linux-source-6.12, whose tree builds the lab's programs).
if [ "${KES_L1_PREBUILT:-}" = 1 ]; then
	[ -d "$BUILD/l1/bin" ] || die "KES_L1_PREBUILT=1 but build/l1/bin is missing: run lab/l1-build.sh"
else
	"$TOP/lab/l1-build.sh"
fi

# Debian's packages of that kernel, extracted (modules/debian.sh); the
# first is the image.
pkgs=$(deb_image_pkgs "$kver")
roots=()
for p in $pkgs; do
	roots+=("$(deb_extract "$p" "$(deb_candidate "$p")")")
done
img_ver=$(deb_candidate "${pkgs%% *}")
# pick PATH...: the first of these paths that one of the packages has.
pick() {
	local r p
	for p in "$@"; do
		for r in "${roots[@]}"; do
			[ -e "$r/$p" ] && { echo "$r/$p"; return; }
		done
	done
	die "Debian's packages of $kver ($pkgs) have none of: $*"
}
S=$LAB/stock$sfx
mkdir -p "$S/modules"
mods=/lib/modules/$kver
cp "$(pick "boot/vmlinuz-$kver" "usr$mods/vmlinuz")" "$S/vmlinuz"
cp "$(pick "boot/System.map-$kver" "usr$mods/System.map")" "$S/System.map"
# Debian's modules: xz-compressed on 6.12 and 7.2, plain on 6.1; in
# /usr/lib/modules from Debian 13 on (merged /usr), in /lib/modules in L1
# as in Debian 12.
z=
pick "${mods#/}/kernel/virt/lib/irqbypass.ko.xz" "usr$mods/kernel/virt/lib/irqbypass.ko.xz" \
	"${mods#/}/kernel/virt/lib/irqbypass.ko" "usr$mods/kernel/virt/lib/irqbypass.ko" | grep -q '\.xz$' && z=.xz
for m in virt/lib/irqbypass drivers/crypto/ccp/ccp; do
	f=$(pick "${mods#/}/kernel/$m.ko$z" "usr$mods/kernel/$m.ko$z")
	if [ -n "$z" ]; then
		xz -dc "$f" > "$S/modules/${m##*/}.ko"
	else
		cp "$f" "$S/modules/${m##*/}.ko"
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
	files+=("$(pick "${mods#/}/$f" "usr$mods/$f")=$mods/$f")
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
