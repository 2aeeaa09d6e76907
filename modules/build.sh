#!/usr/bin/env bash
# make debian-modules: the KVM modules with the change (kvm.ko, kvm-amd.ko,
# kvm-intel.ko) for Debian 12's own packaged kernels, 6.12 and the default
# 6.1, without rebuilding the kernel: arch/x86/kvm and virt/kvm of the
# patched source (build/kernel/src; for 6.1 build/kernel-6.1/src) are
# compiled against Debian's headers and config, the way an out-of-tree
# module is built (make -C HEADERS M=...).  Leaves them in build/debian/
# (6.1: build/debian-6.1/).
#
#   modules/build.sh                 for the running kernel if it is
#                                         Debian's 6.12 or 6.1, else for the
#                                         6.12 that matches linux-source-6.12
#   KVER=6.12.117+deb12-amd64 modules/build.sh
#   KVER=6.1.0-57-amd64 modules/build.sh      (Debian 12's default kernel)
#   SIGN_KEY=mok.priv SIGN_CERT=mok.der modules/build.sh   (Secure Boot)
#   KES_MODULES_VARIANT=PATCH modules/build.sh   a build variant for make
#       bench (e.g. the course's design): the change with PATCH applied, in
#       build/debian/variants/NAME/ (NAME: PATCH's file name without .patch)
#   KES_MODULES_VARIANT=without-change modules/build.sh   Debian's KVM
#       built the same way but without the change (its hooks compile to
#       nothing): make bench's control, build/debian/variants/without-change/
#
# The kernel source, the headers and the target kernel must be one version:
# the modules are built from the very source of the kernel that loads them.
set -euo pipefail
# The kernel line (lab/lib.sh), from the kernel the modules are for.
# A kernel that is not Debian's (a chroot of another release, a build
# machine): the line of the linux-source package installed, 6.12 if several.
if [ -z "${KES_LINE:-}" ]; then
	case ${KVER:-$(uname -r)} in
	6.1.0-*) KES_LINE=6.1 ;;
	6.12.*+deb*) KES_LINE=6.12 ;;
	7.2.*+deb*) KES_LINE=7.2 ;;
	*)	KES_LINE=$(dpkg-query -W -f='${Package} ${Status}\n' 'linux-source-*' 2>/dev/null |
			awk '/ ok installed$/ { sub(/^linux-source-/, "", $1); print $1 }')
		case $KES_LINE in 6.1|7.2) ;; *) KES_LINE=6.12 ;; esac ;;
	esac
fi
export KES_LINE
. "$(dirname "$0")/../lab/lib.sh"
. "$TOP/modules/debian.sh"

need_pkgs gcc libc6-dev make flex bison bc libelf-dev libssl-dev ccache rsync xz-utils dwarves kmod \
	"$KSRC_PACKAGE"
src_ver=$(ksrc_package_version)
running=$(uname -r)
case $KES_LINE in
6.1)	release_re='^6\.1\.0-[0-9]+-(amd64|cloud-amd64)$' ;;
*)	release_re="^${KES_LINE//./\\.}\\.[0-9]+\\+deb$DEB_RELEASE-(amd64|cloud-amd64)\$" ;;
esac

if [ -n "${KVER:-}" ]; then
	kver=$KVER
elif [[ $running =~ $release_re ]]; then
	kver=$running
else
	kver=$(deb_source_kver)
	say "debian-modules: the running kernel ($running) is not Debian's $KES_LINE: building for $kver"
fi
[[ $kver =~ $release_re ]] ||
	die "KVER=$kver is not a release of Debian $DEB_RELEASE's $KES_LINE kernel (e.g. $(deb_source_kver))"

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
pkg_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null; }

# The headers, and the version of the kernel the modules are for.
if [ "$kver" = "$running" ]; then
	need_pkgs "linux-headers-$kver"
	hdr=/usr/src/linux-headers-$kver
	hdr_ver=$(pkg_version "linux-headers-$kver")
	target_ver=$(sed -n 's/.* Debian \([^ ]*\) .*/\1/p' /proc/version)
	target_what="the running kernel $kver"
