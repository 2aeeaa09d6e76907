#!/bin/sh
# The lab tests (make check): each test program prints TAP between
# KES-BEGIN and KES-END lines, which the host counts.  A program that hangs
# is killed after 300 s (status 137) and counts as failed.
run() {
	name=$1
	shift
	echo "KES-BEGIN $name"
	timeout -s KILL 300 "$@" 2>&1
	echo "KES-END $name status=$?"
}
run exit_count /tests/exit_count_test 1000
run parallel /tests/parallel_test 200000 2
run vm_scope /tests/vm_scope_test
run control /tests/control_test
run fastpath /tests/fastpath_test 200
run cpuid_abi /tests/cpuid_abi_test
# For the record: every exit reason the tests exercised, system-wide.
echo "KES-FILE system"
grep -v ' 0 0 0 0$' /sys/kernel/debug/kvm/exit_stats
echo "KES-FILE-END"
