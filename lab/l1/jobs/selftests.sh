#!/bin/sh
# KVM's own selftests (/selftests, built by lab/selftests-build.sh) with
# Debian's own KVM modules and then with the change's, in Debian's kernel:
# one "KES-SELFTEST MODULES NAME RESULT" line per test and set, RESULT pass
# (exit 0), skip (exit 4, KSFT_SKIP) or fail (anything else, a timeout too:
# 120 s of L1 time, with a KES-ALIVE line every 30 s while a test runs).  The host compares the two sets (lab/selftests.sh).
kvm-modules unpack-debian /tmp/debian
tests=$(sed -n 's/.*kes\.selftests=\([^ ]*\).*/\1/p' /proc/cmdline | tr ',' ' ')
[ -n "$tests" ] || tests=$(cd /selftests && ls)
for set in debian ours; do
	kvm-modules unload 2>/dev/null
	if [ $set = debian ]; then dir=/tmp/debian; else dir=/modules; fi
	kvm-modules load "$dir" || { echo "KES-ERROR the $set modules did not load"; continue; }
	echo "KES-SELFTEST-SET $set $(grep -c exit_stats /proc/kallsyms) exit_stats symbols"
	for t in $tests; do
		echo "KES-ALIVE $set $t"
		# A quiet test (memslot_perf_test) must not look like a hung L1
		# to the host's silence watchdog: a heartbeat while it runs.
		(while sleep 30; do echo "KES-ALIVE $set $t running"; done) &
		hb=$!
		timeout -s KILL 120 "/selftests/$t" > /tmp/out 2>&1
		st=$?
		kill $hb 2>/dev/null
		wait $hb 2>/dev/null
		case $st in
		0) r=pass ;;
		4) r=skip ;;
		*) r=fail ;;
		esac
		echo "KES-SELFTEST $set $t $r status=$st"
		[ $r = fail ] && tail -5 /tmp/out | sed "s/^/KES-SELFTEST-OUT $set $t: /"
	done
done
