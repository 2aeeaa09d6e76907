/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-exit-reason VM-exit statistics: the hooks the rest of KVM calls.
 * See exit_stats.c for what is measured and how.
 */
#ifndef ARCH_X86_KVM_EXIT_STATS_H
#define ARCH_X86_KVM_EXIT_STATS_H

#include <linux/kvm_host.h>
#include <linux/percpu.h>

#include "exit_stats_abi.h"

#ifdef CONFIG_KVM_EXIT_STATS

#include "exit_stats_path.h"

DECLARE_STATIC_KEY_TRUE(kvm_exit_stats_key);
DECLARE_STATIC_KEY_TRUE(kvm_exit_stats_time_key);
DECLARE_STATIC_KEY_FALSE(kvm_exit_stats_hist_key);
DECLARE_STATIC_KEY_FALSE(kvm_exit_stats_cpu_key);

/*
 * Exits and cycles per host CPU, for the guests that may see the whole
 * host (kvm.exit_stats_cpuid=system): kept only while that is allowed.
 * Slot KVM_EXIT_STATS_SLOTS takes the reasons without a slot.
 */
struct kvm_exit_stats_cpu {
	struct {
		u64 count;
		u64 cycles;
	} slot[KVM_EXIT_STATS_SLOTS + 1], all;
};

extern struct kvm_exit_stats_cpu __percpu *kvm_exit_stats_cpu;

void kvm_exit_stats_init(enum kvm_exit_stats_isa isa,
			 bool (*enabled)(struct kvm_vcpu *vcpu, u32 reason));
void vmx_exit_stats_init(void);
void svm_exit_stats_init(void);
void kvm_exit_stats_exit(void);
void kvm_exit_stats_init_vm(struct kvm *kvm);
void kvm_exit_stats_destroy_vm(struct kvm *kvm);
void kvm_exit_stats_init_vcpu(struct kvm_vcpu *vcpu);
void kvm_exit_stats_create_vm_debugfs(struct kvm *kvm);
void kvm_exit_stats_create_vcpu_debugfs(struct kvm_vcpu *vcpu, struct dentry *dir);
void kvm_exit_stats_reset_vcpu(struct kvm_vcpu *vcpu);
void kvm_exit_stats_hist_alloc(struct kvm_vcpu *vcpu);
int kvm_exit_stats_check_cap(void);
int kvm_exit_stats_enable_cap(struct kvm *kvm, struct kvm_enable_cap *cap);
bool __kvm_exit_stats_cpuid(struct kvm_vcpu *vcpu, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx);

/*
 * For a CPUID that KVM's own CPUID model leaves undefined (no entry set by
 * userspace): answers the leaves of the exit statistics if the VM may see
 * them, and returns true; false for every other leaf, and then KVM answers.
 */
static inline bool kvm_exit_stats_cpuid(struct kvm_vcpu *vcpu, u32 *eax, u32 *ebx,
					u32 *ecx, u32 *edx)
{
	if (likely(*eax - KVM_EXIT_STATS_CPUID_FIRST >
		   KVM_EXIT_STATS_CPUID_LAST - KVM_EXIT_STATS_CPUID_FIRST))
		return false;
	return __kvm_exit_stats_cpuid(vcpu, eax, ebx, ecx, edx);
}

/*
 * The per-CPU counts of system scope, for the exit counted or timed in @s:
 * its slot, or the last one for a reason without a slot.  Each is a single
 * instruction on this CPU's own data, safe against preemption.
 */
static __always_inline unsigned long kvm_exit_stats_cpu_slot(struct kvm_vcpu_exit_stats *es,
							     const struct kvm_exit_stat *s)
{
	unsigned long slot = ((char *)s - (char *)es->s.slot) / sizeof(*s);

	return slot > KVM_EXIT_STATS_SLOTS ? KVM_EXIT_STATS_SLOTS : slot;
}

/*
 * At the VM-exit, where the vendor code fires the kvm_exit tracepoint (and
 * where VMX returns early: a failed VMLAUNCH/VMRESUME, reason VMFAIL, and
 * the VM-entry failure KVM synthesizes for a guest state that it must
 * emulate, INVALID_STATE): counts the exit in @slot, and notes its time in
 * the time tiers.  The slot is computed only while the statistics are on.
 */
static __always_inline void kvm_exit_stats_begin(struct kvm_vcpu *vcpu, u32 slot, u32 reason)
{
	struct kvm_vcpu_exit_stats *es = &vcpu->exit_stats;
	struct kvm_exit_stat *s = kvm_exit_stats_path_count(es, slot, reason);

	if (static_branch_likely(&kvm_exit_stats_time_key))
		kvm_exit_stats_path_start(es, s);
	if (static_branch_unlikely(&kvm_exit_stats_cpu_key)) {
		u32 cpu_slot = min_t(u32, slot, KVM_EXIT_STATS_SLOTS);

		this_cpu_inc(kvm_exit_stats_cpu->slot[cpu_slot].count);
		this_cpu_inc(kvm_exit_stats_cpu->all.count);
	}
}

static __always_inline void kvm_exit_stats_vmx(struct kvm_vcpu *vcpu, u32 basic)
{
	if (static_branch_likely(&kvm_exit_stats_key))
		kvm_exit_stats_begin(vcpu, kvm_exit_stats_vmx_slot(basic), basic);
}

static __always_inline void kvm_exit_stats_svm(struct kvm_vcpu *vcpu, u32 code)
{
	if (static_branch_likely(&kvm_exit_stats_key))
		kvm_exit_stats_begin(vcpu, kvm_exit_stats_svm_slot(code), code);
}

