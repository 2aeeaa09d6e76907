// SPDX-License-Identifier: GPL-2.0
/* JSON: one object per report, on one line (JSON Lines in interval mode). */
#include "format.h"

#include <inttypes.h>

static void row(FILE *f, const struct kes_report *rep, const struct kes_report_row *r)
{
	if (!r->total)
		fprintf(f, "{\"reason\":%" PRIu32 ",\"name\":\"%s\",", r->reason, r->name);
	else
		fprintf(f, "{");
	fprintf(f, "\"count\":%" PRIu64 ",\"count_pct\":%.4f,\"cycles\":%" PRIu64
		",\"time_pct\":%.4f,\"avg_cycles\":%.1f,\"avg_us\":%.3f",
		r->count, r->count_pct, r->cycles, r->time_pct, r->avg,
		kes_cycles_to_us(rep, r->avg));
	if (rep->seconds > 0)
		fprintf(f, ",\"count_per_s\":%.3f", r->per_second);
	else
		fprintf(f, ",\"min_cycles\":%" PRIu64 ",\"max_cycles\":%" PRIu64, r->min, r->max);
	fprintf(f, "}");
}

void kes_print_json(FILE *f, const struct kes_report *rep)
{
	size_t i;

	fprintf(f, "{\"scope\":\"%s\",", rep->scope);
	if (rep->vm)
		fprintf(f, "\"vm\":\"%s\",", rep->vm);
	fprintf(f, "\"isa\":\"%s\",\"tsc_khz\":%" PRIu64 ",\"timestamp\":%.3f,",
		kes_isa_name(rep->isa), rep->tsc_khz, rep->timestamp);
	if (rep->seconds > 0)
		fprintf(f, "\"interval_s\":%.3f,", rep->seconds);
	fprintf(f, "\"reasons\":[");
	for (i = 0; i < rep->n; i++) {
		if (i)
			fputc(',', f);
		row(f, rep, &rep->rows[i]);
	}
	fprintf(f, "],\"total\":");
	row(f, rep, &rep->total);
	fprintf(f, "}\n");
}
