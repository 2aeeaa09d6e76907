// SPDX-License-Identifier: GPL-2.0
/* Reading the host's exit statistics through CPUID (docs/guest-abi.md). */
#include "query.h"

#include <string.h>

void kes_probe(struct kes_cpu *cpu, struct kes_host *h)
{
	uint32_t r[4];

	memset(h, 0, sizeof(*h));
	kes_cpu_cpuid(cpu, KVM_EXIT_STATS_CPUID_SIGNATURE, 0, r);
	h->found = r[1] == KVM_EXIT_STATS_SIGNATURE_EBX && r[2] == KVM_EXIT_STATS_SIGNATURE_ECX &&
		   r[3] == KVM_EXIT_STATS_SIGNATURE_EDX;
	if (!h->found)
		return;
	kes_cpu_cpuid(cpu, KVM_EXIT_STATS_CPUID_INFO, 0, r);
	h->abi = r[0];
	h->isa = r[1] == KVM_EXIT_STATS_ISA_VMX ? KES_ISA_VMX :
		 r[1] == KVM_EXIT_STATS_ISA_SVM ? KES_ISA_SVM : KES_ISA_NONE;
	h->layout = r[2] >= KVM_EXIT_STATS_LAYOUT_A && r[2] <= KVM_EXIT_STATS_LAYOUT_C ?
		    (char)('a' + r[2] - KVM_EXIT_STATS_LAYOUT_A) : '?';
	h->scope = (enum kes_scope)(r[3] & KVM_EXIT_STATS_INFO_SCOPE_MASK);
	h->dump_on = r[3] & KVM_EXIT_STATS_INFO_DUMP_ON;
	h->user = r[3] & KVM_EXIT_STATS_INFO_USER;
}

static uint64_t wide(const uint32_t r[4])
{
	return (uint64_t)r[1] << 32 | r[2];
}

/* The layouts' leaves, by what they return. */
struct layout_leaves {
	uint32_t total_count32, total_cycles, reason_count32, reason_cycles;
};

static struct layout_leaves leaves_of(char layout)
{
	switch (layout) {
	case 'a':	/* one leaf gives the total count and cycles at once */
		return (struct layout_leaves){ KVM_EXIT_STATS_CPUID_A_TOTALS,
			KVM_EXIT_STATS_CPUID_A_TOTALS, KVM_EXIT_STATS_CPUID_A_REASON_COUNT32, 0 };
	case 'b':
		return (struct layout_leaves){ KVM_EXIT_STATS_CPUID_B_TOTAL_COUNT32,
			KVM_EXIT_STATS_CPUID_B_TOTAL_CYCLES, KVM_EXIT_STATS_CPUID_B_REASON_COUNT32,
			KVM_EXIT_STATS_CPUID_B_REASON_CYCLES };
	default:
		return (struct layout_leaves){ KVM_EXIT_STATS_CPUID_C_TOTAL_COUNT32,
			KVM_EXIT_STATS_CPUID_C_TOTAL_CYCLES, KVM_EXIT_STATS_CPUID_C_REASON_COUNT32,
			KVM_EXIT_STATS_CPUID_C_REASON_CYCLES };
	}
}

void kes_read_reason(const struct kes_reader *rd, uint32_t reason, struct kes_reading *out)
{
	struct layout_leaves l = leaves_of(rd->layout);
	uint32_t r[4];

	memset(out, 0, sizeof(*out));
	out->reason = reason;
	if (!kes_cpu_cpuid(rd->cpu, rd->layout ? l.reason_count32 : KVM_EXIT_STATS_CPUID_REASON_COUNT,
			   reason, r)) {
		out->state = KES_UNREADABLE;
		return;
	}
	if (r[3] == KVM_EXIT_STATS_UNDEFINED) {
		out->state = KES_UNDEFINED;
		return;
	}
	out->count = rd->layout ? r[0] : wide(r);
	if (l.reason_cycles || !rd->layout) {
		kes_cpu_cpuid(rd->cpu, rd->layout ? l.reason_cycles : KVM_EXIT_STATS_CPUID_REASON_CYCLES,
			      reason, r);
		out->cycles = wide(r);
	}
	out->state = KES_COUNTED;
	if (!rd->layout) {
		kes_cpu_cpuid(rd->cpu, KVM_EXIT_STATS_CPUID_REASON_INFO, reason, r);
		if (r[0] == 1 && !r[1] && !r[2])
			out->state = KES_NOT_ENABLED;
	}
}

void kes_read_totals(const struct kes_reader *rd, uint64_t *count, uint64_t *cycles)
{
	struct layout_leaves l = leaves_of(rd->layout);
	uint32_t r[4];

	kes_cpu_cpuid(rd->cpu, rd->layout ? l.total_count32 : KVM_EXIT_STATS_CPUID_TOTAL_COUNT, 0, r);
	*count = rd->layout ? r[0] : wide(r);
	if (rd->layout != 'a')
		kes_cpu_cpuid(rd->cpu, rd->layout ? l.total_cycles : KVM_EXIT_STATS_CPUID_TOTAL_CYCLES,
			      0, r);
	*cycles = wide(r);
}

unsigned int kes_dump(struct kes_cpu *cpu)
{
	uint32_t r[4];

	kes_cpu_cpuid(cpu, KVM_EXIT_STATS_CPUID_DUMP, 0, r);
	return r[0] == 1 ? 0 : r[1];
}
