// SPDX-License-Identifier: GPL-2.0
/* Reading the host's exit statistics through CPUID (docs/guest-abi.md). */
#include "query.h"

#include <string.h>

void kes_probe(kes_cpuid_fn *cpuid, struct kes_host *h)
{
	uint32_t r[4];

	memset(h, 0, sizeof(*h));
	cpuid(KES_LEAF_SIGNATURE, 0, r);
	h->found = !memcmp(&r[1], "KVMExitStats", 12);
	if (!h->found)
		return;
	cpuid(KES_LEAF_INFO, 0, r);
	h->abi = r[0];
	h->isa = r[1] == KES_ISA_VMX || r[1] == KES_ISA_SVM ? (enum kes_isa)r[1] : KES_ISA_NONE;
	h->layout = r[2] >= 0xa && r[2] <= 0xc ? (char)('a' + r[2] - 0xa) : '?';
	h->scope = (enum kes_scope)(r[3] & 0xff);
	h->dump_on = r[3] & 0x100;
}

static uint64_t wide(const uint32_t r[4])
{
	return (uint64_t)r[1] << 32 | r[2];
}

/* The course layouts' leaves, by what they return. */
struct layout_leaves {
	uint32_t total_count32, total_cycles, reason_count32, reason_cycles;
};

static struct layout_leaves leaves_of(char layout)
{
	switch (layout) {
	case 'a':	/* 0x4fffffff gives the total count and cycles at once */
		return (struct layout_leaves){ 0x4fffffff, 0x4fffffff, 0x4ffffffe, 0 };
	case 'b':
		return (struct layout_leaves){ 0x4fffffff, 0x4ffffffe, 0x4ffffffd, 0x4ffffffc };
	default:
		return (struct layout_leaves){ 0x4ffffffc, 0x4ffffffd, 0x4ffffffe, 0x4fffffff };
	}
}

void kes_read_reason(const struct kes_reader *rd, uint32_t reason, struct kes_reading *out)
{
	struct layout_leaves l = leaves_of(rd->layout);
	uint32_t r[4];

	memset(out, 0, sizeof(*out));
	out->reason = reason;
	rd->cpuid(rd->layout ? l.reason_count32 : KES_LEAF_COUNT, reason, r);
	if (r[3] == 0xffffffff) {
		out->state = KES_UNDEFINED;
		return;
	}
	out->count = rd->layout ? r[0] : wide(r);
	if (l.reason_cycles || !rd->layout) {
		rd->cpuid(rd->layout ? l.reason_cycles : KES_LEAF_CYCLES, reason, r);
		out->cycles = wide(r);
	}
	out->state = KES_COUNTED;
	if (!rd->layout) {
		rd->cpuid(KES_LEAF_REASON_INFO, reason, r);
		if (r[0] == 1 && !r[1] && !r[2])
			out->state = KES_NOT_ENABLED;
	}
}

void kes_read_totals(const struct kes_reader *rd, uint64_t *count, uint64_t *cycles)
{
	struct layout_leaves l = leaves_of(rd->layout);
	uint32_t r[4];

	rd->cpuid(rd->layout ? l.total_count32 : KES_LEAF_TOTAL_COUNT, 0, r);
	*count = rd->layout ? r[0] : wide(r);
	if (rd->layout != 'a')
		rd->cpuid(rd->layout ? l.total_cycles : KES_LEAF_TOTAL_CYCLES, 0, r);
	*cycles = wide(r);
}

unsigned int kes_dump(kes_cpuid_fn *cpuid)
{
	uint32_t r[4];

	cpuid(KES_LEAF_DUMP, 0, r);
	return r[0] == 1 ? 0 : r[1];
}
