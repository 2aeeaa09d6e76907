/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pure parts of the per-exit-reason VM-exit statistics: exit-reason
 * slots and names, and the guest ABI, CPUID leaves 0x4ffffff0-0x4fffffff
 * (Documentation in the kvm-exit-stats project: docs/guest-abi.md).
 *
 * This header and exit_stats_abi.c depend on nothing but <linux/types.h>,
 * <linux/bits.h>, <linux/array_size.h> and <asm/kvm_exit_stats.h>, so that
 * userspace tests can compile the very code that fills the guest's
 * registers.
 */
#ifndef ARCH_X86_KVM_EXIT_STATS_ABI_H
#define ARCH_X86_KVM_EXIT_STATS_ABI_H

#include <linux/bits.h>
#include <linux/types.h>
#include <asm/kvm_exit_stats.h>

enum kvm_exit_stats_isa {
	KVM_EXIT_STATS_VMX = 1,
	KVM_EXIT_STATS_SVM,
};

static __always_inline u32 kvm_exit_stats_vmx_slot(u32 basic)
{
	return basic < KVM_EXIT_STATS_VMX_SLOTS ? basic : KVM_EXIT_STATS_UNKNOWN_SLOT;
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

/* The exit reason counted in @slot. */
u32 kvm_exit_stats_slot_reason(u32 isa, u32 slot);
/* The manual's name of @reason, NULL if the manual does not define it. */
const char *kvm_exit_stats_reason_name(u32 isa, u32 reason);
/* Whether every reason the manuals define has a slot of its own. */
bool kvm_exit_stats_tables_fit_slots(void);

/* One bit per slot. */
#define KVM_EXIT_STATS_BITMAP_WORDS	((KVM_EXIT_STATS_SLOTS + 63) / 64)

static inline bool kvm_exit_stats_bit(const u64 *bitmap, u32 slot)
{
	return (bitmap[slot / 64] >> (slot % 64)) & 1;
}

static inline void kvm_exit_stats_set_bit(u64 *bitmap, u32 slot)
{
	if (slot < KVM_EXIT_STATS_SLOTS)
		bitmap[slot / 64] |= 1ULL << (slot % 64);
}

/*
 * The guest ABI.  Leaves 0x4ffffffc-0x4fffffff follow one of the three
 * layouts of the course this comes from (kvm.exit_stats_cpuid_layout);
 * leaves 0x4ffffff0-0x4ffffff7 are this project's own, in every layout.
 */
#define KVM_EXIT_STATS_CPUID_FIRST		0x4ffffff0
#define KVM_EXIT_STATS_CPUID_SIGNATURE		0x4ffffff0
#define KVM_EXIT_STATS_CPUID_INFO		0x4ffffff1
#define KVM_EXIT_STATS_CPUID_REASON_COUNT	0x4ffffff2
#define KVM_EXIT_STATS_CPUID_REASON_CYCLES	0x4ffffff3
#define KVM_EXIT_STATS_CPUID_TOTAL_COUNT	0x4ffffff4
#define KVM_EXIT_STATS_CPUID_TOTAL_CYCLES	0x4ffffff5
#define KVM_EXIT_STATS_CPUID_DUMP		0x4ffffff6
#define KVM_EXIT_STATS_CPUID_REASON_INFO	0x4ffffff7
#define KVM_EXIT_STATS_CPUID_LAST		0x4fffffff

/* "KVMExitStats" in EBX, ECX, EDX, as the hypervisor leaves spell theirs. */
#define KVM_EXIT_STATS_SIGNATURE_EBX	0x454d564b	/* "KVME" */
#define KVM_EXIT_STATS_SIGNATURE_ECX	0x53746978	/* "xitS" */
#define KVM_EXIT_STATS_SIGNATURE_EDX	0x73746174	/* "tats" */
#define KVM_EXIT_STATS_ABI_VERSION	1

enum kvm_exit_stats_layout {
	KVM_EXIT_STATS_LAYOUT_A = 0xa,
	KVM_EXIT_STATS_LAYOUT_B = 0xb,
	KVM_EXIT_STATS_LAYOUT_C = 0xc,
};

enum kvm_exit_stats_scope {
	KVM_EXIT_STATS_SCOPE_OFF,
	KVM_EXIT_STATS_SCOPE_VM,
	KVM_EXIT_STATS_SCOPE_SYSTEM,
};

/* INFO, EDX: the scope in bits 7:0, flags above. */
#define KVM_EXIT_STATS_INFO_DUMP_ON	BIT(8)

/* DUMP, EBX: why there was no dump. */
#define KVM_EXIT_STATS_DUMP_OFF		1
#define KVM_EXIT_STATS_DUMP_LIMITED	2

/* A per-reason query's EDX for a reason the manual does not define. */
#define KVM_EXIT_STATS_UNDEFINED	0xffffffff

enum kvm_exit_stats_class {
	KVM_EXIT_STATS_REASON_UNDEFINED,	/* not in the manual */
	KVM_EXIT_STATS_REASON_NOT_ENABLED,	/* KVM does not enable it here */
	KVM_EXIT_STATS_REASON_COUNTED,
};

/* What a guest's CPUID query sees. */
struct kvm_exit_stats_view {
	u32 isa;
	u32 layout;
	u32 scope;
	u32 flags;				/* KVM_EXIT_STATS_INFO_* */
	const struct kvm_exit_stats *stats;	/* of the scope */
	u64 total_count;
	u64 total_cycles;
	const u64 *enabled;			/* KVM_EXIT_STATS_BITMAP_WORDS */
};

struct kvm_exit_stats_regs {
	u32 eax, ebx, ecx, edx;
};

enum kvm_exit_stats_class kvm_exit_stats_classify(const struct kvm_exit_stats_view *v,
						  u32 reason, u32 *slot);

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
