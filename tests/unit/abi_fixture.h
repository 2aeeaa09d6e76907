/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Made-up exit statistics, as the kernel's guest-ABI code sees them, for the
 * unit tests of that code and of the guest tool; and the slots as
 * docs/design.md describes them, written again independently of the kernel.
 */
#ifndef KES_ABI_FIXTURE_H
#define KES_ABI_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "exit_stats_abi.h"

struct fixture {
	struct kvm_exit_stats stats;
	uint64_t total_count, total_cycles;	/* of every reason */
	struct kvm_exit_stats_source src;	/* answers from the above */
	struct kvm_exit_stats_view v;
	/* What the kernel's code asked of the source, since setup(). */
	unsigned int slot_calls, total_calls, enabled_calls;
};

/* The slot of @reason per docs/design.md, UINT32_MAX if it has none. */
uint32_t doc_slot(uint32_t isa, uint32_t reason);
/* Whether the made-up host enables the reason in @slot. */
bool made_up_enabled(uint32_t slot);
/* Some slots never seen, some not enabled, values above 2^32. */
void setup(struct fixture *f, uint32_t isa, uint32_t layout);

#endif /* KES_ABI_FIXTURE_H */
