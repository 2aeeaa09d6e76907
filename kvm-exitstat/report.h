/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A report: the rows kvm-exitstat shows, computed from one reading of an
 * exit_stats file (totals since boot or reset) or from two (the exits
 * between them: an interval, or two saved files).
 */
#ifndef KES_REPORT_H
#define KES_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "histfile.h"
#include "statsfile.h"

enum kes_sort { KES_SORT_COUNT, KES_SORT_TIME, KES_SORT_AVG, KES_SORT_NAME };

enum kes_row_kind {
	KES_ROW_REASON,		/* one exit reason */
	KES_ROW_UNLISTED,	/* the file's "# unlisted" exits: reasons without a row */
	KES_ROW_TOTAL,
};

struct kes_report_row {
	enum kes_row_kind kind;
	uint32_t reason;	/* KES_ROW_REASON only */
	const char *name;	/* "UNKNOWN" for a reason the table lacks; "unlisted"; "TOTAL" */
	uint64_t count, cycles;	/* cycles: in KVM, of the exits timed */
	uint64_t min, max;	/* if the report's minmax_known, and timed > 0 */
	uint64_t timed;		/* exits timed (= count without the split) */
	uint64_t e2e, e2e_max;	/* exit-to-entry, if the report's split */
	uint64_t user, blocked, preempted;	/* its parts that were not KVM's */
	double count_pct, time_pct;
	double avg;		/* cycles per exit timed, if timed > 0 */
	double avg_e2e;		/* exit-to-entry per exit timed, if timed > 0 */
	double per_second;	/* exits per second, if the report's seconds > 0 */
	uint64_t since_reset;	/* of two readings: the later one's count (since boot */
				/* or the last reset); else count */
};

/* Who the statistics are of. */
struct kes_scope {
	const char *scope;	/* "system", "vm" or "file" */
	const char *vm;		/* "PID-FD" of a VM, else NULL */
	const char *guest;	/* the VM's guest name, if the VMM gives one, else NULL */
	const char *file;	/* -f: the file (the later one of two) */
	const char *before_file;	/* -f A -f B: A */
	const char *vcpu;	/* scope "vcpu": the vCPU's id, in decimal; else NULL */
};

struct kes_report {
	enum kes_isa isa;
	uint64_t tsc_khz;	/* 0: unknown, so no times */
	struct kes_scope who;
	double seconds;		/* the interval's length: rates known if > 0 */
	bool minmax_known;	/* one reading: min and max known */
	bool split;		/* exit-to-entry and its parts known (kernel's time split) */
	double timestamp;	/* when the (last) reading was taken, Unix time */
	size_t n;		/* reasons, then the unlisted row if shown */
	struct kes_report_row *rows;
	struct kes_report_row total;
	const struct kes_hists *hist;	/* the scope's histograms, or NULL (--prometheus) */
};

/*
 * The report of @st, or of @st minus @before (over @seconds, 0 if not
 * known): every row if @all, else the rows with exits; reasons sorted by
 * @sort, then the unlisted row (if it has exits, or @all).  Returns 0, -1
 * if @before does not fit @st (another ISA, or fewer exits: a reset), or
 * -2 if out of memory.
 */
int kes_report_make(struct kes_report *rep, const struct kes_stats *st,
		    const struct kes_stats *before, double seconds, bool all,
		    enum kes_sort sort);
void kes_report_free(struct kes_report *rep);

/*
 * Whether @a and @b are readings of one host, as a difference needs: the
 * same ISA and the same TSC frequency (which a host calibrates at boot).
 */
bool kes_same_host(const struct kes_stats *a, const struct kes_stats *b);

/* Whether @r's min and max are known (one reading, exits, not unlisted). */
bool kes_minmax_known(const struct kes_report *rep, const struct kes_report_row *r);
/* Whether the TSC frequency is known, so that cycles convert to time. */
bool kes_times_known(const struct kes_report *rep);
/* Cycles to microseconds, at the file's TSC frequency (if known). */
double kes_cycles_to_us(const struct kes_report *rep, double cycles);
/* The reason as its manual writes it: decimal (VMX), 0x hex (SVM). */
void kes_reason_str(enum kes_isa isa, uint32_t reason, char *buf, size_t n);

#endif /* KES_REPORT_H */
