/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pure parts of the per-exit-reason VM-exit statistics: exit-reason
 * slots and names, and the answers to the guest's CPUID queries (the ABI:
 * <asm/kvm_exit_stats_cpuid.h>; documentation in the kvm-exit-stats
 * project: docs/guest-abi.md).
 *
 * This header and exit_stats_abi.c depend on nothing but <linux/types.h>,
 * <linux/array_size.h>, <asm/kvm_exit_stats.h> and
 * <asm/kvm_exit_stats_cpuid.h>, so that userspace tests can compile the very
 * code that fills the guest's registers.
 */
#ifndef ARCH_X86_KVM_EXIT_STATS_ABI_H
#define ARCH_X86_KVM_EXIT_STATS_ABI_H

#include <linux/types.h>
#include <asm/kvm_exit_stats.h>
#include <asm/kvm_exit_stats_cpuid.h>

/* The ISA, numbered as the guest's INFO leaf reports it. */
enum kvm_exit_stats_isa {
	KVM_EXIT_STATS_VMX = KVM_EXIT_STATS_ISA_VMX,
	KVM_EXIT_STATS_SVM = KVM_EXIT_STATS_ISA_SVM,
};

static __always_inline u32 kvm_exit_stats_vmx_slot(u32 basic)
{
	if (basic < KVM_EXIT_STATS_VMX_BASIC)
		return basic;
	return basic == KVM_EXIT_STATS_VMX_VMFAIL ? KVM_EXIT_STATS_VMX_VMFAIL_SLOT :
						    KVM_EXIT_STATS_UNKNOWN_SLOT;
}

static __always_inline u32 kvm_exit_stats_svm_slot(u32 code)
{
	if (code < KVM_EXIT_STATS_SVM_LOW)
		return code;
	if (code - KVM_EXIT_STATS_SVM_HIGH_BASE < KVM_EXIT_STATS_SVM_HIGH)
		return KVM_EXIT_STATS_SVM_LOW + code - KVM_EXIT_STATS_SVM_HIGH_BASE;
	if (~code < KVM_EXIT_STATS_SVM_NEG)
		return KVM_EXIT_STATS_SVM_LOW + KVM_EXIT_STATS_SVM_HIGH + ~code;
	return KVM_EXIT_STATS_UNKNOWN_SLOT;
}

static inline u32 kvm_exit_stats_slot(u32 isa, u32 reason)
{
	return isa == KVM_EXIT_STATS_VMX ? kvm_exit_stats_vmx_slot(reason) :
					   kvm_exit_stats_svm_slot(reason);
}

/* The number of slots the reasons of @isa use. */
static inline u32 kvm_exit_stats_isa_slots(u32 isa)
{
	return isa == KVM_EXIT_STATS_VMX ? KVM_EXIT_STATS_VMX_SLOTS : KVM_EXIT_STATS_SVM_SLOTS;
}

/* The exit reason counted in @slot. */
u32 kvm_exit_stats_slot_reason(u32 isa, u32 slot);
/* The manual's name of @reason, NULL if the manual does not define it. */
const char *kvm_exit_stats_reason_name(u32 isa, u32 reason);
/* Whether every reason the manuals define has a slot of its own. */
bool kvm_exit_stats_tables_fit_slots(void);

enum kvm_exit_stats_class {
	KVM_EXIT_STATS_REASON_UNDEFINED,	/* not in the manual */
	KVM_EXIT_STATS_REASON_NOT_ENABLED,	/* KVM does not enable it here */
	KVM_EXIT_STATS_REASON_COUNTED,
};

/*
 * Where a CPUID query gets its numbers, for the scope it may see.  A query
 * asks only for what it answers: one reason's slot, or the totals, or, for
 * a reason without exits, whether KVM enables it; never more.
 */
struct kvm_exit_stats_source {
	/* Exits and cycles counted in @slot. */
	void (*slot)(const void *ctx, u32 slot, u64 *count, u64 *cycles);
	/* Exits and cycles of every reason. */
	void (*total)(const void *ctx, u64 *count, u64 *cycles);
	/* Whether KVM enables exit reason @reason for the querying vCPU. */
	bool (*enabled)(const void *ctx, u32 reason);
	const void *ctx;
};

/* What a guest's CPUID query sees. */
struct kvm_exit_stats_view {
	u32 isa;
	u32 layout;
	u32 scope;
	u32 flags;				/* KVM_EXIT_STATS_INFO_* */
	const struct kvm_exit_stats_source *src;
};

struct kvm_exit_stats_regs {
	u32 eax, ebx, ecx, edx;
};

/*
 * The class of @reason and, unless it is undefined, its exits and cycles
 * (@count, @cycles) in the view's scope.
 */
enum kvm_exit_stats_class kvm_exit_stats_classify(const struct kvm_exit_stats_view *v,
						  u32 reason, u64 *count, u64 *cycles);

/* Whether @layout gives @leaf a meaning: leaves it does not are KVM's. */
bool kvm_exit_stats_cpuid_leaf(u32 layout, u32 leaf);

/*
 * Fills @r with the answer to CPUID @leaf with ECX = @ecx, for every leaf
 * kvm_exit_stats_cpuid_leaf() accepts but the DUMP leaf, which has a side
 * effect and is answered by the caller.  Registers a leaf does not define
 * are 0.
 */
void kvm_exit_stats_cpuid_fill(const struct kvm_exit_stats_view *v, u32 leaf,
			       u32 ecx, struct kvm_exit_stats_regs *r);

#endif /* ARCH_X86_KVM_EXIT_STATS_ABI_H */
