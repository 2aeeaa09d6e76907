#!/bin/sh
# make bench: what a guest hammering the statistics' CPUID leaves costs the
# others: VM lives (create, one vCPU, destroy) per second on one CPU while
# another VM's vCPU, on the other CPU, executes nothing / plain CPUID /
# queries of the system-wide totals; three rounds.  Then what a guest's
# dump request costs its own vCPU.
echo system > /sys/module/kvm/parameters/exit_stats_cpuid
for round in 1 2 3; do
	for mode in none cpuid totals; do
		echo "KES-BENCH round=$round $(/tests/kvm-hammer $mode 4 2>&1 | grep '^kvm-hammer:')"
	done
done
echo 1 > /sys/module/kvm/parameters/exit_stats_cpuid_dump
/tests/kvm-hammer dump 5 2>&1 | grep '^kvm-hammer:' | sed 's/^/KES-BENCH /'
echo 0 > /sys/module/kvm/parameters/exit_stats_cpuid_dump
echo off > /sys/module/kvm/parameters/exit_stats_cpuid
