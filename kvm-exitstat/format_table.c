// SPDX-License-Identifier: GPL-2.0
/*
 * The human table, like perf kvm stat report and kvm_stat: 100 columns at
 * most by default, the cycles too with -w, and with the kernel's time split
 * the exit-to-entry time and the shares of it that were not KVM's.
 */
#include "format.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "escape.h"

/* @s escaped for a terminal, padded to @width characters (left-aligned). */
static void put_padded(FILE *f, const char *s, int width)
{
	char buf[1024];
	FILE *m = fmemopen(buf, sizeof(buf), "w");
	int chars = 0;
	size_t i;

	if (!m)
		return;
	kes_fput_escaped(m, s, KES_ESC_TEXT);
	fclose(m);
	buf[sizeof(buf) - 1] = '\0';
	for (i = 0; buf[i]; i++)
		chars += ((unsigned char)buf[i] & 0xc0) != 0x80;
	fprintf(f, "%s%*s", buf, width > chars ? width - chars : 0, "");
}

/* A number with @prec decimals in @width columns, or "-" if unknown. */
static void num(FILE *f, int width, int prec, bool known, double v)
{
	if (known)
		fprintf(f, " %*.*f", width, prec, v);
	else
		fprintf(f, " %*s", width, "-");
}

static void u64(FILE *f, int width, bool known, uint64_t v)
{
	if (known)
		fprintf(f, " %*" PRIu64, width, v);
	else
		fprintf(f, " %*s", width, "-");
}

static void row(FILE *f, const struct kes_report *rep, const struct kes_report_row *r, bool wide)
{
	bool interval = rep->seconds > 0, mm = kes_minmax_known(rep, r);
	bool t = kes_times_known(rep), avg = r->timed > 0, e2e = rep->split && wide;
	char reason[16] = "";

	if (r->kind == KES_ROW_REASON)
		kes_reason_str(rep->isa, r->reason, reason, sizeof(reason));
	fprintf(f, "%10s  ", reason);
	put_padded(f, r->name, 25);
	fprintf(f, " %12" PRIu64, r->count);
	if (interval) {
		num(f, 11, 1, true, r->per_second);
		fprintf(f, " %11" PRIu64, r->since_reset);
	}
	fprintf(f, " %6.2f%%", r->count_pct);
	if (wide)
		fprintf(f, " %16" PRIu64, r->cycles);
	fprintf(f, " %6.2f%%", r->time_pct);
	if (wide) {
		num(f, 10, 0, avg, r->avg);
		if (!interval) {
			u64(f, 10, mm, r->min);
			u64(f, 12, mm, r->max);
		}
	}
	num(f, 9, 2, t && avg, kes_cycles_to_us(rep, r->avg));
	if (!interval) {
		num(f, 9, 2, t && mm, kes_cycles_to_us(rep, (double)r->min));
		num(f, 10, 2, t && mm, kes_cycles_to_us(rep, (double)r->max));
	}
	if (e2e) {
		double all = r->e2e ? (double)r->e2e : 1;

		num(f, 10, 2, t && avg, kes_cycles_to_us(rep, r->avg_e2e));
		num(f, 6, 1, r->e2e > 0, 100.0 * r->user / all);
		num(f, 6, 1, r->e2e > 0, 100.0 * r->blocked / all);
		num(f, 6, 1, r->e2e > 0, 100.0 * r->preempted / all);
	}
	fputc('\n', f);
}

static void header(FILE *f, const struct kes_report *rep, bool wide)
{
	bool interval = rep->seconds > 0;

	fprintf(f, "%10s  %-25s %12s", "REASON", "NAME", "EXITS");
	if (interval)
		fprintf(f, " %11s %11s", "EXITS/s", "SINCE_RESET");
	fprintf(f, " %7s", "EXITS%");
	if (wide)
		fprintf(f, " %16s", "CYCLES");
	fprintf(f, " %7s", "TIME%");
	if (wide) {
		fprintf(f, " %10s", "AVG");
		if (!interval)
			fprintf(f, " %10s %12s", "MIN", "MAX");
	}
	fprintf(f, " %9s", "AVG_us");
	if (!interval)
		fprintf(f, " %9s %10s", "MIN_us", "MAX_us");
	if (rep->split && wide)
		fprintf(f, " %10s %6s %6s %6s", "E2E_us", "USER%", "BLOCK%", "PREEM%");
	fputc('\n', f);
}

