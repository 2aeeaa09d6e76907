/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --reason: which reasons a report shows, as kvm_stat's -f filters its
 * fields: names (either ISA's), numbers (decimal, or 0x hex) and shell
 * patterns of names (* ? [...], case ignored), one option or a comma list.
 */
#ifndef KES_FILTER_H
#define KES_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "report.h"

#define KES_FILTER_MAX 64

struct kes_filter {
	unsigned int n;				/* 0: every reason */
	const char *item[KES_FILTER_MAX];	/* into text */
	char text[1024];
};

enum kes_filter_error {
	KES_FILTER_OK,
	KES_FILTER_EMPTY,	/* an empty item */
	KES_FILTER_UNKNOWN,	/* a name neither ISA has, and no pattern */
	KES_FILTER_TOO_MUCH,	/* more than KES_FILTER_MAX items, or text */
};

/*
 * Adds the comma list @list to @f: KES_FILTER_OK, or what is wrong, with
 * the item at fault in *@bad for KES_FILTER_UNKNOWN.
 */
enum kes_filter_error kes_filter_add(struct kes_filter *f, const char *list, const char **bad);
/* Whether @f lets the reason @reason named @name through. */
bool kes_filter_match(const struct kes_filter *f, uint32_t reason, const char *name);
/*
 * Keeps the rows of @rep that @f lets through (the unlisted row only if
 * "unlisted" matches); the TOTAL row and the shares stay every reason's.
 */
void kes_filter_report(const struct kes_filter *f, struct kes_report *rep);

#endif /* KES_FILTER_H */
