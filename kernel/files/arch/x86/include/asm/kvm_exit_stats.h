/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Data of the per-exit-reason VM-exit statistics (CONFIG_KVM_EXIT_STATS),
 * kept per vCPU beside vcpu->stat, at the end of struct kvm_vcpu, and per VM
 * at the end of struct kvm: there they move no field that code built
 * without them reads (Debian's vmlinux increments vcpu->stat.signal_exits
 * in kernel/entry/kvm.c).  The logic is in arch/x86/kvm/exit_stats.c.
 */
#ifndef _ASM_X86_KVM_EXIT_STATS_H
#define _ASM_X86_KVM_EXIT_STATS_H

#include <linux/cache.h>
#include <linux/types.h>
#include <linux/ratelimit_types.h>
#include <linux/seqlock_types.h>
#include <linux/workqueue.h>

/*
 * Exit reasons are counted in slots.  VMX basic exit reason N < 95 uses
 * slot N, and slot 95 counts KVM's VMFAIL (a VMLAUNCH or VMRESUME that
 * failed without a VM-exit, which KVM marks as exit reason 0xdead).  SVM
 * exit codes 0x000..0x0af use the slot of the same number, codes
 * 0x400..0x40f the next 16 slots and codes -1..-8 the last 8.  These ranges
 * cover every reason in the manuals with room to spare; a reason outside
 * them is counted under its number in the small "unknown" table, and once
 * that is full in "unlisted".
 */
#define KVM_EXIT_STATS_VMX_BASIC	95
#define KVM_EXIT_STATS_VMX_VMFAIL	0xdead
#define KVM_EXIT_STATS_VMX_VMFAIL_SLOT	KVM_EXIT_STATS_VMX_BASIC
#define KVM_EXIT_STATS_VMX_SLOTS	(KVM_EXIT_STATS_VMX_BASIC + 1)
#define KVM_EXIT_STATS_SVM_LOW		0xb0
#define KVM_EXIT_STATS_SVM_HIGH_BASE	0x400
#define KVM_EXIT_STATS_SVM_HIGH		0x10
#define KVM_EXIT_STATS_SVM_NEG		8
#define KVM_EXIT_STATS_SVM_SLOTS	(KVM_EXIT_STATS_SVM_LOW + \
					 KVM_EXIT_STATS_SVM_HIGH + \
					 KVM_EXIT_STATS_SVM_NEG)
#define KVM_EXIT_STATS_SLOTS		KVM_EXIT_STATS_SVM_SLOTS
#define KVM_EXIT_STATS_UNKNOWN_SLOT	KVM_EXIT_STATS_SLOTS
#define KVM_EXIT_STATS_UNKNOWN_NR	8

/*
 * Where a vCPU's thread is between a VM-exit and the next VM-entry, other
 * than in KVM on its CPU: the parts of an exit's time that are not KVM's
 * (docs/interfaces.md).  Each indexes the parts of the time.
 */
enum kvm_exit_stats_part {
	KVM_EXIT_STATS_USER,		/* KVM_RUN returned, until the next KVM_RUN */
	KVM_EXIT_STATS_BLOCKED,		/* halted or blocked, kvm_vcpu_halt/block() */
	KVM_EXIT_STATS_PREEMPTED,	/* scheduled out (vcpu_put) until vcpu_load */
	KVM_EXIT_STATS_PARTS,
	KVM_EXIT_STATS_IN_KVM = KVM_EXIT_STATS_PARTS,	/* none of them */
};

/* The parts in @part together: what of an exit's time was not KVM's. */
static inline u64 kvm_exit_stats_parts_sum(const u64 *part)
{
	return part[KVM_EXIT_STATS_USER] + part[KVM_EXIT_STATS_BLOCKED] +
	       part[KVM_EXIT_STATS_PREEMPTED];
}

/*
 * One exit reason.  An exit is counted when KVM is done handling it (its
 * handler returned, or the fastpath re-enters the guest), and timed at the
 * vCPU's next VM-entry: its exit-to-entry time, split into the time in
 * user space, blocked and preempted, and the rest, in KVM.  "cycles",
 * "min_inv" and "max" are the time in KVM; exit-to-entry is cycles plus the
 * parts.  The minimum is kept inverted, so that a zeroed entry is a valid
 * empty one and updating it needs no test: use kvm_exit_stat_min().
 */
struct kvm_exit_stat {
	u64 count;
	u64 timed;	/* exits timed: count, but for those not yet (or never) */
	u64 cycles;	/* in KVM, of the exits timed */
	u64 min_inv;	/* ~minimum; 0 while timed == 0 */
	u64 max;
	u64 e2e_max;	/* the longest exit-to-entry */
	u64 part[KVM_EXIT_STATS_PARTS];
};

static inline u64 kvm_exit_stat_min(const struct kvm_exit_stat *s)
{
	return s->min_inv ? ~s->min_inv : 0;
}

/* Exit-to-entry: the time in KVM and the parts that were not. */
static inline u64 kvm_exit_stat_e2e(const struct kvm_exit_stat *s)
{
	return s->cycles + kvm_exit_stats_parts_sum(s->part);
}

