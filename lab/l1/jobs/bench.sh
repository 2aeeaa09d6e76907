#!/bin/sh
# make bench: the cost of one exit in each tier of the statistics (off,
# counts, time, hist).  The same CPUID workload (N exits, one vCPU) three
# times in each tier, in turn; the host runs the emulator with a clock that
# counts instructions, so the times are repeatable and 1 ns is one emulated
# instruction (QEMU -icount shift=0).
n=${KES_BENCH_N:-20000}
for round in 1 2 3; do
	for tier in hist time counts off; do
		echo $tier > /sys/module/kvm/parameters/exit_stats
		t=$(/tests/kvm-workload --cpuid "$n" --time 2>/dev/null | sed -n 's/.*: \([0-9.]*\) ns each$/\1/p')
		echo "KES-BENCH exit_stats=$tier round=$round cpuid_exit_ns=$t"
	done
done
echo time > /sys/module/kvm/parameters/exit_stats
