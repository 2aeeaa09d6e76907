#!/bin/sh
# The lab tests (make check): each test program prints TAP between
# KES-BEGIN and KES-END lines, which the host counts (lab/l1/kes-run: a
# program still running after 300 s is diagnosed and killed, status 137, a
# failure).  In an L1 that runs Debian's own kernel (KVM as modules,
# /modules), the modules are also unloaded and loaded again, and at the end
# the kernel is put in lockdown.  kes.only=a,b on the command line runs
# only the tests named (a core subset, on another kernel line).
only=$(sed -n 's/.*kes\.only=\([^ ]*\).*/\1/p' /proc/cmdline | tr , ' ')
run() {
	if [ -n "$only" ] && ! echo " $only " | grep -q " $1 "; then
		return 0
	fi
	kes-run "$@"
}
[ -d /modules ] && run module_reload /tests/module_reload_test
[ -x /usr/bin/kmod ] && run debian_install /tests/debian_install_test.sh
# Under Bochs (about 4 wall seconds per L1 second with two CPUs) 100 of
# each kind (10 HLT): as exact a test, in a tenth of the exits.
n=1000
grep -q 'kes.accel=bochs' /proc/cmdline && n=100
run exit_count /tests/exit_count_test $n
run realmode /tests/realmode_test
# VMX: KVM emulates a guest state that virtual-8086 mode cannot run (real
# mode without unrestricted guest): kvm_intel reloaded without it.
if [ -d /modules ] && grep -qw vmx /proc/cpuinfo; then
	echo "KES-NOTE reloading kvm_intel with unrestricted_guest=0"
	kvm-modules unload && kvm-modules load /modules unrestricted_guest=0 &&
		run realmode_emulated /tests/realmode_test
	kvm-modules unload && kvm-modules load
fi
run parallel /tests/parallel_test 200000 2
run vm_scope /tests/vm_scope_test
run control /tests/control_test
run fastpath /tests/fastpath_test 200
run guest_access /tests/guest_access_test	# before any test that sets kvm.exit_stats_cpuid
run cpuid_abi /tests/cpuid_abi_test
run reset_race /tests/reset_race_test 2000
run time_split /tests/time_split_test
run hist /tests/hist_test $((n * 2))
run binary_stats /tests/binary_stats_test $n
run host_tool /tests/host_tool_test
# The change's own KVM selftest, built from the kernel line's tree, where
# the initramfs has it (the 7.2 lab kernel's: lab/debian-release.sh).
[ -x /selftests/exit_stats_test ] && run exit_stats_selftest /selftests/exit_stats_test
# A short stress (make stress runs it long, with the chaos phase, on a debug
# kernel): where two L1 CPUs really run at once, under multi-threaded TCG.
grep -q 'kes.accel=tcg,thread=multi' /proc/cmdline && run stress --ring /tests/stress_test 60 exact

# The guest tool run here, in L1, whose own host (the emulator) has no exit
# statistics: it must say so and exit 1.
echo "KES-BEGIN guest_tool_without_host_support"
echo "1..1"
/tests/kvm-exitstat-guest > /tmp/out 2> /tmp/err
rc=$?
if [ $rc = 1 ] && grep -q "provides no VM-exit statistics" /tmp/err && [ ! -s /tmp/out ]; then
	echo "ok 1 kvm-exitstat-guest on a host without the change: a plain error, exit 1"
else
	echo "not ok 1 kvm-exitstat-guest on a host without the change: exit $rc"
	sed 's/^/# /' /tmp/err /tmp/out
fi
echo "KES-END guest_tool_without_host_support status=0"
# The host tool's Prometheus output, for promtool on the host.
echo "KES-FILE prometheus"
/tests/kvm-exitstat --prometheus
echo "KES-FILE-END"

# For the record: every exit reason the tests exercised, system-wide.
echo "KES-FILE system"
grep -v ' 0 0 0 0$' /sys/kernel/debug/kvm/exit_stats
echo "KES-FILE-END"
# Last, as it cannot be undone: lockdown, raised at run time (Debian's
# kernel refuses the unsigned modules if it boots in lockdown).
[ -d /modules ] && run lockdown /tests/lockdown_test --raise
