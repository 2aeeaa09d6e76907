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
# The same tree with CONFIG_KVM_EXIT_STATS=n: the hooks must compile away.
off=$BUILD/kernel/obj-off
mkdir -p "$off"
build_off() {
	export CCACHE_DIR=$KES_CCACHE_DIR CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1
	sed 's/^CONFIG_KVM_EXIT_STATS=y$/# CONFIG_KVM_EXIT_STATS is not set/' "$cfg" > "$off/.config.want"
	cmp -s "$off/.config.want" "$off/.config" || cp "$off/.config.want" "$off/.config"
	make -s -C "$KTREE" O="$off" CC="ccache gcc" olddefconfig &&
	! grep -q '^CONFIG_KVM_EXIT_STATS=y' "$off/.config" &&
	make -s -C "$KTREE" O="$off" CC="ccache gcc" -j"$(nproc)" arch/x86/kvm/ &&
	[ ! -e "$off/arch/x86/kvm/exit_stats.o" ]
}
tap_run "kernel: builds with CONFIG_KVM_EXIT_STATS=n, with no exit_stats code" -- build_off
