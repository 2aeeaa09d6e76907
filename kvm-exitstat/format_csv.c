// SPDX-License-Identifier: GPL-2.0
/* CSV: one line per reason and one for the total (reason "-"). */
#include "format.h"

#include <inttypes.h>

void kes_print_csv(FILE *f, const struct kes_report *rep, bool header)
{
	size_t i;

	if (header)
		fprintf(f, "timestamp,interval_s,scope,vm,isa,reason,name,count,count_pct,"
			"count_per_s,cycles,time_pct,avg_cycles,min_cycles,max_cycles,avg_us,"
			"min_us,max_us\n");
	for (i = 0; i <= rep->n; i++) {
		const struct kes_report_row *r = i < rep->n ? &rep->rows[i] : &rep->total;
		char reason[16] = "-";

		if (!r->total)
			snprintf(reason, sizeof(reason), "%" PRIu32, r->reason);
		fprintf(f, "%.3f,%.3f,%s,%s,%s,%s,%s,%" PRIu64 ",%.4f,%.3f,%" PRIu64 ",%.4f,%.1f,%"
			PRIu64 ",%" PRIu64 ",%.3f,%.3f,%.3f\n",
			rep->timestamp, rep->seconds, rep->scope, rep->vm ? rep->vm : "",
			kes_isa_name(rep->isa), reason, r->name, r->count, r->count_pct,
			r->per_second, r->cycles, r->time_pct, r->avg, r->min, r->max,
			kes_cycles_to_us(rep, r->avg), kes_cycles_to_us(rep, (double)r->min),
			kes_cycles_to_us(rep, (double)r->max));
	}
}
