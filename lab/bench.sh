#!/usr/bin/env bash
# make bench: what the statistics cost.  Boots the lab kernel on both back
# ends with clocks that count emulated instructions (QEMU: -icount shift=0,
# 1 ns per instruction; Bochs: clock sync=none at a fixed 100 MIPS) and runs
# the same CPUID workload with kvm.exit_stats=1 and =0 (lab/l1/jobs/bench.sh);
# prints the time of one CPUID exit round trip each way and the difference,
# and the memory the statistics add per vCPU.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$TOP/lab/kernel-build.sh"
"$TOP/lab/l1-build.sh"
out=$BUILD/bench
mkdir -p "$out"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

report() {	# report NAME LOG UNIT
	local on off
	on=$(sed -n 's/^KES-BENCH exit_stats=1 .*cpuid_exit_ns=\([0-9.]*\)$/\1/p' "$2" | median)
	off=$(sed -n 's/^KES-BENCH exit_stats=0 .*cpuid_exit_ns=\([0-9.]*\)$/\1/p' "$2" | median)
	[ -n "$on" ] && [ -n "$off" ] || die "no benchmark figures in $2"
	awk -v n="$1" -v on="$on" -v off="$off" -v unit="$3" 'BEGIN {
		printf "%-34s on %9.1f  off %9.1f  cost %7.1f %s per exit (%.2f%% of the round trip)\n",
		       n, on, off, on - off, unit, 100 * (on - off) / off }'
}

KES_QEMU_ARGS="-icount shift=0,sleep=off" \
	"$TOP/lab/boot-qemu.sh" "$LAB/l1.cpio.gz" bench "$out/svm.log" 1 900 >/dev/null
"$TOP/lab/boot-bochs.sh" "$LAB/l1.cpio.gz" bench "$out/vmx.log" 900 >/dev/null

echo "kvm-exit-stats bench: one CPUID exit round trip of a nested guest (median of 3 runs of"
echo "20,000), the statistics on and off; instructions of the emulated CPU, not cycles:"
echo "an rdtsc counts as one instruction here but costs 20-40 cycles on hardware."
report "SVM (QEMU -icount, instructions)" "$out/svm.log" instructions
# Bochs runs 100 million instructions per emulated second: 1 ns = 0.1 instruction.
report "VMX (Bochs, 100 MIPS, ns)" "$out/vmx.log" "ns"

sizes=$(gcc -std=c11 -I"$TOP/tests/unit/kshim" -I"$TOP/kernel/files/arch/x86/include" -x c - \
	-o "$out/size" <<'C' && "$out/size"
#include <stdio.h>
#include <linux/types.h>
#include <asm/kvm_exit_stats.h>
int main(void)
{
	printf("%zu %zu", sizeof(struct kvm_vcpu_exit_stats), sizeof(struct kvm_exit_stats));
	return 0;
}
C
)
read -r vcpu_size stats_size <<< "$sizes"
echo "memory: $vcpu_size bytes per vCPU (struct kvm_vcpu_exit_stats, in struct kvm_vcpu_arch);"
echo "        $stats_size bytes per departed-VM total and per read (kzalloc, freed)"
