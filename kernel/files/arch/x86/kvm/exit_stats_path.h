/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VM-exit path of the per-exit-reason VM-exit statistics: what runs on
 * every VM-exit, on the vCPU's own statistics, which only the vCPU's thread
 * writes (no atomics, no locks).  It depends on nothing but the TSC and the
 * types of <asm/kvm_exit_stats.h>, so that the unit tests compile it as it
 * is, with a TSC of their own.  exit_stats.h puts it behind the static key
 * kvm.exit_stats.
 *
 * An exit is pending from its VM-exit (kvm_exit_stats_path_begin(): es->cur
 * says where it will be counted) until KVM is done with it
 * (kvm_exit_stats_path_end()); an end without a pending exit counts nothing,
 * e.g. for an exit that began while the statistics were off.
 */
#ifndef ARCH_X86_KVM_EXIT_STATS_PATH_H
#define ARCH_X86_KVM_EXIT_STATS_PATH_H

#include <linux/compiler.h>
#include <linux/preempt.h>
#include <linux/seqlock.h>
#include <asm/msr.h>

#include "exit_stats_abi.h"

/* Out of line (exit_stats_path.c), for what the path rarely needs. */
struct kvm_exit_stat *kvm_exit_stats_unknown_stat(struct kvm_exit_stats *st, u32 reason);
struct kvm_exit_stat *__kvm_exit_stats_unknown(struct kvm_vcpu_exit_stats *es, u32 reason);
void __kvm_exit_stats_untimed(struct kvm_vcpu_exit_stats *es, struct kvm_exit_stat *s);

/*
 * The count is written last (x86 keeps stores in order; the compiler is
 *  told to), and readers read it first (exit_stats_fold.c): a
 * reader that sees an exit counted sees its cycles, minimum and maximum.
 */
static __always_inline void kvm_exit_stat_add(struct kvm_exit_stat *s, u64 cycles)
{
	s->cycles += cycles;
	if (cycles > s->max)
		s->max = cycles;
	if (~cycles > s->min_inv)
		s->min_inv = ~cycles;
	barrier();
	WRITE_ONCE(s->count, s->count + 1);
}

/* Where an exit of @reason (in @slot) is counted. */
static __always_inline struct kvm_exit_stat *
kvm_exit_stats_path_stat(struct kvm_vcpu_exit_stats *es, u32 slot, u32 reason)
{
	if (likely(slot < KVM_EXIT_STATS_SLOTS))
		return &es->s.slot[slot];
	return __kvm_exit_stats_unknown(es, reason);
}

/*
 * At the VM-exit: note the time and where the exit will be counted.  A
 * reason outside the slots is looked up (out of line) here, so that the end
 * of the exit has no test to make.
 */
static __always_inline void kvm_exit_stats_path_begin(struct kvm_vcpu_exit_stats *es,
						      u32 slot, u32 reason)
{
	es->start = rdtsc();
	WRITE_ONCE(es->cur, kvm_exit_stats_path_stat(es, slot, reason));
}

/*
 * An SEV-ES guest's VMGEXIT (SVM exit code 0x403) names the exit it stands
 * for in its GHCB (sw_exit_code, @code): the pending exit is counted under
 * that code if the manual's table has a slot for it; the GHCB's own
 * requests (0x8000xxxx: MMIO, AP jump table, page state changes, ...) stay
 * under vmgexit.
 */
static inline void kvm_exit_stats_path_vmgexit(struct kvm_vcpu_exit_stats *es, u64 code)
{
	u32 slot = kvm_exit_stats_svm_slot((u32)code);

	if (es->cur && !(code >> 32) && slot < KVM_EXIT_STATS_SLOTS)
		WRITE_ONCE(es->cur, &es->s.slot[slot]);
}

/*
 * When KVM is done with the exit: the exit handler returned, or the
 * fastpath re-enters the guest.  Returns where the exit was counted, NULL if
 * none was pending, and its cycles in @cycles.  An exit whose TSC went back
 * (the vCPU moved to a CPU whose TSC lags) is counted but not timed (0
 * cycles), so that neither its cycles nor the reason's minimum are made up.
 */
static __always_inline struct kvm_exit_stat *
kvm_exit_stats_path_end(struct kvm_vcpu_exit_stats *es, u64 *cycles)
{
	struct kvm_exit_stat *s = es->cur;

	if (unlikely(!s))
		return NULL;
	*cycles = rdtsc() - es->start;
	WRITE_ONCE(es->cur, NULL);
	/*
	 * Readers see the exit counted whole or not at all (exit_stats_fold.c);
	 * preemption off, so that they do not find the seqcount odd for long.
	 */
	preempt_disable();
	raw_write_seqcount_begin(&es->seq);
	if (unlikely((s64)*cycles < 0)) {
		*cycles = 0;
		__kvm_exit_stats_untimed(es, s);
	} else {
		kvm_exit_stat_add(s, *cycles);
		es->s.all.count++;
		es->s.all.cycles += *cycles;
	}
	raw_write_seqcount_end(&es->seq);
	preempt_enable();
	return s;
}

#endif /* ARCH_X86_KVM_EXIT_STATS_PATH_H */
