#!/bin/sh
# The lab tests (make check): each test program prints TAP between
# KES-BEGIN and KES-END lines, which the host counts.  A program that hangs
# is killed after 300 s (status 137) and counts as failed.  In an L1 that
# runs Debian's own kernel (KVM as modules, /modules), the modules are also
# unloaded and loaded again, and at the end the kernel is put in lockdown.
run() {
	name=$1
	shift
	echo "KES-BEGIN $name uptime=$(cut -d' ' -f1 /proc/uptime)"
	timeout -s KILL 300 "$@" 2>&1
	echo "KES-END $name status=$? uptime=$(cut -d' ' -f1 /proc/uptime)"
}
[ -d /modules ] && run module_reload /tests/module_reload_test
[ -x /usr/bin/kmod ] && run debian_install /tests/debian_install_test.sh
run exit_count /tests/exit_count_test 1000
run parallel /tests/parallel_test 200000 2
run vm_scope /tests/vm_scope_test
run control /tests/control_test
run fastpath /tests/fastpath_test 200
run guest_access /tests/guest_access_test	# before any test that sets kvm.exit_stats_cpuid
run cpuid_abi /tests/cpuid_abi_test
run reset_race /tests/reset_race_test 2000
run host_tool /tests/host_tool_test

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
