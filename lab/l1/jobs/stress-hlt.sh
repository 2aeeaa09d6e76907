#!/bin/sh
# For developers: the HLT workload many times over, to see how often the
# wake-up IPI comes before the HLT under this emulator, and whether it hangs.
i=0
while [ $i -lt ${KES_STRESS_RUNS:-20} ]; do
	timeout 120 /tests/kvm-workload --hlt 2000 --vcpus 2 2>&1 | grep -E "done|FAIL|rror" ||
		echo "KES-STRESS run $i failed or hung"
	i=$((i + 1))
done
