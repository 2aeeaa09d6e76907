#!/usr/bin/env bash
# Suite "kernel": Debian's 6.12 source with the change builds, both vendor
# modules built in and calling the hooks; and it builds with the option off.
set -uo pipefail
. "$(dirname "$0")/../../lab/lib.sh"
. "$TOP/tests/tap.sh"

tap_run "kernel: $KSRC_PACKAGE $(ksrc_package_version) with the change builds (make kernel)" -- \
	"$TOP/lab/kernel-build.sh"
cfg=$KOBJ/.config
for opt in KVM KVM_INTEL KVM_AMD KVM_EXIT_STATS; do
	grep -qx "CONFIG_$opt=y" "$cfg" 2>/dev/null
	tap $? "kernel: CONFIG_$opt=y (built in)"
done
for vendor in vmx svm; do
	syms=$(nm "$KOBJ/arch/x86/kvm/$vendor/$vendor.o" 2>/dev/null)
	grep -q " U ${vendor}_exit_stats_init$" <<<"$syms" && grep -q ' U kvm_exit_stats_key$' <<<"$syms"
	tap $? "kernel: $vendor/$vendor.o calls ${vendor}_exit_stats_init and tests kvm_exit_stats_key in its exit path"
done
nm "$KOBJ/arch/x86/kvm/cpuid.o" 2>/dev/null | grep -q ' U __kvm_exit_stats_cpuid$'
tap $? "kernel: cpuid.o hands the exit statistics' CPUID leaves to __kvm_exit_stats_cpuid"
# Every out-of-line hook that kernel/hooks.patch adds to a file is called by
# that file's object: a hunk applied with fuzz in the wrong place, or lost,
# shows here (inline hooks leave no symbol; the lab tests what they do).
hooks_called() {
	local f o syms name defined missing=
	defined=$(nm --defined-only "$KOBJ"/arch/x86/kvm/exit_stats*.o "$KOBJ"/arch/x86/kvm/*/exit_stats_*.o |
		awk '$2 == "T" { print $3 }' | sort -u)
	for f in $(sed -n 's|^+++ b/\(.*\.c\)$|\1|p' "$TOP/kernel/hooks.patch"); do
		o=$KOBJ/${f%.c}.o
		syms=$(nm "$o" 2>/dev/null)
		for name in $(awk -v f="+++ b/$f" '/^\+\+\+ / { on = $0 == f; next }
				on && /^\+/' "$TOP/kernel/hooks.patch" |
				grep -o '\b[a-z_]*exit_stats_[a-z_]*(' | tr -d '(' | sort -u); do
			grep -qx "$name" <<<"$defined" || continue
			grep -q " [UT] $name$" <<<"$syms" || missing+=" $f:$name"
		done
	done
	[ -z "$missing" ] || { echo "# not called where the hooks put it:$missing"; return 1; }
}
tap_run "kernel: each file kernel/hooks.patch edits calls the hooks it adds there (nm)" -- hooks_called

# The same tree with CONFIG_KVM_EXIT_STATS=n: the hooks must compile away.
off=$BUILD/kernel/obj-off
mkdir -p "$off"
build_off() {
	kcache_env
	sed 's/^CONFIG_KVM_EXIT_STATS=y$/# CONFIG_KVM_EXIT_STATS is not set/' "$cfg" > "$off/.config.want"
	cmp -s "$off/.config.want" "$off/.config" || cp "$off/.config.want" "$off/.config"
	make -s -C "$KTREE" O="$off" CC="ccache gcc" olddefconfig &&
	! grep -q '^CONFIG_KVM_EXIT_STATS=y' "$off/.config" &&
	make -s -C "$KTREE" O="$off" CC="ccache gcc" -j"$(nproc)" arch/x86/kvm/ &&
	[ ! -e "$off/arch/x86/kvm/exit_stats.o" ]
}
tap_run "kernel: builds with CONFIG_KVM_EXIT_STATS=n, with no exit_stats code" -- build_off

# KVM as modules, the way distributions build it: Debian's config
# (CONFIG_KVM=m, KVM_AMD=m, KVM_INTEL=m), against Debian's headers.
. "$TOP/modules/debian.sh"
kver=$(deb_source_kver)
D=$BUILD/debian
tap_run "kernel: the change builds as modules for Debian's $kver (make debian-modules)" -- \
	env KVER="$kver" "$TOP/modules/build.sh"
exported=$(awk '$2 ~ /exit_stats/ && $4 == "EXPORT_SYMBOL_GPL" { print $2 }' \
	"$D/tree/arch/x86/kvm/Module.symvers" 2>/dev/null | sort)
needed=$(nm -u "$D/kvm-amd.ko" "$D/kvm-intel.ko" 2>/dev/null | awk '/exit_stats/ { print $2 }' | sort -u)
[ -n "$needed" ] && [ "$exported" = "$needed" ] &&
	! awk '$2 ~ /exit_stats/ && $4 != "EXPORT_SYMBOL_GPL"' "$D/tree/arch/x86/kvm/Module.symvers" | grep -q .
tap $? "kernel: kvm.ko exports (GPL) exactly what kvm-amd.ko and kvm-intel.ko call: $(echo $needed)"
[ "$exported" = "$needed" ] || printf '# exported: %s\n# needed:   %s\n' "$(echo $exported)" "$(echo $needed)"
# The modules keep the layout that Debian's vmlinux reads (modules/
# layout-check.sh, run by every build above): shown able to fail, on an
# overlay with one field inserted before vcpu->stat.
layout_mutant() {
	local hdr m=$BUILD/debian/layout-mutant out
	hdr=$(ls -d "$DEB_CACHE"/root/headers-"$kver"-*/usr/src/linux-headers-"$kver" | tail -1)
	rm -rf "$m" "$m.work" && mkdir -p "$m" && cp -r "$D/tree/include-overlay/." "$m/" || return 1
	sed -i 's/^\tstruct kvm_vcpu_stat stat;$/\tu64 kes_layout_mutant;\n&/' "$m/linux/kvm_host.h"
	grep -q kes_layout_mutant "$m/linux/kvm_host.h" || { echo "# the mutant was not made"; return 1; }
	out=$("$TOP/modules/layout-check.sh" "$hdr" "$m" "$m.work" 2>&1) && return 1
	grep -q 'struct kvm_vcpu_stat stat;' <<<"$out"
}
tap_run "kernel: the layout check refuses modules that move vcpu->stat, which Debian's vmlinux writes" -- \
	layout_mutant
