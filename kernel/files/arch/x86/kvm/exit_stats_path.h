/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VM-exit path of the per-exit-reason VM-exit statistics: what runs on
 * every VM-exit, on the vCPU's own statistics, which only the vCPU's thread
 * writes (no atomics, no locks).  It depends on nothing but the TSC and the
 * types of <asm/kvm_exit_stats.h>, so that the unit tests compile it as it
 * is, with a TSC of their own.  exit_stats.h puts it behind the static key
 * kvm.exit_stats.
 *
 * An exit is counted at its VM-exit (kvm_exit_stats_path_count(); and
 * kvm_exit_stats_path_start() takes its start in the time tiers), and timed
 * at the vCPU's next VM-entry (kvm_exit_stats_path_entry()): two TSC reads
 * per exit, both with interrupts off, and none in the tier "counts", whose
 * whole cost is the increment of a count.  Between the two, the vCPU's
 * thread may leave KVM: for user space, to block, or scheduled out
 * (kvm_exit_stats_path_leave() and kvm_exit_stats_path_back(), off the exit
 * path); those parts are taken from the exit's time, and what is left is
 * the time in KVM.
 */
#ifndef ARCH_X86_KVM_EXIT_STATS_PATH_H
#define ARCH_X86_KVM_EXIT_STATS_PATH_H

#include <linux/bitops.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/seqlock.h>
#include <asm/msr.h>

#include "exit_stats_abi.h"

/* Out of line (exit_stats_path.c), for what the path rarely needs. */
struct kvm_exit_stat *kvm_exit_stats_unknown_stat(struct kvm_exit_stats *st, u32 reason);
struct kvm_exit_stat *__kvm_exit_stats_unknown(struct kvm_vcpu_exit_stats *es, u32 reason);
struct kvm_exit_hist *kvm_exit_stats_hist_new(struct kvm_vcpu_exit_hist *h, u32 slot);

/* The log2 bucket of @v TSC cycles (KVM's LOG_HIST: 0, [1,2), [2,4), ...). */
static __always_inline unsigned int kvm_exit_stats_hist_bucket(u64 v)
{
	unsigned int b = fls64(v);

	return b < KVM_EXIT_STATS_HIST_BUCKETS ? b : KVM_EXIT_STATS_HIST_BUCKETS - 1;
}

/*
 * The histograms of the exit counted in @s, in @h: the slot's, given to it
 * at its first exit, or "other" (exit_stats_path.c).
 */
static __always_inline void kvm_exit_stats_hist_add(struct kvm_vcpu_exit_stats *es,
						    struct kvm_vcpu_exit_hist *h,
						    const struct kvm_exit_stat *s, u64 in_kvm,
						    u64 e2e)
{
	unsigned long slot = ((const char *)s - (const char *)es->s.slot) / sizeof(*s);
	struct kvm_exit_hist *x;

	if (slot > KVM_EXIT_STATS_HIST_OTHER)	/* no slot: unknown, unlisted, after the slots */
		slot = KVM_EXIT_STATS_HIST_OTHER;
	if (likely(h->of[slot]))
		x = &h->h[h->of[slot] - 1];
	else
		x = kvm_exit_stats_hist_new(h, slot);
	x->bucket[KVM_EXIT_STATS_HIST_E2E][kvm_exit_stats_hist_bucket(e2e)]++;
	x->bucket[KVM_EXIT_STATS_HIST_KVM][kvm_exit_stats_hist_bucket(in_kvm)]++;
}

/*
 * One exit timed: @in_kvm cycles in KVM, @e2e from its VM-exit to the next
 * VM-entry, and the parts of it in @part.  "timed" is written last (x86
 * keeps stores in order; the compiler is told to), and readers read it
 * first (exit_stats_fold.c): a reader that sees an exit timed sees its
 * times.
 */
