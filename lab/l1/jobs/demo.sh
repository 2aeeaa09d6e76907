#!/bin/sh
# make demo: a known workload on two vCPUs, then the system-wide table.
echo "KES-DEMO workload: 2 vCPUs x (20000 CPUID, 5000 port writes, 1000 RDMSR, 1000 WRMSR, 500 HLT)"
/tests/kvm-workload --cpuid 20000 --io 5000 --rdmsr 1000 --wrmsr 1000 --hlt 500 --vcpus 2 --pin
echo "KES-DEMO table"
grep -v ' 0 0 0 0$' /sys/kernel/debug/kvm/exit_stats
echo "KES-DEMO end"
