#!/bin/sh
# make stress (lab/stress.sh): the stress test on the stress kernel (KVM as
# modules, loaded by the L1 init), then a leak scan.  kes.stress=SECONDS,
# kes.phases=exact,chaos,reload (commas for spaces).
seconds=$(sed -n 's/.*kes\.stress=\([0-9]*\).*/\1/p' /proc/cmdline)
phases=$(sed -n 's/.*kes\.phases=\([^ ]*\).*/\1/p' /proc/cmdline | tr ',' ' ')
# shellcheck disable=SC2086
kes-run stress --timeout $((${seconds:-60} + 240)) /tests/stress_test "${seconds:-60}" $phases
# Leaks: kmemleak reports what it finds on its second scan (the first marks).
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	sleep 5
	echo scan > /sys/kernel/debug/kmemleak
	leaks=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
	echo "KES-KMEMLEAK $leaks unreferenced objects"
	head -60 /sys/kernel/debug/kmemleak
fi
echo "KES-STRESS L1 responsive at the end: uptime=$(cut -d' ' -f1 /proc/uptime)"
