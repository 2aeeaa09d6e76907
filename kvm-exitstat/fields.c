// SPDX-License-Identifier: GPL-2.0
/* The fields of a report, for CSV and JSON alike (fields.h). */
#include "fields.h"

#include <stdbool.h>
#include <stdlib.h>

static struct kes_value str(const char *name, const char *s)
{
	return (struct kes_value){ .name = name, .type = s ? KES_V_STR : KES_V_NULL, .s = s };
}

static struct kes_value u64(const char *name, bool known, uint64_t u)
{
	return (struct kes_value){ .name = name, .type = known ? KES_V_U64 : KES_V_NULL, .u = u };
}

static struct kes_value real(const char *name, bool known, double d, int prec)
{
	return (struct kes_value){ .name = name, .type = known ? KES_V_REAL : KES_V_NULL, .d = d,
				   .prec = prec };
}

void kes_report_fields(const struct kes_report *rep, struct kes_value v[KES_REPORT_FIELDS])
{
	const struct kes_scope *w = &rep->who;

	v[0] = real("timestamp", true, rep->timestamp, 3);
	v[1] = real("interval_s", rep->seconds > 0, rep->seconds, 3);
	v[2] = str("scope", w->scope);
	v[3] = str("vm", w->vm);
	v[4] = u64("vcpu", w->vcpu != NULL, w->vcpu ? strtoull(w->vcpu, NULL, 10) : 0);
	v[5] = str("guest", w->guest);
	v[6] = str("file", w->file);
	v[7] = str("before_file", w->before_file);
	v[8] = str("isa", kes_isa_name(rep->isa));
	v[9] = u64("tsc_khz", true, rep->tsc_khz);
}

void kes_row_fields(const struct kes_report *rep, const struct kes_report_row *r,
		    struct kes_value v[KES_ROW_FIELDS])
{
	static const char *const kinds[] = {
		[KES_ROW_REASON] = "reason", [KES_ROW_UNLISTED] = "unlisted", [KES_ROW_TOTAL] = "total",
	};
	bool any = r && r->timed, mm = r && kes_minmax_known(rep, r), t = kes_times_known(rep);
	bool sp = r && rep->split;
	static const struct kes_report_row none;

	if (!r)
		r = &none;
	v[0] = str("row", r == &none ? "reset" : kinds[r->kind]);
	v[1] = u64("reason", r != &none && r->kind == KES_ROW_REASON, r->reason);
	v[2] = str("name", r == &none ? NULL : r->name);
	v[3] = u64("count", r != &none, r->count);
	v[4] = real("count_pct", r != &none, r->count_pct, 4);
	v[5] = real("count_per_s", r != &none && rep->seconds > 0, r->per_second, 3);
	v[6] = u64("cycles", r != &none, r->cycles);
	v[7] = real("time_pct", r != &none, r->time_pct, 4);
	v[8] = real("avg_cycles", any, r->avg, 1);
	v[9] = u64("min_cycles", mm, r->min);
	v[10] = u64("max_cycles", mm, r->max);
	v[11] = real("time_s", r != &none && t, kes_cycles_to_us(rep, (double)r->cycles) / 1e6, 9);
	v[12] = real("avg_us", any && t, kes_cycles_to_us(rep, r->avg), 3);
	v[13] = real("min_us", mm && t, kes_cycles_to_us(rep, (double)r->min), 3);
	v[14] = real("max_us", mm && t, kes_cycles_to_us(rep, (double)r->max), 3);
	/* the time split (docs/interfaces.md), after the fields of older versions */
	v[15] = u64("timed", r != &none, r->timed);
	v[16] = u64("e2e_cycles", sp, r->e2e);
	v[17] = real("avg_e2e_cycles", sp && any, r->avg_e2e, 1);
	v[18] = u64("max_e2e_cycles", sp && mm, r->e2e_max);
	v[19] = u64("user_cycles", sp, r->user);
	v[20] = u64("blocked_cycles", sp, r->blocked);
	v[21] = u64("preempted_cycles", sp, r->preempted);
	v[22] = real("avg_e2e_us", sp && any && t, kes_cycles_to_us(rep, r->avg_e2e), 3);
	/* interval mode's running total (SINCE_RESET of the table) */
	v[23] = u64("since_reset", r != &none, r->since_reset);
}
