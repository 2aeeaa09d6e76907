/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exit statistics in KVM's binary statistics (KVM_GET_STATS_FD), as a
 * VM's or a vCPU's stats file has them after KVM's own descriptors
 * (docs/interfaces.md, "Binary statistics"): one array per field with an
 * entry per reason that has a slot, then one for the reasons without one,
 * whose numbers "exit_stats_reason" holds, and two log2 histograms of all
 * reasons together.
 */
#ifndef KES_LAB_STATS_FD_H
#define KES_LAB_STATS_FD_H

#include <stdbool.h>
#include <stdint.h>

#include "statsfile.h"

enum bin_field {
	BIN_REASON, BIN_COUNT, BIN_TIMED, BIN_CYCLES, BIN_CYCLES_MAX, BIN_E2E, BIN_E2E_MAX,
	BIN_USER, BIN_BLOCKED, BIN_PREEMPTED,
	BIN_PER_REASON,
	BIN_E2E_HIST = BIN_PER_REASON, BIN_CYCLES_HIST,
	BIN_FIELDS,
};
#define BIN_MAX_ENTRIES	256
#define BIN_HIST_BUCKETS 32
/* The entry of the reasons without a slot: its "exit_stats_reason". */
#define BIN_OTHER	UINT64_MAX

struct bin_stats {
	uint32_t n;				/* entries per reason */
	uint64_t v[BIN_FIELDS][BIN_MAX_ENTRIES];
	uint64_t exits;				/* KVM's own "exits" (vCPU files) */
};

/* Each field's descriptor name, and its type and unit (KVM_STATS_*). */
const char *bin_field_name(enum bin_field f);
uint32_t bin_field_flags(enum bin_field f);

/*
 * Reads the exit statistics from the stats file @fd: false, with a "# "
 * line that says why, if a descriptor is missing, twice there, or not of
 * its type, unit or size.
 */
bool bin_stats_read(int fd, struct bin_stats *b);
/* The entry of @reason, or -1. */
int bin_stats_index(const struct bin_stats *b, uint64_t reason);
/* @b against the text file's statistics @st, field by field, reason by reason. */
bool bin_stats_check_file(const struct bin_stats *b, const struct kes_stats *st,
			  const char *what);

#endif /* KES_LAB_STATS_FD_H */