elif installed "linux-headers-$kver"; then
	hdr=/usr/src/linux-headers-$kver
	hdr_ver=$(pkg_version "linux-headers-$kver")
	target_ver=$(pkg_version "linux-image-$kver" || pkg_version "linux-image-$kver-unsigned" || true)
	target_ver=${target_ver:-$hdr_ver}
	target_what="the installed kernel $kver"
else
	# Not installed here (a build machine, the lab): Debian's packages of
	# that version, extracted into the cache, not installed.
	hdr_ver=$(deb_candidate "linux-headers-$kver")
	[ -n "$hdr_ver" ] || die "Debian's archive has no linux-headers-$kver: is KVER right? (apt-cache policy linux-headers-$kver)"
	target_ver=$(deb_candidate "$(deb_image_pkgs "$kver" | cut -d' ' -f1)")
	target_what="Debian's packaged kernel $kver"
	hdr=
fi

if [ "$src_ver" != "$hdr_ver" ] || [ "$src_ver" != "$target_ver" ]; then
	cat >&2 <<MSG
error: version mismatch: the KVM modules must be built from the source of the
kernel that loads them, and with its headers.
  kernel source   $KSRC_PACKAGE $src_ver
  headers         linux-headers-$kver ${hdr_ver:-(none)}
  kernel          $target_what ${target_ver:-(unknown)}
Make them one version: either install the source of that kernel,
  apt-get install $KSRC_PACKAGE=${target_ver:-VERSION}