struct kvm_exit_stat_unknown {
	u32 reason;
	struct kvm_exit_stat stat;	/* stat.count == 0: entry unused */
};

struct kvm_exit_stats {
	struct kvm_exit_stat slot[KVM_EXIT_STATS_SLOTS];
	struct kvm_exit_stat_unknown unknown[KVM_EXIT_STATS_UNKNOWN_NR];
	struct kvm_exit_stat unlisted;
	u64 untimed;			/* exits counted, never timed: the TSC went back */
};

/*
 * Histograms of the exits' times, kept in the tier "hist" only: KVM's log2
 * buckets (KVM_STATS_TYPE_LOG_HIST): bucket 0 counts 0, bucket i > 0 the
 * times in [2^(i-1), 2^i) TSC cycles, and the last one every time from
 * 2^30 on (about 0.36 s at 3 GHz).  One histogram of exit-to-entry and one
 * of the time in KVM per reason.
 */
#define KVM_EXIT_STATS_HIST_BUCKETS	32
enum kvm_exit_stats_hist_kind {
	KVM_EXIT_STATS_HIST_E2E,	/* exit-to-entry */
	KVM_EXIT_STATS_HIST_KVM,	/* in KVM */
	KVM_EXIT_STATS_HISTS,
};

struct kvm_exit_hist {
	u64 bucket[KVM_EXIT_STATS_HISTS][KVM_EXIT_STATS_HIST_BUCKETS];
};

/*
 * A vCPU's histograms, allocated by the vCPU itself when the tier "hist" is
 * first chosen (KVM_REQ_EXIT_STATS_HIST), freed with its VM: one for each of
 * the first KVM_EXIT_STATS_HIST_REASONS reasons the vCPU sees, in the order
 * it sees them, and one for every later reason and those without a slot
 * (h[KVM_EXIT_STATS_HIST_REASONS]).  A guest sees far fewer reasons than
 * that; 15 KiB per vCPU.
 */
#define KVM_EXIT_STATS_HIST_REASONS	28
#define KVM_EXIT_STATS_HIST_OTHER	KVM_EXIT_STATS_SLOTS	/* the slot of "other" */

struct kvm_vcpu_exit_hist {
	u8 of[KVM_EXIT_STATS_SLOTS + 1];	/* slot -> 1 + its index in h, 0: none yet */
	u8 used;				/* histograms of h given to a slot */
	u16 slot[KVM_EXIT_STATS_HIST_REASONS];	/* the slot of each of them */
	struct kvm_exit_hist h[KVM_EXIT_STATS_HIST_REASONS + 1];
};

/*
 * Written only by the vCPU's own thread, in the VM-exit path.  What every
 * exit reads or writes comes first and fills one cache line (with lockdep
 * off, exit_stats.c checks it): an exit touches that line and the line of
 * its reason's count, and in the time tiers the line or two of the rest of
 * its struct kvm_exit_stat.
 */
struct kvm_vcpu_exit_stats {
	struct kvm_exit_stat *cur;	/* where the last exit is counted in s */
	struct kvm_exit_stat *timing;	/* the same, until it is timed at the */
					/* next VM-entry (time tiers); or NULL */
	u64 start;			/* host TSC at its VM-exit, if timed */
	u64 part[KVM_EXIT_STATS_PARTS];	/* TSC cycles of each part since then */
	struct kvm_vcpu_exit_hist *hist;	/* NULL until the tier "hist" */
	seqcount_t seq;			/* odd while the vCPU writes s: timing */
					/* an exit, or zeroing s */
	u8 where;			/* enum kvm_exit_stats_part */
	/* Off the exit path: at each KVM_RUN, vcpu_put and vcpu_load. */
	u64 mark;			/* host TSC when the thread went where it is */
	struct kvm_exit_stats s;
} ____cacheline_aligned;

/* Per VM: what its guest may read through CPUID, and its dumps. */
struct kvm_exit_stats_vm {
	struct list_head link;		/* in the list of VMs, for the system-wide sums */
	u8 cpuid_scope;			/* KVM_EXIT_STATS_SCOPE_*, set by the VMM or the host */
	bool cpuid_user;		/* answered from guest user space (CPL > 0) too */
	u8 cpuid_layout;		/* kvm.exit_stats_cpuid_layout when the VM was created */
	u8 dump_scope;			/* of the dump the guest asked for */
	struct ratelimit_state dump_limit;
	struct delayed_work dump_work;
};

#ifdef CONFIG_KVM_EXIT_STATS
struct kvm;
struct kvm_vcpu;
/*
 * A read of the binary statistics file (KVM_GET_STATS_FD) of @vcpu, or of
 * @kvm if @vcpu is NULL: KVM's statistics @kvm_stat, then the exit
 * statistics' (arch/x86/kvm/exit_stats_binary.c).
 */
ssize_t kvm_exit_stats_stats_read(struct kvm *kvm, struct kvm_vcpu *vcpu, const void *kvm_stat,
				  char __user *user_buffer, size_t size, loff_t *offset);
#endif

#endif /* _ASM_X86_KVM_EXIT_STATS_H */