static __always_inline void kvm_exit_stat_time(struct kvm_exit_stat *s, u64 in_kvm, u64 e2e,
					       const u64 *part)
{
	int i;

	s->cycles += in_kvm;
	if (in_kvm > s->max)
		s->max = in_kvm;
	if (~in_kvm > s->min_inv)
		s->min_inv = ~in_kvm;
	if (e2e > s->e2e_max)
		s->e2e_max = e2e;
	for (i = 0; i < KVM_EXIT_STATS_PARTS; i++)
		s->part[i] += part[i];
	barrier();
	WRITE_ONCE(s->timed, s->timed + 1);
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
 * At the VM-exit: counts the exit, and returns where.  The count is a plain
 * increment, one instruction, as KVM counts vcpu->stat.exits: only this
 * thread writes it, and readers see an aligned u64 whole, so it needs no
 * seqcount (exit_stats_fold.c).  A reason outside the slots is looked up
 * out of line.
 */
static __always_inline struct kvm_exit_stat *
kvm_exit_stats_path_count(struct kvm_vcpu_exit_stats *es, u32 slot, u32 reason)
{
	struct kvm_exit_stat *s = kvm_exit_stats_path_stat(es, slot, reason);

	s->count++;
	es->cur = s;
	return s;
}

/*
 * ... and in the tiers time and hist, takes its start: the exit counted in
 * @s is timed at the next VM-entry.
 */
static __always_inline void kvm_exit_stats_path_start(struct kvm_vcpu_exit_stats *es,
						      struct kvm_exit_stat *s)
{
	es->start = rdtsc();
	es->timing = s;
}

/*
 * An SEV-ES guest's VMGEXIT (SVM exit code 0x403) names the exit it stands
 * for in its GHCB (sw_exit_code, @code): the exit being handled moves to
 * that code's slot if the manual's table has one, and that is returned;
 * NULL if it stays.  The GHCB's own requests (0x8000xxxx: MMIO, AP jump
 * table, page state changes, ...) stay under vmgexit.
 */
static inline struct kvm_exit_stat *
kvm_exit_stats_path_vmgexit(struct kvm_vcpu_exit_stats *es, u64 code)
{
	struct kvm_exit_stat *from = es->cur, *to;
	u32 slot = kvm_exit_stats_svm_slot((u32)code);

	if (!from || code >> 32 || slot >= KVM_EXIT_STATS_SLOTS)
		return NULL;
	to = &es->s.slot[slot];
	from->count--;
	to->count++;
	if (es->timing == from)
		es->timing = to;
	es->cur = to;
	return to;
}

/*
 * At a VM-entry (interrupts off, before the vendor's run): times the exit
 * counted since the last one, if any, and returns where it is counted, its
 * cycles in KVM in @in_kvm; NULL if none.  Its parts are taken from its
 * exit-to-entry time.  Both times go into the histograms @hist (the tier
 * "hist"; NULL otherwise).  An exit whose time cannot be told (the TSC went
 * back: the vCPU moved to a CPU whose TSC lags) stays counted and untimed,
 * so that neither its cycles nor the reason's minimum are made up.
 */
static __always_inline struct kvm_exit_stat *
kvm_exit_stats_path_entry(struct kvm_vcpu_exit_stats *es, u64 *in_kvm,
			  struct kvm_vcpu_exit_hist *hist)
{
	struct kvm_exit_stat *s = es->timing;
	u64 e2e, parts;

	if (likely(s)) {
		e2e = rdtsc() - es->start;
		parts = kvm_exit_stats_parts_sum(es->part);
		es->timing = NULL;
		raw_write_seqcount_begin(&es->seq);
		if (unlikely((s64)e2e < 0 || parts > e2e)) {
			es->s.untimed++;
			s = NULL;
		} else {
			*in_kvm = e2e - parts;
			kvm_exit_stat_time(s, *in_kvm, e2e, es->part);
			if (hist)
				kvm_exit_stats_hist_add(es, hist, s, *in_kvm, e2e);
		}
		raw_write_seqcount_end(&es->seq);
	}
	/* Three stores: a memset() of 24 bytes is a "rep stos", slow to start. */
	BUILD_BUG_ON(KVM_EXIT_STATS_PARTS != 3);
	es->part[KVM_EXIT_STATS_USER] = 0;
	es->part[KVM_EXIT_STATS_BLOCKED] = 0;
	es->part[KVM_EXIT_STATS_PREEMPTED] = 0;
	return s;
}

/*
 * Off the exit path: the vCPU's thread leaves KVM, to @part: KVM_RUN
 * returns (user space), it blocks, or it is scheduled out.  Being scheduled
 * out while in user space or blocked is part of those, not preempted.
 */
static inline void kvm_exit_stats_path_leave(struct kvm_vcpu_exit_stats *es,
					     enum kvm_exit_stats_part part)
{
	if (part == KVM_EXIT_STATS_PREEMPTED && es->where != KVM_EXIT_STATS_IN_KVM)
		return;
	es->where = part;
	es->mark = rdtsc();
}

/*
 * ... and comes back from @part: its time goes to the exit being handled,
 * if @timed (the time tiers are on; they may have gone off while it was
 * away, and a vCPU that left then must still come back).
 */
static inline void kvm_exit_stats_path_back(struct kvm_vcpu_exit_stats *es,
					    enum kvm_exit_stats_part part, bool timed)
{
	u64 t;

	if (es->where != part)
		return;
	es->where = KVM_EXIT_STATS_IN_KVM;
	if (!timed)
		return;
	t = rdtsc() - es->mark;
	if ((s64)t > 0)
		es->part[part] += t;
}

#endif /* ARCH_X86_KVM_EXIT_STATS_PATH_H */
