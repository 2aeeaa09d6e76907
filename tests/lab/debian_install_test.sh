#!/bin/sh
# What a Debian user runs to put the change's KVM modules in place of
# Debian's and to go back (make debian-install / debian-uninstall, i.e.
# modules/install.sh), run here as it is, with Debian's kmod and Debian's own
# modules in /lib/modules: after "install --reload" modprobe loads ours
# (the exit statistics are there and count); after "uninstall --reload",
# Debian's own (no exit statistics).  Prints TAP.
#   debian_install_test.sh   (in an L1 that runs Debian's kernel)
K=/usr/share/kvm-exit-stats/install.sh
export PATH=/usr/sbin:$PATH
mkdir -p /usr/sbin
for c in depmod modprobe modinfo rmmod insmod lsmod; do ln -sf /usr/bin/kmod /usr/sbin/$c; done
kver=$(uname -r)
echo "1..3"

kvm-modules unload
if dash $K install --reload --from /modules > /tmp/out 2>&1 &&
   [ -e /sys/module/kvm/parameters/exit_stats ] &&
   modinfo -F filename kvm | grep -q "/lib/modules/$kver/updates/kvm-exit-stats/kvm.ko"; then
	echo "ok 1 install --reload: modprobe loads the change's kvm.ko from updates/"
else
	echo "not ok 1 install --reload: modprobe loads the change's kvm.ko from updates/"
	sed 's/^/# /' /tmp/out
fi

# Setting a VM up costs exits too: the difference of two runs is exact.
cpuid() { awk '$2 == "cpuid" || $2 == "CPUID" { print $3 }' /sys/kernel/debug/kvm/exit_stats; }
c0=$(cpuid)
/tests/kvm-workload --cpuid 100 > /tmp/wl 2>&1
c1=$(cpuid)
/tests/kvm-workload --cpuid 1100 >> /tmp/wl 2>&1
c2=$(cpuid)
if [ -n "$c0" ] && [ $(((c2 - c1) - (c1 - c0))) -eq 1000 ]; then
	echo "ok 2 the modules modprobe loaded count 1000 more CPUID exits as 1000 more"
else
	echo "not ok 2 the modules modprobe loaded count 1000 more CPUID exits as 1000 more ($c0, $c1, $c2)"
	sed 's/^/# /' /tmp/wl
fi

dash $K uninstall --reload --from /modules > /tmp/out 2>&1
st=$?
if [ $st = 0 ] && grep -q '^kvm ' /proc/modules && [ ! -e /sys/module/kvm/parameters/exit_stats ] &&
   [ ! -e /sys/kernel/debug/kvm/exit_stats ] &&
   modinfo -F filename kvm | grep -q "/lib/modules/$kver/kernel/arch/x86/kvm/kvm\.ko\(\.xz\)\{0,1\}$"; then
	echo "ok 3 uninstall --reload: Debian's own kvm.ko is back, without exit statistics"
else
	echo "not ok 3 uninstall --reload: Debian's own kvm.ko is back, without exit statistics"
	sed 's/^/# /' /tmp/out
	echo "# uninstall: exit $st; loaded: $(grep -c '^kvm ' /proc/modules) kvm; exit_stats parameter: $(ls /sys/module/kvm/parameters/exit_stats 2>&1);" \
		"debugfs: $(ls /sys/kernel/debug/kvm/exit_stats 2>&1);" \
		"modinfo: $(modinfo -F filename kvm 2>&1) (want /lib/modules/$kver/kernel/arch/x86/kvm/kvm.ko[.xz])"
fi

# Back to the modules the other tests expect.
modprobe -r kvm_amd kvm_intel kvm 2>/dev/null
kvm-modules load