static void title(FILE *f, const struct kes_report *rep, bool wide)
{
	const struct kes_scope *w = &rep->who;

	fputs("# ", f);
	if (w->before_file) {
		fputs("from file ", f);
		kes_fput_escaped(f, w->before_file, KES_ESC_TEXT);
		fputs(" to file ", f);
		kes_fput_escaped(f, w->file, KES_ESC_TEXT);
	} else if (w->file) {
		fputs("file ", f);
		kes_fput_escaped(f, w->file, KES_ESC_TEXT);
	} else if (w->vm) {
		fprintf(f, "VM %s", w->vm);
		if (w->vcpu)
			fprintf(f, " vCPU %s", w->vcpu);
		if (w->guest) {
			fputs(" (guest ", f);
			kes_fput_escaped(f, w->guest, KES_ESC_TEXT);
			fputc(')', f);
		}
	} else {
		fputs("system-wide", f);
	}
	fprintf(f, ", isa %s, ", kes_isa_name(rep->isa));
	if (kes_times_known(rep))
		fprintf(f, "TSC %.3f MHz; times in us%s\n", rep->tsc_khz / 1000.0,
			wide ? ", cycles are TSC cycles" : "");
	else
		fprintf(f, "TSC frequency unknown (tsc_khz=0): no times%s\n",
			wide ? "" : "; -w shows the cycles");
}

static void when(FILE *f, double timestamp)
{
	time_t t = (time_t)timestamp;
	struct tm tm;
	char hms[16];

	strftime(hms, sizeof(hms), "%H:%M:%S", localtime_r(&t, &tm));
	fprintf(f, "%s.%03d", hms, (int)((timestamp - (double)t) * 1000));
}

static void table_report(FILE *f, const struct kes_report *rep, bool first, bool wide)
{
	size_t i;

	if (first) {
		title(f, rep, wide);
		header(f, rep, wide);
	}
	if (rep->seconds > 0) {
		fputs("# ", f);
		when(f, rep->timestamp);
		fprintf(f, ", the last %.3f s\n", rep->seconds);
	}
	for (i = 0; i < rep->n; i++)
		row(f, rep, &rep->rows[i], wide);
	row(f, rep, &rep->total, wide);
	for (i = 0; i < rep->n; i++)
		if (rep->rows[i].kind == KES_ROW_UNLISTED && rep->rows[i].count)
			fputs("# unlisted: exits of reasons the kernel had no row left for "
			      "(counted in TOTAL)\n", f);
}

static void table_reset(FILE *f, const struct kes_report *last, double timestamp, bool first,
			bool wide)
{
	struct kes_report at = *last;

	at.seconds = 1;	/* the columns of interval mode */
	if (first) {
		title(f, &at, wide);
		header(f, &at, wide);
	}
	fputs("# ", f);
	when(f, timestamp);
	fputs(": the statistics went back (a reset?): this interval shows the exits since the "
	      "reset\n", f);
}

static void table_vms(FILE *f, const struct kes_vm *vms, size_t n)
{
	size_t i;

	fprintf(f, "%-16s %8s %6s %-16s %14s  %s\n", "VM", "PID", "FD", "COMMAND", "EXITS",
		"GUEST");
	for (i = 0; i < n; i++) {
		fprintf(f, "%-16s %8d %6d ", vms[i].id, vms[i].pid, vms[i].fd);
		put_padded(f, *vms[i].comm ? vms[i].comm : "?", 16);
		if (vms[i].exits == KES_EXITS_UNKNOWN)
			fprintf(f, " %14s  ", "?");
		else
			fprintf(f, " %14" PRIu64 "  ", vms[i].exits);
		kes_fput_escaped(f, *vms[i].guest ? vms[i].guest : "-", KES_ESC_TEXT);
		fputc('\n', f);
	}
	if (!n)
		fputs("# no VMs\n", f);
}

const struct kes_format kes_format_table = { table_report, table_reset, table_vms };
