// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus text exposition: the totals as counters, named and united by
 * Prometheus conventions (seconds, not cycles; _total for counters).
 */
#include "format.h"

#include <inttypes.h>

static void labels(FILE *f, const struct kes_report *rep, const struct kes_report_row *r)
{
	fprintf(f, "{isa=\"%s\",reason=\"%" PRIu32 "\",name=\"%s\"", kes_isa_name(rep->isa),
		r->reason, r->name);
	if (rep->vm)
		fprintf(f, ",vm=\"%s\"", rep->vm);
	fprintf(f, "}");
}

void kes_print_prometheus(FILE *f, const struct kes_report *rep)
{
	size_t i;

	fprintf(f, "# HELP kvm_exits_total VM exits KVM handled, by exit reason.\n"
		"# TYPE kvm_exits_total counter\n");
	for (i = 0; i < rep->n; i++) {
		fprintf(f, "kvm_exits_total");
		labels(f, rep, &rep->rows[i]);
		fprintf(f, " %" PRIu64 "\n", rep->rows[i].count);
	}
	fprintf(f, "# HELP kvm_exit_handling_seconds_total Time KVM spent handling VM exits, "
		"by exit reason.\n# TYPE kvm_exit_handling_seconds_total counter\n");
	for (i = 0; i < rep->n; i++) {
		fprintf(f, "kvm_exit_handling_seconds_total");
		labels(f, rep, &rep->rows[i]);
		fprintf(f, " %.9f\n", kes_cycles_to_us(rep, (double)rep->rows[i].cycles) / 1e6);
	}
}
