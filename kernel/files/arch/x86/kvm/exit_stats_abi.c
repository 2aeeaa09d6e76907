// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pure parts of the per-exit-reason VM-exit statistics: exit-reason
 * names and slots, and the answers to the guest's CPUID queries.  No kernel
 * dependencies beyond <linux/types.h>, <linux/array_size.h>,
 * <linux/build_bug.h> and the two headers of <asm/>: userspace tests
 * compile this file as it is and sweep it over every 32-bit ECX.
 */
#include <linux/array_size.h>
#include <linux/build_bug.h>	/* for ARRAY_SIZE() */

#include "exit_stats_abi.h"

struct exit_reason_name {
	u32 reason;
	const char *name;
};

static const struct exit_reason_name vmx_reasons[] = {
#define EXIT_STATS_VMX_REASON(nr, name) { nr, name },
#include "exit_stats_reasons.h"
};

static const struct exit_reason_name svm_reasons[] = {
#define EXIT_STATS_SVM_REASON(nr, name) { nr, name },
#include "exit_stats_reasons.h"
};

#define NR_VMX_REASONS	ARRAY_SIZE(vmx_reasons)
#define NR_SVM_REASONS	ARRAY_SIZE(svm_reasons)

u32 kvm_exit_stats_slot_reason(u32 isa, u32 slot)
{
	if (isa == KVM_EXIT_STATS_VMX)
		return slot == KVM_EXIT_STATS_VMX_VMFAIL_SLOT ? KVM_EXIT_STATS_VMX_VMFAIL : slot;
	if (slot < KVM_EXIT_STATS_SVM_LOW)
		return slot;
	slot -= KVM_EXIT_STATS_SVM_LOW;
	if (slot < KVM_EXIT_STATS_SVM_HIGH)
		return KVM_EXIT_STATS_SVM_HIGH_BASE + slot;
	return ~(slot - KVM_EXIT_STATS_SVM_HIGH);
}

