/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-exit-reason VM-exit statistics: what the files of the change share
 * with one another, not with the rest of KVM (that is exit_stats.h).  Each
 * file has one job:
 *   exit_stats.c          the host's state and its life: VMs, vCPUs, reset
 *   exit_stats_fold.c     reading the vCPUs' statistics and histograms, adding them up
 *   exit_stats_debugfs.c  the debugfs files, their commands, the log dumps
 *   exit_stats_binary.c   the same in KVM's binary statistics (KVM_GET_STATS_FD)
 *   exit_stats_cpuid.c    the CPUID leaves a guest may read, and the opt-in
 *   exit_stats_params.c   the kvm.exit_stats* module parameters
 *   exit_stats_path.[ch]  the VM-exit path
 *   exit_stats_abi.[ch]   the layouts of the CPUID leaves
 */
#ifndef ARCH_X86_KVM_EXIT_STATS_INTERNAL_H
#define ARCH_X86_KVM_EXIT_STATS_INTERNAL_H

#include <linux/kvm_host.h>
#include <linux/mutex.h>
#include <linux/seqlock.h>

#include "exit_stats.h"

/*
 * exit_stats.c.  kvm_exit_stats_lock protects the list of VMs, the
 * departed totals, the ISA, the per-CPU counts' allocation, and the state
 * of the parameters.  The VM-exit path and the guests' CPUID queries never
 * take it.
 */
extern struct mutex kvm_exit_stats_lock;
extern struct list_head kvm_exit_stats_vms;
/* The totals of the VMs that were destroyed. */
extern struct kvm_exit_stats kvm_exit_stats_departed;

/* Histograms added up, per slot and "other" last (KVM_EXIT_STATS_HIST_OTHER). */
struct kvm_exit_hists {
	struct kvm_exit_hist slot[KVM_EXIT_STATS_HIST_OTHER + 1];
};

/* The departed VMs' histograms: NULL until one with histograms is gone. */
extern struct kvm_exit_hists *kvm_exit_stats_departed_hist;
/* The ISA of the vendor module loaded, 0 if none. */
extern enum kvm_exit_stats_isa kvm_exit_stats_cur_isa;
/* The vendor's test: may a guest see @reason (kvm_exit_stats_init())? */
extern bool (*kvm_exit_stats_enabled)(struct kvm_vcpu *vcpu, u32 reason);
/* Odd while the per-CPU counts are zeroed. */
extern seqcount_mutex_t kvm_exit_stats_cpu_seq;
void kvm_exit_stats_cpu_counts_zero(void);
void kvm_exit_stats_reset_all(void);

/* exit_stats_fold.c */
void kvm_exit_stats_merge(struct kvm_exit_stats *dst, const struct kvm_exit_stats *src);
void kvm_exit_stats_other(const struct kvm_exit_stats *st, struct kvm_exit_stat *t);
void kvm_exit_stats_total(const struct kvm_exit_stats *st, struct kvm_exit_stat *t);
struct kvm_exit_stats *kvm_exit_stats_read(struct kvm *kvm);
struct kvm_exit_stats *kvm_exit_stats_read_vcpu(struct kvm_vcpu *vcpu);
struct kvm_exit_stats *kvm_exit_stats_system_total(struct kvm_exit_stat *t);
bool kvm_exit_stats_counted_last(const struct kvm_vcpu_exit_stats *es, u32 slot, bool all);
void kvm_exit_stats_vcpu_read2(struct kvm_vcpu *vcpu, u32 slot, bool all, bool asking,
			       u64 *count, u64 *cycles);
void kvm_exit_stats_cpu_read(u32 slot, bool all, u64 *count, u64 *cycles);
void kvm_exit_stats_hist_merge(struct kvm_exit_hists *dst, const struct kvm_vcpu_exit_hist *h);
struct kvm_exit_hists *kvm_exit_stats_hist_read(struct kvm *kvm, struct kvm_vcpu *vcpu);

/* exit_stats_debugfs.c */
void kvm_exit_stats_log_dump(const struct kvm_exit_stats *st, const char *scope,
			     const char *trigger);
int kvm_exit_stats_dump(struct kvm *kvm, const char *trigger);
void kvm_exit_stats_debugfs_init(void);
void kvm_exit_stats_debugfs_exit(void);

/* exit_stats_binary.c */
void kvm_exit_stats_binary_init(u32 slots);
void kvm_exit_stats_binary_exit(void);

/* exit_stats_cpuid.c */
extern const char *const kvm_exit_stats_scopes[KVM_EXIT_STATS_SCOPE_SYSTEM + 1];
int kvm_exit_stats_cpuid_command(struct kvm *kvm, char *arg);
void kvm_exit_stats_cpuid_init_vm(struct kvm *kvm);

/* exit_stats_params.c */
extern int kvm_exit_stats_cpuid_cap;
extern int kvm_exit_stats_cpuid_layout;
extern bool kvm_exit_stats_cpuid_dump;
void kvm_exit_stats_apply(void);
void kvm_exit_stats_log_restart(void);
void kvm_exit_stats_log_stop(void);

#endif /* ARCH_X86_KVM_EXIT_STATS_INTERNAL_H */