(if Debian's archive still has it), or move to the kernel of this source,
  apt-get install linux-image-$(deb_source_kver) linux-headers-$(deb_source_kver)
and reboot into it; or name another kernel with KVER=RELEASE.
MSG
	exit 1
fi

if [ -z "$hdr" ]; then
	abi=${kver%-amd64}
	abi=${abi%-cloud}
	root=$DEB_CACHE/root/headers-$kver-$hdr_ver
	if [ ! -f "$root/.extracted" ]; then
		rm -rf "$root"
		mkdir -p "$root"
		# The kbuild package is per release (6.12, 7.2), 6.1's per line.
		kbuild=linux-kbuild-$abi
		[ "$KES_LINE" != 6.1 ] || kbuild=linux-kbuild-$KES_LINE
		for p in "linux-headers-$kver" "linux-headers-$abi-common" "$kbuild"; do
			dpkg-deb -x "$(deb_fetch "$p" "$hdr_ver")" "$root" || die "cannot extract $p"
		done
		# The headers' Makefile names the common part by its installed path.
		sed -i "s|/usr/src/|$root/usr/src/|" "$root/usr/src/linux-headers-$kver/Makefile"
		touch "$root/.extracted"
	fi
	hdr=$root/usr/src/linux-headers-$kver
fi
[ -f "$hdr/Makefile" ] || die "no kernel headers in $hdr: apt-get install linux-headers-$kver"

"$TOP/lab/kernel-tree.sh"
src_upstream=$(make -s -C "$KTREE" kernelversion)
hdr_upstream=$(sed -n 's/^VERSION = //p; s/^PATCHLEVEL = //p; s/^SUBLEVEL = //p' \
	"$(sed -n 's/^include //p' "$hdr/Makefile")" | paste -sd.)
[ "$src_upstream" = "$hdr_upstream" ] ||
	die "the source tree is Linux $src_upstream but the headers are Linux $hdr_upstream"

# A copy of KVM's sources, and a Kbuild file that builds it out of tree.
W=$DEB_OUT/tree
OUT=$DEB_OUT
variant=${KES_MODULES_VARIANT:-}
with_change=y
if [ "$variant" = without-change ]; then
	with_change=
	W=$DEB_OUT/variants/tree-$variant
	OUT=$DEB_OUT/variants/$variant
	variant=
elif [ -n "$variant" ]; then
	[ -r "$variant" ] || die "KES_MODULES_VARIANT=$variant: no such patch"
	variant=$(realpath "$variant")
	name=$(basename "$variant" .patch)
	W=$DEB_OUT/variants/tree-$name
	OUT=$DEB_OUT/variants/$name
fi
mkdir -p "$W/include/trace" "$W/include-overlay/asm" "$W/arch/x86/kvm" "$W/virt/kvm" "$OUT"
# --checksum: a variant's patched files go back to the source's, whatever
# their times.
rsync -a --checksum "$KTREE/arch/x86/kvm/" "$W/arch/x86/kvm/"
rsync -a "$KTREE/virt/kvm/" "$W/virt/kvm/"
if [ -n "$variant" ]; then
	(cd "$W" && patch -p1 -s --no-backup-if-mismatch < "$variant") ||
		die "$variant does not apply to the change's arch/x86/kvm"
fi
# The change edits asm/kvm_host.h, linux/kvm_host.h (its fields, appended to
# struct kvm_vcpu and struct kvm) and linux/kvm.h (its capability) and adds
# two headers of its own: they must come before Debian's headers, which
# kbuild puts before a module's -I flags.
mkdir -p "$W/include-overlay/linux"
for h in arch/x86/include/asm/kvm_host.h=asm arch/x86/include/asm/kvm_exit_stats.h=asm \
	 arch/x86/include/uapi/asm/kvm_exit_stats_cpuid.h=asm include/linux/kvm_host.h=linux \
	 include/uapi/linux/kvm.h=linux; do
	src=$KTREE/${h%=*}
	dst=$W/include-overlay/${h#*=}/${src##*/}
	cmp -s "$src" "$dst" || cp "$src" "$dst"
done
# Debian's vmlinux reads fields of struct kvm_vcpu: they must stay where
# its headers put them.
"$TOP/modules/layout-check.sh" "$hdr" "$W/include-overlay" "$OUT/layout"
kbuild=$W/arch/x86/kvm/Kbuild
{
	echo "# Generated by modules/build.sh: the Makefile of arch/x86/kvm, built"
	echo "# out of tree.  NOSTDINC_FLAGS come before the kernel's own include paths."
	echo "NOSTDINC_FLAGS += -I$W/include-overlay -I$W/include/trace"
	[ -z "$with_change" ] || echo "ccflags-y += -DCONFIG_KVM_EXIT_STATS=1"
	sed -e "s|\$(srctree)/arch/x86/kvm|$W/arch/x86/kvm|g" \
	    -e "s|\$(srctree)/virt/kvm/Makefile.kvm|$W/virt/kvm/Makefile.kvm|g" \
	    "$W/arch/x86/kvm/Makefile"
} > "$kbuild.new"
cmp -s "$kbuild.new" "$kbuild" && rm "$kbuild.new" || mv "$kbuild.new" "$kbuild"

say "debian-modules: building kvm.ko, kvm-amd.ko, kvm-intel.ko for $kver ($KSRC_PACKAGE $src_ver)"
kcache_env
start=$SECONDS
log=$OUT/build.log
if ! build_with_progress debian-modules "$log" make -C "$hdr" M="$W/arch/x86/kvm" \
	CONFIG_KVM_EXIT_STATS=$with_change DEBIAN_KERNEL_USE_CCACHE=1 -j"$(nproc)" modules; then
	grep -E 'error|Error' "$log" | head -20 >&2
	die "the module build failed: see $log"
fi

for m in kvm kvm-amd kvm-intel; do
	# Without their debug information, as Debian installs modules.
	strip --strip-debug -o "$OUT/$m.ko" "$W/arch/x86/kvm/$m.ko"
	if [ -n "${SIGN_KEY:-}" ]; then
		[ -r "$SIGN_KEY" ] && [ -r "${SIGN_CERT:-}" ] ||
			die "SIGN_KEY and SIGN_CERT must name a readable private key and its certificate"
		"$hdr/scripts/sign-file" sha256 "$SIGN_KEY" "$SIGN_CERT" "$OUT/$m.ko" ||
			die "sign-file could not sign $m.ko with $SIGN_KEY"
	fi
done
echo "$kver" > "$OUT/kernel-release"
say "debian-modules: built for $kver in $((SECONDS - start)) s: ${OUT#"$TOP"/}/kvm.ko kvm-amd.ko kvm-intel.ko; $(kcache_rate)"
say "debian-modules: vermagic $(modinfo -F vermagic "$OUT/kvm.ko")"
