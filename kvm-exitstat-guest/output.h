/* SPDX-License-Identifier: GPL-2.0 */
/* What kvm-exitstat-guest prints: the table, or one JSON object. */
#ifndef KES_GUEST_OUTPUT_H
#define KES_GUEST_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query.h"

/* A reading of every reason, and how it was made. */
struct kes_view {
	const struct kes_host *host;	/* found, or not (a host that answers a layout only) */
	enum kes_isa isa;
	char layout;			/* the layout read with, 0: the 64-bit leaves */
	enum kes_via via;
	const char *device;		/* the device's path, via it */
	const struct kes_reading *rd;	/* the reasons shown, most exits first */
	size_t n;
	size_t unreadable;		/* reasons the device could not read */
	uint64_t start_count, start_cycles;	/* the totals before the reasons were read */
	uint64_t count, cycles;			/* and after */
};

/* The manual's name of @nr, "UNKNOWN" if it has none. */
const char *kes_guest_reason_name(enum kes_isa isa, uint32_t nr);
/* @nr as the manual writes it: decimal (VMX), 0x hex (SVM). */
void kes_guest_reason_str(enum kes_isa isa, uint32_t nr, char *buf, size_t n);

/*
 * The average cycles of @count exits into *@avg (0 without exits), if it is
 * known: with a layout (@layout not 0) @count is only the low 32 bits; then
 * false unless the cycles prove that it did not wrap.
 */
bool kes_guest_avg(char layout, uint64_t count, uint64_t cycles, uint64_t *avg);

void kes_print_guest_table(const struct kes_view *v);
void kes_print_guest_json(const struct kes_view *v);

#endif /* KES_GUEST_OUTPUT_H */
