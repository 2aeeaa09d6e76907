/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The output formats of kvm-exitstat, one file each; every text they print
 * that comes from outside (names of reasons, processes, guests, files) goes
 * through the one escaping helper, lib/escape.h.  Schemas: docs/interfaces.md.
 */
#ifndef KES_FORMAT_H
#define KES_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

#include "report.h"
#include "vms.h"

struct kes_format {
	/* One report; @first: the first of a stream (titles, CSV header). */
	void (*report)(FILE *f, const struct kes_report *rep, bool first, bool wide);
	/*
	 * In interval mode: the statistics went back (a reset) at @timestamp;
	 * the report of that interval, which follows, has the exits since the
	 * reset.  @first and @wide as for report: what a stream begins with
	 * comes first, whichever of the two begins it.
	 */
	void (*reset)(FILE *f, const struct kes_report *last, double timestamp, bool first,
		      bool wide);
	/* --list-vms */
	void (*vms)(FILE *f, const struct kes_vm *vms, size_t n);
};

extern const struct kes_format kes_format_table;	/* format_table.c */
extern const struct kes_format kes_format_csv;		/* format_csv.c */
extern const struct kes_format kes_format_json;		/* format_json.c */

/*
 * Prometheus text exposition format 0.0.4, for node_exporter's textfile
 * collector: the system-wide report (or a file's) and every VM's, in @n
 * reports; format_prom.c.  A fleet's export by default (each VM's exits and
 * exit-to-entry, the exit-to-entry histograms), everything if @all_series.
 */
void kes_print_prometheus(FILE *f, const struct kes_report *reps, size_t n, bool all_series);

#endif /* KES_FORMAT_H */
