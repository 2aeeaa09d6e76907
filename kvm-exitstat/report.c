// SPDX-License-Identifier: GPL-2.0
/* Rows to show, from one reading or the difference of two. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* Ties go by reason number, so that every order is total. */
static int by_reason(const struct kes_report_row *x, const struct kes_report_row *y)
{
	return (x->reason > y->reason) - (x->reason < y->reason);
}

static int by_count(const void *a, const void *b)
{
	const struct kes_report_row *x = a, *y = b;
	int r = (x->count < y->count) - (x->count > y->count);

	return r ? r : by_reason(x, y);
}

static int by_time(const void *a, const void *b)
{
	const struct kes_report_row *x = a, *y = b;
	int r = (x->cycles < y->cycles) - (x->cycles > y->cycles);

	return r ? r : by_reason(x, y);
}

static int by_avg(const void *a, const void *b)
{
	const struct kes_report_row *x = a, *y = b;
	int r = (x->avg < y->avg) - (x->avg > y->avg);

	return r ? r : by_reason(x, y);
}

static int by_name(const void *a, const void *b)
{
	const struct kes_report_row *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	return r ? r : by_reason(x, y);
}

static int (*const comparators[])(const void *, const void *) = {
	[KES_SORT_COUNT] = by_count,
	[KES_SORT_TIME] = by_time,
	[KES_SORT_AVG] = by_avg,
	[KES_SORT_NAME] = by_name,
};

static void fill(struct kes_report_row *r, uint64_t total_count, uint64_t total_cycles,
		 double seconds)
{
	r->count_pct = total_count ? 100.0 * r->count / total_count : 0;
	r->time_pct = total_cycles ? 100.0 * r->cycles / total_cycles : 0;
	r->avg = r->count ? (double)r->cycles / r->count : 0;
	r->per_second = seconds > 0 ? r->count / seconds : 0;
}

int kes_report_make(struct kes_report *rep, const struct kes_stats *st,
		    const struct kes_stats *before, double seconds, bool all,
		    enum kes_sort sort)
{
	size_t i;

	memset(rep, 0, sizeof(*rep));
	if (before && (before->isa != st->isa || before->total.count > st->total.count))
		return -1;
	rep->isa = st->isa;
	rep->tsc_khz = st->tsc_khz;
	rep->seconds = before ? seconds : 0;
	rep->rows = calloc(st->nrows ? st->nrows : 1, sizeof(*rep->rows));
	if (!rep->rows)
		return -1;
	rep->total = (struct kes_report_row){ .name = "TOTAL", .total = true,
		.count = st->total.count, .cycles = st->total.cycles,
		.min = st->total.min, .max = st->total.max };
	if (before) {
		rep->total.count -= before->total.count;
		rep->total.cycles -= before->total.cycles;
		rep->total.min = rep->total.max = 0;
	}
	for (i = 0; i < st->nrows; i++) {
		const struct kes_row *row = &st->rows[i];
		struct kes_report_row *r = &rep->rows[rep->n];
		const struct kes_row *b = before ? kes_stats_row(before, row->reason) : NULL;

		*r = (struct kes_report_row){ .reason = row->reason, .name = row->name,
			.count = row->s.count, .cycles = row->s.cycles,
			.min = row->s.min, .max = row->s.max };
		if (before) {
			uint64_t bc = b ? b->s.count : 0, by = b ? b->s.cycles : 0;

			if (bc > r->count || by > r->cycles) {
				kes_report_free(rep);
				return -1;
			}
			r->count -= bc;
			r->cycles -= by;
			r->min = r->max = 0;
		}
		if (!all && !r->count)
			continue;
		fill(r, rep->total.count, rep->total.cycles, rep->seconds);
		rep->n++;
	}
	fill(&rep->total, rep->total.count, rep->total.cycles, rep->seconds);
	qsort(rep->rows, rep->n, sizeof(*rep->rows), comparators[sort]);
	return 0;
}

void kes_report_free(struct kes_report *rep)
{
	free(rep->rows);
	rep->rows = NULL;
	rep->n = 0;
}

double kes_cycles_to_us(const struct kes_report *rep, double cycles)
{
	return rep->tsc_khz ? cycles * 1000.0 / rep->tsc_khz : 0;
}
