// SPDX-License-Identifier: GPL-2.0
/* Rows to show, from one reading or the difference of two. */
#include "report.h"

#include <inttypes.h>
#include <stdio.h>
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

static void fill(struct kes_report_row *r, const struct kes_report *rep)
{
	r->count_pct = rep->total.count ? 100.0 * r->count / rep->total.count : 0;
	r->time_pct = rep->total.cycles ? 100.0 * r->cycles / rep->total.cycles : 0;
	r->avg = r->timed ? (double)r->cycles / r->timed : 0;
	r->avg_e2e = r->timed ? (double)r->e2e / r->timed : 0;
	r->per_second = rep->seconds > 0 ? r->count / rep->seconds : 0;
	if (!rep->minmax_known || !r->timed)
		r->min = r->max = r->e2e_max = 0;
}

/* @now - @then into *@d; false if it went back. */
static bool sub(uint64_t *d, uint64_t now, uint64_t then)
{
	*d = now - then;
	return then <= now;
}

/* @now - @then into @d; false if a field went back. */
static bool minus(struct kes_stat *d, const struct kes_stat *now, const struct kes_stat *then)
{
	return sub(&d->count, now->count, then->count) &&
	       sub(&d->cycles, now->cycles, then->cycles) &&
	       sub(&d->timed, now->timed, then->timed) && sub(&d->e2e, now->e2e, then->e2e) &&
	       sub(&d->user, now->user, then->user) &&
	       sub(&d->blocked, now->blocked, then->blocked) &&
	       sub(&d->preempted, now->preempted, then->preempted);
}

/* A row of the report from @s (a reading, or the difference of two). */
static struct kes_report_row row_of(enum kes_row_kind kind, uint32_t reason, const char *name,
				    const struct kes_stat *s)
{
	return (struct kes_report_row){ .kind = kind, .reason = reason, .name = name,
		.count = s->count, .cycles = s->cycles, .min = s->min, .max = s->max,
		.timed = s->timed, .e2e = s->e2e, .e2e_max = s->e2e_max, .user = s->user,
		.blocked = s->blocked, .preempted = s->preempted };
}

int kes_report_make(struct kes_report *rep, const struct kes_stats *st,
		    const struct kes_stats *before, double seconds, bool all,
		    enum kes_sort sort)
{
	static const struct kes_stat zero;
	struct kes_stat d;
	size_t i;

	memset(rep, 0, sizeof(*rep));
	rep->isa = st->isa;
	rep->tsc_khz = st->tsc_khz;
	rep->seconds = before ? seconds : 0;
	rep->minmax_known = !before;
	rep->split = st->split && (!before || before->split);
	if (before && before->isa != st->isa)
		return -1;
	rep->rows = calloc(st->nrows + 1, sizeof(*rep->rows));
	if (!rep->rows)
		return -2;
	d = st->total;
	if (before && !minus(&d, &st->total, &before->total))
		goto back;
	rep->total = row_of(KES_ROW_TOTAL, 0, "TOTAL", &d);
	rep->total.since_reset = st->total.count;
	for (i = 0; i < st->nrows; i++) {
		const struct kes_row *row = &st->rows[i];
		const struct kes_row *b = before ? kes_stats_row(before, row->reason) : NULL;

		d = row->s;
		if (before && !minus(&d, &row->s, b ? &b->s : &zero))
			goto back;
		if (!all && !d.count)
			continue;
		rep->rows[rep->n] = row_of(KES_ROW_REASON, row->reason, row->name, &d);
		rep->rows[rep->n].since_reset = row->s.count;
		fill(&rep->rows[rep->n++], rep);
	}
	/* A reason the earlier reading had must still be there. */
	for (i = 0; before && i < before->nrows; i++)
		if (!kes_stats_row(st, before->rows[i].reason))
			goto back;
	qsort(rep->rows, rep->n, sizeof(*rep->rows), comparators[sort]);
	d = st->unlisted;
	if (before && !minus(&d, &st->unlisted, &before->unlisted))
		goto back;
	if (all || d.count) {
		d.min = d.max = d.e2e_max = 0;
		rep->rows[rep->n] = row_of(KES_ROW_UNLISTED, 0, "unlisted", &d);
		rep->rows[rep->n].since_reset = st->unlisted.count;
		fill(&rep->rows[rep->n++], rep);
	}
	fill(&rep->total, rep);
	return 0;
back:
	kes_report_free(rep);
	return -1;
}

void kes_report_free(struct kes_report *rep)
{
	free(rep->rows);
	rep->rows = NULL;
	rep->n = 0;
}

bool kes_same_host(const struct kes_stats *a, const struct kes_stats *b)
{
	return a->isa == b->isa && a->tsc_khz == b->tsc_khz;
}

bool kes_minmax_known(const struct kes_report *rep, const struct kes_report_row *r)
{
	return rep->minmax_known && r->timed && r->kind != KES_ROW_UNLISTED;
}

bool kes_times_known(const struct kes_report *rep)
{
	return rep->tsc_khz > 0;
}

double kes_cycles_to_us(const struct kes_report *rep, double cycles)
{
	return rep->tsc_khz ? cycles * 1000.0 / rep->tsc_khz : 0;
}

void kes_reason_str(enum kes_isa isa, uint32_t reason, char *buf, size_t n)
{
	if (isa == KES_ISA_SVM)
		snprintf(buf, n, "0x%03" PRIx32, reason);
	else
		snprintf(buf, n, "%" PRIu32, reason);
}
