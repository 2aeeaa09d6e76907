// SPDX-License-Identifier: GPL-2.0
/* Made-up exit statistics for the guest-ABI unit tests (abi_fixture.h). */
#include "abi_fixture.h"

#include <string.h>

/* The slots as docs/design.md describes them, written again here. */
uint32_t doc_slot(uint32_t isa, uint32_t reason)
{
	/* VMX: basic reasons 0-94; KVM's VMFAIL (0xdead) in the last slot, 95. */
	if (isa == KVM_EXIT_STATS_VMX)
		return reason < 95 ? reason : reason == 0xdead ? 95 : UINT32_MAX;
	if (reason < 0xb0)
		return reason;
	if (reason >= 0x400 && reason < 0x410)
		return 0xb0 + reason - 0x400;
	if (reason >= 0xfffffff8)
		return 0xb0 + 16 + (0xffffffff - reason);
	return UINT32_MAX;
}

/* Made-up statistics: some slots never seen, some not enabled, big values. */
bool made_up_enabled(uint32_t slot)
{
	return slot % 5 != 1;
}

static void fixture_slot(const void *ctx, uint32_t slot, uint64_t *count, uint64_t *cycles)
{
	struct fixture *f = (struct fixture *)ctx;

	f->slot_calls++;
	*count = f->stats.slot[slot].count;
	*cycles = f->stats.slot[slot].cycles;
}

static void fixture_total(const void *ctx, uint64_t *count, uint64_t *cycles)
{
	struct fixture *f = (struct fixture *)ctx;

	f->total_calls++;
	*count = f->total_count;
	*cycles = f->total_cycles;
}

static bool fixture_enabled(const void *ctx, uint32_t reason)
{
	struct fixture *f = (struct fixture *)ctx;
	uint32_t slot = doc_slot(f->v.isa, reason);

	f->enabled_calls++;
	return slot != UINT32_MAX && made_up_enabled(slot);
}

void setup(struct fixture *f, uint32_t isa, uint32_t layout)
{
	uint32_t s;

	memset(f, 0, sizeof(*f));
	for (s = 0; s < KVM_EXIT_STATS_SLOTS; s++) {
		if (s % 3 != 0) {
			f->stats.slot[s].count = ((uint64_t)s << 33) + s * 1000003ULL + 7;
			f->stats.slot[s].cycles = f->stats.slot[s].count * 1001 + s;
		}
	}
	f->total_count = 0x123456789abcULL;
	f->total_cycles = 0xfedcba9876543210ULL;
	f->src = (struct kvm_exit_stats_source){
		.slot = fixture_slot, .total = fixture_total, .enabled = fixture_enabled, .ctx = f,
	};
	f->v = (struct kvm_exit_stats_view){
		.isa = isa, .layout = layout, .scope = KVM_EXIT_STATS_SCOPE_VM, .flags = 0,
		.src = &f->src,
	};
}
