#!/bin/sh
# Records exit_stats files for the unit tests' fixtures (lab/record-fixtures.sh):
# a known workload, then the per-VM and the system-wide file.
/tests/kvm-workload --cpuid 5000 --io 2000 --rdmsr 300 --wrmsr 200 --hlt 100 \
	--vcpus 2 --save-vm-stats /tmp/vm.txt >/dev/null || echo "KES-ERROR workload failed"
echo "KES-FILE vm"
cat /tmp/vm.txt
echo "KES-FILE system"
cat /sys/kernel/debug/kvm/exit_stats
echo "KES-FILE-END"
