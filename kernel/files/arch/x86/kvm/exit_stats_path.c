// SPDX-License-Identifier: GPL-2.0-only
/*
 * The out-of-line parts of the VM-exit path of the exit statistics
 * (exit_stats_path.h): reasons without a slot.  Like the header, it
 * depends on nothing but the types, so that the unit tests compile it as it
 * is.
 */
#include <linux/compiler.h>
#include <linux/export.h>
#include <asm/barrier.h>

#include "exit_stats_path.h"

/*
 * Where reason @reason goes in @st's table of reasons without a slot: its
 * entry, a free one, or "unlisted" once the table is full.  An entry is free
 * while its count is 0.
 */
struct kvm_exit_stat *kvm_exit_stats_unknown_stat(struct kvm_exit_stats *st, u32 reason)
{
	int i;

	for (i = 0; i < KVM_EXIT_STATS_UNKNOWN_NR; i++) {
		struct kvm_exit_stat_unknown *u = &st->unknown[i];

		if (!u->stat.count) {
			WRITE_ONCE(u->reason, reason);
			/* Pairs with smp_rmb() in kvm_exit_stats_merge(): reason before count. */
			smp_wmb();
			return &u->stat;
		}
		if (u->reason == reason)
			return &u->stat;
	}
	return &st->unlisted;
}

struct kvm_exit_stat *__kvm_exit_stats_unknown(struct kvm_vcpu_exit_stats *es, u32 reason)
{
	return kvm_exit_stats_unknown_stat(&es->s, reason);
}
EXPORT_SYMBOL_GPL(__kvm_exit_stats_unknown);

/*
 * The histograms of @slot in @h, at its first exit since the histograms
 * began or were reset: the next free ones, or "other" once all are given.
 * Called inside the vCPU's seqcount write, which readers copy @h within
 * (exit_stats_fold.c).
 */
struct kvm_exit_hist *kvm_exit_stats_hist_new(struct kvm_vcpu_exit_hist *h, u32 slot)
{
	unsigned int i = h->used;

	if (slot == KVM_EXIT_STATS_HIST_OTHER || i >= KVM_EXIT_STATS_HIST_REASONS) {
		i = KVM_EXIT_STATS_HIST_REASONS;
	} else {
		h->slot[i] = slot;
		h->used = i + 1;
	}
	h->of[slot] = i + 1;
	return &h->h[i];
}
