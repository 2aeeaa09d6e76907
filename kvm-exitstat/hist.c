// SPDX-License-Identifier: GPL-2.0
/* kvm-exitstat --hist: percentiles and bars from exit_stats_hist files. */
#include "hist.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const double pcts[KES_HIST_PCTS] = { 0.5, 0.9, 0.99, 0.999 };
static const char *const pct_names[KES_HIST_PCTS] = { "P50", "P90", "P99", "P99.9" };

int kes_hist_load(const struct kes_source *s, const struct kes_target *t, struct kes_hists *h)
{
	char err[KES_MSG_MAX];
	int r = kes_hists_load(t->path, h, err, sizeof(err));

	if (r == KES_FILE_MALFORMED)
		return kes_complain(KES_EXIT_FAILURE, "not an exit_stats_hist file: %s", err);
	if (r == -ENOENT && !t->user_file)
		return kes_complain(KES_EXIT_NO_STATS, "%s is missing: this kernel keeps no histograms "
				    "(kvm-exit-stats before the tier hist)", t->path);
	if (r < 0)
		return kes_explain(s, t, -r);
	return KES_EXIT_OK;
}

/* @cycles in microseconds at @tsc_khz, into @buf ("-" if the TSC's rate is unknown). */
static const char *us(char *buf, size_t n, uint64_t cycles, uint64_t tsc_khz)
{
	if (cycles == UINT64_MAX)
		snprintf(buf, n, "inf");
	else if (!tsc_khz)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%.2f", cycles * 1000.0 / tsc_khz);
	return buf;
}

/* A reason as the manuals number it: Intel's in decimal, AMD's in hex. */
static const char *row_name(const struct kes_hists *h, const struct kes_hist_row *r, char *buf,
			    size_t n)
{
	if (r->other)
		snprintf(buf, n, "-");
	else if (h->isa == KES_ISA_SVM)
		snprintf(buf, n, "0x%03" PRIx32, r->reason);
	else
		snprintf(buf, n, "%" PRIu32, r->reason);
	return buf;
}

void kes_hist_print_percentiles(FILE *f, const struct kes_hists *h, const char *title)
{
	char num[16], v[24];
	size_t i;
	int k, p;

	fprintf(f, "# %s, isa %s, TSC %.3f MHz; percentiles as the upper bound of their log2 bucket, in us\n",
		title, kes_isa_name(h->isa), h->tsc_khz / 1000.0);
	fprintf(f, "%8s  %-24s %10s", "REASON", "NAME", "TIMED");
	for (k = 0; k < KES_HIST_KINDS; k++)
		for (p = 0; p < KES_HIST_PCTS; p++) {
			snprintf(v, sizeof(v), "%s_%s", k == KES_HIST_E2E ? "E2E" : "KVM",
				 pct_names[p]);
			fprintf(f, " %9s", v);
		}
	fputc('\n', f);
	for (i = 0; i < h->nrows; i++) {
		const struct kes_hist_row *r = &h->rows[i];

		fprintf(f, "%8s  %-24s %10" PRIu64, row_name(h, r, num, sizeof(num)), r->name,
			kes_hist_sum(r->b[KES_HIST_E2E]));
		for (k = 0; k < KES_HIST_KINDS; k++)
			for (p = 0; p < KES_HIST_PCTS; p++) {
				uint64_t lo, hi;

				kes_hist_quantile(r->b[k], pcts[p], &lo, &hi);
				fprintf(f, " %9s", us(v, sizeof(v), hi, h->tsc_khz));
			}
		fputc('\n', f);
	}
	if (!h->nrows)
		fprintf(f, "# no histograms: is the tier hist on? (echo hist > /sys/module/kvm/parameters/exit_stats)\n");
}

/* The row of @spec in @h; -1 if @h's ISA has no such reason, 0 and NULL if no exits. */
static int find(const struct kes_hists *h, const char *spec, const struct kes_hist_row **row)
{
	uint32_t nr;
	char *end;

	errno = 0;
	nr = (uint32_t)strtoul(spec, &end, 0);
	if (!*spec || *end || errno) {
		if (kes_reason_by_name(h->isa, spec, &nr))
			return -1;
	}
	*row = kes_hists_row(h, nr);
	return 0;
}

int kes_hist_print_reason(FILE *f, const struct kes_hists *h, const char *spec,
			  const char *title)
{
	const struct kes_hist_row *r;
	uint64_t n[KES_HIST_KINDS], peak = 1;
	char a[24], b[24];
	int i, k, first = KES_HIST_BUCKETS, last = -1;

	if (find(h, spec, &r))
		return kes_complain(KES_EXIT_USAGE, "--hist: %s has no exit reason \"%s\" (a name "
				    "or a number, as kvm-exitstat -a lists them)", kes_isa_name(h->isa),
				    spec);
	if (!r)
		return kes_complain(KES_EXIT_FAILURE, "--hist: no exits of %s timed in %s", spec,
				    title);
	for (k = 0; k < KES_HIST_KINDS; k++) {
		n[k] = kes_hist_sum(r->b[k]);
		for (i = 0; i < KES_HIST_BUCKETS; i++) {
			if (r->b[k][i] > peak)
				peak = r->b[k][i];
			if (r->b[k][i] && i < first)
				first = i;
			if (r->b[k][i] && i > last)
				last = i;
		}
	}
	fprintf(f, "# %s, %s (%s), %" PRIu64 " exits timed; TSC %.3f MHz\n", title, r->name,
		row_name(h, r, a, sizeof(a)), n[KES_HIST_E2E], h->tsc_khz / 1000.0);
	fprintf(f, "%24s  %-30s  %-30s\n", "us", "exit-to-entry", "in KVM");
	for (i = first; i <= last; i++) {
		uint64_t lo, hi;

		kes_hist_bounds((unsigned int)i, &lo, &hi);
		fprintf(f, "%11s - %-10s", us(a, sizeof(a), lo, h->tsc_khz),
			us(b, sizeof(b), hi, h->tsc_khz));
		for (k = 0; k < KES_HIST_KINDS; k++) {
			int w = (int)(r->b[k][i] * 20 / peak), j;

			fputs("  ", f);
			for (j = 0; j < 20; j++)
				fputc(j < w || (j == 0 && r->b[k][i]) ? '#' : ' ', f);
			fprintf(f, " %9" PRIu64, r->b[k][i]);
		}
		fputc('\n', f);
	}
	return KES_EXIT_OK;
}