img=$(deb_extract "linux-image-$kver-unsigned" "$(deb_candidate "linux-image-$kver-unsigned")")
same=0
for m in kvm kvm-amd kvm-intel; do
	theirs=$img/lib/modules/$kver/kernel/arch/x86/kvm/$m.ko.xz
	for f in vermagic depends; do
		ours_v=$(modinfo -F $f "$D/$m.ko" 2>&1) || ours_v="(modinfo failed: $ours_v)"
		theirs_v=$(modinfo -F $f "$theirs" 2>&1) || theirs_v="(modinfo failed: $theirs_v)"
		# Equal and known: two failures or two empty answers are no proof.
		if [ "$ours_v" != "$theirs_v" ] || { [ $f = vermagic ] && [ -z "$ours_v" ]; }; then
			echo "# $m.ko: $f '$ours_v', Debian's '$theirs_v'"
			same=1
		fi
	done
done
tap $same "kernel: the three modules have the vermagic and dependencies of Debian's own ($(modinfo -F vermagic "$D/kvm.ko" | xargs))"

# Another kernel version than the source's: refused, with what to install,
# and nothing built changes.
other=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
	awk '{ print $1 }' | sed 's/^linux-headers-//' | grep -vx "$kver" | sort -V | tail -1)
sums=$(sha256sum "$D"/*.ko)
out=$(KVER=$other "$TOP/modules/build.sh" 2>&1)
rc=$?
[ -n "$other" ] && [ $rc -ne 0 ] && grep -q 'version mismatch' <<<"$out" &&
	grep -q "apt-get install $KSRC_PACKAGE=" <<<"$out" && [ "$sums" = "$(sha256sum "$D"/*.ko)" ]
tap $? "kernel: make debian-modules KVER=$other refuses the mismatch (exit $rc) and says what to install"
printf '%s\n' "$out" | grep -A3 'kernel source' | sed 's/^/# /'

# Signed for a Secure Boot host: with a key of the user's own (a MOK).
key=$BUILD/debian/test-mok
need_pkgs openssl
sign_and_check() {
	openssl req -new -x509 -newkey rsa:2048 -nodes -days 1 -outform DER -keyout "$key.priv" \
		-out "$key.der" -subj "/CN=kvm-exit-stats test key/" 2>/dev/null &&
	KVER=$kver SIGN_KEY=$key.priv SIGN_CERT=$key.der "$TOP/modules/build.sh" &&
	for m in kvm kvm-amd kvm-intel; do
		[ "$(modinfo -F signer "$D/$m.ko")" = "kvm-exit-stats test key" ] || return 1
	done
}
tap_run "kernel: make debian-modules SIGN_KEY= SIGN_CERT= signs the three modules with that key" -- \
	sign_and_check
KVER=$kver "$TOP/modules/build.sh" >/dev/null 2>&1	# unsigned again, for the lab
