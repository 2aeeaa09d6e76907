/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit-reason names by ISA, from the project's one reason table
 * (reasons/exit_stats_reasons.h, which the kernel change includes too).
 */
#ifndef KES_EXIT_REASONS_H
#define KES_EXIT_REASONS_H

#include <stddef.h>
#include <stdint.h>

enum kes_isa {
	KES_ISA_NONE = 0,
	KES_ISA_VMX = 1,
	KES_ISA_SVM = 2,
};

struct kes_reason {
	uint32_t nr;
	const char *name;
};

/* "vmx" or "svm"; NULL for anything else. */
const char *kes_isa_name(enum kes_isa isa);
/* KES_ISA_NONE if @name is neither "vmx" nor "svm". */
enum kes_isa kes_isa_parse(const char *name);

/* Every reason the manual defines, in increasing order; *n gets the count. */
const struct kes_reason *kes_reasons(enum kes_isa isa, size_t *n);
/* The manual's name of @nr, or NULL if the manual does not define it. */
const char *kes_reason_name(enum kes_isa isa, uint32_t nr);
/* 0 and *nr set if @name names a reason of @isa (in any case), -1 otherwise. */
int kes_reason_by_name(enum kes_isa isa, const char *name, uint32_t *nr);

#endif /* KES_EXIT_REASONS_H */
