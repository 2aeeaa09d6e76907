// SPDX-License-Identifier: GPL-2.0
/* The human table, like perf kvm stat report and kvm_stat. */
#include "format.h"

#include <inttypes.h>
#include <time.h>

static void row_totals(FILE *f, const struct kes_report *rep, const struct kes_report_row *r)
{
	char reason[16] = "";

	if (!r->total)
		snprintf(reason, sizeof(reason), "%" PRIu32, r->reason);
	fprintf(f, "%10s  %-26s %12" PRIu64 " %7.2f%% %16" PRIu64 " %7.2f%% %10.0f %10" PRIu64
		" %12" PRIu64 " %9.2f %9.2f %11.2f\n",
		reason, r->name, r->count, r->count_pct, r->cycles, r->time_pct, r->avg,
		r->min, r->max, kes_cycles_to_us(rep, r->avg), kes_cycles_to_us(rep, (double)r->min),
		kes_cycles_to_us(rep, (double)r->max));
}

static void row_interval(FILE *f, const struct kes_report *rep, const struct kes_report_row *r)
{
	char reason[16] = "";

	if (!r->total)
		snprintf(reason, sizeof(reason), "%" PRIu32, r->reason);
	fprintf(f, "%10s  %-26s %12" PRIu64 " %12.1f %7.2f%% %16" PRIu64 " %7.2f%% %10.0f %9.2f\n",
		reason, r->name, r->count, r->per_second, r->count_pct, r->cycles, r->time_pct,
		r->avg, kes_cycles_to_us(rep, r->avg));
}

void kes_print_table(FILE *f, const struct kes_report *rep, bool header)
{
	void (*row)(FILE *, const struct kes_report *, const struct kes_report_row *) =
		rep->seconds > 0 ? row_interval : row_totals;
	size_t i;

	if (header) {
		fprintf(f, "# %s%s, isa %s, TSC %.3f MHz; cycles are TSC cycles, times in us\n",
			rep->vm ? "VM " : "system-wide", rep->vm ? rep->vm : "",
			kes_isa_name(rep->isa), rep->tsc_khz / 1000.0);
		if (rep->seconds > 0)
			fprintf(f, "%10s  %-26s %12s %12s %8s %16s %8s %10s %9s\n", "REASON", "NAME",
				"EXITS", "EXITS/s", "EXITS%", "CYCLES", "TIME%", "AVG", "AVG_us");
		else
			fprintf(f, "%10s  %-26s %12s %8s %16s %8s %10s %10s %12s %9s %9s %11s\n",
				"REASON", "NAME", "EXITS", "EXITS%", "CYCLES", "TIME%", "AVG",
				"MIN", "MAX", "AVG_us", "MIN_us", "MAX_us");
	}
	if (rep->seconds > 0) {
		time_t t = (time_t)rep->timestamp;
		struct tm tm;
		char when[16];

		strftime(when, sizeof(when), "%H:%M:%S", localtime_r(&t, &tm));
		fprintf(f, "# %s.%03d, the last %.3f s\n", when,
			(int)((rep->timestamp - (double)t) * 1000), rep->seconds);
	}
	for (i = 0; i < rep->n; i++)
		row(f, rep, &rep->rows[i]);
	row(f, rep, &rep->total);
}