const char *kvm_exit_stats_reason_name(u32 isa, u32 reason)
{
	const struct exit_reason_name *t = vmx_reasons;
	unsigned int lo = 0, hi = NR_VMX_REASONS;

	if (isa == KVM_EXIT_STATS_SVM) {
		t = svm_reasons;
		hi = NR_SVM_REASONS;
	} else if (isa != KVM_EXIT_STATS_VMX) {
		return NULL;
	}
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (t[mid].reason == reason)
			return t[mid].name;
		if (t[mid].reason < reason)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool kvm_exit_stats_tables_fit_slots(void)
{
	unsigned int i;

	for (i = 0; i < NR_VMX_REASONS; i++)
		if (kvm_exit_stats_vmx_slot(vmx_reasons[i].reason) >= KVM_EXIT_STATS_SLOTS)
			return false;
	for (i = 0; i < NR_SVM_REASONS; i++)
		if (kvm_exit_stats_svm_slot(svm_reasons[i].reason) >= KVM_EXIT_STATS_SLOTS)
			return false;
	return true;
}

/*
 * A reason is counted if KVM enables it for the querying vCPU, or if it
 * happened anyway (KVM enabled it at some point).
 */
enum kvm_exit_stats_class kvm_exit_stats_classify(const struct kvm_exit_stats_view *v,
						  u32 reason, u64 *count, u64 *cycles)
{
	u32 slot = kvm_exit_stats_slot(v->isa, reason);

	*count = 0;
	*cycles = 0;
	if (slot >= KVM_EXIT_STATS_SLOTS || !kvm_exit_stats_reason_name(v->isa, reason))
		return KVM_EXIT_STATS_REASON_UNDEFINED;
	v->src->slot(v->src->ctx, slot, count, cycles);
	if (!*count && !v->src->enabled(v->src->ctx, reason))
		return KVM_EXIT_STATS_REASON_NOT_ENABLED;
	return KVM_EXIT_STATS_REASON_COUNTED;
}

enum cpuid_query {
	Q_NONE,
	Q_SIGNATURE,
	Q_INFO,
	Q_TOTAL_COUNT32,	/* EAX = low 32 bits of the total count */
	Q_TOTAL_COUNT,		/* EBX:ECX = the total count */
	Q_TOTAL_CYCLES,		/* EBX:ECX = the total cycles */
	Q_TOTAL_BOTH,		/* EAX = low 32 bits of the count, EBX:ECX = cycles */
	Q_REASON_COUNT32,	/* EAX = low 32 bits of the count of reason ECX */
	Q_REASON_COUNT,		/* EBX:ECX = the count of reason ECX */
	Q_REASON_CYCLES,	/* EBX:ECX = the cycles of reason ECX */
	Q_REASON_INFO,		/* EAX = defined, EBX = enabled, ECX = seen */
	Q_DUMP,
};

static enum cpuid_query cpuid_query(u32 layout, u32 leaf)
{
	switch (leaf) {
	case KVM_EXIT_STATS_CPUID_SIGNATURE:
		return Q_SIGNATURE;
	case KVM_EXIT_STATS_CPUID_INFO:
		return Q_INFO;
	case KVM_EXIT_STATS_CPUID_REASON_COUNT:
		return Q_REASON_COUNT;
	case KVM_EXIT_STATS_CPUID_REASON_CYCLES:
		return Q_REASON_CYCLES;
	case KVM_EXIT_STATS_CPUID_TOTAL_COUNT:
		return Q_TOTAL_COUNT;
	case KVM_EXIT_STATS_CPUID_TOTAL_CYCLES:
		return Q_TOTAL_CYCLES;
	case KVM_EXIT_STATS_CPUID_DUMP:
		return Q_DUMP;
	case KVM_EXIT_STATS_CPUID_REASON_INFO:
		return Q_REASON_INFO;
	}
	switch (layout) {
	case KVM_EXIT_STATS_LAYOUT_A:
		if (leaf == KVM_EXIT_STATS_CPUID_A_TOTALS)
			return Q_TOTAL_BOTH;
		if (leaf == KVM_EXIT_STATS_CPUID_A_REASON_COUNT32)
			return Q_REASON_COUNT32;
		break;
	case KVM_EXIT_STATS_LAYOUT_B:
		if (leaf == KVM_EXIT_STATS_CPUID_B_TOTAL_COUNT32)
			return Q_TOTAL_COUNT32;
		if (leaf == KVM_EXIT_STATS_CPUID_B_TOTAL_CYCLES)
			return Q_TOTAL_CYCLES;
		if (leaf == KVM_EXIT_STATS_CPUID_B_REASON_COUNT32)
			return Q_REASON_COUNT32;
		if (leaf == KVM_EXIT_STATS_CPUID_B_REASON_CYCLES)
			return Q_REASON_CYCLES;
		break;
	case KVM_EXIT_STATS_LAYOUT_C:
		if (leaf == KVM_EXIT_STATS_CPUID_C_TOTAL_COUNT32)
			return Q_TOTAL_COUNT32;
		if (leaf == KVM_EXIT_STATS_CPUID_C_TOTAL_CYCLES)
			return Q_TOTAL_CYCLES;
		if (leaf == KVM_EXIT_STATS_CPUID_C_REASON_COUNT32)
			return Q_REASON_COUNT32;
		if (leaf == KVM_EXIT_STATS_CPUID_C_REASON_CYCLES)
			return Q_REASON_CYCLES;
		break;
	}
	return Q_NONE;
}

bool kvm_exit_stats_cpuid_leaf(u32 layout, u32 leaf)
{
	return cpuid_query(layout, leaf) != Q_NONE;
}

static void split(u64 value, u32 *high, u32 *low)
{
	*high = value >> 32;
	*low = (u32)value;
}

void kvm_exit_stats_cpuid_fill(const struct kvm_exit_stats_view *v, u32 leaf,
			       u32 ecx, struct kvm_exit_stats_regs *r)
{
	enum cpuid_query q = cpuid_query(v->layout, leaf);
	enum kvm_exit_stats_class cls;
	u64 count, cycles;

	r->eax = 0;
	r->ebx = 0;
	r->ecx = 0;
	r->edx = 0;
	switch (q) {
	case Q_SIGNATURE:
		r->eax = KVM_EXIT_STATS_CPUID_LAST;
		r->ebx = KVM_EXIT_STATS_SIGNATURE_EBX;
		r->ecx = KVM_EXIT_STATS_SIGNATURE_ECX;
		r->edx = KVM_EXIT_STATS_SIGNATURE_EDX;
		return;
	case Q_INFO:
		r->eax = KVM_EXIT_STATS_ABI_VERSION;
		r->ebx = v->isa;
		r->ecx = v->layout;
		r->edx = v->scope | v->flags;
		return;
	case Q_TOTAL_COUNT32:
	case Q_TOTAL_COUNT:
	case Q_TOTAL_CYCLES:
	case Q_TOTAL_BOTH:
		v->src->total(v->src->ctx, &count, &cycles);
		if (q == Q_TOTAL_COUNT32 || q == Q_TOTAL_BOTH)
			r->eax = (u32)count;
		if (q == Q_TOTAL_COUNT)
			split(count, &r->ebx, &r->ecx);
		else if (q != Q_TOTAL_COUNT32)
			split(cycles, &r->ebx, &r->ecx);
		return;
	case Q_REASON_COUNT32:
	case Q_REASON_COUNT:
	case Q_REASON_CYCLES:
	case Q_REASON_INFO:
		break;
	default:
		return;
	}

	cls = kvm_exit_stats_classify(v, ecx, &count, &cycles);
	if (cls == KVM_EXIT_STATS_REASON_UNDEFINED) {
		r->edx = KVM_EXIT_STATS_UNDEFINED;
		return;
	}
	if (q == Q_REASON_INFO) {
		r->eax = 1;
		r->ebx = v->src->enabled(v->src->ctx, ecx);
		r->ecx = !!count;
		return;
	}
	if (cls == KVM_EXIT_STATS_REASON_NOT_ENABLED)
		return;
	if (q == Q_REASON_COUNT32)
		r->eax = (u32)count;
	else if (q == Q_REASON_COUNT)
		split(count, &r->ebx, &r->ecx);
	else
		split(cycles, &r->ebx, &r->ecx);
}
