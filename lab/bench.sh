#!/usr/bin/env bash
# make bench: what the statistics cost.  Boots the lab kernel on both back
# ends with clocks that count emulated instructions (QEMU: -icount shift=0,
# 1 ns per instruction; Bochs: clock sync=none at a fixed 100 MIPS) and runs
# the same CPUID workload in each tier of kvm.exit_stats (lab/l1/jobs/bench.sh);
# prints the time of one CPUID exit round trip in each and its cost against
# off, and the memory the statistics add per vCPU.  Then what a guest that
# hammers the CPUID leaves costs the others (lab/l1/jobs/bench-hammer.sh),
# and what a guest's dump request costs its own vCPU.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# The kernel as distributions build it: static keys patched into the code,
# no debugging options (the lab kernel of make check has both off and on).
"$TOP/lab/kernel-build.sh" bench
"$TOP/lab/l1-build.sh"
export KES_KERNEL=$LAB/bench/bzImage
out=$BUILD/bench
mkdir -p "$out"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# The median round trip of tier $2 in log $1.
tier_ns() {
	sed -n "s/^KES-BENCH exit_stats=$2 .*cpuid_exit_ns=\([0-9.]*\)$/\1/p" "$1" | median
}

# The TSC reads per exit of each tier, by design (docs/design.md): none to
# count; one at the VM-exit and one at the next VM-entry to time.
rdtsc_of() { case $1 in counts) echo 0 ;; *) echo 2 ;; esac; }

report() {	# report NAME LOG UNIT PER-INSTRUCTION: each tier against off
	local tier on off
	off=$(tier_ns "$2" off)
	[ -n "$off" ] || die "no benchmark figures in $2"
	printf '%s: off %.1f %s per round trip\n' "$1" "$off" "$3"
	for tier in counts time hist; do
		on=$(tier_ns "$2" $tier)
		[ -n "$on" ] || die "no figures of the tier $tier in $2"
		awk -v t="$tier" -v on="$on" -v off="$off" -v unit="$3" -v per="$4" \
			-v r="$(rdtsc_of $tier)" 'BEGIN {
			printf "  %-8s %9.1f  cost %7.1f %s per exit (%.2f%% of the round trip): " \
			       "%d RDTSC + %.1f other instructions\n",
			       t, on, on - off, unit, 100 * (on - off) / off, r, (on - off) / per - r }'
	done
}

KES_QEMU_ARGS="-icount shift=0,sleep=off" \
	"$TOP/lab/boot-qemu.sh" "$LAB/l1.cpio.gz" bench "$out/svm.log" 1 900 >/dev/null
KES_BOCHS_CPUS=1 "$TOP/lab/boot-bochs.sh" "$LAB/l1.cpio.gz" bench "$out/vmx.log" 900 >/dev/null
"$TOP/lab/boot-qemu.sh" "$LAB/l1.cpio.gz" bench-hammer "$out/hammer.log" 2 600 >/dev/null

echo "kvm-exit-stats bench: one CPUID exit round trip of a nested guest (median of 3 runs of"
echo "20,000) in each tier of the statistics; instructions of the emulated CPU, not cycles:"
echo "an rdtsc counts as one instruction here but costs 20-40 cycles on hardware."
report "SVM (QEMU -icount, instructions)" "$out/svm.log" instructions 1
# Bochs runs 100 million instructions per emulated second: 1 ns = 0.1 instruction.
report "VMX (Bochs, 100 MIPS, ns)" "$out/vmx.log" "ns" 10
echo "On hardware each RDTSC costs 25-40 cycles, so time and hist add 50-80 cycles besides."

sizes=$(gcc -std=c11 -I"$TOP/tests/unit/kshim" -I"$TOP/kernel/files/arch/x86/include" -x c - \
	-o "$out/size" <<'C' && "$out/size"
#include <stdio.h>
#include <linux/types.h>
#include <asm/kvm_exit_stats.h>
int main(void)
{
	/* struct kvm_exit_stats_cpu (arch/x86/kvm/exit_stats.h): count and cycles per slot, */
	/* one slot for the other reasons, and the totals. */
	printf("%zu %zu %zu %zu", sizeof(struct kvm_vcpu_exit_stats), sizeof(struct kvm_exit_stats),
	       (size_t)(KVM_EXIT_STATS_SLOTS + 2) * 2 * sizeof(u64),
	       sizeof(struct kvm_vcpu_exit_hist));
	return 0;
}
C
)
read -r vcpu_size stats_size cpu_size hist_size <<< "$sizes"
echo "memory: $vcpu_size bytes per vCPU (struct kvm_vcpu_exit_stats, at the end of struct kvm_vcpu);"
echo "        $hist_size bytes more per vCPU in the tier hist (struct kvm_vcpu_exit_hist, kvzalloc);"
echo "        $stats_size bytes per departed-VM total and per read of a file (kcalloc, freed);"
echo "        $cpu_size bytes per host CPU for system scope (alloc_percpu)"

# A guest hammering the leaves: lives of other VMs per second, beside it.
field() { sed -n "s/^KES-BENCH .*mode=$1 .*$2=\([0-9.]*\).*/\1/p" "$out/hammer.log" | median; }
echo
echo "A guest hammering the CPUID leaves, on one CPU, while a program on the other creates and"
echo "destroys VMs (one vCPU each): VM lives per second (median of 3 rounds of 4 s, wall clock"
echo "under QEMU, which runs both L1 CPUs on one host thread: any busy vCPU halves the rate)."
for mode in none cpuid totals; do
	case $mode in
	none) what="no hammer" ;;
	cpuid) what="plain CPUID (leaf 0)" ;;
	totals) what="the system-wide totals leaf" ;;
	esac
	printf '  %-30s %6s VM lives/s   %8s queries/s\n' "$what" \
		"$(field "$mode" vm_lives_per_s)" "$(field "$mode" hammer_queries_per_s)"
done
plain=$(sed -n 's/^KES-BENCH .*plain_cpuid_tsc=\([0-9]*\).*/\1/p' "$out/hammer.log" | median)
dump=$(sed -n 's/^KES-BENCH .*dump_cpuid_tsc=\([0-9]*\).*/\1/p' "$out/hammer.log" | median)
echo "A guest's dump request, from the guest (median of 5 VMs, L1 TSC cycles): the dump leaf"
echo "$dump, a plain CPUID $plain: the dump is printed by a worker, not in the vCPU's path."
