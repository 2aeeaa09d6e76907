/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A report: the rows kvm-exitstat shows, computed from one reading of an
 * exit_stats file (totals since boot or reset) or from two (an interval).
 */
#ifndef KES_REPORT_H
#define KES_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "statsfile.h"

enum kes_sort { KES_SORT_COUNT, KES_SORT_TIME, KES_SORT_AVG, KES_SORT_NAME };

struct kes_report_row {
	uint32_t reason;
	const char *name;	/* "UNKNOWN" for a reason the table lacks */
	bool total;		/* the TOTAL row */
	uint64_t count, cycles;
	uint64_t min, max;	/* 0 in an interval: not known per interval */
	double count_pct, time_pct;
	double avg;		/* cycles per exit */
	double per_second;	/* exits per second, in an interval */
};

struct kes_report {
	enum kes_isa isa;
	uint64_t tsc_khz;
	const char *scope;	/* "system" or "vm" */
	const char *vm;		/* "PID-FD" for a VM, else NULL */
	double seconds;		/* the interval's length; 0: totals */
	double timestamp;	/* when the (last) reading was taken, Unix time */
	size_t n;
	struct kes_report_row *rows;
	struct kes_report_row total;
};

/*
 * The report of @st (or of @st minus @before, over @seconds, if @before):
 * every row if @all, else the rows with exits; sorted by @sort.  Returns 0
 * or -1 if @before does not fit @st (another ISA, fewer exits: a reset).
 */
int kes_report_make(struct kes_report *rep, const struct kes_stats *st,
		    const struct kes_stats *before, double seconds, bool all,
		    enum kes_sort sort);
void kes_report_free(struct kes_report *rep);

/* Cycles to microseconds, at the file's TSC frequency. */
double kes_cycles_to_us(const struct kes_report *rep, double cycles);

#endif /* KES_REPORT_H */