/* An SEV-ES guest's VMGEXIT: counted under the exit its GHCB names. */
static inline void kvm_exit_stats_svm_vmgexit(struct kvm_vcpu *vcpu, u64 code)
{
	struct kvm_vcpu_exit_stats *es = &vcpu->exit_stats;
	struct kvm_exit_stat *from = es->cur, *to;

	if (!static_branch_likely(&kvm_exit_stats_key))
		return;
	to = kvm_exit_stats_path_vmgexit(es, code);
	if (to && static_branch_unlikely(&kvm_exit_stats_cpu_key)) {
		this_cpu_dec(kvm_exit_stats_cpu->slot[kvm_exit_stats_cpu_slot(es, from)].count);
		this_cpu_inc(kvm_exit_stats_cpu->slot[kvm_exit_stats_cpu_slot(es, to)].count);
	}
}

/* At each VM-entry, the fastpath's included: the last exit is timed. */
static __always_inline void kvm_exit_stats_entry(struct kvm_vcpu *vcpu)
{
	struct kvm_vcpu_exit_stats *es = &vcpu->exit_stats;
	struct kvm_exit_stat *s;
	u64 cycles;

	if (!static_branch_likely(&kvm_exit_stats_time_key))
		return;
	s = kvm_exit_stats_path_entry(es, &cycles,
				      static_branch_unlikely(&kvm_exit_stats_hist_key) ?
				      es->hist : NULL);
	if (static_branch_unlikely(&kvm_exit_stats_cpu_key) && s) {
		this_cpu_add(kvm_exit_stats_cpu->slot[kvm_exit_stats_cpu_slot(es, s)].cycles,
			     cycles);
		this_cpu_add(kvm_exit_stats_cpu->all.cycles, cycles);
	}
}

/*
 * The host TSC at the VM-exit being handled, read once for both KVM and
 * the statistics (KVM's last_guest_tsc).
 */
static __always_inline u64 kvm_exit_stats_exit_tsc(struct kvm_vcpu *vcpu)
{
	struct kvm_vcpu_exit_stats *es = &vcpu->exit_stats;

	if (static_branch_likely(&kvm_exit_stats_time_key) && es->timing)
		return es->start;
	return rdtsc();
}

/*
 * The vCPU's thread leaves KVM for user space (KVM_RUN returns), to block
 * (halt), or scheduled out (vcpu_put), and comes back: off the exit path,
 * and only in the time tiers, which alone split an exit's time (off and
 * counts read no TSC here).  An exit in flight when the time is switched
 * on is not timed (forget_pending_exits()), so no part of it is missed.
 */
static inline void kvm_exit_stats_leave(struct kvm_vcpu *vcpu, enum kvm_exit_stats_part part)
{
	if (static_branch_likely(&kvm_exit_stats_time_key))
		kvm_exit_stats_path_leave(&vcpu->exit_stats, part);
}

static inline void kvm_exit_stats_back(struct kvm_vcpu *vcpu, enum kvm_exit_stats_part part)
{
	kvm_exit_stats_path_back(&vcpu->exit_stats, part,
				 static_branch_likely(&kvm_exit_stats_time_key));
	/* At each KVM_RUN: a vCPU without its histograms in the tier "hist" gets them. */
	if (part == KVM_EXIT_STATS_USER && static_branch_unlikely(&kvm_exit_stats_hist_key) &&
	    !vcpu->exit_stats.hist)
		kvm_make_request(KVM_REQ_EXIT_STATS_HIST, vcpu);
}

#else /* !CONFIG_KVM_EXIT_STATS */

static inline void vmx_exit_stats_init(void) {}
static inline void svm_exit_stats_init(void) {}
static inline void kvm_exit_stats_exit(void) {}
static inline void kvm_exit_stats_init_vm(struct kvm *kvm) {}
static inline void kvm_exit_stats_destroy_vm(struct kvm *kvm) {}
static inline void kvm_exit_stats_init_vcpu(struct kvm_vcpu *vcpu) {}
static inline void kvm_exit_stats_create_vm_debugfs(struct kvm *kvm) {}
static inline void kvm_exit_stats_create_vcpu_debugfs(struct kvm_vcpu *vcpu,
						      struct dentry *dir) {}
static inline void kvm_exit_stats_reset_vcpu(struct kvm_vcpu *vcpu) {}
static inline void kvm_exit_stats_hist_alloc(struct kvm_vcpu *vcpu) {}
static inline int kvm_exit_stats_check_cap(void)
{
	return 0;
}

static inline int kvm_exit_stats_enable_cap(struct kvm *kvm, struct kvm_enable_cap *cap)
{
	return -EINVAL;
}

static inline void kvm_exit_stats_vmx(struct kvm_vcpu *vcpu, u32 basic) {}
static inline void kvm_exit_stats_svm(struct kvm_vcpu *vcpu, u32 code) {}
static inline void kvm_exit_stats_svm_vmgexit(struct kvm_vcpu *vcpu, u64 code) {}
static inline void kvm_exit_stats_entry(struct kvm_vcpu *vcpu) {}
static inline u64 kvm_exit_stats_exit_tsc(struct kvm_vcpu *vcpu)
{
	return rdtsc();
}

static inline void kvm_exit_stats_leave(struct kvm_vcpu *vcpu, enum kvm_exit_stats_part part) {}
static inline void kvm_exit_stats_back(struct kvm_vcpu *vcpu, enum kvm_exit_stats_part part) {}
static inline bool kvm_exit_stats_cpuid(struct kvm_vcpu *vcpu, u32 *eax, u32 *ebx,
					u32 *ecx, u32 *edx)
{
	return false;
}

#endif /* CONFIG_KVM_EXIT_STATS */

#endif /* ARCH_X86_KVM_EXIT_STATS_H */
