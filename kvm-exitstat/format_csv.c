// SPDX-License-Identifier: GPL-2.0
/*
 * CSV (RFC 4180, with Unix line ends): a header line, then one line per row (reasons, the
 * unlisted exits, the total), each with the report's fields; an empty field
 * is a value not known.  Columns: fields.h, docs/interfaces.md.
 */
#include "format.h"

#include <inttypes.h>

#include "escape.h"
#include "fields.h"

static void put(FILE *f, const struct kes_value *v, size_t n, bool more)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (v[i].type) {
		case KES_V_NULL:
			break;
		case KES_V_U64:
			fprintf(f, "%" PRIu64, v[i].u);
			break;
		case KES_V_REAL:
			fprintf(f, "%.*f", v[i].prec, v[i].d);
			break;
		case KES_V_STR:
			kes_fput_escaped(f, v[i].s, KES_ESC_CSV);
			break;
		}
		if (i + 1 < n || more)
			fputc(',', f);
	}
}

static void header(FILE *f, const struct kes_report *rep)
{
	struct kes_value rv[KES_REPORT_FIELDS], v[KES_ROW_FIELDS];
	size_t i;

	kes_report_fields(rep, rv);
	kes_row_fields(rep, NULL, v);
	for (i = 0; i < KES_REPORT_FIELDS; i++)
		fprintf(f, "%s,", rv[i].name);
	for (i = 0; i < KES_ROW_FIELDS; i++)
		fprintf(f, "%s%s", v[i].name, i + 1 < KES_ROW_FIELDS ? "," : "\n");
}

static void line(FILE *f, const struct kes_report *rep, const struct kes_report_row *r)
{
	struct kes_value rv[KES_REPORT_FIELDS], v[KES_ROW_FIELDS];

	kes_report_fields(rep, rv);
	kes_row_fields(rep, r, v);
	put(f, rv, KES_REPORT_FIELDS, true);
	put(f, v, KES_ROW_FIELDS, false);
	fputs("\n", f);
}

static void csv_report(FILE *f, const struct kes_report *rep, bool first, bool wide)
{
	size_t i;

	(void)wide;
	if (first)
		header(f, rep);
	for (i = 0; i < rep->n; i++)
		line(f, rep, &rep->rows[i]);
	line(f, rep, &rep->total);
}

static void csv_reset(FILE *f, const struct kes_report *last, double timestamp, bool first,
		      bool wide)
{
	struct kes_report at = *last;

	(void)wide;
	at.timestamp = timestamp;
	at.seconds = 0;
	if (first)
		header(f, &at);
	line(f, &at, NULL);
}

static void csv_vms(FILE *f, const struct kes_vm *vms, size_t n)
{
	size_t i;

	fputs("vm,pid,fd,comm,guest,exits\n", f);
	for (i = 0; i < n; i++) {
		fprintf(f, "%s,%d,%d,", vms[i].id, vms[i].pid, vms[i].fd);
		kes_fput_escaped(f, vms[i].comm, KES_ESC_CSV);
		fputc(',', f);
		kes_fput_escaped(f, vms[i].guest, KES_ESC_CSV);
		if (vms[i].exits == KES_EXITS_UNKNOWN)
			fputs(",\n", f);
		else
			fprintf(f, ",%" PRIu64 "\n", vms[i].exits);
	}
}

const struct kes_format kes_format_csv = { csv_report, csv_reset, csv_vms };
