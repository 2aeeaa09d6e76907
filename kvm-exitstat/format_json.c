// SPDX-License-Identifier: GPL-2.0
/*
 * JSON: one object per line (JSON Lines): a report ("event":"report") or,
 * in interval mode, a reset marker ("event":"reset").  Every report has the
 * same keys in every mode; null is a value not known.  Keys: fields.h,
 * docs/interfaces.md, docs/kvm-exitstat.schema.json.
 */
#include "format.h"

#include <inttypes.h>

#include "escape.h"
#include "fields.h"

static void put(FILE *f, const struct kes_value *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		fprintf(f, "%s\"%s\":", i ? "," : "", v[i].name);
		switch (v[i].type) {
		case KES_V_NULL:
			fputs("null", f);
			break;
		case KES_V_U64:
			fprintf(f, "%" PRIu64, v[i].u);
			break;
		case KES_V_REAL:
			fprintf(f, "%.*f", v[i].prec, v[i].d);
			break;
		case KES_V_STR:
			kes_fput_escaped(f, v[i].s, KES_ESC_JSON);
			break;
		}
	}
}

static void row(FILE *f, const struct kes_report *rep, const struct kes_report_row *r)
{
	struct kes_value v[KES_ROW_FIELDS];

	kes_row_fields(rep, r, v);
	fputc('{', f);
	put(f, v, KES_ROW_FIELDS);
	fputc('}', f);
}

static void head(FILE *f, const char *event, const struct kes_report *rep)
{
	struct kes_value v[KES_REPORT_FIELDS];

	kes_report_fields(rep, v);
	fprintf(f, "{\"event\":\"%s\",", event);
	put(f, v, KES_REPORT_FIELDS);
}

static void json_report(FILE *f, const struct kes_report *rep, bool first, bool wide)
{
	size_t i;

	(void)first;
	(void)wide;
	head(f, "report", rep);
	fputs(",\"reasons\":[", f);
	for (i = 0; i < rep->n; i++) {
		if (i)
			fputc(',', f);
		row(f, rep, &rep->rows[i]);
	}
	fputs("],\"total\":", f);
	row(f, rep, &rep->total);
	fputs("}\n", f);
}

static void json_reset(FILE *f, const struct kes_report *last, double timestamp, bool first,
		       bool wide)
{
	struct kes_report at = *last;

	(void)first;
	(void)wide;
	at.timestamp = timestamp;
	at.seconds = 0;
	head(f, "reset", &at);
	fputs("}\n", f);
}

static void json_vms(FILE *f, const struct kes_vm *vms, size_t n)
{
	size_t i;

	fputc('[', f);
	for (i = 0; i < n; i++) {
		fprintf(f, "%s{\"vm\":\"%s\",\"pid\":%d,\"fd\":%d,\"comm\":", i ? "," : "", vms[i].id,
			vms[i].pid, vms[i].fd);
		if (*vms[i].comm)
			kes_fput_escaped(f, vms[i].comm, KES_ESC_JSON);
		else
			fputs("null", f);
		fputs(",\"guest\":", f);
		if (*vms[i].guest)
			kes_fput_escaped(f, vms[i].guest, KES_ESC_JSON);
		else
			fputs("null", f);
		if (vms[i].exits == KES_EXITS_UNKNOWN)
			fputs(",\"exits\":null}", f);
		else
			fprintf(f, ",\"exits\":%" PRIu64 "}", vms[i].exits);
	}
	fputs("]\n", f);
}

const struct kes_format kes_format_json = { json_report, json_reset, json_vms };
