#!/bin/sh
# make demo: a known workload on two vCPUs, watched by kvm-exitstat in
# interval mode while it runs; then the system-wide table and the raw file.
echo "KES-DEMO workload: 2 vCPUs x (20000 CPUID, 5000 port writes, 1000 RDMSR, 1000 WRMSR, 500 HLT, 200 LAPIC timer)"
/tests/kvm-workload --cpuid 20000 --io 5000 --rdmsr 1000 --wrmsr 1000 --hlt 500 --tscdl 200 \
	--vcpus 2 --pin > /tmp/workload.out 2>&1 &
echo "KES-DEMO"
echo "KES-DEMO \$ kvm-exitstat -i 0.5 -n 6      (while the workload runs)"
/tests/kvm-exitstat -i 0.5 -n 6
wait
grep -v '^Random seed' /tmp/workload.out
echo "KES-DEMO"
echo "KES-DEMO \$ kvm-exitstat"
/tests/kvm-exitstat
echo "KES-DEMO"
echo "KES-DEMO \$ grep -v ' 0 0 0 0\$' /sys/kernel/debug/kvm/exit_stats"
grep -v ' 0 0 0 0$' /sys/kernel/debug/kvm/exit_stats
echo "KES-DEMO end"
