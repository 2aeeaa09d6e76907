#!/bin/sh
# Records exit_stats files for the unit tests' fixtures (lab/record-fixtures.sh):
# after a reset, two VMs with different workloads run at the same time; each
# VM's file is saved just before the VM is destroyed, then the system-wide
# file, which is their sum, and its histograms.
# The tier hist, so that the histograms (exit_stats_hist) are recorded too:
# switched on before the reset, they hold every exit timed after it.
echo hist > /sys/module/kvm/parameters/exit_stats
echo reset > /sys/kernel/debug/kvm/exit_stats_control
/tests/kvm-workload --cpuid 3000 --io 1000 --rdmsr 200 --wrmsr 100 --hlt 50 --vcpus 2 \
	--save-vm-stats /tmp/vm-a.txt > /tmp/a.out 2>&1 &
a=$!
/tests/kvm-workload --cpuid 1000 --io 3000 --rdmsr 50 --wrmsr 300 --tscdl 40 \
	--save-vm-stats /tmp/vm-b.txt > /tmp/b.out 2>&1 &
b=$!
wait $a || echo "KES-ERROR workload A failed: $(cat /tmp/a.out)"
wait $b || echo "KES-ERROR workload B failed: $(cat /tmp/b.out)"
echo "KES-FILE vm-a"
cat /tmp/vm-a.txt
echo "KES-FILE vm-b"
cat /tmp/vm-b.txt
echo "KES-FILE system-2vms"
cat /sys/kernel/debug/kvm/exit_stats
echo "KES-FILE system-2vms-hist"
cat /sys/kernel/debug/kvm/exit_stats_hist
echo "KES-FILE-END"
echo time > /sys/module/kvm/parameters/exit_stats
